"""Sessions end on the server: logout (POST only), a password change anywhere, or a long pause."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from backoffice.extensions import db
from backoffice.models import User, UserSession
from backoffice.models.base import utcnow


def _cookie(client) -> str:
    return client.http.get_cookie("session").value


@pytest.fixture
def browser_with(app, client):
    """`browser_with(cookie)`: another browser holding a copy of someone's session cookie."""

    def make(cookie: str):
        thief = type(client)(app)  # the suite's Client, without importing an ambiguous `conftest`
        thief.http.set_cookie("session", cookie)
        return thief

    return make


def _sessions_of(app, login: str) -> list[UserSession]:
    with app.app_context():
        return db.session.scalars(
            select(UserSession).join(User, User.id == UserSession.user_id).where(User.login == login)
        ).all()


def _set_expiry(app, login: str, expires_at) -> None:
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.login == login))
        db.session.execute(update(UserSession).where(UserSession.user_id == user_id).values(expires_at=expires_at))
        db.session.commit()


def test_a_cookie_copied_before_logout_opens_nothing_after_it(app, login_as, browser_with):
    client = login_as("unit_b")
    thief = browser_with(_cookie(client))
    assert thief.get("/admin/").status_code == 200  # the copy works while the session lives

    response = client.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert _sessions_of(app, "unit_b") == []

    response = thief.get("/admin/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert client.get("/admin/").headers["Location"].startswith("/login")


def test_logout_by_get_is_not_allowed(login_as):
    client = login_as("unit_b")
    assert client.get("/logout").status_code == 405
    assert client.get("/admin/").status_code == 200  # still signed in


def test_logout_needs_the_csrf_token(login_as):
    client = login_as("unit_b")
    assert client.http.post("/logout").status_code == 400
    assert client.get("/admin/").status_code == 200


def test_logout_ends_only_this_browser(app, login_as):
    first, second = login_as("unit_b"), login_as("unit_b")
    first.post("/logout")
    assert second.get("/admin/").status_code == 200
    assert len(_sessions_of(app, "unit_b")) == 1


def test_a_password_reset_elsewhere_ends_every_session(app, login_as):
    """However the password changes (helpdesk, a unit's reset, 忘记密码), older sessions stop."""
    client = login_as("unit_b")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == "unit_b"))
        user.set_password("Reset2027abc")
        db.session.commit()
    assert client.get("/admin/").headers["Location"].startswith("/login")


def test_changing_the_password_keeps_this_browser_and_its_organisation(app, login_as, browser_with):
    client = login_as("unit_a", "广州示范医院")
    other = login_as("unit_b")
    old_cookie = _cookie(client)
    response = client.post(
        "/change-password",
        {"old_password": "Demo2026x", "new_password": "Guang2027zhou", "confirm": "Guang2027zhou"},
        token_page="/change-password",
    )
    assert response.headers["Location"].endswith("/admin/")
    assert "广州示范医院" in client.get("/admin/").get_data(as_text=True)
    assert len(_sessions_of(app, "unit_a")) == 1
    # the cookie from before the change is dead even though this browser carries on
    assert browser_with(old_cookie).get("/admin/").headers["Location"].startswith("/login")
    assert other.get("/admin/").status_code == 200  # another account is untouched


def test_a_session_unused_for_the_lifetime_ends(app, login_as):
    client = login_as("unit_b")
    _set_expiry(app, "unit_b", utcnow() - timedelta(seconds=1))
    assert client.get("/admin/").headers["Location"].startswith("/login")


def test_using_the_session_moves_its_expiry_forward_now_and_then(app, login_as):
    lifetime = app.permanent_session_lifetime
    client = login_as("unit_b")
    [fresh] = _sessions_of(app, "unit_b")
    assert timedelta(seconds=-5) < fresh.expires_at - (utcnow() + lifetime) <= timedelta(0)

    # within five minutes of the last write nothing is written
    recent = utcnow() + lifetime - timedelta(minutes=4)
    _set_expiry(app, "unit_b", recent)
    client.get("/admin/")
    assert _sessions_of(app, "unit_b")[0].expires_at == recent

    _set_expiry(app, "unit_b", utcnow() + lifetime - timedelta(minutes=6))
    client.get("/admin/")
    moved = _sessions_of(app, "unit_b")[0].expires_at
    assert timedelta(seconds=-5) < moved - (utcnow() + lifetime) <= timedelta(0)


def test_signing_in_purges_the_accounts_dead_sessions(app, login_as):
    login_as("unit_b")
    _set_expiry(app, "unit_b", utcnow() - timedelta(minutes=1))
    login_as("unit_b")
    assert len(_sessions_of(app, "unit_b")) == 1


def test_the_database_keeps_only_a_hash_of_the_token(app, login_as):
    client = login_as("unit_b")
    token = client.http.get_cookie("session").value
    [row] = _sessions_of(app, "unit_b")
    assert len(row.token_hash) == 64
    assert row.token_hash not in token
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession).where(UserSession.token_hash == token)) == 0


def test_user_and_session_load_in_one_query(login_as, counting):
    client = login_as("p_chen")
    with counting() as statements:
        assert client.get("/me/profile").status_code == 200
    session_queries = [s for s in statements if "user_session" in s]
    assert len(session_queries) == 1
    assert "user_account" in session_queries[0]


def test_signing_in_again_in_the_same_browser_ends_the_earlier_session(app, login_as, browser_with):
    client = login_as("unit_a")  # must still choose an organisation, so /login stays open
    earlier = _cookie(client)
    assert client.login("unit_b").status_code == 302
    assert browser_with(earlier).get("/admin/").headers["Location"].startswith("/login")
    assert _sessions_of(app, "unit_a") == []
