"""成绩 / 考核结果录入 (000 §1.4.1 第五、六步; 002 学员成绩管理): the owner of a class enters each 报名成功
enrolee's 成绩 (0–100, at most one decimal, optional) and 考核结果 (合格 / 不合格, optional until 结业), in
one grid or by import (`imports/results.py`), only while the class is 开班 or 接受报名.

The class row is locked (`SELECT … FOR UPDATE`) before the enrolments change, so a 结业 or 取消 — whose
conditional UPDATE of that row looks at the results — waits for the save instead of deciding on
half-written results, and a save that comes after a 结业 sees the new state and is refused.

Functions flush, never commit.
"""
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..labels import AuditAction, ClassStatus, ExamResult
from ..models import TrainingClass
from ..policy import Actor
from . import WorkflowError
from .attendance import check_owner, roster

MODULE = "class_results"
SCORE_MIN, SCORE_MAX = Decimal("0"), Decimal("100")
SCORE_RULE = "成绩应为0至100之间的数字，最多一位小数"


def clean_score(value) -> Decimal | None:
    """A 成绩 as stored, or WorkflowError: blank → None; 0–100 with at most one decimal."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        if len(value) > 10:
            raise WorkflowError(SCORE_RULE)
        try:
            value = Decimal(value)
        except InvalidOperation:
            raise WorkflowError(SCORE_RULE) from None
    elif not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            raise WorkflowError(SCORE_RULE) from None
    if not value.is_finite() or not SCORE_MIN <= value <= SCORE_MAX or value != value.quantize(Decimal("0.1")):
        raise WorkflowError(SCORE_RULE)
    return value.quantize(Decimal("0.1")) if value else Decimal("0.0")  # "-0" is 0


def clean_result(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if value not in ExamResult.values():
        raise WorkflowError("考核结果只能是合格或不合格")
    return value


def locked_class(class_id: int) -> TrainingClass:
    """The class row, locked until the transaction ends (PostgreSQL; SQLite's write lock is the whole file)."""
    return db.session.scalar(
        select(TrainingClass).where(TrainingClass.id == class_id).with_for_update()
        .execution_options(populate_existing=True)
    )


def save_results(training_class: TrainingClass, wanted: dict[int, tuple], actor: Actor, *, summary: str | None = None) -> int:
    """enrolment id → (成绩, 考核结果) for enrolees of this class; returns how many enrolees changed.
    An id that is not a 报名成功 enrolee of the class refuses the whole save."""
    check_owner(training_class, actor, MODULE, changing=False)
    training_class = locked_class(training_class.id)
    if training_class.status not in (ClassStatus.OPEN, ClassStatus.ENROLLING):
        raise WorkflowError(
            f"培训班当前状态为“{ClassStatus.label(training_class.status)}”，只有开班或接受报名的培训班才能录入成绩"
        )
    enrolees = {e.id: e for e in roster(training_class.id)}
    if set(wanted) - set(enrolees):
        raise WorkflowError("提交的学员不是该培训班报名成功的学员，请刷新页面后重试")
    cleaned = {eid: (clean_score(score), clean_result(result)) for eid, (score, result) in wanted.items()}
    changed = 0
    with audit.audit_as(AuditAction.RESULTS, summary or f"成绩录入：{training_class.name}"):
        for enrolment_id, (score, result) in cleaned.items():
            enrolment = enrolees[enrolment_id]
            if enrolment.score != score or enrolment.result != result:
                enrolment.score, enrolment.result = score, result
                changed += 1
        db.session.flush()
    return changed
