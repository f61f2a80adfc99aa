"""Read-only class queries (issue 10 item 9): 施教机构培训班查询 for an industry department (004 §1.7.3: the
classes institutions of its region run under its series) and 培训班查询 for HR (every class of its region).
Rows come from `policy.visible(TrainingClass)`; these screens keep the classes of approved plans."""
from sqlalchemy import and_, select

from ..labels import ApplicationStatus, OrgKind
from ..models import Organisation, Plan, TrainingClass
from .base import ScopedModelView
from .enrolments import CLASS_EAGER, CLASS_FORMATTERS, owner_name_filter
from .training_common import CLASS_LABELS, CLASS_STATUS_CHOICES, InFilter

QUERY_LABELS = {
    **CLASS_LABELS, "name": "培训班名称", "owner": "施教机构名称", "capacity": "培训班计划人数", "days": "培训天数",
    "head_teacher": "班主任", "teachers": "授课教师", "subjects": "培训科目", "hours": "继续教育学时",
    "course_name": "专业课程名称",
}
DETAILS = [
    "owner", "plan.name", "course_type", "course_name", "year", "name", "planned_open_on", "study_form_code",
    "study_start_on", "study_end_on", "capacity", "enrolled_count", "days", "hours", "head_teacher", "teachers",
    "exam_type_code", "location", "schedule", "subjects", "status", "status_note",
]


def _approved_plans(*conditions):
    return select(Plan.id).where(Plan.status == ApplicationStatus.APPROVED, *conditions)


class ClassQueryBase(ScopedModelView):
    column_list = ["owner", "name", "head_teacher", "planned_open_on", "capacity", "days", "status"]
    column_details_list = DETAILS
    column_export_list = [*column_list, "course_name", "study_start_on", "study_end_on", "enrolled_count"]
    column_labels = QUERY_LABELS
    column_choices = {"status": CLASS_STATUS_CHOICES}
    column_formatters = column_formatters_detail = column_formatters_export = CLASS_FORMATTERS
    column_sortable_list = ["name", "planned_open_on"]
    column_default_sort = [("planned_open_on", True), ("id", True)]
    list_eager = CLASS_EAGER
    column_filters = [
        owner_name_filter("施教机构名称"),
        "name",
        "status",
        InFilter(TrainingClass.plan_id, "年度", lambda v: select(Plan.id).where(Plan.year == v), kind="int"),
    ]


class IndustryClassQueryView(ClassQueryBase):
    """施教机构培训班查询: classes of institutions' approved plans in the department's region and series."""

    module = "class_query_industry"

    def scope(self):
        institutions = select(Organisation.id).where(Organisation.kind == OrgKind.INSTITUTION)
        return and_(super().scope(), TrainingClass.plan_id.in_(_approved_plans(Plan.owner_org_id.in_(institutions))))


class HrClassQueryView(ClassQueryBase):
    """培训班查询: the classes of approved plans of every organisation in the HR department's region."""

    module = "class_query_hr"
    column_labels = {**QUERY_LABELS, "owner": "开班单位"}
    column_filters = [owner_name_filter("开班单位"), *ClassQueryBase.column_filters[1:]]

    def scope(self):
        return and_(super().scope(), TrainingClass.plan_id.in_(_approved_plans()))


VIEWS = [
    (IndustryClassQueryView, TrainingClass, "查询统计", "class_query_industry"),
    (HrClassQueryView, TrainingClass, "查询统计", "class_query_hr"),
]
