"""Organisation screens: 单位信息, 单位经办人员, 角色管理, 管理下级单位."""
from markupsafe import Markup, escape
from sqlalchemy import and_
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectMultipleField
from wtforms.validators import Length, Optional

from ..labels import ApplicationStatus, CodeType, MembershipStatus, OrgKind, RegionLevel
from ..models import Membership, Organisation, OrgRole
from ..policy import current_actor, modules_of_kind
from ..validators import Email, Mobile, Phone, Postcode
from .base import ScopedModelView

ORG_LABELS = {
    "kind": "单位类型",
    "name": "单位名称",
    "code_type": "单位代码类型",
    "code": "单位代码",
    "nature_code": "单位性质",
    "level": "隶属关系",
    "region": "所在地区",
    "parent": "上级部门",
    "hr_org": "上级人社主管部门",
    "series": "专业系列",
    "legal_rep": "法定代表人",
    "contact_name": "联系人",
    "office_phone": "办公电话",
    "mobile": "移动电话",
    "email": "Email",
    "postcode": "邮政编码",
    "address": "单位通讯地址",
    "profile": "单位职能简介",
    "status": "审核状态",
    "active": "有效",
    "created_at": "注册时间",
}
ORG_CHOICES = {
    "kind": OrgKind.choices(),
    "code_type": CodeType.choices(),
    "level": RegionLevel.choices(),
    "status": ApplicationStatus.choices(),
}
CONTACT_FORM_ARGS = {
    "contact_name": {"validators": [Length(max=50)]},
    "office_phone": {"validators": [Optional(), Phone()]},
    "mobile": {"validators": [Optional(), Mobile()]},
    "email": {"validators": [Optional(), Email()]},
    "postcode": {"validators": [Optional(), Postcode()]},
    "address": {"validators": [Length(max=100, message="单位通讯地址限100字")]},
    "profile": {"validators": [Length(max=500, message="单位职能简介限500字")]},
}


class OrgProfileView(ScopedModelView):
    """法人单位信息维护: the acting organisation's own record; contact fields need no review."""

    module = "org_profile"
    can_edit = True
    can_export = False
    column_list = ["name", "kind", "code", "region", "level", "status"]
    column_details_list = [
        "name", "kind", "code_type", "code", "level", "region", "hr_org", "parent", "series",
        "legal_rep", "contact_name", "office_phone", "mobile", "email", "postcode", "address",
        "profile", "status",
    ]
    column_labels = ORG_LABELS
    column_choices = ORG_CHOICES
    form_columns = ["contact_name", "office_phone", "mobile", "email", "postcode", "address", "profile"]
    form_args = CONTACT_FORM_ARGS
    form_widget_args = {"profile": {"rows": 5}}

    def scope(self):
        # This screen is about the acting organisation only, whatever else the actor may oversee.
        return and_(super().scope(), Organisation.id == current_actor().org_id)


class OrgOversightView(ScopedModelView):
    """管理下级单位: HR sees every organisation in its region; industry its subordinate departments."""

    module = "org_oversight"
    column_list = ["name", "kind", "code", "region", "level", "status", "active"]
    column_details_list = OrgProfileView.column_details_list + ["active", "created_at"]
    column_labels = ORG_LABELS
    column_choices = ORG_CHOICES
    column_filters = ["kind", "status", "level", "name"]
    column_searchable_list = ["name", "code"]
    column_default_sort = "name"
    list_eager = (joinedload(Organisation.region),)


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
        return [(m.code, m.label) for m in modules_of_kind(actor.kind)]

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
    (OrgProfileView, Organisation, "单位信息", "单位管理", "org_profile"),
    (MemberView, Membership, "单位经办人员", "单位管理", "org_members"),
    (RoleView, OrgRole, "角色管理", "单位管理", "org_roles"),
    (OrgOversightView, Organisation, "管理下级单位", "业务管理", "org_oversight"),
]
