"""The 工作台's to-do counts at scale: every queue of an actor, one COUNT + MIN query each.

    python bench/todos.py                     # SQLite, 200,000 people in 2,000 units
    BENCH_PEOPLE=1000000 DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_x python bench/todos.py

Builds the list bench's people (bench/list_pages.py), marks 10 % of them 待单位确认, and adds 20,000
waiting 角色申请 spread over the HR bureaus; then times `todos(actor)` (all of an actor's queues) for a
unit, a city HR and the provincial HR. Median of 15. The database is rebuilt from the migrations.
"""
import os
import time
from datetime import timedelta
from pathlib import Path

from flask import g
from sqlalchemy import insert, select, text, update

from backoffice import create_app, todos
from backoffice.config import TestConfig
from backoffice.extensions import db
from backoffice.models import Organisation, Person, User
from backoffice.models.base import utcnow
from backoffice.policy import available_contexts, build_actor
from backoffice.validators import make_uscc
from list_pages import COUNTIES, PEOPLE, build, db_name, median_ms

APPLICATIONS = 20000


def add_waiting(app):
    with app.app_context():
        db.session.execute(update(Person).where(Person.name.like("人员%0")).values(binding_status="pending"))
        bureaus = {
            name: db.session.scalar(select(Organisation.id).where(Organisation.name == name))
            for name in ("广东省人力资源和社会保障厅", "广州市人力资源和社会保障局")
        }
        now = utcnow()
        rows = [
            dict(kind="unit", name=f"待审单位{i:05d}", code_type="uscc", code=make_uscc(f"91440000MC{i:07d}"),
                 level="county", region_code=COUNTIES[i % len(COUNTIES)], status="pending", active=True,
                 reviewer_org_id=bureaus["广州市人力资源和社会保障局" if COUNTIES[i % len(COUNTIES)].startswith("4401")
                                         else "广东省人力资源和社会保障厅"],
                 submitted_at=now - timedelta(minutes=i))
            for i in range(APPLICATIONS)
        ]
        db.session.execute(insert(Organisation), rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # fresh statistics and visibility map, as in production
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))


def actor_of(login, org_id=None):
    user = db.session.scalar(select(User).where(User.login == login))
    actor = build_actor(user, available_contexts(user)[0].key)
    return actor if org_id is None else actor.__class__(**{**actor.__dict__, "org_id": org_id})


def main():
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path('bench/data').resolve() / 'todos.sqlite3'}"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    started = time.perf_counter()
    sample_unit = build(app)
    add_waiting(app)
    print(f"{db_name(app)}: {PEOPLE:,} people, {APPLICATIONS:,} waiting applications, "
          f"built in {time.perf_counter() - started:.1f}s")
    with app.app_context():
        actors = [("unit (3 queues)", actor_of("unit_b", sample_unit)),
                  ("city HR (4 queues)", actor_of("gz_hr")),
                  ("province HR (4 queues)", actor_of("gd_hr"))]
    print(f"{'工作台 of':28} {'ms':>8}  counts")
    for label, actor in actors:
        def count():
            with app.test_request_context():
                g.actor = actor
                return [(t.queue.code, t.count) for t in todos.todos(actor)]

        shown = count()
        print(f"{label:28} {median_ms(count):8.1f}  {shown}")


if __name__ == "__main__":
    main()
