"""培训班报名 (issue 10 item 5): 培训班人员录入 by a unit (000 §1.4.3), 培训班报名申请 by a person (003 §3.3.2),
and the class owner's 确认 / 拒绝 of the applications.

| move            | who                           | enrolment                         | class must be    | seat        |
| --------------- | ----------------------------- | --------------------------------- | ---------------- | ----------- |
| 录入 (enter)    | the unit owning the class     | none / 已取消 / 已拒绝 → 报名成功 | 接受报名, 开班   | taken       |
| 取消 (withdraw) | the unit owning the class     | 报名成功 (no result) → 已取消     | 接受报名, 开班   | given back  |
| 报名 (apply)    | the person                    | none / 已取消 / 已拒绝 → 待确认   | 接受报名         | —           |
| 取消报名        | the person                    | 已报名待确认 → 已取消             | —                | —           |
| 确认 (confirm)  | the institution / department  | 已报名待确认 → 报名成功           | 接受报名, 开班   | taken       |
| 拒绝 (refuse)   | the institution / department  | 已报名待确认 → 已拒绝             | —                | —           |

**Seats** (计划招生人数): `training_class.enrolled_count` counts the 报名成功 enrolees. A seat is taken with
ONE conditional UPDATE, `enrolled_count = enrolled_count + 1 WHERE id = :id AND enrolled_count < capacity
AND status IN (…)`, in the same transaction (savepoint, in a batch) as the enrolment's own change, so of
any number of simultaneous confirmations for the last seat exactly one succeeds: the others find the
counter at capacity once the winner commits, and their enrolment change is rolled back with the refusal.
A CHECK `enrolled_count <= capacity` holds it in the database too. Applications take no seat (the owner
chooses whom to confirm); a person may still not apply to a full class.

Every enrolment change is a conditional UPDATE on the enrolment's state (or an INSERT the unique key
(class, person) guards), so a double click or two operators apply it once and the loser is told why.
Functions flush, never commit.
"""
from sqlalchemy import select, update

from .. import audit
from ..extensions import db
from ..labels import (
    ApplicationStatus,
    AuditAction,
    BindingStatus,
    ClassStatus,
    EnrolmentSource,
    EnrolmentStatus,
    OrgKind,
)
from ..models import Enrolment, Organisation, Person, Plan, TrainingClass
from ..models.base import utcnow
from ..policy import Actor
from . import WorkflowError

ENTER_MODULE = "class_enrol"
APPLY_MODULE = "class_apply"
CONFIRM_MODULE = "enrol_confirm"

#: a class takes enrolees (录入, 确认) while 接受报名 or 开班; people apply only while 接受报名
SEAT_STATES = (ClassStatus.ENROLLING, ClassStatus.OPEN)
APPLY_STATES = (ClassStatus.ENROLLING,)
#: an enrolment that ended can be started again (the unique key keeps one row per person and class)
ENDED = (EnrolmentStatus.CANCELLED, EnrolmentStatus.REFUSED)


def _plan_of(training_class: TrainingClass) -> Plan:
    return db.session.get(Plan, training_class.plan_id)


def _owned_class(training_class: TrainingClass, actor: Actor, module: str, what: str) -> Plan:
    """The class is of an approved plan of the acting organisation, which holds `module`."""
    if actor is None or actor.org_id is None or not actor.can_use(module):
        raise WorkflowError(f"您没有{what}的权限")
    plan = _plan_of(training_class)
    if plan.owner_org_id != actor.org_id:
        raise WorkflowError("该培训班不属于本单位")
    if plan.status != ApplicationStatus.APPROVED:
        raise WorkflowError("专业课计划审核通过后才能报名")
    return plan


def _class_state_refusal(training_class: TrainingClass, states, verb: str = "报名") -> str:
    db.session.refresh(training_class)
    if training_class.status not in states:
        allowed = "或".join(f"“{ClassStatus.label(s)}”" for s in states)
        return f"当前班级状态为“{ClassStatus.label(training_class.status)}”，只有{allowed}的培训班才能{verb}"
    return f"培训班已满（计划招生人数{training_class.capacity}人），不能再报名"


def take_seat(training_class: TrainingClass) -> None:
    """One seat of the class, or WorkflowError: the check and the count are one conditional UPDATE."""
    taken = db.session.execute(
        update(TrainingClass)
        .where(
            TrainingClass.id == training_class.id,
            TrainingClass.enrolled_count < TrainingClass.capacity,
            TrainingClass.status.in_(SEAT_STATES),
        )
        .values(enrolled_count=TrainingClass.enrolled_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise WorkflowError(_class_state_refusal(training_class, SEAT_STATES))
    db.session.expire(training_class, ["enrolled_count"])


def _give_back_seat(training_class: TrainingClass) -> None:
    db.session.execute(
        update(TrainingClass)
        .where(TrainingClass.id == training_class.id, TrainingClass.enrolled_count > 0)
        .values(enrolled_count=TrainingClass.enrolled_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(training_class, ["enrolled_count"])


def _set_status(enrolment: Enrolment, sources, target: str, *conditions, **values) -> bool:
    """The enrolment's state move as one conditional UPDATE; True if this call made it."""
    changed = db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.status.in_(sources), *conditions)
        .values(status=target, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(enrolment)
    return changed == 1


def _audit(enrolment: Enrolment, verb: str, before: str | None, after: str, training_class: TrainingClass) -> None:
    audit.record(
        AuditAction.ENROLMENT,
        obj=enrolment,
        summary=f"{verb}：{training_class.name}：{enrolment.person.name}",
        before={"status": before} if before else None,
        after={"status": after},
    )


def _existing(training_class: TrainingClass, person_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(Enrolment.class_id == training_class.id, Enrolment.person_id == person_id)
    )


def _start(training_class: TrainingClass, person: Person, source: str, status: str, actor: Actor) -> Enrolment:
    """A new enrolment, or an ended one (已取消 / 已拒绝) started again — never a second row."""
    now = utcnow()
    values = dict(
        source=source, status=status, applied_at=now, decided_at=now if status == EnrolmentStatus.ENROLLED else None,
        entered_by_org_id=actor.org_id, score=None, result=None,
    )
    row = _existing(training_class, person.id)
    if row is None:
        row = Enrolment(class_id=training_class.id, person_id=person.id, **values)
        db.session.add(row)
        db.session.flush()  # the flush hook writes the 新增 row of the 操作日志
        return row
    before = row.status
    values.pop("status")
    if before not in ENDED or not _set_status(row, ENDED, status, **values):
        db.session.refresh(row)
        raise WorkflowError(f"已在该培训班中（{EnrolmentStatus.label(row.status)}）")
    _audit(row, "重新报名" if source == EnrolmentSource.SELF else "录入", before, status, training_class)
    return row


# ---- 培训班人员录入 (the unit) ----------------------------------------------------------------


def enter(training_class: TrainingClass, person: Person, actor: Actor) -> Enrolment:
    """录入: a confirmed person of the acting unit into the unit's own class, 报名成功 at once."""
    _owned_class(training_class, actor, ENTER_MODULE, "录入培训班人员")
    if person.unit_id != actor.org_id or person.binding_status != BindingStatus.CONFIRMED:
        raise WorkflowError("只能录入本单位已确认的专业技术人员")
    if training_class.status not in SEAT_STATES:
        raise WorkflowError(_class_state_refusal(training_class, SEAT_STATES, "录入"))
    take_seat(training_class)
    return _start(training_class, person, EnrolmentSource.UNIT, EnrolmentStatus.ENROLLED, actor)


def withdraw(enrolment: Enrolment, actor: Actor) -> None:
    """取消 (录入): an enrolee of the unit's own class leaves it while no result is recorded."""
    training_class = db.session.get(TrainingClass, enrolment.class_id)
    _owned_class(training_class, actor, ENTER_MODULE, "取消录入")
    if training_class.status not in SEAT_STATES:
        raise WorkflowError(_class_state_refusal(training_class, SEAT_STATES, "取消录入"))
    before = enrolment.status
    if not _set_status(
        enrolment, (EnrolmentStatus.ENROLLED,), EnrolmentStatus.CANCELLED, Enrolment.result.is_(None),
        decided_at=utcnow(),
    ):
        db.session.refresh(enrolment)
        if enrolment.result is not None:
            raise WorkflowError("已录入考核结果，不能取消")
        raise WorkflowError(f"当前报名状态为“{EnrolmentStatus.label(enrolment.status)}”，不能取消")
    _give_back_seat(training_class)
    _audit(enrolment, "取消录入", before, EnrolmentStatus.CANCELLED, training_class)


# ---- 培训班报名申请 (the person) -------------------------------------------------------------


def open_to_people(training_class: TrainingClass) -> bool:
    """A class people may apply to: of an approved plan of an institution or industry department (a
    unit's classes are internal, 000 §1.3.1), 接受报名."""
    plan = _plan_of(training_class)
    owner_kind = db.session.scalar(select(Organisation.kind).where(Organisation.id == plan.owner_org_id))
    return (
        plan.status == ApplicationStatus.APPROVED
        and owner_kind in (OrgKind.INSTITUTION, OrgKind.INDUSTRY)
        and training_class.status in APPLY_STATES
    )


def apply(training_class: TrainingClass, actor: Actor) -> Enrolment:
    """报名: the acting person applies (已报名待确认); the class owner confirms or refuses."""
    if actor is None or actor.person_id is None or not actor.can_use(APPLY_MODULE):
        raise WorkflowError("只有专业技术人员本人才能报名")
    if not open_to_people(training_class):
        raise WorkflowError(
            f"当前班级状态为“{ClassStatus.label(training_class.status)}”，只有“接受报名”的施教机构培训班才能报名"
        )
    if training_class.enrolled_count >= training_class.capacity:
        raise WorkflowError(f"培训班已满（计划招生人数{training_class.capacity}人），不能再报名")
    person = db.session.get(Person, actor.person_id)
    return _start(training_class, person, EnrolmentSource.SELF, EnrolmentStatus.APPLIED, actor)


def cancel_application(enrolment: Enrolment, actor: Actor) -> None:
    """取消报名: the person withdraws an application still waiting for the class owner."""
    if actor is None or actor.person_id is None or enrolment.person_id != actor.person_id:
        raise WorkflowError("只能取消本人的报名")
    training_class = db.session.get(TrainingClass, enrolment.class_id)
    if not _set_status(
        enrolment, (EnrolmentStatus.APPLIED,), EnrolmentStatus.CANCELLED, Enrolment.person_id == actor.person_id,
        decided_at=utcnow(),
    ):
        db.session.refresh(enrolment)
        raise WorkflowError(
            f"当前报名状态为“{EnrolmentStatus.label(enrolment.status)}”，只有“已报名待确认”的报名才能取消"
        )
    _audit(enrolment, "取消报名", EnrolmentStatus.APPLIED, EnrolmentStatus.CANCELLED, training_class)


# ---- 确认 / 拒绝 (the class owner) -----------------------------------------------------------


def decide(enrolment: Enrolment, accept: bool, actor: Actor) -> None:
    """确认 (→ 报名成功, taking a seat) or 拒绝 (→ 已拒绝) an application to the acting organisation's class."""
    training_class = db.session.get(TrainingClass, enrolment.class_id)
    verb = "确认" if accept else "拒绝"
    _owned_class(training_class, actor, CONFIRM_MODULE, f"{verb}报名")
    target = EnrolmentStatus.ENROLLED if accept else EnrolmentStatus.REFUSED
    if not _set_status(enrolment, (EnrolmentStatus.APPLIED,), target, decided_at=utcnow()):
        db.session.refresh(enrolment)
        raise WorkflowError(
            f"当前报名状态为“{EnrolmentStatus.label(enrolment.status)}”，只有“已报名待确认”的报名才能{verb}"
        )
    if accept:
        take_seat(training_class)  # refused: the caller's savepoint undoes the status change too
    _audit(enrolment, f"报名{verb}", EnrolmentStatus.APPLIED, target, training_class)
