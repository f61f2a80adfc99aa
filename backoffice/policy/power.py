"""Account power (DESIGN §4): a password reset never reaches an account whose power is beyond the
resetter's. Every reset path asks `reset_refusal(actor, user)`; nothing else decides who may reset whom.

The power of an account is everything it can act as, now or again later:

- its system role (系统管理员, 运维);
- its memberships that have not ended: 待确认 (the invitee may still accept), 有效, and 已禁用 (the
  organisation may enable it, the helpdesk may restore it). 已拒绝 and 已解除 have ended;
- its Person record (the personal context), and the unit it is confirmed at, if any.

The power a resetter holds over other accounts:

- 运维 / 客服: every account except a system account. A system account is reset on the server
  (`flask reset-password LOGIN`), never through a screen.
- an organisation's super admin: the accounts whose whole power lies inside that organisation —
  memberships of that organisation only, all accepted (有效 or 已禁用), no system role, and a Person
  record only if it is confirmed at that same organisation.
- a unit: person-only accounts (no membership that has not ended, no system role) whose person is
  confirmed (已确认, not 待单位确认) at that unit. So does any organisation employing professionals of its
  own (HR, industry departments, institutions where the province's rule says so: issue 13 item 2).
- an HR department: person-only accounts whose person is confirmed at an employer in its region.
- anyone else (industry departments and institutions beyond their own staff, 系统管理员, a person): no account. 系统管理员 manages
  dictionaries; its own password, like every system account's, is reset on the server.

The rule is the same whichever screen is used, so a super admin who opens 专业技术人员信息查询 has the
power of both its roles, and an ordinary operator of the unit only the unit's.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..labels import ActorKind, BindingStatus, MembershipStatus
from ..models import Membership, Organisation, Person, User
from ..provinces import employs, for_actor
from .actor import Actor

#: memberships that can make the account act for an organisation, now or later
NOT_ENDED = (MembershipStatus.PENDING, MembershipStatus.ACTIVE, MembershipStatus.DISABLED)
#: memberships the invitee accepted: only these put an account under its organisation's power
ACCEPTED = (MembershipStatus.ACTIVE, MembershipStatus.DISABLED)
#: who may reset the password of people in 专业技术人员信息查询
PEOPLE_RESETTERS = (ActorKind.UNIT, ActorKind.HR)

HELPDESK = "客服"
SERVER = "系统管理员（服务器命令）"

SELF = "不能重置自己的密码，请使用“修改密码”"
SYSTEM_ACCOUNT = "系统管理员和运维账号不能在此重置密码，须由服务器管理员执行 flask reset-password 命令重置"
OTHER_ORG = "该账号还在其他单位担任经办人，请联系客服重置密码"
NOT_ACCEPTED = "该账号尚未通过本单位的绑定申请，不能重置其密码，请联系客服"
OWN_MEMBER = "该账号是本单位的经办人员，请由本单位超级管理员在“单位经办人员”中重置密码"
PERSON_ELSEWHERE = "该账号的专业技术人员信息不是本单位已确认的人员，请联系客服重置密码"
WAITING = "该人员尚待本单位确认（待单位确认），不能重置其密码；请先在“专业技术人员信息确认”中确认，或请本人联系客服"
NOT_CONFIRMED_HERE = "该人员不是本单位已确认的人员，请联系客服重置密码"
NOT_IN_REGION = "该人员不是本地区单位已确认的人员，请联系客服重置密码"
NO_PEOPLE_RESET = "行业主管部门不能重置专业技术人员的密码，请本人联系客服"
NO_POWER = "您无权重置该账号的密码，请联系客服"


@dataclass(frozen=True)
class Power:
    """What an account can act as: see the module docstring."""

    system_role: str | None
    memberships: tuple[tuple[int, str], ...]  # (organisation id, status) of the not-ended ones
    has_person: bool
    person_unit_id: int | None = None
    person_binding: str | None = None

    @property
    def person_only(self) -> bool:
        return self.has_person and not self.system_role and not self.memberships

    @property
    def confirmed_unit_id(self) -> int | None:
        return self.person_unit_id if self.person_binding == BindingStatus.CONFIRMED else None


def power_of(user: User) -> Power:
    """The account's power, read from the database (two small indexed queries)."""
    memberships = db.session.execute(
        select(Membership.org_id, Membership.status)
        .where(Membership.user_id == user.id, Membership.status.in_(NOT_ENDED))
        .order_by(Membership.org_id)
    ).all()
    person = db.session.execute(
        select(Person.unit_id, Person.binding_status).where(Person.user_id == user.id)
    ).first()
    return Power(
        system_role=user.system_role,
        memberships=tuple((org_id, status) for org_id, status in memberships),
        has_person=person is not None,
        person_unit_id=person.unit_id if person else None,
        person_binding=person.binding_status if person else None,
    )


def may_reset_people(actor: Actor | None) -> bool:
    """Whether 专业技术人员信息查询 offers 重置密码 to this actor at all: units and HR; industry departments
    and institutions only where they have staff of their own (信息维护 granted by the province's rule)."""
    return actor is not None and (actor.kind in PEOPLE_RESETTERS or actor.can_use("person_maintain"))


def reset_label(actor: Actor) -> str:
    """How the owner is told who reset the password: the organisation's name, or 客服."""
    return HELPDESK if actor.kind == ActorKind.HELPDESK else actor.label


def reset_refusal(actor: Actor | None, user: User) -> str | None:
    """None when `actor` may reset `user`'s password; otherwise the Chinese reason, naming where to go."""
    if actor is None:
        return NO_POWER
    if user.id == actor.user_id:
        return SELF
    power = power_of(user)
    if actor.kind == ActorKind.HELPDESK:
        return SYSTEM_ACCOUNT if power.system_role else None
    if power.system_role:
        return SYSTEM_ACCOUNT
    if actor.org_id is None:  # 系统管理员, a person
        return NO_POWER
    if any(org_id != actor.org_id for org_id, _ in power.memberships):
        return OTHER_ORG
    if power.memberships:  # every one of them is with the actor's organisation
        return _as_super_admin(actor, power)
    return _as_person_resetter(actor, power)


def _as_super_admin(actor: Actor, power: Power) -> str | None:
    if not actor.is_super_admin:
        return OWN_MEMBER
    if any(status not in ACCEPTED for _, status in power.memberships):
        return NOT_ACCEPTED
    if power.has_person and power.confirmed_unit_id != actor.org_id:
        return PERSON_ELSEWHERE
    return None


def _as_person_resetter(actor: Actor, power: Power) -> str | None:
    """A person-only account (no membership, no system role) reached through the person record."""
    if not power.person_only:
        return NO_POWER if actor.kind != ActorKind.INDUSTRY else NO_PEOPLE_RESET
    # an employer (a unit; HR, an industry department or an institution with staff of its own where the
    # province's rule says so) resets its own confirmed people
    employer = actor.kind in for_actor(actor).employer_kinds
    if employer and power.confirmed_unit_id is not None and power.confirmed_unit_id == actor.org_id:
        return None
    if actor.kind == ActorKind.INDUSTRY:
        return NO_PEOPLE_RESET
    if actor.kind not in PEOPLE_RESETTERS:
        return NO_POWER
    if actor.kind == ActorKind.UNIT:
        if power.person_unit_id == actor.org_id and power.person_binding == BindingStatus.PENDING:
            return WAITING
        return NOT_CONFIRMED_HERE
    if power.confirmed_unit_id is None:
        return NOT_IN_REGION
    employer = db.session.get(Organisation, power.confirmed_unit_id)
    low, high = actor.region_bounds
    # HR: people confirmed at an employer of its region (the region's own HR and departments included)
    if employer is None or not employs(employer) or not low <= employer.region_code <= high:
        return NOT_IN_REGION
    return None
