"""A report's statements side by side on SQLite (reports/side_by_side.py): on connections of their own, at
the same time, reading without the write lock, and giving the figures the session would."""
import threading
from dataclasses import asdict
from datetime import date

import pytest
from sqlalchemy import event, func, select, text

from backoffice.clock import beijing_today
from backoffice.extensions import db
from backoffice.models import Person, PersonYearHours, Region, User
from backoffice.policy import available_contexts, build_actor
from backoffice.reports import hours_by_type, side_by_side, statistics

from isolation import isolated
from race import drop_race_app, race_app


@pytest.fixture
def _isolated():
    """No outer rolled-back transaction (conftest's holds the write lock and rows no other connection
    sees): these tests only read the suite's committed demo database."""
    yield


@pytest.fixture(scope="module")
def file_app(tmp_path_factory):
    """An app on a database of its own, migrated and seeded, its rows committed (race.race_app) and its
    session bound to its engine as in production: the suite's own sessions run inside one rolled-back
    connection. Everyone registered in 2001, so a past 统计时间 still counts the demo's people."""
    app = race_app(tmp_path_factory, "side_by_side")
    with app.app_context():
        for table in ("person", "organisation"):
            db.session.execute(text(f"UPDATE {table} SET created_at = '2001-01-01 00:00:00'"))
        db.session.commit()
        db.session.remove()
    yield app
    drop_race_app(app)


def sqlite(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "sqlite"


def test_the_statements_run_at_once_on_two_connections_without_the_write_lock(file_app):
    if not sqlite(file_app):  # PostgreSQL: parallel workers inside one statement; the session runs them
        with file_app.app_context():
            assert side_by_side._own_engine() is None and side_by_side.shares(Person.id)[1] == [{}]
        return
    meeting = threading.Barrier(2, timeout=5)

    def meet():
        meeting.wait()  # returns only when the other statement has started too
        return threading.get_ident()

    with file_app.app_context():
        event.listen(db.engine, "connect", lambda conn, _: conn.create_function("meet", 0, meet))
        db.engine.dispose()  # new connections, with the function
        db.session.execute(text("SELECT 1"))  # the session holds its transaction (BEGIN IMMEDIATE) meanwhile
        first, second = side_by_side.run_all([text("SELECT meet()"), text("SELECT meet()")])
        assert first[0][0] != second[0][0]  # two threads; run one after the other, the barrier breaks
        db.session.rollback()


def test_in_a_held_transaction_they_run_on_the_session(app):
    """The suite's rolled-back connection sees rows no other connection would: the session runs them."""
    with isolated(app), app.app_context():
        db.session.execute(text("CREATE TEMPORARY TABLE only_here (n INTEGER)"))
        db.session.execute(text("INSERT INTO only_here VALUES (7)"))
        rows = side_by_side.run_all([text("SELECT n FROM only_here"), text("SELECT n + 1 FROM only_here")])
        assert [list(map(tuple, r)) for r in rows] == [[(7,)], [(8,)]]
        within, cuts = side_by_side.shares(Person.id)
        assert str(within(Person.id)) == "true" and cuts == [{}]  # one statement, the whole


def test_shares_on_a_file_database_cut_the_ids_in_contiguous_ranges(file_app):
    if not sqlite(file_app):
        return  # PostgreSQL: one share, the first test
    with file_app.app_context():
        low, high = db.session.execute(select(func.min(Person.id), func.max(Person.id))).one()
        within, cuts = side_by_side.shares(Person.id)
        condition = within(Person.id)
        assert [(c["share_low"], c["share_high"]) for c in cuts] == [
            (low, low + (high - low) // 2), (low + (high - low) // 2 + 1, high)]
        shared = [db.session.scalar(select(func.count()).where(condition).params(**cut)) for cut in cuts]
        assert sum(shared) == db.session.scalar(select(func.count(Person.id))) and all(shared)
        db.session.rollback()


@pytest.mark.parametrize("login", ["gd_hr", "gz_hr", "gd_edu"])
@pytest.mark.parametrize("as_of", ["today", "last June"])  # last June: person-years recounted from records
def test_the_report_side_by_side_equals_the_report_on_the_session(file_app, monkeypatch, login, as_of):
    with file_app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        actor = build_actor(user, available_contexts(user)[0].key)
        base = db.session.get(Region, actor.region_code)
        year = beijing_today().year - 1
        day = beijing_today() if as_of == "today" else date(year, 6, 30)
        if as_of != "today":  # the demo's last year has studies ending after June: the recount's branch
            assert db.session.scalar(select(func.count()).where(
                PersonYearHours.year == year, PersonYearHours.last_end_on > day))
        ran = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: ran.append(threading.get_ident()))
        together = statistics.by_region(actor, base, year, day)
        by_level_together = statistics.by_level(actor, base, year, day)
        # SQLite: threads beside the request's (idents are reused); PostgreSQL: the request's alone
        assert (len(set(ran)) > 1) == sqlite(file_app)
        monkeypatch.setattr(side_by_side, "_own_engine", lambda: None)
        alone = statistics.by_region(actor, base, year, day)
        by_level_alone = statistics.by_level(actor, base, year, day)
        assert [asdict(r) for r in together.rows] == [asdict(r) for r in alone.rows]
        assert [asdict(r) for r in by_level_together.rows] == [asdict(r) for r in by_level_alone.rows]
        assert together.total.learners > 0 and together.total.people > 0  # figures, not two empty tables
        db.session.rollback()


@pytest.mark.parametrize("login", ["gd_hr", "gd_edu"])
def test_hours_by_type_side_by_side_equals_the_session(file_app, monkeypatch, login):
    with file_app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        actor = build_actor(user, available_contexts(user)[0].key)
        year = beijing_today().year - 1
        together = hours_by_type.by_study_form(actor, year)
        monkeypatch.setattr(side_by_side, "_own_engine", lambda: None)
        alone = hours_by_type.by_study_form(actor, year)
        assert [asdict(r) for r in together.rows] == [asdict(r) for r in alone.rows]
        assert together.total.hours > 0  # figures, not two empty tables
        db.session.rollback()
