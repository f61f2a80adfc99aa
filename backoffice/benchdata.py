"""`flask bench-data --people N`: a province-sized dataset for benchmarks (issue 12 item 5).

On top of the demo data: more 广东 cities and districts, about one 法人单位 per 100 people, one 施教机构
per 10,000, more 专业系列 (one held by a handful of people, as rare series are), and N people with
realistic names (prefix searches hit many), valid 公民身份号码, title levels and series. Half of the
people work in 广州, a quarter in 深圳, as the issue's measurements assumed.

Rows are written with COPY on PostgreSQL and executemany on SQLite: a million people in minutes.
Not for a database anyone uses: it only adds rows, never asks.
"""
import random
from datetime import date, timedelta

from sqlalchemy import insert, select, text

from .extensions import db
from .labels import ApplicationStatus, BindingStatus, OrgKind, RegionLevel, TitleLevel
from .models import Organisation, Person, ProfessionalSeries, Region
from .validators import make_citizen_id, make_uscc

# city, its districts; 广州 and 深圳 come with the demo
MORE_REGIONS = {
    ("440400", "珠海市"): [("440402", "香洲区"), ("440403", "斗门区")],
    ("440500", "汕头市"): [("440507", "龙湖区"), ("440511", "金平区")],
    ("440600", "佛山市"): [("440604", "禅城区"), ("440605", "南海区"), ("440606", "顺德区")],
    ("440700", "江门市"): [("440703", "蓬江区"), ("440704", "江海区")],
}
MORE_SERIES = [
    ("kjry", "会计专业人员"), ("tjry", "统计专业人员"), ("sjry", "审计专业人员"), ("nyjs", "农业技术人员"),
    ("xwcb", "新闻专业人员"), ("fyry", "翻译专业人员"), ("gmys", "工艺美术专业人员"),
    ("tyjl", "体育教练员"),  # the rare one
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢欧阳"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文斌辉俊鹏志红玉兰晓海燕波宁雪梅慧颖婷"
LEVELS = [TitleLevel.JUNIOR, TitleLevel.MIDDLE, TitleLevel.MIDDLE, TitleLevel.VICE_SENIOR, TitleLevel.SENIOR]
BATCH = 20_000


def _districts() -> list[tuple[str, float]]:
    """Every county-level region of the province with its share of the units."""
    guangzhou = ["440103", "440104", "440106"]
    shenzhen = ["440303", "440304", "440305"]
    others = [code for districts in MORE_REGIONS.values() for code, _ in districts]
    return (
        [(code, 0.5 / len(guangzhou)) for code in guangzhou]
        + [(code, 0.25 / len(shenzhen)) for code in shenzhen]
        + [(code, 0.25 / len(others)) for code in others]
    )


def _add_reference_data() -> None:
    for (city, city_name), districts in MORE_REGIONS.items():
        if db.session.get(Region, city) is None:
            db.session.add(Region(code=city, name=city_name, level=RegionLevel.CITY, parent_code="440000"))
            db.session.flush()
        for code, name in districts:
            if db.session.get(Region, code) is None:
                db.session.add(Region(code=code, name=name, level=RegionLevel.COUNTY, parent_code=city))
    known = set(db.session.scalars(select(ProfessionalSeries.code)))
    for code, name in MORE_SERIES:
        if code not in known:
            db.session.add(ProfessionalSeries(code=code, name=name))
    db.session.flush()


def _add_organisations(units: int, institutions: int, rng: random.Random) -> list[tuple[int, str]]:
    hr = db.session.scalar(select(Organisation.id).where(Organisation.name == "广东省人力资源和社会保障厅"))
    districts = _districts()
    codes, weights = [c for c, _ in districts], [w for _, w in districts]
    start = db.session.scalar(select(Organisation.id).order_by(Organisation.id.desc()).limit(1)) or 0
    rows = []
    for i in range(units + institutions):
        kind = OrgKind.UNIT if i < units else OrgKind.INSTITUTION
        rows.append(dict(
            kind=kind, name=f"{'压测单位' if kind == OrgKind.UNIT else '压测培训学院'}{start + i:07d}",
            code_type="uscc", code=make_uscc(f"91440000MB{start + i:07d}"), level=RegionLevel.COUNTY,
            region_code=rng.choices(codes, weights)[0], hr_org_id=hr, status=ApplicationStatus.APPROVED,
            active=True,
        ))
    for chunk in range(0, len(rows), BATCH):
        db.session.execute(insert(Organisation), rows[chunk:chunk + BATCH])
    return db.session.execute(
        select(Organisation.id, Organisation.region_code)
        .where(Organisation.kind == OrgKind.UNIT, Organisation.name.like("压测单位%"))
        .order_by(Organisation.id)
    ).all()


def _series_weights() -> tuple[list[int], list[float]]:
    rows = db.session.execute(select(ProfessionalSeries.id, ProfessionalSeries.code)).all()
    ids = [series_id for series_id, _ in rows]
    # 17 per million hold the rare series, as in the measurement
    weights = [0.000017 if code == "tyjl" else 1.0 for _, code in rows]
    return ids, weights


PERSON_COLUMNS = (
    "name", "sex", "id_number", "birth_date", "title_level", "series_id", "unit_id", "binding_status",
    "work_started_on", "created_at", "updated_at",
)


def _people(count: int, units: list[tuple[int, str]], series: tuple[list[int], list[float]], rng: random.Random):
    """Rows to write; asks the database nothing (it streams inside COPY, which holds the connection)."""
    series_ids, weights = series
    cumulative = list(_cumulative(weights))
    epoch = date(1960, 1, 1)
    created = date(2026, 1, 1)
    for n in range(count):
        unit_id, district = units[n % len(units)]
        birth = epoch + timedelta(days=n % 14_600)
        # (birth day, 顺序码) is unique for every n below 14.6 million: no ID number twice
        id_number = make_citizen_id(district, birth, f"{(n // 14_600) % 1000:03d}")
        surname = SURNAMES[rng.randrange(len(SURNAMES))]
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        series = series_ids[_pick(cumulative, rng.random())]
        yield (
            surname + given, "男" if int(id_number[16]) % 2 else "女", id_number, birth,
            LEVELS[n % len(LEVELS)], series, unit_id,
            BindingStatus.PENDING if n % 100 == 0 else BindingStatus.CONFIRMED,
            birth + timedelta(days=22 * 365), created, created,
        )


def _cumulative(weights):
    total, running = sum(weights), 0.0
    for weight in weights:
        running += weight / total
        yield running


def _pick(cumulative: list[float], x: float) -> int:
    for i, edge in enumerate(cumulative):
        if x < edge:
            return i
    return len(cumulative) - 1


def _copy_people(rows) -> None:
    """PostgreSQL: COPY in text format through psycopg (escapes handled by write_row)."""
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY person ({', '.join(PERSON_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _insert_people(rows) -> None:
    statement = text(
        f"INSERT INTO person ({', '.join(PERSON_COLUMNS)}) VALUES ({', '.join(':' + c for c in PERSON_COLUMNS)})"
    )
    batch = []
    for row in rows:
        batch.append(dict(zip(PERSON_COLUMNS, row)))
        if len(batch) == BATCH:
            db.session.execute(statement, batch)
            batch.clear()
    if batch:
        db.session.execute(statement, batch)


def generate(people: int, seed: int = 20261201) -> dict[str, int]:
    """Add a province of `people` people to the (demo-seeded) database; the caller commits."""
    rng = random.Random(seed)
    _add_reference_data()
    units = _add_organisations(max(people // 100, 10), max(people // 10_000, 1), rng)
    rows = _people(people, units, _series_weights(), rng)
    if db.engine.dialect.name == "postgresql":
        _copy_people(rows)
    else:
        _insert_people(rows)
    db.session.flush()
    db.session.execute(text("ANALYZE"))  # as a maintained database would have its statistics
    return {"单位": len(units), "人员": people}
