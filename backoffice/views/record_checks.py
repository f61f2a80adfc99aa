"""学时学分审验 (002, issue 11 item 3): HR lists the approved records of its region's people, 随机抽查 N of a
year, and passes or fails them one by one or in a batch. Every change is `workflows.record_checks`."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from sqlalchemy import and_, select
from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from ..extensions import db
from ..forms import BaseForm
from ..labels import ApplicationStatus
from ..models import Organisation, Person, Record
from ..models.base import sql_constant
from ..policy import current_actor
from ..policy.scope import built_once, records_of_region
from ..route_params import OWN, reads
from ..workflows import WorkflowError
from ..workflows import record_checks as ops
from ..workflows.declarations import RECORD
from ..workflows.review import OPINION_MAX, ReviewError, history
from .base import ScopedModelView
from .records import CHOICES, DETAILS, FORMATTERS, LABELS, PERSON_EAGER
from .training_common import InFilter, contains

OUTCOMES = [("pass", "审验通过"), ("fail", "审验不通过")]


@built_once
def _approved(records):
    """已通过 records among `records` (records_of_region's)."""
    return and_(records, Record.status == sql_constant(ApplicationStatus.APPROVED))


class CheckedFilter(BaseSQLAFilter):
    """审验状态: 未审验 / 已审验 (`checked_hours` empty or not)."""

    def __init__(self, column, name):
        super().__init__(column, name, options=[("no", "未审验"), ("yes", "已审验")])

    def validate(self, value) -> bool:
        return value in ("no", "yes")

    def apply(self, query, value, alias=None):
        column = self.get_column(alias)
        return query.filter(column.is_(None) if value == "no" else column.isnot(None))

    def operation(self) -> str:
        return "等于"


def _checked(view, context, model, name) -> str:
    return "未审验" if model.checked_hours is None else f"已审验（{model.checked_hours}学时）"


class CheckForm(BaseForm):
    result = RadioField("审验结果", choices=OUTCOMES, validators=[DataRequired("请选择审验结果")])
    checked_hours = StringField("审验学时", description="审验通过时填写；不填则等于认定学时，可以更低，不能更高")
    opinion = TextAreaField(
        "审验意见", validators=[Length(max=OPINION_MAX, message=f"审验意见限{OPINION_MAX}字")],
        description="审验不通过时必须填写原因（限500字）",
    )


class SampleForm(BaseForm):
    year = IntegerField("年度", validators=[DataRequired("请填写年度"), NumberRange(2000, 2100, "年度不正确")])
    count = IntegerField(
        "抽查条数", validators=[DataRequired("请填写抽查条数"), NumberRange(1, ops.SAMPLE_MAX, "抽查条数须在1至200之间")],
        description=f"从本区域该年度已通过、未审验的记录中随机抽取，1至{ops.SAMPLE_MAX}条",
    )


class RecordCheckView(ScopedModelView):
    """学时学分审验: 已通过 records of the people of the HR's region; opens on 未审验."""

    module = ops.MODULE
    details_template = "records/check_details.html"
    list_template = "records/check_list.html"
    column_list = [
        "person.name", "person.id_number", "course_type", "course_name", "year", "declared_hours",
        "approved_hours", "checked_hours",
    ]
    column_details_list = [*DETAILS[:DETAILS.index("approved_hours") + 1], "checked_hours",
                           *DETAILS[DETAILS.index("approved_hours") + 1:]]
    column_export_list = column_list
    column_labels = LABELS
    column_choices = CHOICES
    column_formatters = {**FORMATTERS, "checked_hours": _checked}
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters
    column_filters = [
        "year", "course_type",
        InFilter(Record.person_id, "姓名", lambda v: select(Person.id).where(contains(Person.name, v)),
                 kind="text", operation="包含"),
        InFilter(Record.person_id, "公民身份号码", lambda v: select(Person.id).where(Person.id_number == v.upper()),
                 kind="text", operation="等于"),
        InFilter(Record.person_id, "工作单位", lambda v: select(Person.id).where(Person.unit_id.in_(
            select(Organisation.id).where(contains(Organisation.name, v)))), kind="text", operation="包含"),
        CheckedFilter(Record.checked_hours, "审验状态"),
    ]
    default_filters = {"checked_hours": "no"}
    column_default_sort = [("id", True)]
    list_eager = PERSON_EAGER
    ids_first = True  # a province's approved records: millions of rows
    simple_list_pager = True  # and no count(*) of them on every page

    def scope(self):
        # records_of_region and 已通过 imply the HR's visible(Record) (its region's people's declared
        # records), and records_of_region is false for any other actor: AND-ing visible() too would
        # only make PostgreSQL evaluate its OR for every row (0.4 s at 1,000,000 records, page 1).
        # 已通过 is written into the SQL, not bound: with 未审验 (`checked_hours IS NULL`) it is then the
        # condition of ix_record_to_check, which neither database matches against a bound parameter.
        return _approved(records_of_region(current_actor()))

    def row_link_label(self, row) -> str:
        return "审验" if row.checked_hours is None else "查看"

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            record = kwargs["model"]
            kwargs.update(
                review_history=history(RECORD, record),
                check_form=CheckForm() if record.checked_hours is None else None,
            )
        return super().render(template, **kwargs)

    @expose("/check/", methods=("POST",))
    @reads(id=OWN)
    def check_view(self):
        record = self.get_one(request.args.get("id"))
        form = CheckForm()
        if not form.validate_on_submit():
            for errors in form.errors.values():
                flash("；".join(errors), "error")
            return redirect(url_for(".details_view", id=record.id))
        passed = form.result.data == "pass"
        try:
            ops.check(record, passed, form.opinion.data, form.checked_hours.data, current_actor())
        except ReviewError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for(".details_view", id=record.id))
        db.session.commit()
        flash(f"审验{'通过' if passed else '不通过，记录已退回申报人'}：{record}", "success")
        return redirect(url_for(".index_view"))

    @action("batch_check", "批量审验")
    def action_batch_check(self, ids):
        return redirect(url_for(".batch_view", id=ids))

    @expose("/batch/", methods=("GET", "POST"))
    @reads(id=OWN)
    def batch_view(self):
        rows = self.scoped_rows(request.values.getlist("id"))
        if not rows:
            flash("请先勾选要审验的记录", "warning")
            return redirect(url_for(".index_view"))
        form = CheckForm()
        del form.checked_hours
        if form.validate_on_submit():
            try:
                outcome = ops.check_many(rows, form.result.data == "pass", form.opinion.data, current_actor())
            except ReviewError as error:
                db.session.rollback()
                form.opinion.errors = [*form.opinion.errors, str(error)]
            else:
                db.session.commit()
                flash(outcome.message("审验"), "success" if not outcome.skipped else "warning")
                return redirect(url_for(".index_view"))
        return self.render("records/check_batch.html", rows=rows, form=form, list_columns=self._list_columns)

    @expose("/sample/", methods=("GET", "POST"))
    @reads()  # a year and a count; the rows are chosen inside the checker's scope
    def sample_view(self):
        form = SampleForm()
        if request.method == "GET" and not form.year.data:
            form.year.data = None
        if form.validate_on_submit():
            try:
                ids = ops.sample(current_actor(), form.year.data, form.count.data)
            except WorkflowError as error:
                form.count.errors = [*form.count.errors, str(error)]
            else:
                if not ids:
                    flash(f"{form.year.data}年度没有未审验的已通过记录", "warning")
                    return redirect(url_for(".index_view"))
                flash(f"已随机抽取{len(ids)}条记录，请审验", "info")
                return redirect(url_for(".batch_view", id=ids))
        return self.render("records/check_sample.html", form=form)


VIEWS = [(RecordCheckView, Record, "继续教育记录管理", "record_check")]
