"""Every place that asks for the current password counts wrong ones toward the lockout (5 → locked).

A stolen session must not be an unlimited password oracle: 修改密码 and the 密保问题 page of 个人信息
count like the login page, and the lock their guesses cause ends the guessing session.
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.models import User
from backoffice.models.base import utcnow
from pages import field_errors, flashes

QUESTIONS = {
    "question1": "您母亲的姓名是？", "answer1": "李梅",
    "question2": "您父亲的姓名是？", "answer2": "陈强",
    "question3": "您的出生地是？", "answer3": "广州",
}


def _user(app, login):
    with app.app_context():
        return db.session.scalar(select(User).where(User.login == login))


def _change_password(client, old):
    data = {"old_password": old, "new_password": "Guang2027zhou", "confirm": "Guang2027zhou"}
    return client.post("/change-password", data, token_page="/change-password")


def _save_questions(client, password):
    return client.post("/me/profile/questions", {**QUESTIONS, "current_password": password}, token_page="/me/profile")


PAGES = {
    "修改密码": (_change_password, "原密码不正确"),
    "密保问题": (_save_questions, "当前密码不正确"),
}


@pytest.mark.parametrize("page", PAGES)
def test_wrong_current_passwords_lock_the_account_and_end_the_session(app, login_as, page):
    submit, wrong = PAGES[page]
    client = login_as("p_chen")
    for left in (4, 3, 2, 1):
        response = submit(client, "Wrong2026x")
        assert response.status_code == 200
        assert f"{wrong}，再错误{left}次账号将被锁定" in field_errors(response.get_data(as_text=True))
    assert _user(app, "p_chen").failed_logins == 4

    response = submit(client, "Wrong2026x")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    locked_until = _user(app, "p_chen").locked_until
    assert timedelta(minutes=14) < locked_until - utcnow() <= timedelta(minutes=15)
    assert "账号已锁定" in flashes(client.get("/login").get_data(as_text=True))
    assert client.get("/admin/").headers["Location"].startswith("/login")
    # and the right password does not sign in again while locked
    assert client.login("p_chen").status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_while_locked_the_current_password_is_not_even_tried(app, login_as, page):
    submit, _ = PAGES[page]
    client = login_as("p_chen")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "p_chen"))
        user.locked_until = utcnow() + timedelta(minutes=10)
        db.session.commit()
    response = submit(client, DEMO_PASSWORD)
    assert response.status_code == 200
    assert "账号已锁定" in field_errors(response.get_data(as_text=True))
    after = _user(app, "p_chen")
    assert after.check_password(DEMO_PASSWORD) and after.question1 is None


def test_login_failures_and_wrong_current_passwords_share_one_counter(app, client, login_as):
    for _ in range(3):
        client.login("p_chen", "Wrong2026x")
    signed_in = login_as("p_chen")  # a success restarts the counter
    assert _user(app, "p_chen").failed_logins == 0
    _change_password(signed_in, "Wrong2026x")
    _save_questions(signed_in, "Wrong2026x")
    assert _user(app, "p_chen").failed_logins == 2
