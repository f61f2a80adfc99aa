"""Test harness: one migrated, demo-seeded database per session; every test runs inside a
transaction that is rolled back afterwards, so tests can change anything and stay independent.

`TEST_DATABASE_URL` selects PostgreSQL; by default a temporary SQLite file is used.
"""
import os
import re
import shutil
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text

from backoffice import create_app
from backoffice.config import TestConfig
from backoffice.demo import DEMO_PASSWORD, seed_demo
from backoffice.extensions import db
from backoffice.hours import summary_mismatches
from isolation import isolated, reused_app

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def _reset_schema() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


def _worker_database(url: str) -> str:
    """Under pytest-xdist (`make test` runs a worker per core) each worker gets a PostgreSQL database of its
    own beside TEST_DATABASE_URL's (…_gw0, …_gw1), created empty here; the migrations fill it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    server = make_url(url)
    name = f"{server.database}_{worker}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def pytest_collection_modifyitems(items):
    """The files marked `early` (minutes long, like the fuzz sweep) first: pytest-xdist hands out files in
    collection order, so each starts at once on its own worker beside the rest of the suite instead of
    running alone at the end. The order is otherwise kept."""
    items.sort(key=lambda item: item.get_closest_marker("early") is None)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url, path = os.environ.get("TEST_DATABASE_URL"), None
    if url:
        url = _worker_database(url)
    else:
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        url = f"sqlite:///{path}"
    upload_dir = tmp_path_factory.mktemp("uploads")
    # `make mutation` starts a pytest session per mutant: the first one migrates and seeds, and saves
    # the database and the demo's uploads in this folder; every later session copies them and reuses
    # the process's app (7 s + 2 s saved per mutant). Unset in `make test` and CI.
    template = os.environ.get("TEST_DB_TEMPLATE")
    if path is not None and template and os.path.exists(f"{template}/done"):
        shutil.copyfile(f"{template}/test.sqlite3", path)
        shutil.copytree(f"{template}/uploads", upload_dir, dirs_exist_ok=True)
        return reused_app(lambda: create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url), url, upload_dir)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=upload_dir)
    with app.app_context():
        _reset_schema()
        upgrade()  # the schema under test is the migrations' schema
        seed_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    if path is not None and template:
        os.makedirs(template, exist_ok=True)
        shutil.copyfile(path, f"{template}/test.sqlite3")
        shutil.copytree(upload_dir, f"{template}/uploads", dirs_exist_ok=True)
        open(f"{template}/done", "w").close()
    return app


@pytest.fixture(autouse=True)
def _isolated(app):
    """Every test runs inside a transaction rolled back afterwards (a directory's conftest may widen
    this to one transaction per module for read-only tests, see tests/oracle/conftest.py).

    Whatever the test did to records, it ends with 人员年度学时 equal to a recount of them: the record
    triggers must keep up with every path the suite drives (tests/records/test_person_year_hours.py)."""
    with isolated(app):
        yield
        with app.app_context():
            assert summary_mismatches() == [], "person_year_hours differs from the recount of the records"


class Client:
    """A browser-like test client: keeps cookies, finds the CSRF token, reads like the manual."""

    def __init__(self, app):
        self.http = app.test_client()

    def get(self, url, **kwargs):
        return self.http.get(url, **kwargs)

    # The token belongs to the session, not to a page: by default it is read from 修改密码 (any signed-in
    # user's plainest page; /login when signed out), not from the 工作台, whose to-do counts cost tens
    # of queries on every POST of the suite.
    TOKEN_PAGE = "/change-password"

    def csrf_token(self, page: str = TOKEN_PAGE) -> str:
        html = self.http.get(page, follow_redirects=True).get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def post(self, url, data=None, token_page: str = TOKEN_PAGE, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(token_page))
        return self.http.post(url, data=data, **kwargs)

    def login(self, username: str, password: str = DEMO_PASSWORD, **extra):
        token = self.csrf_token("/login")
        return self.http.post(
            "/login", data={"username": username, "password": password, "csrf_token": token, **extra}
        )

    def select(self, org_name: str):
        page = self.http.get("/select-org").get_data(as_text=True)
        match = re.search(r'value="([^"]+)"[^>]*>\s*<label[^>]*>' + re.escape(org_name), page)
        assert match, f"{org_name} not offered on /select-org"
        return self.post("/select-org", {"context": match.group(1)}, token_page="/select-org")


@pytest.fixture
def client(app):
    return Client(app)


@pytest.fixture
def login_as(app):
    """`login_as("unit_b")` → a client signed in and acting as that demo account."""

    def sign_in(username: str, org: str | None = None) -> Client:
        c = Client(app)
        response = c.login(username)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        if org is not None:
            c.select(org)
        return c

    return sign_in


@pytest.fixture
def counting(app):
    """`with counting() as statements:` — the SQL statements the block runs (query-count tests)."""
    with app.app_context():
        engine = db.engine.engine

    @contextmanager
    def count():
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return count
