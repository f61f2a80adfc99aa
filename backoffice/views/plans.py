"""专业课计划申报 (unit, institution) / 专业课计划备案 (industry), 000 §1.3.1 and 004 §1.4.2: 新申请 from a
published course (选择专业课程, 查看学习内容), 培训班新增 with its teachers and subjects, 附件材料, 送审.
The plan and its classes are read-only from 送审 on. Every change is `workflows.plans`."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..clock import beijing_today
from .. import attachments
from ..extensions import db
from ..forms import BaseForm
from ..labels import CourseType, DictionaryCategory, OrgKind
from ..models import Catalogue, Course, Organisation, Plan, TrainingClass, dictionary_choices
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import plans as ops
from ..workflows.qualifications import qualified_series_ids
from ..workflows.review import history
from ..workflows.teachers import selectable_teachers
from .actions import BatchMixin, attempt
from .base import ScopedModelView
from .training_common import (
    PLAN_DETAILS,
    PLAN_LABELS,
    STATUS_CHOICES,
    AttachmentPages,
    InFilter,
    contains,
    plan_step,
    run_form,
)

BLANK = [("", "请选择…")]


def _date(label: str):
    return DateField(label, validators=[DataRequired(f"请填写{label}")], render_kw={"type": "date"})


def _text(label: str, limit: int, required: bool = True, rows: int = 3):
    checks = [DataRequired(f"请填写{label}")] if required else [Optional()]
    return TextAreaField(
        label, validators=[*checks, Length(max=limit, message=f"{label}限{limit}字")],
        description=f"限{limit}字", render_kw={"rows": rows, "maxlength": limit},
    )


def _years():
    this = beijing_today().year
    return [(str(y), str(y)) for y in range(this + 1, this - 3, -1)]


def course_label(course: Course) -> str:
    catalogue = course.catalogue
    return f"{course.name}（{catalogue.series.name}，{catalogue.year}年）"


class PlanForm(BaseForm):
    """专业课计划填写 — 基本信息 (000 §1.3.1)."""

    course_id = SelectField("专业课程名称", validate_choice=False, validators=[DataRequired("请选择专业课程")])
    year = SelectField("年度", validate_choice=False, validators=[DataRequired("请选择年度")])
    name = StringField(
        "培训计划名称", validators=[DataRequired("请填写培训计划名称"), Length(max=100, message="培训计划名称限100字")]
    )
    days = StringField(
        "培训天数", validators=[DataRequired("请填写培训天数")], description="注：一天6学时，一个学时为45分钟"
    )
    hours = StringField("继续教育学时", description="不填则按培训天数×6计算；不能超过培训天数×6")
    sessions = StringField("拟办期数", validators=[DataRequired("请填写拟办期数")], description="1至99期，即可开设的培训班数")
    start_on = _date("计划开始时间")
    end_on = _date("计划完成时间")
    content = _text("培训内容", 500)
    audience = _text("培训对象", 500)
    note = _text("备注", 500, required=False)


class ClassForm(BaseForm):
    """培训班新增 — 班级基本信息, 授课教师 and 培训科目 (000 §1.3.1, 004 §1.4.1)."""

    name = StringField("培训班名称", validators=[DataRequired("请填写培训班名称"), Length(max=100, message="培训班名称限100字")])
    planned_open_on = _date("计划开班时间")
    study_form_code = SelectField("学习形式", validate_choice=False, validators=[DataRequired("请选择学习形式")])
    study_start_on = _date("学习开始时间")
    study_end_on = _date("学习结束时间")
    capacity = StringField("计划招生人数", validators=[DataRequired("请填写计划招生人数")])
    head_teacher_id = SelectField("班主任姓名", validate_choice=False, validators=[DataRequired("请选择班主任")])
    exam_type_code = SelectField("考试类型", validate_choice=False, validators=[DataRequired("请选择考试类型")])
    location = _text("学习地点", 500)
    schedule = _text("课程具体时间安排", 500)
    teacher_ids = SelectMultipleField(
        "授课教师", validate_choice=False, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    subjects = TextAreaField("培训科目", description="每行一个科目名称，每个限100字", render_kw={"rows": 4})

    def __init__(self, owner_org_id: int, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teachers = list(db.session.scalars(selectable_teachers(owner_org_id)))
        choices = [(str(t.id), f"{t.name}（{t.title}）") for t in teachers]
        self.head_teacher_id.choices = BLANK + choices
        self.teacher_ids.choices = choices
        self.study_form_code.choices = BLANK + dictionary_choices(DictionaryCategory.STUDY_FORM)
        self.exam_type_code.choices = BLANK + dictionary_choices(DictionaryCategory.EXAM_TYPE)


def _class_values(form: ClassForm) -> dict:
    return {
        **{name: form[name].data for name in (
            "name", "planned_open_on", "study_form_code", "study_start_on", "study_end_on", "capacity",
            "head_teacher_id", "exam_type_code", "location", "schedule", "teacher_ids",
        )},
        "subjects": (form.subjects.data or "").splitlines(),
    }


def course_name_filter(column):
    return InFilter(
        column, "专业课程名称", lambda v: select(Course.id).where(contains(Course.name, v)),
        kind="text", operation="包含",
    )


class PlanPages:
    """What every plan screen shows on a plan's page: its classes (with a page each), attachments and
    the 审批流程."""

    def plan_context(self, plan: Plan) -> dict:
        return dict(
            classes=list(plan.classes),
            review_history=history(ops.PLAN, plan),
            class_view_url=lambda c: url_for(".class_details_view", id=plan.id, class_id=c.id),
        )

    def class_of(self, plan: Plan) -> TrainingClass:
        wanted = request.args.get("class_id", "")
        found = next((c for c in plan.classes if str(c.id) == wanted), None)
        if found is None:
            abort(404)
        return found

    @expose("/classes/view/")
    @reads(id=OWN, class_id=TrainingClass)
    def class_details_view(self):
        plan = self.get_one(request.args.get("id"))
        return self.render("training/class_details.html", plan=plan, training_class=self.class_of(plan))


PLAN_FORMATTERS = {
    "step": plan_step,
    "course_type": lambda v, c, m, n: CourseType.label(m.course_type),
}
PLAN_EAGER = (joinedload(Plan.course), joinedload(Plan.reviewer_org), joinedload(Plan.owner_org))


class PlanView(PlanPages, AttachmentPages, BatchMixin, ScopedModelView):
    """The acting organisation's own plans: 新申请, 修改 and 删除 while 草稿 / 已退回, 送审."""

    module = "plan_apply"
    attachment_owner = "plan"
    read_only_message = ops.READ_ONLY
    can_create = True
    can_edit = True
    can_delete = True
    form = PlanForm
    create_template = "training/plan_form.html"
    edit_template = "training/plan_form.html"
    details_template = "training/plan_details.html"
    column_list = ["name", "course.name", "start_on", "end_on", "sessions", "reviewer_org", "step", "status"]
    column_details_list = PLAN_DETAILS
    column_export_list = ["year", *column_list]
    column_labels = PLAN_LABELS
    column_choices = {"status": STATUS_CHOICES}
    column_formatters = PLAN_FORMATTERS
    column_formatters_detail = PLAN_FORMATTERS
    column_formatters_export = PLAN_FORMATTERS
    column_filters = [course_name_filter(Plan.course_id), "name", "year", "status"]
    column_default_sort = [("year", True), ("id", True)]
    list_eager = PLAN_EAGER

    def scope(self):
        return and_(super().scope(), Plan.owner_org_id == current_actor().org_id)

    def attachments_editable(self, row) -> bool:
        return ops.editable(row)

    def get_save_return_url(self, model, is_created=False):
        return url_for(".details_view", id=model.id)

    # ---- 基本信息 ------------------------------------------------------------------------------

    def _prepare(self, form, plan=None):
        actor = current_actor()
        courses = list(db.session.scalars(
            ops.choosable_courses(actor).options(joinedload(Course.catalogue).joinedload(Catalogue.series))
        ))
        if plan is not None and plan.course not in courses:
            courses.insert(0, plan.course)
        form.course_id.choices = BLANK + [(str(c.id), course_label(c)) for c in courses]
        form.year.choices = _years()
        if request.method == "GET":
            if request.args.get("course_id"):  # back from 选择专业课程
                form.course_id.data = request.args["course_id"]
            if plan is None:
                form.year.data = str(beijing_today().year)
        return form

    def create_form(self, obj=None):
        return self._prepare(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._prepare(super().edit_form(obj), obj)

    def _save(self, plan, form):
        data = {name: form[name].data for name in (
            "course_id", "year", "name", "days", "hours", "sessions", "start_on", "end_on", "content", "audience",
            "note",
        )}
        return run_form(form, lambda: ops.save_plan(plan, current_actor(), **data))

    def create_model(self, form):
        return self._save(None, form)

    def update_model(self, form, model):
        return bool(self._save(model, form))

    def delete_model(self, model):
        return attempt(lambda: ops.delete_plan(model, current_actor())) is not False

    def render(self, template, **kwargs):
        actor = current_actor()
        if template == self.create_template:
            kwargs["no_qualification"] = (
                actor.kind == OrgKind.INSTITUTION and not qualified_series_ids(actor.org_id)
            )
        if template == self.details_template and "model" in kwargs:
            plan = kwargs["model"]
            editable = ops.editable(plan)
            kwargs.update(
                editable=editable,
                class_edit_url=(lambda c: url_for(".class_form_view", id=plan.id, class_id=c.id)) if editable else None,
                class_delete_url=(lambda c: url_for(".class_delete_view", id=plan.id, class_id=c.id)) if editable else None,
                **self.plan_context(plan),
                **self.attachment_context(plan),
            )
        return super().render(template, **kwargs)

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        plan = self.get_one(request.args.get("id"))
        if not ops.editable(plan):
            flash(ops.READ_ONLY, "error")
            return self._back(plan)
        return super().edit_view()

    # ---- 选择专业课程 ---------------------------------------------------------------------------

    @expose("/courses/")
    @reads()
    def courses_view(self):
        actor = current_actor()
        search = (request.args.get("q") or "").strip()[:100]
        query = ops.choosable_courses(actor).options(
            joinedload(Course.catalogue).joinedload(Catalogue.series),
            joinedload(Course.catalogue).joinedload(Catalogue.org),
        )
        if search:
            query = query.where(contains(Course.name, search))
        courses = list(db.session.scalars(query.limit(200)))
        back = request.args.get("plan_id", "")
        return self.render(
            "training/course_picker.html", courses=courses, search=search, plan_id=back if back.isascii() and back.isdigit() else "",
            no_qualification=actor.kind == OrgKind.INSTITUTION and not qualified_series_ids(actor.org_id),
        )

    # ---- 培训班 --------------------------------------------------------------------------------

    @expose("/classes/form/", methods=("GET", "POST"))
    @reads(id=OWN, class_id=TrainingClass)
    def class_form_view(self):
        """培训班新增 (no class_id) or 修改 one class of a draft or returned plan."""
        plan = self.get_one(request.args.get("id"))
        training_class = self.class_of(plan) if request.args.get("class_id") else None
        if not ops.editable(plan):
            flash(ops.READ_ONLY, "error")
            return self._back(plan)
        form = ClassForm(plan.owner_org_id, obj=training_class)
        if request.method == "GET" and training_class is not None:
            form.teacher_ids.data = [str(t.id) for t in training_class.teachers]
            form.head_teacher_id.data = str(training_class.head_teacher_id)
            form.subjects.data = "\n".join(s.name for s in training_class.subjects)
        if form.validate_on_submit():
            values = _class_values(form)
            saved = run_form(form, lambda: ops.save_class(plan, training_class, current_actor(), **values))
            if saved:
                flash(f"已保存培训班：{saved.name}", "success")
                return self._back(plan)
        return self.render("training/class_form.html", plan=plan, training_class=training_class, form=form)

    @expose("/classes/delete/", methods=("POST",))
    @reads(id=OWN, class_id=TrainingClass)
    def class_delete_view(self):
        plan = self.get_one(request.args.get("id"))
        training_class = self.class_of(plan)
        if BaseForm().validate_on_submit() and attempt(lambda: ops.delete_class(plan, training_class, current_actor())):
            flash("培训班已删除", "success")
        return self._back(plan)

    # ---- 送审 ----------------------------------------------------------------------------------

    @expose("/submit/", methods=("POST",))
    @reads(id=OWN)
    def submit_view(self):
        plan = self.get_one(request.args.get("id"))
        if not BaseForm().validate_on_submit():
            flash("页面已过期，请刷新后重试", "error")
            return self._back(plan)
        reviewer = attempt(lambda: ops.submit_plan(plan, current_actor()))
        if reviewer is False:
            return self._back(plan)
        flash(f"已送审，审核部门：{reviewer.name}。送审后不能再修改。", "success")
        return redirect(url_for(".index_view"))

    @action("submit", "送审", "确定要送审选中的专业课计划吗？送审后不能再修改。")
    def action_submit(self, ids):
        self._batch(ids, ops.submit_plan, "送审")

    @action("delete", "删除", "确定要删除选中的专业课计划吗？")
    def action_delete(self, ids):
        self._batch(ids, ops.delete_plan, "删除")


class PlanFilingView(PlanView):
    """专业课计划备案 (004 §1.4.2): an industry department's own plans, same pages."""

    module = "plan_filing"


class PlanQueryView(PlanPages, ScopedModelView):
    """专业课计划查询: every plan the acting organisation may see — its own, those it reviews or
    reviewed, and for industry and HR their region's submitted plans (policy.scope)."""

    module = "plan_query"
    details_template = "training/plan_query_details.html"
    column_list = ["year", "name", "course.name", "owner_org", "start_on", "end_on", "sessions", "reviewer_org", "status"]
    column_details_list = PLAN_DETAILS
    column_export_list = column_list
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
    column_default_sort = [("year", True), ("id", True)]
    list_eager = PLAN_EAGER

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            plan = kwargs["model"]
            kwargs.update(self.plan_context(plan), attachments=attachments.for_owner("plan", plan.id))
        return super().render(template, **kwargs)


VIEWS = [
    (PlanView, Plan, "课程培训计划管理", "plan_apply"),
    (PlanFilingView, Plan, "课程培训计划管理", "plan_filing"),
    (PlanQueryView, Plan, "课程培训计划管理", "plan_query"),
]
