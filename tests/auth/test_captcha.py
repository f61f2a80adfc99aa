"""The 图形验证码: drawn by the server, checked once, switched off by CAPTCHA_ENABLED=0."""
from datetime import date

import pytest
from sqlalchemy import select

from backoffice.auth import captcha
from backoffice.extensions import db
from backoffice.models import User
from backoffice.validators import make_citizen_id


@pytest.fixture
def captcha_on(app):
    app.config["CAPTCHA_ENABLED"] = True
    yield
    app.config["CAPTCHA_ENABLED"] = False


@pytest.fixture
def known_answer(monkeypatch):
    monkeypatch.setattr(captcha, "random_answer", lambda: "KKKK")
    return "KKKK"


def test_login_page_shows_the_captcha_when_enabled(client, captcha_on):
    page = client.get("/login").get_data(as_text=True)
    assert "验证码" in page and "/captcha.png" in page
    image = client.get("/captcha.png")
    assert image.mimetype == "image/png"
    assert image.data.startswith(b"\x89PNG")
    assert image.headers["Cache-Control"] == "no-store"


def test_wrong_captcha_is_refused_before_the_password_is_tried(client, captcha_on, known_answer):
    client.get("/captcha.png")
    response = client.login("unit_b", captcha="ABCD")
    assert response.status_code == 200
    assert "验证码错误" in response.get_data(as_text=True)


def test_right_captcha_signs_in_case_insensitively(client, captcha_on, known_answer):
    client.get("/captcha.png")
    assert client.login("unit_b", captcha="kkkk").status_code == 302


def test_a_captcha_answer_works_only_once(client, captcha_on, known_answer):
    client.get("/captcha.png")
    client.login("unit_b", "Wrong2026x", captcha="KKKK")
    response = client.login("unit_b", captcha="KKKK")
    assert "验证码错误" in response.get_data(as_text=True)


def test_disabled_captcha_is_not_asked(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/captcha.png" not in page
    assert client.login("unit_b").status_code == 302


def test_a_solved_captcha_replayed_with_its_cookie_is_refused(app, client, captcha_on, known_answer):
    """The answer's HMAC lives in the cookie: a copy of that cookie must not pass a second time."""
    client.get("/captcha.png")
    cookie = client.http.get_cookie("session").value
    first = client.login("unit_b", "Wrong2026x", captcha="KKKK")
    assert "验证码错误" not in first.get_data(as_text=True)  # solved: the password was tried

    client.http.set_cookie("session", cookie)  # replay the cookie the captcha was issued with
    response = client.login("unit_b", captcha="KKKK")
    assert response.status_code == 200
    assert "验证码错误" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_a_wrong_answer_spends_the_captcha_too(client, captcha_on, known_answer):
    client.get("/captcha.png")
    cookie = client.http.get_cookie("session").value
    client.login("unit_b", captcha="ABCD")
    client.http.set_cookie("session", cookie)
    assert "验证码错误" in client.login("unit_b", captcha="KKKK").get_data(as_text=True)


def _replay(client, page, first_data, second_data):
    """Solve the captcha once on `page`, then post again with the cookie it was issued with."""
    client.get("/captcha.png")
    cookie = client.http.get_cookie("session").value
    first = client.http.post(page, data={**first_data, "captcha": "KKKK", "csrf_token": client.csrf_token(page)})
    client.http.set_cookie("session", cookie)
    token = client.csrf_token(page)
    return first, client.http.post(page, data={**second_data, "captcha": "KKKK", "csrf_token": token})


def test_a_replayed_captcha_is_refused_on_forgot_password(client, captcha_on, known_answer):
    data = {"login": "nobody_here", "id_number": "110101199003074514"}
    first, again = _replay(client, "/forgot-password", data, data)
    assert "登录账号或证件号码不正确" in first.get_data(as_text=True)
    assert "验证码错误" in again.get_data(as_text=True)


def test_a_replayed_captcha_registers_no_second_account(app, client, captcha_on, known_answer):
    def person(login, seq):
        return {
            "login": login, "password": "Reg2026abc", "confirm": "Reg2026abc", "real_name": "张三",
            "mobile": "13912345678", "email": "", "country": "中国", "id_type": "resident_id",
            "id_number": make_citizen_id("440106", date(1991, 5, 17), f"{seq:03d}"),
            "question1": "您母亲的姓名是？", "answer1": "李四", "question2": "您父亲的姓名是？",
            "answer2": "张五", "question3": "您的出生地是？", "answer3": "广州",
        }

    first, again = _replay(client, "/register/person", person("replay_one", 881), person("replay_two", 882))
    assert first.status_code == 302
    assert again.status_code == 200
    assert "验证码错误" in again.get_data(as_text=True)
    with app.app_context():
        logins = db.session.scalars(select(User.login).where(User.login.like("replay_%"))).all()
    assert logins == ["replay_one"]
