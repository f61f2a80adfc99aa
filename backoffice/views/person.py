"""专业技术人员 screens: the unit's 信息确认 / 信息维护 / 审核人员信息修改, the 信息查询 of units, HR and
industry departments (重置密码 for units and HR, within `policy.power`), and the person's own
人员基本信息维护."""
from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.helpers import get_form_data
from markupsafe import Markup, escape
from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import TextAreaField

from ..extensions import db
from ..formatting import series_name
from ..forms import BaseForm
from ..labels import (
    BindingStatus,
    CourseType,
    ReviewResult,
    Sex,
    TitleLevel,
    TransferStatus,
)
from ..models import Organisation, Person, PersonChange, ProfessionalSeries, Transfer
from ..policy import current_actor, may_reset_people, reset_refusal
from ..policy.scope import staff_of
from ..route_params import OWN, reads
from ..workflows.accounts import reset_password
from ..workflows.people import (
    PERSON_CHANGE,
    add_member,
    confirm,
    release,
    save_own_profile,
    update_member,
)
from ..workflows.review import histories
from .actions import BatchMixin, attempt
from .base import ScopedModelView
from .search import ID_NUMBER, PREFIX, SearchField
from .filters import SeriesFilter, YearFilter
from .listing import PostRowAction
from .person_form import MemberForm, OwnProfileForm, PersonForm
from .review import ReviewView

PERSON_LABELS = {
    **{name: field.args[0] for name, field in PersonForm.__dict__.items() if hasattr(field, "args") and field.args},
    "series": "专业系列",
    "series.name": "专业系列",
    "unit": "工作单位",
    "unit.name": "工作单位",
    "department": "所属部门",
    "department.name": "所属部门",
    "binding_status": "单位确认状态",
    "updated_at": "申请时间",
    "confirmed_at": "确认时间",
}
PERSON_CHOICES = {
    "sex": Sex.choices(),
    "title_level": TitleLevel.choices(),
    "binding_status": BindingStatus.choices(),
}


PERSON_DETAILS = [
    "name", "sex", "id_number", "birth_date", "ethnicity_code", "native_place", "education_code",
    "degree_code", "major", "school", "graduated_on", "work_started_on", "phone", "email", "title",
    "title_level", "title_obtained_on", "series", "specialty", "postcode", "address", "unit",
    "department", "binding_status",
]


def _series_cell(view, context, model, name) -> str:
    return series_name(model.series_id)


#: 专业系列 by name from the process's snapshot (formatting.series_name): a join fewer for PostgreSQL to plan
#: on every page, list, details or export — each join of a person page added 0.15–0.8 ms of planning
#: (3 joins: 1.2–2.1 ms, more than finding the page), docs/performance.md session 19
PERSON_FORMATTERS = {"series": _series_cell}


class PersonBase(ScopedModelView):
    column_list = ["name", "sex", "id_number", "education_code", "work_started_on", "title", "title_level", "series"]
    column_details_list = PERSON_DETAILS
    column_labels = PERSON_LABELS
    column_choices = PERSON_CHOICES
    column_formatters = PERSON_FORMATTERS
    search_fields = (
        SearchField(Person.name, PREFIX, "姓名"),
        SearchField(Person.id_number, ID_NUMBER, "公民身份号码"),
    )
    column_filters = [SeriesFilter(Person.series_id, "专业系列"), "title_level"]
    column_default_sort = "name"
    simple_list_pager = True  # a province has a million people: no count(*) per page
    ids_first = True


# ---- the unit -----------------------------------------------------------------------------------


def _yes_no_buttons(view, context, model, name):
    """是 / 否 right in the row, as the manual's 专业技术人员信息确认 screen has them."""
    url = url_for(".decide_view", id=model.id)
    token = escape(context.resolve("csrf_token")())
    return Markup(
        f'<form method="post" action="{url}" class="form-inline">'
        f'<input type="hidden" name="csrf_token" value="{token}">'
        '<button name="accept" value="1" class="btn btn-sm btn-success mr-1"'
        ' data-confirm="确定该人员是本单位人员吗？确认后姓名和公民身份号码不能再修改。">是</button>'
        '<button name="accept" value="0" class="btn btn-sm btn-outline-danger"'
        ' data-confirm="确定该人员不属于本单位吗？">否</button></form>'
    )


class PersonConfirmView(BatchMixin, PersonBase):
    """专业技术人员信息确认: people who chose this unit; 是 / 否 one by one or 人员确认 in batch."""

    module = "person_confirm"
    can_export = False
    column_list = ["name", "sex", "id_number", "education_code", "title", "title_level", "series", "updated_at", "decide"]
    column_labels = {**PERSON_LABELS, "decide": "是否本单位人员"}
    column_formatters = {**PERSON_FORMATTERS, "decide": _yes_no_buttons}
    column_default_sort = ("updated_at", True)

    def scope(self):
        # the acting organisation's own applicants: staff_of lies inside visible(Person) for every actor
        # (an employer's own people; nobody for an actor that does not employ), so it stands alone
        return and_(staff_of(current_actor()), Person.binding_status == BindingStatus.PENDING)

    @expose("/decide/", methods=["POST"])
    @reads(id=OWN)
    def decide_view(self):
        person = self.get_one(request.args.get("id"))
        if request.form.get("accept") not in ("0", "1"):  # a crafted value is neither 是 nor 否
            flash("请点击“是”或“否”", "error")
            return redirect(url_for(".index_view"))
        accept = request.form.get("accept") == "1"
        if attempt(lambda: confirm(person, accept, current_actor())) is not False:
            flash(f"已{'确认' if accept else '不予确认'}：{person.name}", "success")
        return redirect(url_for(".index_view"))

    @action("confirm", "人员确认", "确定所选人员都是本单位人员吗？")
    def action_confirm(self, ids):
        self._batch(ids, lambda person, actor: confirm(person, True, actor), "确认")

    @action("refuse", "不予确认", "确定所选人员都不属于本单位吗？")
    def action_refuse(self, ids):
        self._batch(ids, lambda person, actor: confirm(person, False, actor), "不予确认")


RELEASE_CONFIRM = "解除绑定后，该人员将不再属于本单位，确定吗？"


class PersonMaintainView(BatchMixin, PersonBase):
    """专业技术人员信息维护: the unit's confirmed people; 新增 makes a member at once, 解除绑定 lets go."""

    module = "person_maintain"
    can_create = True
    can_edit = True
    form = MemberForm
    create_template = "person/member_create.html"
    edit_template = "person/member_edit.html"
    column_list = ["name", "sex", "id_number", "education_code", "work_started_on", "department", "title_level", "series"]
    column_filters = [SeriesFilter(Person.series_id, "专业系列"), "title_level", "department.name"]
    list_eager = (joinedload(Person.department),)

    def scope(self):
        # staff_of lies inside visible(Person) (PersonConfirmView.scope)
        return and_(staff_of(current_actor()), Person.binding_status == BindingStatus.CONFIRMED)

    def create_form(self, obj=None):
        return MemberForm(get_form_data(), org_id=current_actor().org_id)

    def edit_form(self, obj=None):
        return MemberForm(get_form_data(), obj=obj, org_id=current_actor().org_id, locked=("name", "id_number"))

    def create_model(self, form):
        actor = current_actor()
        return attempt(lambda: add_member(actor.org_id, form.values(), form.department_id.data, actor))

    def update_model(self, form, model):
        actor = current_actor()
        return attempt(lambda: update_member(model, form.values(), form.department_id.data, actor)) is not False

    def get_list_row_actions(self):
        # [查看] [修改] [解除绑定], as 000 §1.5.2 has them on each row
        return [*super().get_list_row_actions(), PostRowAction(".release_view", "解除绑定", RELEASE_CONFIRM)]

    @expose("/release/", methods=["POST"])
    @reads(id=OWN)
    def release_view(self):
        person = self.get_one(request.args.get("id"))
        if attempt(lambda: release(person, current_actor())) is not False:
            flash(f"已解除与{person.name}的绑定", "success")
        return redirect(url_for(".index_view"))

    @action("release", "解除绑定", RELEASE_CONFIRM)
    def action_release(self, ids):
        self._batch(ids, release, "解除绑定")


# ---- 审核人员信息修改 ------------------------------------------------------------------------------


def series_names() -> dict[int, str]:
    """专业系列 names by id, read once per request."""
    if "series_names" not in g:
        g.series_names = dict(db.session.execute(select(ProfessionalSeries.id, ProfessionalSeries.name)).all())
    return g.series_names


def _shown(field: str, value, series: dict) -> str:
    if value in (None, ""):
        return "（空）"
    if field == "series_id":
        return series.get(value, str(value))
    if field == "title_level":
        return TitleLevel.label(value)
    return str(value)


def change_rows(change: PersonChange, series: dict) -> list[tuple[str, str, str]]:
    """(字段, 修改前, 修改后) of one request."""
    return [
        (PERSON_LABELS.get(field, field), _shown(field, change.before.get(field), series), _shown(field, value, series))
        for field, value in change.after.items()
    ]


def _diff_cell(view, context, model, name):
    series = series_names()
    return Markup("<br>").join(
        Markup("{}：{} → {}").format(label, old, new) for label, old, new in change_rows(model, series)
    )


def _diff_text(view, context, model, name):
    return "；".join(f"{label}：{old} → {new}" for label, old, new in change_rows(model, series_names()))


class PersonChangeReviewView(ReviewView):
    """审核人员信息修改: what people of this unit asked to change, before → after, 通过 / 驳回 in batch."""

    module = "person_changes"
    flow = PERSON_CHANGE
    outcomes = [(ReviewResult.APPROVE, "通过"), (ReviewResult.CLOSE, "驳回")]
    column_list = ["person.name", "person.id_number", "changes", "status", "submitted_at"]
    column_details_list = ["person.name", "person.id_number", "changes", "status", "submitted_at"]
    column_labels = {
        "person.name": "姓名",
        "person.id_number": "公民身份号码",
        "changes": "修改内容（修改前 → 修改后）",
        "status": "审核状态",
        "submitted_at": "申请时间",
    }
    column_formatters = {"changes": _diff_cell}
    column_formatters_export = {"changes": _diff_text}
    column_searchable_list = ["person.name", "person.id_number"]
    column_filters = ["status", YearFilter(PersonChange.submitted_at, "年度")]
    list_eager = (joinedload(PersonChange.person),)

    def attachments_of(self, row) -> list:
        return []


# ---- 专业技术人员信息查询, with 重置密码 -------------------------------------------------------------


class ResetForm(BaseForm):
    reason = TextAreaField("重置原因")


class PersonQueryView(PersonBase):
    """专业技术人员信息查询: HR its region, industry its region and series, a unit its own people."""

    module = "person_query"
    column_list = ["name", "sex", "id_number", "title", "title_level", "series", "unit.name", "department", "binding_status"]
    column_filters = [SeriesFilter(Person.series_id, "专业系列"), "title_level", "department.name", "binding_status"]
    list_eager = (joinedload(Person.unit), joinedload(Person.department))
    # the page shows the 工作单位's name, not its 27 columns; a page's people share their units. Their
    # departments come by id, in a statement of their own only when a row has one: joined, they were one
    # more join to plan on every page (PostgreSQL: 0.4 ms, a tenth of the page)
    page_eager = (joinedload(Person.unit).load_only(Organisation.name), selectinload(Person.department))
    details_template = "person/query_details.html"

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            actor, user = current_actor(), kwargs["model"].user
            kwargs["can_reset"] = may_reset_people(actor)
            # Say beforehand why the account is beyond this unit / department, instead of a button.
            kwargs["reset_refusal"] = reset_refusal(actor, user) if user and kwargs["can_reset"] else None
            kwargs["reset_form"] = ResetForm()
            from .progress import RECORDS_CAP, cycle_context, person_records  # the records section (issue 11)

            kwargs["records"], kwargs["more_records"] = person_records(kwargs["model"].id, actor)
            kwargs["records_cap"], kwargs["course_type_label"] = RECORDS_CAP, CourseType.label
            kwargs.update(cycle_context(kwargs["model"]))
        return super().render(template, **kwargs)

    @expose("/reset/", methods=["POST"])
    @reads(id=OWN)
    def reset_view(self):
        if not may_reset_people(current_actor()):  # industry departments have no 重置密码 here
            abort(403)
        person = self.get_one(request.args.get("id"))
        form = ResetForm()
        if person.user is None:
            flash("该人员尚未注册个人账号，无需重置密码", "error")
            return redirect(url_for(".details_view", id=person.id))
        if not form.validate_on_submit():
            flash("请重新提交", "error")
            return redirect(url_for(".details_view", id=person.id))
        actor = current_actor()
        password = attempt(lambda: reset_password(person.user, actor, reason=form.reason.data))
        if password is False:
            return redirect(url_for(".details_view", id=person.id))
        return self.render("person/reset_done.html", person=person, password=password)


# ---- the person ---------------------------------------------------------------------------------


class MyProfileView(PersonBase):
    """人员基本信息维护: the person's own record as one form; key fields go to the unit for review."""

    module = "my_profile"
    can_export = False
    column_filters = []
    search_fields = ()

    @expose("/", methods=["GET", "POST"])
    def index_view(self):
        actor = current_actor()
        person = self.get_one(actor.person_id)
        locked = ("id_number", "name") if person.confirmed_at else ("id_number",)
        form = OwnProfileForm(
            get_form_data(), obj=person, locked=locked,
            unit_required=person.binding_status != BindingStatus.CONFIRMED,
        )
        if request.method == "GET":
            form.unit.data = person.unit if person.binding_status == BindingStatus.PENDING else None
        elif form.validate_on_submit():
            saved = attempt(lambda: save_own_profile(person, form.values(), form.unit.data, actor))
            if saved is not False:  # the PersonChange sent for review, or True when none was needed
                flash(self._saved_message(person, None if saved is True else saved), "success")
                return redirect(url_for(".index_view"))
        changes = db.session.scalars(
            select(PersonChange)
            .where(PersonChange.person_id == person.id)
            .order_by(PersonChange.submitted_at.desc(), PersonChange.id.desc())
            .limit(20)
        ).all()
        transfers = db.session.scalars(
            select(Transfer)
            .options(joinedload(Transfer.from_unit), joinedload(Transfer.to_unit))
            .where(Transfer.person_id == person.id)
            .order_by(Transfer.created_at.desc())
            .limit(20)
        ).all()
        series = series_names()
        steps = histories(PERSON_CHANGE, [c.id for c in changes])
        return self.render(
            "person/my_profile.html",
            form=form,
            person=person,
            changes=[(c, change_rows(c, series), steps.get(c.id, [])) for c in changes],
            transfers=transfers,
            binding_label=BindingStatus.label(person.binding_status) if person.binding_status else "未选择单位",
            transfer_label=TransferStatus.label,
        )

    @staticmethod
    def _saved_message(person: Person, change: PersonChange | None) -> str:
        parts = ["人员基本信息已保存"]
        if change is not None:
            parts.append("专业技术职务等信息的修改已提交单位审核，审核通过后生效")
        if person.binding_status == BindingStatus.PENDING:
            parts.append(f"已提交“{person.unit.name}”确认")
        return "；".join(parts)


VIEWS = [
    (PersonConfirmView, Person, "专业技术人员管理", "person_confirm"),
    (PersonMaintainView, Person, "专业技术人员管理", "person_maintain"),
    (PersonChangeReviewView, PersonChange, "专业技术人员管理", "person_changes"),
    (PersonQueryView, Person, "查询统计", "person_query"),
    (MyProfileView, Person, "资料维护", "my_profile"),
]
