"""Races on the suite's own database engine: a migrated, seeded database of their own (a new SQLite file,
or a new database beside TEST_DATABASE_URL on PostgreSQL) whose rows are really committed, so threads
with their own connections meet the same rows the way two operators' requests do."""
import os
import threading

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from backoffice import create_app
from backoffice.config import TestConfig
from backoffice.demo import seed_demo
from backoffice.extensions import db


def race_app(tmp_path_factory, name: str):
    """An app on a fresh database called `name`, migrated and seeded with the demo."""
    url = os.environ.get("TEST_DATABASE_URL")
    folder = tmp_path_factory.mktemp(name)
    if url:
        server = make_url(url)
        admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{server.database}_{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{server.database}_{name}"'))
        admin.dispose()
        url = server.set(database=f"{server.database}_{name}").render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{folder / 'race.sqlite3'}"
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=folder / "uploads")
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.session.remove()
    return app


def drop_race_app(app) -> None:
    with app.app_context():
        db.engine.dispose()
        url = db.engine.url
    if url.get_backend_name() == "postgresql":
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        admin.dispose()


def at_once(app, calls) -> list:
    """Run each call in its own thread and app context (its own session and connection), released
    together; returns each call's result or the exception it raised, in order."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index, call):
        with app.app_context():
            start.wait()
            try:
                results[index] = call()
                db.session.commit()
            except Exception as error:  # the loser's refusal is the result under test
                db.session.rollback()
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
