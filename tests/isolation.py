"""The rolled-back transaction every test (or, for read-only modules, every module) runs in."""
from contextlib import contextmanager

from sqlalchemy import create_engine

from backoffice import formatting
from backoffice.extensions import db, harden_sqlite

_APPS: dict = {}  # mutation runs only: the Flask app of this process


@contextmanager
def isolated(app):
    """Route every session through one connection whose transaction is rolled back at the end.

    No app context stays pushed inside: Flask would reuse it for every test-client request,
    sharing `g` (the cached actor, the CSRF token) between requests as no real browser would.
    """
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    engines = db._app_engines[app]
    engines[None] = connection
    original_session = db.session
    db.session = db._make_scoped_session({"join_transaction_mode": "create_savepoint"})
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        db.session = original_session
        engines[None] = engine
        outer.rollback()
        connection.close()
        formatting.forget_dictionaries(list(formatting._dictionaries))  # what it read of the rolled-back rows


def reused_app(factory, url: str, upload_dir):
    """`make mutation` only: one app per process (building one registers 350 routes, about 2 s), pointed
    at this session's copy of the database and uploads. Each mutant runs in a process forked after the
    clean run, so every mutant starts from the same app. A mutant inside code that runs only while the
    app is built (view constructors) is not exercised this way: docs/testing.md lists them."""
    app = _APPS.get("app")
    if app is None:
        app = _APPS["app"] = factory()
    engines = db._app_engines[app]
    engines[None].dispose()
    engines[None] = create_engine(url)
    harden_sqlite(engines[None])
    app.config.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=upload_dir)
    return app
