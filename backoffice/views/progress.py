"""Progress screens (issue 11 item 4; 002 申报进度查询 / 年度完成情况 / 单位申报记录, 000 §1.9.2):

- 申报进度查询 (person): every record about the person, whoever declared it, with the manual's tabs
  全部 / 待提交 / 待审核 / 审核通过 / 审核不通过; changes stay on 继续教育记录申报.
- 年度完成情况 (person): each year's approved hours per 科目类型 against the 学时要求, 通过 / 不通过, and a
  details page per year with the records behind each figure (`hours.annual_verification`).
- 单位申报记录 (unit): what the unit declared, every state, read only.
- 继续教育培训记录查询 (unit): approved records of the unit's confirmed people.
"""

from flask import abort, request
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from ..clock import beijing_today
from ..extensions import db
from ..hours import cycle_verification, cycle_years, person_years
from ..labels import ApplicationStatus, CourseType
from ..models import HourRequirement, Person, Record
from ..policy import current_actor, visible
from ..policy.scope import records_of_unit_people
from ..route_params import reads
from ..workflows import declarations
from .base import PageView, ScopedModelView
from .records import CHOICES, DETAILS, EAGER, FORMATTERS, LABELS, PAGE, PERSON_EAGER
from .training_common import InFilter, contains

#: 申报进度 tab → the states it shows (002: 全部、待提交、待审核、审核通过、审核不通过)
PROGRESS = {
    "draft": ("待提交", (ApplicationStatus.DRAFT,)),
    "pending": ("待审核", (ApplicationStatus.PENDING,)),
    "approved": ("审核通过", (ApplicationStatus.APPROVED,)),
    "refused": ("审核不通过", (ApplicationStatus.RETURNED, ApplicationStatus.CLOSED)),
}


class ProgressFilter(BaseSQLAFilter):
    """申报进度: the manual's tabs as one select (全部 is the bar's 全部)."""

    def __init__(self, column, name):
        super().__init__(column, name, options=[(key, label) for key, (label, _) in PROGRESS.items()])

    def validate(self, value) -> bool:
        return value in PROGRESS

    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias).in_(PROGRESS[value][1]))

    def operation(self) -> str:
        return "等于"


#: a record's state → its 申报进度 tab
PROGRESS_OF = {state: label for label, states in PROGRESS.values() for state in states}


def _progress(view, context, model, name) -> str:
    return PROGRESS_OF.get(model.status, "")


class _RecordList(ScopedModelView):
    column_labels = {**LABELS, "progress": "申报进度"}
    column_choices = CHOICES
    column_formatters = {**FORMATTERS, "progress": _progress}
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters
    column_details_list = DETAILS
    column_default_sort = [("id", True)]
    list_eager = EAGER
    ids_first = True  # five records a person: an HR or institution list is millions of rows
    details_template = "records/progress_details.html"

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            from ..workflows.review import history

            kwargs["review_history"] = history(declarations.RECORD, kwargs["model"])
        return super().render(template, **kwargs)


class ProgressView(_RecordList):
    """申报进度查询: every record about the person; [修改] / 撤销 / 删除 stay on 继续教育记录申报."""

    module = "record_progress"
    column_list = ["course_type", "course_name", "year", "declared_hours", "approved_hours", "source", "progress"]
    column_export_list = column_list
    list_eager = ()  # the record's own columns only
    column_filters = [ProgressFilter(Record.status, "申报进度"), "year", "course_type"]


class UnitDeclaredView(_RecordList):
    """单位申报记录: what the acting unit declared, in every state (全部 / 待审核 / 审核通过 / 审核不通过)."""

    module = "record_unit_declared"
    column_list = [
        "person.name", "person.id_number", "course_type", "course_name", "year", "declared_hours", "approved_hours",
        "reviewer_org", "progress",
    ]
    column_export_list = column_list
    page_eager = PAGE  # its 审核部门 is the unit itself, row after row (`page_eager`)
    column_filters = [
        ProgressFilter(Record.status, "申报进度"), "year", "course_type", "course_name",
        InFilter(Record.person_id, "姓名", lambda v: select(Person.id).where(contains(Person.name, v)),
                 kind="text", operation="包含"),
    ]

    def scope(self):
        # inside the unit's visible(Record) (its `declared_by_org_id`); alone, it walks
        # ix_record_declarer_newest newest first (RecordDeclareView.scope)
        return declarations.declared_by(current_actor())


class TrainingRecordQueryView(_RecordList):
    """继续教育培训记录查询 (000 §1.9.2): approved records of the unit's confirmed people; filters 姓名, 课程名称,
    课程类型, 施教机构名称, 年度."""

    module = "record_query"
    column_list = [
        "person.name", "person.id_number", "institution_name", "course_type", "course_name", "declared_hours",
        "approved_hours",
    ]
    column_export_list = [*column_list, "year"]
    list_eager = PERSON_EAGER
    column_filters = [
        InFilter(Record.person_id, "姓名", lambda v: select(Person.id).where(contains(Person.name, v)),
                 kind="text", operation="包含"),
        "course_name", "course_type", "institution_name", "year",
    ]

    def scope(self):
        # records_of_unit_people and 已通过 imply the unit's visible(Record) (its people's declared
        # records), and are false for any other actor. With visible()'s OR as well, PostgreSQL walked
        # every record newest first testing it (1.3 s at 1,000,000 records); alone, the unit's people
        # lead to their records by index.
        return and_(records_of_unit_people(current_actor()), Record.status == ApplicationStatus.APPROVED)


# ---- the records section of 专业技术人员信息查询's details page ----------------------------------------

RECORDS_CAP = 50


def person_records(person_id: int, actor) -> tuple[list[Record], bool]:
    """The person's 已通过 records this actor may see, newest first: at most 50, and whether there are more."""
    rows = db.session.scalars(
        select(Record).options(joinedload(Record.institution_org))
        .where(Record.person_id == person_id, Record.status == ApplicationStatus.APPROVED, visible(Record, actor))
        .order_by(Record.year.desc(), Record.end_on.desc(), Record.id.desc())
        .limit(RECORDS_CAP + 1)
    ).all()
    return rows[:RECORDS_CAP], len(rows) > RECORDS_CAP


# ---- 年度完成情况 ---------------------------------------------------------------------------------

#: (科目类型, the column prefix of `annual_verification`, its label)
KINDS = [
    (code, code, CourseType.label(code))
    for code in (CourseType.PUBLIC, CourseType.PROFESSIONAL, CourseType.ELECTIVE)
]


def year_results(person_id: int, years: list[int]) -> dict[int, dict]:
    """年度验证 of one person for several years: one statement (a UNION of `hours.annual_verification`),
    then the requirements behind them in one more."""
    rows = person_years(person_id, years)
    rules = _rules(rows.values())
    return {year: {**r, "requirement": rules.get(r["requirement_id"])} for year, r in rows.items()}


def _rules(rows) -> dict[int, HourRequirement]:
    """The 学时要求 behind verification rows, in one query (the pages show their figures)."""
    wanted = {r["requirement_id"] for r in rows if r["requirement_id"] is not None}
    if not wanted:
        return {}
    return {r.id: r for r in db.session.scalars(select(HourRequirement).where(HourRequirement.id.in_(wanted)))}


def cycle_context(person: Person) -> dict:
    """What the 周期验证 section (records/_cycle.html) shows: the years held in the current title (at most
    the latest five), each year's figures against its requirement, and the verdict (`hours.cycle_verification`)."""
    years = cycle_years(person.title_obtained_on)
    rows, passed = cycle_verification(person.id, years)
    rules = _rules(rows)
    return {
        "cycle_rows": [{**r, "requirement": rules.get(r["requirement_id"])} for r in rows],
        "cycle_passed": passed, "cycle_title_on": person.title_obtained_on, "kinds": KINDS,
    }


class YearProgressView(PageView):
    """年度完成情况: each year with approved records (and this year), newest first; [详细] per year."""

    module = "record_years"

    def __init__(self, model=None, name=None, category=None, endpoint=None, **kwargs):
        super().__init__(name=name, category=category, endpoint=endpoint, **kwargs)

    def _person(self) -> int:
        actor = current_actor()
        if actor.person_id is None:
            abort(404)
        return actor.person_id

    @expose("/")
    @reads()
    def index_view(self):
        person_id = self._person()
        years = set(db.session.scalars(
            select(Record.year).where(Record.person_id == person_id, Record.status == ApplicationStatus.APPROVED)
            .distinct()
        ))
        years.add(beijing_today().year)
        results = year_results(person_id, sorted(years, reverse=True))
        rows = [results[y] for y in sorted(results, reverse=True)]
        cycle = cycle_context(db.session.get(Person, person_id))
        return self.render("records/years.html", rows=rows, **cycle)

    @expose("/year/")
    @reads()  # a year of the signed-in person's own records
    def year_view(self):
        person_id = self._person()
        try:
            year = int(request.args.get("year", ""))
        except ValueError:
            abort(404)
        if not 1900 <= year <= 2999:
            abort(404)
        result = year_results(person_id, [year])[year]
        records = db.session.scalars(
            select(Record).options(joinedload(Record.institution_org))
            .where(Record.person_id == person_id, Record.year == year, Record.status == ApplicationStatus.APPROVED,
                   visible(Record, current_actor()))
            .order_by(Record.course_type, Record.end_on.desc(), Record.id.desc())
        ).all()
        by_kind = {code: [r for r in records if r.course_type == code] for code, _, _ in KINDS}
        return self.render("records/year.html", year=year, result=result, kinds=KINDS, by_kind=by_kind)


VIEWS = [
    (ProgressView, Record, "继续教育记录管理", "record_progress"),
    (YearProgressView, None, "继续教育记录管理", "record_years"),
    (UnitDeclaredView, Record, "继续教育记录管理", "record_unit_declared"),
    (TrainingRecordQueryView, Record, "查询统计", "record_query"),
]
