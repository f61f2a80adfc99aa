"""The embedded SQLite under simultaneous requests (issue #15 item 12): every request waits for the write
lock instead of failing with "database is locked", and a race still has exactly one winner.

These tests always build their own SQLite file database and serve it with a real threaded werkzeug
server, whatever database the rest of the suite runs on (TEST_DATABASE_URL): the behaviour under test
is SQLite's, so it is tested on SQLite in both runs of the suite.
"""
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.serving import make_server

from backoffice import create_app
from backoffice.config import TestConfig
from backoffice.demo import DEMO_PASSWORD, seed_demo
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ReviewResult
from backoffice.models import Organisation, ReviewLog, User

THREADS = 10
TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(base URL, app) of a freshly migrated and seeded SQLite file database behind a threaded server."""
    folder = tmp_path_factory.mktemp("concurrent")
    app = create_app(
        TestConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'concurrent.sqlite3'}",
        UPLOAD_DIR=folder / "uploads",
        RATELIMIT_ENABLED=False,  # ten sign-ins from one address in a second are the point here
    )
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join()
        with app.app_context():
            db.engine.dispose()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is the answer we judge


class Browser:
    """One browser: its own cookies, never following redirects."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")

    def token(self, path: str) -> str:
        status, _, html = self.request(path)
        assert status == 200, (path, status)
        return TOKEN_RE.search(html).group(1)

    def login_form(self, login: str) -> dict:
        return {"username": login, "password": DEMO_PASSWORD, "csrf_token": self.token("/login")}


def _all_at_once(calls) -> list:
    """Run the calls in threads released together; their results in order."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        start.wait()
        try:
            results[i] = call()
        except Exception as error:  # noqa: BLE001  (reported as the thread's result)
            results[i] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_ten_simultaneous_sign_ins_all_succeed(served):
    base, app = served
    logins = ["admin", "helpdesk", "gd_hr", "gz_hr", "gd_edu", "gz_edu", "unit_b", "unit_c", "inst_a", "p_chen"]
    browsers = [Browser(base) for _ in logins]
    forms = [b.login_form(login) for b, login in zip(browsers, logins)]
    results = _all_at_once([lambda b=b, f=f: b.request("/login", f) for b, f in zip(browsers, forms)])
    for login, result in zip(logins, results):
        assert not isinstance(result, Exception), (login, result)
        status, location, body = result
        assert status == 302, (login, status, body[:300])
        assert "/login" not in location, (login, location)  # signed in, not sent back
    with app.app_context():
        signed_in = db.session.scalar(
            select(func.count()).select_from(User).where(User.login.in_(logins), User.last_login_at.is_not(None))
        )
    assert signed_in == THREADS


def test_ten_simultaneous_approvals_apply_once(served):
    base, app = served
    with app.app_context():
        pending = db.session.scalar(select(Organisation).where(Organisation.name == "广州示范科技学校"))
        assert pending.status == ApplicationStatus.PENDING
        org_id = pending.id
    reviewers = [Browser(base) for _ in range(THREADS)]
    for browser in reviewers:  # ten sessions of the same reviewer, signed in one after the other
        status, _, _ = browser.request("/login", browser.login_form("gz_hr"))
        assert status == 302
    url = f"/admin/review_units/review/?id={org_id}"
    forms = [
        {"result": ReviewResult.APPROVE, "opinion": "同意", "csrf_token": b.token(f"/admin/review_units/details/?id={org_id}")}
        for b in reviewers
    ]
    results = _all_at_once([lambda b=b, f=f: b.request(url, f) for b, f in zip(reviewers, forms)])
    for result in results:
        assert not isinstance(result, Exception), result
        status, _, body = result
        assert status == 302, (status, body[:300])
    with app.app_context():
        approvals = db.session.scalar(
            select(func.count()).select_from(ReviewLog).where(
                ReviewLog.object_type == "organisation",
                ReviewLog.object_id == org_id,
                ReviewLog.result == ReviewResult.APPROVE,
            )
        )
        status = db.session.scalar(select(Organisation.status).where(Organisation.id == org_id))
    assert approvals == 1
    assert status == ApplicationStatus.APPROVED
