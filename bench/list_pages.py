"""Scoped list pages at scale, against the raw SQL for the same rows.

    make bench                     # SQLite, 200,000 people in 2,000 units
    BENCH_PEOPLE=1000000 DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test make bench

Prints, for each screen, the median time of the back office's own query path (policy scope + Flask-Admin
get_list, eager loads included) and of a hand-written SQL query returning the same page, and their ratio.
The database is rebuilt from the migrations; do not point it at data you want to keep.
"""
import os
import statistics
import time
from datetime import date
from pathlib import Path

from flask import g
from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from backoffice import create_app
from backoffice.config import TestConfig
from backoffice.demo import seed_demo
from backoffice.extensions import db
from backoffice.models import Organisation, Person, User
from backoffice.policy import available_contexts, build_actor
from backoffice.validators import make_uscc

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "200000"))
UNITS = max(PEOPLE // 100, 10)
REPEAT = 15
COUNTIES = ["440103", "440104", "440106", "440303", "440304", "440305"]


def build(app):
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        seed_demo()
        db.session.commit()
        hr = db.session.scalar(select(Organisation.id).where(Organisation.name == "广东省人力资源和社会保障厅"))
        units = [
            dict(kind="unit", name=f"压测单位{i:05d}", code_type="uscc", code=make_uscc(f"91440000MB{i:07d}"),
                 level="county", region_code=COUNTIES[i % len(COUNTIES)], hr_org_id=hr, status="approved",
                 active=True)
            for i in range(UNITS)
        ]
        db.session.execute(insert(Organisation), units)
        unit_ids = list(db.session.scalars(select(Organisation.id).where(Organisation.name.like("压测单位%"))))
        batch = []
        for n in range(PEOPLE):
            batch.append(dict(
                name=f"人员{n:07d}", sex="男" if n % 2 else "女", birth_date=date(1960 + n % 40, 1 + n % 12, 1),
                id_number=f"B{n:017d}",  # unique; the bench measures lists, not validation
                unit_id=unit_ids[n % len(unit_ids)], binding_status="confirmed", title_level="middle",
            ))
            if len(batch) == 20000:
                db.session.execute(insert(Person), batch)
                batch.clear()
        if batch:
            db.session.execute(insert(Person), batch)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        return unit_ids[0]


def median_ms(fn) -> float:
    fn()
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path('bench/data').resolve() / 'bench.sqlite3'}"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    started = time.perf_counter()
    sample_unit = build(app)
    print(f"{db_name(app)}: {PEOPLE:,} people in {UNITS:,} units, built in {time.perf_counter() - started:.1f}s")

    admin = app.extensions["backoffice_admin"]
    views = {v.endpoint: v for v in admin._views}
    with app.app_context():
        gd_hr = db.session.scalar(select(User).where(User.login == "gd_hr"))
        hr_actor = build_actor(gd_hr, available_contexts(gd_hr)[0].key)
        unit_user = db.session.scalar(select(User).where(User.login == "unit_b"))
        unit_actor = build_actor(unit_user, available_contexts(unit_user)[0].key)
        unit_actor = unit_actor.__class__(**{**unit_actor.__dict__, "org_id": sample_unit})

    cases = [
        ("unit: 专业技术人员信息维护, page 1", "person_maintain", unit_actor, 0,
         "SELECT id, name FROM person WHERE unit_id = :unit ORDER BY name LIMIT 20", {"unit": sample_unit}),
        ("province HR: 信息查询, page 1", "person_query", hr_actor, 0,
         "SELECT p.id, p.name FROM person p JOIN organisation o ON o.id = p.unit_id "
         "WHERE o.kind = 'unit' AND o.region_code BETWEEN '440000' AND '449999' ORDER BY p.name LIMIT 20", {}),
        ("province HR: 信息查询, page 500", "person_query", hr_actor, 499,
         "SELECT p.id, p.name FROM person p JOIN organisation o ON o.id = p.unit_id "
         "WHERE o.kind = 'unit' AND o.region_code BETWEEN '440000' AND '449999' "
         "ORDER BY p.name LIMIT 20 OFFSET 9980", {}),
    ]
    print(f"{'screen':40} {'app ms':>8} {'raw ms':>8} {'ratio':>6}")
    for label, endpoint, actor, page, raw_sql, params in cases:
        view = views[endpoint]

        def through_app():
            with app.test_request_context():
                g.actor = actor
                _, rows = view.get_list(page, "name", False, None, None)
                assert rows

        def raw():
            with app.app_context():
                assert db.session.execute(text(raw_sql), params).all()

        app_ms, raw_ms = median_ms(through_app), median_ms(raw)
        print(f"{label:40} {app_ms:8.1f} {raw_ms:8.1f} {app_ms / raw_ms:6.1f}")


def db_name(app):
    with app.app_context():
        return db.engine.dialect.name


if __name__ == "__main__":
    main()
