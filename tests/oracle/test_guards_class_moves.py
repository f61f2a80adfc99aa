"""培训班设置's refusals (workflows/classes.py `_why_not`): when a class's conditional UPDATE changes
nothing, the reason read afterwards — the one a 批量 move skips the row with. One test per reason:

- the class is not (any longer) in a state the move starts from — read from the database, not from the
  caller's copy of the row;
- 结业 with enrolees still 已报名待确认 (how many), with nobody 报名成功, or with a 报名成功 enrolee
  without a 考核结果;
- 取消 once an enrolee has a 考核结果;
- any other move the UPDATE refused although the state allowed it (a move with no enrolee conditions:
  only another operator's change in between could cause it, so it is asked straight).

The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
"""
from decimal import Decimal

import pytest
from sqlalchemy import update

from backoffice.extensions import db
from backoffice.labels import ClassStatus, EnrolmentStatus, ExamResult
from backoffice.models import Enrolment, TrainingClass
from backoffice.workflows import WorkflowError
from backoffice.workflows.classes import MOVES, _why_not, move_class, move_many
from world import acting, row

NO_RESULT = "尚有学员未录入考核结果，请先录入全部学员的成绩/考核结果后再结业"


def _skipped(world, who: str, key: str, code: str) -> list:
    """The batch move of one class: nothing done, its reason; the class keeps its state."""
    target = row(world, TrainingClass, key)
    before = target.status
    outcome = move_many([target], code, "说明", world.actors[who])
    assert outcome.done == []
    db.session.expire_all()
    assert row(world, TrainingClass, key).status == before
    return outcome.skipped


@pytest.mark.parametrize(
    "who,key,code,reason",
    [
        ("unit_gz1", "cl_gz1_cancel", "open", "当前班级状态为“取消”，不能开班"),
        ("unit_gz1", "cl_gz1_cancel", "cancel", "当前班级状态为“取消”，不能取消"),
        ("inst_p", "cl_inst_p_done", "finish", "当前班级状态为“结业”，不能结业"),
        ("inst_p", "cl_inst_p_done", "enrol", "当前班级状态为“结业”，不能接受报名"),
        ("unit_gz1", "cl_gz1_open", "open", "当前班级状态为“开班”，不能开班"),
    ],
)
def test_a_class_not_in_a_source_state_is_skipped_with_its_state(app, world, who, key, code, reason):
    """The owner's class in a state the move does not start from: skipped, naming the state and the move."""
    with acting(app):
        assert _skipped(world, who, key, code) == [(key, reason)]


def test_the_state_is_read_again_from_the_database(app, world):
    """The caller's copy says 开班 (a 结业 source), another operator has 结业'd the class meanwhile: the
    reason is the database's 结业, not the copy's state."""
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        assert target.status == ClassStatus.OPEN
        db.session.execute(
            update(TrainingClass).where(TrainingClass.id == target.id).values(status=ClassStatus.FINISHED)
            .execution_options(synchronize_session=False)
        )
        with pytest.raises(WorkflowError) as refused:
            move_class(target, "finish", "说明", world.actors["unit_gz1"])
        assert refused.value.args == ("当前班级状态为“结业”，不能结业",)


def test_finish_waits_for_the_enrolees_to_be_confirmed(app, world):
    """cl_inst_p_enrol has 3 enrolees 已报名待确认 (and one 报名成功 without a result): they are named first."""
    with acting(app):
        assert _skipped(world, "inst_p", "cl_inst_p_enrol", "finish") == [
            ("cl_inst_p_enrol", "尚有3人报名待确认，请先确认或拒绝后再结业")]


def test_finish_needs_an_enrolled_person(app, world):
    """cl_gz1_open's only enrolee 已取消: no 报名成功 enrolee in this class (other classes have some, and
    enrolees waiting for confirmation), so 结业 is refused and 取消 suggested."""
    with acting(app):
        row(world, Enrolment, "en_gz1_unit").status = EnrolmentStatus.CANCELLED
        db.session.flush()
        assert _skipped(world, "unit_gz1", "cl_gz1_open", "finish") == [
            ("cl_gz1_open", "培训班没有报名成功的学员，不能结业；如不再举办请取消")]


def test_finish_needs_every_result(app, world):
    """cl_gz1_open's 报名成功 enrolee has no 考核结果 yet."""
    with acting(app):
        assert _skipped(world, "unit_gz1", "cl_gz1_open", "finish") == [("cl_gz1_open", NO_RESULT)]


def test_cancel_is_refused_once_a_result_is_entered(app, world):
    """cl_gz1_open's enrolee has a 考核结果: the class can no longer be 取消'd."""
    with acting(app):
        enrolee = row(world, Enrolment, "en_gz1_unit")
        enrolee.result, enrolee.score = ExamResult.PASS, Decimal("80")
        db.session.flush()
        assert _skipped(world, "unit_gz1", "cl_gz1_open", "cancel") == [
            ("cl_gz1_open", "培训班已有学员录入了考核结果，不能取消")]


@pytest.mark.parametrize("key,code,reason", [("cl_gz1_draft", "open", "不能开班"), ("cl_gz1_open", "enrol", "不能接受报名")])
def test_a_refused_move_without_conditions_says_only_that(app, world, key, code, reason):
    """开班 / 接受报名 from a source state, which no enrolee condition stops: the bare reason."""
    with acting(app):
        assert _why_not(row(world, TrainingClass, key), code, MOVES[code]) == reason
