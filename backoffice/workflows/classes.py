"""培训班设置 (000 §1.4.1): the status moves of a class of an approved plan, each with a 说明 (≤50).

The allowed moves (DESIGN §3 class lifecycle; 000 §1.4.1 offers 开班 / 结业 / 取消, 003 §3.3.2 lets
people apply while a class 接受报名):

| move     | from                      | to       | also needs                                                 |
| -------- | ------------------------- | -------- | ---------------------------------------------------------- |
| 开班     | 未开班, 接受报名          | 开班     |                                                            |
| 接受报名 | 未开班, 开班              | 接受报名 | a class of an institution or industry department: a unit's |
|          |                           |          | classes are internal (录入 by the unit only, 000 §1.3.1)   |
| 结业     | 开班, 接受报名            | 结业     | at least one 报名成功 enrolee, none still 已报名待确认, and |
|          |                           |          | a 考核结果 for every 报名成功 enrolee                        |
| 取消     | 未开班, 接受报名, 开班    | 取消     | no enrolee has a 考核结果 yet                               |

结业 and 取消 are final. Each move is one conditional UPDATE whose WHERE holds the source states and
the enrolee conditions, so a double click or two operators apply it once; the loser is told the
class's state or the reason. 结业 then creates the 继续教育记录 of its 合格 enrolees (workflows/records.py).

Functions flush, never commit.
"""
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select, update

from .. import audit
from ..extensions import db
from ..labels import ApplicationStatus, AuditAction, ClassStatus, EnrolmentStatus, OrgKind
from ..models import Enrolment, Organisation, Plan, TrainingClass
from ..models.base import utcnow
from ..policy import Actor
from . import BatchOutcome, WorkflowError, each_row
from .records import records_from_class

MODULE = "class_setup"
NOTE_MAX = 50


@dataclass(frozen=True)
class Move:
    label: str
    sources: tuple[str, ...]
    target: str


MOVES = {
    "open": Move("开班", (ClassStatus.NOT_STARTED, ClassStatus.ENROLLING), ClassStatus.OPEN),
    "enrol": Move("接受报名", (ClassStatus.NOT_STARTED, ClassStatus.OPEN), ClassStatus.ENROLLING),
    "finish": Move("结业", (ClassStatus.OPEN, ClassStatus.ENROLLING), ClassStatus.FINISHED),
    "cancel": Move(
        "取消", (ClassStatus.NOT_STARTED, ClassStatus.ENROLLING, ClassStatus.OPEN), ClassStatus.CANCELLED
    ),
}
INTERNAL_ONLY = "法人单位的培训班只针对本单位内部培训，由本单位录入学员，不接受个人报名"


def clean_note(note: str | None) -> str | None:
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise WorkflowError(f"说明请控制在{NOTE_MAX}字之内")
    return text or None


def _has_enrolee(*conditions):
    """EXISTS an enrolee of the class being updated (correlated with the UPDATE's row)."""
    return exists().where(Enrolment.class_id == TrainingClass.id, *conditions)


def _guards(code: str):
    """The enrolee conditions of a move, part of the UPDATE's WHERE."""
    if code == "finish":
        enrolled = Enrolment.status == EnrolmentStatus.ENROLLED
        return and_(
            _has_enrolee(enrolled),
            ~_has_enrolee(Enrolment.status == EnrolmentStatus.APPLIED),
            ~_has_enrolee(enrolled, Enrolment.result.is_(None)),
        )
    if code == "cancel":
        return ~_has_enrolee(Enrolment.result.is_not(None))
    return None


def _why_not(training_class: TrainingClass, code: str, move: Move) -> str:
    """Why the conditional UPDATE changed nothing, read after the fact."""
    db.session.refresh(training_class)
    if training_class.status not in move.sources:
        return f"当前班级状态为“{ClassStatus.label(training_class.status)}”，不能{move.label}"
    counts = dict(
        db.session.execute(
            select(Enrolment.status, func.count())
            .where(Enrolment.class_id == training_class.id)
            .group_by(Enrolment.status)
        ).all()
    )
    if code == "finish":
        if counts.get(EnrolmentStatus.APPLIED):
            return f"尚有{counts[EnrolmentStatus.APPLIED]}人报名待确认，请先确认或拒绝后再结业"
        if not counts.get(EnrolmentStatus.ENROLLED):
            return "培训班没有报名成功的学员，不能结业；如不再举办请取消"
        return "尚有学员未录入考核结果，请先录入全部学员的成绩/考核结果后再结业"
    if code == "cancel":
        return "培训班已有学员录入了考核结果，不能取消"
    return f"不能{move.label}"


def move_class(training_class: TrainingClass, code: str, note: str | None, actor: Actor) -> int:
    """One 班级状态 move of a class of the acting organisation's approved plan; returns how many
    继续教育记录 it created (结业 only)."""
    move = MOVES.get(code)
    if move is None:
        raise WorkflowError("请选择班级状态")
    note = clean_note(note)
    if actor is None or actor.org_id is None or not actor.can_use(MODULE):
        raise WorkflowError("您没有设置培训班状态的权限")
    plan = db.session.get(Plan, training_class.plan_id)
    if plan.owner_org_id != actor.org_id:
        raise WorkflowError("该培训班不属于本单位")
    if plan.status != ApplicationStatus.APPROVED:
        raise WorkflowError("专业课计划审核通过后才能设置班级状态")
    if code == "enrol" and db.session.get(Organisation, plan.owner_org_id).kind == OrgKind.UNIT:
        raise WorkflowError(INTERNAL_ONLY)
    # Results are saved under this row's lock (workflows/results.py). Waiting for it here means the enrolee
    # conditions below are read after a save in progress commits: PostgreSQL's re-check of a blocked
    # UPDATE sees the new class row but not the new enrolment rows.
    db.session.execute(select(TrainingClass.id).where(TrainingClass.id == training_class.id).with_for_update())
    before = training_class.status
    conditions = [TrainingClass.id == training_class.id, TrainingClass.status.in_(move.sources)]
    guard = _guards(code)
    if guard is not None:
        conditions.append(guard)
    changed = db.session.execute(
        update(TrainingClass)
        .where(*conditions)
        .values(status=move.target, status_note=note, status_changed_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        raise WorkflowError(_why_not(training_class, code, move))
    created = records_from_class(training_class, actor) if code == "finish" else 0
    audit.record(
        AuditAction.CLASS_STATUS,
        obj=training_class,
        summary=f"{move.label}：{training_class.name}" + (f"，生成继续教育记录{created}条" if code == "finish" else ""),
        before={"status": before},
        after={"status": move.target, "status_note": note},
    )
    return created


def move_many(rows, code: str, note: str | None, actor: Actor) -> BatchOutcome:
    """The same move and 说明 for several classes; a bad move or 说明 refuses the whole batch first."""
    if code not in MOVES:
        raise WorkflowError("请选择班级状态")
    note = clean_note(note)
    return each_row(rows, lambda row: move_class(row, code, note, actor))
