"""Settings the application gives its database connections (backoffice/__init__.py:_tune_postgresql)."""
from sqlalchemy import text

from backoffice.extensions import db


def test_postgresql_runs_without_jit_and_sqlite_gets_no_postgresql_options(app):
    """PostgreSQL's JIT compiled the 年度验证 join for 1.4 s of a 1.5 s statement on the demo's data."""
    with app.app_context():
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        if db.engine.dialect.name == "postgresql":
            assert "-c jit=off" in options["connect_args"]["options"]
            assert db.session.scalar(text("SHOW jit")) == "off"
        else:
            assert "connect_args" not in options
            assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
