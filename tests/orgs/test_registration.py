"""个人用户注册 and the three steps of 单位用户注册 (manual 000 §1.1), through HTTP."""
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.models import Membership, Organisation, Person, User

from org_helpers import PASSWORD, Applicant, org_by_name, org_form, person_form, uscc


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_person_registers_and_signs_in_as_themselves(app, client):
    a = Applicant(client, "li_si", 502)
    response = a.register_person()
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "li_si"))
        assert user.id_number == a.id_number and user.check_password(PASSWORD)
        assert user.check_security_answers(["李四", "张五", "广州"])
        person = db.session.scalar(select(Person).where(Person.user_id == user.id))
        assert person.name == "张三" and person.sex == "女" and person.birth_date.isoformat() == "1991-05-17"
    signed_in = client.login("li_si", PASSWORD)
    assert signed_in.status_code == 302
    assert '<span id="acting-name">张三</span>' in client.get("/admin/").get_data(as_text=True)


def test_bad_registration_input_is_refused_beside_the_field_and_saves_nothing(app, client):
    users, people = _count(app, User), _count(app, Person)
    a = Applicant(client, "wang_wu", 503)
    cases = {
        "公民身份号码校验位不正确": {"id_number": a.id_number[:-1] + ("0" if a.id_number[-1] != "0" else "1")},
        "两次输入的密码不一致": {"confirm": "Other2026x"},
        "密码必须为字母和数字混合": {"password": "abcdefghk", "confirm": "abcdefghk"},
        "手机号码格式不正确": {"mobile": "12345"},
        "登录账号只能包含字母、数字、下划线": {"login": "王五"},
        "请选择三个不同的密保问题": {"question2": "您母亲的姓名是？"},
        "该登录账号已被注册": {"login": "P_CHEN"},
    }
    for message, change in cases.items():
        response = a.register_person(**change)
        assert response.status_code == 200, message
        assert message in response.get_data(as_text=True), message
    assert (_count(app, User), _count(app, Person)) == (users, people)


def test_an_id_number_registers_once(app, client):
    assert Applicant(client, "first_one", 504).register_person().status_code == 302
    again = Applicant(client, "second_one", 504).register_person()
    assert "该证件号码已注册" in again.get_data(as_text=True)


def test_a_person_recorded_by_their_unit_claims_that_record(app, client):
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.name == "赵明远"))
        id_number, person_id = person.id_number, person.id
    a = Applicant(client, "zhao_my", 505)
    a.id_number = id_number
    assert a.register_person(real_name="赵明远").status_code == 302
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.login == "zhao_my"))
        assert db.session.get(Person, person_id).user_id == user_id
        assert db.session.scalar(select(func.count()).select_from(Person).where(Person.id_number == id_number)) == 1


def test_org_registration_needs_a_signed_in_personal_account(client):
    response = client.get("/register/org")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_applicant_registers_an_organisation_and_becomes_its_pending_super_admin(app, applicant):
    response = applicant.register_org("广州测试科技有限公司", uscc(11))
    assert response.status_code == 302 and "/admin/org_application/" in response.headers["Location"]
    org = org_by_name(app, "广州测试科技有限公司")
    assert org.status == "draft" and org.kind == "unit" and org.code == uscc(11)
    with app.app_context():
        hr = db.session.get(Organisation, org.hr_org_id)
        assert hr.name == "广州市人力资源和社会保障局"
        membership = db.session.scalar(select(Membership).where(Membership.org_id == org.id))
        assert membership.is_super_admin and membership.status == "active"
        assert membership.user.login == "zhang_san"
    # Until approved, the organisation sees only its application.
    home = applicant.client.get("/admin/").get_data(as_text=True)
    assert "角色申请" in home and "单位经办人员" not in home and "单位信息维护" not in home
    assert applicant.client.get("/admin/org_members/").status_code == 403


def test_step_one_must_name_the_signed_in_account(applicant):
    response = applicant.client.post(
        "/register/org", {"login": "p_chen", "id_number": applicant.id_number}, token_page="/register/org"
    )
    assert "与当前登录的账号不一致" in response.get_data(as_text=True)
    # Skipping ahead without step 1 leads back to it.
    assert applicant.client.get("/register/org/confirm").headers["Location"].endswith("/register/org")


def test_bad_organisation_codes_are_refused_and_nothing_is_saved(app, applicant):
    before = _count(app, Organisation)
    c = applicant.client
    c.post("/register/org", {"login": applicant.login, "id_number": applicant.id_number}, token_page="/register/org")
    good = uscc(12)
    cases = {
        "统一社会信用代码校验位不正确": {"code": good[:-1] + ("0" if good[-1] != "0" else "1")},
        "组织机构代码校验位不正确": {"code_type": "org_code", "code": "12345678-0"},
        "请填写单位名称": {"name": ""},
        "联系电话格式不正确": {"office_phone": "电话"},
    }
    for message, change in cases.items():
        data = {**org_form("某单位", good), **change}
        response = c.post("/register/org/details", data, token_page="/register/org/details")
        assert message in response.get_data(as_text=True), message
    assert c.get("/register/org/confirm").status_code == 302  # no valid step 2 yet
    assert _count(app, Organisation) == before


def test_a_code_already_registered_is_refused_at_confirmation(app, applicant):
    before = _count(app, Organisation)
    with app.app_context():
        taken = db.session.scalar(select(Organisation.code).where(Organisation.name == "广州示范大学"))
    response = applicant.register_org("冒名单位", taken)
    assert response.status_code == 302
    page = applicant.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "该单位代码已注册" in page
    assert _count(app, Organisation) == before


def test_a_registration_posted_without_the_optional_email_field_registers(app, client):
    """邮箱 is optional: a post that leaves the field out entirely (not even empty) is no 500."""
    a = Applicant(client, "wang_wu", 503)
    data = {k: v for k, v in person_form(a.login, a.id_number).items() if k != "email"}
    response = client.post("/register/person", data, token_page="/register/person")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "wang_wu"))
        assert user.email is None
