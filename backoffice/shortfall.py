"""学时预警 (issue 11 item 11, DESIGN §3 "deadline early warning"): who is short of this year's 学时要求
before its 学时录入截止日期, not after.

Built on `hours.annual_verification` — the one place a year is judged — never a second sum of hours:

- `missing(people, year)`: one row per person with the year's hours, the applicable requirement's figures
  and deadline, and the hours missing per 科目类型 and in total;
- `short_people(...)`: those rows where the year does not pass (a person without any approved record
  gets zeros and is short; a person whose year has no requirement is not judged, hence not short);
- `per_unit(...)`: per unit, its confirmed people and the short ones, in one GROUP BY.

On PostgreSQL call `hours.custom_plans()` first (docs/statistics.md, the generic-plan trap).
Rules: docs/statistics.md, section 学时预警.
"""
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select, type_coerce

from .clock import beijing_today
from .extensions import db
from .hours import HOURS, annual_verification, custom_plans
from .labels import BindingStatus, CourseType
from .models import HourRequirement, Organisation, Person
from .policy import visible

FIRST_YEAR = 2000
#: 科目类型 → (label, the suffix of its columns: public_hours, required_public, missing_public)
KINDS = {
    CourseType.PUBLIC: ("公需", "public"),
    CourseType.PROFESSIONAL: ("专业", "professional"),
    CourseType.ELECTIVE: ("选修", "elective"),
}


def confirmed_at_unit(unit_condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """People confirmed (已确认) at the units the condition on Person.unit_id chooses: where they work now."""
    return and_(Person.binding_status == BindingStatus.CONFIRMED, unit_condition)


def _gap(required, held):
    """Hours still missing: the requirement minus what is held, never below zero."""
    return type_coerce(case((required > held, required - held), else_=literal(0)), HOURS)


def missing(people: ColumnElement[bool], year: int) -> Select:
    """One row per chosen person: the person's columns the list shows, the year's hours, the requirement
    (its figures and entry_deadline) and the hours missing (`missing_public`, …, `missing_total`),
    `passed` as in `annual_verification` (NULL: no requirement for the year)."""
    verified = annual_verification(
        people, year,
        extra=(Person.name.label("name"), Person.id_number.label("id_number"),
               Person.department_id.label("department_id"), Person.title_level.label("title_level"),
               Person.unit_id.label("unit_id")),
    ).subquery("verified")
    rule = HourRequirement
    return (
        select(
            verified,
            rule.total_hours.label("required_total"),
            rule.min_public_hours.label("required_public"),
            rule.min_professional_hours.label("required_professional"),
            rule.min_elective_hours.label("required_elective"),
            rule.entry_deadline.label("entry_deadline"),
            _gap(rule.min_public_hours, verified.c.public_hours).label("missing_public"),
            _gap(rule.min_professional_hours, verified.c.professional_hours).label("missing_professional"),
            _gap(rule.min_elective_hours, verified.c.elective_hours).label("missing_elective"),
            _gap(rule.total_hours, verified.c.total_hours).label("missing_total"),
        )
        .select_from(verified)
        .outerjoin(rule, rule.id == verified.c.requirement_id)
    )


def short_people(people: ColumnElement[bool], year: int, *, kind: str | None = None):
    """Sub-select of the chosen people short this year (passed = 0), optionally only those missing hours
    of one 科目类型."""
    rows = missing(people, year).subquery("missing")
    query = select(rows).where(rows.c.passed == 0)
    if kind is not None:
        query = query.where(rows.c[f"missing_{KINDS[kind][1]}"] > 0)
    return query.subquery("short")


def short_count(people: ColumnElement[bool], year: int) -> Select:
    """SELECT COUNT(*) of the chosen people short in `year`."""
    short = short_people(people, year)
    return select(func.count()).select_from(short)


def per_unit(people: ColumnElement[bool], year: int) -> Select:
    """Per unit of the chosen (confirmed) people: unit_id, unit_name, confirmed, short — one GROUP BY."""
    verified = annual_verification(people, year, extra=(Person.unit_id.label("unit_id"),)).subquery("verified")
    short = func.sum(case((verified.c.passed == 0, 1), else_=0))
    return (
        select(
            verified.c.unit_id, Organisation.name.label("unit_name"),
            func.count().label("confirmed"), short.label("short"),
        )
        .select_from(verified)
        .join(Organisation, Organisation.id == verified.c.unit_id)
        .group_by(verified.c.unit_id, Organisation.name)
    )


def short_of_this_year(actor) -> ColumnElement[bool]:
    """The 工作台's condition on Person (on top of the actor's scope): confirmed people short this year."""
    custom_plans()  # the queue's COUNT runs the verification (PostgreSQL's generic-plan trap)
    chosen = confirmed_at_unit(visible(Person, actor))
    short = short_people(chosen, beijing_today().year)
    return and_(chosen, Person.id.in_(select(short.c.person_id)))


def days_left(deadline: date | None, today: date | None = None) -> int | None:
    """Whole days from today (Beijing) to the deadline day; 0 on the day itself, negative once past."""
    if deadline is None:
        return None
    return (deadline - (today or beijing_today())).days


def person_status(person_id: int, year: int | None = None):
    """The person's own row of `missing` for the year (this year in Beijing by default)."""
    custom_plans()
    year = year or beijing_today().year
    return db.session.execute(missing(Person.id == person_id, year)).mappings().one_or_none()


def person_notice(person_id: int) -> tuple[str, str]:
    """The person's 工作台 line for this year: (text, tone) — success when met, warning when short (what
    is missing, the days left), info when the year has no requirement."""
    today = beijing_today()
    row = person_status(person_id, today.year)
    held = f"{today.year}年度已认定{hours_text(row['total_hours'] if row else 0)}学时"
    if row is None or row["passed"] is None:
        return f"{today.year}年度尚未设定学时要求；本年度已认定{hours_text(row['total_hours'] if row else 0)}学时", "info"
    by_kind = "，".join(f"{label}{hours_text(row[f'{suffix}_hours'])}" for label, suffix in KINDS.values())
    required = f"年度要求{hours_text(row['required_total'])}学时"
    if row["passed"]:
        return f"{held}（{by_kind}），已达到{required}", "success"
    deadline = row["entry_deadline"]
    left = days_left(deadline, today)
    when = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    if left >= 0:
        time = f"距学时录入截止日期（{when}）还有{left}天"
    else:
        time = f"学时录入截止日期（{when}）已过"
    return f"{held}（{by_kind}），{required}，尚差{missing_text(row)}；{time}", "warning"


def missing_text(row) -> str:
    """'专业科目12学时、选修科目6学时' — each 科目类型 whose minimum is not met, then what the total still lacks
    beyond those."""
    gaps = [(label, row[f"missing_{suffix}"] or 0) for label, suffix in KINDS.values()]
    parts = [f"{label}科目{hours_text(gap)}学时" for label, gap in gaps if gap]
    beyond = (row["missing_total"] or 0) - sum(gap for _, gap in gaps)
    if beyond > 0:
        parts.append(f"{'其他科目' if parts else '任意科目'}{hours_text(beyond)}学时")
    return "、".join(parts)


def hours_text(value) -> str:
    """Hours as people write them: 12, 12.5."""
    if value is None:
        return "0"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
