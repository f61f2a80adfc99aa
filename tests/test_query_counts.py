"""List pages cost a fixed number of queries, however many rows they show (no N+1)."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Organisation, Person, ProfessionalSeries


def _add_people(app, unit_name, count):
    with app.app_context():
        unit = db.session.scalar(select(Organisation).where(Organisation.name == unit_name))
        series = db.session.scalars(select(ProfessionalSeries)).all()
        for n in range(count):
            db.session.add(Person(
                name=f"加测{n:03d}", sex="男", id_number=f"T{n:017d}", unit_id=unit.id,
                binding_status="confirmed", series_id=series[n % len(series)].id,
            ))
        db.session.commit()


def test_list_pages_do_not_query_per_row(app, login_as, counting):
    pages = {
        "unit_b": "/admin/person_maintain/?page_size=100",
        "gd_hr": "/admin/person_query/?page_size=100",
        "helpdesk": "/admin/bindings/?page_size=100",
    }
    clients = {login: login_as(login) for login in pages}

    def measure():
        counts = {}
        for login, url in pages.items():
            clients[login].get(url)  # the first request also loads the user and actor
            with counting() as statements:
                assert clients[login].get(url).status_code == 200
            counts[login] = len(statements)
        return counts

    before = measure()
    _add_people(app, "深圳示范科技有限公司", 30)
    after = measure()
    assert after == before
    assert max(before.values()) <= 12, before
