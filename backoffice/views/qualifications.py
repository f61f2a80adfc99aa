"""施教机构专业培训资格申请 (institution) and 施教机构专业培训资格审核 (industry, 004 §1.5.2).

The institution picks one or more 专业系列 (one application each), adds attachments and 送审s; a
province-level institution is approved at once. The review screen is the shared ReviewView."""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from sqlalchemy import and_
from sqlalchemy.orm import joinedload
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import BaseForm
from ..labels import ApplicationStatus, RegionLevel
from ..models import Qualification
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import qualifications as ops
from ..workflows.review import history
from .actions import BatchMixin, attempt
from .base import ScopedModelView
from .filters import YearFilter
from .review import ReviewView
from .training_common import STATUS_CHOICES, AttachmentPages, run_form

LABELS = {
    "institution": "机构名称",
    "institution.name": "机构名称",
    "institution.code": "机构代码",
    "institution.level": "机构/基地级别",
    "institution.legal_rep": "法人姓名",
    "institution.contact_name": "联系人姓名",
    "institution.office_phone": "联系人电话",
    "institution.email": "联系人邮箱",
    "institution.address": "机构详细地址",
    "institution.profile": "机构基地简介",
    "series": "申请培训专业",
    "note": "申请说明",
    "reviewer_org": "审核部门",
    "step": "审核环节",
    "status": "审核状态",
    "submitted_at": "送审时间",
    "created_at": "申请时间",
}
FORMATTERS = {
    "step": lambda v, c, m, n: ops.QUALIFICATION.step if m.status != ApplicationStatus.DRAFT else "",
    "institution.level": lambda v, c, m, n: RegionLevel.label(m.institution.level),
}
EAGER = (joinedload(Qualification.institution), joinedload(Qualification.series), joinedload(Qualification.reviewer_org))


class ApplyForm(BaseForm):
    series_ids = SelectMultipleField(
        "申请培训专业", validate_choice=False, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )
    note = TextAreaField(
        "申请说明", validators=[Length(max=ops.NOTE_MAX, message=f"申请说明限{ops.NOTE_MAX}字")],
        description=f"限{ops.NOTE_MAX}字", render_kw={"rows": 3, "maxlength": ops.NOTE_MAX},
    )


class NoteForm(BaseForm):
    note = ApplyForm.note


class QualificationApplyView(AttachmentPages, BatchMixin, ScopedModelView):
    """施教机构专业培训资格申请: the institution's own applications."""

    module = "qualification_apply"
    attachment_owner = "qualification"
    can_create = True
    can_edit = True
    can_delete = True
    form = ApplyForm
    create_template = "training/qualification_apply.html"
    details_template = "training/qualification_details.html"
    column_list = ["series", "note", "reviewer_org", "step", "status", "submitted_at"]
    column_details_list = ["institution", "series", "note", "reviewer_org", "step", "status", "submitted_at"]
    column_export_list = column_list
    column_labels = LABELS
    column_choices = {"status": STATUS_CHOICES}
    column_formatters = FORMATTERS
    column_formatters_detail = FORMATTERS
    column_formatters_export = FORMATTERS
    column_filters = ["status"]
    list_eager = EAGER

    def scope(self):
        return and_(super().scope(), Qualification.institution_id == current_actor().org_id)

    def attachments_editable(self, row) -> bool:
        return ops.editable(row)

    def _prepare(self, form):
        form.series_ids.choices = [(str(s.id), s.name) for s in ops.applicable_series(current_actor())]
        return form

    def create_form(self, obj=None):
        return self._prepare(ApplyForm())

    def edit_form(self, obj=None):
        return NoteForm(obj=obj)

    def create_model(self, form):
        rows = run_form(form, lambda: ops.apply(current_actor(), form.series_ids.data, form.note.data))
        return rows[0] if rows else False

    def update_model(self, form, model):
        return run_form(form, lambda: ops.save_note(model, current_actor(), form.note.data)) is not False

    def delete_model(self, model):
        return attempt(lambda: ops.delete_application(model, current_actor())) is not False

    def get_save_return_url(self, model, is_created=False):
        return url_for(".details_view", id=model.id) if not is_created else url_for(".index_view")

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):
        row = self.get_one(request.args.get("id"))
        if not ops.editable(row):
            flash("已送审的申请不能再修改", "error")
            return self._back(row)
        return super().edit_view()

    def render(self, template, **kwargs):
        if template == self.create_template:
            kwargs["is_province"] = self._is_province()
        if template == self.details_template and "model" in kwargs:
            row = kwargs["model"]
            kwargs.update(
                editable=ops.editable(row),
                review_history=history(ops.QUALIFICATION, row),
                **self.attachment_context(row),
            )
        return super().render(template, **kwargs)

    @staticmethod
    def _is_province() -> bool:
        return current_actor().region_level == RegionLevel.PROVINCE

    @expose("/submit/", methods=("POST",))
    @reads(id=OWN)
    def submit_view(self):
        row = self.get_one(request.args.get("id"))
        if not BaseForm().validate_on_submit():
            flash("页面已过期，请刷新后重试", "error")
            return self._back(row)
        outcome = attempt(lambda: ops.submit_application(row, current_actor()))
        if outcome is False:
            return self._back(row)
        if outcome is True:  # no reviewer: approved at once
            flash(f"{row.series.name}：{ops.AUTO_APPROVED}", "success")
        else:
            flash(f"已送审，审核部门：{outcome.name}", "success")
        return redirect(url_for(".index_view"))

    @action("submit", "送审", "确定要送审选中的申请吗？送审后不能再修改。")
    def action_submit(self, ids):
        self._batch(ids, ops.submit_application, "送审")

    @action("delete", "删除", "确定要删除选中的申请吗？")
    def action_delete(self, ids):
        self._batch(ids, ops.delete_application, "删除")

    @staticmethod
    def row_label(row) -> str:
        return row.series.name


class QualificationReviewView(ReviewView):
    """施教机构专业培训资格审核: applications routed to the acting industry department."""

    module = "qualification_review"
    flow = ops.QUALIFICATION
    details_template = "training/qualification_review_details.html"
    column_list = ["institution.name", "institution.code", "series", "reviewer_org", "step", "status", "submitted_at"]
    column_details_list = [
        "institution.name", "institution.code", "institution.level", "institution.legal_rep",
        "institution.contact_name", "institution.office_phone", "institution.email", "institution.address",
        "institution.profile", "series", "note", "reviewer_org", "step", "status", "submitted_at",
    ]
    column_export_list = column_list
    column_labels = LABELS
    column_choices = {"status": STATUS_CHOICES}
    column_formatters = FORMATTERS
    column_formatters_detail = FORMATTERS
    column_formatters_export = FORMATTERS
    column_filters = ["status", YearFilter(Qualification.submitted_at, "年度")]
    list_eager = EAGER


VIEWS = [
    (QualificationApplyView, Qualification, "培训资格管理", "qualification_apply"),
    (QualificationReviewView, Qualification, "审核管理", "qualification_review"),
]
