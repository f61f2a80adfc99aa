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


def test_a_sqlite_file_is_read_through_memory_mapping_and_written_ahead(tmp_path):
    """A file database: WAL (readers never wait for a commit) and memory-mapped reads (docs/statistics.md:
    the page copies were a fifth of 综合统计's time at a million people). An in-memory one needs neither."""
    from sqlalchemy import create_engine

    from backoffice.extensions import harden_sqlite

    for url, journal, mapped in ((f"sqlite:///{tmp_path / 'file.sqlite3'}", "wal", True), ("sqlite://", "memory", False)):
        engine = create_engine(url)
        harden_sqlite(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == journal
            # SQLite caps the size at its build's ceiling (2 GiB − 64 KiB here); a memory database has none
            mmap = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
            assert mmap > 2**30 if mapped else mmap is None
        engine.dispose()
