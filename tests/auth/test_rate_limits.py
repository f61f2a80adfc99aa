"""Per-client rate limits: 429 (in Chinese) once a client passes the limit, and service again after.

The suite's app runs without limits (it signs in hundreds of times from one address); these tests use
a second app built with RATELIMIT_ENABLED on, sharing the test's rolled-back database connection.
"""
import time

import pytest

from backoffice import create_app
from backoffice.config import TestConfig
from backoffice.extensions import db


@pytest.fixture(scope="module")
def limited_app(app):
    limited = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        UPLOAD_DIR=app.config["UPLOAD_DIR"],
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="3 per minute",
        RATELIMIT_FORGOT="3 per minute",
        RATELIMIT_REGISTER="3 per minute",
        RATELIMIT_CAPTCHA="3 per minute",
        RATELIMIT_UNIT_LOOKUP="3 per minute",
        RATELIMIT_LEGACY_BIND="3 per minute",
        RATELIMIT_ANONYMOUS="1000 per minute",
    )
    yield limited
    with limited.app_context():
        db.engine.dispose()


@pytest.fixture
def limited(app, limited_app, client):
    """A browser on the limited app (the suite's Client class); its database work joins the test's
    transaction."""
    engines = db._app_engines[limited_app]
    own = engines[None]
    engines[None] = db._app_engines[app][None]
    limited_app.extensions["backoffice_limiter"].reset()
    try:
        yield type(client)(limited_app)
    finally:
        engines[None] = own


def _login(client, address="10.0.0.1"):
    return client.post(
        "/login", {"username": "nobody_here", "password": "Wrong2026x"}, token_page="/login",
        environ_base={"REMOTE_ADDR": address},
    )


def test_login_answers_429_past_the_limit_in_chinese(limited):
    for _ in range(3):
        assert _login(limited).status_code == 200
    refused = _login(limited)
    assert refused.status_code == 429
    assert "操作过于频繁，请稍后再试" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert "frame-ancestors 'none'" in refused.headers["Content-Security-Policy"]
    # reading the page is not a sign-in attempt
    assert limited.get("/login", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200


def test_the_limit_is_per_client_address(limited):
    for _ in range(4):
        _login(limited, "10.0.0.1")
    assert _login(limited, "10.0.0.2").status_code == 200


class _Clock:
    """The rate limiter's clock, moved by hand: a test of a time window must not depend on the machine's load."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now


def test_service_comes_back_when_the_window_has_passed(limited_app, limited, monkeypatch):
    import limits.storage.memory
    import limits.strategies

    clock = _Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(limits.strategies, "time", clock)
    limited_app.config["RATELIMIT_LOGIN"] = "2 per minute"
    try:
        _login(limited), _login(limited)
        assert _login(limited).status_code == 429
        clock.now += 30
        assert _login(limited).status_code == 429
        clock.now += 31
        assert _login(limited).status_code == 200
    finally:
        limited_app.config["RATELIMIT_LOGIN"] = "3 per minute"


def test_the_forgot_password_steps_share_one_limit(limited):
    def step(url, data):
        return limited.post(url, data, token_page="/forgot-password", follow_redirects=False)

    account = {"login": "nobody_here", "id_number": "110101199003074514"}
    assert step("/forgot-password", account).status_code == 200
    assert step("/forgot-password", account).status_code == 200
    # the later steps count too (without a started recovery they send the visitor back: 302)
    assert step("/forgot-password/questions", {"answer1": "a", "answer2": "b", "answer3": "c"}).status_code == 302
    assert step("/forgot-password/reset", {"new_password": "x", "confirm": "x"}).status_code == 429
    assert step("/forgot-password", account).status_code == 429


def test_registration_answers_429_past_the_limit(limited):
    for _ in range(3):
        assert limited.post("/register/person", {"login": "x"}, token_page="/register/person").status_code == 200
    assert limited.post("/register/person", {"login": "x"}, token_page="/register/person").status_code == 429


def test_the_registration_unit_lookup_is_limited(limited):
    for _ in range(3):
        assert limited.get("/register/units?region=410902").status_code == 200
    refused = limited.get("/register/units?region=410902")
    assert refused.status_code == 429
    assert limited.get("/register/units?region=410900").status_code == 429  # one bucket for every region
    assert limited.get("/register/person").status_code == 200  # the form itself is not this limit's


def test_the_captcha_image_is_limited(limited):
    for _ in range(3):
        assert limited.get("/captcha.png").status_code == 200
    assert limited.get("/captcha.png").status_code == 429


def test_every_anonymous_page_is_limited_but_signed_in_work_is_not(limited_app, limited):
    limited_app.config["RATELIMIT_ANONYMOUS"] = "5 per minute"
    try:
        statuses = [limited.get(url).status_code for url in ("/login", "/forgot-password", "/register/person")]
        assert statuses == [200, 200, 200]
        assert limited.get("/admin/").status_code == 302  # to /login: still an anonymous request
        assert limited.get("/login").status_code == 200
        assert limited.get("/register/person").status_code == 429
        assert limited.get("/static/js/handlers.js").status_code == 200  # static files are not counted
    finally:
        limited_app.config["RATELIMIT_ANONYMOUS"] = "1000 per minute"


def test_signed_in_pages_do_not_count_toward_the_anonymous_limit(limited_app, limited):
    assert limited.login("unit_b").status_code == 302
    limited_app.config["RATELIMIT_ANONYMOUS"] = "2 per minute"
    try:
        for _ in range(5):
            assert limited.get("/admin/").status_code == 200
    finally:
        limited_app.config["RATELIMIT_ANONYMOUS"] = "1000 per minute"


def test_legacy_binding_answers_429_past_the_limit(limited):
    """历史信息绑定's POSTs are limited per address on top of the unit's count of wrong answers."""
    assert limited.login("unit_a").status_code == 302
    limited.select("广州示范大学")
    wrong = {"old_name": "广州示范学院", "old_code": "0000000000000"}
    for _ in range(3):
        assert limited.post("/admin/legacy_bind/scheme-one/", wrong, token_page="/admin/legacy_bind/").status_code == 200
    refused = limited.post("/admin/legacy_bind/scheme-one/", wrong, token_page="/admin/legacy_bind/")
    assert refused.status_code == 429
