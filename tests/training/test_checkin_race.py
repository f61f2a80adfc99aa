"""扫码签到 under simultaneous scans, on PostgreSQL (where requests really run side by side): ten scans of one
person for one session mark them once — one row, one audit entry — and every scan is answered 签到成功 or
已签到, none an error.

This module commits for real (the race needs separate connections, which the rolled-back transaction of
the other tests cannot give), so it cleans up what it wrote. On SQLite every request waits for the write
lock (BEGIN IMMEDIATE), so there is no race to show: skipped.
"""
import os
import threading
from datetime import date, datetime, time

import pytest
from sqlalchemy import delete, func, select

from backoffice.extensions import db
from backoffice.models import Attendance, AttendanceSession, AuditLog, Person, TrainingClass, User
from backoffice.policy import build_actor
from backoffice.workflows.attendance import CheckInRefused, check_in

from training_helpers import UNIT_CLASS, YEAR

pytestmark = pytest.mark.skipif(
    "postgresql" not in os.environ.get("TEST_DATABASE_URL", ""), reason="a real race needs PostgreSQL"
)
SCANS = 10
DAY1 = date(YEAR, 3, 31)


@pytest.fixture
def _isolated(app):
    """Overrides the suite's rolled-back transaction: this test commits, then removes its rows."""
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


def test_simultaneous_scans_mark_the_person_once(app, _isolated):
    session_id = _isolated
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
