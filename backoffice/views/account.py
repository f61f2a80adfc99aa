"""运维 / 客服: find accounts and their bindings, and repair them. Helpdesk sees no training data.

The account's details page shows its 经办绑定 and its person binding (姓名, 工作单位, 确认状态 only) and
offers 重置密码, 解锁, 撤销/恢复经办绑定 and 修改人员单位绑定. Each is a POST to a route of the view that
re-reads the account (or binding) through `get_one`, so an id outside scope answers 404; each needs a
原因 and is done by one workflow of `workflows.accounts`, which writes the AuditLog.
"""
from flask import abort, flash, make_response, redirect, request, url_for
from flask_admin import expose
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..extensions import db
from ..forms import BaseForm
from ..labels import BindingStatus, MembershipStatus, SystemRole
from ..models import Membership, Organisation, Person, User
from ..policy import current_actor, reset_refusal, visible
from ..route_params import OWN, reads
from ..workflows import WorkflowError
from ..workflows.accounts import (
    REASON_MAX,
    find_unit,
    rebind_person,
    reset_password,
    restore_membership,
    revoke_membership,
    unlock,
)
from .actions import Refusal, attempt_quietly
from .base import ScopedModelView

USER_LABELS = {
    "login": "登录账号",
    "real_name": "姓名",
    "mobile": "手机号码",
    "id_number": "证件号码",
    "email": "邮箱",
    "system_role": "系统角色",
    "real_name_verified": "已实名认证",
    "must_change_password": "须修改密码",
    "failed_logins": "连续登录失败次数",
    "locked_until": "锁定至",
    "active": "启用",
    "last_login_at": "最近登录",
    "created_at": "注册时间",
}


class ReasonForm(BaseForm):
    reason = TextAreaField(
        "原因",
        validators=[DataRequired("请填写原因"), Length(max=REASON_MAX, message=f"原因限{REASON_MAX}字")],
    )


class RebindForm(ReasonForm):
    unit = StringField(
        "新工作单位",
        validators=[DataRequired("请填写新工作单位的单位代码或名称"), Length(max=100, message="单位名称限100字")],
        description="输入单位代码（统一社会信用代码或组织机构代码）或单位全称",
    )


# action code → (page title, what the operator should know before confirming)
ACTIONS = {
    "reset": ("重置密码", "系统将生成一个临时密码并只显示一次；该账号已登录的会话立即失效，下次登录时必须修改密码。"),
    "unlock": ("解锁账号", "清除连续登录失败次数和锁定，账号可立即登录。"),
    "revoke": ("撤销经办绑定", "撤销后该账号不能再以该单位身份登录，正在使用的会话在下一次操作时失效。"),
    "restore": ("恢复经办绑定", "恢复到撤销前的状态：有效的绑定恢复后可重新以该单位身份登录，待确认的绑定仍须对方通过申请。"),
    "rebind": ("修改人员单位绑定", "人员将改为绑定到新单位，状态为“待单位确认”，由新单位确认后生效。"),
}


class ReasonPages:
    """The one page every helpdesk repair goes through: what is about to happen, a 原因, confirm."""

    def reason_page(self, action: str, form: BaseForm, back: str, *, account=None, membership=None,
                    error: str | None = None):
        title, notice = ACTIONS[action]
        return self.render(
            "helpdesk/reason.html",
            action=action, title=title, notice=notice, form=form, back=back,
            account=account, membership=membership, error=error,
            post_url=request.full_path, status_label=MembershipStatus.label,
        )

    def change_membership(self, membership: Membership, action: str, back: str, account=None):
        """撤销 (revoke) or 恢复 (restore) one 经办绑定 after a 原因 is given."""
        form = ReasonForm()
        error = None
        if form.validate_on_submit():
            operation = revoke_membership if action == "revoke" else restore_membership
            error = attempt_quietly(lambda: operation(membership, form.reason.data))
            if not isinstance(error, Refusal):
                flash(f"已{ACTIONS[action][0]}：{membership.org.name}", "success")
                return redirect(back)
        return self.reason_page(action, form, back, account=account, membership=membership, error=error)


class AccountView(ReasonPages, ScopedModelView):
    module = "accounts"
    details_template = "helpdesk/account_details.html"
    column_list = ["login", "real_name", "mobile", "id_number", "active", "locked_until", "last_login_at"]
    column_details_list = [
        "login", "real_name", "mobile", "id_number", "email", "system_role", "real_name_verified",
        "must_change_password", "failed_logins", "locked_until", "active", "last_login_at", "created_at",
    ]
    column_labels = USER_LABELS
    column_formatters = {"system_role": lambda view, context, model, name: SystemRole.label(model.system_role)}
    column_formatters_export = column_formatters
    column_searchable_list = ["login", "real_name", "id_number", "mobile"]
    column_filters = ["active"]
    column_default_sort = "login"
    simple_list_pager = True  # a province has millions of accounts: no COUNT(*) per page

    # ---- details: the account, its 经办绑定, its person binding, the repair forms --------------

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            user = kwargs["model"]
            kwargs.update(
                memberships=self.memberships_of(user),
                binding=self.person_binding(user),
                has_questions=all((user.answer1_hash, user.answer2_hash, user.answer3_hash)),
                is_locked=user.is_locked() or bool(user.failed_logins),
                reset_form=ReasonForm(formdata=None),
                reset_refusal=reset_refusal(current_actor(), user),
                unlock_form=ReasonForm(formdata=None),
                rebind_form=RebindForm(formdata=None),
                status_label=MembershipStatus.label,
                binding_label=BindingStatus.label,
            )
        return super().render(template, **kwargs)

    @staticmethod
    def memberships_of(user: User) -> list[Membership]:
        """The account's 经办绑定 with their organisations, in one query."""
        return db.session.scalars(
            select(Membership)
            .options(joinedload(Membership.org))
            .where(Membership.user_id == user.id, visible(Membership, current_actor()))
            .order_by(Membership.id)
        ).all()

    @staticmethod
    def person_binding(user: User):
        """姓名, 工作单位, 确认状态 of the person behind the account — nothing of their training data.

        Helpdesk has no scope on Person; it reaches only this binding, through an account it may see.
        """
        return db.session.execute(
            select(Person.id, Person.name, Organisation.name.label("unit_name"), Person.binding_status)
            .outerjoin(Organisation, Organisation.id == Person.unit_id)
            .where(Person.user_id == user.id)
        ).first()

    def _details_url(self, user: User) -> str:
        return url_for(".details_view", id=user.id)

    # ---- the repairs ---------------------------------------------------------------------------

    @expose("/reset/", methods=["GET", "POST"])
    @reads(id=OWN)
    def reset_view(self):
        user = self.get_one(request.args.get("id"))
        form = ReasonForm()
        error = None
        if form.validate_on_submit():
            actor = current_actor()
            password = attempt_quietly(lambda: reset_password(user, actor, reason=form.reason.data))
            if isinstance(password, Refusal):
                error = password
            else:
                # Shown in this response only: never flashed into the cookie, never stored in clear.
                response = make_response(
                    self.render("helpdesk/reset_done.html", model=user, password=password,
                                back=self._details_url(user))
                )
                response.headers["Cache-Control"] = "no-store"
                return response
        return self.reason_page("reset", form, self._details_url(user), account=user, error=error)

    @expose("/unlock/", methods=["GET", "POST"])
    @reads(id=OWN)
    def unlock_view(self):
        user = self.get_one(request.args.get("id"))
        form = ReasonForm()
        error = None
        if form.validate_on_submit():
            error = attempt_quietly(lambda: unlock(user, form.reason.data))
            if not isinstance(error, Refusal):
                flash(f"账号已解锁：{user.login}", "success")
                return redirect(self._details_url(user))
        return self.reason_page("unlock", form, self._details_url(user), account=user, error=error)

    def _membership_of(self, user: User) -> Membership:
        """The posted 经办绑定, which must be this account's and in scope; otherwise 404."""
        raw = request.args.get("membership", "")
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:  # "²".isdigit(), yet int("²") fails
            abort(404)
        membership = db.session.scalar(
            select(Membership)
            .options(joinedload(Membership.org), joinedload(Membership.user))
            .where(
                Membership.id == int(raw),
                Membership.user_id == user.id,
                visible(Membership, current_actor()),
            )
        )
        if membership is None:
            abort(404)
        return membership

    @expose("/revoke/", methods=["GET", "POST"])
    @reads(id=OWN)
    def revoke_view(self):
        user = self.get_one(request.args.get("id"))
        membership = self._membership_of(user)
        return self.change_membership(membership, "revoke", self._details_url(user), account=user)

    @expose("/restore/", methods=["GET", "POST"])
    @reads(id=OWN)
    def restore_view(self):
        user = self.get_one(request.args.get("id"))
        membership = self._membership_of(user)
        return self.change_membership(membership, "restore", self._details_url(user), account=user)

    @expose("/rebind/", methods=["GET", "POST"])
    @reads(id=OWN)
    def rebind_view(self):
        user = self.get_one(request.args.get("id"))
        person = db.session.scalar(
            select(Person).options(joinedload(Person.unit)).where(Person.user_id == user.id)
        )
        if person is None:
            abort(404)
        form = RebindForm()
        error = None
        if form.validate_on_submit():
            try:
                unit = find_unit(form.unit.data, visible(Organisation, current_actor()))
            except WorkflowError as failure:
                form.unit.errors.append(str(failure))
            else:
                error = attempt_quietly(lambda: rebind_person(person, unit, form.reason.data))
                if not isinstance(error, Refusal):
                    flash(f"已将{person.name}的工作单位改为“{unit.name}”，待该单位确认", "success")
                    return redirect(self._details_url(user))
        return self.reason_page("rebind", form, self._details_url(user), account=user, error=error)


class BindingView(ReasonPages, ScopedModelView):
    module = "bindings"
    details_template = "helpdesk/binding_details.html"
    column_list = ["user.login", "user.real_name", "org.name", "is_super_admin", "status", "created_at"]
    column_details_list = column_list
    column_labels = {
        "user.login": "登录账号",
        "user.real_name": "姓名",
        "org.name": "单位名称",
        "is_super_admin": "超级管理员",
        "status": "状态",
        "created_at": "绑定时间",
    }
    column_choices = {"status": MembershipStatus.choices()}
    column_searchable_list = ["user.login", "user.real_name", "org.name"]
    column_filters = ["status"]
    simple_list_pager = True
    list_eager = (joinedload(Membership.user), joinedload(Membership.org))

    def render(self, template, **kwargs):
        if template == self.details_template:
            kwargs["status_label"] = MembershipStatus.label
        return super().render(template, **kwargs)

    def _details_url(self, membership: Membership) -> str:
        return url_for(".details_view", id=membership.id)

    @expose("/revoke/", methods=["GET", "POST"])
    @reads(id=OWN)
    def revoke_view(self):
        membership = self.get_one(request.args.get("id"))
        return self.change_membership(membership, "revoke", self._details_url(membership))

    @expose("/restore/", methods=["GET", "POST"])
    @reads(id=OWN)
    def restore_view(self):
        membership = self.get_one(request.args.get("id"))
        return self.change_membership(membership, "restore", self._details_url(membership))


VIEWS = [
    (AccountView, User, "运维管理", "accounts"),
    (BindingView, Membership, "运维管理", "bindings"),
]
