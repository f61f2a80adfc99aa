"""人员年度学时 (`person_year_hours`, issue 12 item 6): the record triggers keep each person-year's approved
hours in the statement that changes a record, whatever path ran it; `flask hours-summary` checks the
table against a recount and rebuilds it. (Every test of the suite also ends by checking the table against
the recount: tests/conftest.py.)"""
import time
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, update

from backoffice.extensions import db
from backoffice.hours import summary_mismatches, year_hours
from backoffice.labels import ApplicationStatus, CourseType, RecordSource
from backoffice.models import Person, PersonYearHours, Record

from race import at_once, drop_race_app, race_app

YEAR = 2019  # no demo record is of this year


def _held(person_id: int) -> dict[int, tuple]:
    rows = db.session.execute(select(PersonYearHours).where(PersonYearHours.person_id == person_id)).scalars()
    return {r.year: (float(r.public_hours), float(r.professional_hours), float(r.elective_hours), r.last_end_on)
            for r in rows}


def _record(person_id: int, course_type: str, hours: int, end_on: date, status: str, name: str) -> Record:
    return Record(
        person_id=person_id, course_type=course_type, course_name=name, start_on=end_on, end_on=end_on,
        declared_hours=Decimal(hours), approved_hours=Decimal(hours) if status == ApplicationStatus.APPROVED else None,
        year=end_on.year, source=RecordSource.PERSON, status=status,
    )


def _two_people() -> tuple[int, int]:
    return tuple(db.session.scalars(select(Person.id).order_by(Person.id).limit(2)))


def test_every_change_of_an_approved_record_is_in_its_person_year(app):
    with app.app_context():
        first, second = _two_people()
        before = _held(first)
        public = _record(first, CourseType.PUBLIC, 10, date(YEAR, 3, 1), ApplicationStatus.APPROVED, "公需一")
        pending = _record(first, CourseType.PROFESSIONAL, 20, date(YEAR, 6, 1), ApplicationStatus.PENDING, "专业一")
        db.session.add_all([public, pending])
        db.session.flush()
        assert _held(first)[YEAR] == (10, 0, 0, date(YEAR, 3, 1))  # a pending record counts nothing

        db.session.execute(update(Record).where(Record.id == pending.id).values(
            status=ApplicationStatus.APPROVED, approved_hours=18))
        assert _held(first)[YEAR] == (10, 18, 0, date(YEAR, 6, 1))  # 认定 at 18 of the 20 declared

        db.session.execute(update(Record).where(Record.id == public.id).values(approved_hours=12))
        assert _held(first)[YEAR] == (12, 18, 0, date(YEAR, 6, 1))

        db.session.execute(update(Record).where(Record.id == pending.id).values(
            status=ApplicationStatus.RETURNED, approved_hours=None))
        assert _held(first)[YEAR] == (12, 0, 0, date(YEAR, 3, 1))  # the latest end falls back too

        db.session.execute(update(Record).where(Record.id == public.id).values(year=YEAR - 1))
        assert YEAR not in _held(first) and _held(first)[YEAR - 1] == (12, 0, 0, date(YEAR, 3, 1))

        db.session.execute(update(Record).where(Record.id == public.id).values(person_id=second))
        assert YEAR - 1 not in _held(first) and _held(second)[YEAR - 1] == (12, 0, 0, date(YEAR, 3, 1))

        db.session.execute(delete(Record).where(Record.id.in_([public.id, pending.id])))
        assert YEAR - 1 not in _held(second) and _held(first) == before
        assert summary_mismatches() == []


def test_the_check_finds_a_wrong_row_and_the_rebuild_mends_it(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["hours-summary"])
    assert (result.exit_code, result.output.strip()) == (0, "人员年度学时与继续教育记录的重算一致。")
    with app.app_context():
        row = db.session.scalars(select(PersonYearHours).order_by(PersonYearHours.person_id)).first()
        person_id, year, public = row.person_id, row.year, row.public_hours
        db.session.execute(update(PersonYearHours).where(
            PersonYearHours.person_id == person_id, PersonYearHours.year == year).values(public_hours=public + 5))
        db.session.commit()
        assert [(m[0], m[1]) for m in summary_mismatches()] == [(person_id, year)]

    result = runner.invoke(args=["hours-summary"])
    assert result.exit_code == 1
    assert f"人员 {person_id}，{year}年度：表中 公需{public + 5}" in result.output
    assert f"重算 公需{public}" in result.output

    result = runner.invoke(args=["hours-summary", "--rebuild"])
    assert result.exit_code == 0 and "人员年度学时与继续教育记录的重算一致。" in result.output
    with app.app_context():
        assert summary_mismatches() == []
        assert db.session.get(PersonYearHours, (person_id, year)).public_hours == public


@pytest.fixture(scope="module")
def racing(tmp_path_factory):
    app = race_app(tmp_path_factory, "person_year_hours_race")
    with app.app_context():
        person_id = _two_people()[0]
        rows = [_record(person_id, CourseType.PUBLIC, 10, date(YEAR, 3, 1), ApplicationStatus.PENDING, "并发一"),
                _record(person_id, CourseType.ELECTIVE, 6, date(YEAR, 4, 1), ApplicationStatus.PENDING, "并发二")]
        db.session.add_all(rows)
        db.session.commit()
        ids = [r.id for r in rows]
    yield app, person_id, ids
    drop_race_app(app)


def test_two_approvals_of_one_person_year_at_once_are_both_counted(racing):
    """Two reviewers approve two records of the same person-year in overlapping transactions. Each
    trigger recounts the person-year; without the lock on the person the second would recount from a
    snapshot without the first's approval and overwrite it (PostgreSQL; SQLite has one writer)."""
    app, person_id, (first, second) = racing

    def approve(record_id: int, hours: int, hold: float, wait: float):
        time.sleep(wait)
        db.session.execute(update(Record).where(Record.id == record_id).values(
            status=ApplicationStatus.APPROVED, approved_hours=hours))
        time.sleep(hold)  # still uncommitted while the other approves

    results = at_once(app, [lambda: approve(first, 10, 0.6, 0), lambda: approve(second, 6, 0, 0.2)])
    assert results == [None, None]
    with app.app_context():
        assert _held(person_id)[YEAR] == (10, 0, 6, date(YEAR, 4, 1))
        assert summary_mismatches() == []


def test_a_statistics_date_inside_a_person_year_recounts_only_that_person_year(app):
    """year_hours as of a 统计时间: person-years whose last study ended by then come from the table; one
    whose last study ended later is recounted from its records ended by then; one whose every study ended
    later has no row (not a learner yet)."""
    with app.app_context():
        first, second = _two_people()
        db.session.add_all([
            _record(first, CourseType.PUBLIC, 10, date(YEAR, 3, 1), ApplicationStatus.APPROVED, "早"),
            _record(first, CourseType.ELECTIVE, 4, date(YEAR, 9, 1), ApplicationStatus.APPROVED, "晚"),
            _record(second, CourseType.PROFESSIONAL, 30, date(YEAR, 10, 1), ApplicationStatus.APPROVED, "晚"),
        ])
        db.session.flush()

        def hours(as_of):
            rows = db.session.execute(year_hours(YEAR, as_of=as_of, people=[first, second])).all()
            return sorted((r.person_id, *map(float, r[1:])) for r in rows)  # a person twice would show

        assert hours(None) == [(first, 10, 0, 4, 14), (second, 0, 30, 0, 30)]
        assert hours(date(YEAR, 12, 31)) == hours(None)
        assert hours(date(YEAR, 9, 1)) == [(first, 10, 0, 4, 14)]
        assert hours(date(YEAR, 6, 30)) == [(first, 10, 0, 0, 10)]
        assert hours(date(YEAR, 2, 1)) == []
