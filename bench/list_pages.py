"""Scoped list and details pages at province scale, against the raw SQL for the same rows and against a
plain Flask-Admin ModelView over the same table, measured side by side in one run.

    make bench                                        # SQLite, 200,000 people (BENCH_PEOPLE)
    BENCH_PEOPLE=1000000 DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_x make bench

For each case: median and p95 of the back office's query path (policy scope + get_list with its eager
loads, search and filters), the raw SQL's median and the ratio, the plain ModelView's median and how
many times slower it is than ours (≥ 1 means ours is faster). The plain view is what a developer would
write with Flask-Admin: `column_searchable_list`, a `series.name` filter, related columns auto-joined.
For the province HR (every person of the dataset is in 广东) it has no scope at all, the fastest it can
be; for narrower actors the scope is `unit_id IN (units of the region)` or `unit_id = :unit` in
`get_query`.

The database is rebuilt from the migrations (`flask bench-data` does the data); do not point it at
data you want to keep.
"""
import os
import statistics
import time
from pathlib import Path

from flask import g
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from backoffice import create_app
from backoffice.benchdata import generate
from backoffice.config import TestConfig
from backoffice.demo import seed_demo
from backoffice.extensions import db
from backoffice.models import Organisation, Person, ProfessionalSeries, User
from backoffice.policy import available_contexts, build_actor

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "200000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
# the peer and the raw SQL take seconds per call on SQLite at a million people: fewer samples
SLOW_REPEAT = int(os.environ.get("BENCH_SLOW_REPEAT", "5"))
DEEP = 499  # page 500: rows 9,981–10,000


def build(app) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        seed_demo()
        generate(PEOPLE)
        db.session.commit()


class PlainPersonView(ModelView):
    """The peer: Flask-Admin as it comes, scoped the obvious way."""

    column_list = ["name", "sex", "id_number", "title", "title_level", "series", "unit", "department"]
    column_searchable_list = ["name", "id_number"]
    column_filters = ["series.name"]
    column_default_sort = "name"
    simple_list_pager = True
    region: tuple[str, str] | None = ("440000", "449999")
    unit_id: int | None = None
    series_id: int | None = None

    def get_query(self):
        query = super().get_query()
        if self.series_id is not None:
            query = query.filter(Person.series_id == self.series_id)
        if self.unit_id is not None:
            return query.filter(Person.unit_id == self.unit_id)
        if self.region is None:
            return query
        units = select(Organisation.id).where(
            Organisation.kind == "unit", Organisation.region_code.between(*self.region)
        )
        return query.filter(Person.unit_id.in_(units))


def timings(fn, repeat: int = REPEAT) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(samples, n=20)[18] if len(samples) > 1 else samples[0]
    return statistics.median(samples), p95


def actor_for(app, login: str, org_id: int | None = None):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        actor = build_actor(user, available_contexts(user)[0].key)
        if org_id is not None:
            actor = actor.__class__(**{**actor.__dict__, "org_id": org_id})
        return actor


def main():
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path('bench/data').resolve() / 'bench.sqlite3'}"
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    started = time.perf_counter()
    build(app)
    dialect = db_name(app)
    print(f"{dialect}: {PEOPLE:,} people, built in {time.perf_counter() - started:.0f}s")

    with app.app_context():
        unit_id, unit_size = db.session.execute(
            select(Person.unit_id, func.count()).group_by(Person.unit_id).order_by(func.count().desc()).limit(1)
        ).one()
        rare = db.session.scalar(select(ProfessionalSeries).where(ProfessionalSeries.code == "tyjl"))
        rare_id, rare_name = rare.id, rare.name
        sample = db.session.execute(
            select(Person.id, Person.name, Person.id_number).order_by(Person.id.desc()).limit(1)
        ).one()
        gxjs = db.session.scalar(select(ProfessionalSeries.id).where(ProfessionalSeries.code == "gxjs"))
    actors = {
        "province HR": actor_for(app, "gd_hr"),
        "city HR": actor_for(app, "gz_hr"),
        "industry": actor_for(app, "gd_edu"),
        "unit": actor_for(app, "unit_b", unit_id),
    }
    admin = app.extensions["backoffice_admin"]
    views = {v.endpoint: v for v in admin._views}
    plain = PlainPersonView(Person, db, endpoint="plain_person", url="/plain/person")
    plain_equal = next(i for i, f in enumerate(plain._filters) if isinstance(f, FilterEqual))
    # (index, name, value) of our 专业系列 filter: by id since this branch, by name before (the "before"
    # column of docs/performance.md ran this same script on the previous code)
    ours_series = next(
        (i, f.name, str(rare_id) if type(f).__name__ == "SeriesFilter" else rare_name)
        for i, f in enumerate(views["person_query"]._filters)
        if f.name == "专业系列" and type(f).__name__ in ("SeriesFilter", "FilterEqual")
    )

    region_sql = (
        "FROM person p JOIN organisation o ON o.id = p.unit_id "
        "WHERE o.kind = 'unit' AND o.region_code BETWEEN :low AND :high"
    )
    province, city = {"low": "440000", "high": "449999"}, {"low": "440100", "high": "440199"}
    everyone = {}  # the peer's "scope" for the province HR: none
    page_sql = " ORDER BY p.name, p.id LIMIT 20 OFFSET :offset"
    surname = sample.name[:1]  # a surname: the broadest prefix anyone types
    cases = [
        # label, endpoint, actor, plain scope, page, search, (our filter, plain filter), raw sql, params
        ("province HR 信息查询 p1", "person_query", "province HR", everyone, 0, None, None,
         f"SELECT p.id {region_sql}{page_sql}", {**province, "offset": 0}),
        ("province HR 信息查询 p500", "person_query", "province HR", everyone, DEEP, None, None,
         f"SELECT p.id {region_sql}{page_sql}", {**province, "offset": DEEP * 20}),
        (f"province HR 姓名 {surname}", "person_query", "province HR", everyone, 0, surname, None,
         f"SELECT p.id {region_sql} AND p.name LIKE :prefix{page_sql}", {**province, "prefix": surname + "%", "offset": 0}),
        ("province HR 身份号码", "person_query", "province HR", everyone, 0, sample.id_number, None,
         f"SELECT p.id {region_sql} AND p.id_number = :id", {**province, "id": sample.id_number}),
        ("province HR 身份号码 prefix", "person_query", "province HR", everyone, 0, sample.id_number[:10], None,
         f"SELECT p.id {region_sql} AND p.id_number LIKE :prefix{page_sql}",
         {**province, "prefix": sample.id_number[:10] + "%", "offset": 0}),
        ("province HR 专业系列 (rare)", "person_query", "province HR", everyone, 0, None,
         (ours_series, (plain_equal, "专业系列", rare_name)),
         f"SELECT p.id {region_sql} AND p.series_id = :series{page_sql}", {**province, "series": rare_id, "offset": 0}),
        ("city HR 信息查询 p1", "person_query", "city HR", city, 0, None, None,
         f"SELECT p.id {region_sql}{page_sql}", {**city, "offset": 0}),
        ("city HR 信息查询 p500", "person_query", "city HR", city, DEEP, None, None,
         f"SELECT p.id {region_sql}{page_sql}", {**city, "offset": DEEP * 20}),
        (f"city HR 姓名 {surname}", "person_query", "city HR", city, 0, surname, None,
         f"SELECT p.id {region_sql} AND p.name LIKE :prefix{page_sql}", {**city, "prefix": surname + "%", "offset": 0}),
        ("industry 信息查询 p1", "person_query", "industry", province, 0, None, None,
         f"SELECT p.id {region_sql} AND p.series_id = :series{page_sql}", {**province, "series": gxjs, "offset": 0}),
        ("industry 信息查询 p500", "person_query", "industry", province, DEEP, None, None,
         f"SELECT p.id {region_sql} AND p.series_id = :series{page_sql}", {**province, "series": gxjs, "offset": DEEP * 20}),
        ("unit 信息维护 p1", "person_maintain", "unit", None, 0, None, None,
         "SELECT id FROM person WHERE unit_id = :unit AND binding_status = 'confirmed' ORDER BY name, id LIMIT 20",
         {"unit": unit_id}),
    ]
    print(f"largest unit {unit_size} people; {REPEAT} samples (raw, plain: {SLOW_REPEAT}); times in ms")
    header = f"{'case':34} {'ours':>7} {'p95':>7} {'raw':>7} {'÷raw':>6} {'plain':>8} {'plain÷ours':>10}"
    print(header)
    for label, endpoint, actor_key, plain_region, page, search, filters, raw_sql, params in cases:
        view, actor = views[endpoint], actors[actor_key]
        ours_filter, plain_filter = filters or (None, None)

        def ours():
            with app.test_request_context():
                g.actor = actor
                view.get_list(page, None, False, search, [ours_filter] if ours_filter else None)

        def peer():
            with app.test_request_context():
                if plain_region is None:
                    plain.region, plain.unit_id = None, unit_id
                else:
                    plain.region = (plain_region["low"], plain_region["high"]) if plain_region else None
                    plain.unit_id = None
                plain.series_id = gxjs if actor_key == "industry" else None
                plain.get_list(page, None, False, search, [plain_filter] if plain_filter else None)

        def raw():
            with app.test_request_context():
                db.session.execute(text(raw_sql), params).all()

        (ours_ms, ours_p95), (raw_ms, _) = timings(ours), timings(raw, SLOW_REPEAT)
        plain_ms, _ = timings(peer, SLOW_REPEAT)
        print(f"{label:34} {ours_ms:7.1f} {ours_p95:7.1f} {raw_ms:7.2f} {ours_ms / raw_ms:6.1f} "
              f"{plain_ms:8.1f} {plain_ms / ours_ms:10.1f}")

    details = views["person_query"]

    def details_ours():
        with app.test_request_context():
            g.actor = actors["province HR"]
            details.get_one(str(sample.id))

    def details_plain():
        with app.test_request_context():
            plain.region, plain.unit_id, plain.series_id = None, None, None
            plain.get_one(str(sample.id))

    def details_raw():
        with app.test_request_context():
            db.session.execute(text("SELECT * FROM person WHERE id = :id"), {"id": sample.id}).one()

    (ours_ms, ours_p95), (raw_ms, _) = timings(details_ours), timings(details_raw, SLOW_REPEAT)
    plain_ms, _ = timings(details_plain, SLOW_REPEAT)
    print(f"{'province HR 详细信息':34} {ours_ms:7.1f} {ours_p95:7.1f} {raw_ms:7.2f} {ours_ms / raw_ms:6.1f} "
          f"{plain_ms:8.1f} {plain_ms / ours_ms:10.1f}")


def db_name(app):
    with app.app_context():
        return db.engine.dialect.name


if __name__ == "__main__":
    main()
