"""List pages cost a fixed number of queries, however many rows they show (no N+1)."""
from sqlalchemy import select

from backoffice.clock import beijing_today
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


def test_the_other_statistics_do_not_query_per_row(app, login_as, counting):
    """学时分类统计, 审核积压统计 and 培训计划统计: one GROUP BY per figure kind, whatever rows, forms or reviewers appear."""
    from datetime import timedelta

    from backoffice.labels import ApplicationStatus
    from backoffice.models import Record
    from backoffice.models.base import utcnow

    pages = {"gd_hr": ["/admin/hours_by_type/", "/admin/review_backlog/", "/admin/plan_statistics/"],
             "unit_b": ["/admin/hours_by_type/"]}
    clients = {login: login_as(login) for login in pages}

    def measure():
        counts = {}
        for login, urls in pages.items():
            for url in urls:
                clients[login].get(url)
                with counting() as statements:
                    assert clients[login].get(url).status_code == 200
                counts[(login, url)] = len(statements)
        return counts

    before = measure()
    _add_people(app, "深圳示范科技有限公司", 12)
    with app.app_context():
        today = beijing_today()
        people = db.session.scalars(select(Person).where(Person.name.like("加测%"))).all()
        for n, person in enumerate(people):  # approved hours of this year in three 学习形式
            db.session.add(Record(
                person_id=person.id, course_type="professional", course_name=f"加测课程{n}", start_on=today,
                end_on=today, declared_hours=10, approved_hours=10, year=today.year, source="unit",
                status=ApplicationStatus.APPROVED, study_form_code=f"0{n % 3 + 1}",
            ))
        reviewer = db.session.scalar(select(Organisation).where(Organisation.name == "广东省教育厅"))
        waiting = db.session.scalar(select(Organisation).where(Organisation.name == "广州示范科技学校"))
        waiting.reviewer_org_id, waiting.submitted_at = reviewer.id, utcnow() - timedelta(days=2)
        db.session.commit()
    after = measure()
    assert after == before
