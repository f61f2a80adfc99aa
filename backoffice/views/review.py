"""Review screens (审核法人单位 / 审核施教机构 / 审核行业主管部门 / 下级行业主管部门信息审核 /
审核机构信息修改): pending first, details with attachments and the 审批流程, the three outcomes, batch.

A review screen shows only rows routed to the acting organisation (reviewer_org_id), on top of the
model's scope rule; the decision itself is workflows.review, which re-checks state and routing.
"""
from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from sqlalchemy import and_, case
from sqlalchemy.orm import joinedload
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import attachments
from ..extensions import db
from ..forms import BaseForm
from ..labels import ApplicationStatus, CodeType, OrgKind
from ..models import OrgChange, Organisation
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows.orgs import APPLICATION, ORG_CHANGE
from ..workflows.review import OUTCOMES, ReviewError, history, review, review_many
from .base import ScopedModelView
from .filters import YearFilter
from .org import ORG_CHOICES, ORG_LABELS, OrgProfileView


class ReviewForm(BaseForm):
    result = RadioField("审核结果", choices=OUTCOMES, validators=[DataRequired("请选择审核结果")])
    opinion = TextAreaField("审核意见", validators=[Length(max=500, message="审核意见限500字")])


class ReviewView(ScopedModelView):
    """Base of every review screen. Subclasses set `flow` and the columns."""

    flow = None
    #: the 审核结果 this screen offers (a subset of workflows.review.OUTCOMES)
    outcomes = OUTCOMES
    details_template = "review/details.html"
    column_choices = {"status": ApplicationStatus.choices()}
    # The list opens on what waits for this organisation (清空 shows everything it reviewed).
    default_filters = {"status": ApplicationStatus.PENDING}

    def row_link_label(self, row) -> str:
        return "审核" if row.status == ApplicationStatus.PENDING else "查看"

    def scope(self):
        model = self.model
        return and_(
            super().scope(),
            model.reviewer_org_id == current_actor().org_id,
            model.status != ApplicationStatus.DRAFT,
        )

    def _get_default_order(self):
        # 待审核 first, then the most recently submitted. On a list of one state (it opens on 待审核) the
        # first key is the same for every row and is left out: the queue is then read in its order from
        # the reviewer's index, not gathered whole and sorted for every page (ix_record_reviewer_queue).
        if not self.pinned("status"):
            yield case((self.model.status == ApplicationStatus.PENDING, 0), else_=1), [], False
        yield self.model.submitted_at, [], True
        yield self.model.id, [], True

    # ---- details: the object, its attachments, its 审批流程 and the review form -----------------

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            row = kwargs["model"]
            kwargs.update(
                review_history=history(self.flow, row),
                review_form=self.review_form() if row.status == ApplicationStatus.PENDING else None,
                attachments=self.attachments_of(row),
            )
        return super().render(template, **kwargs)

    def review_form(self) -> ReviewForm:
        form = ReviewForm()
        form.result.choices = self.outcomes
        return form

    def attachments_of(self, row) -> list:
        return attachments.for_owner(self.flow.object_type, row.id)

    def decide(self, row, form, actor) -> None:
        """One decision; a kind whose review sets more than the state (e.g. 认定学时) calls its workflow."""
        review(self.flow, row, form.result.data, form.opinion.data, actor)

    def decide_many(self, rows, form, actor):
        return review_many(self.flow, rows, form.result.data, form.opinion.data, actor)

    @expose("/review/", methods=["POST"])
    @reads(id=OWN)
    def review_view(self):
        row = self.get_one(request.args.get("id"))
        form = self.review_form()
        if not form.validate_on_submit():
            for errors in form.errors.values():
                flash("；".join(errors), "error")
            return redirect(url_for(".details_view", id=row.id))
        try:
            self.decide(row, form, current_actor())
        except ReviewError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(url_for(".details_view", id=row.id))
        db.session.commit()
        flash(f"审核完成：{row}", "success")
        return redirect(url_for(".index_view"))

    # ---- 批量审核: the action picks rows, a page asks for the outcome and opinion ----------------

    @action("batch_review", "批量审核")
    def action_batch_review(self, ids):
        return redirect(url_for(".batch_view", id=ids))

    @expose("/batch/", methods=["GET", "POST"])
    @reads(id=OWN)
    def batch_view(self):
        rows = self.scoped_rows(request.values.getlist("id"))
        if not rows:
            flash("请先勾选要审核的记录", "warning")
            return redirect(url_for(".index_view"))
        form = self.review_form()
        if form.validate_on_submit():
            try:
                outcome = self.decide_many(rows, form, current_actor())
            except ReviewError as error:
                db.session.rollback()
                form.opinion.errors = [*form.opinion.errors, str(error)]
            else:
                db.session.commit()
                flash(outcome.message(), "success" if not outcome.skipped else "warning")
                return redirect(url_for(".index_view"))
        return self.render("review/batch.html", rows=rows, form=form, list_columns=self._list_columns)


ORG_REVIEW_LABELS = {
    **ORG_LABELS,
    "reviewer_org": "审核部门",
    "submitted_at": "送审时间",
    "year": "年度",
}


class OrgReviewView(ReviewView):
    """角色申请 of one kind of organisation routed to the acting organisation."""

    flow = APPLICATION
    org_kind: str = ""
    column_list = ["name", "code", "contact_name", "office_phone", "reviewer_org", "status", "submitted_at"]
    column_details_list = [*OrgProfileView.column_details_list, "reviewer_org", "submitted_at"]
    column_labels = ORG_REVIEW_LABELS
    column_choices = ORG_CHOICES
    column_searchable_list = ["name", "code"]
    column_filters = ["status", YearFilter(Organisation.submitted_at, "年度")]
    list_eager = (joinedload(Organisation.reviewer_org),)

    def scope(self):
        return and_(super().scope(), Organisation.kind == self.org_kind)


class UnitReviewView(OrgReviewView):
    module = "review_units"
    org_kind = OrgKind.UNIT


class InstitutionReviewView(OrgReviewView):
    module = "review_institutions"
    org_kind = OrgKind.INSTITUTION


class IndustryReviewView(OrgReviewView):
    module = "review_industries"
    org_kind = OrgKind.INDUSTRY


class SubIndustryReviewView(OrgReviewView):
    module = "review_sub_industries"
    org_kind = OrgKind.INDUSTRY


class HrReviewView(OrgReviewView):
    """审核人社部门 (002): subordinate HR departments that registered themselves, routed to the HR above."""

    module = "review_hr"
    org_kind = OrgKind.HR


def _code_change(view, context, model, name):
    before = model.before or {}
    old = f"{CodeType.label(before.get('code_type'))} {before.get('code', '')}"
    new = f"{CodeType.label(model.code_type)} {model.code}"
    return new if old == new else f"{old} → {new}"


def _superior_change(view, context, model, name):
    old = (model.before or {}).get("superior", "")
    new = model.superior.name if model.superior else ""
    return new if old == new else f"{old} → {new}"


class OrgChangeReviewView(ReviewView):
    """审核机构信息修改: code and superior changes, shown as before → after."""

    module = "review_org_changes"
    flow = ORG_CHANGE
    column_list = ["org", "code", "superior", "reason", "status", "submitted_at"]
    column_details_list = ["org", "code", "superior", "reason", "status", "submitted_at"]
    column_labels = {
        "org": "单位名称",
        "code": "单位代码（修改前 → 修改后）",
        "superior": "上级部门（修改前 → 修改后）",
        "reason": "修改原因",
        "status": "审核状态",
        "submitted_at": "送审时间",
        "org.name": "单位名称",
    }
    column_formatters = {"code": _code_change, "superior": _superior_change}
    column_formatters_export = column_formatters
    column_searchable_list = ["org.name"]
    column_filters = ["status", YearFilter(OrgChange.submitted_at, "年度")]
    list_eager = (joinedload(OrgChange.org), joinedload(OrgChange.superior))


VIEWS = [
    (UnitReviewView, Organisation, "审核管理", "review_units"),
    (InstitutionReviewView, Organisation, "审核管理", "review_institutions"),
    (IndustryReviewView, Organisation, "审核管理", "review_industries"),
    (SubIndustryReviewView, Organisation, "审核管理", "review_sub_industries"),
    (HrReviewView, Organisation, "审核管理", "review_hr"),
    (OrgChangeReviewView, OrgChange, "审核管理", "review_org_changes"),
]
