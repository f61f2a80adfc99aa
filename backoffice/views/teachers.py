"""师资信息维护 (000 §1.7.1, 004 §1.6.1): an organisation's teachers, offered later to its class forms.

The screen declares the list and the form; 保存, 启用, 禁用 and 删除 go through `workflows.teachers`,
which checks the actor and the values again.
"""
from flask import flash, get_template_attribute
from flask_admin.actions import action
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_admin.model.template import BaseListRowAction
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from ..extensions import db
from ..forms import BaseForm
from ..labels import Sex
from ..models import Teacher
from ..policy import current_actor
from ..validators import CitizenId, Email, Phone, check_citizen_id, check_id_consistency, normalize_citizen_id
from ..workflows import CLASH, WorkflowError
from ..workflows import teachers as ops
from .base import ScopedModelView
from .actions import BatchMixin, Refusal, attempt_quietly


def _status(active) -> str:
    return "启用" if active else "禁用"


class StatusFilter(BaseSQLAFilter):
    """状态: 启用 / 禁用 rather than the generic 是 / 否."""

    def __init__(self, column, name):
        super().__init__(column, name, options=(("1", "启用"), ("0", "禁用")))

    def validate(self, value) -> bool:
        return value in ("0", "1")

    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias).is_(value == "1"))

    def operation(self) -> str:
        return "等于"


class ToggleRowAction(BaseListRowAction):
    """The per-row 启用 / 禁用 button (templates/teachers/_row_actions.html)."""

    def __init__(self):
        super().__init__(title="启用 / 禁用")

    def render(self, context, row_id, row):
        toggle = get_template_attribute("teachers/_row_actions.html", "toggle")
        get_url = context.resolve("get_url")
        return toggle(get_url(".action_view"), row_id, row.active, context.resolve("return_url"))


def _text(label: str, limit: int):
    return [DataRequired(f"请填写{label}"), Length(max=limit, message=f"{label}限{limit}字")]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class TeacherForm(BaseForm):
    """添加或修改教师 — 基本信息, every field required (004 §1.6.1)."""

    name = StringField("姓名", validators=_text("姓名", 50), filters=[_strip])
    sex = SelectField(
        "性别",
        choices=[SelectChoice("", "请选择…")] + [SelectChoice(code, label) for code, label in Sex.choices()],
        validators=[DataRequired("请选择性别")],
    )
    id_number = StringField(
        "公民身份号码",
        validators=[DataRequired("请填写公民身份号码"), CitizenId()],
        filters=[normalize_citizen_id],
    )
    title = StringField("专业技术资格", validators=_text("专业技术资格", 50), filters=[_strip])
    phone = StringField("联系电话", validators=[DataRequired("请填写联系电话"), Phone()], filters=[_strip])
    email = StringField("邮箱", validators=[DataRequired("请填写邮箱"), Email()], filters=[_strip])
    courses = TextAreaField(
        "可以教授课程", validators=_text("可以教授课程", 500), filters=[_strip], description="限500字",
        render_kw={"rows": 4, "maxlength": 500},
    )
    intro = TextAreaField(
        "教师简介", validators=_text("教师简介", 1000), filters=[_strip], description="限1000字",
        render_kw={"rows": 6, "maxlength": 1000},
    )

    def validate_sex(self, field):
        number = self.id_number.data
        # a malformed number is reported next to its own field, not here
        if field.data and number and not check_citizen_id(number) and check_id_consistency(number, None, field.data):
            raise ValidationError("性别与公民身份号码不一致，请核对")


class TeacherView(BatchMixin, ScopedModelView):
    """师资信息维护: the acting organisation's teachers (unit, institution, industry)."""

    module = "teachers"
    can_create = True
    can_edit = True
    can_delete = True
    owner_column = "org_id"
    form = TeacherForm
    column_list = ["name", "sex", "phone", "courses", "title", "active"]
    column_details_list = [
        "name", "sex", "id_number", "title", "phone", "email", "courses", "intro", "active",
        "created_at", "updated_at",
    ]
    column_export_list = ["name", "sex", "id_number", "title", "phone", "email", "courses", "intro", "active"]
    column_labels = {
        "name": "姓名",
        "sex": "性别",
        "id_number": "公民身份号码",
        "title": "专业技术资格/职称",
        "phone": "联系电话",
        "email": "邮箱",
        "courses": "可教授课程",
        "intro": "教师简介",
        "active": "状态",
        "created_at": "新增时间",
        "updated_at": "修改时间",
    }
    column_formatters = {"active": lambda v, c, m, n: _status(m.active)}
    column_formatters_detail = column_formatters
    column_formatters_export = column_formatters
    column_searchable_list = ["name", "id_number"]
    column_filters = [StatusFilter(Teacher.active, "状态")]
    column_default_sort = [("active", True), ("name", False)]
    list_eager = ()  # every list column is the teacher's own

    def get_list_row_actions(self):
        # [查看] [修改] [启用]/[禁用] [删除], in the manual's order
        view, edit, delete = super().get_list_row_actions()
        return [view, edit, ToggleRowAction(), delete]

    # ---- 保存 ---------------------------------------------------------------------------------

    def _save(self, teacher, form):
        data = {name: form[name].data for name in (*ops.LIMITS, "sex", "id_number")}
        try:
            saved = ops.save_teacher(teacher, current_actor(), **data)
            db.session.commit()
        except WorkflowError as error:
            db.session.rollback()
            field = getattr(error, "field", None)
            if field in form:  # shown next to the field, like the form's own checks
                form[field].errors = [*form[field].errors, str(error)]
            flash(f"保存失败：{error}", "error")
            return False
        except IntegrityError:
            db.session.rollback()
            flash(CLASH, "error")
            return False
        return saved

    def create_model(self, form):
        return self._save(None, form)

    def update_model(self, form, model):
        return bool(self._save(model, form))

    def delete_model(self, model):
        result = attempt_quietly(lambda: ops.delete_teacher(model, current_actor()))
        if isinstance(result, Refusal):
            flash(result, "error")
            return False
        return True

    # ---- actions ------------------------------------------------------------------------------

    @action("enable", "启用", "确定要启用选中的教师吗？启用后可以被选作培训班教师或班主任。")
    def action_enable(self, ids):
        self._batch(ids, lambda t, a: ops.set_teacher_active(t, True, a), "启用")

    @action("disable", "禁用", "确定要禁用选中的教师吗？禁用后不能再被选作培训班教师或班主任。")
    def action_disable(self, ids):
        self._batch(ids, lambda t, a: ops.set_teacher_active(t, False, a), "禁用")

    @action("delete", "删除", "确定要删除选中的教师吗？已被培训班使用的教师不能删除。")
    def action_delete(self, ids):
        self._batch(ids, ops.delete_teacher, "删除")


VIEWS = [
    (TeacherView, Teacher, "师资管理", "teachers"),
]
