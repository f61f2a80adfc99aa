"""个人信息 (issue #3 item 8): contact details, 密保问题 with the current password, fixed identity."""
from sqlalchemy import select

from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.models import AuditLog

QUESTIONS = {
    "question1": "您小学的校名是？", "answer1": "东山小学",
    "question2": "您配偶的姓名是？", "answer2": "王芳",
    "question3": "您的出生地是？", "answer3": "佛山",
}


def _save(client, data):
    return client.post("/me/profile", data, token_page="/me/profile")


def _save_questions(client, data):
    return client.post("/me/profile/questions", data, token_page="/me/profile")


def test_profile_shows_the_fixed_identity_read_only(login_as, account_of):
    chen = account_of("p_chen")
    page = login_as("p_chen").get("/me/profile").get_data(as_text=True)
    assert "个人信息" in page
    fixed = page[page.index('id="profile-fixed"'):page.index('id="profile-form"')]
    for label, value in (("登录账号", "p_chen"), ("证件号码", chen.id_number), ("证件类型", "居民身份证"),
                         ("国家/地区", "中国"), ("姓名", "陈诗慧")):
        assert label in fixed and value in fixed
    assert 'name="id_number"' not in page and 'name="login"' not in page
    assert 'name="real_name"' not in page  # real-name verified
    assert 'id="acting-as"' in page  # inside the back office's layout


def test_edit_mobile_and_email(app, login_as, account_of):
    client = login_as("p_chen")
    response = _save(client, {"mobile": "13922223333", "email": "chen@example.cn"})
    assert response.status_code == 302
    assert "个人信息已保存" in client.get("/me/profile").get_data(as_text=True)
    chen = account_of("p_chen")
    assert (chen.mobile, chen.email) == ("13922223333", "chen@example.cn")
    with app.app_context():
        entry = db.session.scalars(
            select(AuditLog).where(AuditLog.object_type == "user_account", AuditLog.object_id == str(chen.id))
            .order_by(AuditLog.id.desc())
        ).first()
    assert entry.after["mobile"] == "13922223333"
    assert "修改个人信息" in entry.summary


def test_a_bad_mobile_is_refused_beside_the_field_and_nothing_is_saved(login_as, account_of):
    before = account_of("p_chen")
    client = login_as("p_chen")
    response = _save(client, {"mobile": "12345", "email": "not-an-email"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "手机号码格式不正确" in page and "邮箱格式不正确" in page
    assert 'value="12345"' in page  # what was typed stays in the field
    assert "请填写手机号码" in _save(client, {"mobile": "", "email": ""}).get_data(as_text=True)
    after = account_of("p_chen")
    assert (after.mobile, after.email) == (before.mobile, before.email)


def test_identity_cannot_be_changed_even_by_a_forged_post(login_as, account_of):
    before = account_of("p_chen")
    client = login_as("p_chen")
    forged = {
        "mobile": "13922223333", "email": "", "id_number": "440106199001010011", "login": "hacker",
        "real_name": "冒名", "country": "其他国家或地区", "id_type": "passport", "real_name_verified": "n",
    }
    assert _save(client, forged).status_code == 302
    after = account_of("p_chen")
    assert after.mobile == "13922223333" and after.email is None
    assert (after.id_number, after.login, after.real_name, after.country, after.id_type) == (
        before.id_number, before.login, before.real_name, before.country, before.id_type
    )
    assert after.real_name_verified


def test_the_name_can_be_corrected_until_it_is_verified(login_as, account_of, update_account):
    update_account("p_liu", real_name_verified=False)
    client = login_as("p_liu")
    assert 'name="real_name"' in client.get("/me/profile").get_data(as_text=True)
    assert _save(client, {"real_name": "刘文彬", "mobile": "13800000011"}).status_code == 302
    assert account_of("p_liu").real_name == "刘文彬"
    assert "请填写姓名" in _save(client, {"real_name": " ", "mobile": "13800000011"}).get_data(as_text=True)


def test_security_questions_need_the_current_password(login_as, account_of):
    client = login_as("p_chen")
    page = _save_questions(client, {**QUESTIONS, "current_password": "Wrong2026x"}).get_data(as_text=True)
    assert "当前密码不正确" in page
    assert account_of("p_chen").answer1_hash is None
    page = _save_questions(client, dict(QUESTIONS)).get_data(as_text=True)
    assert "请输入当前密码以确认身份" in page

    same = {**QUESTIONS, "question2": QUESTIONS["question1"], "current_password": DEMO_PASSWORD}
    unchosen = {**QUESTIONS, "question2": "", "current_password": DEMO_PASSWORD}
    assert "请选择问题2" in _save_questions(client, unchosen).get_data(as_text=True)
    assert "请选择三个不同的密保问题" in _save_questions(client, same).get_data(as_text=True)
    missing = {**QUESTIONS, "answer3": "", "current_password": DEMO_PASSWORD}
    assert "请填写问题3的答案" in _save_questions(client, missing).get_data(as_text=True)
    assert account_of("p_chen").answer1_hash is None

    response = _save_questions(client, {**QUESTIONS, "current_password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "密保问题已保存" in client.get("/me/profile").get_data(as_text=True)
    chen = account_of("p_chen")
    assert chen.question1 == "您小学的校名是？"
    assert chen.check_security_answers(["东山小学", "王芳", "佛山"])


def test_questions_set_on_the_profile_recover_the_password(client, login_as, account_of):
    own = login_as("p_chen")
    _save_questions(own, {**QUESTIONS, "current_password": DEMO_PASSWORD})
    chen = account_of("p_chen")
    client.post("/forgot-password", {"login": "p_chen", "id_number": chen.id_number}, token_page="/forgot-password")
    page = client.get("/forgot-password/questions").get_data(as_text=True)
    assert "您小学的校名是？" in page and "您配偶的姓名是？" in page


def test_a_question_outside_the_dictionary_is_refused(login_as, account_of):
    client = login_as("p_chen")
    data = {**QUESTIONS, "question1": "自定义问题", "current_password": DEMO_PASSWORD}
    response = _save_questions(client, data)
    assert response.status_code == 200
    assert account_of("p_chen").question1 is None


def test_before_choosing_an_organisation_the_profile_has_the_sign_in_look(login_as):
    client = login_as("unit_a")  # two organisations: not chosen yet
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'id="acting-as"' not in page
    assert "个人信息" in page and "林建华" in page
    assert _save(client, {"mobile": "13933334444"}).status_code == 302


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/me/profile")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
