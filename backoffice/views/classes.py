"""培训班设置 (000 §1.4.1): the classes of the acting organisation's approved plans, with the 班级状态操作
开班 / 接受报名 / 结业 / 取消 in batch, each with a 说明 (≤50). The moves and their rules are
`workflows.classes.MOVES`."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from sqlalchemy import and_, case, select
from sqlalchemy.orm import joinedload
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from ..extensions import db
from ..forms import BaseForm
from ..labels import ApplicationStatus, ClassStatus, CourseType, OrgKind
from ..models import Course, Plan, TrainingClass
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import WorkflowError
from ..workflows import classes as ops
from .actions import BatchMixin
from .base import ScopedModelView
from .training_common import CLASS_LABELS, CLASS_STATUS_CHOICES, InFilter, contains, exam_type, study_form

MOVE_CHOICES = [(code, move.label) for code, move in ops.MOVES.items()]


class StatusForm(BaseForm):
    """班级状态操作: one move and its 说明 for the chosen classes."""

    move = RadioField("班级状态", choices=MOVE_CHOICES, validators=[DataRequired("请选择班级状态")])
    note = StringField(
        "说明", validators=[Length(max=ops.NOTE_MAX, message=f"说明请控制在{ops.NOTE_MAX}字之内")],
        description=f"请控制在{ops.NOTE_MAX}字之内", render_kw={"maxlength": ops.NOTE_MAX},
    )


def _course_type(view, context, model, name):
    return CourseType.label(model.plan.course_type)


def _course_name(view, context, model, name):
    return model.plan.course.name


FORMATTERS = {
    "course_type": _course_type,
    "course_name": _course_name,
    "year": lambda v, c, m, n: m.plan.year,
    "study_form_code": study_form,
    "exam_type_code": exam_type,
}


def _plans(condition):
    return select(Plan.id).where(condition)


class ClassSetupView(BatchMixin, ScopedModelView):
    module = "class_setup"
    column_list = [
        "course_type", "course_name", "name", "planned_open_on", "capacity", "enrolled_count", "status",
        "status_note",
    ]
    column_details_list = [
        "plan.name", "course_type", "course_name", "year", "name", "planned_open_on", "study_form_code",
        "study_start_on", "study_end_on", "capacity", "enrolled_count", "head_teacher", "exam_type_code",
        "location", "schedule", "status", "status_note", "status_changed_at",
    ]
    column_export_list = ["year", *column_list, "study_start_on", "study_end_on", "head_teacher"]
    column_labels = CLASS_LABELS
    column_choices = {"status": CLASS_STATUS_CHOICES}
    column_formatters = FORMATTERS
    column_formatters_detail = FORMATTERS
    column_formatters_export = FORMATTERS
    column_sortable_list = ["name", "planned_open_on", "status"]
    column_filters = [
        InFilter(
            TrainingClass.plan_id, "课程类型", lambda v: _plans(Plan.course_type == v), options=CourseType.choices()
        ),
        InFilter(
            TrainingClass.plan_id, "专业课程名称",
            lambda v: _plans(Plan.course_id.in_(select(Course.id).where(contains(Course.name, v)))),
            kind="text", operation="包含",
        ),
        "name",
        "status",
        InFilter(TrainingClass.plan_id, "年度", lambda v: _plans(Plan.year == v), kind="int"),
    ]
    list_eager = (
        joinedload(TrainingClass.plan).joinedload(Plan.course),
        joinedload(TrainingClass.head_teacher),
    )

    def scope(self):
        mine = select(Plan.id).where(
            Plan.owner_org_id == current_actor().org_id, Plan.status == ApplicationStatus.APPROVED
        )
        return and_(super().scope(), TrainingClass.plan_id.in_(mine))

    def _get_default_order(self):
        # classes still to be run first, then the most recent
        waiting = case((TrainingClass.status.in_((ClassStatus.FINISHED, ClassStatus.CANCELLED)), 1), else_=0)
        yield waiting, [], False
        yield TrainingClass.planned_open_on, [], True
        yield TrainingClass.id, [], True

    # ---- 班级状态操作: the actions pick rows, a page asks for the move and 说明 --------------------

    def is_action_allowed(self, name):
        # a unit's classes are internal (workflows.classes.INTERNAL_ONLY): 接受报名 is not offered
        if name == "enrol" and current_actor().kind == OrgKind.UNIT:
            return False
        return super().is_action_allowed(name)

    def _ask(self, ids, move):
        return redirect(url_for(".status_view", id=ids, move=move))

    @action("status", "班级状态操作")
    def action_status(self, ids):
        return self._ask(ids, "")

    @action("open", "开班")
    def action_open(self, ids):
        return self._ask(ids, "open")

    @action("enrol", "接受报名")
    def action_enrol(self, ids):
        return self._ask(ids, "enrol")

    @action("finish", "结业")
    def action_finish(self, ids):
        return self._ask(ids, "finish")

    @action("cancel", "取消")
    def action_cancel(self, ids):
        return self._ask(ids, "cancel")

    @expose("/status/", methods=("GET", "POST"))
    @reads(id=OWN)
    def status_view(self):
        rows = self.scoped_rows(request.values.getlist("id"))
        if not rows:
            flash("请先选择要操作的培训班", "warning")
            return redirect(url_for(".index_view"))
        form = StatusForm()
        if request.method == "GET" and request.args.get("move") in ops.MOVES:
            form.move.data = request.args["move"]
        if form.validate_on_submit():
            try:
                outcome = ops.move_many(rows, form.move.data, form.note.data, current_actor())
            except WorkflowError as error:
                db.session.rollback()
                form.note.errors = [*form.note.errors, str(error)]
            else:
                db.session.commit()
                verb = ops.MOVES[form.move.data].label
                message = outcome.message(verb)
                if form.move.data == "finish" and outcome.done:
                    message += f"，生成继续教育记录{sum(created for _, created in outcome.done)}条"
                flash(message, "success" if not outcome.skipped else "warning")
                return redirect(url_for(".index_view"))
        return self.render("training/class_status.html", rows=rows, form=form, list_columns=self._list_columns)


VIEWS = [
    (ClassSetupView, TrainingClass, "培训班管理", "class_setup"),
]
