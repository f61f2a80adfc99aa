"""Two checkers (广州市人社局 and 广东省人社厅, both covering 广州示范大学) decide one approved record at the
same moment: exactly one decision happens, the other is told it was already checked (issue 11 item 3;
on PostgreSQL and on SQLite alike)."""
import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ReviewResult
from backoffice.models import Person, Record, ReviewLog, User
from backoffice.policy import available_contexts, build_actor
from backoffice.workflows.record_checks import check
from backoffice.workflows.review import ReviewError

from race import at_once, drop_race_app, race_app

COURSE = "校内新进教师岗前培训"  # the demo's record of 陈诗慧, approved by 广州示范大学 (checked by the demo)


@pytest.fixture(scope="module")
def racing(tmp_path_factory):
    app = race_app(tmp_path_factory, "record_check_race")
    with app.app_context():
        chen = db.session.scalar(select(Person).where(Person.name == "陈诗慧"))
        row = db.session.scalar(select(Record).filter_by(person_id=chen.id, course_name=COURSE))
        row.checked_hours = None  # not yet checked
        db.session.commit()
        record_id = row.id
    yield app, record_id
    drop_race_app(app)


def _check(login: str, record_id: int, passed: bool, opinion: str):
    user = db.session.scalar(select(User).where(User.login == login))
    actor = build_actor(user, available_contexts(user)[0].key)
    return check(db.session.get(Record, record_id), passed, opinion, None, actor)


def test_two_checkers_deciding_one_record_at_once_exactly_one_wins(racing):
    app, record_id = racing
    results = at_once(app, [
        lambda: _check("gz_hr", record_id, True, ""),
        lambda: _check("gd_hr", record_id, False, "抽查不合格"),
    ])
    refusals = [r for r in results if isinstance(r, ReviewError)]
    assert len(refusals) == 1 and results.count(None) == 1, results
    # told at once (PostgreSQL: the conditional UPDATE found nothing) or on reading the decided row (SQLite
    # waits for the write lock, then reads it)
    assert str(refusals[0]).startswith(("已审验", "当前状态为“已退回”")), refusals
    with app.app_context():
        row = db.session.get(Record, record_id)
        if results[0] is None:
            assert (row.status, row.checked_hours is not None) == (ApplicationStatus.APPROVED, True)
        else:
            assert (row.status, row.approved_hours) == (ApplicationStatus.RETURNED, None)
        decisions = db.session.scalar(select(func.count()).select_from(ReviewLog).where(
            ReviewLog.object_type == "record", ReviewLog.object_id == record_id, ReviewLog.step == "学时审验",
            ReviewLog.result.in_([ReviewResult.APPROVE, ReviewResult.RETURN])))
        assert decisions == 2  # the demo's pass, and exactly one of the two
