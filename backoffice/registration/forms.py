"""Forms of 个人用户注册 and 单位用户注册, and the organisation fields the 角色申请 form shares."""
from sqlalchemy import select
from wtforms import PasswordField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from ..extensions import db
from ..forms import BaseForm, field_problem
from ..labels import CodeType, DictionaryCategory, OrgKind, RegionLevel
from ..models import Region, dictionary_choices
from ..text import has_control
from ..workflows.registration import registration_region, registration_regions, registration_unit, registration_units
from ..validators import (
    CitizenId,
    Email,
    LoginName,
    Mobile,
    Password,
    Phone,
    Postcode,
    check_org_code,
    check_uscc,
    normalize_citizen_id,
    normalize_org_code,
    normalize_uscc,
)

RESIDENT_ID = "resident_id"
COUNTRIES = ["中国", "中国香港", "中国澳门", "中国台湾", "其他国家或地区"]
# The Henan manual's names in brackets, so a clerk from either province finds their kind.
REGISTERING_KINDS = [
    (OrgKind.UNIT, "法人单位（用人单位）"),
    (OrgKind.INSTITUTION, "施教机构（继续教育基地）"),
    (OrgKind.INDUSTRY, "行业主管部门（行业组织）"),
    (OrgKind.HR, "人社部门（河南等省份的市、县人社部门）"),
]


def required(label: str):
    return DataRequired(f"请填写{label}")


def _unit_number(value) -> int:
    """所在单位's value: an id, 0 for none; anything else is refused (`invalid_value_message`)."""
    if value in (None, "", 0):
        return 0
    if isinstance(value, int):
        return value
    if not (value.isascii() and value.isdigit() and len(value) < 12):
        raise ValueError(value)
    return int(value)


def region_choices() -> list[tuple[str, str]]:
    """Every region as 省 / 市 / 县, in code order (a province has a few hundred at most)."""
    rows = db.session.execute(select(Region.code, Region.name, Region.level, Region.parent_code).order_by(Region.code))
    names, choices = {}, []
    for code, name, level, parent in rows:
        names[code] = f"{names[parent]} / {name}" if parent in names else name
        choices.append((code, names[code]))
    return choices


class AccountForm(BaseForm):
    """A new personal account: 登录账号, password, 姓名, 手机号码 and the ID document. Shared by 个人用户注册
    and the super admin's 注册成为管理员 (workflows/members.py), so both check the same way."""

    login = StringField("登录账号", validators=[required("登录账号"), LoginName()],
                        description="只能包含字母、数字、下划线")
    password = PasswordField("密码", validators=[required("密码"), Password(login_field="login")],
                             description="8–16位字母数字混合，不能有4位连续字符")
    confirm = PasswordField("确认密码", validators=[required("确认密码"), EqualTo("password", "两次输入的密码不一致")])
    real_name = StringField("姓名", validators=[required("姓名"), Length(max=50, message="姓名限50字")],
                            description="应与有效身份证件一致，特殊姓名用“·”连接")
    mobile = StringField("手机号码", validators=[required("手机号码"), Mobile()])
    id_type = SelectField("证件类型", description="注册后不可修改")
    id_number = StringField("证件号码", validators=[required("证件号码"), Length(max=30)],
                            description="注册完成后不可修改")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.id_type.choices = dictionary_choices(DictionaryCategory.ID_TYPE)

    def validate_id_number(self, field):
        if self.id_type.data == RESIDENT_ID:
            CitizenId()(self, field)
            field.data = normalize_citizen_id(field.data)
        else:
            field.data = field.data.strip()

    def account_data(self) -> dict:
        """The account's columns as typed (trimmed)."""
        return {name: self[name].data.strip() for name in ("login", "real_name", "mobile", "id_type", "id_number")}


class PersonRegistrationForm(AccountForm):
    country = SelectField("国家/地区", choices=[(c, c) for c in COUNTRIES], description="注册后不可修改")
    email = StringField("邮箱", validators=[Optional(), Email()])
    # 002: a Henan person chooses the unit at registration, which reviews it (审核注册人员): first the
    # region (用人单位所属区域), then one of that region's units
    region_code = SelectField("所在地区", validate_choice=False,
                              description="先选择单位所在的省、市或县区，再选择所在单位")
    unit_name = StringField("单位名称", validators=[Optional(), Length(max=50, message="单位名称限50字")],
                            description="输入单位名称的一部分查找")
    unit_id = SelectField("所在单位", coerce=_unit_number, validate_choice=False,
                          invalid_value_message="请从列表中选择所在单位",
                          description="河南等由单位审核注册的省份：请选择所在单位，单位审核通过后方可登录；"
                                      "广东省请注册后在“人员基本信息维护”中选择工作单位")
    question1 = SelectField("问题1")
    answer1 = StringField("答案1", validators=[required("问题1的答案"), Length(max=50, message="答案限50字")])
    question2 = SelectField("问题2")
    answer2 = StringField("答案2", validators=[required("问题2的答案"), Length(max=50, message="答案限50字")])
    question3 = SelectField("问题3")
    answer3 = StringField("答案3", validators=[required("问题3的答案"), Length(max=50, message="答案限50字")])
    captcha = StringField("验证码", validators=[Length(max=8)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_code.choices = [("", "请选择…"), *registration_regions()]
        self.load_units()
        questions = [name for _, name in dictionary_choices(DictionaryCategory.SECURITY_QUESTION)]
        for n, field in enumerate((self.question1, self.question2, self.question3)):
            field.choices = [(name, name) for name in questions]
            if field.data is None and n < len(questions):
                field.data = questions[n]  # three different questions to start from

    def load_units(self) -> None:
        """所在单位's choices: one page of the chosen region's units (by the typed name, if any), and the
        chosen unit if it lies beyond that page. `units_more` says whether the region holds more."""
        region = registration_region(self.region_code.data or "")
        name = (self.unit_name.data or "").strip()
        units, self.units_more = [], False
        if region is not None:
            units, self.units_more = registration_units(region, "" if has_control(name) else name)
        chosen = self.unit_id.data
        if region is not None and chosen and chosen not in {unit_id for unit_id, _ in units}:
            found = registration_unit(region.code, chosen) if 0 < chosen < 2**31 else None
            units = [*units, found] if found else units
        self.unit_id.choices = [(0, "请选择…"), *units]

    def check_region_step(self) -> None:
        """选择地区 / 查找单位 without script: judge only the region and the name searched for."""
        self.region_code.validate(self, [type(self).validate_region_code])
        self.unit_name.validate(self)
        for field in (self.region_code, self.unit_name):
            problem = field_problem(field)
            if problem is not None and problem not in field.errors:
                field.errors = [*field.errors, problem]

    def validate_region_code(self, field):
        if field.data and registration_region(field.data) is None:
            raise ValidationError("请从列表中选择所在地区")

    def validate_unit_id(self, field):
        if not field.data:
            return
        if not self.region_code.data:
            raise ValidationError("请先选择所在地区，再选择所在单位")
        if field.data >= 2**31:
            return  # BaseForm names it: 数值超出范围
        if registration_unit(self.region_code.data, field.data) is None:
            raise ValidationError("所选单位不在所选地区的单位中，请重新选择所在单位")

    def validate_question3(self, field):
        if len({self.question1.data, self.question2.data, self.question3.data}) != 3:
            raise ValidationError("请选择三个不同的密保问题")


class ApplicantForm(BaseForm):
    """Step 1 of 单位用户注册: the applicant's own, already registered, personal account."""

    login = StringField("个人登录账号", validators=[required("个人登录账号")])
    id_number = StringField("个人证件号码", validators=[required("个人证件号码")])


def _clean_code(form, field):
    """单位代码, checked against the chosen 单位代码类型 and stored normalised."""
    value = field.data or ""
    if form.code_type.data == CodeType.USCC:
        error, normal = check_uscc(value), normalize_uscc(value)
    else:
        error, normal = check_org_code(value), normalize_org_code(value)
    if error:
        raise ValidationError(error)
    field.data = normal


class OrgIdentityForm(BaseForm):
    """The organisation's identity: the fields of registration step 2, also on the 角色申请 form."""

    name = StringField("单位名称", validators=[required("单位名称"), Length(max=100, message="单位名称限100字")])
    code_type = SelectField("单位代码类型", choices=CodeType.choices())
    code = StringField("单位代码", validators=[required("单位代码"), _clean_code],
                       description="组织机构代码第九位前的“-”可省略")
    nature_code = SelectField("单位性质", validators=[required("单位性质")])
    level = SelectField("隶属关系", choices=RegionLevel.choices())
    region_code = SelectField("所在地区", validators=[required("所在地区")])
    address = StringField("单位通讯地址", validators=[required("单位通讯地址"), Length(max=100, message="单位通讯地址限100字")])
    legal_rep = StringField("法定代表人", validators=[required("法定代表人"), Length(max=50, message="法定代表人限50字")])
    contact_name = StringField("联系人", validators=[required("联系人"), Length(max=50, message="联系人限50字")])
    office_phone = StringField("办公电话", validators=[required("办公电话"), Phone()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.nature_code.choices = dictionary_choices(DictionaryCategory.ORG_NATURE)
        self.region_code.choices = region_choices()


class OrgRegistrationForm(OrgIdentityForm):
    """Step 2 of 单位用户注册."""

    kind = RadioField("注册类型", choices=REGISTERING_KINDS, validators=[DataRequired("请选择注册类型")])


class ConfirmForm(BaseForm):
    """Step 3: nothing but the CSRF token and the button."""


class ContactFields:
    """Fields of 单位信息维护 that need no review (manual 000 §1.2.2)."""

    mobile = StringField("移动电话", validators=[required("移动电话"), Mobile()])
    email = StringField("邮箱", validators=[required("邮箱"), Email()])
    postcode = StringField("邮政编码", validators=[required("邮政编码"), Postcode()])
    profile = TextAreaField("单位职能简介", validators=[required("单位职能简介"), Length(max=500, message="单位职能简介限500字")])
