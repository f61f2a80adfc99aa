"""Guards of 单位经办人员, 角色管理 and 内设部门 (workflows/members.py, workflows/departments.py), called straight: only the acting
organisation's super admin manages members and roles, only rows of that organisation, never the super
admin's own binding; departments need the 内设部门 module and stay inside the organisation. Each
refusal sits beside the same call by who may make it. Nothing is committed (see test_guards.py).
"""
import pytest

from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import Department, Membership, Organisation, OrgRole, User
from backoffice.workflows import WorkflowError
from backoffice.workflows.departments import delete_department, save_department, set_department_active
from backoffice.workflows.members import (
    delete_role,
    disable_member,
    enable_member,
    invite_member,
    make_super_admin,
    remove_member,
    reset_member_password,
    save_role,
    set_roles,
)
from world import acting, row

NOT_SUPER_ADMIN = "只有本单位的超级管理员可以进行此操作"
FOREIGN = "该记录不属于本单位"


def _membership(world, key) -> Membership:
    return row(world, Membership, key)


MEMBER_MOVES = {
    "disable": lambda m, a: disable_member(m, a),
    "remove": lambda m, a: remove_member(m, a),
    "reset": lambda m, a: reset_member_password(m, a),
    "roles": lambda m, a: set_roles(m, [], a),
    "make_super_admin": lambda m, a: make_super_admin(m, a),
}


@pytest.mark.parametrize("move", list(MEMBER_MOVES))
def test_an_ordinary_member_manages_no_member(app, world, move):
    with acting(app):
        target = _membership(world, "u_pend@or_unit_gz1")
        if move in ("reset", "make_super_admin", "disable"):
            target.status = MembershipStatus.ACTIVE
            db.session.flush()
        with pytest.raises(WorkflowError, match=NOT_SUPER_ADMIN):
            MEMBER_MOVES[move](target, world.actors["multi_gz1"])


@pytest.mark.parametrize("move", list(MEMBER_MOVES))
def test_a_super_admin_manages_no_member_of_another_organisation(app, world, move):
    with acting(app):
        foreign = _membership(world, "u_multi@or_unit_gz2")  # u_multi is also a member of gz1
        with pytest.raises(WorkflowError, match=FOREIGN):
            MEMBER_MOVES[move](foreign, world.actors["unit_gz1"])
        db.session.refresh(foreign)
        assert foreign.status == MembershipStatus.ACTIVE and not foreign.is_super_admin


@pytest.mark.parametrize("move", ["disable", "remove", "reset", "roles"])
def test_the_super_admins_own_binding_is_not_touched(app, world, move):
    with acting(app):
        own = _membership(world, "u_unit_gz1@or_unit_gz1")
        with pytest.raises(WorkflowError, match="自己"):
            MEMBER_MOVES[move](own, world.actors["unit_gz1"])
        assert own.status == MembershipStatus.ACTIVE and own.is_super_admin


def test_the_super_admin_manages_its_own_members(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        member = _membership(world, "u_multi@or_unit_gz1")
        disable_member(member, boss)
        db.session.refresh(member)
        assert member.status == MembershipStatus.DISABLED
        enable_member(member, boss)
        db.session.refresh(member)
        assert member.status == MembershipStatus.ACTIVE
        # u_multi acts for gz2 too: its password is beyond gz1's power; an account only gz1's is not
        with pytest.raises(WorkflowError) as beyond:
            reset_member_password(member, boss)
        assert str(beyond.value) == "该账号还在其他单位担任经办人，请联系客服重置密码"
        only_ours = _membership(world, "u_pend@or_unit_gz1")
        only_ours.status = MembershipStatus.ACTIVE
        db.session.flush()
        assert reset_member_password(only_ours, boss)
        make_super_admin(member, boss)
        db.session.refresh(member)
        assert member.is_super_admin
        assert not _membership(world, "u_unit_gz1@or_unit_gz1").is_super_admin


def test_invitations_go_to_the_acting_organisation_only(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        lone = db.session.get(User, world.ids["u_lone"])
        with pytest.raises(WorkflowError, match=FOREIGN):
            invite_member(row(world, Organisation, "or_unit_gz2"), lone.login, lone.id_number, boss)
        with pytest.raises(WorkflowError, match=NOT_SUPER_ADMIN):
            invite_member(row(world, Organisation, "or_unit_gz1"), lone.login, lone.id_number, world.actors["multi_gz1"])
        invited = invite_member(row(world, Organisation, "or_unit_gz1"), lone.login, lone.id_number, boss)
        assert (invited.org_id, invited.status) == (world.ids["or_unit_gz1"], MembershipStatus.PENDING)


def test_roles_are_the_organisations_own(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        member = _membership(world, "u_multi@or_unit_gz1")
        with pytest.raises(WorkflowError, match="只能分配本单位的角色"):
            set_roles(member, [row(world, OrgRole, "ro_gz2_staff")], boss)
        with pytest.raises(WorkflowError, match=FOREIGN):
            delete_role(row(world, OrgRole, "ro_gz2_staff"), boss)
        with pytest.raises(WorkflowError, match=FOREIGN):
            save_role(row(world, OrgRole, "ro_gz2_staff"), boss, name="改名", modules=[])
        with pytest.raises(WorkflowError, match=NOT_SUPER_ADMIN):
            save_role(None, world.actors["multi_gz1"], name="新角色", modules=["person_query"])
        assert row(world, OrgRole, "ro_gz2_staff").name == "ro_gz2_staff"
        set_roles(member, [row(world, OrgRole, "ro_gz1_staff")], boss)
        assert [r.name for r in member.roles] == ["ro_gz1_staff"]


@pytest.mark.parametrize("modules", [["org_members"], ["org_roles"], ["audit_log"], ["my_profile", "person_query"]])
def test_a_role_cannot_hold_a_super_admin_only_or_foreign_module(app, world, modules):
    with acting(app):
        with pytest.raises(WorkflowError, match="不能授予"):
            save_role(None, world.actors["unit_gz1"], name="越权角色", modules=modules)
        role = save_role(None, world.actors["unit_gz1"], name="合规角色", modules=["person_query", "teachers"])
        assert (role.org_id, role.modules) == (world.ids["or_unit_gz1"], ["person_query", "teachers"])


def test_departments_need_the_module_and_stay_in_the_organisation(app, world):
    with acting(app):
        boss, member = world.actors["unit_gz1"], world.actors["multi_gz1"]  # the member's role lacks 内设部门
        mine, foreign = row(world, Department, "de_gz1_top"), row(world, Department, "de_gz2")
        with pytest.raises(WorkflowError, match="没有管理内设部门的权限"):
            save_department(None, member, name="新部门", parent_id=None, sort=0, active=True)
        with pytest.raises(WorkflowError, match="没有管理内设部门的权限"):
            delete_department(mine, member)
        for call in (
            lambda: save_department(foreign, boss, name="改名", parent_id=None, sort=0, active=True),
            lambda: set_department_active(foreign, False, boss),
            lambda: delete_department(foreign, boss),
        ):
            with pytest.raises(WorkflowError, match=FOREIGN):
                call()
        with pytest.raises(WorkflowError, match="上级部门不存在"):
            save_department(None, boss, name="挂错", parent_id=foreign.id, sort=0, active=True)
        db.session.refresh(foreign)
        assert (foreign.name, foreign.active) == ("de_gz2", True)
        made = save_department(None, boss, name="新部门", parent_id=mine.id, sort=3, active=True)
        assert (made.org_id, made.parent_id, made.depth) == (world.ids["or_unit_gz1"], mine.id, 1)


def _refusal(call) -> str:
    with pytest.raises(WorkflowError) as error:
        call()
    return str(error.value)


def test_department_input_is_checked_with_exact_messages(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        top, sub = row(world, Department, "de_gz1_top"), row(world, Department, "de_gz1_sub")

        def save(dept=None, name="新部门", parent_id=None, sort=0, active=True):
            return save_department(dept, boss, name=name, parent_id=parent_id, sort=sort, active=active)

        assert _refusal(lambda: save(name="  ")) == "请输入部门名称"
        assert _refusal(lambda: save(name="部" * 51)) == "部门名称限50字"
        assert _refusal(lambda: save(sort=-1)) == "排序应为0–99999之间的整数"
        assert _refusal(lambda: save(sort=100000)) == "排序应为0–99999之间的整数"
        assert _refusal(lambda: save(top, parent_id=top.id, name="de_gz1_top")) == "上级部门不能是本部门或其下级部门"
        assert _refusal(lambda: save(top, parent_id=sub.id, name="de_gz1_top")) == "上级部门不能是本部门或其下级部门"
        assert _refusal(lambda: save(name="de_gz1_sub", parent_id=top.id)) == "同一上级部门下已有名为“de_gz1_sub”的部门"
        assert save(name="部" * 50, sort=99999).sort == 99999
        assert save(name="无排序", sort=None).sort == 0
        renamed = save(sub, name="de_gz1_sub", parent_id=top.id, sort=7)  # saving itself is no duplicate
        assert (renamed.sort, renamed.depth) == (7, 1)

        # disabling the top takes the subtree along; a child cannot be enabled under a disabled parent
        save(top, name="de_gz1_top", active=False)
        db.session.refresh(sub)
        assert (top.active, sub.active) == (False, False)
        assert _refusal(lambda: save(sub, name="de_gz1_sub", parent_id=top.id)) == "上级部门“de_gz1_top”已禁用，请先启用上级部门"
        assert _refusal(lambda: set_department_active(sub, True, boss)) == "上级部门“de_gz1_top”已禁用，请先启用上级部门"
        assert _refusal(lambda: set_department_active(top, False, boss)) == "已是禁用状态"
        assert set_department_active(top, True, boss) == 0
        assert _refusal(lambda: set_department_active(top, True, boss)) == "已是启用状态"
        assert set_department_active(sub, True, boss) == 0
        assert set_department_active(top, False, boss) == 1  # the sub-department went along
        assert _refusal(lambda: delete_department(top, boss)) == "部门“de_gz1_top”下有下级部门，不能删除"


def test_moving_a_department_moves_its_subtree_depths(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        top, sub = row(world, Department, "de_gz1_top"), row(world, Department, "de_gz1_sub")
        leaf = save_department(None, boss, name="leaf", parent_id=sub.id, sort=0, active=True)
        assert leaf.depth == 2
        other = save_department(None, boss, name="other", parent_id=None, sort=0, active=True)
        assert other.depth == 0
        save_department(top, boss, name="de_gz1_top", parent_id=other.id, sort=0, active=True)
        assert [d.depth for d in (other, top, sub, leaf)] == [0, 1, 2, 3]
        save_department(top, boss, name="de_gz1_top", parent_id=None, sort=0, active=True)
        assert [d.depth for d in (top, sub, leaf)] == [0, 1, 2]
        delete_department(leaf, boss)
        assert db.session.get(Department, leaf.id) is None
