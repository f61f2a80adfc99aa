"""Helpers of the training tests: what a user types and clicks on the training screens, and rows read back."""
import re
from datetime import date
from io import BytesIO

from sqlalchemy import select

from backoffice.clock import beijing_today
from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, MembershipStatus
from backoffice.models import (
    Course,
    Enrolment,
    Membership,
    Organisation,
    Person,
    Plan,
    ProfessionalSeries,
    Teacher,
    TrainingClass,
    User,
)
from backoffice.validators import make_citizen_id, make_uscc

from pages import list_table, search_box

YEAR = beijing_today().year
CATALOGUES = "/admin/catalogue_publish"
APPLY = "/admin/plan_apply"
FILING = "/admin/plan_filing"
REVIEW = "/admin/plan_review"
QUERY = "/admin/plan_query"
CLASSES = "/admin/class_setup"
QUAL_APPLY = "/admin/qualification_apply"
QUAL_REVIEW = "/admin/qualification_review"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def one(app, model, **by):
    """One row found by its columns, detached (or None)."""
    with app.app_context():
        row = db.session.scalar(select(model).filter_by(**by))
        if row is not None:
            db.session.expunge(row)
        return row


def org_id(app, name: str) -> int:
    return one(app, Organisation, name=name).id


def teacher_id(app, name: str) -> int:
    return one(app, Teacher, name=name).id


def course_id(app, name: str) -> int:
    return one(app, Course, name=name).id


def id_from(response) -> int:
    """The row id a create/redirect response leads to (…?id=N)."""
    match = re.search(r"[?&]id=(\d+)", response.headers.get("Location", ""))
    assert match, (response.status_code, response.headers.get("Location"), response.get_data(as_text=True)[-1500:])
    return int(match.group(1))


def make_org(app, login: str, name: str, kind: str, level: str, region: str, seq: int, series: str | None = None) -> int:
    """An approved organisation with one super-admin account `login` (password: the demo's)."""
    with app.app_context():
        series_id = db.session.scalar(select(ProfessionalSeries.id).where(ProfessionalSeries.name == series)) if series else None
        hr = db.session.scalar(select(Organisation.id).where(Organisation.name == "广东省人力资源和社会保障厅"))
        org = Organisation(
            kind=kind, name=name, code=make_uscc(f"91440000MB{seq:07d}"), level=level, region_code=region,
            series_id=series_id, hr_org_id=hr, status=ApplicationStatus.APPROVED, active=True,
            contact_name="办公室", office_phone="020-83330000", mobile="13900000000", email=f"{login}@example.cn",
            postcode="510000", address="示范路1号", profile="测试单位", nature_code="02",
        )
        user = User(
            login=login, real_name=f"{name}经办人", id_type="resident_id",
            id_number=make_citizen_id("440106", date(1985, 1, 1), f"{seq % 1000:03d}"),
            mobile="13800009999", email=f"{login}@example.cn", real_name_verified=True,
        )
        user.set_password(DEMO_PASSWORD)
        db.session.add_all([org, user])
        db.session.flush()
        db.session.add(Membership(user_id=user.id, org_id=org.id, status=MembershipStatus.ACTIVE, is_super_admin=True))
        db.session.commit()
        return org.id


def add_teacher(app, org_name: str, name: str, seq: int) -> int:
    with app.app_context():
        row = Teacher(
            org_id=org_id(app, org_name), name=name, sex="男",
            id_number=make_citizen_id("440106", date(1970, 1, 1), f"{seq:03d}"), title="讲师",
            phone="020-83331234", email="t@example.com", courses="课程", intro="简介", active=True,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


# ---- forms as a user fills them -----------------------------------------------------------------


def plan_form(course: int, **changes) -> dict:
    data = {
        "course_id": str(course), "year": str(YEAR), "name": f"{YEAR}年测试培训计划", "days": "2", "hours": "",
        "sessions": "2", "start_on": f"{YEAR}-03-01", "end_on": f"{YEAR}-06-30", "content": "专题讲授与研讨",
        "audience": "本单位专任教师", "note": "",
    }
    data.update(changes)
    return data


def class_form(head: int, teachers: list[int], **changes) -> dict:
    data = {
        "name": "测试培训班第1期", "planned_open_on": f"{YEAR}-04-01", "study_form_code": "01",
        "study_start_on": f"{YEAR}-04-01", "study_end_on": f"{YEAR}-04-02", "capacity": "30",
        "head_teacher_id": str(head), "exam_type_code": "02", "location": "教学楼101室",
        "schedule": "两天，每天9:00-17:00", "teacher_ids": [str(t) for t in teachers],
        "subjects": "专题讲授\n案例研讨",
    }
    data.update(changes)
    return data


def create_plan(client, view: str, course: int, **changes):
    return client.post(f"{view}/new/", plan_form(course, **changes), token_page=f"{view}/")


def add_class(client, view: str, plan_id: int, head: int, teachers: list[int], **changes):
    url = f"{view}/classes/form/?id={plan_id}"
    return client.post(url, class_form(head, teachers, **changes), token_page=f"{view}/details/?id={plan_id}")


def submit(client, view: str, plan_id: int):
    return client.post(f"{view}/submit/?id={plan_id}", {}, token_page=f"{view}/details/?id={plan_id}")


def decide(client, plan_id: int, result: str, opinion: str = "", view: str = REVIEW):
    return client.post(f"{view}/review/?id={plan_id}", {"result": result, "opinion": opinion}, token_page=f"{view}/")


def upload(client, view: str, row_id: int, filename: str = "计划附件.pdf"):
    return client.post(
        f"{view}/attachments/upload/?id={row_id}", {"file": (BytesIO(PDF), filename)},
        token_page=f"{view}/details/?id={row_id}", content_type="multipart/form-data",
    )


def move(client, class_ids, code: str, note: str = "", follow=True):
    """班级状态操作: tick the classes, choose the move, write the 说明, 保存."""
    url = f"{CLASSES}/status/?" + "&".join(f"id={i}" for i in class_ids)
    return client.post(
        url, {"move": code, "note": note, "id": [str(i) for i in class_ids]}, token_page=f"{CLASSES}/",
        follow_redirects=follow,
    )


def plan_status(app, plan_id: int) -> str:
    return one(app, Plan, id=plan_id).status


def class_status(app, class_id: int) -> str:
    return one(app, TrainingClass, id=class_id).status


def enrol(app, class_id: int, person_name: str, result: str | None = None, status: str = "enrolled") -> int:
    """An enrolment put straight into the database (the enrolment screens are a later item)."""
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == person_name))
        row = Enrolment(class_id=class_id, person_id=person.id, source="unit", status=status, result=result)
        db.session.add(row)
        db.session.commit()
        return row.id



def filtered(client, view: str, label: str, value) -> str:
    """The list table after putting `value` in the 搜索查询 box labelled `label` and pressing 查询."""
    arg = search_box(client.get(f"{view}/").get_data(as_text=True), label)
    return list_table(client.get(f"{view}/?{arg}={value}").get_data(as_text=True))


# ---- 培训班考勤设置 and 学员成绩管理 (items 6 and 7) ---------------------------------------------------

ATTENDANCE = "/admin/class_attendance"
RESULTS = "/admin/class_results"
UNIT_CLASS = f"{YEAR}年课程思政校内培训第1期"  # unit_a's 开班 class: five demo enrolees, two sessions
INST_CLASS = f"{YEAR}年高校教师教学能力提升研修班第3期"  # inst_a's 开班 class: four demo enrolees
UNIT_A = "广州示范大学"


def enrolment_of(app, class_id: int, person_name: str) -> Enrolment:
    with app.app_context():
        row = db.session.scalar(
            select(Enrolment).join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.class_id == class_id, Person.name == person_name)
        )
        db.session.expunge(row)
        return row
