"""The training lists cost a fixed number of queries however many rows they show (no query per row)."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Catalogue, Organisation, Plan, Teacher, TrainingClass

from training_helpers import APPLY, CLASSES, QUERY, REVIEW, YEAR


def _add_plans(app, count):
    """`count` approved plans of 广东示范继续教育学院 with two classes each, reviewed by 广东省教育厅."""
    with app.app_context():
        inst = db.session.scalar(select(Organisation).where(Organisation.name == "广东示范继续教育学院"))
        gd_edu = db.session.scalar(select(Organisation).where(Organisation.name == "广东省教育厅"))
        courses = db.session.scalar(select(Catalogue).where(Catalogue.year == YEAR)).courses
        teachers = db.session.scalars(select(Teacher).where(Teacher.org_id == inst.id, Teacher.active.is_(True))).all()
        for n in range(count):
            plan = Plan(
                owner_org_id=inst.id, course_id=courses[n % len(courses)].id, series_id=gd_edu.series_id, year=YEAR,
                name=f"加测计划{n:03d}", days=Decimal(1), hours=Decimal(6), sessions=2, start_on=date(YEAR, 3, 1),
                end_on=date(YEAR, 9, 30), content="内容", audience="对象", status="approved", reviewer_org_id=gd_edu.id,
            )
            plan.classes = [
                TrainingClass(
                    name=f"加测计划{n:03d}班{k}", planned_open_on=date(YEAR, 4, k), study_form_code="01",
                    study_start_on=date(YEAR, 4, k), study_end_on=date(YEAR, 4, k + 1), capacity=20,
                    head_teacher_id=teachers[(n + k) % len(teachers)].id, exam_type_code="01", location="本院",
                    schedule="一天", status="open", enrolled_count=0, teachers=teachers,
                )
                for k in (1, 2)
            ]
            db.session.add(plan)
        db.session.commit()


def test_training_lists_do_not_query_per_row(app, login_as, counting):
    pages = {
        ("inst_a", f"{CLASSES}/?page_size=100"),
        ("inst_a", f"{APPLY}/?page_size=100"),
        ("gd_edu", f"{QUERY}/?page_size=100"),
        ("gd_edu", f"{REVIEW}/?page_size=100"),
    }
    clients = {login: login_as(login) for login, _ in pages}

    def measure():
        counts = {}
        for login, url in sorted(pages):
            clients[login].get(url)  # the first request also loads the user and actor
            with counting() as statements:
                assert clients[login].get(url).status_code == 200
            counts[url] = len(statements)
        return counts

    before = measure()
    _add_plans(app, 30)
    after = measure()
    assert after == before
    assert max(before.values()) <= 12, before
    listing = clients["inst_a"].get(f"{CLASSES}/?page_size=100").get_data(as_text=True)
    assert "加测计划029班2" in listing


ENROLLING = f"{YEAR}年高校教师教学能力提升研修班第2期"  # 接受报名: people apply to it


def _add_enrolees(app, count):
    """`count` new people of 广州示范大学, each entered into its own class and applying to the institution's."""
    from backoffice.labels import BindingStatus, EnrolmentSource, EnrolmentStatus
    from backoffice.models import Enrolment, Person
    from backoffice.validators import make_citizen_id

    with app.app_context():
        unit = db.session.scalar(select(Organisation).where(Organisation.name == "广州示范大学"))
        internal = db.session.scalar(select(TrainingClass).where(TrainingClass.name == f"{YEAR}年课程思政校内培训第1期"))
        enrolling = db.session.scalar(select(TrainingClass).where(TrainingClass.name == ENROLLING))
        for n in range(count):
            person = Person(name=f"加测学员{n:03d}", sex="男", unit_id=unit.id, binding_status=BindingStatus.CONFIRMED,
                            id_number=make_citizen_id("440106", date(1990, 1, 1), f"{800 + n:03d}"))
            db.session.add(person)
            db.session.flush()
            db.session.add_all([
                Enrolment(class_id=internal.id, person_id=person.id, source=EnrolmentSource.UNIT,
                          status=EnrolmentStatus.ENROLLED, entered_by_org_id=unit.id),
                Enrolment(class_id=enrolling.id, person_id=person.id, source=EnrolmentSource.SELF,
                          status=EnrolmentStatus.APPLIED),
            ])
        internal.enrolled_count += count
        internal.capacity += count
        db.session.commit()
        return internal.id


def test_enrolment_lists_do_not_query_per_row(app, login_as, counting):
    with app.app_context():
        internal = db.session.scalar(select(TrainingClass.id).where(TrainingClass.name == f"{YEAR}年课程思政校内培训第1期"))
    clients = {"inst_a": login_as("inst_a"), "unit_a": login_as("unit_a", "广州示范大学"), "p_chen": login_as("p_chen")}
    pages = [
        ("inst_a", "/admin/enrol_confirm/?page_size=100"),  # opens on 已报名待确认
        ("unit_a", f"/admin/class_enrol_entered/?class_id={internal}&page_size=100"),
        ("unit_a", f"/admin/class_enrol_people/?class_id={internal}&page_size=100"),
        ("unit_a", "/admin/class_enrol/?page_size=100"),
        ("p_chen", "/admin/class_apply/?page_size=100"),
        ("p_chen", "/admin/my_classes/?page_size=100"),
    ]

    def measure():
        counts = {}
        for login, url in pages:
            clients[login].get(url)
            with counting() as statements:
                assert clients[login].get(url).status_code == 200, url
            counts[url] = len(statements)
        return counts

    before = measure()
    _add_enrolees(app, 30)
    after = measure()
    assert after == before
    assert "加测学员029" in clients["inst_a"].get("/admin/enrol_confirm/?page_size=100").get_data(as_text=True)
    assert "加测学员029" in clients["unit_a"].get(pages[1][1]).get_data(as_text=True)
