"""/me/bindings: 我经办的单位账号 — the organisations this account acts for, and their binding requests
to accept (通过申请) or refuse (拒绝). Reachable before any organisation has been chosen."""
from flask import abort, flash, redirect, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import HiddenField, IntegerField
from wtforms.validators import AnyOf, DataRequired, InputRequired

from ..extensions import db
from ..forms import BaseForm
from ..labels import MembershipStatus, OrgKind
from ..models import Membership
from ..shell import render_page
from ..workflows import WorkflowError
from ..workflows import members as ops
from ..route_params import reads
from . import bp

DECISIONS = {"accept": (ops.accept_binding, "通过"), "refuse": (ops.refuse_binding, "拒绝")}


class DecisionForm(BaseForm):
    membership_id = IntegerField(validators=[InputRequired("缺少绑定申请")])
    decision = HiddenField(validators=[DataRequired(), AnyOf(list(DECISIONS), message="请选择通过或拒绝")])


def pending_count() -> int:
    """How many binding requests wait for the signed-in user (shown on 选择单位账号)."""
    if not current_user.is_authenticated:
        return 0
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.user_id == current_user.id, Membership.status == MembershipStatus.PENDING
        )
    )


@bp.app_context_processor
def _inject_pending_count():
    # A callable, so only the templates that show the notice pay for the query.
    return {"pending_binding_count": pending_count}


def _own_memberships() -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.org))
            .where(Membership.user_id == current_user.id)
            .order_by((Membership.status == MembershipStatus.PENDING).desc(), Membership.created_at.desc())
        )
    )


@bp.route("/bindings", methods=["GET", "POST"])
@login_required
@reads()
def bindings():
    form = DecisionForm()
    if form.validate_on_submit():
        membership = db.session.scalar(
            select(Membership).where(
                Membership.id == form.membership_id.data, Membership.user_id == current_user.id
            )
        )
        if membership is None:
            abort(404)
        operation, verb = DECISIONS[form.decision.data]
        try:
            operation(membership, current_user._get_current_object())
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            if form.decision.data == "accept":
                flash(f"已通过“{membership.org.name}”的绑定申请，可在“选择单位账号”中使用该单位账号办理业务", "success")
            else:
                flash(f"已拒绝“{membership.org.name}”的绑定申请", "info")
        return redirect(url_for("me.bindings"))
    if form.is_submitted():
        flash("请求无效，请刷新页面后重试", "danger")
    return render_page(
        "me/bindings.html",
        memberships=_own_memberships(),
        form=form,
        status_label=MembershipStatus.label,
        kind_label=OrgKind.label,
        PENDING=MembershipStatus.PENDING,
    )
