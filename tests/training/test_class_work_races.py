"""Races of items 6–7: ten simultaneous scans of one person for one session mark them once (one row, one
audit entry; every scan answered 签到成功 or 已签到); a 结业 pressed while a results save is being written
waits for it and then sees the missing result.

The race needs separate connections and committed rows, which the rolled-back transaction of the other
tests cannot give: the module runs on a database of its own (tests/race.py) — a new database beside
TEST_DATABASE_URL on PostgreSQL, where the requests really run side by side, and a SQLite file
otherwise, where they queue for the write lock (BEGIN IMMEDIATE) and must come out the same.
"""
import threading
import time as clock
from datetime import date, datetime, time

import pytest
from sqlalchemy import delete, func, select

from backoffice.extensions import db
from backoffice.models import (
    Attendance, AttendanceSession, AuditLog, Enrolment, Membership, Organisation, Person, TrainingClass, User,
)
from backoffice.policy import build_actor
from backoffice.workflows import WorkflowError
from backoffice.workflows.attendance import CheckInRefused, check_in
from backoffice.workflows.classes import move_class
from backoffice.workflows.results import save_results

from race import drop_race_app, race_app
from training_helpers import UNIT_CLASS, YEAR

SCANS = 10
DAY1 = date(YEAR, 3, 31)


@pytest.fixture(scope="module")
def racing(tmp_path_factory):
    app = race_app(tmp_path_factory, "class_work_race")
    yield app
    drop_race_app(app)


@pytest.fixture
def scan_session(racing):
    """A session of the unit's class this evening; its rows are removed afterwards."""
    app = racing
    with app.app_context():
        last_log = db.session.scalar(select(func.max(AuditLog.id))) or 0
        class_id = db.session.scalar(select(TrainingClass.id).where(TrainingClass.name == UNIT_CLASS))
        session = AttendanceSession(class_id=class_id, on_date=DAY1, starts_at=time(20, 0), ends_at=time(21, 0))
        db.session.add(session)
        db.session.commit()
        session_id = session.id
        db.session.remove()
    try:
        yield session_id
    finally:
        with app.app_context():
            db.session.execute(delete(Attendance).where(Attendance.session_id == session_id))
            db.session.execute(delete(AttendanceSession).where(AttendanceSession.id == session_id))
            db.session.execute(delete(AuditLog).where(AuditLog.id > last_log))
            db.session.commit()
            db.session.remove()


def test_simultaneous_scans_mark_the_person_once(racing, scan_session):
    app, session_id = racing, scan_session
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "p_chen"))
        actor = build_actor(user, "person")
        db.session.remove()
    start = threading.Barrier(SCANS)
    answers, errors = [], []

    def scan():
        with app.app_context():
            try:
                start.wait(timeout=30)
                done = check_in(session_id, actor, now=datetime.combine(DAY1, time(20, 5)))
                db.session.commit()
                answers.append("again" if done.again else "marked")
            except CheckInRefused as refusal:
                db.session.rollback()
                answers.append(refusal.status)
            except Exception as error:  # noqa: BLE001 - any other failure is what this test looks for
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=scan) for _ in range(SCANS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(answers, key=str) == ["again"] * (SCANS - 1) + ["marked"]
    with app.app_context():
        rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session_id)).all()
        assert len(rows) == 1 and rows[0].mark == "present" and rows[0].by_scan
        assert db.session.get(Person, actor.person_id).name == "陈诗慧"
        logged = db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "check_in")
        )
        assert logged == 1
        db.session.remove()


def test_finishing_a_class_waits_for_a_results_save_in_progress(racing):
    """A clerk clears a 考核结果 while another presses 结业: 结业 waits for the save, then sees the gap."""
    app = racing
    with app.app_context():
        training_class = db.session.scalar(select(TrainingClass).where(TrainingClass.name == UNIT_CLASS))
        class_id = training_class.id
        kept_class = (training_class.status, training_class.status_note, training_class.status_changed_at)
        enrolments = db.session.scalars(select(Enrolment).where(Enrolment.class_id == class_id)).all()
        kept = {e.id: (e.score, e.result) for e in enrolments}
        for e in enrolments:
            e.result = "pass"  # every enrolee has a result: 结业 would go through
        db.session.commit()
        cleared = enrolments[0].id
        user = db.session.scalar(select(User).where(User.login == "unit_a"))
        org = db.session.scalar(select(Organisation.id).where(Organisation.name == "广州示范大学"))
        membership = db.session.scalar(select(Membership.id).where(Membership.user_id == user.id, Membership.org_id == org))
        actor = build_actor(user, f"m:{membership}")
        db.session.remove()
    saving, outcome = threading.Event(), {}

    def save():
        with app.app_context():
            try:
                row = db.session.get(TrainingClass, class_id)
                save_results(row, {cleared: (None, None)}, actor)
                saving.set()
                clock.sleep(1.5)  # the page is still writing when 结业 is pressed
                db.session.commit()
            finally:
                saving.set()
                db.session.remove()

    def finish():
        with app.app_context():
            saving.wait(timeout=30)
            try:
                move_class(db.session.get(TrainingClass, class_id), "finish", None, actor)
                db.session.commit()
                outcome["finish"] = "done"
            except WorkflowError as refusal:
                db.session.rollback()
                outcome["finish"] = str(refusal)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=save), threading.Thread(target=finish)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert outcome["finish"] == "尚有学员未录入考核结果，请先录入全部学员的成绩/考核结果后再结业"
        with app.app_context():
            assert db.session.get(TrainingClass, class_id).status == "open"
            db.session.remove()
    finally:
        with app.app_context():
            row = db.session.get(TrainingClass, class_id)
            row.status, row.status_note, row.status_changed_at = kept_class
            for e in db.session.scalars(select(Enrolment).where(Enrolment.class_id == class_id)):
                e.score, e.result = kept[e.id]
            db.session.commit()
            db.session.remove()
