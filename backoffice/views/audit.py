"""操作日志: read-only, for 系统管理员 (everything) and HR (its region).

A row says who did what to which object; its details show what changed as labelled fields
(字段 | 修改前 | 修改后), read the way the screens show them: the screens' own column labels and
choices, dictionary names, the names behind ids, 是/否 and Beijing time. Nothing of the stored JSON
(English keys, codes, UTC ISO times) reaches the page.
"""
import re
from datetime import datetime

from flask import current_app
from markupsafe import Markup
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..formatting import dictionary_name, local_datetime
from ..labels import FIELD_LABELS, AuditAction, MembershipStatus, ObjectType, SystemRole
from ..models import AuditLog
from .base import ScopedModelView
from .filters import DayFilter

ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
MASKED = "***"
#: choices the screens show through a formatter rather than column_choices
EXTRA_CHOICES = {
    "system_role": dict(SystemRole.choices()),
    "status_before_revoke": dict(MembershipStatus.choices()),
}
#: JSON columns holding another table's fields: a change request stores the person's before and after
NESTED = {
    ("person_change", "before"): "person",
    ("person_change", "after"): "person",
    ("org_change", "before"): "organisation",
}


def _tables() -> dict:
    return {mapper.local_table.name: mapper for mapper in db.Model.registry.mappers}


def _screens(table: str) -> list:
    admin = current_app.extensions["backoffice_admin"]
    return [v for v in admin._views if getattr(getattr(v, "model", None), "__tablename__", None) == table]


def field_label(table: str, key: str) -> str:
    """A column's name as people read it: the label a screen of that table gives it, else the common one."""
    for view in _screens(table):
        label = (view.column_labels or {}).get(key)
        if label:
            return str(label)
    return FIELD_LABELS.get(key, key)


def _column(table: str, key: str):
    mapper = _tables().get(table)
    return mapper.local_table.columns.get(key) if mapper is not None else None


def field_value(table: str, key: str, value) -> str:
    """A stored value as the screens show it."""
    if value is None or value == "":
        return "（空）"
    if isinstance(value, str) and value.startswith(MASKED):
        return "（已隐藏）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        inner = NESTED.get((table, key), table)
        return "；".join(f"{field_label(inner, k)}：{field_value(inner, k, v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(field_value(table, key, v) for v in value)
    if isinstance(value, str) and ISO_TIME.match(value):
        return local_datetime(datetime.fromisoformat(value))
    for view in _screens(table):
        choices = dict((view.column_choices or {}).get(key, ()))
        if value in choices:
            return str(choices[value])
    if value in EXTRA_CHOICES.get(key, {}):
        return EXTRA_CHOICES[key][value]
    column = _column(table, key)
    if column is not None and column.info.get("dictionary"):
        return dictionary_name(column.info["dictionary"], value)
    if column is not None and column.foreign_keys:
        target = _tables().get(next(iter(column.foreign_keys)).column.table.name)
        row = db.session.get(target.class_, value) if target is not None else None
        if row is not None:
            return str(row)
    return str(value)


def change_rows(log: AuditLog) -> list[tuple[str, str, str]]:
    """(字段, 修改前, 修改后) of one log row, in the table's column order."""
    table = log.object_type or ""
    before, after = log.before or {}, log.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    mapper = _tables().get(table)
    if mapper is not None:
        order = {column.key: i for i, column in enumerate(mapper.local_table.columns)}
        keys.sort(key=lambda k: order.get(k, len(order)))
    return [
        (
            field_label(table, key),
            field_value(table, key, before.get(key)) if key in before else "",
            field_value(table, key, after.get(key)) if key in after else "",
        )
        for key in keys
    ]


def _changes(view, context, model, name):
    rows = change_rows(model)
    if not rows:
        return ""
    body = Markup("").join(
        Markup("<tr><th class='bg-light'>{}</th><td>{}</td><td>{}</td></tr>").format(*row) for row in rows
    )
    return Markup(
        "<table class='table table-sm table-bordered mb-0 audit-changes'><thead class='thead-light'>"
        "<tr><th>字段</th><th>修改前</th><th>修改后</th></tr></thead><tbody>{}</tbody></table>"
    ).format(body)


def _changes_text(view, context, model, name):
    return "；".join(f"{label}：{old} → {new}" for label, old, new in change_rows(model))


def _user(view, context, model, name):
    return model.user.real_name if model.user else ""


class AuditLogView(ScopedModelView):
    module = "audit_log"
    can_export = True
    column_list = ["created_at", "user", "org", "ip", "action", "object_type", "summary"]
    column_details_list = [
        "created_at", "user", "org", "ip", "action", "object_type", "object_id", "summary", "changes",
    ]
    column_export_list = [*column_list, "object_id", "changes"]
    column_labels = {
        "created_at": "时间",
        "user": "操作人",
        "org": "操作单位",
        "ip": "IP地址",
        "action": "操作",
        "object_type": "对象类型",
        "object_id": "对象编号",
        "summary": "摘要",
        "changes": "变更内容",
    }
    column_choices = {"action": AuditAction.choices(), "object_type": ObjectType.choices()}
    column_formatters = {"user": _user}
    column_formatters_detail = {"user": _user, "changes": _changes}
    column_formatters_export = {"user": _user, "changes": _changes_text}
    column_filters = ["action", "object_type", DayFilter(AuditLog.created_at, "日期")]
    column_sortable_list = ["created_at", "action", "object_type"]
    column_default_sort = [("created_at", True), ("id", True)]  # ix_audit_log_created_at, walked backwards
    simple_list_pager = True  # the log grows without bound
    ids_first = True
    list_eager = (joinedload(AuditLog.user), joinedload(AuditLog.org))


VIEWS = [(AuditLogView, AuditLog, "系统管理", "audit_log")]


def unlabelled_columns() -> list[tuple[str, str]]:
    """(table, column) pairs the 变更内容 could only show by their code name (a test keeps this empty)."""
    return [
        (table, column.key)
        for table, mapper in _tables().items()
        for column in mapper.local_table.columns
        if field_label(table, column.key) == column.key
    ]
