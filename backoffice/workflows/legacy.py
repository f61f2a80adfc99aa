"""历史信息绑定 (000 §1.10.1): a 法人单位 proves it is an old-system unit and takes over its history.

Three ways to prove it, each ending in the same `_bind`:

- 绑定历史学员 (direct): the current unit's own name and code are an old unit's name and code.
- 方案一: the old unit's name and code, typed in.
- 方案二: three old people's 姓名 + 身份证, all three of one old unit.

What a bind guarantees:

- It only ever attaches to the *acting* unit (`actor.org_id`); a user who acts for two units binds for
  the one they chose at sign-in, never the other.
- An old unit bound to another unit is refused: the bind is a conditional UPDATE (`bound_unit_id IS NULL
  OR = mine`), so two units racing for one old unit cannot both win.
- Each old person is linked to the current person with the same ID number who is confirmed *at this
  unit* — nobody else's people are touched. Binding again later links people who joined since.
- Wrong answers (方案一 / 方案二, and a refused bind) are written to the 操作日志 as 绑定验证失败; after
  `LEGACY_BIND_MAX_FAILURES` of them within `LEGACY_BIND_WINDOW_MINUTES` by the unit or the user, every
  further try is refused until the window has passed, so three ID numbers cannot be guessed. Per-address
  request limits (auth/limits.py, RATELIMIT_LEGACY_BIND) come on top.
- Every bind is audited (历史信息绑定) with the old unit, how it was proved and how many people were linked.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import exists, func, or_, select, update

from .. import audit
from ..extensions import db
from ..labels import ActorKind, AuditAction, BindingStatus
from ..models import AuditLog, LegacyPerson, LegacyUnit, Organisation, Person
from ..models.base import utcnow
from ..policy import Actor
from ..validators import normalize_citizen_id
from . import WorkflowError

DIRECT, SCHEME_ONE, SCHEME_TWO = "直接绑定", "方案一", "方案二"
NO_DIRECT_MATCH = "旧系统中没有与当前单位名称和单位代码一致的单位，请使用方案一或方案二验证并绑定历史学员"
WRONG_UNIT = "旧系统单位名称与旧系统单位代码不匹配，请核对后重试"
WRONG_PEOPLE = "三名旧系统学员的姓名与身份证不匹配，或不属于同一个旧系统单位，请核对后重试"
TAKEN = "该旧系统单位已由其他单位绑定，不能重复绑定；如有疑问请联系上级人社部门"
TOO_MANY = "验证失败次数过多，请{minutes}分钟后再试"
NOT_A_UNIT = "只有法人单位可以绑定历史数据"


@dataclass
class BindOutcome:
    legacy_unit: LegacyUnit
    linked: int  # old people linked to current people by this bind
    again: bool  # the old unit was already bound to this unit

    def message(self) -> str:
        if self.again:
            return f"已绑定旧系统单位“{self.legacy_unit.name}”，本次新关联历史学员{self.linked}人"
        return f"已绑定旧系统单位“{self.legacy_unit.name}”，关联历史学员{self.linked}人"


class BindRefused(WorkflowError):
    """A wrong answer: counted towards the limit."""


def _unit(actor: Actor) -> Organisation:
    if actor is None or actor.kind != ActorKind.UNIT or actor.org_id is None:
        raise WorkflowError(NOT_A_UNIT)
    return db.session.get(Organisation, actor.org_id)


def _limits() -> tuple[int, int]:
    config = current_app.config
    return int(config.get("LEGACY_BIND_MAX_FAILURES", 5)), int(config.get("LEGACY_BIND_WINDOW_MINUTES", 60))


def recent_failures(actor: Actor) -> int:
    """Wrong answers of this unit or this user within the window (read from the 操作日志, so every worker
    counts the same)."""
    _, minutes = _limits()
    since = utcnow() - timedelta(minutes=minutes)
    return db.session.scalar(
        select(func.count()).select_from(AuditLog).where(
            AuditLog.action == AuditAction.LEGACY_BIND_FAILED,
            AuditLog.created_at >= since,
            or_(AuditLog.org_id == actor.org_id, AuditLog.user_id == actor.user_id),
        )
    ) or 0


def _check_not_locked(actor: Actor) -> None:
    most, minutes = _limits()
    if recent_failures(actor) >= most:
        raise WorkflowError(TOO_MANY.format(minutes=minutes))


def record_failure(actor: Actor, how: str, reason: str) -> None:
    """Log one wrong answer (the caller commits it even though the bind itself changed nothing)."""
    audit.record(AuditAction.LEGACY_BIND_FAILED, user_id=actor.user_id, org_id=actor.org_id,
                 summary=f"历史信息绑定（{how}）验证失败：{reason}")


def _bind(legacy_unit: LegacyUnit, actor: Actor, how: str) -> BindOutcome:
    again = legacy_unit.bound_unit_id == actor.org_id
    if not again:
        won = db.session.execute(
            update(LegacyUnit)
            .where(LegacyUnit.id == legacy_unit.id, LegacyUnit.bound_unit_id.is_(None))
            .values(bound_unit_id=actor.org_id, bound_at=utcnow(), bound_by_user_id=actor.user_id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not won:
            raise BindRefused(TAKEN)
        db.session.refresh(legacy_unit)
    linked = _link_people(legacy_unit, actor.org_id)
    audit.record(
        AuditAction.LEGACY_BIND, obj=legacy_unit,
        summary=f"历史信息绑定（{how}）：{legacy_unit}，关联历史学员{linked}人",
        after={"bound_unit_id": actor.org_id, "linked": linked},
    )
    return BindOutcome(legacy_unit, linked, again)


def _link_people(legacy_unit: LegacyUnit, unit_id: int) -> int:
    """Link the old unit's unlinked people to the people confirmed at `unit_id` with their ID number."""
    current = select(Person.id).where(
        Person.id_number == LegacyPerson.id_number,
        Person.unit_id == unit_id,
        Person.binding_status == BindingStatus.CONFIRMED,
    ).scalar_subquery()
    return db.session.execute(
        update(LegacyPerson)
        .where(
            LegacyPerson.legacy_unit_id == legacy_unit.id,
            LegacyPerson.person_id.is_(None),
            exists(current),
        )
        .values(person_id=current)
        .execution_options(synchronize_session=False)
    ).rowcount


def bind_direct(actor: Actor) -> BindOutcome:
    """绑定历史学员: the current name and code are an old unit's."""
    unit = _unit(actor)
    _check_not_locked(actor)
    legacy_unit = db.session.scalar(
        select(LegacyUnit).where(LegacyUnit.code == (unit.code or "").upper(), LegacyUnit.name == unit.name)
    )
    if legacy_unit is None:
        raise WorkflowError(NO_DIRECT_MATCH)
    return _bind(legacy_unit, actor, DIRECT)


def bind_by_unit(actor: Actor, old_name: str, old_code: str) -> BindOutcome:
    """方案一: the old unit's name and code."""
    _unit(actor)
    _check_not_locked(actor)
    legacy_unit = db.session.scalar(
        select(LegacyUnit).where(LegacyUnit.code == old_code.strip().upper(), LegacyUnit.name == old_name.strip())
    )
    if legacy_unit is None:
        raise BindRefused(WRONG_UNIT)
    return _bind(legacy_unit, actor, SCHEME_ONE)


def bind_by_people(actor: Actor, people: list[tuple[str, str]]) -> BindOutcome:
    """方案二: three different old people (姓名, 身份证), each matching, all of one old unit."""
    _unit(actor)
    _check_not_locked(actor)
    wanted = {normalize_citizen_id(number): name.strip() for name, number in people}
    if len(people) != 3 or len(wanted) != 3:
        raise BindRefused(WRONG_PEOPLE)
    found = db.session.execute(
        select(LegacyPerson.id_number, LegacyPerson.name, LegacyPerson.legacy_unit_id)
        .where(LegacyPerson.id_number.in_(list(wanted)))
    ).all()
    units = {row.legacy_unit_id for row in found}
    if len(found) != 3 or len(units) != 1 or any(wanted[row.id_number] != row.name for row in found):
        raise BindRefused(WRONG_PEOPLE)
    return _bind(db.session.get(LegacyUnit, units.pop()), actor, SCHEME_TWO)


def bound_units(actor: Actor) -> list[LegacyUnit]:
    """The old units bound to the acting unit, with how many of their people are linked."""
    return list(db.session.scalars(
        select(LegacyUnit).where(LegacyUnit.bound_unit_id == actor.org_id).order_by(LegacyUnit.bound_at, LegacyUnit.id)
    ))


def people_counts(unit_ids: list[int]) -> dict[int, tuple[int, int]]:
    """old unit id → (its old people, those linked to a current person): one GROUP BY."""
    if not unit_ids:
        return {}
    rows = db.session.execute(
        select(LegacyPerson.legacy_unit_id, func.count(), func.count(LegacyPerson.person_id))
        .where(LegacyPerson.legacy_unit_id.in_(unit_ids))
        .group_by(LegacyPerson.legacy_unit_id)
    ).all()
    return {unit_id: (total, linked) for unit_id, total, linked in rows}
