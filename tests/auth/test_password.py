"""Password policy, forced change after a reset, and sessions ending with the old password."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import User


def _force_change(app, login):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        user.must_change_password = True
        db.session.commit()


def _change(client, old, new, confirm=None):
    return client.post(
        "/change-password",
        {"old_password": old, "new_password": new, "confirm": confirm or new},
        token_page="/change-password",
    )


def test_forced_change_blocks_everything_until_done(app, client):
    _force_change(app, "unit_b")
    response = client.login("unit_b")
    assert response.headers["Location"].endswith("/change-password")
    assert client.get("/admin/").headers["Location"].endswith("/change-password")
    assert "请先修改密码" in client.get("/change-password").get_data(as_text=True)

    response = _change(client, "Demo2026x", "Guang2027zhou")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        assert not db.session.scalar(select(User.must_change_password).where(User.login == "unit_b"))


def test_policy_violations_are_explained_and_change_nothing(app, login_as):
    client = login_as("unit_b")
    cases = {
        "Ab1": "密码长度应为8–16位",
        "abcdefghij": "密码必须为字母和数字混合",
        "Xyabcd2026": "连续的字符",
        "Qw1234zzkx": "连续的字符",
        "Demo2026x": "新密码不能与原密码相同",
        "unit_b2026x": "密码不能包含登录账号",
    }
    for new, message in cases.items():
        page = _change(client, "Demo2026x", new).get_data(as_text=True)
        assert message in page, (new, message)
    page = _change(client, "Demo2026x", "Guang2027zhou", "Guang2027zhoU").get_data(as_text=True)
    assert "两次输入的密码不一致" in page
    page = _change(client, "Wrong2026x", "Guang2027zhou").get_data(as_text=True)
    assert "原密码不正确" in page
    # still the demo password
    assert client.login("unit_b").status_code == 302


def test_changing_the_password_ends_other_sessions(app, login_as):
    first = login_as("unit_b")
    second = login_as("unit_b")
    _change(first, "Demo2026x", "Guang2027zhou")
    assert first.get("/admin/").status_code == 200
    assert "/login" in second.get("/admin/").headers["Location"]


def test_passwords_are_stored_with_a_modern_kdf(app):
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.login == "unit_b"))
    assert stored.startswith("scrypt:")
