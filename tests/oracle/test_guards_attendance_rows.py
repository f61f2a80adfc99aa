"""考勤 and 扫码签到, the rows themselves (workflows/attendance.py): which mark a scan writes or reports, what
the screens read in which order, and a scan racing another one. test_guards_attendance.py says who may;
this file says what is written and read when they do. All inside `acting(app)`: rolled back at its end.
"""
from datetime import date, datetime, time

from sqlalchemy import select, update

from backoffice.extensions import db
from backoffice.labels import AttendanceMark, EnrolmentStatus
from backoffice.models import Attendance, Enrolment, TrainingClass
from backoffice.workflows import attendance
from backoffice.workflows.attendance import (
    add_session,
    attendance_of,
    check_in,
    counts_by_session,
    save_marks,
    sessions_of,
)
from world import acting, row

PRESENT, ABSENT, LATE = AttendanceMark.PRESENT, AttendanceMark.ABSENT, AttendanceMark.LATE
DAY2 = date(2026, 3, 12)


def _second_session(world):
    """A second session of the institution's class (2026-03-12 09:00-12:00) with p1 confirmed too."""
    row(world, Enrolment, "en_p1_self").status = EnrolmentStatus.ENROLLED
    db.session.flush()
    return add_session(row(world, TrainingClass, "cl_inst_p_enrol"), DAY2, time(9), time(12), world.actors["inst_p"])


def _mark(session_id: int, enrolment_id: int) -> tuple:
    found = db.session.scalars(select(Attendance).where(
        Attendance.session_id == session_id, Attendance.enrolment_id == enrolment_id,
    ).execution_options(populate_existing=True)).one_or_none()
    return None if found is None else (found.mark, found.by_scan, found.checked_in_at)


def test_a_scan_marks_the_scanners_own_enrolment_in_that_session(app, world):
    """p2 scanned the first session already (mk_p2) and p1 is on the roster too: p2's scan of the second
    session marks p2 there, nobody else."""
    with acting(app):
        second = _second_session(world)
        done = check_in(second.id, world.actors["p2"], datetime(2026, 3, 12, 10))
        at = datetime(2026, 3, 12, 2)
        assert (done.session.id, done.training_class.id, done.at, done.again) == (
            second.id, world.ids["cl_inst_p_enrol"], at, False)
        assert _mark(second.id, world.ids["en_p2_self"]) == (PRESENT, True, at)
        assert _mark(second.id, world.ids["en_p1_self"]) is None


def test_a_scan_over_the_owners_mark_and_a_second_scan_report_the_session(app, world):
    with acting(app):
        second = _second_session(world)
        save_marks(second, {world.ids["en_p2_self"]: ABSENT}, world.actors["inst_p"])
        done = check_in(second.id, world.actors["p2"], datetime(2026, 3, 12, 10))
        again = check_in(second.id, world.actors["p2"], datetime(2026, 3, 12, 11))
        for scan, was_again in ((done, False), (again, True)):
            assert (scan.session.id, scan.training_class.id, scan.at, scan.again) == (
                second.id, world.ids["cl_inst_p_enrol"], datetime(2026, 3, 12, 2), was_again)


def test_a_scan_that_another_scan_overtook_reports_that_one(app, world, monkeypatch):
    """The owner marked p1 and p2 缺勤; p2's other scan commits between this scan's read and its update
    (played in `window`): the first check-in time stays and is reported, nothing is overwritten."""
    with acting(app):
        second = _second_session(world)
        save_marks(second, {world.ids["en_p1_self"]: ABSENT}, world.actors["inst_p"])
        save_marks(second, {world.ids["en_p2_self"]: ABSENT}, world.actors["inst_p"])
        first = datetime(2026, 3, 12, 1, 50)
        real = attendance.window

        def overtaken(session):
            db.session.execute(update(Attendance).where(
                Attendance.session_id == second.id, Attendance.enrolment_id == world.ids["en_p2_self"],
            ).values(mark=PRESENT, checked_in_at=first, by_scan=True).execution_options(synchronize_session=False))
            return real(session)

        monkeypatch.setattr(attendance, "window", overtaken)
        done = check_in(second.id, world.actors["p2"], datetime(2026, 3, 12, 10))
        assert (done.session.id, done.training_class.id, done.at, done.again) == (
            second.id, world.ids["cl_inst_p_enrol"], first, True)
        assert _mark(second.id, world.ids["en_p2_self"]) == (PRESENT, True, first)


def test_the_scan_time_is_stored_as_utc_whatever_the_servers_zone(app, world, monkeypatch):
    """Beijing's wall clock decides the window and the stored time is UTC, on a server set to New York."""
    import time as clock

    with acting(app):
        second = _second_session(world)
        monkeypatch.setenv("TZ", "America/New_York")
        clock.tzset()
        try:
            beijing = datetime.utcnow().replace(microsecond=0)
            now = attendance.beijing_now()
            assert abs((now - beijing).total_seconds() - 8 * 3600) < 60
            done = check_in(second.id, world.actors["p2"], datetime(2026, 3, 12, 10))
        finally:
            monkeypatch.undo()
            clock.tzset()
        assert done.at == datetime(2026, 3, 12, 2)


def test_the_grid_counts_every_change_of_one_save(app, world):
    with acting(app):
        second = _second_session(world)
        inst, p1, p2 = world.actors["inst_p"], world.ids["en_p1_self"], world.ids["en_p2_self"]
        assert save_marks(second, {p1: ABSENT, p2: LATE}, inst) == 2
        assert save_marks(second, {p1: PRESENT, p2: ABSENT}, inst) == 2


def test_sessions_counts_and_attendance_read_per_session(app, world):
    with acting(app):
        second = _second_session(world)
        inst = world.actors["inst_p"]
        later = add_session(row(world, TrainingClass, "cl_inst_p_enrol"), DAY2, time(14), time(16), inst)
        earlier = add_session(row(world, TrainingClass, "cl_inst_p_enrol"), DAY2, time(7), time(8), inst)
        assert [s.id for s in sessions_of(world.ids["cl_inst_p_enrol"])] == [
            world.ids["as_inst_p"], earlier.id, second.id, later.id]
        save_marks(second, {world.ids["en_p1_self"]: ABSENT, world.ids["en_p2_self"]: PRESENT}, inst)
        assert counts_by_session(world.ids["cl_inst_p_enrol"]) == {world.ids["as_inst_p"]: (1, 1), second.id: (2, 0)}
        gone = 2**31 - 1  # no such enrolment: nothing attended of no session
        assert attendance_of([world.ids["en_p2_self"], gone]) == {world.ids["en_p2_self"]: (2, 4), gone: (0, 0)}


def test_add_session_keeps_whole_minutes(app, world):
    with acting(app):
        made = add_session(row(world, TrainingClass, "cl_gz1_open"), DAY2, time(14, 0, 30, 5), time(15, 59, 59, 7),
                           world.actors["unit_gz1"])
        assert (made.starts_at, made.ends_at) == (time(14), time(15, 59))


def test_the_roster_orders_namesakes_by_id_number(app, world):
    from backoffice.models import Person
    from backoffice.workflows.attendance import roster

    with acting(app):
        twins = [Person(name="or_twin", sex="女", id_number=n) for n in ("ORCTWIN00000000009", "ORCTWIN00000000001")]
        db.session.add_all(twins)
        db.session.flush()
        for twin in twins:
            db.session.add(Enrolment(class_id=world.ids["cl_gz1_wait"], person_id=twin.id, source="unit",
                                     status=EnrolmentStatus.ENROLLED))
        db.session.flush()
        assert [e.person.id_number for e in roster(world.ids["cl_gz1_wait"])] == [
            "ORCTWIN00000000001", "ORCTWIN00000000009"]
