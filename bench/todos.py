"""The 工作台's to-do counts at scale: every queue of an actor, one COUNT + MIN query each.

    python bench/todos.py                     # SQLite, the bench's province
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench python bench/todos.py

In the bench's province (bench/list_pages.py `build`), marks every tenth confirmed person 待单位确认 and
adds 20,000 waiting 角色申请 spread over the HR bureaus; then times `todos(actor)` (all of an actor's
queues) for a unit, a city HR and the provincial HR, median of 15; then puts the province back.
"""
import time
from datetime import timedelta

from flask import g
from sqlalchemy import delete, func, insert, select, update

from backoffice import todos
from backoffice.extensions import db
from backoffice.models import Organisation, Person, User
from backoffice.models.base import utcnow
from backoffice.policy import available_contexts, build_actor
from backoffice.validators import make_uscc
from list_pages import PEOPLE, analyze, bench_app, build, db_name, timings

APPLICATIONS = 20000


def add_waiting(app) -> tuple[list[int], int]:
    """Every tenth confirmed person 待单位确认, and APPLICATIONS 待审核 unit registrations: (the people
    changed, the last organisation id before), for `remove_waiting`."""
    with app.app_context():
        last_org = db.session.scalar(select(func.max(Organisation.id)))
        waiting = list(db.session.scalars(
            select(Person.id).where(Person.binding_status == "confirmed", Person.id % 10 == 0)))
        for chunk in range(0, len(waiting), 10_000):
            db.session.execute(update(Person).where(Person.id.in_(waiting[chunk:chunk + 10_000]))
                               .values(binding_status="pending"))
        bureaus = {
            name: db.session.scalar(select(Organisation.id).where(Organisation.name == name))
            for name in ("广东省人力资源和社会保障厅", "广州市人力资源和社会保障局")
        }
        counties = list(db.session.scalars(  # the districts the generator put units in
            select(Organisation.region_code).distinct()
            .where(Organisation.kind == "unit", Organisation.region_code.like("44%"))
            .order_by(Organisation.region_code)))
        now = utcnow()
        rows = [
            dict(kind="unit", name=f"待审单位{i:05d}", code_type="uscc", code=make_uscc(f"91440000MC{i:07d}"),
                 level="county", region_code=counties[i % len(counties)], status="pending", active=True,
                 reviewer_org_id=bureaus["广州市人力资源和社会保障局" if counties[i % len(counties)].startswith("4401")
                                         else "广东省人力资源和社会保障厅"],
                 submitted_at=now - timedelta(minutes=i))
            for i in range(APPLICATIONS)
        ]
        db.session.execute(insert(Organisation), rows)
        db.session.commit()
        analyze()
        return waiting, last_org


def remove_waiting(app, waiting: list[int], last_org: int) -> None:
    """The province as it was: the people confirmed again, the applications gone."""
    with app.app_context():
        for chunk in range(0, len(waiting), 10_000):
            db.session.execute(update(Person).where(Person.id.in_(waiting[chunk:chunk + 10_000]))
                               .values(binding_status="confirmed"))
        db.session.execute(delete(Organisation).where(Organisation.id > last_org))
        db.session.commit()
        analyze()


def actor_of(login, org_id=None):
    user = db.session.scalar(select(User).where(User.login == login))
    actor = build_actor(user, available_contexts(user)[0].key)
    return actor if org_id is None else actor.__class__(**{**actor.__dict__, "org_id": org_id})


def main():
    app = bench_app()
    started = time.perf_counter()
    build(app)
    waiting, last_org = add_waiting(app)
    try:
        measure(app, started)
    finally:
        remove_waiting(app, waiting, last_org)


def measure(app, started: float) -> None:
    print(f"{db_name(app)}: {PEOPLE:,} people, {APPLICATIONS:,} waiting applications, "
          f"ready in {time.perf_counter() - started:.1f}s")
    with app.app_context():
        sample_unit = db.session.scalar(  # the unit with the most people waiting: its longest queue
            select(Person.unit_id).where(Person.binding_status == "pending")
            .group_by(Person.unit_id).order_by(func.count().desc()).limit(1))
        actors = [("unit", actor_of("unit_b", sample_unit)),
                  ("city HR", actor_of("gz_hr")),
                  ("province HR", actor_of("gd_hr"))]
    print(f"{'工作台 of':28} {'ms':>8}  {'≤ 150 ms':8}  counts")
    for label, actor in actors:
        def count():
            with app.test_request_context():
                g.actor = actor
                return [(t.queue.code, t.count) for t in todos.todos(actor)]

        shown = count()
        ms = timings(count)[0]  # the 工作台 is a page: issue 12's 150 ms
        print(f"{label:28} {ms:8.1f}  {'met' if ms <= 150 else 'MISSED':8}  {shown}")


if __name__ == "__main__":
    main()
