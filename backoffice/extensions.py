"""The Flask extensions, created unbound so every module can import them."""
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names on SQLite and PostgreSQL, so migrations diff cleanly.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()


# How long a request waits for SQLite's write lock before giving up (then a 500, as any database error).
SQLITE_BUSY_TIMEOUT_MS = 30_000
# How much of a file database SQLite reads through memory-mapped I/O (its build's ceiling, 2 GiB) instead
# of copying each page into a connection's 2 MB cache: 继续教育综合统计 looks up every learner's person and
# unit, and at a million people the copies were a fifth of its time (docs/statistics.md). The pages are the
# operating system's file cache, shared by every connection, not memory of the process.
SQLITE_MMAP_BYTES = 2**31


def harden_sqlite(engine) -> None:
    """Make the embedded SQLite behave like a real database.

    pysqlite starts transactions lazily and ignores SAVEPOINT semantics, and SQLite does not enforce
    foreign keys unless asked: emit BEGIN ourselves (SQLAlchemy's documented recipe) and switch foreign
    keys on for every connection.

    Several requests at once (threads, gunicorn workers): with a deferred BEGIN, two transactions that
    both read and then write deadlock and SQLite fails one at once with "database is locked" whatever
    the timeout (measured: 9 of 10 simultaneous sign-ins). So every transaction is BEGIN IMMEDIATE —
    it takes the write lock up front and waits for it up to SQLITE_BUSY_TIMEOUT_MS — and a file database
    runs in WAL mode, so a transaction never waits for readers and a commit never blocks them. Requests
    are short, so serialising them costs little (the test suite's time did not change measurably);
    PostgreSQL is the production database for anything busier. A connection given the execution option
    `read_only` (a report's statements run side by side) begins a plain read transaction instead.
    """
    from sqlalchemy import event

    if engine.dialect.name != "sqlite":
        return
    in_memory = engine.url.database in (None, "", ":memory:") or "mode=memory" in str(engine.url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            dbapi_connection.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # a connection opened only to read (reports.side_by_side) takes a shared lock, not the write lock
        read_only = connection.get_execution_options().get("read_only")
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
