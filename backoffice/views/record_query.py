"""继续教育记录查询 for an industry department (004 §1.7.1): read only, the declared records (never a 草稿) of
the people of its 专业系列 employed in its region (`policy.scope.records_of_series`, inside its
visible(Record)). Search by 姓名 (prefix) or 公民身份号码; filters 专业系列, 课程名称, 年度, 科目类型, 学习形式,
审核状态; CSV / XLSX like every list.

Details show the manual's 基本信息 from the record and its person. 所属地区 is the region of the person's
工作单位 (the record has no region of its own). The manual's 主管部门 is left out: neither the record nor the
person names one (a record's 审核部门 is on 继续教育记录认定, not on this query).
"""
from sqlalchemy import and_
from sqlalchemy.orm import joinedload

from ..formatting import series_name
from ..labels import ApplicationStatus, DictionaryCategory
from ..models import Person, Record
from ..policy import current_actor
from ..policy.scope import built_once, records_of_series, series_people
from .filters import DictionaryFilter, PersonSeriesFilter
from .progress import _RecordList
from .records import LABELS
from .search import ID_NUMBER, PREFIX, SearchField

QUERY_LABELS = {
    **LABELS,
    "person.sex": "性别",
    "person.series": "专业系列",
    "person.unit": "工作单位",
    "region": "所属地区",
    "course_type": "科目类型",
}
DETAILS = [
    "person.name", "person.sex", "person.id_number", "region", "person.unit", "person.series", "course_name",
    "course_type", "study_form_code", "start_on", "end_on", "days", "exam_result", "declared_hours",
    "approved_hours", "institution_name", "year", "location", "content", "note", "status",
]
LIST = [
    "person.name", "person.id_number", "person.series", "course_name", "course_type", "year", "study_form_code",
    "declared_hours", "status",
]


def _region(view, context, model, name) -> str:
    unit = model.person.unit
    return unit.region.name if unit is not None and unit.region is not None else ""


def _series(view, context, model, name) -> str:
    return series_name(model.person.series_id)


def _series_people():
    return series_people(current_actor())


@built_once
def _declared(records):
    """Declared records among `records` (records_of_series')."""
    return and_(records, Record.status != ApplicationStatus.DRAFT)


class IndustryRecordQueryView(_RecordList):
    """继续教育记录查询: the declared records of the department's series' people in its region, newest first."""

    module = "record_query_industry"
    column_list = LIST
    column_details_list = DETAILS
    column_export_list = [*LIST, "person.unit", "start_on", "end_on", "approved_hours", "institution_name"]
    column_labels = QUERY_LABELS
    column_formatters = {**_RecordList.column_formatters, "region": _region, "person.series": _series}
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters
    # The series narrows the searched people: a surname and a series each match many people, both few
    # (SQLite read every 袁's records first: 344 ms at 5,000,000 records; PostgreSQL walked 54,000).
    search_fields = (
        SearchField(Person.name, PREFIX, "姓名", through=Record.person_id, key=Person.id, narrow=_series_people),
        SearchField(Person.id_number, ID_NUMBER, "公民身份号码", through=Record.person_id, key=Person.id),
    )
    column_filters = [
        PersonSeriesFilter(Record.person_id, "专业系列"),
        "course_name", "year", "course_type",
        DictionaryFilter(Record.study_form_code, "学习形式", DictionaryCategory.STUDY_FORM),
        "status",
    ]
    list_eager = (joinedload(Record.person),)  # its 专业系列 by name from the process's snapshot (_series)
    # the export adds 工作单位; details read 所属地区 by primary key (one row). Joining unit and region on
    # every page cost 1.3 of its 4.6 ms at a million people (PostgreSQL's planning, mostly).
    export_eager = (*list_eager, joinedload(Record.person).joinedload(Person.unit))
    simple_list_pager = True  # a province's series: hundreds of thousands of records, no count(*) per page

    def scope(self):
        # records_of_series and "declared" imply the department's visible(Record), and are false for any
        # other actor; alone (without visible()'s OR) the list walks the records newest first, checking
        # each one's person by primary key (the HR's 学时学分审验 does the same: record_checks.py).
        return _declared(records_of_series(current_actor()))


VIEWS = [(IndustryRecordQueryView, Record, "查询统计", "record_query_industry")]
