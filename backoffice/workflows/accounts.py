"""Account operations shared by helpdesk, super admins and the account owner.

Every helpdesk operation takes a reason (required, at most 200 characters), changes the rows inside
`audit_as(...)` so the AuditLog rows carry the action and the reason, and flushes; the request commits.
Illegal moves raise `WorkflowError` with the Chinese message to show.
"""
import secrets
import string

from flask_babel import format_datetime
from sqlalchemy import or_, select

from .. import audit
from ..extensions import db
from ..labels import ApplicationStatus, AuditAction, BindingStatus, MembershipStatus
from ..models import Membership, Organisation, Person, User
from ..models.base import utcnow
from ..policy import Actor, reset_refusal
from ..policy.power import SERVER, reset_label
from ..provinces import employer_condition, employs
from ..validators import check_password, normalize_org_code, normalize_uscc
from . import WorkflowError

_ALPHABET = string.ascii_letters.replace("l", "").replace("I", "").replace("O", "") + "23456789"
REASON_MAX = 200
SUMMARY_MAX = 200  # AuditLog.summary


def temporary_password(login: str | None = None) -> str:
    """A random 10-character password that satisfies the password policy (shown once, never stored)."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        if check_password(candidate, login) is None:
            return candidate


def clean_reason(reason: str | None) -> str:
    """The reason as it will be logged, or WorkflowError when it is missing or too long."""
    text = (reason or "").strip()
    if not text:
        raise WorkflowError("请填写原因")
    if len(text) > REASON_MAX:
        raise WorkflowError(f"原因限{REASON_MAX}字")
    return text


def _summary(what: str, reason: str) -> str:
    text = f"{what}；原因：{reason}"
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def reset_password(user: User, actor: Actor, *, reason: str) -> str:
    """Give the account a temporary password it must change at next sign-in; returns it to show once.

    Refused unless the account's power lies within the actor's (`policy.reset_refusal`): every reset
    screen calls this, so no screen can reach further than the rule. The owner is told who reset it
    at their next sign-in. Ends the account's other sessions (the session version moves) and clears
    a lockout.
    """
    refusal = reset_refusal(actor, user)
    if refusal:
        raise WorkflowError(refusal)
    return _reset(user, reason, reset_label(actor))


def reset_password_on_server(user: User, reason: str) -> str:
    """`flask reset-password`: whoever runs a command on the server already holds every power, so
    this is the one reset without the rule, and the only one that reaches a system account."""
    return _reset(user, reason, SERVER)


def _reset(user: User, reason: str, by: str) -> str:
    reason = clean_reason(reason)
    password = temporary_password(user.login)
    with audit.audit_as(AuditAction.RESET_PASSWORD, _summary(f"{by}重置密码：{user.login}", reason)):
        user.set_password(password)
        user.must_change_password = True
        user.failed_logins = 0
        user.locked_until = None
        user.password_reset_by = by
        user.password_reset_at = utcnow()
        db.session.flush()
    return password


def take_reset_notice(user: User) -> str | None:
    """What to tell the owner at sign-in about a reset since their last one, once: the record is cleared."""
    if user.password_reset_at is None:
        return None
    # Stored as naive UTC; format_datetime shows it in the Babel timezone (Asia/Shanghai).
    when = format_datetime(user.password_reset_at, "yyyy-MM-dd HH:mm")
    notice = f"您的密码已于 {when} 由 {user.password_reset_by or '他人'} 重置。如非您本人申请，请立即联系客服。"
    with audit.audit_as(AuditAction.LOGIN, f"登录时已告知密码重置：{user.login}"):
        user.password_reset_by = None
        user.password_reset_at = None
        db.session.flush()
    return notice


def unlock(user: User, reason: str) -> None:
    """Clear a lockout (and the failure counter) so the account can sign in again at once."""
    reason = clean_reason(reason)
    if not user.is_locked() and not user.failed_logins:
        raise WorkflowError("该账号未被锁定，无需解锁")
    with audit.audit_as(AuditAction.UNLOCK, _summary(f"解锁账号：{user.login}", reason)):
        user.failed_logins = 0
        user.locked_until = None
        db.session.flush()


# What helpdesk may revoke: a live binding, or one its organisation disabled (禁用) — the state is
# remembered either way, so 恢复 returns exactly there (a pending invitation comes back pending).
_REVOCABLE = (MembershipStatus.ACTIVE, MembershipStatus.PENDING, MembershipStatus.DISABLED)


def revoke_membership(membership: Membership, reason: str) -> None:
    """撤销: the binding stops working at the member's next click (the actor is re-checked per request)."""
    reason = clean_reason(reason)
    if membership.status_before_revoke is not None:
        raise WorkflowError("该经办绑定已撤销，无需重复操作")
    if membership.status not in _REVOCABLE:
        raise WorkflowError(f"状态为“{MembershipStatus.label(membership.status)}”的经办绑定不能撤销")
    what = f"撤销经办绑定：{membership.user.login} @ {membership.org.name}"
    with audit.audit_as(AuditAction.REVOKE, _summary(what, reason)):
        membership.status_before_revoke = membership.status
        membership.status = MembershipStatus.DISABLED
        db.session.flush()


def restore_membership(membership: Membership, reason: str) -> None:
    """恢复: a binding the helpdesk revoked returns to the status it had (待确认 stays waiting for the
    invitee). One its organisation disabled was not revoked: the organisation enables it (启用)."""
    reason = clean_reason(reason)
    before = membership.status_before_revoke
    if before is None:
        if membership.status == MembershipStatus.ACTIVE:
            raise WorkflowError("该经办绑定有效，无需恢复")
        if membership.status == MembershipStatus.DISABLED:
            raise WorkflowError("该经办绑定是单位自行禁用的，不是客服撤销的，请由该单位超级管理员启用")
        raise WorkflowError(
            f"只能恢复已撤销的经办绑定，该绑定状态为“{MembershipStatus.label(membership.status)}”"
        )
    what = f"恢复经办绑定（{MembershipStatus.label(before)}）：{membership.user.login} @ {membership.org.name}"
    with audit.audit_as(AuditAction.RESTORE, _summary(what, reason)):
        membership.status = before
        membership.status_before_revoke = None
        db.session.flush()


def find_unit(text: str | None, scope=None) -> Organisation:
    """The 法人单位 named by its 单位代码 (either code type) or its exact name; one, or WorkflowError.

    `scope` is an optional SQL condition (the actor's visibility of organisations).
    """
    wanted = (text or "").strip()
    if not wanted:
        raise WorkflowError("请填写新工作单位的单位代码或名称")
    codes = {normalize_uscc(wanted), normalize_org_code(wanted)}
    query = select(Organisation).where(
        employer_condition(),
        or_(Organisation.code.in_(codes), Organisation.name == wanted),
    )
    if scope is not None:
        query = query.where(scope)
    found = db.session.scalars(query.limit(3)).all()
    by_code = [org for org in found if org.code in codes]
    if len(by_code) == 1:
        return by_code[0]
    if not found:
        raise WorkflowError(f"未找到单位代码或名称为“{wanted[:50]}”的法人单位")
    if len(found) > 1:
        raise WorkflowError(f"名称为“{wanted[:50]}”的法人单位不止一个，请改用单位代码")
    return found[0]


def rebind_person(person: Person, unit: Organisation, reason: str) -> None:
    """Point the person at another approved, active 法人单位; the new unit must confirm (待单位确认)."""
    reason = clean_reason(reason)
    if not employs(unit):
        raise WorkflowError("只能绑定到法人单位")  # where only units employ; elsewhere every kind does
    if unit.status != ApplicationStatus.APPROVED or not unit.active:
        raise WorkflowError(f"“{unit.name}”尚未审核通过或已被移除权限，不能绑定")
    if person.unit_id == unit.id:
        raise WorkflowError(f"该人员已绑定“{unit.name}”，无需修改")
    old = person.unit.name if person.unit else "无"
    what = f"修改人员单位绑定：{person.name}，{old} → {unit.name}"
    with audit.audit_as(AuditAction.REBIND, _summary(what, reason)):
        person.unit_id = unit.id
        person.unit = unit
        person.binding_status = BindingStatus.PENDING
        db.session.flush()


def person_of(user: User) -> Person | None:
    """The 专业技术人员 record linked to an account, if any."""
    return db.session.scalar(select(Person).where(Person.user_id == user.id))
