"""专业技术人员 screens. The people issue adds confirmation, changes, transfers and import."""
from sqlalchemy.orm import joinedload
from wtforms.validators import Length

from ..labels import BindingStatus, Sex, TitleLevel
from ..models import Person
from ..validators import Email, Phone
from .base import ScopedModelView

PERSON_LABELS = {
    "name": "姓名",
    "sex": "性别",
    "id_number": "公民身份号码",
    "birth_date": "出生日期",
    "phone": "联系电话",
    "email": "邮箱",
    "title": "专业技术任职资格",
    "title_level": "资格级别",
    "title_obtained_on": "取得资格时间",
    "series": "专业系列",
    "specialty": "从事专业",
    "major": "所学专业",
    "unit": "工作单位",
    "unit.name": "工作单位",
    "binding_status": "单位确认状态",
}
PERSON_CHOICES = {
    "sex": Sex.choices(),
    "title_level": TitleLevel.choices(),
    "binding_status": BindingStatus.choices(),
}
PERSON_LIST = ["name", "sex", "id_number", "title", "title_level", "series", "binding_status"]
PERSON_DETAILS = [
    "name", "sex", "id_number", "birth_date", "phone", "email", "major", "title", "title_level",
    "title_obtained_on", "series", "specialty", "unit", "binding_status",
]


class PersonBase(ScopedModelView):
    column_list = PERSON_LIST
    column_details_list = PERSON_DETAILS
    column_labels = PERSON_LABELS
    column_choices = PERSON_CHOICES
    column_searchable_list = ["name", "id_number"]
    column_filters = ["title_level", "binding_status", "series.name"]
    column_default_sort = "name"
    simple_list_pager = True
    list_eager = (joinedload(Person.series),)


class PersonMaintainView(PersonBase):
    """专业技术人员信息维护 (unit)."""

    module = "person_maintain"
    can_edit = True
    form_columns = ["phone", "email", "title", "title_level", "title_obtained_on", "series", "specialty"]
    form_choices = {"title_level": TitleLevel.choices()}
    form_args = {
        "phone": {"validators": [Phone()]},
        "email": {"validators": [Email()]},
        "title": {"validators": [Length(max=50)]},
        "specialty": {"validators": [Length(max=50)]},
    }


class PersonQueryView(PersonBase):
    """专业技术人员信息查询 (HR: its region; industry: its region and series)."""

    module = "person_query"
    column_list = PERSON_LIST + ["unit.name"]
    list_eager = (joinedload(Person.series), joinedload(Person.unit))


class MyProfileView(PersonBase):
    """人员基本信息维护 (the person's own record)."""

    module = "my_profile"
    can_export = False
    column_filters = []
    column_searchable_list = []


VIEWS = [
    (PersonMaintainView, Person, "专业技术人员信息维护", "专业技术人员管理", "person_maintain"),
    (PersonQueryView, Person, "专业技术人员信息查询", "查询统计", "person_query"),
    (MyProfileView, Person, "人员基本信息维护", "资料维护", "my_profile"),
]

