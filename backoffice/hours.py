"""年度验证 (DESIGN §3 Hours and certificates): a person-year's approved hours per 科目类型 against the
学时要求 that applies to it. The one place hours are summed and a year is judged; certificates, the
person's 年度完成情况 and 继续教育综合统计 all read these queries.

Everything here is SQL (a GROUP BY over the records, joined to the requirement of each person's region
and series), composable into larger queries: never a Python loop over records.

Rules (docs/statistics.md):
- a person-year is the person's records of that 申报年度 in state 已通过, counted at their 认定学时;
- the requirement is the most specific row of the year: region + 专业系列 (the deepest region first),
  then region (the deepest first), then national. The person's region is their current unit's; a person
  without a unit is verified against the national row;
- 通过 needs the total and every minimum met; with no requirement for the year the result is unknown
  (NULL), never 通过.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement, Integer, Numeric, Select, String, and_, case, func, literal, literal_column, or_, select, true,
    text, type_coerce, union_all,
)
from sqlalchemy.orm import aliased

from .extensions import db
from .labels import ApplicationStatus, CourseType, RegionLevel
from .models import HourRequirement, Organisation, Person, ProfessionalSeries, Record, Region

HOURS = Numeric(7, 1)
# a person without a unit / without a 专业系列, as join keys (inline constants, see applicable_requirements)
NO_REGION = literal_column("''", String)
NO_SERIES = literal_column("0", Integer)


def custom_plans() -> None:
    """Before running these queries on PostgreSQL: plan them with their values, for the rest of the transaction.

    psycopg prepares a statement after five executions and PostgreSQL then tries a generic plan; for the
    verification join that generic plan loops over the requirement pairs per person — measured at 20,000
    people: 60–110 ms for ten runs, then 27–33 s from the eleventh on. A custom plan costs a few ms of
    planning and is always the hash join.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def year_hours(year: int, *, as_of: date | None = None) -> Select:
    """One row per person with approved records in `year`: person_id, 公需 / 专业 / 选修 and total hours.
    With `as_of`, only records whose study ended by that day."""
    # One numeric addition per record: each 科目类型's SUM … FILTER reads only its own records, and the
    # total is the three sums added per person, not a fourth SUM. The former shape (SUM(CASE … ELSE 0)
    # three times plus SUM(COALESCE(…)), four numeric additions per record) made the aggregate the
    # largest part of 继续教育综合统计 on PostgreSQL (docs/statistics.md, issue 12 item 6).
    def of(kind: str):
        return func.coalesce(func.sum(Record.approved_hours).filter(Record.course_type == kind), 0)

    public, professional, elective = of(CourseType.PUBLIC), of(CourseType.PROFESSIONAL), of(CourseType.ELECTIVE)
    query = (
        select(
            Record.person_id.label("person_id"),
            type_coerce(public, HOURS).label("public_hours"),
            type_coerce(professional, HOURS).label("professional_hours"),
            type_coerce(elective, HOURS).label("elective_hours"),
            type_coerce(public + professional + elective, HOURS).label("total_hours"),
        )
        .where(Record.year == year, Record.status == ApplicationStatus.APPROVED)
        .group_by(Record.person_id)
    )
    if as_of is not None:
        query = query.where(Record.end_on <= as_of)
    return query


def _prefix(code, length: int, fill: str):
    return type_coerce(func.substr(code, 1, length), String) + literal(fill)


def _region_bounds(code, level):
    """SQL for a region's depth and the inclusive code range of its subtree (models.reference.subtree_bounds)."""
    depth = case((level == RegionLevel.PROVINCE, 1), (level == RegionLevel.CITY, 2), else_=3)
    low = case(
        (level == RegionLevel.PROVINCE, _prefix(code, 2, "0000")),
        (level == RegionLevel.CITY, _prefix(code, 4, "00")),
        else_=code,
    )
    high = case(
        (level == RegionLevel.PROVINCE, _prefix(code, 2, "9999")),
        (level == RegionLevel.CITY, _prefix(code, 4, "99")),
        else_=code,
    )
    return depth, low, high


def requirement_for(year: int, region_code, series_id):
    """Correlated scalar sub-select: the id of the most specific 学时要求 of `year` for a person whose unit
    lies in `region_code` and who holds `series_id` (both SQL expressions of the outer query)."""
    rule_region = aliased(Region)
    depth, low, high = _region_bounds(HourRequirement.region_code, rule_region.level)
    specificity = case((HourRequirement.series_id.is_not(None), 10), else_=0) + case(
        (HourRequirement.region_code.is_(None), 0), else_=depth
    )
    return (
        select(HourRequirement.id)
        .outerjoin(rule_region, rule_region.code == HourRequirement.region_code)
        .where(
            HourRequirement.year == year,
            or_(HourRequirement.region_code.is_(None), region_code.between(low, high)),
            or_(HourRequirement.series_id.is_(None), HourRequirement.series_id == series_id),
        )
        .order_by(specificity.desc())
        .limit(1)
        .correlate_except(HourRequirement, rule_region)
        .scalar_subquery()
    )


def applicable_requirements(year: int):
    """Sub-select: for every (region, 专业系列) pair the 学时要求 of `year` that applies, with its figures.
    A few hundred rows (regions × series), each looked up once, so verifying a million people costs one
    join per person instead of a lookup per person. "No unit" is the region '' and "no series" the series
    0 (`NO_REGION`, `NO_SERIES`): the join is a plain equality, which both databases hash or index
    (IS NOT DISTINCT FROM made PostgreSQL loop over the pairs for every person: 5× slower)."""
    regions = union_all(
        select(Region.code.label("region_code")), select(NO_REGION.label("region_code"))
    ).subquery("rk")
    series = union_all(
        select(ProfessionalSeries.id.label("series_id")), select(NO_SERIES.label("series_id"))
    ).subquery("sk")
    pairs = select(
        regions.c.region_code, series.c.series_id,
        requirement_for(year, regions.c.region_code, series.c.series_id).label("requirement_id"),
    ).select_from(regions.join(series, true()))
    if db.session.get_bind().dialect.name == "postgresql":
        # OFFSET 0: PostgreSQL would inline the pairs and look each up three times; SQLite, fenced so,
        # loses the automatic index it builds on them and loops over the pairs per person (7× slower)
        pairs = pairs.offset(0)
    pairs = pairs.subquery("pairs")
    return (
        select(
            pairs.c.region_code, pairs.c.series_id, pairs.c.requirement_id,
            HourRequirement.total_hours, HourRequirement.min_public_hours,
            HourRequirement.min_professional_hours, HourRequirement.min_elective_hours,
        )
        .select_from(pairs)
        .outerjoin(HourRequirement, HourRequirement.id == pairs.c.requirement_id)
        .subquery("applicable")
    )


@dataclass(frozen=True)
class _RuleColumns:
    """The requirement's columns `annual_verification` reads, wherever they come from."""

    requirement_id: ColumnElement
    total_hours: ColumnElement
    min_public_hours: ColumnElement
    min_professional_hours: ColumnElement
    min_elective_hours: ColumnElement


#: The unit of the verified person inside `annual_verification`: `extra` columns and `where` conditions
#: may name it (the statistics group by its region without joining it twice).
VERIFIED_UNIT = aliased(Organisation, name="verified_unit")


def annual_verification(people, year: int, *, as_of: date | None = None, learners_only: bool = False,
                        extra=(), where=(), few: bool = False) -> Select:
    """年度验证 of `people` in `year`, one row per person:

    person_id, year, public_hours, professional_hours, elective_hours, total_hours, requirement_id,
    passed (1 通过, 0 不通过, NULL no requirement for the year), then the `extra` columns.

    `people`: person ids, a select of person ids, or a SQL condition on Person (and `VERIFIED_UNIT`).
    People without approved hours get zeros (and fail); `learners_only` keeps only people with approved
    records that year (the statistics, which count passes among learners, start from the records).
    `few`: a handful of people (one person's pages) — each looks up its own requirement (`requirement_for`)
    instead of joining the requirement of every (region, 专业系列) pair, which costs the same for one
    person as for a million (measured: 300 ms for one person's five years on the demo's regions).
    """
    listed = None
    if isinstance(people, ColumnElement):
        chosen = people
    elif isinstance(people, Select):
        chosen = Person.id.in_(people)
    else:
        listed = list(people) if isinstance(people, Iterable) else [people]
        chosen = Person.id.in_(listed)
    hours = year_hours(year, as_of=as_of)
    if listed is not None:
        # Listed people (a page, a certificate) sum their own records: SQLite materialises the subquery,
        # so without this it summed the whole province's year to join one person (90 ms a certificate
        # at 200,000 people, bench/operations.py).
        hours = hours.where(Record.person_id.in_(listed))
    hours = hours.subquery("hours")
    unit = VERIFIED_UNIT
    if few:
        found = aliased(HourRequirement, name="rule")
        rule = _RuleColumns(found.id, found.total_hours, found.min_public_hours, found.min_professional_hours,
                            found.min_elective_hours)
        rule_join = (found, found.id == requirement_for(
            year, func.coalesce(unit.region_code, NO_REGION), func.coalesce(Person.series_id, NO_SERIES)))
    else:
        pairs = applicable_requirements(year)
        rule = pairs.c
        rule_join = (pairs, and_(
            pairs.c.region_code == func.coalesce(unit.region_code, NO_REGION),
            pairs.c.series_id == func.coalesce(Person.series_id, NO_SERIES),
        ))
    zero = literal(0)

    def h(column):
        return type_coerce(func.coalesce(column, zero), HOURS)

    public, professional, elective, total = (
        h(hours.c.public_hours), h(hours.c.professional_hours), h(hours.c.elective_hours), h(hours.c.total_hours)
    )
    met = and_(
        total >= rule.total_hours,
        public >= rule.min_public_hours,
        professional >= rule.min_professional_hours,
        elective >= rule.min_elective_hours,
    )
    query = select(
        Person.id.label("person_id"),
        literal(year, Integer).label("year"),
        public.label("public_hours"),
        professional.label("professional_hours"),
        elective.label("elective_hours"),
        total.label("total_hours"),
        rule.requirement_id.label("requirement_id"),
        case((rule.requirement_id.is_(None), None), (met, 1), else_=0).label("passed"),
        *extra,
    )
    if learners_only:  # from the year's records: people without any never enter the join
        query = query.select_from(hours).join(Person, Person.id == hours.c.person_id)
    else:
        query = query.select_from(Person).outerjoin(hours, hours.c.person_id == Person.id)
    return query.outerjoin(unit, unit.id == Person.unit_id).outerjoin(*rule_join).where(chosen, *where)


def person_years(person_id: int, years: list[int]) -> dict[int, dict]:
    """年度验证 of one person for several years: one statement (a UNION of `annual_verification`), keyed by
    year. Plans with its values on PostgreSQL (custom_plans)."""
    if not years:
        return {}
    custom_plans()
    rows = db.session.execute(union_all(*(annual_verification([person_id], y, few=True) for y in years))).mappings()
    return {row["year"]: dict(row) for row in rows}


# ---- 周期验证 -------------------------------------------------------------------------------------

#: 周期验证 counts at most this many years (the latest ones held in the current title)
CYCLE_YEARS = 5


def cycle_years(title_obtained_on: date | None, today: date | None = None) -> list[int]:
    """The years 周期验证 counts, newest first: the whole calendar years held in the current title — from
    the year after the one the title was obtained (that year was partly spent in the title before) to last
    year (this year's hours are still being entered) — at most the latest five. No date, no years."""
    if title_obtained_on is None:
        return []
    last = (today or date.today()).year - 1
    first = max(title_obtained_on.year + 1, last - CYCLE_YEARS + 1)
    return list(range(last, first - 1, -1))


def cycle_verification(person_id: int, years: list[int]) -> tuple[list[dict], int | None]:
    """周期验证 of one person over `years` (cycle_years): each year's 年度验证 row (as annual_verification,
    newest first) and the verdict over all of them, computed by the same statement — 0 (不通过) when any
    year fails, NULL when none fails but a year has no 学时要求, 1 (通过) when every year passes. No years:
    ([], None)."""
    if not years:
        return [], None
    custom_plans()
    verified = union_all(*(annual_verification([person_id], y, few=True) for y in years)).subquery("cycle")
    every = func.count().over()
    judged = func.count(verified.c.requirement_id).over()
    verdict = case(
        (func.min(verified.c.passed).over() == 0, literal(0)), (judged < every, None), else_=literal(1),
    )
    rows = [dict(r) for r in db.session.execute(
        select(verified, verdict.label("cycle_passed")).order_by(verified.c.year.desc())
    ).mappings()]
    return rows, rows[0]["cycle_passed"]


# ---- 学时录入截止日期 --------------------------------------------------------------------------------


def entry_deadline(year: int, region_code: str | None, series_id: int | None) -> date | None:
    """The 学时录入截止日期 of the 学时要求 that applies to a person-year (`requirement_for`: a person whose
    unit lies in `region_code` and who holds `series_id`); None when the year has no requirement."""
    rule = requirement_for(year, literal(region_code or "", String), literal(series_id or 0, Integer))
    return db.session.scalar(select(HourRequirement.entry_deadline).where(HourRequirement.id == rule))
