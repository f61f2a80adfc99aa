"""Every organisation employs where the province's rule says so (issue 13 item 2, docs/provinces.md):
under Henan's rule an HR department has people of its own — 审核注册人员, 学时学分申报 / 学时学分审批 and 人员调转
for them — and sees only them on those screens; Guangdong's HR, industry departments and institutions
have none of these screens, and nobody there can choose them as a 工作单位."""
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, TransferStatus
from backoffice.models import Person, Record, ReviewLog, Transfer, User
from backoffice.validators import make_citizen_id
from pages import field_errors, flashes, list_table
from people_helpers import PASSWORD, UNIVERSITY, org_id, person, profile, registration_unit_names
from province_rules import set_rule

PY_HR, PY_UNIT = "濮阳市人力资源和社会保障局", "濮阳示范职业技术学院"
GD_HR = "广东省人力资源和社会保障厅"
CONFIRM, DECLARE, REVIEW = "/admin/person_confirm", "/admin/record_declare", "/admin/record_review"
START = max(beijing_today() - timedelta(days=40),
            date(beijing_today().year, 1, 1) if beijing_today() > date(beijing_today().year, 1, 31) else date.min)

#: an employer's screens (policy/modules.py `staff`)
STAFF_SCREENS = (
    "person_confirm", "person_maintain", "person_changes", "person_import", "transfer_out", "transfer_in",
    "transfer_log", "record_declare", "record_unit_declared", "record_query", "record_import",
)


def _form(login: str, id_number: str, unit: str, real_name: str = "豫新", region: str = "410900") -> dict:
    """The form as posted; a chosen unit comes with its region (濮阳市 unless said)."""
    return {
        "region_code": region if unit != "0" else "",
        "login": login, "password": PASSWORD, "confirm": PASSWORD, "real_name": real_name, "mobile": "13912345678",
        "country": "中国", "id_type": "resident_id", "id_number": id_number, "email": f"{login}@example.cn",
        "unit_id": unit, "question1": "您母亲的姓名是？", "answer1": "李四", "question2": "您父亲的姓名是？",
        "answer2": "张五", "question3": "您的出生地是？", "answer3": "濮阳",
    }


def _henan_id(seq: int) -> str:
    return make_citizen_id("410902", date(1993, 5, 6), f"{seq:03d}")


def _record_form(**changes) -> dict:
    data = {
        "study_form_code": "01", "course_type": "professional", "course_name": "机关专业技术人员专题讲座",
        "start_on": START.isoformat(), "end_on": (START + timedelta(days=1)).isoformat(), "days": "2",
        "exam_result": "pass", "declared_hours": "12", "institution_name": "濮阳市示范继续教育基地",
        "year": str(START.year), "location": "濮阳市华龙区", "content": "专业知识更新", "note": "",
    }
    data.update(changes)
    return data


def _created_id(response) -> int:
    match = re.search(r"[?&]id=(\d+)", response.headers.get("Location", ""))
    assert match, (response.status_code, response.get_data(as_text=True)[-1500:])
    return int(match.group(1))


def _record(app, record_id: int) -> Record:
    with app.app_context():
        row = db.session.get(Record, record_id)
        db.session.expunge(row)
        return row


def _steps(app, record_id: int) -> list[tuple[str, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(ReviewLog).where(
            ReviewLog.object_type == "record", ReviewLog.object_id == record_id).order_by(ReviewLog.id))
        return [(r.step, r.reviewer_org.name if r.reviewer_org else None) for r in rows]


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_person_registers_with_an_hr_which_approves_them_declares_and_approves_their_hours(app, client, login_as):
    assert PY_HR in registration_unit_names(client, "410900")
    hr_id = org_id(app, PY_HR)
    response = client.post("/register/person", _form("hr_staff", _henan_id(311), str(hr_id)),
                           token_page="/register/person", follow_redirects=True)
    assert f"注册信息已经提交{PY_HR}审核，请耐心等待" in flashes(response.get_data(as_text=True))
    me = person(app, id_number=_henan_id(311))
    assert (me.unit_id, me.binding_status) == (hr_id, BindingStatus.PENDING)
    response = client.login("hr_staff", PASSWORD)
    assert (response.status_code, field_errors(response.get_data(as_text=True))) == (
        200, f"此账号还未被审核，请联系{PY_HR}")

    # 审核注册人员: py_hr's own applicants only — 李豫华 waits for py_unit, inside py_hr's region
    hr = login_as("py_hr")
    page = hr.get(f"{CONFIRM}/").get_data(as_text=True)
    assert "<title>审核注册人员" in page
    table = list_table(page)
    assert "豫新" in table and "吴豫琳" in table and "李豫华" not in table
    li = person(app, name="李豫华")
    assert hr.get(f"{CONFIRM}/details/?id={li.id}").status_code == 404
    assert hr.post(f"{CONFIRM}/decide/?id={li.id}", {"accept": "1"}, token_page=f"{CONFIRM}/").status_code == 404
    assert person(app, id=li.id).binding_status == BindingStatus.PENDING
    response = hr.post(f"{CONFIRM}/decide/?id={me.id}", {"accept": "1"}, token_page=f"{CONFIRM}/")
    assert response.status_code == 302
    assert person(app, id=me.id).binding_status == BindingStatus.CONFIRMED
    assert client.login("hr_staff", PASSWORD).status_code == 302
    maintained = list_table(hr.get("/admin/person_maintain/").get_data(as_text=True))
    assert "豫新" in maintained and "钱豫民" in maintained and "赵中原" not in maintained  # py_unit's

    # 学时学分申报 by py_hr for its own staff: py_hr is also the HR of its region, so its 确认 is the chain
    assert "<title>学时学分申报" in hr.get(f"{DECLARE}/").get_data(as_text=True)
    record_id = _created_id(hr.post(f"{DECLARE}/new/", _record_form(id_number=_henan_id(311), name="豫新"),
                                    token_page=f"{DECLARE}/"))
    response = hr.post(f"{DECLARE}/submit/?id={record_id}", {}, token_page=f"{DECLARE}/", follow_redirects=True)
    assert "已确认，学时已认定" in flashes(response.get_data(as_text=True))
    row = _record(app, record_id)
    assert (row.status, str(row.approved_hours)) == (ApplicationStatus.APPROVED, "12.0")
    # another organisation's person cannot be declared for
    zhao = person(app, name="赵中原")
    response = hr.post(f"{DECLARE}/new/", _record_form(id_number=zhao.id_number, name="赵中原", course_name="别人"),
                       token_page=f"{DECLARE}/")
    assert response.status_code == 200
    assert "该公民身份号码不是本单位已确认的专业技术人员" in field_errors(response.get_data(as_text=True))

    # the person declares their own: 学时学分审批 by py_hr, one step (not a second time as the region's HR)
    own = _created_id(client.post(f"{DECLARE}/new/", _record_form(course_name="个人自学课程"), token_page=f"{DECLARE}/"))
    response = client.post(f"{DECLARE}/submit/?id={own}", {}, token_page=f"{DECLARE}/", follow_redirects=True)
    assert f"已送审，审核单位：{PY_HR}" in flashes(response.get_data(as_text=True))
    assert (_record(app, own).reviewer_org_id, _record(app, own).review_step) == (hr_id, "unit")
    assert login_as("py_unit").get(f"{REVIEW}/details/?id={own}").status_code == 404
    review_page = hr.get(f"{REVIEW}/").get_data(as_text=True)
    assert "<title>学时学分审批" in review_page and "个人自学课程" in list_table(review_page)
    hr.post(f"{REVIEW}/review/?id={own}", {"result": "approve", "opinion": "同意", "approved_hours": "10"},
            token_page=f"{REVIEW}/")
    row = _record(app, own)
    assert (row.status, str(row.approved_hours), row.reviewer_org_id) == (ApplicationStatus.APPROVED, "10.0", hr_id)
    assert _steps(app, own) == [("送审", None), ("继续教育记录认定", PY_HR)]
    # ... and it waits for py_hr's 学时学分审验 like every approved record of its region
    assert "个人自学课程" in list_table(hr.get("/admin/record_check/").get_data(as_text=True))


def test_an_hr_transfers_its_staff_member_to_a_unit(app, login_as):
    hr = login_as("py_hr")
    picker = hr.get("/admin/transfer_out/request/").get_data(as_text=True)
    assert "钱豫民" in picker and "赵中原" not in picker  # its own staff, not its region's people
    qian = person(app, name="钱豫民")
    zhao = person(app, name="赵中原")
    before = _count(app, Transfer)
    assert hr.get(f"/admin/transfer_out/request/?person_id={zhao.id}").status_code == 404
    response = hr.post(f"/admin/transfer_out/request/?person_id={qian.id}",
                       {"person_id": str(qian.id), "to_unit": str(org_id(app, PY_UNIT)), "reason": "工作调动"},
                       token_page="/admin/transfer_out/request/", follow_redirects=True)
    assert f"已向{PY_UNIT}发出钱豫民的调出请求" in flashes(response.get_data(as_text=True))
    assert _count(app, Transfer) == before + 1
    with app.app_context():
        transfer = db.session.scalar(select(Transfer).where(Transfer.person_id == qian.id))
        transfer_id = transfer.id
    unit = login_as("py_unit")
    assert "钱豫民" in list_table(unit.get("/admin/transfer_in/").get_data(as_text=True))
    response = unit.post(f"/admin/transfer_in/decide/?id={transfer_id}", {"decision": "accept", "opinion": ""},
                         token_page="/admin/transfer_in/", follow_redirects=True)
    assert "钱豫民已调入本单位" in flashes(response.get_data(as_text=True))
    moved = person(app, id=qian.id)
    assert (moved.unit_id, moved.binding_status) == (org_id(app, PY_UNIT), BindingStatus.CONFIRMED)
    # py_hr keeps the transfer in its 调转记录, no longer the person on its employer screens
    assert "钱豫民" in list_table(hr.get("/admin/transfer_log/").get_data(as_text=True))
    assert hr.get(f"/admin/person_maintain/details/?id={qian.id}").status_code == 404
    with app.app_context():
        assert db.session.get(Transfer, transfer_id).status == TransferStatus.ACCEPTED


def test_the_hr_transfer_log_shows_its_own_transfers_only(app, login_as):
    """py_unit's transfer to an HR is py_hr's region's but not py_hr's own: 调转记录 lists its own side."""
    unit = login_as("py_unit")
    zhao = person(app, name="赵中原")
    unit.post(f"/admin/transfer_out/request/?person_id={zhao.id}",
              {"person_id": str(zhao.id), "to_unit": str(org_id(app, "河南省人力资源和社会保障厅")), "reason": "借调"},
              token_page="/admin/transfer_out/request/")
    assert "赵中原" in list_table(login_as("hn_hr").get("/admin/transfer_in/").get_data(as_text=True))
    assert "赵中原" not in list_table(login_as("py_hr").get("/admin/transfer_log/").get_data(as_text=True))


@pytest.mark.parametrize("login", ["gd_hr", "gz_edu", "inst_a"])
def test_guangdong_hr_industry_and_institutions_have_no_employer_screens(login_as, login):
    client = login_as(login)
    menu = client.get("/admin/").get_data(as_text=True)
    for screen in STAFF_SCREENS:
        assert client.get(f"/admin/{screen}/").status_code == 403, screen
    for name in ("专业技术人员信息确认", "专业技术人员信息维护", "人员调出", "人员调入", "调转记录", "单位申报记录"):
        assert name not in menu, name


def test_guangdong_menus_are_what_they_were(app):
    """The staff modules a Guangdong organisation holds are exactly those of before issue 13 item 2."""
    from backoffice.policy.actor import build_actor
    from backoffice.policy.modules import MODULES

    staff = {code for code, module in MODULES.items() if module.staff}
    expected = {
        "gd_hr": {"person_query", "record_review"},
        "gz_edu": {"person_query"},
        "inst_a": set(),
    }
    with app.test_request_context():
        for login, held in expected.items():
            user = db.session.scalar(select(User).where(User.login == login))
            key = f"m:{user.memberships[0].id}"
            assert build_actor(user, key).modules & staff == held, login
        py_hr = db.session.scalar(select(User).where(User.login == "py_hr"))
        assert staff <= build_actor(py_hr, f"m:{py_hr.memberships[0].id}").modules


def test_a_guangdong_person_cannot_choose_an_hr_as_employer(app, client):
    gd_hr = org_id(app, GD_HR)
    before = _count(app, User)
    gd_id = make_citizen_id("440106", date(1993, 5, 6), "315")
    response = client.post("/register/person", _form("gd_hr_try", gd_id, str(gd_hr)), token_page="/register/person")
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True)) == "所选单位不在所选地区的单位中，请重新选择所在单位"
    assert _count(app, User) == before
    # registered the Guangdong way, the 工作单位 box refuses an HR department too
    assert client.post("/register/person", _form("gd_hr_try", gd_id, "0"), token_page="/register/person").status_code == 302
    assert client.login("gd_hr_try", PASSWORD).status_code == 302
    assert GD_HR not in client.get("/me/units?q=广东").get_data(as_text=True)
    response = client.post("/admin/my_profile/", profile(app, "豫新", gd_id, unit=str(gd_hr)),
                           token_page="/admin/my_profile/")
    assert response.status_code == 200
    assert "所选单位不存在或尚未通过审核，请重新选择" in response.get_data(as_text=True)
    assert person(app, id_number=gd_id).unit_id is None
    # a unit is still a choice
    client.post("/admin/my_profile/", profile(app, "豫新", gd_id, unit=str(org_id(app, UNIVERSITY))),
                token_page="/admin/my_profile/")
    assert person(app, id_number=gd_id).unit_id == org_id(app, UNIVERSITY)


def test_switching_the_rule_off_removes_the_screens_and_the_choice(app, client, login_as):
    hr = login_as("py_hr")
    menu = hr.get("/admin/").get_data(as_text=True)
    assert "审核注册人员" in menu and "学时学分申报" in menu
    for screen in STAFF_SCREENS:
        assert hr.get(f"/admin/{screen}/").status_code == 200, screen
    set_rule(app, "410000", every_org_employs=False)
    hr = login_as("py_hr")
    for screen in STAFF_SCREENS:
        assert hr.get(f"/admin/{screen}/").status_code == 403, screen
    assert "审核注册人员" not in hr.get("/admin/").get_data(as_text=True)
    assert "<title>审核注册人员" in login_as("py_unit").get(f"{CONFIRM}/").get_data(as_text=True)
    assert PY_HR not in registration_unit_names(client, "410900")
    assert PY_UNIT in registration_unit_names(client, "410902")
    response = client.post("/register/person", _form("hr_late", _henan_id(317), str(org_id(app, PY_HR))),
                           token_page="/register/person")
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True)) == "所选单位不在所选地区的单位中，请重新选择所在单位"
    assert person(app, id_number=_henan_id(317)) is None


def test_a_base_approves_its_staff_member_and_declares_their_hours_on_its_score_screen(app, client, login_as):
    """A 继续教育基地 employs too: 审核注册人员, then 学员成绩申报 for its own staff (no class needed); the Henan
    chain goes on to the HR of its region after the base's own step, passed at 送审."""
    base_name = "濮阳市示范继续教育基地"
    base_id = org_id(app, base_name)
    assert base_name in registration_unit_names(client, "410900")
    client.post("/register/person", _form("base_staff", _henan_id(321), str(base_id)), token_page="/register/person")
    me = person(app, id_number=_henan_id(321))
    base = login_as("py_base")
    assert "豫新" in list_table(base.get(f"{CONFIRM}/").get_data(as_text=True))
    assert base.get("/admin/record_declare/").status_code == 403  # it declares on 学员成绩申报
    base.post(f"{CONFIRM}/decide/?id={me.id}", {"accept": "1"}, token_page=f"{CONFIRM}/")
    assert person(app, id=me.id).binding_status == BindingStatus.CONFIRMED

    scores = "/admin/record_score_declare"
    record_id = _created_id(base.post(f"{scores}/new/", _record_form(id_number=_henan_id(321), name="豫新"),
                                      token_page=f"{scores}/"))
    response = base.post(f"{scores}/action/", {"action": "submit", "rowid": [str(record_id)], "url": f"{scores}/"},
                         token_page=f"{scores}/", follow_redirects=True)
    assert response.status_code == 200
    row = _record(app, record_id)
    assert (row.status, row.reviewer_org_id, row.review_step) == (
        ApplicationStatus.PENDING, org_id(app, PY_HR), "region_hr")
    # py_unit's people are not the base's to declare for
    zhao = person(app, name="赵中原")
    response = base.post(f"{scores}/new/", _record_form(id_number=zhao.id_number, name="赵中原", course_name="别人"),
                         token_page=f"{scores}/")
    assert response.status_code == 200 and "不是本机构培训班的学员" in field_errors(response.get_data(as_text=True))
