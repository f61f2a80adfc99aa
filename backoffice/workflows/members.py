"""单位经办人员 and 角色管理: what an organisation does with its own operators and roles (its 内设部门 are
in workflows/departments.py).

What these operations guarantee:

- Only the acting organisation's super admin manages members and roles, and only rows of that
  organisation (checked here again, whatever the screen already filtered).
- 新增经办人 has the three ways of manual 002 (新增管理员), each the super admin's, each audited:
  a) 选择本单位人员（选择成为管理员）, `pick_member`: a person confirmed at this organisation who owns a
     personal account. The binding starts 有效 when the account's whole power already lies in this
     organisation — a person-only account confirmed here, which the organisation may already reset
     (`policy.power`): binding it grants the owner a context and takes nothing over. Any other account
     (an operator elsewhere, or one that refused this organisation before) gets a 待确认 request its
     owner accepts, as in (c). Another organisation's person, an unconfirmed one, one without an
     account and one already bound (待确认 / 有效 / 已禁用) are refused and nothing changes.
  b) 注册新账号（注册成为管理员）, `register_member`: a new account (the registration form's fields and
     checks) with an 有效 binding, in one savepoint, so its whole power lies in this organisation. The
     super admin chose the password, so the owner must change it at the first sign-in. No 专业技术人员
     record is created: the account is registered as an operator, not as a professional (the demo's
     operators have none either). A person this organisation recorded and confirmed, without an
     account, is linked to it, as 个人用户注册 links them; an ID number recorded anywhere else is
     refused (linking it would hand another organisation's person to an account whose password this
     organisation set).
  c) 添加已注册账号（添加成为管理员）, `invite_member`: binding a personal account needs its login name
     *and* its ID number; a wrong pair gets one message whichever half is wrong, so the screen cannot
     be used to find out which accounts exist. The binding stays 待确认 until the invited user accepts
     it on 我经办的单位账号 (no password is asked: the owner's acceptance is the proof).
- Membership moves are conditional UPDATEs (`WHERE status IN (...) AND NOT is_super_admin`): a row
  changed meanwhile by someone else is reported, never overwritten. The super admin's own membership
  is touched only by handing the role over, which clears the old flag and sets the new one in one
  savepoint, conditionally, so two hand-overs at once leave exactly one super admin.
- A temporary password is returned to be shown once; it is never stored or logged. Only an account
  whose whole power lies in this organisation can be reset (`policy.power`).
- A binding the helpdesk revoked (its earlier state remembered) is enabled again only by the
  helpdesk's 恢复, never by the organisation's 启用.

Every change is audited; functions flush, never commit (the request commits once).
"""
import hmac

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..labels import AuditAction, BindingStatus, MembershipStatus, OrgKind
from ..models import Membership, Organisation, OrgRole, Person, User, membership_role
from ..models.base import utcnow
from ..policy import MODULES, Actor, grantable_modules, power_of, visible
from ..validators import check_citizen_id, check_login_name, check_mobile, check_password
from . import WorkflowError
from .accounts import reset_password
from .registration import JUST_TAKEN, RESIDENT_ID, RegistrationError, account_taken, link_unheld_person

NAME_MAX = 50
BAD_ACCOUNT = "账号或证件号码不正确"
NOT_SUPER_ADMIN = "只有本单位的超级管理员可以进行此操作"
FOREIGN = "该记录不属于本单位"


# ---- guards ------------------------------------------------------------------------------------


def _require_super_admin(actor: Actor) -> None:
    if actor is None or actor.org_id is None or not actor.is_super_admin:
        raise WorkflowError(NOT_SUPER_ADMIN)


def require_own(actor: Actor, row) -> None:
    if row is None or row.org_id != actor.org_id:
        raise WorkflowError(FOREIGN)


def _require_other_member(membership: Membership, actor: Actor) -> None:
    """The super admin's own binding is changed only by handing the role over."""
    if membership.id == actor.membership_id:
        raise WorkflowError("不能对自己的账号进行此操作")
    if membership.is_super_admin:
        raise WorkflowError("不能对超级管理员进行此操作，请先将超级管理员移交给其他经办人员")


# ---- binding: invite, accept, refuse -----------------------------------------------------------


def _same_id_number(stored: str | None, given: str) -> bool:
    return hmac.compare_digest((stored or "").strip().upper().encode(), given.strip().upper().encode())


def _already_bound(membership: Membership | None, user: User) -> None:
    """A binding that has not ended (待确认 / 有效 / 已禁用) is not asked for again."""
    if membership is None:
        return
    if membership.status == MembershipStatus.PENDING:
        raise WorkflowError(f"已向{user}发出绑定申请，正在等待对方确认")
    if membership.status in (MembershipStatus.ACTIVE, MembershipStatus.DISABLED):
        raise WorkflowError(f"{user}已是本单位的经办人员（{MembershipStatus.label(membership.status)}）")


def _binding_of(user: User, org: Organisation) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id, Membership.org_id == org.id))


def _bind(user: User, org: Organisation, membership: Membership | None, status: str, summary: str) -> Membership:
    """A new binding of `user` to `org` in `status`, or an ended one (已拒绝 / 已解除) opened again on
    its row (one row per user and organisation) without its old roles. Both hold under races: the
    insert by the unique key, the re-opening by a conditional UPDATE on the state it was read in."""
    with audit.audit_as(AuditAction.MEMBERSHIP, summary):
        if membership is None:
            membership = Membership(user_id=user.id, org_id=org.id, status=status, is_super_admin=False)
            try:
                with db.session.begin_nested():
                    db.session.add(membership)
            except IntegrityError:  # the same request sent twice at once: the first one stands
                raise WorkflowError(f"{user}刚刚已被添加为本单位的经办人员或已向其发出绑定申请，请刷新页面") from None
            return membership
        before = membership.status
        reopened = db.session.execute(
            update(Membership)
            .where(
                Membership.id == membership.id,
                Membership.status == before,
                Membership.status.in_((MembershipStatus.REFUSED, MembershipStatus.REMOVED)),
            )
            .values(status=status, is_super_admin=False, status_before_revoke=None, created_at=utcnow(),
                    updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        ).rowcount
        if reopened != 1:
            db.session.refresh(membership)
            raise WorkflowError(
                f"该经办绑定的状态已变为“{MembershipStatus.label(membership.status)}”，请刷新页面后重试"
            )
        membership.roles = []
        db.session.flush()
    audit.record(
        AuditAction.MEMBERSHIP, obj=membership, summary=summary, before={"status": before}, after={"status": status}
    )
    return membership


def invite_member(org: Organisation, login: str, id_number: str, actor: Actor) -> Membership:
    """添加已注册账号（添加成为管理员）: ask the account (login + its ID number) to act for `org`; it
    must accept. A refused or removed binding is re-opened as a new request; a pending, active or
    disabled one is refused with a message saying which.
    """
    _require_super_admin(actor)
    if org is None or org.id != actor.org_id:
        raise WorkflowError(FOREIGN)
    login, id_number = (login or "").strip(), (id_number or "").strip()
    if not login or not id_number:
        raise WorkflowError("请输入登录账号和证件号码")
    user = db.session.scalar(select(User).where(func.lower(User.login) == login.lower()))
    # One message for an unknown login, a wrong ID number and a system account: nothing to enumerate.
    if user is None or user.system_role or not _same_id_number(user.id_number, id_number):
        raise WorkflowError(BAD_ACCOUNT)
    membership = _binding_of(user, org)
    _already_bound(membership, user)
    return _bind(user, org, membership, MembershipStatus.PENDING, f"新增经办人：{user.login}（{org.name}）")


# ---- 选择成为管理员 (a) and 注册成为管理员 (b) ------------------------------------------------------


NOT_OURS = "只能选择本单位已确认的专业技术人员"
NO_ACCOUNT = "该人员尚未注册个人账号，请使用“注册新账号（注册成为管理员）”"
SYSTEM_MEMBER = "系统管理员和运维账号不能成为单位经办人员"
LOGIN_TAKEN_HERE = "该登录账号已被注册，请换一个"
ID_TAKEN_HERE = "该证件号码已注册，请使用“添加已注册账号（添加成为管理员）”"
ID_ELSEWHERE = "该证件号码不能在此注册：请本人在登录页“个人用户注册”后，再使用“添加已注册账号（添加成为管理员）”"


def own_people(actor: Actor):
    """The acting organisation's own people within the actor's scope (a SQL condition on Person): what
    选择成为管理员 may name at all; anyone else is as if they did not exist."""
    return and_(visible(Person, actor), Person.unit_id == actor.org_id)


def pickable(actor: Actor):
    """Who 选择成为管理员 offers: the organisation's own people, confirmed there, who own an account."""
    return and_(own_people(actor), Person.binding_status == BindingStatus.CONFIRMED, Person.user_id.is_not(None))


def pick_member(org: Organisation, person: Person, actor: Actor) -> Membership:
    """选择本单位人员（选择成为管理员）: bind the account of a person confirmed at `org`.

    有效 at once when the account acts for nothing but this person, confirmed here; otherwise (other
    bindings, or a binding this account refused before) a 待确认 request its owner accepts."""
    _require_super_admin(actor)
    if org is None or org.id != actor.org_id:
        raise WorkflowError(FOREIGN)
    if person is None or person.unit_id != org.id:
        raise WorkflowError(NOT_OURS)
    if person.binding_status != BindingStatus.CONFIRMED:
        raise WorkflowError(
            f"{person.name}当前为“{BindingStatus.label(person.binding_status)}”，只能选择本单位已确认的专业技术人员"
        )
    if person.user_id is None:
        raise WorkflowError(NO_ACCOUNT)
    user = db.session.get(User, person.user_id)
    if user.system_role:
        raise WorkflowError(SYSTEM_MEMBER)
    membership = _binding_of(user, org)
    _already_bound(membership, user)
    power = power_of(user)
    wholly_ours = power.person_only and power.confirmed_unit_id == org.id
    refused_before = membership is not None and membership.status == MembershipStatus.REFUSED
    status = MembershipStatus.ACTIVE if wholly_ours and not refused_before else MembershipStatus.PENDING
    return _bind(user, org, membership, status, f"新增经办人（选择本单位人员）：{user.login}（{org.name}）")


def _account_problem(data: dict, password: str) -> RegistrationError | None:
    """The registration form's checks once more, for a call that did not come through the form."""
    checks = [
        ("login", check_login_name(data.get("login"))),
        ("password", check_password(password, data.get("login"))),
        ("mobile", check_mobile(data.get("mobile"))),
    ]
    if data.get("id_type") == RESIDENT_ID:
        checks.append(("id_number", check_citizen_id(data.get("id_number"))))
    for field in ("login", "real_name", "id_type", "id_number"):
        if not (data.get(field) or "").strip():
            checks.insert(0, (field, "请填写完整的账号信息"))
    return next((RegistrationError(field, error) for field, error in checks if error), None)


def register_member(org: Organisation, data: dict, password: str, actor: Actor) -> Membership:
    """注册新账号（注册成为管理员）: a new personal account, bound 有效 to `org`, in one savepoint.

    `data` holds login, real_name, mobile, id_type, id_number (the registration form's fields). A
    login or ID document already registered is refused (`RegistrationError` names the field); the
    owner must change the password at the first sign-in."""
    _require_super_admin(actor)
    if org is None or org.id != actor.org_id:
        raise WorkflowError(FOREIGN)
    data = {name: (data.get(name) or "").strip() for name in ("login", "real_name", "mobile", "id_type", "id_number")}
    problem = _account_problem(data, password)
    if problem is not None:
        raise problem
    taken = account_taken(data["login"], data["id_type"], data["id_number"])
    if taken is not None:
        raise RegistrationError(taken.field, LOGIN_TAKEN_HERE if taken.field == "login" else ID_TAKEN_HERE)
    person = None
    if data["id_type"] == RESIDENT_ID:
        person = db.session.scalar(select(Person).where(Person.id_number == data["id_number"]))
        if person is not None and not _ours_without_account(person, org):
            raise RegistrationError("id_number", ID_ELSEWHERE)
    user = User(**data, must_change_password=True)
    user.set_password(password)
    summary = f"新增经办人（注册新账号）：{user.login}（{org.name}）"
    try:
        with db.session.begin_nested(), audit.audit_as(AuditAction.MEMBERSHIP, summary):
            db.session.add(user)
            db.session.flush()
            if person is not None:
                _link_recorded_person(person, user, org)
            membership = Membership(
                user_id=user.id, org_id=org.id, status=MembershipStatus.ACTIVE, is_super_admin=False
            )
            db.session.add(membership)
            db.session.flush()
    except IntegrityError:  # the same login or ID document registered a moment ago
        raise RegistrationError("login", JUST_TAKEN) from None
    return membership


def _ours_without_account(person: Person, org: Organisation) -> bool:
    return person.user_id is None and person.unit_id == org.id and person.binding_status == BindingStatus.CONFIRMED


def _link_recorded_person(person: Person, user: User, org: Organisation) -> None:
    """The person this organisation recorded gets the new account, as 个人用户注册 would link them;
    only while still confirmed here and without an account (a conditional UPDATE)."""
    if not link_unheld_person(person, user, Person.unit_id == org.id, AuditAction.MEMBERSHIP):
        raise RegistrationError("id_number", ID_ELSEWHERE)


def _answer_binding(membership: Membership, user: User, target: str, verb: str) -> None:
    if membership is None or membership.user_id != user.id:
        raise WorkflowError("绑定申请不存在")
    changed = db.session.execute(
        update(Membership)
        .where(
            Membership.id == membership.id,
            Membership.user_id == user.id,
            Membership.status == MembershipStatus.PENDING,
        )
        .values(status=target, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(membership)
        raise WorkflowError(
            f"该绑定申请已处理，当前状态为“{MembershipStatus.label(membership.status)}”"
        )
    audit.record(
        AuditAction.MEMBERSHIP,
        user_id=user.id,
        obj=membership,
        summary=f"{verb}绑定申请：{membership.org.name}",
        before={"status": MembershipStatus.PENDING},
        after={"status": target},
    )


def accept_binding(membership: Membership, user: User) -> None:
    """通过申请: the invited user accepts; the organisation then appears on 选择单位账号."""
    _answer_binding(membership, user, MembershipStatus.ACTIVE, "通过")


def refuse_binding(membership: Membership, user: User) -> None:
    """拒绝: the invited user declines; the organisation may invite again later."""
    _answer_binding(membership, user, MembershipStatus.REFUSED, "拒绝")


# ---- managing members --------------------------------------------------------------------------

#: move → (states it applies to, resulting state, the word on the button)
MOVES = {
    "enable": ((MembershipStatus.DISABLED,), MembershipStatus.ACTIVE, "启用"),
    "disable": ((MembershipStatus.ACTIVE,), MembershipStatus.DISABLED, "禁用"),
    "remove": (
        (MembershipStatus.PENDING, MembershipStatus.ACTIVE, MembershipStatus.DISABLED),
        MembershipStatus.REMOVED,
        "删除",
    ),
}


def _move(membership: Membership, actor: Actor, move: str) -> None:
    _require_super_admin(actor)
    require_own(actor, membership)
    _require_other_member(membership, actor)
    sources, target, verb = MOVES[move]
    before = membership.status
    conditions = [
        Membership.id == membership.id,
        Membership.org_id == actor.org_id,
        Membership.status.in_(sources),
        Membership.is_super_admin.is_(False),
    ]
    if move == "enable":  # a binding the helpdesk revoked comes back only through the helpdesk
        conditions.append(Membership.status_before_revoke.is_(None))
    changed = db.session.execute(
        update(Membership)
        .where(*conditions)
        .values(status=target, status_before_revoke=None, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(membership)
        if move == "enable" and membership.status_before_revoke is not None:
            raise WorkflowError("该经办绑定已被客服撤销，请联系客服恢复")
        if membership.is_super_admin:
            raise WorkflowError("该经办人员已是超级管理员，不能进行此操作")
        if move == "disable" and membership.status == MembershipStatus.PENDING:
            raise WorkflowError("对方尚未通过绑定申请，不能禁用，可直接删除")
        raise WorkflowError(f"当前状态为“{MembershipStatus.label(membership.status)}”，不能{verb}")
    if target == MembershipStatus.REMOVED and membership.roles:
        membership.roles = []  # a later re-invitation starts without the old permissions
        db.session.flush()
    audit.record(
        AuditAction.MEMBERSHIP,
        obj=membership,
        summary=f"{verb}经办人员：{membership.user}",
        before={"status": before},
        after={"status": target},
    )


def enable_member(membership: Membership, actor: Actor) -> None:
    _move(membership, actor, "enable")


def disable_member(membership: Membership, actor: Actor) -> None:
    """禁用: the member can no longer act for the organisation (from its next click)."""
    _move(membership, actor, "disable")


def remove_member(membership: Membership, actor: Actor) -> None:
    """删除 (已解除): the binding ends and its roles are withdrawn; the account itself stays."""
    _move(membership, actor, "remove")


def reset_member_password(membership: Membership, actor: Actor) -> str:
    """重置密码 of a member who accepted the binding; returns the temporary password to show once.

    Only when the account acts for nothing but this organisation (`policy.reset_refusal`, checked in
    `accounts.reset_password`): a member who also works for another organisation, holds a system role
    or is a person of another unit is refused with the way to the helpdesk.
    """
    _require_super_admin(actor)
    require_own(actor, membership)
    _require_other_member(membership, actor)
    if membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.DISABLED):
        raise WorkflowError(
            f"当前状态为“{MembershipStatus.label(membership.status)}”，只能重置本单位在职经办人员的密码"
        )
    return reset_password(membership.user, actor, reason="单位超级管理员重置")


def make_super_admin(membership: Membership, actor: Actor) -> None:
    """设为超级管理员: hand the role over; the old super admin stays as an ordinary member.

    Both flags move in one savepoint, each by a conditional UPDATE: the first succeeds only while the
    actor still is the super admin, so of two hand-overs at once exactly one happens.
    """
    _require_super_admin(actor)
    require_own(actor, membership)
    if membership.id == actor.membership_id:
        raise WorkflowError("您已是本单位的超级管理员")
    if membership.status != MembershipStatus.ACTIVE:
        raise WorkflowError(
            f"当前状态为“{MembershipStatus.label(membership.status)}”，只能将有效的经办人员设为超级管理员"
        )
    if not membership.user.active:
        raise WorkflowError("该经办人员的账号已停用，不能设为超级管理员")
    with db.session.begin_nested():
        stepped_down = db.session.execute(
            update(Membership)
            .where(
                Membership.id == actor.membership_id,
                Membership.org_id == actor.org_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.is_super_admin.is_(True),
            )
            .values(is_super_admin=False, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        ).rowcount
        if stepped_down != 1:
            raise WorkflowError("您已不是本单位的超级管理员，请刷新页面")
        promoted = db.session.execute(
            update(Membership)
            .where(
                Membership.id == membership.id,
                Membership.org_id == actor.org_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.is_super_admin.is_(False),
            )
            .values(is_super_admin=True, updated_at=utcnow())
            .execution_options(synchronize_session="fetch")
        ).rowcount
        if promoted != 1:
            raise WorkflowError("该经办人员的状态已变化，请刷新页面后重试")
    db.session.refresh(membership)
    audit.record(
        AuditAction.MEMBERSHIP,
        obj=membership,
        summary=f"设为超级管理员：{membership.user}",
        before={"super_admin_membership_id": actor.membership_id},
        after={"super_admin_membership_id": membership.id},
    )


def set_roles(membership: Membership, roles, actor: Actor) -> None:
    """分配角色: the member's menus become the union of these roles' modules."""
    _require_super_admin(actor)
    require_own(actor, membership)
    _require_other_member(membership, actor)
    if membership.status in (MembershipStatus.REFUSED, MembershipStatus.REMOVED):
        raise WorkflowError(f"当前状态为“{MembershipStatus.label(membership.status)}”，不能分配角色")
    roles = list(dict.fromkeys(roles or []))
    if any(role.org_id != actor.org_id for role in roles):
        raise WorkflowError("只能分配本单位的角色")
    before = sorted(role.name for role in membership.roles)
    membership.roles = roles
    db.session.flush()
    after = sorted(role.name for role in roles)
    if before != after:
        audit.record(
            AuditAction.MEMBERSHIP,
            obj=membership,
            summary=f"分配角色：{membership.user}",
            before={"roles": before},
            after={"roles": after},
        )


# ---- roles -------------------------------------------------------------------------------------


def clean_name(name: str | None, what: str) -> str:
    name = (name or "").strip()
    if not name:
        raise WorkflowError(f"请输入{what}")
    if len(name) > NAME_MAX:
        raise WorkflowError(f"{what}限{NAME_MAX}字")
    return name


def role_module_choices(actor: Actor) -> list[tuple[str, str]]:
    """The modules a super admin may put into a role: those of its kind a role may grant, and that the
    organisation itself has — its 隶属关系 (a county has no 目录指南发布) and its province's rules (a
    Guangdong HR employs nobody) leave the others out."""
    return [(m.code, m.label) for m in grantable_modules(actor.kind) if m.code in actor.modules]


def save_role(role: OrgRole | None, actor: Actor, *, name: str, modules) -> OrgRole:
    """新增 / 编辑角色: a unique name within the organisation and modules its kind may grant."""
    _require_super_admin(actor)
    if role is not None:
        require_own(actor, role)
    name = clean_name(name, "角色名称")
    allowed = [code for code, _ in role_module_choices(actor)]
    wanted = set(modules or [])
    refused = sorted(wanted - set(allowed))
    if refused:
        labels = "、".join(MODULES[c].label if c in MODULES else c for c in refused)
        raise WorkflowError(f"以下权限模块不能授予{OrgKind.label(actor.kind)}的角色：{labels}")
    taken = select(OrgRole.id).where(OrgRole.org_id == actor.org_id, OrgRole.name == name)
    if role is not None and role.id is not None:
        taken = taken.where(OrgRole.id != role.id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(f"角色名称“{name}”已存在")
    if role is None:
        role = OrgRole(org_id=actor.org_id)
        db.session.add(role)
    role.name = name
    role.modules = [code for code in allowed if code in wanted]  # stable order: the menu's
    db.session.flush()
    return role


def delete_role(role: OrgRole, actor: Actor) -> int:
    """删除角色: members holding it lose its modules. Returns how many members held it."""
    _require_super_admin(actor)
    require_own(actor, role)
    holders = list(
        db.session.scalars(
            select(Membership).join(membership_role).where(membership_role.c.role_id == role.id)
        )
    )
    if holders:
        audit.record(
            AuditAction.MEMBERSHIP,
            obj=role,
            summary=f"删除角色“{role.name}”，收回{len(holders)}名经办人员的该角色",
            before={"membership_ids": [m.id for m in holders]},
        )
    db.session.execute(delete(membership_role).where(membership_role.c.role_id == role.id))
    for membership in holders:
        db.session.expire(membership, ["roles"])
    db.session.delete(role)
    db.session.flush()
    return len(holders)
