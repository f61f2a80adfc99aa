"""继续教育记录申报 (person, unit), 学员成绩申报 (institution) and 继续教育记录认定 (unit, HR): 000 §1.6.1,
§1.6.3; 003 §3.3.1; 002 学时学分申报 / 学员成绩申报 / 学时学分审批. Every change is `workflows.declarations`."""
import json
from flask import flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.model.template import BaseListRowAction
from sqlalchemy import and_, false, select
from sqlalchemy.orm import joinedload
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..clock import beijing_today
from ..forms import BaseForm
from ..labels import ActorKind, ApplicationStatus, CourseType, DictionaryCategory, ExamResult, RecordSource
from ..models import Organisation, Person, Record, dictionary_choices
from ..policy import current_actor
from ..policy.scope import built_once
from ..route_params import OWN, reads
from ..workflows import declarations as ops
from ..workflows import record_routing
from ..workflows.review import history
from .actions import BatchMixin, attempt
from .base import ScopedModelView
from .review import ReviewForm, ReviewView
from .training_common import AttachmentPages, InFilter, contains, run_form, study_form

BLANK = [("", "请选择…")]
LABELS = {
    "person": "姓名",
    "person.name": "姓名",
    "person.id_number": "公民身份号码",
    "course_type": "课程类型",
    "course_name": "课程名称",
    "study_form_code": "学习形式",
    "start_on": "学习开始时间",
    "end_on": "学习结束时间",
    "days": "参训天数",
    "exam_result": "考核结果",
    "declared_hours": "拟申报学时",
    "checked_hours": "审验学时",
    "approved_hours": "认定学时",
    "institution_name": "施教机构名称",
    "year": "申报年度",
    "location": "学习地点",
    "content": "学习内容",
    "note": "备注",
    "source": "来源",
    "declared_by_org": "申报单位",
    "reviewer_org": "审核部门",
    "review_step": "审核环节",
    "status": "审核状态",
    "submitted_at": "送审时间",
}
CHOICES = {
    "status": ApplicationStatus.choices(),
    "course_type": CourseType.choices(),
    "exam_result": ExamResult.choices(),
    "source": RecordSource.choices(),
}


def _step(view, context, model, name) -> str:
    return record_routing.step_name(model) if model.status == ApplicationStatus.PENDING else ""


FORMATTERS = {"study_form_code": study_form, "review_step": _step}
DETAILS = [
    "person.name", "person.id_number", "course_type", "course_name", "study_form_code", "start_on", "end_on",
    "days", "exam_result", "declared_hours", "approved_hours", "institution_name", "year", "location", "content",
    "note", "source", "declared_by_org", "reviewer_org", "review_step", "status", "submitted_at",
]
LIST = [
    "person.name", "person.id_number", "course_type", "course_name", "declared_hours", "approved_hours",
    "reviewer_org", "review_step", "status",
]
#: the relations a record list shows, joined to its page's rows and to an export's batches; nothing more —
#: a joined relation the page does not show made PostgreSQL hash all 10,000 organisations before a review
#: list's sort (7.7 of 12 ms at a million people). Details read the others by primary key: one row.
PERSON_EAGER = (joinedload(Record.person),)
EAGER = (*PERSON_EAGER, joinedload(Record.reviewer_org))
#: what a page shows of them where the page's rows share their related rows (`page_eager`): the person's
#: 姓名 and 公民身份号码, the 审核部门's name
PAGE = (joinedload(Record.person).load_only(Person.name, Person.id_number),
        joinedload(Record.reviewer_org).load_only(Organisation.name))


def _text(label: str, required: bool = False):
    checks = [DataRequired(f"请填写{label}")] if required else [Optional()]
    return StringField(
        label, validators=[*checks, Length(max=ops.TEXT_MAX, message=f"{label}限{ops.TEXT_MAX}字")],
        render_kw={"maxlength": ops.TEXT_MAX}, description=f"限{ops.TEXT_MAX}字",
    )


def _date(label: str):
    return DateField(label, validators=[DataRequired(f"请填写{label}")], render_kw={"type": "date"})


class RecordForm(BaseForm):
    """继续教育培训记录申报填写: 学习形式 first, then what that form needs (000 §1.6.1, 002)."""

    study_form_code = SelectField(
        "学习形式", validate_choice=False, validators=[DataRequired("请选择学习形式")],
        description="请先选择学习形式，再填写该形式需要的信息",
    )
    id_number = StringField("公民身份号码", validators=[DataRequired("请填写公民身份号码"), Length(max=18)])
    name = StringField("姓名", validators=[DataRequired("请填写姓名"), Length(max=50)])
    course_type = SelectField("科目类型", validate_choice=False, validators=[DataRequired("请选择科目类型")])
    course_name = _text("课程名称", required=True)
    start_on = _date("学习开始时间")
    end_on = _date("学习结束时间")
    days = StringField("参训天数", description="0.5至365天，最多一位小数")
    exam_result = SelectField("考核结果", validate_choice=False)
    declared_hours = StringField(
        "拟申报学时", validators=[DataRequired("请填写拟申报学时")],
        description="0.5至999.9学时，不超过参训天数×6（一天6学时）",
    )
    institution_name = _text("施教机构名称")
    year = SelectField("申报年度", validate_choice=False, validators=[DataRequired("请选择申报年度")],
                       description="须在学习开始与结束时间的年份之间")
    location = _text("学习地点")
    content = _text("学习内容")
    note = _text("备注")


FIELDS = (
    "study_form_code", "id_number", "name", "course_type", "course_name", "start_on", "end_on", "days",
    "exam_result", "declared_hours", "institution_name", "year", "location", "content", "note",
)


class OnlyWhen(BaseListRowAction):
    """A row link shown only where it can succeed ([修改] while 草稿 / 已退回, [删除] while 草稿); the
    workflow refuses the others anyway."""

    def __init__(self, action, test):
        super().__init__(title=None)
        self.action, self.test = action, test

    def render(self, context, row_id, row):
        return self.action.render(context, row_id, row) if self.test(row) else ""


INSTITUTION_HINT = f"可从系统中已注册的施教机构中选择，系统外的机构请直接填写名称（限{ops.TEXT_MAX}字）"


def _years():
    this = beijing_today().year
    return [(str(y), str(y)) for y in range(this, this - 6, -1)]


class RecordDeclareView(AttachmentPages, BatchMixin, ScopedModelView):
    """The actor's own declarations: 添加培训记录, 修改 and 保存暂不提交 while 草稿 / 已退回, 送审 (a unit: 确认),
    撤销 while 待审核, 删除 while 草稿."""

    module = "record_declare"
    attachment_owner = "record"
    read_only_message = ops.READ_ONLY
    can_create = True
    can_edit = True
    can_delete = True
    form = RecordForm
    create_template = "records/form.html"
    edit_template = "records/form.html"
    details_template = "records/details.html"
    column_list = LIST
    column_details_list = DETAILS
    column_export_list = [*LIST, "year", "start_on", "end_on"]
    column_labels = LABELS
    column_choices = CHOICES
    column_formatters = FORMATTERS
    column_formatters_detail = FORMATTERS
    column_formatters_export = FORMATTERS
    column_filters = ["course_name", "course_type", "year", "status"]
    column_default_sort = [("id", True)]
    list_eager = EAGER
    ids_first = True  # an institution declares for thousands of people
    simple_list_pager = True  # and no count(*) of them per page: 107 ms for 40,000 records (PostgreSQL)

    def scope(self):
        # What the actor declared is inside its visible(Record) for every declarer (the person's own,
        # an organisation's `declared_by_org_id`). Without visible()'s OR, PostgreSQL walks
        # ix_record_declarer_newest from the newest: 0.09 ms instead of 182 ms for an institution's
        # 10,000 records (docs/performance.md).
        return ops.declared_by(current_actor())

    def attachments_editable(self, row) -> bool:
        return ops.editable(row)

    def get_save_return_url(self, model, is_created=False):
        return url_for(".details_view", id=model.id)

    def get_list_row_actions(self):
        when = {"edit": ops.editable, "delete": lambda row: row.status == ApplicationStatus.DRAFT}
        return [
            OnlyWhen(a, when[a.macro]) if getattr(a, "macro", None) in when else a
            for a in super().get_list_row_actions()
        ]

    # ---- 基本信息 ------------------------------------------------------------------------------

    def _prepare(self, form, record=None):
        if current_actor().kind == ActorKind.PERSON:
            del form.id_number
            del form.name
        form.study_form_code.choices = BLANK + dictionary_choices(DictionaryCategory.STUDY_FORM)
        form.course_type.choices = BLANK + CourseType.choices()
        form.exam_result.choices = BLANK + ExamResult.choices()
        form.year.choices = BLANK + _years()
        if "institution_name" in form:  # the registered institutions are offered as it is typed
            form.institution_name.render_kw = {
                **(form.institution_name.render_kw or {}), "list": "institution-choices", "autocomplete": "off",
            }
            form.institution_name.description = INSTITUTION_HINT
        if request.method == "GET" and record is not None:
            form.year.data = str(record.year)
            if "id_number" in form:
                form.id_number.data = record.person.id_number
                form.name.data = record.person.name
        return form

    def create_form(self, obj=None):
        return self._prepare(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._prepare(super().edit_form(obj), obj)

    def _save(self, record, form):
        data = {name: form[name].data for name in FIELDS if name in form}
        return run_form(form, lambda: ops.save_record(record, current_actor(), **data))

    def create_model(self, form):
        return self._save(None, form)

    def update_model(self, form, model):
        return bool(self._save(model, form))

    def delete_model(self, model):
        return attempt(lambda: ops.delete_record(model, current_actor())) is not False

    def render(self, template, **kwargs):
        if template in (self.create_template, self.edit_template):
            kwargs["hidden_fields"] = json.dumps(ops.hidden_by_code(), ensure_ascii=False)
        if template == self.details_template and "model" in kwargs:
            record = kwargs["model"]
            kwargs.update(
                editable=ops.editable(record),
                review_history=history(ops.RECORD, record),
                confirms=ops.declarer(current_actor()) == RecordSource.UNIT,
                **self.attachment_context(record),
            )
        return super().render(template, **kwargs)

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        record = self.get_one(request.args.get("id"))
        if not ops.editable(record):
            flash(ops.READ_ONLY, "error")
            return self._back(record)
        return super().edit_view()

    @expose("/institutions/")
    @reads()  # q is a piece of a name; the answer is names of registered institutions, public, nothing else
    def institutions_view(self):
        """施教机构名称 as it is typed: the registered institutions whose names contain it (the form's list)."""
        return jsonify(ops.institution_names(request.args.get("q")))

    # ---- 送审 / 撤销 ---------------------------------------------------------------------------

    def _posted(self, record) -> bool:
        if not BaseForm().validate_on_submit():
            flash("页面已过期，请刷新后重试", "error")
            return False
        return True

    @expose("/submit/", methods=("POST",))
    @reads(id=OWN)
    def submit_view(self):
        record = self.get_one(request.args.get("id"))
        if not self._posted(record):
            return self._back(record)
        done = attempt(lambda: ops.submit_record(record, current_actor()))
        if done is False:
            return self._back(record)
        flash(f"{done}。", "success")
        return redirect(url_for(".index_view"))

    @expose("/withdraw/", methods=("POST",))
    @reads(id=OWN)
    def withdraw_view(self):
        record = self.get_one(request.args.get("id"))
        if self._posted(record) and attempt(lambda: ops.withdraw_record(record, current_actor())):
            flash("已撤销，记录回到草稿，可修改后重新送审或删除", "success")
        return self._back(record)

    @action("submit", "送审", "确定要送审选中的继续教育记录吗？送审后不能再修改。")
    def action_submit(self, ids):
        self._batch(ids, ops.submit_record, "送审")

    @action("delete", "删除", "确定要删除选中的继续教育记录吗？")
    def action_delete(self, ids):
        self._batch(ids, ops.delete_record, "删除")


class BatchRecordForm(RecordForm):
    people = TextAreaField(
        "学员", validators=[DataRequired("请填写至少一位学员")], render_kw={"rows": 6},
        description="每行一位：公民身份号码 姓名（以空格或逗号分隔），一次最多200位",
    )


class ScoreDeclareView(RecordDeclareView):
    """学员成绩申报 (002): an institution declares for the people enrolled in its classes — one at a time or
    批量申报 (one course, many students, a draft each) — routed to each person's unit at 送审; batch 送审 is
    the action on the ticked rows."""

    module = "record_score_declare"
    list_template = "records/score_list.html"

    @expose("/batch-new/", methods=("GET", "POST"))
    @reads()  # the people are posted as 公民身份号码 and 姓名, each checked by the workflow
    def batch_new_view(self):
        form = self._prepare(BatchRecordForm())
        del form.id_number
        del form.name
        if form.validate_on_submit():
            data = {name: form[name].data for name in FIELDS if name in form}
            outcome = run_form(form, lambda: ops.declare_many(current_actor(), form.people.data, **data))
            if outcome:
                flash(f"{outcome.message('保存')}。请在列表中勾选记录送审。", "success" if not outcome.skipped else "warning")
                return redirect(url_for(".index_view"))
        return self.render(
            "records/batch_form.html", form=form,
            hidden_fields=json.dumps(ops.hidden_by_code(), ensure_ascii=False),
        )


@built_once
def _reviewed_at(org_id: int):
    """记录审核's rows of an organisation."""
    return and_(Record.reviewer_org_id == org_id, Record.status != ApplicationStatus.DRAFT)


class RecordReviewForm(ReviewForm):
    approved_hours = StringField("认定学时", description="同意时填写；不填则按拟申报学时认定，不能超过拟申报学时")


class RecordReviewView(ReviewView):
    """继续教育记录认定 / 学时学分审批: records waiting at the acting organisation, whatever their source
    (person, unit, institution, 结业)."""

    module = "record_review"
    flow = ops.RECORD
    details_template = "records/review_details.html"
    column_list = [*LIST[:-3], "source", "year", "review_step", "status"]
    column_details_list = DETAILS
    column_export_list = [*column_list, "submitted_at"]
    column_labels = LABELS
    column_choices = CHOICES
    column_formatters = FORMATTERS
    column_formatters_detail = FORMATTERS
    column_formatters_export = FORMATTERS
    column_filters = [
        "course_type", "course_name",
        InFilter(Record.person_id, "姓名", lambda v: select(Person.id).where(contains(Person.name, v)),
                 kind="text", operation="包含"),
        InFilter(Record.person_id, "公民身份号码", lambda v: select(Person.id).where(Person.id_number == v.upper()),
                 kind="text", operation="等于"),
        "year", "source", "status",
    ]
    list_eager = PERSON_EAGER  # its 审核部门 is the acting organisation: not a column
    ids_first = True

    def scope(self):
        # What waits at, or was decided by, the acting organisation, drafts aside (ReviewView's rows).
        # Its `reviewer_org_id` is inside its visible(Record) for every actor (an organisation's own;
        # none for an actor without one), so AND-ing visible() as ReviewView does only built its OR
        # for the request and tested it on every candidate.
        org_id = current_actor().org_id
        return false() if org_id is None else _reviewed_at(org_id)

    def review_form(self) -> RecordReviewForm:
        form = RecordReviewForm()
        form.result.choices = self.outcomes
        return form

    def decide(self, row, form, actor) -> None:
        ops.decide(row, form.result.data, form.opinion.data, form.approved_hours.data, actor)

    def decide_many(self, rows, form, actor):
        return ops.decide_many(rows, form.result.data, form.opinion.data, actor)


VIEWS = [
    (RecordDeclareView, Record, "继续教育记录管理", "record_declare"),
    (ScoreDeclareView, Record, "继续教育记录管理", "record_score_declare"),
    (RecordReviewView, Record, "继续教育记录管理", "record_review"),
]
