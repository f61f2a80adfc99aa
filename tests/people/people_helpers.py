"""Helpers for the people tests: profile forms filled in as a person or a unit operator would."""
import re
from datetime import date

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import DictionaryItem, Organisation, Person, PersonChange, ProfessionalSeries
from backoffice.validators import make_citizen_id

UNIVERSITY = "广州示范大学"
SHENZHEN = "深圳示范科技有限公司"
HOSPITAL = "广州示范医院"


def new_id(seq: int, birth: date = date(1992, 3, 4)) -> str:
    return make_citizen_id("440106", birth, f"{seq:03d}")


def code(app, category: str, name: str) -> str:
    with app.app_context():
        return db.session.scalar(
            select(DictionaryItem.code).where(DictionaryItem.category == category, DictionaryItem.name == name)
        )


def series_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ProfessionalSeries.id).where(ProfessionalSeries.name == name))


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def registration_unit_names(client, region: str) -> list[str]:
    """The 所在单位 that 个人用户注册 offers in a region, as its script fetches them."""
    response = client.get(f"/register/units?region={region}")
    assert response.status_code == 200, response.status_code
    return [unit["name"] for unit in response.get_json()["units"]]


def person(app, **where) -> Person | None:
    with app.app_context():
        row = db.session.scalar(select(Person).filter_by(**where))
        if row is not None:
            db.session.expunge(row)
        return row


def changes_of(app, person_id: int) -> list[PersonChange]:
    with app.app_context():
        rows = db.session.scalars(select(PersonChange).where(PersonChange.person_id == person_id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def profile(app, name: str, id_number: str, **changes) -> dict:
    """Every field of 000 §1.5.2, valid; birth date and sex left for the ID number to fill."""
    data = {
        "name": name,
        "id_number": id_number,
        "sex": "",
        "birth_date": "",
        "ethnicity_code": code(app, "ethnicity", "汉族"),
        "native_place": "广东广州",
        "education_code": code(app, "education", "大学本科"),
        "degree_code": code(app, "degree", "学士"),
        "major": "计算机科学",
        "school": "华南示范大学",
        "graduated_on": "2014-07-01",
        "work_started_on": "2014-08-01",
        "phone": "13912345678",
        "email": "someone@example.cn",
        "title": "讲师",
        "title_level": "middle",
        "title_obtained_on": "2019-12-01",
        "series_id": str(series_id(app, "高等学校教师")),
        "specialty": "软件工程",
        "postcode": "510000",
        "address": "广州市天河区天河路1号",
    }
    data.update(changes)
    return data


def form_values(html: str) -> dict:
    """The values a browser would post back from the page's inputs and selects (enough for these forms)."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and 'type="submit"' not in tag:
            values.setdefault(name.group(1), value.group(1) if value else "")
    for name, body in re.findall(r'<select[^>]*?name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', body)
        values[name] = (chosen.group(1) or chosen.group(2) or "") if chosen else ""
    values.pop("csrf_token", None)
    return values


PASSWORD = "Reg2026abc"


def register(client, login: str, id_number: str, real_name: str = "张三"):
    """个人用户注册 as on /register/person, then sign in as that person."""
    data = {
        "login": login,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "real_name": real_name,
        "mobile": "13912345678",
        "country": "中国",
        "id_type": "resident_id",
        "id_number": id_number,
        "email": f"{login}@example.cn",
        "question1": "您母亲的姓名是？",
        "answer1": "李四",
        "question2": "您父亲的姓名是？",
        "answer2": "张五",
        "question3": "您的出生地是？",
        "answer3": "广州",
    }
    assert client.post("/register/person", data, token_page="/register/person").status_code == 302
    assert client.login(login, PASSWORD).status_code == 302
    return client
