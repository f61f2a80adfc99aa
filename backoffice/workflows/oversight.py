"""移除权限 / 恢复权限: HR takes an organisation's access away (and gives it back) without deleting it.

What it guarantees:

- Only an HR organisation does it, to an organisation it oversees (inside its scope, of a kind whose
  管理 module it holds), never to itself; anything else raises `WorkflowError` and changes nothing.
- A reason (≤200 characters) is required; it is kept on the organisation while access is revoked and
  written, with the move, to the AuditLog.
- The change is a conditional UPDATE on `active`: of two people revoking the same organisation at once,
  exactly one does it and the other is told it was already revoked.
- A revoked organisation's operators lose it at their next request (policy.actor refuses inactive
  organisations); its rows and history stay.
- Batches decide each row in its own savepoint and report what was done and why the rest were skipped.

Callers flush, never commit: the request commits once.
"""
from sqlalchemy import select, update

from .. import audit
from ..extensions import db
from ..labels import ActorKind, AuditAction, OrgKind
from ..models import Organisation
from ..policy import Actor, visible
from . import BatchOutcome, WorkflowError, each_row

REASON_MAX = 200

#: the 管理 module through which an organisation of each kind is overseen
OVERSIGHT_MODULES = {
    OrgKind.HR: "oversee_hr",
    OrgKind.INDUSTRY: "oversee_industries",
    OrgKind.UNIT: "oversee_units",
    OrgKind.INSTITUTION: "oversee_institutions",
}


def clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("请填写原因")
    if len(reason) > REASON_MAX:
        raise WorkflowError(f"原因限{REASON_MAX}字")
    return reason


def _check_oversees(org: Organisation, actor: Actor) -> None:
    if actor.kind != ActorKind.HR:
        raise WorkflowError("只有人社部门可以移除或恢复单位权限")
    if org.id == actor.org_id:
        raise WorkflowError("不能移除或恢复本单位的权限")
    module = OVERSIGHT_MODULES.get(org.kind)
    in_scope = db.session.scalar(
        select(Organisation.id).where(Organisation.id == org.id, visible(Organisation, actor))
    )
    if module is None or not actor.can_use(module) or in_scope is None:
        raise WorkflowError("不在本单位的管理范围内")


def _set_active(org: Organisation, active: bool, reason: str, actor: Actor) -> None:
    _check_oversees(org, actor)
    verb = "恢复权限" if active else "移除权限"
    changed = db.session.execute(
        update(Organisation)
        .where(Organisation.id == org.id, Organisation.active.is_(not active))
        .values(active=active, inactive_reason=None if active else reason)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(org)
        raise WorkflowError("该单位的权限未被移除，无需恢复" if active else "该单位的权限已被移除")
    audit.record(
        AuditAction.RESTORE if active else AuditAction.REVOKE,
        obj=org,
        summary=f"{verb}：{org.name}；原因：{reason}",
        before={"active": not active},
        after={"active": active, "reason": reason},
    )
    db.session.flush()


def revoke_access(org: Organisation, reason: str | None, actor: Actor) -> None:
    """移除权限: the organisation stays, but none of its operators can act for it any more."""
    _set_active(org, False, clean_reason(reason), actor)


def restore_access(org: Organisation, reason: str | None, actor: Actor) -> None:
    """恢复权限: the organisation's operators can act for it again."""
    _set_active(org, True, clean_reason(reason), actor)


def change_access_many(rows, active: bool, reason: str | None, actor: Actor) -> BatchOutcome:
    """Revoke (active=False) or restore (active=True) each row; a bad reason refuses the whole batch."""
    reason = clean_reason(reason)
    return each_row(rows, lambda org: _set_active(org, active, reason, actor))
