"""Helpers for the 师资信息维护 stories: valid teacher data, look rows up, click what the manual clicks."""
from datetime import date

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Organisation, Teacher
from backoffice.validators import make_citizen_id
from pages import field_errors, flashes, list_table  # noqa: F401  (re-exported to the tests)
from pages import act as act_on

UNIVERSITY = "广州示范大学"
HOSPITAL = "广州示范医院"
SHENZHEN = "深圳示范科技有限公司"
TEACHERS = "/admin/teachers"

MALE_ID = make_citizen_id("440106", date(1970, 5, 1), "013")  # 17th digit odd: 男
FEMALE_ID = make_citizen_id("440104", date(1975, 8, 9), "024")  # even: 女


def teacher_form(**overrides) -> dict:
    """The 添加或修改教师 form as the manual fills it (004 §1.6.1)."""
    data = {
        "name": "张福强",
        "sex": "男",
        "id_number": MALE_ID,
        "title": "教授",
        "phone": "13899665532",
        "email": "zhangfq@qq.com",
        "courses": "《工匠精神与广东制造》",
        "intro": "从事制造业质量管理教学二十年。",
    }
    data.update(overrides)
    return data


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def teacher(app, **where) -> Teacher | None:
    with app.app_context():
        return db.session.scalar(select(Teacher).filter_by(**where))


def teacher_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Teacher.id)).all())


def add_teacher(app, org_name: str, name: str, id_number: str, sex: str = "男", active: bool = True) -> int:
    """A teacher put straight into the database (the story under test is elsewhere)."""
    with app.app_context():
        row = Teacher(
            org_id=org_id(app, org_name), name=name, sex=sex, id_number=id_number, title="讲师",
            phone="020-83331234", email="t@example.com", courses="课程", intro="简介", active=active,
        )
        db.session.add(row)
        db.session.commit()
        return row.id


def save(client, url: str, data: dict):
    return client.post(url, data, token_page=url, follow_redirects=True)


def create(client, **overrides):
    return save(client, f"{TEACHERS}/new/", teacher_form(**overrides))


def act(client, action: str, ids, follow=True):
    """Tick teachers, pick the action from 「选中的…」 and confirm."""
    return act_on(client, TEACHERS, action, ids, follow)
