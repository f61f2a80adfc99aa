"""学时分类统计 (issue 12 item 2; manual 000 §1.9): a year's 认定学时 by 学习形式 and 科目类型, in SQL.

One GROUP BY over the year's approved records of the people the actor's report counts
(`policy.statistics.counted_people`): rows are the 学习形式 (the dictionary's order, then 未填写), columns
the 科目类型's hours, their total and the number of records. Counted are the people confirmed (已确认)
at a unit, as in 继续教育综合统计's registered people; pending people are not. Hours follow the person (DESIGN §3): a
person who moved is counted where they work now, with every record of the year, as 继续教育综合统计 does.
"""
from decimal import Decimal

from sqlalchemy import case, func, select

from ..extensions import db
from ..labels import ApplicationStatus, BindingStatus, CourseType, DictionaryCategory
from ..models import DictionaryItem, Person, Record
from ..policy.actor import Actor
from ..policy.statistics import counted_people
from .side_by_side import run_all, shares
from .statistics import Figures, Table

NO_FORM = "未填写"
TYPE_COLUMNS = {CourseType.PUBLIC: "public", CourseType.PROFESSIONAL: "professional", CourseType.ELECTIVE: "elective"}
LABELS = {
    "records": "记录数", "public": "公需课学时", "professional": "专业课学时", "elective": "选修课学时",
    "hours": "合计学时",
}
COLUMNS = ("records", "public", "professional", "elective", "hours")


def _sums(actor: Actor, year: int) -> dict:
    """{学习形式 code or None: {column: figure}}: the one GROUP BY (on SQLite in shares of the people, side
    by side on two cores: reports/side_by_side.py)."""
    granted = func.coalesce(Record.approved_hours, 0)
    by_type = [
        func.coalesce(func.sum(case((Record.course_type == kind, granted), else_=0)), 0).label(name)
        for kind, name in TYPE_COLUMNS.items()
    ]
    within, cuts = shares(Person.id)
    query = (
        select(Record.study_form_code, func.count().label("records"), *by_type,
               func.coalesce(func.sum(granted), 0).label("hours"))
        .join(Person, Person.id == Record.person_id)
        .where(
            Record.year == year, Record.status == ApplicationStatus.APPROVED, within(Record.person_id),
            counted_people(actor), Person.binding_status == BindingStatus.CONFIRMED,
        )
        .group_by(Record.study_form_code)
    )
    found: dict = {}
    for share in run_all([query.params(**cut) for cut in cuts]):
        for row in share:
            sums = found.setdefault(row.study_form_code, dict.fromkeys(COLUMNS, 0))
            for name in COLUMNS:
                sums[name] += row._mapping[name]
    return {
        code: {name: Decimal(value).quantize(Decimal("0.1")) if name != "records" else value
               for name, value in sums.items()}
        for code, sums in found.items()
    }


def by_study_form(actor: Actor, year: int) -> Table:
    """Rows per 学习形式: every active one (zeros too), a retired one with hours, an unknown code by itself,
    then 未填写 when records name none."""
    sums = _sums(actor, year)
    forms = db.session.execute(
        select(DictionaryItem.code, DictionaryItem.name, DictionaryItem.active)
        .where(DictionaryItem.category == DictionaryCategory.STUDY_FORM)
        .order_by(DictionaryItem.sort, DictionaryItem.code)
    ).all()
    rows = [Figures(code, name, sums.pop(code, {})) for code, name, active in forms if active or code in sums]
    missing = sums.pop(None, None)
    rows += [Figures(code, code, values) for code, values in sorted(sums.items())]
    if missing:
        rows.append(Figures("", NO_FORM, missing))
    return Table(f"{year}年度认定学时（按学习形式和科目类型）", "学习形式", COLUMNS, rows, labels=LABELS, row_type=Figures)
