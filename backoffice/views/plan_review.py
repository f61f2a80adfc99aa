"""专业课计划审核 (004 §1.4.1): plans routed to the acting organisation — 待审核 first, details with the
classes, attachments and 审批流程, 同意 / 不同意并结案 / 不同意并退案 with an opinion, 批量审核."""
from sqlalchemy import select

from ..models import Organisation, Plan
from ..workflows.plans import PLAN
from .plans import PLAN_EAGER, PLAN_FORMATTERS, PlanPages, course_name_filter
from .review import ReviewView
from .training_common import PLAN_DETAILS, PLAN_LABELS, STATUS_CHOICES, InFilter, contains


class PlanReviewView(PlanPages, ReviewView):
    module = "plan_review"
    flow = PLAN
    details_template = "training/plan_review_details.html"
    column_list = [
        "name", "course.name", "owner_org", "start_on", "end_on", "sessions", "reviewer_org", "step", "status",
    ]
    column_details_list = PLAN_DETAILS
    column_export_list = ["year", *column_list, "submitted_at"]
    column_labels = PLAN_LABELS
    column_choices = {"status": STATUS_CHOICES}
    column_formatters = PLAN_FORMATTERS
    column_formatters_detail = PLAN_FORMATTERS
    column_formatters_export = PLAN_FORMATTERS
    column_filters = [
        course_name_filter(Plan.course_id), "name", "year", "status",
        InFilter(
            Plan.owner_org_id, "申报单位", lambda v: select(Organisation.id).where(contains(Organisation.name, v)),
            kind="text", operation="包含",
        ),
    ]
    list_eager = PLAN_EAGER

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            plan = kwargs["model"]
            context = self.plan_context(plan)
            context.pop("review_history")  # ReviewView.render adds it with the review form
            kwargs.update(context)
        return super().render(template, **kwargs)


VIEWS = [
    (PlanReviewView, Plan, "审核管理", "plan_review"),
]
