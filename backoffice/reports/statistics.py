"""继续教育综合统计 (issue 12 item 1; manual 002 查询统计): the figures, in SQL.

One GROUP BY per figure kind, never one query per region: organisations (by region bucket and kind),
registered people (by bucket), learners and passes (by bucket, over `hours.annual_verification`). The
bucket is an expression on the region code (a province's cities are `substr(code, 1, 4) || '00'`, a
city's districts the code itself), so a province with 21 cities costs the same three queries as a
district. Who is counted is `policy.statistics`; the rules are in docs/statistics.md.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import String, and_, func, literal_column, select, type_coerce
from sqlalchemy.orm import aliased

from ..clock import utc_start_of
from ..extensions import db
from ..hours import VERIFIED_UNIT, annual_verification, custom_plans
from ..labels import ApplicationStatus, BindingStatus, OrgKind, RegionLevel, TitleLevel
from ..models import Department, Organisation, Person, PersonYearHours, Region
from ..policy.actor import Actor
from ..policy.scope import SqliteUnindexed
from ..policy.statistics import counted_organisations, counted_people
from .side_by_side import run_all, shares

ORG_FIGURES = {OrgKind.UNIT: "units", OrgKind.INSTITUTION: "institutions", OrgKind.INDUSTRY: "industries"}
NO_LEVEL = "未评定"
NO_DEPARTMENT = "未分配部门"


@dataclass
class Row:
    key: str | int | None
    label: str
    units: int = 0
    institutions: int = 0
    industries: int = 0
    people: int = 0
    learners: int = 0
    passed: int = 0

    @property
    def rate(self) -> Decimal | None:
        """合格率 = 合格人数 ÷ 学习人数, in per cent to one decimal; none without learners."""
        if not self.learners:
            return None
        return (Decimal(self.passed) * 100 / self.learners).quantize(Decimal("0.1"), ROUND_HALF_UP)

    def add(self, other: "Row") -> None:
        for name in ("units", "institutions", "industries", "people", "learners", "passed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Figures:
    """A row of the other reports (学时分类统计…): named sums, read like `Row`'s attributes, so the page,
    the export and the charts take either."""

    key: str | int | None
    label: str
    values: dict = field(default_factory=dict)

    def __getattr__(self, name):
        if name.startswith("_") or name in ("key", "label", "values"):
            raise AttributeError(name)
        return self.values.get(name, 0)

    def add(self, other: "Figures") -> None:
        """Sums, except a figure of days (a longest wait), whose total is the longest."""
        for name, value in other.values.items():
            combine = max if name == "days" else (lambda a, b: a + b)
            self.values[name] = combine(self.values.get(name, 0), value)


@dataclass
class Table:
    """One table of a report: its rows, their 合计, which figures it shows and their headings."""

    heading: str
    first_column: str
    columns: tuple[str, ...]
    rows: list
    labels: dict | None = None  # column → heading; the 综合统计's LABELS when none
    row_type: type = Row  # what the 合计 is (an empty table still has one)
    total: Row | Figures = field(init=False)

    def __post_init__(self):
        if self.labels is None:
            self.labels = LABELS
        self.total = self.row_type(None, "合计")
        for row in self.rows:
            self.total.add(row)


REGION_COLUMNS = ("units", "institutions", "industries", "people", "learners", "passed", "rate")
PEOPLE_COLUMNS = ("people", "learners", "passed", "rate")
LABELS = {
    "units": "法人单位", "institutions": "施教机构", "industries": "行业主管部门", "people": "专业技术人员",
    "learners": "学习人数", "passed": "合格人数", "rate": "合格率（%）",
}


def cutoff(as_of: date) -> datetime:
    """The end of the 统计时间 (a Beijing day) as the naive UTC the tables store."""
    return utc_start_of(as_of + timedelta(days=1))


def _bucket(code, base: Region):
    """The child region (or the base itself, 本级) a region code falls in: a province's cities by the code's
    first four digits, a city's districts (and a district itself: its range is its own code) by the code."""
    # constants inline, not bound: PostgreSQL matches the GROUP BY to the select list by its text
    if base.level == RegionLevel.PROVINCE:
        return type_coerce(func.substr(code, literal_column("1"), literal_column("4")), String) + literal_column("'00'")
    return code


def _counted(actor: Actor, as_of: date, unit):
    """People counted as registered by the 统计时间: confirmed members of a unit, recorded by then.
    `unit`: the person's unit, joined by the statement (the scope reads the region off it)."""
    return and_(
        counted_people(actor, unit),
        Person.binding_status == BindingStatus.CONFIRMED,
        Person.created_at < cutoff(as_of),
    )


def _people_figures(actor: Actor, year: int, as_of: date, group, where) -> dict:
    """{group value: Row with people, learners, passed}: two GROUP BYs over the counted people.
    `group(unit)` and `where(unit)` are SQL on Person and the person's unit (an Organisation alias)."""
    custom_plans()
    figures: dict = {}
    unit = aliased(Organisation)
    registered = (
        select(group(unit), func.count())
        .select_from(Person).join(unit, unit.id == Person.unit_id)
        .where(_counted(actor, as_of, unit), *where(unit)).group_by(group(unit))
    )

    # the learners' statement, the longest, in shares of the people: on SQLite they run side by side
    # (the share on both sides of the join: whichever SQLite reads first, it skips the other shares' rows)
    within, cuts = shares(PersonYearHours.person_id)
    verified = annual_verification(
        and_(_counted(actor, as_of, VERIFIED_UNIT), within(Person.id)), year, as_of=as_of, learners_only=True,
        share=within(PersonYearHours.person_id), extra=[group(VERIFIED_UNIT).label("grouped")],
        where=where(VERIFIED_UNIT, records_first=True),
    ).subquery("verified")
    learning = (
        select(verified.c.grouped, func.count(), func.coalesce(func.sum(verified.c.passed), 0))
        .group_by(verified.c.grouped)
    )
    people_rows, *learner_shares = run_all([registered, *(learning.params(**cut) for cut in cuts)])
    for key, people in people_rows:
        figures.setdefault(key, Row(key, "")).people = people
    for key, learners, passed in (row for rows in learner_shares for row in rows):
        row = figures.setdefault(key, Row(key, ""))
        row.learners += learners
        row.passed += int(passed)
    return figures


def _within(base: Region):
    """The units of `base`'s subtree. `records_first`: the condition of the learners' query, which must
    start from the year's records (one row per learner) and look each person and unit up.

    Given the region range as an index road, SQLite drove that query from the units instead and scanned
    the year's materialised hours once per unit: a city of 100 units took 16.8× the raw GROUP BY at
    20,000 people (docs/statistics.md). `'' || code` is the same value without the index on it, so SQLite
    keeps the records outermost; PostgreSQL hashes the few units either way, so it keeps the column.
    """
    low, high = base.bounds

    def within(unit, records_first=False):
        code = unit.region_code
        if records_first and db.session.get_bind().dialect.name == "sqlite":
            code = literal_column("''") + code
        return (code.between(low, high),)

    return within


def child_regions(base: Region) -> list[tuple[str, str]]:
    """(code, name) of the report's rows: the base's own level (本级) first, then its children."""
    children = db.session.execute(
        select(Region.code, Region.name).where(Region.parent_code == base.code).order_by(Region.sort, Region.code)
    ).all()
    if not children:
        return [(base.code, base.name)]
    return [(base.code, f"{base.name}本级"), *((code, name) for code, name in children)]


def by_region(actor: Actor, base: Region, year: int, as_of: date) -> Table:
    """One row per child region of `base` (and its 本级): organisations, people, learners, passes."""
    low, high = base.bounds
    rows = {code: Row(code, name) for code, name in child_regions(base)}
    bucket = _bucket(Organisation.region_code, base)
    organisations = (
        select(bucket, Organisation.kind, func.count())
        .where(
            counted_organisations(actor),
            Organisation.region_code.between(low, high),
            Organisation.kind.in_(list(ORG_FIGURES)),
            Organisation.status == ApplicationStatus.APPROVED,
            Organisation.active.is_(True),
            Organisation.created_at < cutoff(as_of),
        )
        .group_by(bucket, Organisation.kind)
    )
    for code, kind, count in db.session.execute(organisations):
        if code in rows:
            setattr(rows[code], ORG_FIGURES[kind], count)
    people = _people_figures(actor, year, as_of, lambda unit: _bucket(unit.region_code, base), _within(base))
    for code, figures in people.items():
        if code in rows:
            row = rows[code]
            row.people, row.learners, row.passed = figures.people, figures.learners, figures.passed
    return Table(f"{base.name}各地区统计", "地区", REGION_COLUMNS, list(rows.values()))


def _level_rows(figures: dict) -> list[Row]:
    rows = []
    for code, label in [*TitleLevel.choices(), (None, NO_LEVEL)]:
        row = figures.get(code, Row(code, label))
        row.key, row.label = code, label
        rows.append(row)
    return rows


def by_level(actor: Actor, base: Region, year: int, as_of: date) -> Table:
    """查看: the people of `base` (and below) by 资格级别."""
    # not by the 资格级别 index on SQLite: its order saves the GROUP BY's sort but costs a look-up of every
    # person's row at random; the units' people come from the covering index in table order instead
    level = SqliteUnindexed(Person.title_level)
    figures = _people_figures(actor, year, as_of, lambda unit: level, _within(base))
    return Table(f"{base.name}按资格级别统计", "资格级别", PEOPLE_COLUMNS, _level_rows(figures))


def unit_tables(actor: Actor, year: int, as_of: date) -> list[Table]:
    """A unit's own people by 部门 and by 资格级别."""
    nowhere = lambda unit, records_first=False: ()  # noqa: E731 — the unit's people are the counted people already
    by_department = _people_figures(actor, year, as_of, lambda unit: Person.department_id, nowhere)
    departments = db.session.execute(
        select(Department.id, Department.name).where(Department.org_id == actor.org_id)
        .order_by(Department.depth, Department.sort, Department.id)
    ).all()
    rows = []
    for department_id, name in [*departments, (None, NO_DEPARTMENT)]:
        row = by_department.get(department_id, Row(department_id, name))
        row.key, row.label = department_id, name
        if department_id is not None or row.people or row.learners:
            rows.append(row)
    by_title = _people_figures(actor, year, as_of, lambda unit: Person.title_level, nowhere)
    return [
        Table("按部门统计", "部门", PEOPLE_COLUMNS, rows),
        Table("按资格级别统计", "资格级别", PEOPLE_COLUMNS, _level_rows(by_title)),
    ]
