"""The login page tells nobody whether an account exists, and `next=` stays short and on the site."""
import hashlib
from datetime import timedelta

from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import User
from backoffice.models.base import utcnow
from pages import field_errors, flashes


def _answer(client, login, password="Wrong2026x") -> tuple[int, str]:
    response = client.login(login, password)
    html = response.get_data(as_text=True)
    return response.status_code, field_errors(html) + "|" + flashes(html)


def _lock(app, login):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        user.locked_until = utcnow() + timedelta(minutes=10)
        db.session.commit()


def test_unknown_account_wrong_password_and_locked_account_get_identical_answers(app, client):
    unknown = _answer(client, "nobody_here")
    wrong = _answer(client, "unit_b")
    _lock(app, "unit_c")
    locked_wrong = _answer(client, "unit_c")
    locked_right = _answer(client, "unit_c", "Demo2026x")
    assert unknown[0] == 200
    assert "账号或密码错误" in unknown[1]
    assert unknown == wrong == locked_wrong == locked_right
    assert unknown[1].encode() == wrong[1].encode()


def test_every_refusal_costs_one_password_hash(app, client, monkeypatch):
    """Timing: an unknown or locked account is refused after the same scrypt work as a wrong password."""
    calls = []
    real_scrypt = hashlib.scrypt

    def counting_scrypt(*args, **kwargs):
        calls.append(1)
        return real_scrypt(*args, **kwargs)

    _lock(app, "unit_c")
    client.login("nobody_here", "Wrong2026x")  # the throw-away hash is made once per process
    monkeypatch.setattr(hashlib, "scrypt", counting_scrypt)
    for login in ("nobody_here", "unit_b", "unit_c"):
        calls.clear()
        client.login(login, "Wrong2026x")
        assert len(calls) == 1, login


def test_an_over_long_next_is_dropped(client):
    token = client.csrf_token("/login")
    target = "/admin/series/?q=" + "a" * 500
    response = client.http.post(
        f"/login?next={target}", data={"username": "unit_b", "password": "Demo2026x", "csrf_token": token}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_a_short_same_site_next_is_followed(client):
    token = client.csrf_token("/login")
    response = client.http.post(
        "/login?next=/me/profile", data={"username": "unit_b", "password": "Demo2026x", "csrf_token": token}
    )
    assert response.headers["Location"] == "/me/profile"


def test_a_backslash_next_does_not_leave_the_site(client):
    """Browsers read /\\evil.example as //evil.example."""
    token = client.csrf_token("/login")
    response = client.http.post(
        "/login?next=/%5Cevil.example/x",
        data={"username": "unit_b", "password": "Demo2026x", "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/"
