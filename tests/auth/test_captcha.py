"""The 图形验证码: drawn by the server, checked once, switched off by CAPTCHA_ENABLED=0."""
import pytest

from backoffice.auth import captcha


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
