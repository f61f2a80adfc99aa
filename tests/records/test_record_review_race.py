"""Two reviewers of 广州示范大学 decide the same 继续教育记录 at the same moment: exactly one decision
happens, the other is told it was already reviewed (issue 11, on PostgreSQL and on SQLite alike)."""
import pytest
from sqlalchemy import func, select

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ReviewResult
from backoffice.models import Person, Record, ReviewLog, User
from backoffice.policy import available_contexts, build_actor
from backoffice.workflows.declarations import decide
from backoffice.workflows.review import ReviewError

from race import at_once, drop_race_app, race_app

COURSE = "高校教学方法网络课程"  # the demo's record of 陈诗慧 waiting at 广州示范大学


@pytest.fixture(scope="module")
def racing(tmp_path_factory):
    app = race_app(tmp_path_factory, "record_review_race")
    with app.app_context():
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        record_id = db.session.scalar(select(Record.id).filter_by(
            person_id=chen.id, course_name=COURSE, status=ApplicationStatus.PENDING))
    yield app, record_id
    drop_race_app(app)


def _decide(record_id: int, result: str, opinion: str):
    user = db.session.scalar(select(User).where(User.login == "unit_a"))
    context = next(c for c in available_contexts(user) if "广州示范大学" in c.label)
    actor = build_actor(user, context.key)
    return decide(db.session.get(Record, record_id), result, opinion, "", actor)


def test_two_reviewers_deciding_one_record_at_once_exactly_one_wins(racing):
    app, record_id = racing
    results = at_once(app, [
        lambda: _decide(record_id, ReviewResult.APPROVE, "同意"),
        lambda: _decide(record_id, ReviewResult.RETURN, "请补充材料"),
    ])
    refusals = [r for r in results if isinstance(r, ReviewError)]
    assert len(refusals) == 1 and results.count(None) == 1, results
    assert str(refusals[0]).startswith("已审核，当前状态为")
    with app.app_context():
        row = db.session.get(Record, record_id)
        winner = ApplicationStatus.APPROVED if results[0] is None else ApplicationStatus.RETURNED
        assert row.status == winner
        decisions = db.session.scalar(select(func.count()).select_from(ReviewLog).where(
            ReviewLog.object_type == "record", ReviewLog.object_id == record_id,
            ReviewLog.result.in_([ReviewResult.APPROVE, ReviewResult.RETURN])))
        assert decisions == 1


def _actor(login: str, org_name: str | None = None):
    user = db.session.scalar(select(User).where(User.login == login))
    contexts = available_contexts(user)
    context = next(c for c in contexts if org_name is None or org_name in c.label)
    return build_actor(user, context.key)


def test_the_same_course_declared_twice_at_once_is_saved_once(racing):
    from datetime import timedelta

    from backoffice.workflows.declarations import save_record

    app, _ = racing
    start = beijing_today() - timedelta(days=30)
    values = dict(study_form_code="01", course_type="public", course_name="同时申报的课程", start_on=start,
                  end_on=start, days="1", exam_result="pass", declared_hours="6", institution_name="",
                  year=str(start.year), location="", content="", note="")
    results = at_once(app, [lambda: save_record(None, _actor("p_chen"), **values) for _ in range(2)])
    assert sum(isinstance(r, Record) for r in results) == 1, results
    assert sum(isinstance(r, Exception) for r in results) == 1  # the rule's message, or the unique index
    with app.app_context():
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        assert db.session.scalar(select(func.count()).select_from(Record).where(
            Record.person_id == chen.id, Record.course_name == "同时申报的课程")) == 1


def test_a_withdrawal_and_a_decision_at_once_never_both_happen(racing):
    from backoffice.workflows.declarations import withdraw_record

    app, _ = racing
    with app.app_context():
        liu = db.session.scalar(select(Person).where(Person.name == "刘文斌"))
        record_id = db.session.scalar(select(Record.id).filter_by(  # his own, waiting (the demo also has an
            person_id=liu.id, course_name="工匠精神与广东制造", status=ApplicationStatus.PENDING))  # approved one)
    results = at_once(app, [
        lambda: withdraw_record(db.session.get(Record, record_id), _actor("p_liu")),
        lambda: decide(db.session.get(Record, record_id), ReviewResult.APPROVE, "同意", "", _actor("unit_b")),
    ])
    assert results.count(None) == 1 and sum(isinstance(r, ReviewError) for r in results) == 1, results
    with app.app_context():
        status = db.session.get(Record, record_id).status
        assert status == (ApplicationStatus.DRAFT if results[0] is None else ApplicationStatus.APPROVED)
