"""管理下级人社部门 / 管理行业主管部门 / 管理法人单位 / 管理施教机构: an overseer's list of the organisations of
one kind below it, with their super admins, and (HR only) 移除权限 / 恢复权限 with a reason.

Rows: the Organisation scope rule (HR: its region subtree; industry: its series' departments in its
region) narrowed to the screen's kind, never the actor's own organisation. The state change is
workflows.oversight; this file only picks rows, asks for the reason and reports.
"""
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from sqlalchemy import and_
from sqlalchemy.orm import joinedload, selectinload
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from .. import attachments
from ..extensions import db
from ..forms import BaseForm
from ..labels import ActorKind, OrgKind
from ..models import Membership, Organisation
from ..policy import current_actor
from ..route_params import OWN, reads
from ..workflows import WorkflowError
from ..workflows.oversight import REASON_MAX, change_access_many
from .base import ScopedModelView
from .org import ORG_CHOICES, ORG_DETAILS, ORG_LABELS

#: the two access changes: action name → (restore?, what the user reads)
ACCESS_CHANGES = {"revoke": (False, "移除权限"), "restore": (True, "恢复权限")}


class AccessChangeForm(BaseForm):
    reason = TextAreaField(
        "原因",
        validators=[
            DataRequired("请填写原因"),
            Length(max=REASON_MAX, message=f"原因限{REASON_MAX}字"),
        ],
    )


def _super_admin_names(view, context, model, name):
    return "、".join(m.user.real_name for m in model.super_admins)


def _super_admins_export(view, context, model, name):
    return "、".join(f"{m.user.real_name}（{m.user.login}）" for m in model.super_admins)


class OversightView(ScopedModelView):
    """One kind of overseen organisation. Subclasses set `module` and `org_kind`."""

    org_kind: str = ""
    details_template = "oversight/details.html"
    column_list = ["name", "code", "region", "level", "status", "active", "super_admins"]
    column_details_list = [*ORG_DETAILS, "active", "inactive_reason", "created_at"]
    column_labels = {**ORG_LABELS, "super_admins": "超级管理员", "inactive_reason": "移除权限原因"}
    column_choices = ORG_CHOICES
    column_formatters = {"super_admins": _super_admin_names}
    column_formatters_export = {"super_admins": _super_admins_export}
    column_filters = ["name", "status", "level", "active"]
    column_searchable_list = ["name", "code"]
    column_default_sort = "name"
    list_eager = (
        joinedload(Organisation.region),
        selectinload(Organisation.super_admins).joinedload(Membership.user),
    )

    def scope(self):
        return and_(
            super().scope(),
            Organisation.kind == self.org_kind,
            Organisation.id != current_actor().org_id,
        )

    # ---- who may change access: HR, through the same screens ------------------------------------

    @staticmethod
    def may_change_access() -> bool:
        actor = current_actor()
        return actor is not None and actor.kind == ActorKind.HR

    def is_action_allowed(self, name: str) -> bool:
        if name in ACCESS_CHANGES:
            return self.may_change_access()
        return super().is_action_allowed(name)

    # ---- details: the profile, its attachments and its super admins ------------------------------

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            kwargs.update(
                attachments=attachments.for_owner("organisation", kwargs["model"].id),
                may_change_access=self.may_change_access(),
            )
        return super().render(template, **kwargs)

    # ---- 移除权限 / 恢复权限: the action picks rows, a page asks for the reason --------------------

    @action("revoke", "移除权限")
    def action_revoke(self, ids):
        return redirect(url_for(".revoke_view", id=ids))

    @action("restore", "恢复权限")
    def action_restore(self, ids):
        return redirect(url_for(".restore_view", id=ids))

    @expose("/revoke/", methods=["GET", "POST"])
    @reads(id=OWN)
    def revoke_view(self):
        return self._access_page("revoke")

    @expose("/restore/", methods=["GET", "POST"])
    @reads(id=OWN)
    def restore_view(self):
        return self._access_page("restore")

    def _access_page(self, name: str):
        if not self.may_change_access():
            abort(403)
        rows = self.scoped_rows(request.values.getlist("id"))
        if not rows:
            flash("请先勾选要操作的单位", "warning")
            return redirect(url_for(".index_view"))
        restore, verb = ACCESS_CHANGES[name]
        form = AccessChangeForm()
        if form.validate_on_submit():
            try:
                outcome = change_access_many(rows, restore, form.reason.data, current_actor())
            except WorkflowError as error:
                db.session.rollback()
                form.reason.errors = [*form.reason.errors, str(error)]
            else:
                db.session.commit()
                flash(outcome.message(verb), "success" if not outcome.skipped else "warning")
                return redirect(url_for(".index_view"))
        return self.render(
            "oversight/access_change.html",
            rows=rows,
            form=form,
            verb=verb,
            restore=restore,
            list_columns=self._list_columns,
        )


class SubordinateHrView(OversightView):
    module = "oversee_hr"
    org_kind = OrgKind.HR


class IndustryOversightView(OversightView):
    """管理行业主管部门 (HR, 002 管理主管部门), and for an industry department its 行业主管查询 (004 §1.7.4):
    the departments of its series below it in its region, read only (移除权限 is HR's). The list adds the
    manual's 专业系列, 联系人 and 办公电话; the details page is the registration (ORG_DETAILS, 附件材料)."""

    module = "oversee_industries"
    org_kind = OrgKind.INDUSTRY
    column_list = [*OversightView.column_list[:3], "series", "contact_name", "office_phone",
                   *OversightView.column_list[3:]]
    list_eager = (*OversightView.list_eager, joinedload(Organisation.series))


class UnitOversightView(OversightView):
    module = "oversee_units"
    org_kind = OrgKind.UNIT


class InstitutionOversightView(OversightView):
    module = "oversee_institutions"
    org_kind = OrgKind.INSTITUTION


VIEWS = [
    (SubordinateHrView, Organisation, "业务管理", "oversee_hr"),
    (IndustryOversightView, Organisation, "业务管理", "oversee_industries"),
    (UnitOversightView, Organisation, "业务管理", "oversee_units"),
    (InstitutionOversightView, Organisation, "业务管理", "oversee_institutions"),
]
