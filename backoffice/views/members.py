"""单位经办人员, 角色管理, 内设部门: an organisation's own operators, roles and departments.

The screens declare columns and forms; every change goes through `workflows.members`, which checks
the actor again, so a crafted POST meets the same rules as the buttons.
"""
from math import ceil

from flask import abort, flash, make_response, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.sqla.fields import QuerySelectMultipleField
from flask_admin.form import Select2Widget
from markupsafe import Markup, escape
from sqlalchemy import BigInteger, Text, and_, cast, func, literal, select
from sqlalchemy.orm import aliased, joinedload, selectinload
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..extensions import db
from ..forms import BaseForm
from ..labels import MembershipStatus
from ..models import Department, Membership, Organisation, OrgRole, Person, User
from ..policy import MODULES, current_actor
from ..registration.forms import AccountForm
from ..route_params import reads
from ..workflows import WorkflowError
from ..workflows import departments
from ..workflows import members as ops
from ..workflows.registration import RegistrationError
from .actions import BatchMixin, Refusal, attempt, attempt_quietly
from .base import ScopedModelView
from .search import ID_NUMBER, PREFIX, SearchField, search_condition, search_order


def _yes_no(value) -> str:
    return "是" if value else "否"




# ---- 单位经办人员 ------------------------------------------------------------------------------


class RegisterMemberForm(AccountForm):
    """注册新账号（注册成为管理员）: the account fields of 个人用户注册, checked the same way."""


class PickForm(BaseForm):
    """选择成为管理员: a row's button posts the person's id and the search to return to (both screened
    by the input filter; the id is resolved by the view, inside the organisation's own people)."""

    person_id = HiddenField()
    q = HiddenField(validators=[Optional(), Length(max=50)])


#: 选择成为管理员's search box: an ID number (or its leading digits) or the start of a name
PICK_SEARCH = (SearchField(Person.id_number, ID_NUMBER, "公民身份号码"), SearchField(Person.name, PREFIX, "姓名"))
PICK_PAGE_SIZE = 20


def _page_number(value) -> int:
    try:
        page = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return page if 1 <= page <= 10**6 else 1


class InviteForm(BaseForm):
    login = StringField(
        "登录账号", validators=[DataRequired("请输入登录账号"), Length(max=30, message="登录账号限30个字符")]
    )
    id_number = StringField(
        "证件号码", validators=[DataRequired("请输入证件号码"), Length(max=30, message="证件号码限30个字符")]
    )


class RolesField(QuerySelectMultipleField):
    """角色 of a member. Flask-Admin's field checks its "unknown id posted" flag before resolving the
    posted ids, so another organisation's role id was silently dropped; resolve first, then refuse."""

    def pre_validate(self, form):
        self.data  # noqa: B018  (resolving the posted ids sets the flag read below)
        if self._invalid_formdata:
            raise ValidationError("只能选择本单位的角色")
        super().pre_validate(form)


def _user_label(view, context, model, name):
    user = model.user
    return Markup("{}（{}）").format(escape(user.real_name), escape(user.login))


def _role_names(view, context, model, name):
    return "、".join(role.name for role in model.roles)


class MemberView(BatchMixin, ScopedModelView):
    """单位经办人员 (管理单位管理员): the operators bound to the acting organisation."""

    module = "org_members"
    can_edit = True  # the member's roles, nothing else
    list_template = "members/member_list.html"
    edit_template = "members/member_edit.html"
    column_list = ["user", "user.mobile", "is_super_admin", "status", "roles", "created_at"]
    column_details_list = column_list
    column_labels = {
        "user": "经办人",
        "user.mobile": "手机号码",
        "is_super_admin": "超级管理员",
        "status": "状态",
        "roles": "角色",
        "created_at": "绑定时间",
    }
    column_choices = {"status": MembershipStatus.choices()}
    column_formatters = {"user": _user_label, "roles": _role_names}
    column_formatters_export = {
        "user": lambda v, c, m, n: str(m.user),
        "roles": _role_names,
        "is_super_admin": lambda v, c, m, n: _yes_no(m.is_super_admin),
        "status": lambda v, c, m, n: MembershipStatus.label(m.status),
    }
    column_filters = ["status"]
    column_default_sort = [("is_super_admin", True), ("id", False)]
    form_columns = ["roles"]
    form_overrides = {"roles": RolesField}
    # scoped to the acting organisation's roles by ScopedModelView, like every relation choice
    form_args = {"roles": {"query_factory": lambda: db.session.query(OrgRole).order_by(OrgRole.name)}}
    list_eager = (joinedload(Membership.user), selectinload(Membership.roles))

    @staticmethod
    def row_label(row) -> str:
        return str(row.user)

    # ---- 新增经办人: the three ways of manual 002 (新增管理员) --------------------------------------

    def _acting_org(self):
        return db.session.get(Organisation, current_actor().org_id)

    @expose("/invite/pick/", methods=("GET",))
    @reads()  # q and page: a search among the acting organisation's own people (ops.pickable)
    def pick_view(self):
        """选择本单位人员（选择成为管理员）: the organisation's confirmed people who own an account."""
        actor = current_actor()
        search = (request.args.get("q") or "").strip()[:50]
        condition = and_(
            ops.pickable(actor), search_condition(PICK_SEARCH, search, db.session.get_bind().dialect.name)
        )
        total = db.session.scalar(select(func.count(Person.id)).where(condition))
        pages = max(1, ceil(total / PICK_PAGE_SIZE))
        page = min(_page_number(request.args.get("page")), pages)
        order = search_order(PICK_SEARCH, search) or Person.name
        rows = db.session.execute(
            select(Person, User.login, Membership.status)
            .join(User, User.id == Person.user_id)
            .outerjoin(Membership, and_(Membership.user_id == Person.user_id, Membership.org_id == actor.org_id))
            .where(condition)
            .order_by(order, Person.id)
            .offset((page - 1) * PICK_PAGE_SIZE)
            .limit(PICK_PAGE_SIZE)
        ).all()
        return self.render(
            "members/pick.html", form=PickForm(), rows=rows, search=search, page=page, pages=pages, total=total,
            bound=(MembershipStatus.PENDING, MembershipStatus.ACTIVE, MembershipStatus.DISABLED),
            status_label=MembershipStatus.label,
        )

    @expose("/invite/pick/choose/", methods=("POST",))
    @reads(person_id=Person)
    def choose_view(self):
        """The row's 设为经办人: a person outside the picker's rows answers 404, as if there were none."""
        actor = current_actor()
        key = self._person_key(request.form.get("person_id"))
        person = db.session.scalar(select(Person).where(Person.id == key, ops.own_people(actor)))
        if person is None:
            abort(404)
        form = PickForm()
        if not form.validate_on_submit():
            flash("请求无效，请刷新页面后重试", "error")
            return redirect(url_for(".pick_view"))
        membership = attempt(lambda: ops.pick_member(self._acting_org(), person, actor))
        if membership is False:
            return redirect(url_for(".pick_view", q=request.form.get("q") or None))
        if membership.status == MembershipStatus.ACTIVE:
            flash(f"已将{membership.user}设为本单位的经办人员，可在列表中为其分配角色", "success")
        else:
            flash(
                f"已向{membership.user}发出绑定申请，对方在“我经办的单位账号”中通过申请后即成为本单位的经办人员",
                "success",
            )
        return redirect(self.get_url(".index_view"))

    @staticmethod
    def _person_key(value) -> int:
        """The posted id as an integer of the column's range; anything else is simply not found."""
        try:
            key = int(str(value))
        except (TypeError, ValueError):
            abort(404)
        if not -(2**31) <= key < 2**31:
            abort(404)
        return key

    @expose("/invite/register/", methods=("GET", "POST"))
    @reads()
    def register_view(self):
        """注册新账号（注册成为管理员）: a new account, at once an 有效 operator of this organisation."""
        form = RegisterMemberForm()
        error = None
        if form.validate_on_submit():
            try:
                membership = ops.register_member(
                    self._acting_org(), form.account_data(), form.password.data, current_actor()
                )
                db.session.commit()
            except RegistrationError as refused:
                db.session.rollback()
                form[refused.field].errors.append(str(refused))
            except WorkflowError as refused:
                db.session.rollback()
                error = str(refused)
            else:
                flash(
                    f"已注册账号{membership.user}并设为本单位的经办人员；请将登录账号和密码告知本人，"
                    "首次登录时须修改密码。可在列表中为其分配角色",
                    "success",
                )
                return redirect(self.get_url(".index_view"))
        return self.render("members/register.html", form=form, error=error)

    @expose("/invite/", methods=("GET", "POST"))
    @reads()
    def invite_view(self):
        """添加已注册账号（添加成为管理员）: the account's owner accepts the binding."""
        form = InviteForm()
        error = None
        if form.validate_on_submit():
            actor = current_actor()
            membership = attempt_quietly(
                lambda: ops.invite_member(self._acting_org(), form.login.data, form.id_number.data, actor)
            )
            if not isinstance(membership, Refusal):
                flash(
                    f"已向{membership.user}发出绑定申请，对方在“我经办的单位账号”中通过申请后即成为本单位的经办人员",
                    "success",
                )
                return redirect(self.get_url(".index_view"))
            error = membership
        return self.render("members/invite.html", form=form, error=error)

    # ---- 分配角色 (the edit form) ---------------------------------------------------------------

    def update_model(self, form, model):
        return bool(attempt(lambda: ops.set_roles(model, form.roles.data, current_actor())))

    # ---- actions ------------------------------------------------------------------------------

    @action("enable", "启用", "确定要启用选中的经办人员吗？")
    def action_enable(self, ids):
        self._batch(ids, ops.enable_member, "启用")

    @action("disable", "禁用", "确定要禁用选中的经办人员吗？禁用后对方不能再以本单位的身份办理业务。")
    def action_disable(self, ids):
        self._batch(ids, ops.disable_member, "禁用")

    @action("remove", "删除", "确定要删除选中的经办人员吗？删除后解除其与本单位的绑定，并收回其角色。")
    def action_remove(self, ids):
        self._batch(ids, ops.remove_member, "删除")

    @action("reset_password", "重置密码", "确定要重置选中经办人员的登录密码吗？对方下次登录时须修改密码。")
    def action_reset_password(self, ids):
        if not ids:
            flash("请先选择要操作的记录", "warning")
            return None
        outcome = self._run(ids, ops.reset_member_password, order=lambda m: m.user.login)
        if not outcome.done:
            flash(outcome.message("重置密码"), "error")
            return None
        # Shown in this response only: not flashed (the session cookie is signed, not encrypted).
        response = make_response(
            self.render("members/temporary_passwords.html", done=outcome.done, skipped=outcome.skipped)
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @action("make_super_admin", "设为超级管理员", "确定要将选中的经办人员设为超级管理员吗？设置后您将成为普通经办人员。")
    def action_make_super_admin(self, ids):
        if len(set(ids)) != 1:
            flash("设为超级管理员时请选择且只选择一名经办人员", "error")
            return None
        (membership,) = self.scoped_rows(ids)
        if attempt(lambda: ops.make_super_admin(membership, current_actor())) is False:
            return None
        flash(f"已将{membership.user}设为本单位的超级管理员，您现在是本单位的普通经办人员", "success")
        return redirect(url_for("admin.index"))


# ---- 角色管理 ----------------------------------------------------------------------------------


class ModulesField(SelectMultipleField):
    """权限模块: only the modules the acting organisation's kind may grant; anything else is named."""

    widget = Select2Widget(multiple=True)

    def pre_validate(self, form):
        allowed = {choice.value for choice in self.choices or []}
        refused = [code for code in (self.data or []) if code not in allowed]
        if refused:
            labels = "、".join(MODULES[c].label if c in MODULES else c for c in refused)
            raise ValidationError(f"以下权限模块不能授予本单位的角色：{labels}")


class RoleForm(BaseForm):
    name = StringField(
        "角色名称",
        validators=[DataRequired("请输入角色名称"), Length(max=ops.NAME_MAX, message="角色名称限50字")],
    )
    modules = ModulesField("权限模块")


def _modules_label(view, context, model, name):
    return "、".join(MODULES[code].label if code in MODULES else code for code in (model.modules or []))


class RoleView(BatchMixin, ScopedModelView):
    """角色管理: a role is a named set of the organisation kind's menu modules."""

    module = "org_roles"
    can_create = True
    can_edit = True
    can_delete = True
    form = RoleForm
    column_list = ["name", "modules", "updated_at"]
    column_details_list = column_list
    column_labels = {"name": "角色名称", "modules": "权限模块", "updated_at": "修改时间"}
    column_formatters = {"modules": _modules_label}
    column_formatters_export = {"modules": _modules_label}
    column_default_sort = "name"

    def _with_choices(self, form):
        form.modules.choices = [
            SelectChoice(code, label) for code, label in ops.role_module_choices(current_actor())
        ]
        return form

    def create_form(self, obj=None):
        return self._with_choices(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._with_choices(super().edit_form(obj))

    def _save(self, role, form):
        return attempt(
            lambda: ops.save_role(role, current_actor(), name=form.name.data, modules=form.modules.data)
        )

    def create_model(self, form):
        return self._save(None, form)

    def update_model(self, form, model):
        return bool(self._save(model, form))

    def delete_model(self, model):
        return attempt(lambda: ops.delete_role(model, current_actor())) is not False

    @action("delete", "删除", "确定要删除选中的角色吗？拥有这些角色的经办人员将失去相应的权限。")
    def action_delete(self, ids):
        self._batch(ids, ops.delete_role, "删除")


# ---- 内设部门 ----------------------------------------------------------------------------------


def _optional_int(value):
    if value in (None, "", "__None"):
        return None
    return int(value)


class DepartmentForm(BaseForm):
    name = StringField(
        "部门名称",
        validators=[DataRequired("请输入部门名称"), Length(max=ops.NAME_MAX, message="部门名称限50字")],
    )
    parent_id = SelectField("上级部门", coerce=_optional_int, validate_choice=False)
    sort = IntegerField(
        "排序",
        default=0,
        validators=[Optional(), NumberRange(0, departments.SORT_MAX, message=f"排序应为0–{departments.SORT_MAX}之间的整数")],
    )
    active = BooleanField("启用", default=True)


def _tree_key(dept):
    """A fixed-width text key per level (sort, then id), so sorting the joined path text lists every
    department right after its parent on SQLite and PostgreSQL alike."""
    return cast(dept.sort + 100000, Text).concat(".").concat(cast(dept.id + literal(10**10, BigInteger), Text))


def _tree_paths(scope):
    roots = select(
        Department.id.label("id"), cast(_tree_key(Department), Text).label("path")
    ).where(Department.parent_id.is_(None), scope)
    tree = roots.cte("department_tree", recursive=True)
    child = aliased(Department)
    return tree.union_all(
        select(child.id, cast(tree.c.path.concat("/").concat(_tree_key(child)), Text)).where(
            child.parent_id == tree.c.id
        )
    )


def _tree_name(view, context, model, name):
    if not model.depth:
        return model.name
    return Markup("{}└ {}").format(Markup("&nbsp;" * 4 * model.depth), model.name)


class DepartmentView(BatchMixin, ScopedModelView):
    """内设部门: the organisation's tree of departments, children listed under their parents."""

    module = "org_departments"
    can_create = True
    can_edit = True
    can_delete = True
    form = DepartmentForm
    column_list = ["name", "parent", "sort", "active", "updated_at"]
    column_details_list = ["name", "parent", "depth", "sort", "active", "created_at", "updated_at"]
    column_export_list = ["name", "parent", "depth", "sort", "active"]
    column_labels = {
        "name": "部门名称",
        "parent": "上级部门",
        "depth": "层级",
        "sort": "排序",
        "active": "启用",
        "created_at": "新增时间",
        "updated_at": "修改时间",
    }
    column_formatters = {
        "name": _tree_name,
        "depth": lambda v, c, m, n: f"第{m.depth + 1}级",
    }
    column_formatters_export = {
        "name": lambda v, c, m, n: m.name,
        "parent": lambda v, c, m, n: m.parent.name if m.parent else "",
        "depth": lambda v, c, m, n: f"第{m.depth + 1}级",
        "active": lambda v, c, m, n: _yes_no(m.active),
    }
    column_sortable_list = ()  # the tree decides the order
    column_searchable_list = ["name"]
    column_filters = ["active"]
    list_eager = (joinedload(Department.parent),)

    def get_query(self):
        tree = _tree_paths(self.scope())
        return super().get_query().outerjoin(tree, tree.c.id == Department.id).order_by(tree.c.path, Department.id)

    def _with_parents(self, form, exclude=None):
        choices = [SelectChoice("", "（无，作为顶级部门）")]
        for dept in departments.department_choices(current_actor(), exclude):
            label = "　" * dept.depth + dept.name + ("" if dept.active else "（已禁用）")
            choices.append(SelectChoice(str(dept.id), label))
        form.parent_id.choices = choices
        return form

    def create_form(self, obj=None):
        return self._with_parents(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._with_parents(super().edit_form(obj), exclude=obj)

    def _save(self, dept, form):
        return attempt(
            lambda: departments.save_department(
                dept,
                current_actor(),
                name=form.name.data,
                parent_id=form.parent_id.data,
                sort=form.sort.data,
                active=bool(form.active.data),
            )
        )

    def create_model(self, form):
        return self._save(None, form)

    def update_model(self, form, model):
        return bool(self._save(model, form))

    def delete_model(self, model):
        return attempt(lambda: departments.delete_department(model, current_actor())) is not False

    @action("enable", "启用", "确定要启用选中的部门吗？")
    def action_enable(self, ids):
        # parents first, so enabling a parent and its child together works
        self._batch(ids, lambda d, a: departments.set_department_active(d, True, a), "启用", order=lambda d: d.depth)

    @action("disable", "禁用", "确定要禁用选中的部门吗？其下级部门将一并禁用。")
    def action_disable(self, ids):
        self._batch(ids, lambda d, a: departments.set_department_active(d, False, a), "禁用", order=lambda d: -d.depth)

    @action("delete", "删除", "确定要删除选中的部门吗？有下级部门的部门不能删除。")
    def action_delete(self, ids):
        # children first, so deleting a leaf and its parent together works
        self._batch(ids, departments.delete_department, "删除", order=lambda d: -d.depth)


VIEWS = [
    (MemberView, Membership, "单位管理", "org_members"),
    (RoleView, OrgRole, "单位管理", "org_roles"),
    (DepartmentView, Department, "单位管理", "org_departments"),
]
