"""What the class owner's work screens share (培训班考勤设置, 学员成绩管理): the list of the classes the acting
organisation runs (`policy.scope.classes_run_by`), and row links to the view's own pages."""
from flask import get_template_attribute
from flask_admin.model.template import BaseListRowAction
from markupsafe import Markup
from sqlalchemy import and_, case
from sqlalchemy.orm import joinedload

from ..labels import ClassStatus
from ..models import Plan, TrainingClass
from ..policy import current_actor
from ..policy.scope import classes_run_by
from .base import ScopedModelView
from .training_common import CLASS_LABELS, CLASS_STATUS_CHOICES


class LinkRowAction(BaseListRowAction):
    """A labelled row link to one of the view's pages: [录入考勤], [考勤查看], [成绩录入]…"""

    def __init__(self, endpoint: str, label: str):
        super().__init__(title=None)
        self.endpoint, self.label = endpoint, label

    def render(self, context, row_id, row):
        url = context.resolve("get_url")(self.endpoint, id=row_id)
        link = get_template_attribute("class_work/_links.html", "link")
        return Markup(link(url, self.label))


def _course_name(view, context, model, name):
    return model.plan.course.name


class RunClassesView(ScopedModelView):
    """The acting organisation's classes of approved plans; a subclass adds its pages and row links."""

    can_export = False
    column_list = ["course_name", "name", "study_start_on", "study_end_on", "enrolled_count", "status"]
    column_details_list = [
        "plan.name", "course_name", "name", "planned_open_on", "study_start_on", "study_end_on", "capacity",
        "enrolled_count", "head_teacher", "location", "schedule", "status", "status_note",
    ]
    column_labels = CLASS_LABELS
    column_choices = {"status": CLASS_STATUS_CHOICES}
    column_formatters = {"course_name": _course_name}
    column_formatters_detail = {"course_name": _course_name}
    column_sortable_list = ["name", "study_start_on", "status"]
    column_filters = ["name", "status"]
    list_eager = (joinedload(TrainingClass.plan).joinedload(Plan.course),)

    def scope(self):
        return and_(super().scope(), TrainingClass.id.in_(classes_run_by(current_actor())))

    def _get_default_order(self):
        # running classes first, then the most recent
        running = case((TrainingClass.status.in_((ClassStatus.OPEN, ClassStatus.ENROLLING)), 0), else_=1)
        yield running, [], False
        yield TrainingClass.study_start_on, [], True
        yield TrainingClass.id, [], True

    def the_class(self, class_id) -> TrainingClass:
        """A class of the list by its id, or 404 (another organisation's, a draft plan's, malformed)."""
        return self.get_one(class_id)
