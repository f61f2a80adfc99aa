"""The rolled-back transaction every test (or, for read-only modules, every module) runs in."""
from contextlib import contextmanager

from backoffice.extensions import db


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
