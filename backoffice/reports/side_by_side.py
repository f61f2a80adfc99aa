"""A report's independent statements, run side by side on SQLite.

PostgreSQL runs one large aggregate in parallel workers by itself. SQLite runs every statement on one core,
so a province's 继续教育综合统计 — the registered people and the learners, two GROUP BYs over a million
people each — took the sum of the two (docs/statistics.md). Here each statement runs on a connection of its
own, in a thread: sqlite3 lets go of the GIL while SQLite steps, so two statements use two cores. A
statement may also be cut into shares by a range of ids (`shares`), each share's rows summed by the caller.

The connections read with a deferred BEGIN (`read_only`, extensions.harden_sqlite): a shared read lock, so
they neither wait for a writer nor take the write lock every other transaction takes. Each reads the
latest commit, not this session's uncommitted rows: only for pages that write nothing before they report.
In-memory databases (one per connection) and PostgreSQL run the statements one after the other on the
session, as before.
"""
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Engine, Executable, bindparam, func, select, true

from ..extensions import db

WORKERS = 2  # how many shares a statement is cut into: the cores of the machines this runs on


def _own_engine() -> Engine | None:
    """The engine to open more connections on: a SQLite file database whose session is not held to one
    connection (a caller's transaction, such as the tests' rolled-back one, sees rows no other would)."""
    bind = db.session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite" or bind.url.database in (None, "", ":memory:"):
        return None
    return bind


def run_all(statements: Sequence[Executable]) -> list[list]:
    """Each statement's rows, in the order given."""
    engine = _own_engine()
    if engine is None or len(statements) < 2:
        return [db.session.execute(statement).all() for statement in statements]

    def run(statement):
        with engine.connect().execution_options(read_only=True) as connection:
            return connection.execute(statement).all()

    # one thread per statement: the operating system shares the cores between them, so a short statement
    # does not wait for a long one to end before it starts
    with ThreadPoolExecutor(max_workers=len(statements)) as pool:
        return list(pool.map(run, statements))


def shares(column, parts: int = WORKERS) -> tuple:
    """`(within, cuts)`: `cuts` are the values that cut the range of `column` (integer ids) into `parts`
    contiguous shares, `within(c)` the condition that keeps one share of any column `c` holding the same
    ids. `statement.params(**cut)` for each cut gives a statement of its own, whose rows the caller adds
    up. `(lambda c: true(), [{}])` — one statement, the whole — when side by side is off."""
    whole = (lambda _column: true()), [{}]
    if _own_engine() is None:
        return whole
    # two sub-selects: SQLite reads a lone min() or max() off the key's end, but scans for both at once
    low, high = db.session.execute(
        select(select(func.min(column)).scalar_subquery(), select(func.max(column)).scalar_subquery())
    ).one()
    if low is None:
        return whole
    step = (high - low) // parts + 1

    def within(ids):
        return ids.between(bindparam("share_low"), bindparam("share_high"))

    return within, [{"share_low": start, "share_high": min(start + step - 1, high)}
                    for start in range(low, high + 1, step)]
