"""Helpers for the organisation tests: register people and organisations the way a user does."""
import re
from datetime import date
from io import BytesIO

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import Organisation
from backoffice.validators import make_citizen_id, make_uscc

PASSWORD = "Reg2026abc"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def citizen_id(seq: int) -> str:
    return make_citizen_id("440106", date(1991, 5, 17), f"{seq:03d}")


def uscc(seq: int) -> str:
    return make_uscc(f"91440106MA{seq:07d}")


def person_form(login: str, id_number: str, **changes) -> dict:
    data = {
        "login": login,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "real_name": "张三",
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
    data.update(changes)
    return data


def org_form(name: str, code: str, **changes) -> dict:
    data = {
        "kind": "unit",
        "name": name,
        "code_type": "uscc",
        "code": code,
        "nature_code": "02",
        "level": "city",
        "region_code": "440106",
        "address": "天河路1号",
        "legal_rep": "王五",
        "contact_name": "赵六",
        "office_phone": "020-87654321",
    }
    data.update(changes)
    return data


CONTACTS = {
    "mobile": "13800001111",
    "email": "office@example.cn",
    "postcode": "510000",
    "profile": "本单位主要从事教学科研工作。",
}


class Applicant:
    """A visitor who registers an account and then an organisation, as the manual describes."""

    def __init__(self, client, login: str, seq: int):
        self.client, self.login, self.id_number = client, login, citizen_id(seq)

    def register_person(self, **changes):
        data = {**person_form(self.login, self.id_number), **changes}
        return self.client.post("/register/person", data, token_page="/register/person")

    def register_org(self, name: str, code: str, **changes):
        c = self.client
        c.post("/register/org", {"login": self.login, "id_number": self.id_number}, token_page="/register/org")
        c.post("/register/org/details", org_form(name, code, **changes), token_page="/register/org/details")
        return c.post("/register/org/confirm", {}, token_page="/register/org/confirm")

    def application_form(self, **changes) -> dict:
        """The application page's current values, as the browser would post them back."""
        html = self.client.get("/admin/org_application/application/").get_data(as_text=True)
        form = html.split('id="application-form"')[1].split("</form>")[0]
        values = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))
        for name in re.findall(r'<select[^>]*name="(\w+)"', form):
            block = form.split(f'name="{name}"')[1].split("</select>")[0]
            chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', block)
            first = re.search(r'<option[^>]*value="([^"]*)"', block)
            values[name] = (chosen.group(1) or chosen.group(2)) if chosen else first.group(1)
        for name in re.findall(r'<textarea[^>]*name="(\w+)"', form):
            values[name] = re.search(rf'name="{name}"[^>]*>([^<]*)</textarea>', form).group(1).strip()
        for button_or_token in ("csrf_token", "save", "submit"):
            values.pop(button_or_token, None)
        values.update(changes)
        return values

    def save(self, **changes):
        data = {**self.application_form(**changes), "save": "1"}
        return self.client.post("/admin/org_application/application/", data, token_page="/admin/org_application/application/")

    def upload(self, content: bytes = PDF, filename: str = "营业执照.pdf"):
        return self.client.post(
            "/admin/org_application/application/upload/",
            {"file": (BytesIO(content), filename)},
            token_page="/admin/org_application/application/",
            content_type="multipart/form-data",
        )

    def submit(self, **changes):
        data = {**self.application_form(**changes), "submit": "1"}
        return self.client.post("/admin/org_application/application/", data, token_page="/admin/org_application/application/")


def org_by_name(app, name: str) -> Organisation:
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        db.session.expunge(org)
        return org
