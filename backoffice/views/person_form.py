"""The 专业技术人员 form (fields and limits of manual 000 §1.5.2 / 003 §3.2.1), shared by the person's
own 人员基本信息维护 and the unit's 新增 / 修改."""

from sqlalchemy import select
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..clock import beijing_today
from ..extensions import db
from ..fields import UnitField
from ..forms import BaseForm
from ..labels import DictionaryCategory, Sex, TitleLevel
from ..models import Department, ProfessionalSeries, dictionary_choices
from ..validators import (
    CitizenId,
    Email,
    Phone,
    Postcode,
    birth_date_from_id,
    check_citizen_id,
    check_id_consistency,
    normalize_citizen_id,
    sex_from_id,
)
from ..workflows.people import PROFILE_FIELDS

BLANK = [("", "请选择…")]


def _required(label: str):
    return DataRequired(f"请填写{label}")


def _chosen(label: str):
    return DataRequired(f"请选择{label}")


def _text(label: str, limit: int, required: bool = True):
    checks = [_required(label)] if required else [Optional()]
    return StringField(
        label,
        validators=[*checks, Length(max=limit, message=f"{label}限{limit}字")],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )


def _date(label: str, required: bool = True):
    return DateField(
        label,
        validators=[_required(label) if required else Optional()],
        render_kw={"type": "date"},
    )


def _not_future(form, field):
    if field.data and field.data > beijing_today():
        raise ValidationError(f"{field.label.text}不能晚于今天")


class PersonForm(BaseForm):
    name = _text("姓名", 50)
    id_number = StringField(
        "公民身份号码", validators=[_required("公民身份号码"), CitizenId()], filters=[normalize_citizen_id]
    )
    sex = SelectField("性别", choices=BLANK + Sex.choices(), validators=[Optional()])
    birth_date = DateField("出生日期", validators=[Optional()], render_kw={"type": "date"})
    ethnicity_code = SelectField("民族", validators=[_chosen("民族")])
    native_place = _text("籍贯", 50)
    education_code = SelectField("最高学历", validators=[_chosen("最高学历")])
    degree_code = SelectField("最高学位", validators=[Optional()])
    major = _text("所学专业", 50)
    school = _text("毕业院校", 50)
    graduated_on = _date("毕业时间")
    work_started_on = _date("参加工作时间")
    phone = StringField("联系电话", validators=[_required("联系电话"), Phone()])
    email = StringField("邮箱", validators=[Optional(), Email()])
    title = _text("专业技术任职资格", 50)
    title_level = SelectField("资格级别", choices=BLANK + TitleLevel.choices(), validators=[_chosen("资格级别")])
    title_obtained_on = _date("取得资格时间", required=False)
    series_id = SelectField("专业系列", coerce=lambda v: int(v) if v not in (None, "") else None,
                            validators=[_chosen("专业系列")])
    specialty = _text("从事专业", 50)
    postcode = StringField("邮政编码", validators=[Optional(), Postcode()])
    address = _text("通信地址", 100, required=False)

    #: fields the person may not change on this form (rendered read-only; the workflow refuses a change)
    locked: tuple[str, ...] = ()

    def __init__(self, *args, locked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = tuple(locked)
        for name in self.locked:
            self[name].render_kw = {**(self[name].render_kw or {}), "readonly": True}
        self.ethnicity_code.choices = BLANK + dictionary_choices(DictionaryCategory.ETHNICITY)
        self.education_code.choices = BLANK + dictionary_choices(DictionaryCategory.EDUCATION)
        self.degree_code.choices = BLANK + dictionary_choices(DictionaryCategory.DEGREE)
        series = db.session.execute(
            select(ProfessionalSeries.id, ProfessionalSeries.name)
            .where(ProfessionalSeries.active.is_(True))
            .order_by(ProfessionalSeries.sort, ProfessionalSeries.name)
        )
        self.series_id.choices = BLANK + [(sid, name) for sid, name in series]

    def validate(self, extra_validators=None) -> bool:
        # 出生日期 and 性别 come from the ID number when left empty; when given they must agree with it.
        number = self.id_number.data
        if number and check_citizen_id(number) is None:
            self.birth_date.data = self.birth_date.data or birth_date_from_id(number)
            self.sex.data = self.sex.data or sex_from_id(number)
        ok = super().validate(extra_validators)
        if self.id_number.errors:
            return False
        mismatch = check_id_consistency(self.id_number.data, self.birth_date.data, self.sex.data or None)
        if mismatch:
            target = self.birth_date if "出生日期" in mismatch else self.sex
            target.errors = [*target.errors, mismatch]
            ok = False
        for field in (self.graduated_on, self.work_started_on, self.title_obtained_on):
            try:
                _not_future(self, field)
            except ValidationError as error:
                field.errors = [*field.errors, str(error)]
                ok = False
        return ok

    def values(self) -> dict:
        """The profile columns as the workflows take them (empty optional text → None)."""
        values = {}
        for name in PROFILE_FIELDS:
            value = self[name].data
            values[name] = None if value == "" else value
        return values


class OwnProfileForm(PersonForm):
    """人员基本信息维护: the person also picks their 工作单位 (until a unit has confirmed them), first and
    required: without it no unit can confirm them."""

    unit = UnitField("工作单位")

    def __init__(self, *args, unit_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit_required = unit_required
        self.unit.flags.required = unit_required

    def validate_unit(self, field):
        if self.unit_required and field.data is None and not getattr(field, "_raw", ""):
            raise ValidationError("请选择工作单位")


class MemberForm(PersonForm):
    """The unit's 新增 / 修改: the person's department inside the unit instead of the unit itself."""

    department_id = SelectField(
        "所属部门", coerce=lambda v: int(v) if v not in (None, "") else None, validators=[Optional()]
    )

    def __init__(self, *args, org_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        departments = db.session.execute(
            select(Department.id, Department.name)
            .where(Department.org_id == org_id, Department.active.is_(True))
            .order_by(Department.depth, Department.sort, Department.name)
        )
        self.department_id.choices = [("", "（不指定）")] + [(did, name) for did, name in departments]
