"""运维 / 客服: find accounts and their bindings. Helpdesk sees no training data."""
from sqlalchemy.orm import joinedload

from ..labels import MembershipStatus, SystemRole
from ..models import Membership, User
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


class AccountView(ScopedModelView):
    module = "accounts"
    column_list = ["login", "real_name", "mobile", "id_number", "active", "locked_until", "last_login_at"]
    column_details_list = [
        "login", "real_name", "mobile", "id_number", "email", "system_role", "real_name_verified",
        "must_change_password", "failed_logins", "locked_until", "active", "last_login_at", "created_at",
    ]
    column_labels = USER_LABELS
    column_choices = {"system_role": SystemRole.choices()}
    column_searchable_list = ["login", "real_name", "id_number", "mobile"]
    column_filters = ["active"]
    column_default_sort = "login"
    simple_list_pager = True  # a province has millions of accounts: no COUNT(*) per page


class BindingView(ScopedModelView):
    module = "bindings"
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


VIEWS = [
    (AccountView, User, "账号查询", "运维管理", "accounts"),
    (BindingView, Membership, "经办绑定", "运维管理", "bindings"),
]
