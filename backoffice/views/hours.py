"""系统管理员: 学时要求 (issue 11 item 5) — the rows 年度验证 reads (backoffice/hours.py)."""
from datetime import date

from sqlalchemy.orm import joinedload
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ..models import HourRequirement
from ..models.hours import MAX_HOURS
from .reference import AdminEditable

MINIMUMS = ("min_public_hours", "min_professional_hours", "min_elective_hours")


def _minimums_within_total(form, field):
    """公需 + 专业 + 选修 minimums may not exceed the year's total (the CHECK says so too)."""
    minimums = [getattr(form, name).data for name in MINIMUMS]
    if field.data is not None and None not in minimums and sum(minimums) > field.data:
        raise ValidationError("公需、专业、选修科目最低学时之和不能超过年度总学时")


def _deadline_after_year_start(form, field):
    year = form.year.data
    if year is None or not 2000 <= year <= 2100:
        return  # the year's own check says what is wrong with it
    if field.data is not None and field.data < date(year, 1, 1):
        raise ValidationError("学时录入截止日期不能早于该年度的1月1日")


def _series_needs_region(form, field):
    if field.data is not None and form.region.data is None:
        raise ValidationError("按专业系列设定的学时要求须同时选择适用地区")


def _hours(*more):
    return {"validators": [InputRequired(message="请填写学时"),
                           NumberRange(0, MAX_HOURS, message=f"学时应在0至{MAX_HOURS}之间"), *more],
            "places": 1}


def _region(view, context, model, name):
    return model.region.name if model.region_code else "全国"


def _series(view, context, model, name):
    return model.series.name if model.series_id else "全部专业系列"


class HourRequirementView(AdminEditable):
    module = "hour_requirements"
    column_list = ["year", "region", "series", "total_hours", *MINIMUMS, "entry_deadline", "note"]
    column_labels = {
        "year": "年度", "region": "适用地区", "series": "适用专业系列", "total_hours": "年度总学时",
        "min_public_hours": "公需科目最低学时", "min_professional_hours": "专业科目最低学时",
        "min_elective_hours": "选修科目最低学时", "entry_deadline": "学时录入截止日期", "note": "依据",
        "region_code": "适用地区", "series_id": "适用专业系列", "created_at": "创建时间", "updated_at": "修改时间",
    }
    column_descriptions = {
        "region": "不选为全国；选择省、市或区县时适用于该地区及其下级地区",
        "series": "不选为全部专业系列；选择时须同时选择适用地区",
        "entry_deadline": "该年度的继续教育记录在此日期前录入有效，如次年1月31日",
    }
    column_details_list = [*column_list, "created_at", "updated_at"]
    column_formatters = {"region": _region, "series": _series}
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters
    column_filters = ["year"]
    column_default_sort = [("year", True), ("id", False)]
    list_eager = (joinedload(HourRequirement.region), joinedload(HourRequirement.series))
    form_columns = ["year", "region", "series", "total_hours", *MINIMUMS, "entry_deadline", "note"]
    form_args = {
        "year": {"validators": [InputRequired(message="请填写年度"),
                                NumberRange(2000, 2100, message="年度应在2000至2100之间")]},
        "total_hours": {"validators": [InputRequired(message="请填写年度总学时"),
                                       NumberRange(1, MAX_HOURS, message=f"年度总学时应在1至{MAX_HOURS}之间"),
                                       _minimums_within_total], "places": 1},
        "min_public_hours": _hours(),
        "min_professional_hours": _hours(),
        "min_elective_hours": _hours(),
        "entry_deadline": {"validators": [InputRequired(message="请填写学时录入截止日期"), _deadline_after_year_start]},
        "region": {"validators": [Optional()]},
        "series": {"validators": [_series_needs_region]},
    }


VIEWS = [(HourRequirementView, HourRequirement, "系统管理", "hour_requirements")]
