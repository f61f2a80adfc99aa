"""Two operators press 结业 on the same class at the same moment: the class finishes once and each 合格
enrolee gets exactly one record (issue 10, on PostgreSQL and on SQLite alike)."""
import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import EnrolmentSource, EnrolmentStatus, ExamResult
from backoffice.models import Enrolment, Person, Record, ReviewLog, TrainingClass, User
from backoffice.policy import available_contexts, build_actor
from backoffice.workflows import WorkflowError
from backoffice.workflows.classes import move_class

from race import at_once, drop_race_app, race_app
from training_helpers import YEAR

CLASS_NAME = f"{YEAR}年高校教师教学能力提升研修班第3期"  # 开班
PASSED = ["陈诗慧", "刘文斌", "赵明远"]


@pytest.fixture(scope="module")
def racing(tmp_path_factory):
    app = race_app(tmp_path_factory, "finish_race")
    with app.app_context():
        klass = db.session.scalar(select(TrainingClass).where(TrainingClass.name == CLASS_NAME))
        for name in PASSED:
            person = db.session.scalar(select(Person).where(Person.name == name))
            db.session.add(Enrolment(class_id=klass.id, person_id=person.id, source=EnrolmentSource.SELF,
                                     status=EnrolmentStatus.ENROLLED, result=ExamResult.PASS))
        for enrolment in db.session.scalars(  # the demo's own enrolees of the class did not pass
            select(Enrolment).where(Enrolment.class_id == klass.id, Enrolment.result.is_(None))
        ):
            enrolment.result = ExamResult.FAIL
        db.session.commit()
        class_id = klass.id
    yield app, class_id
    drop_race_app(app)


def _finish(class_id: int):
    user = db.session.scalar(select(User).where(User.login == "inst_a"))
    actor = build_actor(user, available_contexts(user)[0].key)
    return move_class(db.session.get(TrainingClass, class_id), "finish", "同时结业", actor)


def test_two_operators_finishing_at_once_create_the_records_once(racing):
    app, class_id = racing
    results = at_once(app, [lambda: _finish(class_id), lambda: _finish(class_id)])
    assert sorted(type(r).__name__ for r in results) == ["WorkflowError", "int"]
    assert [r for r in results if isinstance(r, int)] == [len(PASSED)]
    refusal = next(r for r in results if isinstance(r, WorkflowError))
    assert str(refusal) == "当前班级状态为“结业”，不能结业"
    with app.app_context():
        records = select(Record.id).join(Enrolment, Enrolment.id == Record.enrolment_id).where(
            Enrolment.class_id == class_id)
        assert db.session.scalar(select(func.count()).select_from(records.subquery())) == len(PASSED)
        steps = db.session.scalar(
            select(func.count()).select_from(ReviewLog).where(
                ReviewLog.object_type == "record", ReviewLog.object_id.in_(records))
        )
        assert steps == len(PASSED)  # one 培训班结业 step each, not two
