"""系统管理员: 字典管理, 行政区划, 专业系列."""
from sqlalchemy.orm import joinedload
from wtforms.validators import Regexp

from ..labels import DictionaryCategory, RegionLevel
from ..models import DictionaryItem, ProfessionalSeries, Region
from .base import ScopedModelView


class AdminEditable(ScopedModelView):
    can_create = True
    can_edit = True
    can_delete = False  # referenced rows: disable instead of delete


class DictionaryView(AdminEditable):
    module = "dictionaries"
    column_list = ["category", "code", "name", "sort", "active"]
    column_labels = {"category": "字典类别", "code": "编码", "name": "名称", "sort": "排序", "active": "启用"}
    column_choices = {"category": DictionaryCategory.choices()}
    form_choices = {"category": DictionaryCategory.choices()}
    column_filters = ["category", "active"]
    column_searchable_list = ["name", "code"]
    column_default_sort = [("category", False), ("sort", False)]
    form_columns = ["category", "code", "name", "sort", "active"]


class RegionView(AdminEditable):
    module = "regions"
    column_list = ["code", "name", "level", "parent"]
    list_eager = (joinedload(Region.parent),)
    column_labels = {"code": "行政区划代码", "name": "名称", "level": "级别", "parent": "上级区划", "sort": "排序"}
    column_choices = {"level": RegionLevel.choices()}
    form_choices = {"level": RegionLevel.choices()}
    column_filters = ["level"]
    column_searchable_list = ["name", "code"]
    column_default_sort = "code"
    form_columns = ["code", "name", "level", "parent", "sort"]
    form_args = {"code": {"validators": [Regexp(r"^\d{6}$", message="行政区划代码应为6位数字")]}}


class SeriesView(AdminEditable):
    module = "series"
    column_list = ["code", "name", "sort", "active"]
    column_labels = {"code": "编码", "name": "专业系列名称", "sort": "排序", "active": "启用"}
    column_searchable_list = ["name"]
    column_default_sort = "sort"
    form_columns = ["code", "name", "sort", "active"]


VIEWS = [
    (DictionaryView, DictionaryItem, "系统管理", "dictionary"),
    (RegionView, Region, "系统管理", "region"),
    (SeriesView, ProfessionalSeries, "系统管理", "series"),
]
