"""Organisation screens: 角色申请, 单位信息维护, 修改单位信息."""
from sqlalchemy import and_
from wtforms.validators import Length, Optional

from ..labels import ApplicationStatus, CodeType, OrgKind, RegionLevel
from ..models import Organisation
from ..policy import current_actor
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


VIEWS = [
    (OrgProfileView, Organisation, "单位信息", "单位管理", "org_profile"),
]
