"""The record lists cost a fixed number of queries, however many rows they show (no query per row)."""
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, RecordSource
from backoffice.models import Organisation, Person, Record

from records_helpers import DECLARE, REVIEW, START

UNIT_A = "广州示范大学"


def _add_records(app, count: int) -> None:
    with app.app_context():
        unit = db.session.scalar(select(Organisation).where(Organisation.name == UNIT_A))
        people = db.session.scalars(select(Person).where(Person.unit_id == unit.id, Person.binding_status == "confirmed")).all()
        for n in range(count):
            on = START - timedelta(days=n)
            db.session.add(Record(
                person_id=people[n % len(people)].id, course_type="public", course_name=f"加测课程{n:03d}",
                study_form_code="01", start_on=on, end_on=on, days=1, declared_hours=6, year=on.year,
                source=RecordSource.UNIT, status=ApplicationStatus.PENDING, reviewer_org_id=unit.id,
                review_step="unit", declared_by_org_id=unit.id,
            ))
        db.session.commit()


def test_record_lists_do_not_query_per_row(app, login_as, counting):
    unit = login_as("unit_a", UNIT_A)
    urls = [f"{REVIEW}/?page_size=100", f"{DECLARE}/?page_size=100"]

    def measure():
        counts = []
        for url in urls:
            unit.get(url)
            with counting() as statements:
                assert unit.get(url).status_code == 200
            counts.append(len(statements))
        return counts

    before = measure()
    _add_records(app, 25)
    assert measure() == before
