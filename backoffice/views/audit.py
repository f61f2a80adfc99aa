"""操作日志: read-only, for 系统管理员 (everything) and HR (its region)."""
import json

from markupsafe import Markup, escape
from sqlalchemy.orm import joinedload

from ..labels import AuditAction
from ..models import AuditLog
from .base import ScopedModelView


def _json(view, context, model, name):
    value = getattr(model, name)
    if not value:
        return ""
    return Markup("<pre class='mb-0 small'>{}</pre>").format(
        escape(json.dumps(value, ensure_ascii=False, indent=1))
    )


class AuditLogView(ScopedModelView):
    module = "audit_log"
    column_list = ["created_at", "user", "org", "ip", "action", "object_type", "object_id", "summary"]
    column_details_list = column_list + ["before", "after"]
    column_labels = {
        "created_at": "时间",
        "user": "操作人",
        "org": "操作单位",
        "ip": "IP地址",
        "action": "操作",
        "object_type": "对象类型",
        "object_id": "对象编号",
        "summary": "摘要",
        "before": "修改前",
        "after": "修改后",
    }
    column_choices = {"action": AuditAction.choices()}
    column_formatters_detail = {"before": _json, "after": _json}
    column_filters = ["action", "object_type", "created_at"]
    column_default_sort = ("created_at", True)
    simple_list_pager = True  # the log grows without bound
    list_eager = (joinedload(AuditLog.user), joinedload(AuditLog.org))


VIEWS = [(AuditLogView, AuditLog, "操作日志", "系统管理", "audit_log")]
