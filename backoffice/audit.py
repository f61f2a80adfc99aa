"""The AuditLog writer.

Row changes are captured in one place, a SQLAlchemy flush hook, so no screen or workflow can change
data without leaving a trace. Workflows name what they are doing with `audit_as("review", ...)`;
events that change no row (sign-in, failed sign-in) call `record()`.
"""
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from .extensions import db
from .labels import AuditAction
from .models import AuditLog, ReviewLog
from .models.base import in_flush_hook, utcnow
from .text import strip_control

NOT_AUDITED = (AuditLog, ReviewLog)  # history tables are themselves the record
MASKED = {"password_hash", "answer1_hash", "answer2_hash", "answer3_hash"}


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (str, int, float, bool, list, dict)) or value is None:
        return value
    return str(value)


def _who() -> dict:
    """Acting user, organisation, region and IP of the current request, without touching the DB."""
    if not has_request_context():
        return {}
    actor = g.get("actor")
    user = g.get("_login_user")
    return {
        "user_id": actor.user_id if actor else getattr(user, "id", None),
        "org_id": actor.org_id if actor else None,
        "region_code": actor.region_code if actor else None,
        "ip": request.remote_addr,
    }


def _columns(obj) -> dict:
    """The row's column values; a column never set (left to its database default) is left out."""
    state = inspect(obj)
    return {
        attr.key: "***" if attr.key in MASKED else _plain(attr.loaded_value)
        for attr in state.attrs
        if attr.key in state.mapper.columns and attr.loaded_value is not NO_VALUE
    }


def _changes(obj) -> tuple[dict, dict]:
    state = inspect(obj)
    before, after = {}, {}
    for attr in state.attrs:
        if attr.key not in state.mapper.columns:
            continue
        history = attr.history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if attr.key in MASKED:
            old, new = "***", "***(changed)"
        before[attr.key], after[attr.key] = _plain(old), _plain(new)
    return before, after


def _summary(text: str) -> str:
    # Summaries quote what people typed (a login name tried at /login): keep the 操作日志 export writable.
    return strip_control(text)[:200]


def _object_id(obj) -> str:
    # New rows have no identity key yet inside after_flush, but their primary key is already set.
    state = inspect(obj)
    return ",".join(str(v) for v in state.mapper.primary_key_from_instance(obj) if v is not None)


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session: Session, flush_context) -> None:
    rows = []
    who = _who()
    # `audit_as` labels live on `g`, which a CLI command (flask reset-password) has too.
    action_name = g.get("audit_action") if has_app_context() else None
    summary = g.get("audit_summary") if has_app_context() else None
    now = utcnow()

    def add(action, obj, before, after):
        naming = in_flush_hook.set(True)  # str(obj) must not load anything mid-flush
        try:
            name = str(obj)
        finally:
            in_flush_hook.reset(naming)
        rows.append(
            dict(
                who,
                created_at=now,
                action=action_name or action,
                object_type=obj.__tablename__,
                object_id=_object_id(obj),
                summary=_summary(summary or name),
                before=before or None,
                after=after or None,
            )
        )

    for obj in session.new:
        if not isinstance(obj, NOT_AUDITED) and hasattr(obj, "__tablename__"):
            add(AuditAction.CREATE, obj, None, _columns(obj))
    for obj in session.dirty:
        if isinstance(obj, NOT_AUDITED) or not hasattr(obj, "__tablename__"):
            continue
        if not session.is_modified(obj, include_collections=False):
            continue
        before, after = _changes(obj)
        if after:
            add(AuditAction.UPDATE, obj, before, after)
    for obj in session.deleted:
        if not isinstance(obj, NOT_AUDITED) and hasattr(obj, "__tablename__"):
            add(AuditAction.DELETE, obj, _columns(obj), None)
    if rows:
        session.connection().execute(AuditLog.__table__.insert(), rows)


@contextmanager
def audit_as(action: str, summary: str | None = None):
    """Label the row changes made inside the block, e.g. `with audit_as("review", "同意"):`."""
    previous = g.get("audit_action"), g.get("audit_summary")
    g.audit_action, g.audit_summary = action, summary
    try:
        yield
    finally:
        g.audit_action, g.audit_summary = previous


def record(
    action: str,
    *,
    user_id: int | None = None,
    org_id: int | None = None,
    summary: str | None = None,
    obj=None,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Add one AuditLog row for an event the flush hook does not see: a sign-in, or a change made by a
    conditional UPDATE statement (committed with the request)."""
    who = _who()
    if user_id is not None:
        who["user_id"] = user_id
    if org_id is not None:
        who["org_id"] = org_id
    db.session.add(
        AuditLog(
            **who,
            action=action,
            object_type=getattr(obj, "__tablename__", None),
            object_id=_object_id(obj) if obj is not None else None,
            summary=_summary(summary) if summary else None,
            before=before,
            after=after,
        )
    )
