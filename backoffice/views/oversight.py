"""管理下级单位: HR oversees the organisations of its region, industry its subordinate departments."""
from sqlalchemy.orm import joinedload

from ..models import Organisation
from .base import ScopedModelView
from .org import ORG_CHOICES, ORG_LABELS, OrgProfileView


class OrgOversightView(ScopedModelView):
    """管理下级单位: HR sees every organisation in its region; industry its subordinate departments."""

    module = "oversee_units"
    column_list = ["name", "kind", "code", "region", "level", "status", "active"]
    column_details_list = OrgProfileView.column_details_list + ["active", "created_at"]
    column_labels = ORG_LABELS
    column_choices = ORG_CHOICES
    column_filters = ["kind", "status", "level", "name"]
    column_searchable_list = ["name", "code"]
    column_default_sort = "name"
    list_eager = (joinedload(Organisation.region),)


VIEWS = [
    (OrgOversightView, Organisation, "管理用人单位", "业务管理", "oversee_units"),
]
