"""计划招生人数 holds under concurrency (issue 10 item 5d): twenty operators confirm twenty different
applications for the last seat of a class at the same moment, each in its own thread with its own database
connection and transaction — exactly one is confirmed, the other nineteen are told the class is full and
stay 已报名待确认.

The seat is taken by one conditional UPDATE (`workflows.enrolments.take_seat`). On PostgreSQL the twenty
transactions really overlap: the UPDATEs queue on the class row and, once the winner commits, the others
re-check `enrolled_count < capacity` and change nothing. On SQLite (the suite's default) the same test runs
and the write lock serialises them. This module commits real rows, so it leaves the suite's rolled-back
transaction aside and removes what it created.
"""
import threading
from datetime import date

import pytest
from sqlalchemy import delete, func, select

from backoffice import create_app
from backoffice.clock import beijing_today
from backoffice.config import TestConfig
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ClassStatus, EnrolmentSource, EnrolmentStatus
from backoffice.models import AuditLog, Enrolment, Person, Plan, Teacher, TrainingClass, User
from backoffice.policy import available_contexts, build_actor
from backoffice.validators import make_citizen_id, sex_from_id
from backoffice.workflows import WorkflowError
from backoffice.workflows import enrolments as ops

THREADS = 20
PLAN = f"{beijing_today().year}年高校教师教学能力提升研修班"  # inst_a's approved plan (demo)


@pytest.fixture
def _isolated():
    """No outer rolled-back transaction here: the threads must see committed rows (conftest's is replaced)."""
    yield


@pytest.fixture
def racing_app(app, tmp_path):
    """An app of its own on the suite's database, with a pool big enough for every thread at once."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    options = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        options.update(pool_size=THREADS + 2, max_overflow=0)
    racing = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=tmp_path, SQLALCHEMY_ENGINE_OPTIONS=options)
    yield racing
    with racing.app_context():
        db.engine.dispose()


@pytest.fixture
def last_seat(racing_app):
    """A class of inst_a with one seat left and twenty applications waiting; removed afterwards."""
    with racing_app.app_context():
        audit_mark = db.session.scalar(select(func.coalesce(func.max(AuditLog.id), 0)))
        plan = db.session.scalar(select(Plan).where(Plan.name == PLAN, Plan.status == ApplicationStatus.APPROVED))
        head = db.session.scalar(select(Teacher).where(Teacher.org_id == plan.owner_org_id, Teacher.active.is_(True)))
        opens = plan.start_on
        training_class = TrainingClass(
            plan_id=plan.id, name="并发报名测试班", planned_open_on=opens, study_form_code="01", study_start_on=opens,
            study_end_on=opens, capacity=5, enrolled_count=4, head_teacher_id=head.id, exam_type_code="02",
            location="测试教室", schedule="一天", status=ClassStatus.ENROLLING, teachers=[head],
        )
        people = []
        for n in range(THREADS):
            id_number = make_citizen_id("440106", date(1980, 1, 1 + n), f"{700 + n:03d}")
            people.append(Person(name=f"并发学员{n + 1}", sex=sex_from_id(id_number), id_number=id_number))
        db.session.add_all([training_class, *people])
        db.session.flush()
        applications = [
            Enrolment(class_id=training_class.id, person_id=p.id, source=EnrolmentSource.SELF, status=EnrolmentStatus.APPLIED)
            for p in people
        ]
        db.session.add_all(applications)
        db.session.commit()
        ids = {"class": training_class.id, "people": [p.id for p in people], "applications": [a.id for a in applications]}
        user = db.session.scalar(select(User).where(User.login == "inst_a"))
        ids["actor"] = build_actor(user, available_contexts(user)[0].key)
    try:
        yield ids
    finally:
        with racing_app.app_context():
            db.session.execute(delete(Enrolment).where(Enrolment.class_id == ids["class"]))
            db.session.delete(db.session.get(TrainingClass, ids["class"]))  # with its 授课教师 rows
            db.session.flush()
            db.session.execute(delete(Person).where(Person.id.in_(ids["people"])))
            db.session.execute(delete(AuditLog).where(AuditLog.id > audit_mark))
            db.session.commit()


def _confirm(racing_app, enrolment_id, actor, start: threading.Barrier):
    start.wait()  # before touching the database: SQLite takes its write lock at BEGIN
    with racing_app.app_context():
        try:
            ops.decide(db.session.get(Enrolment, enrolment_id), True, actor)
            db.session.commit()
            return "confirmed"
        except WorkflowError as error:
            db.session.rollback()
            return str(error)
        finally:
            db.session.remove()


def test_twenty_simultaneous_confirmations_fill_the_last_seat_once(racing_app, last_seat):
    start = threading.Barrier(THREADS)
    results = [None] * THREADS

    def run(i, enrolment_id):
        try:
            results[i] = _confirm(racing_app, enrolment_id, last_seat["actor"], start)
        except Exception as error:  # noqa: BLE001  (reported below)
            results[i] = repr(error)

    threads = [threading.Thread(target=run, args=(i, e)) for i, e in enumerate(last_seat["applications"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert results.count("confirmed") == 1, results
    refusals = [r for r in results if r != "confirmed"]
    assert refusals == ["培训班已满（计划招生人数5人），不能再报名"] * (THREADS - 1), refusals
    with racing_app.app_context():
        assert db.session.get(TrainingClass, last_seat["class"]).enrolled_count == 5
        statuses = dict(db.session.execute(
            select(Enrolment.status, func.count()).where(Enrolment.class_id == last_seat["class"]).group_by(Enrolment.status)
        ).all())
        db.session.remove()
    assert statuses == {EnrolmentStatus.ENROLLED: 1, EnrolmentStatus.APPLIED: THREADS - 1}
