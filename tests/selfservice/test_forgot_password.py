"""忘记密码 (issue #3 item 8): 登录账号 + 证件号码 → the three 密保问题 → a new password."""
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditLog
from backoffice.models.base import utcnow

NEW_PASSWORD = "Huanan2027q"


def _step1(client, login, id_number, **extra):
    return client.post(
        "/forgot-password", {"login": login, "id_number": id_number, **extra}, token_page="/forgot-password"
    )


def _step2(client, answers):
    data = {f"answer{n}": answer for n, answer in enumerate(answers, start=1)}
    return client.post("/forgot-password/questions", data, token_page="/forgot-password/questions")


def _step3(client, password, confirm=None):
    return client.post(
        "/forgot-password/reset",
        {"new_password": password, "confirm": confirm or password},
        token_page="/forgot-password/reset",
    )


def test_the_login_page_links_to_forgot_password(client):
    assert "/forgot-password" in client.get("/login").get_data(as_text=True)
    page = client.get("/forgot-password").get_data(as_text=True)
    assert "登录账号" in page and "证件号码" in page


def test_recover_the_password_with_the_security_questions(app, client, account_of, update_account, with_answers):
    chen = account_of("p_chen")
    update_account("p_chen", must_change_password=True, failed_logins=3)

    response = _step1(client, "P_Chen", chen.id_number.lower())
    assert response.headers["Location"].endswith("/forgot-password/questions")
    page = client.get("/forgot-password/questions").get_data(as_text=True)
    for question, _ in with_answers:
        assert question in page

    # answers ignore case and spaces, as when they were set
    response = _step2(client, [" 李 梅", "陈强", "广州 "])
    assert response.headers["Location"].endswith("/forgot-password/reset")

    page = _step3(client, "p_chen2027x").get_data(as_text=True)
    assert "密码不能包含登录账号" in page
    page = _step3(client, NEW_PASSWORD, NEW_PASSWORD + "x").get_data(as_text=True)
    assert "两次输入的密码不一致" in page
    page = _step3(client, "abcd12345").get_data(as_text=True)
    assert "连续的字符" in page

    response = _step3(client, NEW_PASSWORD)
    assert response.headers["Location"].endswith("/login")
    assert "密码已重置，请使用新密码登录" in client.get("/login").get_data(as_text=True)

    after = account_of("p_chen")
    assert not after.must_change_password
    assert after.failed_logins == 0 and after.locked_until is None
    assert after.session_version == chen.session_version + 1
    assert client.login("p_chen").status_code == 200  # the old password no longer works
    assert client.login("p_chen", NEW_PASSWORD).headers["Location"].endswith("/admin/")
    with app.app_context():
        entry = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "forgot_password").order_by(AuditLog.id.desc())
        ).first()
    assert entry is not None and "p_chen" in entry.summary


def test_a_wrong_account_or_id_number_gets_one_generic_message(client, account_of, with_answers):
    chen = account_of("p_chen")
    liu = account_of("p_liu")
    messages = set()
    for login, id_number in (("p_chen", liu.id_number), ("nobody_here", chen.id_number), ("p_chen", "123")):
        response = _step1(client, login, id_number)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "登录账号或证件号码不正确" in page
        messages.add(page[page.index('id="forgot-error"'):].split("</div>")[0])
    assert len(messages) == 1
    assert client.get("/forgot-password/questions").headers["Location"].endswith("/forgot-password")


def test_empty_fields_are_explained(client):
    page = _step1(client, "", "").get_data(as_text=True)
    assert "请填写登录账号" in page and "请填写证件号码" in page


def test_an_account_without_security_questions_must_call_the_helpdesk(client, account_of):
    liu = account_of("p_liu")
    response = _step1(client, "p_liu", liu.id_number)
    assert response.status_code == 200
    assert "该账号未设置密保问题，请联系客服重置密码" in response.get_data(as_text=True)
    assert client.get("/forgot-password/questions").status_code == 302


def test_wrong_answers_count_as_failed_sign_ins_and_lock_after_five(client, account_of, with_answers):
    chen = account_of("p_chen")
    _step1(client, "p_chen", chen.id_number)
    page = _step2(client, ["错", "陈强", "广州"]).get_data(as_text=True)
    assert "密保答案不正确，再错误4次账号将被锁定" in page
    assert account_of("p_chen").failed_logins == 1
    for _ in range(4):
        page = _step2(client, ["错", "陈强", "广州"]).get_data(as_text=True)
    assert "密保答案连续错误5次，账号已锁定15分钟" in page
    locked_until = account_of("p_chen").locked_until
    assert timedelta(minutes=14) < locked_until - utcnow() <= timedelta(minutes=15)

    # locked: no more guesses, the right answers included, and no sign-in either
    assert client.get("/forgot-password/questions").headers["Location"].endswith("/forgot-password")
    assert "账号已锁定" in _step1(client, "p_chen", chen.id_number).get_data(as_text=True)
    assert "账号或密码错误" in client.login("p_chen").get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_wrong_answers_share_the_counter_with_wrong_passwords(client, account_of, with_answers):
    chen = account_of("p_chen")
    for _ in range(4):
        client.login("p_chen", "Wrong2026x")
    _step1(client, "p_chen", chen.id_number)
    page = _step2(client, ["错", "错", "错"]).get_data(as_text=True)
    assert "账号已锁定15分钟" in page
    assert account_of("p_chen").is_locked()


def test_steps_cannot_be_skipped(client, account_of, with_answers):
    assert client.get("/forgot-password/reset").headers["Location"].endswith("/forgot-password")
    chen = account_of("p_chen")
    _step1(client, "p_chen", chen.id_number)
    response = _step3(client, NEW_PASSWORD)
    assert response.headers["Location"].endswith("/forgot-password")
    assert account_of("p_chen").password_hash == chen.password_hash


def test_step_three_cannot_be_replayed_after_success(client, account_of, with_answers):
    chen = account_of("p_chen")
    _step1(client, "p_chen", chen.id_number)
    _step2(client, ["李梅", "陈强", "广州"])
    token_page = client.get("/forgot-password/reset").get_data(as_text=True)
    assert "设置新密码" in token_page
    saved = client.http.get_cookie("session").value

    assert _step3(client, NEW_PASSWORD).headers["Location"].endswith("/login")
    changed = account_of("p_chen").password_hash

    # the cookie captured before the change, sent again, opens nothing
    client.http.set_cookie("session", saved)
    response = _step3(client, "Another2027y")
    assert response.headers["Location"].endswith("/forgot-password")
    assert account_of("p_chen").password_hash == changed
    assert client.login("p_chen", NEW_PASSWORD).status_code == 302


def test_a_reset_by_the_helpdesk_ends_a_recovery_in_progress(client, login_as, account_of, with_answers):
    chen = account_of("p_chen")
    _step1(client, "p_chen", chen.id_number)
    helpdesk = login_as("helpdesk")
    url = f"/admin/accounts/details/?id={chen.id}"
    helpdesk.post(f"/admin/accounts/reset/?id={chen.id}", {"reason": "本人来电"}, token_page=url)
    response = _step2(client, ["李梅", "陈强", "广州"])
    assert response.headers["Location"].endswith("/forgot-password")


def test_step_one_asks_for_the_captcha_when_enabled(app, client, monkeypatch, account_of, with_answers):
    from backoffice.auth import captcha

    monkeypatch.setattr(captcha, "random_answer", lambda: "KKKK")
    app.config["CAPTCHA_ENABLED"] = True
    try:
        assert "/captcha.png" in client.get("/forgot-password").get_data(as_text=True)
        chen = account_of("p_chen")
        client.get("/captcha.png")
        page = _step1(client, "p_chen", chen.id_number, captcha="ABCD").get_data(as_text=True)
        assert "验证码错误或已过期" in page
        client.get("/captcha.png")
        response = _step1(client, "p_chen", chen.id_number, captcha="kkkk")
        assert response.headers["Location"].endswith("/forgot-password/questions")
    finally:
        app.config["CAPTCHA_ENABLED"] = False


def test_a_user_forced_to_change_the_password_can_still_open_forgot_password(login_as, update_account):
    client = login_as("unit_b")
    update_account("unit_b", must_change_password=True)
    assert client.get("/forgot-password").status_code == 200
