"""系统管理员: 省份规则 (issue 13, docs/provinces.md) — a row per province saying how it works.

Every choice is a closed set (labels.py); routing reads the row at the next submission, so a change
moves new submissions only: what waits keeps the reviewer it was routed to.
"""
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms.validators import InputRequired, ValidationError

from ..extensions import db
from ..labels import PersonJoin, PlanReviewer, RecordChain, RegionLevel, Vocabulary
from ..models import ProvinceRule, Region
from .reference import AdminEditable

CHOICES = {
    "person_join": PersonJoin.choices(),
    "plan_reviewer": PlanReviewer.choices(),
    "record_chain": RecordChain.choices(),
    "vocabulary": Vocabulary.choices(),
}


def _provinces():
    return db.session.query(Region).filter(Region.level == RegionLevel.PROVINCE).order_by(Region.code)


def _one_row_per_province(form, field):
    region = field.data
    if region is None:
        return
    if region.level != RegionLevel.PROVINCE:
        raise ValidationError("只能为省级行政区划设定省份规则")
    editing = getattr(form, "_obj", None)
    taken = db.session.scalar(select(ProvinceRule.id).where(ProvinceRule.region_code == region.code))
    if taken is not None and (editing is None or editing.id != taken):
        raise ValidationError(f"{region.name}已有省份规则，请修改该条规则")


class ProvinceRuleView(AdminEditable):
    module = "province_rules"
    column_list = ["region", "person_join", "plan_reviewer", "record_chain", "hr_self_registration", "every_org_employs",
                   "vocabulary"]
    column_labels = {
        "region": "省份", "region_code": "省份", "person_join": "人员加入单位",
        "plan_reviewer": "专业课计划审核单位", "record_chain": "继续教育记录审核流程",
        "hr_self_registration": "下级人社部门自行注册", "every_org_employs": "各类机构均可有本单位人员",
        "vocabulary": "界面用语",
        "created_at": "创建时间", "updated_at": "修改时间",
    }
    column_descriptions = {
        "person_join": "河南：注册时选择工作单位，经单位审核注册人员后方可登录",
        "hr_self_registration": "是：市、县人社部门自行注册，由上一级人社部门审核人社部门；否：由系统管理员开通",
        "every_org_employs": "是：人社部门、主管部门和继续教育基地也可审核注册人员、人员调转、申报学时；否：只有用人单位",
        "vocabulary": "菜单、工作台和页面标题使用的名称",
    }
    column_details_list = [*column_list, "created_at", "updated_at"]
    column_choices = CHOICES
    form_choices = CHOICES
    column_default_sort = [("region_code", False)]
    list_eager = (joinedload(ProvinceRule.region),)
    form_columns = ["region", "person_join", "plan_reviewer", "record_chain", "hr_self_registration", "every_org_employs",
                   "vocabulary"]
    form_args = {
        "region": {"query_factory": _provinces, "validators": [InputRequired(message="请选择省份"),
                                                               _one_row_per_province]},
        **{name: {"validators": [InputRequired(message="请选择")]} for name in CHOICES},
    }

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        form._obj = obj  # the row being edited keeps its own province
        return form


VIEWS = [(ProvinceRuleView, ProvinceRule, "系统管理", "province_rules")]
