"""河南's way of joining a unit (002 审核注册人员, issue 13): the person chooses the unit at registration
and cannot sign in until it says 是; Guangdong's people keep today's way (register, sign in, choose)."""
from datetime import date

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import PersonJoin
from backoffice.models import Person, User
from backoffice.validators import make_citizen_id
from pages import field_errors, flashes
from people_helpers import PASSWORD, UNIVERSITY, org_id, person, profile
from province_rules import set_rule

PUYANG_UNIT = "濮阳示范职业技术学院"
HUALONG, PUYANG = "410902", "410900"
CONFIRM = "/admin/person_confirm"
OUTSIDE = "所选单位不在所选地区的单位中，请重新选择所在单位"


def _form(login: str, id_number: str, unit: str = "0", real_name: str = "豫新", region: str | None = None) -> dict:
    """The form as posted; a chosen unit comes with its region (华龙区 unless said)."""
    return {
        "region_code": (HUALONG if unit != "0" else "") if region is None else region,
        "login": login, "password": PASSWORD, "confirm": PASSWORD, "real_name": real_name, "mobile": "13912345678",
        "country": "中国", "id_type": "resident_id", "id_number": id_number, "email": f"{login}@example.cn",
        "unit_id": unit, "question1": "您母亲的姓名是？", "answer1": "李四", "question2": "您父亲的姓名是？",
        "answer2": "张五", "question3": "您的出生地是？", "answer3": "濮阳",
    }


def _henan_id(seq: int) -> str:
    return make_citizen_id("410902", date(1993, 5, 6), f"{seq:03d}")


def _login_error(client, login: str, password: str = PASSWORD) -> tuple[int, str]:
    response = client.login(login, password)
    return response.status_code, field_errors(response.get_data(as_text=True))


def test_the_demo_person_waits_for_her_unit_and_signs_in_once_it_approves(app, client, login_as):
    assert _login_error(client, "p_hn", "Demo2026x") == (200, f"此账号还未被审核，请联系{PUYANG_UNIT}")
    unit = login_as("py_unit")
    waiting = unit.get(f"{CONFIRM}/").get_data(as_text=True)
    assert "<title>审核注册人员" in waiting and "李豫华" in waiting
    li = person(app, name="李豫华")
    response = unit.post(f"{CONFIRM}/decide/?id={li.id}", {"accept": "1"}, token_page=f"{CONFIRM}/")
    assert response.status_code == 302
    assert person(app, id=li.id).binding_status == "confirmed"
    assert client.login("p_hn", "Demo2026x").status_code == 302


def test_a_henan_registration_names_the_unit_and_waits_for_its_review(app, client, login_as):
    page = client.get("/register/person").get_data(as_text=True)
    assert "华龙区" in page and "广州" not in page  # only regions of provinces that review registrations
    unit_id = org_id(app, PUYANG_UNIT)
    response = client.post("/register/person", _form("hn_new", _henan_id(301), str(unit_id)),
                           token_page="/register/person", follow_redirects=True)
    assert f"注册信息已经提交{PUYANG_UNIT}审核，请耐心等待" in flashes(response.get_data(as_text=True))
    me = person(app, id_number=_henan_id(301))
    assert (me.unit_id, me.binding_status, me.confirmed_at) == (unit_id, "pending", None)
    assert _login_error(client, "hn_new") == (200, f"此账号还未被审核，请联系{PUYANG_UNIT}")
    # a wrong password says nothing about the waiting
    assert _login_error(client, "hn_new", "Wrong2026abc")[1] != f"此账号还未被审核，请联系{PUYANG_UNIT}"

    # 否: the registration is refused; the account may sign in and choose again
    unit = login_as("py_unit")
    unit.post(f"{CONFIRM}/decide/?id={me.id}", {"accept": "0"}, token_page=f"{CONFIRM}/")
    assert person(app, id=me.id).binding_status == "refused"
    assert client.login("hn_new", PASSWORD).status_code == 302


def test_a_unit_that_does_not_review_registrations_cannot_be_chosen(app, client):
    before = _count(app)
    response = client.post("/register/person", _form("gd_try", _henan_id(303), str(org_id(app, UNIVERSITY))),
                           token_page="/register/person")
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True)) == OUTSIDE
    assert _count(app) == before
    for bad in ("abc", "-1", "99999999999999999999"):
        response = client.post("/register/person", _form("gd_try", _henan_id(303), bad), token_page="/register/person")
        assert response.status_code == 200, bad
        assert field_errors(response.get_data(as_text=True)), bad
        assert _count(app) == before


def test_guangdong_people_register_sign_in_and_choose_their_unit_as_before(app, client):
    gd_id = make_citizen_id("440106", date(1993, 5, 6), "305")
    response = client.post("/register/person", _form("gd_new", gd_id), token_page="/register/person")
    assert response.status_code == 302
    assert client.login("gd_new", PASSWORD).status_code == 302
    client.post("/admin/my_profile/", profile(app, "豫新", gd_id, unit=str(org_id(app, UNIVERSITY))),
                token_page="/admin/my_profile/")
    assert person(app, id_number=gd_id).binding_status == "pending"
    client.post("/logout", {}, token_page="/admin/my_profile/")
    assert client.login("gd_new", PASSWORD).status_code == 302  # waiting for a Guangdong unit does not block


def test_a_rule_change_reaches_the_next_sign_in_and_registration_only(app, client, login_as):
    """Henan stops reviewing registrations: the waiting person may sign in (their request stays with the
    unit, as before); the register page no longer offers Henan's units."""
    set_rule(app, "410000", person_join=PersonJoin.UNIT_CONFIRMS)
    assert client.login("p_hn", "Demo2026x").status_code == 302
    li = person(app, name="李豫华")
    assert (li.unit_id, li.binding_status) == (org_id(app, PUYANG_UNIT), "pending")
    assert "华龙区" not in client.get("/register/person").get_data(as_text=True)
    assert client.get(f"/register/units?region={HUALONG}").status_code == 404
    assert "李豫华" in login_as("py_unit").get(f"{CONFIRM}/").get_data(as_text=True)


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(db.func.count(User.id))) + db.session.scalar(select(db.func.count(Person.id)))
