"""年度验证 (DESIGN §3 Hours and certificates): a person-year's approved hours per 科目类型 against the
学时要求 that applies to it. The one place hours are summed and a year is judged; certificates, the
person's 年度完成情况 and 继续教育综合统计 all read these queries.

Everything here is SQL (each person-year's hours from `PersonYearHours`, the summary the record triggers
keep, joined to the requirement of each person's region and series), composable into larger queries:
never a Python loop over records.

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
    ColumnElement, Integer, Numeric, Select, String, and_, case, delete, func, insert, literal, literal_column, or_,
    select, text, true, type_coerce, union_all,
)
from sqlalchemy.orm import aliased, join as sa_join

from .clock import beijing_today
from .extensions import db
from .labels import ApplicationStatus, CourseType, RegionLevel
from .models import HourRequirement, Organisation, Person, PersonYearHours, ProfessionalSeries, Record, Region

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


def record_hours(year: int | None = None) -> Select:
    """The recount: one row per person-year with approved records — person_id, year, 公需 / 专业 / 选修 hours
    and the latest 学习结束时间 — summed from `record`. `PersonYearHours` holds exactly these rows (its
    triggers recount with the same sums); the statistics read the table, this checks and rebuilds it and
    answers the person-years a 统计时间 cuts through."""
    # One numeric addition per record: each 科目类型's SUM … FILTER reads only its own records (the
    # former SUM(CASE … ELSE 0) three times plus SUM(COALESCE(…)) made the aggregate the largest part of
    # 继续教育综合统计 on PostgreSQL, docs/statistics.md).
    def of(kind: str):
        return type_coerce(func.coalesce(func.sum(Record.approved_hours).filter(Record.course_type == kind), 0), HOURS)

    query = (
        select(
            Record.person_id.label("person_id"), Record.year.label("year"),
            of(CourseType.PUBLIC).label("public_hours"),
            of(CourseType.PROFESSIONAL).label("professional_hours"),
            of(CourseType.ELECTIVE).label("elective_hours"),
            func.max(Record.end_on).label("last_end_on"),
        )
        .where(Record.status == ApplicationStatus.APPROVED)
        .group_by(Record.person_id, Record.year)
    )
    return query if year is None else query.where(Record.year == year)


def year_hours(year: int, *, as_of: date | None = None, people=None, share=None):
    """One row per person with approved records in `year`: person_id, 公需 / 专业 / 选修 and total hours.
    With `as_of`, only records whose study ended by that day; `people` (ids or a select of ids) narrows
    it to them; `share`, a condition on `PersonYearHours.person_id`, to a range of them where the rows
    are recounted (a statement's share of a report run side by side, reports/side_by_side.py).

    Read from `PersonYearHours`, one row per person-year instead of a GROUP BY over the year's records.
    A 统计时间 before a person-year's last study (`last_end_on > as_of`: a past date, or a study ending in
    the future) is answered by recounting only those person-years' records ended by then; whether there
    are any is asked first (one probe of the year's index), so the usual case reads the table alone."""
    summary = PersonYearHours.__table__
    person_years = [summary.c.year == year]
    if people is not None:
        person_years.append(summary.c.person_id.in_(people))
    if as_of is None:
        return _with_total(summary, *person_years)
    read = _with_total(summary, *person_years, summary.c.last_end_on <= as_of)
    cut = select(summary.c.person_id).where(*person_years, summary.c.last_end_on > as_of)
    if db.session.scalar(cut.limit(1)) is None:
        # Nothing to recount (the usual 统计时间: today): one index probe, and the statement stays a plain
        # read that PostgreSQL may run in parallel workers, which the aggregate branch below prevents.
        # (No `share` here: a plain read is joined to the people, whose side of the join holds the share;
        # narrowing it too made SQLite drive from the summary and read every person's row, 2.2 → 3.7 s.)
        return read
    # The union is materialised whole before the join: each share narrows its own.
    shared = () if share is None else (share,)
    cut = cut.where(*shared)
    recount = record_hours(year).where(Record.end_on <= as_of, Record.person_id.in_(cut)).subquery("cut")
    return union_all(read.where(*shared), _with_total(recount))


def _with_total(source, *where) -> Select:
    """person_id, the three 科目类型's hours and their total from `source` (the summary or a recount)."""
    c = source.c
    total = type_coerce(c.public_hours + c.professional_hours + c.elective_hours, HOURS)
    return select(
        c.person_id, c.public_hours, c.professional_hours, c.elective_hours, total.label("total_hours"),
    ).where(*where)


def summary_mismatches(limit: int = 20) -> list[tuple]:
    """Person-years where `PersonYearHours` differs from the recount (`record_hours`), at most `limit` of
    them: (person_id, year, the table's (公需, 专业, 选修, last_end_on) or None, the recount's or None).
    Empty when the table is right."""
    summary = PersonYearHours
    recount = record_hours().subquery("recount")
    held = select(summary.person_id, summary.year, summary.public_hours, summary.professional_hours,
                  summary.elective_hours, summary.last_end_on)
    counted = select(recount)
    only_held, only_counted = held.except_(counted).subquery("held"), counted.except_(held).subquery("counted")
    differ = union_all(
        select(only_held, literal(True).label("in_table")), select(only_counted, literal(False).label("in_table"))
    ).subquery("differ")
    rows = db.session.execute(select(differ).order_by(differ.c.person_id, differ.c.year).limit(limit * 2)).all()
    found: dict[tuple, list] = {}
    for person_id, row_year, *figures, in_table in rows:
        found.setdefault((person_id, row_year), [None, None])[0 if in_table else 1] = tuple(figures)
    return [(person_id, row_year, *sides) for (person_id, row_year), sides in list(found.items())[:limit]]


def rebuild_summary() -> int:
    """Rewrite `PersonYearHours` from the records (after a bulk load that bypassed it, or to repair what
    `summary_mismatches` found); returns the rows written. Caller commits."""
    db.session.execute(delete(PersonYearHours))
    recount = record_hours()
    columns = [c.name for c in recount.selected_columns]
    return db.session.execute(insert(PersonYearHours).from_select(columns, recount)).rowcount


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


def _specificity(rule, rule_region):
    """How specific a 学时要求 row is: a 专业系列 row beats any region-only row, then the deeper region."""
    depth, _, _ = _region_bounds(rule.region_code, rule_region.level)
    return case((rule.series_id.is_not(None), 10), else_=0) + case((rule.region_code.is_(None), 0), else_=depth)


def _applies(rule, rule_region, region_code, series_id):
    """SQL: the 学时要求 `rule` applies to a person whose unit lies in `region_code` and who holds `series_id`."""
    _, low, high = _region_bounds(rule.region_code, rule_region.level)
    return and_(
        or_(rule.region_code.is_(None), region_code.between(low, high)),
        or_(rule.series_id.is_(None), rule.series_id == series_id),
    )


def requirement_for(year: int, region_code, series_id):
    """Correlated scalar sub-select: the id of the most specific 学时要求 of `year` for a person whose unit
    lies in `region_code` and who holds `series_id` (both SQL expressions of the outer query)."""
    rule_region = aliased(Region)
    return (
        select(HourRequirement.id)
        .outerjoin(rule_region, rule_region.code == HourRequirement.region_code)
        .where(HourRequirement.year == year, _applies(HourRequirement, rule_region, region_code, series_id))
        .order_by(_specificity(HourRequirement, rule_region).desc())
        .limit(1)
        .correlate_except(HourRequirement, rule_region)
        .scalar_subquery()
    )


def applicable_requirements(year: int):
    """Sub-select: for every (region, 专业系列) pair that has one, the 学时要求 of `year` that applies, with
    its figures. A few hundred rows (regions × series), so verifying a million people costs one join per
    person instead of a lookup per person. "No unit" is the region '' and "no series" the series 0
    (`NO_REGION`, `NO_SERIES`): the join is a plain equality, which both databases hash or index (IS NOT
    DISTINCT FROM made PostgreSQL loop over the pairs for every person: 5× slower). A pair without a rule
    has no row; the verification's outer join then finds none, as `requirement_for` would.

    The most specific rule is found with a GROUP BY (the best specificity per pair) and a join back, the
    same choice as `requirement_for`'s ORDER BY … LIMIT 1 (tests/reports/test_hours.py holds them equal):
    a correlated sub-select, a LIMIT or a window function here would make the pairs parallel restricted,
    and PostgreSQL would then run the whole verification of a province in one process
    (docs/statistics.md)."""
    regions = union_all(
        select(Region.code.label("region_code")), select(NO_REGION.label("region_code"))
    ).subquery("rk")
    series = union_all(
        select(ProfessionalSeries.id.label("series_id")), select(NO_SERIES.label("series_id"))
    ).subquery("sk")
    rule_region = aliased(Region, name="rule_region")
    rules = aliased(HourRequirement, name="rule")
    matches = (
        select(
            regions.c.region_code, series.c.series_id, rules.id.label("requirement_id"),
            _specificity(rules, rule_region).label("specificity"), rules.total_hours, rules.min_public_hours,
            rules.min_professional_hours, rules.min_elective_hours,
        )
        .select_from(regions.join(series, true()).join(
            sa_join(rules, rule_region, rule_region.code == rules.region_code, isouter=True),
            and_(rules.year == year, _applies(rules, rule_region, regions.c.region_code, series.c.series_id)),
        ))
        .subquery("matches")
    )
    best = (
        select(matches.c.region_code, matches.c.series_id, func.max(matches.c.specificity).label("specificity"))
        .group_by(matches.c.region_code, matches.c.series_id)
        .subquery("best")
    )
    return (
        select(
            matches.c.region_code, matches.c.series_id, matches.c.requirement_id, matches.c.total_hours,
            matches.c.min_public_hours, matches.c.min_professional_hours, matches.c.min_elective_hours,
        )
        .join(best, and_(
            best.c.region_code == matches.c.region_code, best.c.series_id == matches.c.series_id,
            best.c.specificity == matches.c.specificity,
        ))
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
                        extra=(), where=(), few: bool = False, share=None) -> Select:
    """年度验证 of `people` in `year`, one row per person:

    person_id, year, public_hours, professional_hours, elective_hours, total_hours, requirement_id,
    passed (1 通过, 0 不通过, NULL no requirement for the year), then the `extra` columns.

    `people`: person ids, a select of person ids, or a SQL condition on Person (and `VERIFIED_UNIT`).
    People without approved hours get zeros (and fail); `learners_only` keeps only people with approved
    records that year (the statistics, which count passes among learners, start from the records).
    `few`: a handful of people (one person's pages) — each looks up its own requirement (`requirement_for`)
    instead of joining the requirement of every (region, 专业系列) pair, which costs the same for one
    person as for a million (measured: 300 ms for one person's five years on the demo's regions).
    `share`: `year_hours`' range of person ids (a report's statement run in shares).
    """
    listed = None
    if isinstance(people, ColumnElement):
        chosen = people
    elif isinstance(people, Select):
        chosen = Person.id.in_(people)
    else:
        listed = list(people) if isinstance(people, Iterable) else [people]
        chosen = Person.id.in_(listed)
    # Listed people (a page, a certificate) read their own person-years: SQLite materialises the
    # subquery, so without this it read the whole province's year to join one person (90 ms a
    # certificate at 200,000 people, bench/operations.py).
    hours = year_hours(year, as_of=as_of, people=listed, share=share).subquery("hours")
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
    last = (today or beijing_today()).year - 1
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
