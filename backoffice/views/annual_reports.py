"""年度报告管理 (institution; 002 年审报告管理) and 审核继续教育基地年度报告 (HR).

The institution adds a report (年度, 报告名称, 备注), uploads its attachment on the report's page and
申报s it; until 申报 it may be changed and deleted. HR of the region reviews it on the shared ReviewView.
The rules are `workflows/annual_reports.py`."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from sqlalchemy import and_
from sqlalchemy.orm import joinedload
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import BaseForm
from ..models import AnnualReport
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import annual_reports as ops
from ..workflows.review import history
from .actions import BatchMixin, attempt
from .base import ScopedModelView
from .records import OnlyWhen
from .review import ReviewView
from .training_common import STATUS_CHOICES, AttachmentPages, run_form

LABELS = {
    "institution": "施教机构",
    "institution.name": "施教机构",
    "year": "年度",
    "name": "报告名称",
    "note": "备注",
    "reviewer_org": "审核部门",
    "status": "审核状态",
    "submitted_at": "申报时间",
    "created_at": "创建时间",
}
EAGER = (joinedload(AnnualReport.institution), joinedload(AnnualReport.reviewer_org))


class ReportForm(BaseForm):
    year = SelectField("年度", validators=[DataRequired("请选择年度")])
    name = StringField(
        "报告名称", validators=[DataRequired("请填写报告名称"), Length(max=ops.NAME_MAX, message=f"报告名称限{ops.NAME_MAX}字")],
        description=f"限{ops.NAME_MAX}字", render_kw={"maxlength": ops.NAME_MAX},
    )
    note = TextAreaField(
        "备注", validators=[Length(max=ops.NOTE_MAX, message=f"备注限{ops.NOTE_MAX}字")],
        description=f"限{ops.NOTE_MAX}字", render_kw={"rows": 3, "maxlength": ops.NOTE_MAX},
    )


class AnnualReportView(AttachmentPages, BatchMixin, ScopedModelView):
    """年度报告管理: the institution's own reports."""

    module = "annual_report"
    attachment_owner = ops.ANNUAL_REPORT.object_type
    read_only_message = ops.READ_ONLY
    can_create = True
    can_edit = True
    can_delete = True
    form = ReportForm
    details_template = "annual_reports/details.html"
    column_list = ["year", "name", "reviewer_org", "status", "submitted_at"]
    column_details_list = ["institution", "year", "name", "note", "reviewer_org", "status", "submitted_at"]
    column_export_list = column_list
    column_labels = LABELS
    column_choices = {"status": STATUS_CHOICES}
    column_filters = ["year", "status"]
    column_default_sort = [("year", True)]
    list_eager = EAGER

    def scope(self):
        return and_(super().scope(), AnnualReport.institution_id == current_actor().org_id)

    def attachments_editable(self, row) -> bool:
        return ops.editable(row)

    def get_list_row_actions(self):
        when = {"edit": ops.editable, "delete": ops.deletable}
        return [
            OnlyWhen(a, when[a.macro]) if getattr(a, "macro", None) in when else a
            for a in super().get_list_row_actions()
        ]

    def _prepare(self, form, row=None):
        form.year.choices = [("", "请选择…")] + [(str(y), str(y)) for y in ops.year_choices()]
        if request.method == "GET" and row is not None:
            form.year.data = str(row.year)
        return form

    def create_form(self, obj=None):
        return self._prepare(ReportForm())

    def edit_form(self, obj=None):
        return self._prepare(ReportForm(obj=obj), obj)

    def _save(self, form, row):
        return run_form(form, lambda: ops.save_report(
            row, current_actor(), year=form.year.data, name=form.name.data, note=form.note.data,
        ))

    def create_model(self, form):
        return self._save(form, None)

    def update_model(self, form, model):
        return self._save(form, model) is not False

    def delete_model(self, model):
        return attempt(lambda: ops.delete_report(model, current_actor())) is not False

    def get_save_return_url(self, model, is_created=False):
        return url_for(".details_view", id=model.id)

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        row = self.get_one(request.args.get("id"))
        if not ops.editable(row):
            flash(ops.READ_ONLY, "error")
            return self._back(row)
        return super().edit_view()

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            row = kwargs["model"]
            kwargs.update(
                editable=ops.editable(row), deletable=ops.deletable(row),
                review_history=history(ops.ANNUAL_REPORT, row), **self.attachment_context(row),
            )
        return super().render(template, **kwargs)

    @expose("/submit/", methods=("POST",))
    @reads(id=OWN)
    def submit_view(self):
        row = self.get_one(request.args.get("id"))
        if not BaseForm().validate_on_submit():
            flash("页面已过期，请刷新后重试", "error")
            return self._back(row)
        reviewer = attempt(lambda: ops.submit_report(row, current_actor()))
        if reviewer is False:
            return self._back(row)
        flash(f"已申报，审核部门：{reviewer.name}", "success")
        return redirect(url_for(".index_view"))

    @action("submit", "申报", "确定要申报选中的年度报告吗？申报后不能再修改或删除。")
    def action_submit(self, ids):
        self._batch(ids, ops.submit_report, "申报")

    @action("delete", "删除", "确定要删除选中的年度报告吗？")
    def action_delete(self, ids):
        self._batch(ids, ops.delete_report, "删除")

    @staticmethod
    def row_label(row) -> str:
        return f"{row.year}年度 {row.name}"


class AnnualReportReviewView(ReviewView):
    """审核继续教育基地年度报告: reports routed to the acting HR organisation."""

    module = "annual_report_review"
    flow = ops.ANNUAL_REPORT
    column_list = ["institution.name", "year", "name", "status", "submitted_at"]
    column_details_list = ["institution", "year", "name", "note", "reviewer_org", "status", "submitted_at"]
    column_export_list = column_list
    column_labels = LABELS
    column_choices = {"status": STATUS_CHOICES}
    column_filters = ["year", "status"]
    list_eager = EAGER

    def decide(self, row, form, actor) -> None:
        ops.decide(row, form.result.data, form.opinion.data, actor)

    def decide_many(self, rows, form, actor):
        return ops.decide_many(rows, form.result.data, form.opinion.data, actor)


VIEWS = [
    (AnnualReportView, AnnualReport, "年度报告管理", "annual_report"),
    (AnnualReportReviewView, AnnualReport, "审核管理", "annual_report_review"),
]
