"""`flask bench-data --people N`: a province-sized dataset for benchmarks (issue 12 item 5).

On top of the demo data: more 广东 cities and districts, about one 法人单位 per 100 people, one 施教机构
per 10,000, more 专业系列 (one held by a handful of people, as rare series are), and N people with
realistic names (prefix searches hit many), valid 公民身份号码, title levels and series. Half of the
people work in 广州, a quarter in 深圳, as the issue's measurements assumed. Then the rest of a province
that the record lists and reviews read: each institution's teacher, plans and classes; five 继续教育记录
per person over five years (mostly 已通过, some 待审核 / 已退回 / 草稿), reviewed by the person's unit;
their 审批流程 rows and the 审核 rows of the 操作日志.

Rows are written with COPY on PostgreSQL and executemany on SQLite; the review and audit rows, which
follow from the records, with one INSERT … SELECT each. Not for a database anyone uses: it only adds
rows, never asks.
"""
import random
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from .extensions import db
from .labels import (
    ApplicationStatus, AuditAction, BindingStatus, ClassStatus, CourseType, OrgKind, RecordSource, RegionLevel,
    ReviewResult, TitleLevel,
)
from .models import Catalogue, Course, Organisation, Person, Plan, ProfessionalSeries, Record, Region, Teacher, TrainingClass
from .workflows import record_routing
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
#: the records' last year: five years of them end here
LAST_YEAR = 2026


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


def _write(table: str, columns: tuple[str, ...], rows) -> int:
    """Write `rows` (tuples in `columns` order): COPY in text format through psycopg on PostgreSQL
    (escapes handled by write_row), executemany in batches on SQLite. Returns how many."""
    count = 0
    if db.engine.dialect.name == "postgresql":
        raw = db.session.connection().connection.driver_connection
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    statement = text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})")
    batch = []
    for row in rows:
        batch.append(dict(zip(columns, row)))
        if len(batch) == BATCH:
            db.session.execute(statement, batch)
            count += len(batch)
            batch.clear()
    if batch:
        db.session.execute(statement, batch)
        count += len(batch)
    return count


# ---- the training chain: a teacher, plans and classes per institution ---------------------------

PLANS_PER_INSTITUTION = 4
CLASSES_PER_PLAN = 2


def _add_training(institutions: list[int], year: int) -> dict[str, int]:
    """Each institution: one 班主任, four 已通过 plans over the demo catalogue's courses (two this year,
    two last year), two classes each (last year's 结业, this year's 接受报名). Small tables: the ORM's
    executemany is fast enough."""
    course = db.session.execute(select(Course.id, Course.catalogue_id).order_by(Course.id).limit(1)).one_or_none()
    if course is None or not institutions:
        return {"培训计划": 0, "培训班": 0}
    series_id = db.session.scalar(select(Catalogue.series_id).where(Catalogue.id == course.catalogue_id))
    db.session.execute(insert(Teacher), [dict(
        org_id=org, name=f"压测教师{org}", sex="男", id_number=make_citizen_id("440103", date(1975, 1, 1), f"{org % 1000:03d}"),
        title="教授", phone="13800000000", email=f"t{org}@example.com", courses="专业课", intro="压测数据", active=True,
    ) for org in institutions])
    teachers = dict(db.session.execute(
        select(Teacher.org_id, Teacher.id).where(Teacher.org_id.in_(institutions), Teacher.name.like("压测教师%"))
    ).all())
    plans = []
    for org in institutions:
        for n in range(PLANS_PER_INSTITUTION):
            plan_year = year - (n % 2)
            plans.append(dict(
                owner_org_id=org, course_id=course.id, series_id=series_id, course_type=CourseType.PROFESSIONAL,
                year=plan_year, name=f"压测培训计划{org}-{n}", days=Decimal("2"), hours=Decimal("12"),
                sessions=CLASSES_PER_PLAN, start_on=date(plan_year, 3, 1), end_on=date(plan_year, 12, 20),
                content="压测数据", audience="全省专业技术人员", status=ApplicationStatus.APPROVED,
            ))
    db.session.execute(insert(Plan), plans)
    plan_rows = db.session.execute(
        select(Plan.id, Plan.owner_org_id, Plan.year).where(Plan.name.like("压测培训计划%"))
    ).all()
    classes = []
    for plan_id, org, plan_year in plan_rows:
        for n in range(CLASSES_PER_PLAN):
            opens = date(plan_year, 4 + 3 * n, 1)
            classes.append(dict(
                plan_id=plan_id, name=f"压测培训班{plan_id}-{n + 1}", planned_open_on=opens, study_form_code="01",
                study_start_on=opens, study_end_on=opens + timedelta(days=1), capacity=100,
                head_teacher_id=teachers[org], exam_type_code="02", location="教学楼101室", schedule="两天，9:00-17:00",
                status=ClassStatus.FINISHED if plan_year < year else ClassStatus.ENROLLING, enrolled_count=0,
            ))
    db.session.execute(insert(TrainingClass), classes)
    return {"培训计划": len(plan_rows), "培训班": len(classes)}


# ---- 继续教育记录, their 审批流程 and 操作日志 ------------------------------------------------

RECORDS_PER_PERSON = 5
RECORD_COLUMNS = (
    "person_id", "course_type", "course_name", "study_form_code", "start_on", "end_on", "days", "declared_hours",
    "approved_hours", "institution_org_id", "institution_name", "year", "source", "status", "reviewer_org_id",
    "review_step", "submitted_at", "declared_by_org_id", "created_at", "updated_at",
)
COURSES = [
    (CourseType.PUBLIC, "专业技术人员职业道德与诚信建设"), (CourseType.PUBLIC, "数字经济与创新驱动发展"),
    (CourseType.PROFESSIONAL, "行业新技术新方法专题研修"), (CourseType.PROFESSIONAL, "专业前沿知识更新培训"),
    (CourseType.ELECTIVE, "人工智能通识"), (CourseType.ELECTIVE, "应急管理与安全生产"),
]
#: per hundred records: 82 已通过, 8 待审核, 6 已退回, 4 草稿
STATUSES = [ApplicationStatus.APPROVED] * 82 + [ApplicationStatus.PENDING] * 8 \
    + [ApplicationStatus.RETURNED] * 6 + [ApplicationStatus.DRAFT] * 4


def _records(people, institutions: list[int], names: dict[int, str], last_year: int):
    """Five records per (person id, unit id), one per year ending `last_year`: declared by the person
    (half), the unit (three in ten) or an institution (one in five), reviewed at the unit. Asks the
    database nothing (it streams inside COPY)."""
    hours = [12, 24, 30, 8]  # whole hours: plain ints bind on both drivers (sqlite3 refuses Decimal)
    for person_id, unit_id in people:
        for k in range(RECORDS_PER_PERSON):
            year = last_year - k
            pick = (person_id * 7 + k * 13) % 100
            status = STATUSES[(person_id * 31 + k * 17) % 100]
            course_type, course = COURSES[(person_id + k) % len(COURSES)]
            start = date(year, 1 + (person_id + k) % 12, 1 + person_id % 28)
            declared = hours[(person_id + k) % len(hours)]
            if pick < 50:
                source, declarer, institution = RecordSource.PERSON, None, None
            elif pick < 80:
                source, declarer, institution = RecordSource.UNIT, unit_id, None
            else:
                institution = institutions[(person_id + k) % len(institutions)] if institutions else None
                source, declarer = RecordSource.INSTITUTION, institution
            submitted = None if status == ApplicationStatus.DRAFT else datetime(year, start.month, start.day, 9, 30)
            created = datetime(year, start.month, start.day, 9, 0)
            yield (
                person_id, course_type, course, "01", start, start + timedelta(days=1), 2, declared,
                declared if status == ApplicationStatus.APPROVED else None, institution,
                names.get(institution) if institution else "广东省专业技术人员继续教育基地", year, source, status,
                None if status == ApplicationStatus.DRAFT else unit_id,
                None if status == ApplicationStatus.DRAFT else record_routing.UNIT, submitted, declarer,
                created, created,
            )


def _people_pages(after: int):
    """(id, unit id) of the people added by this run, a page at a time in id order: each page's records
    are one COPY, and the page is read before that COPY holds the connection."""
    last = after
    while True:
        page = db.session.execute(
            select(Person.id, Person.unit_id).where(Person.id > last).order_by(Person.id).limit(BATCH)
        ).all()
        if not page:
            return
        yield page
        last = page[-1][0]


def _add_history(after_record: int) -> dict[str, int]:
    """审批流程 (送审, then 同意 / 不同意并退案 at the unit) and the 审核 rows of the 操作日志 for every record
    of this run, derived in the database from the records themselves."""
    ids = {"after": after_record}
    submitted = db.session.execute(text(
        "INSERT INTO review_log (object_type, object_id, step, reviewer_org_id, result, opinion, created_at) "
        "SELECT 'record', id, '送审', declared_by_org_id, :submit, '', submitted_at FROM record "
        "WHERE id > :after AND status <> 'draft'"
    ), {**ids, "submit": ReviewResult.SUBMIT}).rowcount
    decided = db.session.execute(text(
        "INSERT INTO review_log (object_type, object_id, step, reviewer_org_id, result, opinion, created_at) "
        "SELECT 'record', id, :step, reviewer_org_id, "
        "CASE status WHEN 'approved' THEN :approve ELSE :return_ END, "
        "CASE status WHEN 'approved' THEN '同意' ELSE '材料不全，请补充后重新申报' END, updated_at FROM record "
        "WHERE id > :after AND status IN ('approved', 'returned')"
    ), {**ids, "step": record_routing.STEP_NAMES[record_routing.UNIT], "approve": ReviewResult.APPROVE,
        "return_": ReviewResult.RETURN}).rowcount
    audited = db.session.execute(text(
        "INSERT INTO audit_log (created_at, org_id, region_code, ip, action, object_type, object_id, summary) "
        "SELECT r.updated_at, r.reviewer_org_id, o.region_code, '10.0.0.1', :review, 'record', "
        "CAST(r.id AS VARCHAR(40)), CASE r.status WHEN 'approved' THEN '同意：' ELSE '不同意并退案：' END "
        "|| r.course_name FROM record r JOIN organisation o ON o.id = r.reviewer_org_id "
        "WHERE r.id > :after AND r.status IN ('approved', 'returned')"
    ), {**ids, "review": AuditAction.REVIEW}).rowcount
    return {"审批流程": submitted + decided, "操作日志": audited}


def generate(people: int, seed: int = 20261201, timings: dict | None = None) -> dict[str, int]:
    """Add a province of `people` people to the (demo-seeded) database; the caller commits. `timings`,
    if given, receives the seconds each stage took (what `flask bench-data` prints as rows/s)."""
    rng = random.Random(seed)
    spent: dict[str, float] = {}
    clock = time.perf_counter()
    _add_reference_data()
    before_people = _max_id(Person)
    before_records = _max_id(Record)
    units = _add_organisations(max(people // 100, 10), max(people // 10_000, 1), rng)
    institutions = dict(db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.kind == OrgKind.INSTITUTION, Organisation.name.like("压测培训学院%"))
    ).all())
    _write("person", PERSON_COLUMNS, _people(people, units, _series_weights(), rng))
    spent["人员"] = time.perf_counter() - clock
    clock = time.perf_counter()
    counts = {"单位": len(units), "施教机构": len(institutions), "人员": people}
    counts.update(_add_training(sorted(institutions), LAST_YEAR))
    records = sum(
        _write("record", RECORD_COLUMNS, _records(page, sorted(institutions), institutions, LAST_YEAR))
        for page in _people_pages(before_people)
    )
    counts["继续教育记录"] = records
    spent["继续教育记录"] = time.perf_counter() - clock
    clock = time.perf_counter()
    counts.update(_add_history(before_records))
    spent["审批流程与操作日志"] = time.perf_counter() - clock
    db.session.flush()
    db.session.execute(text("ANALYZE"))  # as a maintained database would have its statistics
    if timings is not None:
        timings.update(spent)
    return counts


def _max_id(model) -> int:
    return db.session.scalar(select(func.max(model.id))) or 0
