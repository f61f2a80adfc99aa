"""Twenty certificates issued at the same moment get twenty different numbers and none is lost; two
workers printing the same person-year at once leave one 有效 certificate (issue 11, on PostgreSQL and
SQLite alike: tests/race.py gives the race a committed database of its own)."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, CourseType, RecordSource
from backoffice.models import Certificate, Organisation, Person, Record, User
from backoffice.policy import available_contexts, build_actor
from backoffice.validators import make_citizen_id
from backoffice.workflows.certificates import certificate_for

from race import at_once, drop_race_app, race_app

YEAR = beijing_today().year - 1
PEOPLE = 20


@pytest.fixture(scope="module")
def racing(tmp_path_factory):
    app = race_app(tmp_path_factory, "certificate_race")
    with app.app_context():
        unit = db.session.scalar(select(Organisation).where(Organisation.name == "广州示范大学"))
        ids = []
        for n in range(PEOPLE):
            person = Person(
                name=f"并发{n:02d}", id_number=make_citizen_id("440106", date(1985, 1, 1), f"{700 + n:03d}"),
                sex="男" if n % 2 else "女", unit_id=unit.id, binding_status=BindingStatus.CONFIRMED,
            )
            db.session.add(person)
            db.session.flush()
            for kind, hours in ((CourseType.PUBLIC, 30), (CourseType.PROFESSIONAL, 60)):
                db.session.add(Record(
                    person_id=person.id, course_type=kind, course_name=f"课程{kind}", start_on=date(YEAR, 5, 1),
                    end_on=date(YEAR, 5, 3), declared_hours=Decimal(hours), approved_hours=Decimal(hours),
                    year=YEAR, source=RecordSource.UNIT, status=ApplicationStatus.APPROVED,
                    declared_by_org_id=unit.id, reviewer_org_id=unit.id,
                ))
            ids.append(person.id)
        db.session.commit()
    yield app, ids
    drop_race_app(app)


def _print(person_id: int) -> str:
    user = db.session.scalar(select(User).where(User.login == "unit_a"))
    key = next(c.key for c in available_contexts(user) if c.label.startswith("广州示范大学"))
    return certificate_for(db.session.get(Person, person_id), YEAR, build_actor(user, key)).number


def test_twenty_issues_at_once_get_twenty_numbers(racing):
    app, ids = racing
    numbers = at_once(app, [lambda i=i: _print(i) for i in ids])
    assert all(isinstance(n, str) for n in numbers), numbers
    assert len(set(numbers)) == PEOPLE
    with app.app_context():
        stored = set(db.session.scalars(select(Certificate.number).where(Certificate.person_id.in_(ids))))
    assert stored == set(numbers)


def test_two_workers_printing_one_person_year_leave_one_valid_certificate(racing):
    app, ids = racing
    with app.app_context():
        person_id = db.session.scalar(
            select(Person.id).where(Person.id.in_(ids), ~Person.id.in_(select(Certificate.person_id)))
        ) or ids[-1]
        db.session.execute(Certificate.__table__.delete().where(Certificate.person_id == person_id))
        db.session.commit()
    numbers = at_once(app, [lambda: _print(person_id), lambda: _print(person_id)])
    assert all(isinstance(n, str) for n in numbers), numbers
    assert numbers[0] == numbers[1]  # the second worker prints the certificate the first one issued
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(Certificate).where(Certificate.person_id == person_id)
        ) == 1
