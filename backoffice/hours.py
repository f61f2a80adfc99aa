"""年度验证 (DESIGN §3 Hours and certificates): a person-year's approved hours per 科目类型 against the
学时要求 that applies to it. The one place hours are summed and a year is judged; certificates, the
person's 年度完成情况 and 继续教育综合统计 all read these queries.

Everything here is SQL (GROUP BY and a correlated lookup of the requirement), composable into larger
queries: never a Python loop over records.

Rules (docs/statistics.md):
- a person-year is the person's records of that 申报年度 in state 已通过, counted at their 认定学时;
- the requirement is the most specific row of the year: region + 专业系列 (the deepest region first),
  then region (the deepest first), then national. The person's region is their current unit's; a person
  without a unit is verified against the national row;
- 通过 needs the total and every minimum met; with no requirement for the year the result is unknown
  (NULL), never 通过.
"""
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Integer, Numeric, Select, String, and_, case, func, literal, or_, select, type_coerce
from sqlalchemy.orm import aliased

from .labels import ApplicationStatus, CourseType, RegionLevel
from .models import HourRequirement, Organisation, Person, Record, Region

HOURS = Numeric(7, 1)


def year_hours(year: int, *, as_of: date | None = None) -> Select:
    """One row per person with approved records in `year`: person_id, 公需 / 专业 / 选修 and total hours.
    With `as_of`, only records whose study ended by that day."""
    granted = func.coalesce(Record.approved_hours, 0)

    def of(kind: str):
        return type_coerce(func.sum(case((Record.course_type == kind, granted), else_=0)), HOURS)

    query = (
        select(
            Record.person_id.label("person_id"),
            of(CourseType.PUBLIC).label("public_hours"),
            of(CourseType.PROFESSIONAL).label("professional_hours"),
            of(CourseType.ELECTIVE).label("elective_hours"),
            type_coerce(func.sum(granted), HOURS).label("total_hours"),
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


def annual_verification(people, year: int, *, as_of: date | None = None, learners_only: bool = False) -> Select:
    """年度验证 of `people` (ids, or a select of person ids) in `year`, one row per person:

    person_id, year, public_hours, professional_hours, elective_hours, total_hours, requirement_id,
    passed (1 通过, 0 不通过, NULL no requirement for the year).

    People without approved hours get zeros (and fail); `learners_only` keeps only people with approved
    records that year (the statistics, which count passes among learners, start from the records).
    """
    if not isinstance(people, Select):
        people = list(people) if isinstance(people, Iterable) else [people]
    hours = year_hours(year, as_of=as_of).subquery("hours")
    unit = aliased(Organisation)
    zero = literal(0)

    def h(column):
        return type_coerce(func.coalesce(column, zero), HOURS)

    joined = (
        select(
            Person.id.label("person_id"),
            h(hours.c.public_hours).label("public_hours"),
            h(hours.c.professional_hours).label("professional_hours"),
            h(hours.c.elective_hours).label("elective_hours"),
            h(hours.c.total_hours).label("total_hours"),
            requirement_for(year, unit.region_code, Person.series_id).label("requirement_id"),
        )
        .select_from(Person)
        .outerjoin(unit, unit.id == Person.unit_id)
        .where(Person.id.in_(people))
    )
    if learners_only:
        joined = joined.join(hours, hours.c.person_id == Person.id)
    else:
        joined = joined.outerjoin(hours, hours.c.person_id == Person.id)
    per_person = joined.subquery("per_person")
    rule = aliased(HourRequirement)
    met = and_(
        per_person.c.total_hours >= rule.total_hours,
        per_person.c.public_hours >= rule.min_public_hours,
        per_person.c.professional_hours >= rule.min_professional_hours,
        per_person.c.elective_hours >= rule.min_elective_hours,
    )
    return (
        select(
            per_person.c.person_id,
            literal(year, Integer).label("year"),
            per_person.c.public_hours,
            per_person.c.professional_hours,
            per_person.c.elective_hours,
            per_person.c.total_hours,
            per_person.c.requirement_id,
            case((rule.id.is_(None), None), (met, 1), else_=0).label("passed"),
        )
        .select_from(per_person)
        .outerjoin(rule, rule.id == per_person.c.requirement_id)
    )
