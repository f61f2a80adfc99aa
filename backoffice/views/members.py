"""单位经办人员, 角色管理, 内设部门: an organisation's own operators, roles and departments."""
from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectMultipleField
from wtforms.validators import Length

from ..labels import MembershipStatus
from ..models import Membership, OrgRole
from ..policy import current_actor, grantable_modules
from .base import ScopedModelView


def _user_label(view, context, model, name):
    user = model.user
    return Markup("{}（{}）").format(escape(user.real_name), escape(user.login))


class MemberView(ScopedModelView):
    """单位经办人员: the operators bound to the acting organisation."""

    module = "org_members"
    column_list = ["user", "user.mobile", "is_super_admin", "status", "roles", "created_at"]
    column_details_list = column_list
    column_labels = {
        "user": "经办人",
        "user.mobile": "手机号码",
        "is_super_admin": "超级管理员",
        "status": "状态",
        "roles": "角色",
        "created_at": "绑定时间",
    }
    column_choices = {"status": MembershipStatus.choices()}
    column_formatters = {"user": _user_label}
    column_filters = ["status"]
    list_eager = (joinedload(Membership.user), selectinload(Membership.roles))


class RoleView(ScopedModelView):
    """角色管理: a role is a named set of the organisation kind's menu modules."""

    module = "org_roles"
    can_create = True
    can_edit = True
    can_delete = True
    owner_column = "org_id"
    column_list = ["name", "modules", "updated_at"]
    column_details_list = column_list
    column_labels = {"name": "角色名称", "modules": "权限模块", "updated_at": "修改时间"}
    form_columns = ["name", "modules"]
    form_overrides = {"modules": SelectMultipleField}
    form_args = {"name": {"validators": [Length(min=1, max=50, message="角色名称限50字")]}}

    @staticmethod
    def _module_choices():
        actor = current_actor()
        return [(m.code, m.label) for m in grantable_modules(actor.kind)]

    def _with_choices(self, form):
        form.modules.choices = self._module_choices()
        return form

    def create_form(self, obj=None):
        return self._with_choices(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._with_choices(super().edit_form(obj))

    @staticmethod
    def _modules_label(view, context, model, name):
        labels = dict(RoleView._module_choices())
        return "、".join(labels.get(code, code) for code in (model.modules or []))

    column_formatters = {"modules": _modules_label}
    column_formatters_export = {"modules": lambda v, c, m, n: "、".join(m.modules or [])}


VIEWS = [
    (MemberView, Membership, "单位经办人员", "单位管理", "org_members"),
    (RoleView, OrgRole, "角色管理", "单位管理", "org_roles"),
]
