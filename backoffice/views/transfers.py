"""人员调转 (manual 002 用人单位): 人员调出, 人员调入, 调转记录.

The screens declare; every change goes through `workflows.transfers`, which re-checks state and side,
so a crafted POST meets the same rules as the buttons. Rows come through the Transfer scope rule (both
units of a transfer see it) narrowed to the screen's side.
"""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from sqlalchemy import and_, case, select
from sqlalchemy.orm import joinedload
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, Length, ValidationError

from ..extensions import db
from ..fields import UnitField
from ..formatting import dictionary_name
from ..forms import BaseForm
from ..labels import DictionaryCategory, ReviewResult, Sex, TitleLevel, TransferStatus
from ..models import Person, Transfer
from ..policy import current_actor, visible
from ..policy.scope import own_transfers, staff_of
from ..route_params import OWN, reads
from ..workflows import WorkflowError
from ..workflows import transfers as ops
from .base import ScopedModelView
from .filters import YearFilter
from .actions import BatchMixin, Refusal, attempt, attempt_quietly

TRANSFER_LABELS = {
    "person": "姓名",
    "person.name": "姓名",
    "person.id_number": "公民身份号码",
    "direction": "调转方向",
    "from_unit": "调出单位",
    "to_unit": "调入单位",
    "status": "调转状态",
    "reason": "调出说明",
    "opinion": "调入意见",
    "created_at": "申请时间",
    "decided_at": "办理时间",
}
TRANSFER_DETAILS = [
    "person.name", "person.id_number", "from_unit", "to_unit", "status", "reason", "created_at",
    "opinion", "decided_at",
]


#: what each 审批流程 event of a transfer means to the people reading it
HISTORY_RESULTS = {
    (ops.STEP_OUT, ReviewResult.SUBMIT): "发出调出请求",
    (ops.STEP_IN, ReviewResult.APPROVE): "确认调入",
    (ops.STEP_IN, ReviewResult.CLOSE): "拒绝调入",
    (ops.STEP_CANCEL, ReviewResult.CLOSE): "撤销调出",
}


def history_rows(transfer) -> list[tuple]:
    """The transfer's 办理过程 as (ReviewLog, 办理结果) pairs, oldest first."""
    return [
        (log, HISTORY_RESULTS.get((log.step, log.result), ReviewResult.label(log.result)))
        for log in ops.history(transfer)
    ]


def _direction(view, context, model, name):
    return "调入" if model.to_unit_id == current_actor().org_id else "调出"


def profile_rows(person) -> list[tuple[str, str]]:
    """The person's profile as the receiving unit reads it through the transfer (label, value)."""
    def text(value):
        return "" if value is None else str(value)

    return [
        ("姓名", person.name),
        ("性别", Sex.label(person.sex)),
        ("公民身份号码", person.id_number),
        ("出生日期", text(person.birth_date)),
        ("民族", dictionary_name(DictionaryCategory.ETHNICITY, person.ethnicity_code)),
        ("籍贯", text(person.native_place)),
        ("最高学历", dictionary_name(DictionaryCategory.EDUCATION, person.education_code)),
        ("最高学位", dictionary_name(DictionaryCategory.DEGREE, person.degree_code)),
        ("所学专业", text(person.major)),
        ("毕业院校", text(person.school)),
        ("毕业时间", text(person.graduated_on)),
        ("参加工作时间", text(person.work_started_on)),
        ("专业技术任职资格", text(person.title)),
        ("资格级别", TitleLevel.label(person.title_level)),
        ("取得资格时间", text(person.title_obtained_on)),
        ("专业系列", person.series.name if person.series else ""),
        ("从事专业", text(person.specialty)),
        ("联系电话", text(person.phone)),
        ("邮箱", text(person.email)),
        ("工作单位", person.unit.name if person.unit else ""),
    ]


# ---- forms ------------------------------------------------------------------------------------


def _unit_required(form, field):
    if field.data is None and not getattr(field, "_raw", ""):
        raise ValidationError("请选择调入单位")


class TransferOutForm(BaseForm):
    person_id = HiddenField()
    to_unit = UnitField("调入单位", validators=[_unit_required])
    reason = TextAreaField("调出说明", validators=[Length(max=ops.TEXT_MAX, message="调出说明限200字")])


class DecisionForm(BaseForm):
    decision = StringField(validators=[AnyOf(["accept", "refuse"], message="请选择确认调入或拒绝调入")])
    opinion = TextAreaField("调入意见", validators=[Length(max=ops.TEXT_MAX, message="调入意见限200字")])


class CancelForm(BaseForm):
    """Only the CSRF token: 撤销 carries no data besides the row in the URL."""


def _errors(form) -> str:
    return "；".join(e for errors in form.errors.values() for e in errors)


# ---- the three screens ------------------------------------------------------------------------


class TransferBase(BatchMixin, ScopedModelView):
    column_list = ["person.name", "person.id_number", "from_unit", "to_unit", "status", "created_at"]
    column_details_list = TRANSFER_DETAILS
    column_export_list = [*TRANSFER_DETAILS]
    column_labels = TRANSFER_LABELS
    column_choices = {"status": TransferStatus.choices()}
    column_searchable_list = ["person.name", "person.id_number"]
    column_filters = ["status", YearFilter(Transfer.created_at, "年度")]
    column_sortable_list = ["status", "created_at", "decided_at"]
    details_template = "transfers/details.html"
    list_eager = (
        joinedload(Transfer.person),
        joinedload(Transfer.from_unit),
        joinedload(Transfer.to_unit),
    )
    #: which side of the transfer this screen is for (a Transfer column name), or None for both
    side: str | None = None
    #: show the person's profile on the details page while the transfer is in one of these states
    profile_states: tuple = ()

    def scope(self):
        # the acting organisation's own side (an HR's visible(Transfer) is its region's transfers)
        condition = and_(super().scope(), own_transfers(current_actor()))
        if self.side is not None:
            condition = and_(condition, getattr(Transfer, self.side) == current_actor().org_id)
        return condition

    def _get_default_order(self):
        pending_first = case((Transfer.status == TransferStatus.PENDING, 0), else_=1)
        yield pending_first, [], False
        yield Transfer.created_at, [], True
        yield Transfer.id, [], True

    @staticmethod
    def row_label(row) -> str:
        return row.person.name

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            row = kwargs["model"]
            kwargs.update(
                history=history_rows(row),
                profile=profile_rows(row.person) if row.status in self.profile_states else None,
                decision_form=self.decision_form(row),
                cancel_form=self.cancel_form(row),
            )
        return super().render(template, **kwargs)

    def decision_form(self, row):
        return None

    def cancel_form(self, row):
        return None

    def _back_to(self, row):
        return redirect(url_for(".details_view", id=row.id))


class TransferOutView(TransferBase):
    """人员调出: this unit's outgoing requests; 新增调出 and 撤销."""

    module = "transfer_out"
    side = "from_unit_id"
    list_template = "transfers/out_list.html"
    column_list = ["person.name", "person.id_number", "to_unit", "status", "created_at", "decided_at"]
    profile_states = (TransferStatus.PENDING,)

    def cancel_form(self, row):
        return CancelForm() if row.status == TransferStatus.PENDING else None

    # ---- 新增调出: pick a person, see their details, choose the receiving unit -----------------

    @expose("/request/", methods=("GET", "POST"))
    @reads(person_id=Person)
    def request_view(self):
        actor = current_actor()
        person_id = request.values.get("person_id")
        if not person_id:
            search = request.args.get("q", "")
            people = ops.candidates(actor, search, limit=21)
            return self.render(
                "transfers/pick_person.html",
                people=people[:20],
                more=len(people) > 20,
                search=search,
                busy=ops.persons_with_pending(p.id for p in people),
            )
        try:
            person = ops.outgoing_person(actor, person_id)
        except WorkflowError as error:
            if not self._sees_person(person_id):
                abort(404)  # another organisation's person: as if there were none
            flash(str(error), "error")
            return redirect(url_for(".request_view"))
        form = TransferOutForm()
        form.to_unit.exclude_id = actor.org_id
        error = None
        if form.validate_on_submit():
            transfer = attempt_quietly(
                lambda: ops.request_transfer(person.id, form.to_unit.data, form.reason.data, actor)
            )
            if isinstance(transfer, Refusal):
                error = transfer
            else:
                flash(
                    f"已向{transfer.to_unit.name}发出{person.name}的调出请求，对方确认调入后即调转成功",
                    "success",
                )
                return redirect(url_for(".index_view"))
        pending = ops.pending_transfer_of(person.id)
        return self.render(
            "transfers/new.html", person=person, profile=profile_rows(person), form=form, error=error,
            pending=pending,
        )

    @staticmethod
    def _sees_person(person_id) -> bool:
        try:
            key = int(person_id)
        except (TypeError, ValueError):
            return False
        if not -(2**31) <= key < 2**31:
            return False
        # the screen's people are the organisation's own (an HR's visible(Person) is its region)
        actor = current_actor()
        return db.session.scalar(
            select(Person.id).where(Person.id == key, visible(Person, actor), staff_of(actor))
        ) is not None

    # ---- 撤销 --------------------------------------------------------------------------------

    @expose("/cancel/", methods=("POST",))
    @reads(id=OWN)
    def cancel_view(self):
        row = self.get_one(request.args.get("id"))
        form = CancelForm()
        if not form.validate_on_submit():
            flash(_errors(form) or "请求无效，请刷新页面后重试", "error")
            return self._back_to(row)
        if attempt(lambda: ops.cancel_transfer(row, current_actor())) is False:
            return self._back_to(row)
        flash(f"已撤销{row.person.name}的调出请求", "success")
        return redirect(url_for(".index_view"))

    @action("cancel", "撤销", "确定要撤销选中的调出请求吗？")
    def action_cancel(self, ids):
        self._batch(ids, ops.cancel_transfer, "撤销")


class TransferInView(TransferBase):
    """人员调入: requests addressed to this unit, 待调入确认 first; 确认调入 / 拒绝调入."""

    module = "transfer_in"
    side = "to_unit_id"
    column_list = ["person.name", "person.id_number", "from_unit", "status", "created_at", "decided_at"]
    profile_states = (TransferStatus.PENDING, TransferStatus.ACCEPTED)
    default_filters = {"status": TransferStatus.PENDING}

    def row_link_label(self, row) -> str:
        return "审核" if row.status == TransferStatus.PENDING else "查看"

    def decision_form(self, row):
        return DecisionForm() if row.status == TransferStatus.PENDING else None

    @expose("/decide/", methods=("POST",))
    @reads(id=OWN)
    def decide_view(self):
        row = self.get_one(request.args.get("id"))
        form = DecisionForm()
        if not form.validate_on_submit():
            flash(_errors(form), "error")
            return self._back_to(row)
        actor = current_actor()
        if form.decision.data == "accept":
            decided = attempt(lambda: ops.accept_transfer(row, actor, form.opinion.data))
        else:
            decided = attempt(lambda: ops.refuse_transfer(row, form.opinion.data, actor))
        if decided is False:
            return self._back_to(row)
        if form.decision.data == "accept":
            flash(f"{row.person.name}已调入本单位", "success")
        else:
            flash(f"已拒绝{row.person.name}调入本单位", "success")
        return redirect(url_for(".index_view"))

    @action("accept", "确认调入", "确定要确认调入选中的人员吗？确认后人员即调入本单位。")
    def action_accept(self, ids):
        self._batch(ids, ops.accept_transfer, "确认调入")

    @action("refuse", "拒绝调入")
    def action_refuse(self, ids):
        return redirect(url_for(".batch_view", id=ids, decision="refuse"))

    @expose("/batch/", methods=("GET", "POST"))
    @reads(id=OWN)
    def batch_view(self):
        rows = self.scoped_rows(request.values.getlist("id"))
        if not rows:
            flash("请先选择要操作的记录", "warning")
            return redirect(url_for(".index_view"))
        form = DecisionForm()
        if request.method == "GET":
            form.decision.data = request.args.get("decision", "refuse")
        if form.validate_on_submit():
            actor = current_actor()
            try:
                if form.decision.data == "accept":
                    outcome = ops.accept_many(rows, actor)
                else:
                    outcome = ops.refuse_many(rows, form.opinion.data, actor)
            except WorkflowError as error:
                db.session.rollback()
                form.opinion.errors = [*form.opinion.errors, str(error)]
            else:
                db.session.commit()
                verb = "确认调入" if form.decision.data == "accept" else "拒绝调入"
                flash(outcome.message(verb), "success" if not outcome.skipped else "warning")
                return redirect(url_for(".index_view"))
        return self.render("transfers/batch.html", rows=rows, form=form, list_columns=self._list_columns)


class TransferLogView(TransferBase):
    """调转记录: every transfer this unit sent or received, with its details and export."""

    module = "transfer_log"
    column_list = ["person.name", "person.id_number", "direction", "from_unit", "to_unit", "status", "created_at"]
    column_export_list = ["person.name", "person.id_number", "direction", *TRANSFER_DETAILS[2:]]
    column_formatters = {"direction": _direction}
    column_formatters_export = {"direction": _direction}


VIEWS = [
    (TransferOutView, Transfer, "人员调转", "transfer_out"),
    (TransferInView, Transfer, "人员调转", "transfer_in"),
    (TransferLogView, Transfer, "人员调转", "transfer_log"),
]
