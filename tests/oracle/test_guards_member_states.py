"""单位经办人员 by state (workflows/members.py), called straight: an invitation needs the account's login
and ID number and says nothing about which half was wrong; only the invited account answers it, once;
each move applies only to the states it names, with the reason when not; a binding the helpdesk revoked
comes back only through the helpdesk; the super admin's role moves only to an active member with a live
account. The world's memberships of or_unit_gz1: u_unit_gz1 (super admin), u_multi (有效, a role),
u_pend (待确认), u_gone (已解除); u_off is 已禁用 at sz and 已拒绝 at hr_gz."""
import pytest

from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import Membership, Organisation, OrgRole, User
from backoffice.workflows import WorkflowError
from backoffice.workflows.members import (
    BAD_ACCOUNT,
    accept_binding,
    disable_member,
    enable_member,
    invite_member,
    make_super_admin,
    refuse_binding,
    remove_member,
    reset_member_password,
    set_roles,
)
from world import acting, row


def _refusal(call) -> str:
    with pytest.raises(WorkflowError) as error:
        call()
    return str(error.value)


def _m(world, key) -> Membership:
    return row(world, Membership, key)


def _user(world, login) -> User:
    return row(world, User, login)


@pytest.mark.parametrize("login, id_number", [
    ("u_nobody_else", "ORCU0019"),  # no such account
    ("u_lone", "ORCU0000"),  # another account's ID number
    ("u_admin", None),  # a system account, with its own ID number
    ("u_help", None),
])
def test_a_wrong_pair_gets_one_message_whichever_half_is_wrong(app, world, login, id_number):
    with acting(app):
        gz1 = row(world, Organisation, "or_unit_gz1")
        id_number = id_number or _user(world, login).id_number
        assert _refusal(lambda: invite_member(gz1, login, id_number, world.actors["unit_gz1"])) == BAD_ACCOUNT


def test_an_invitation_needs_both_halves_and_ignores_case_and_spaces(app, world):
    with acting(app):
        gz1, boss = row(world, Organisation, "or_unit_gz1"), world.actors["unit_gz1"]
        lone = _user(world, "u_lone")
        assert _refusal(lambda: invite_member(gz1, " ", lone.id_number, boss)) == "请输入登录账号和证件号码"
        assert _refusal(lambda: invite_member(gz1, lone.login, None, boss)) == "请输入登录账号和证件号码"
        invited = invite_member(gz1, f" {lone.login.upper()} ", f" {lone.id_number.lower()} ", boss)
        assert (invited.user_id, invited.org_id, invited.status, invited.is_super_admin) == (
            lone.id, gz1.id, MembershipStatus.PENDING, False,
        )


@pytest.mark.parametrize("login, org, message", [
    ("u_pend", "or_unit_gz1", "已向u_pend发出绑定申请，正在等待对方确认"),
    ("u_multi", "or_unit_gz1", "u_multi已是本单位的经办人员（有效）"),
    ("u_off", "or_unit_sz", "u_off已是本单位的经办人员（已禁用）"),
])
def test_a_binding_that_has_not_ended_is_not_asked_again(app, world, login, org, message):
    with acting(app):
        user = _user(world, login)
        boss = world.actors["unit_sz" if org == "or_unit_sz" else "unit_gz1"]
        got = _refusal(lambda: invite_member(row(world, Organisation, org), user.login, user.id_number, boss))
        assert got == message.replace(login, str(user), 1)


def test_an_ended_binding_is_asked_again_without_its_old_roles(app, world):
    with acting(app):
        gone = _m(world, "u_gone@or_unit_gz1")
        gone.roles = [row(world, OrgRole, "ro_gz1_staff")]
        db.session.flush()
        user = _user(world, "u_gone")
        again = invite_member(row(world, Organisation, "or_unit_gz1"), user.login, user.id_number,
                              world.actors["unit_gz1"])
        assert again.id == gone.id
        assert (again.status, again.is_super_admin, again.roles) == (MembershipStatus.PENDING, False, [])


def test_only_the_invited_account_answers_and_only_once(app, world):
    with acting(app):
        pending = _m(world, "u_pend@or_unit_gz1")
        assert _refusal(lambda: accept_binding(pending, _user(world, "u_lone"))) == "绑定申请不存在"
        assert _refusal(lambda: refuse_binding(None, _user(world, "u_pend"))) == "绑定申请不存在"
        assert pending.status == MembershipStatus.PENDING
        accept_binding(pending, _user(world, "u_pend"))
        db.session.refresh(pending)
        assert pending.status == MembershipStatus.ACTIVE
        assert _refusal(lambda: refuse_binding(pending, _user(world, "u_pend"))) == "该绑定申请已处理，当前状态为“有效”"
    with acting(app):
        pending = _m(world, "u_pend@or_unit_gz1")
        refuse_binding(pending, _user(world, "u_pend"))
        db.session.refresh(pending)
        assert pending.status == MembershipStatus.REFUSED


@pytest.mark.parametrize("move, key, message", [
    (enable_member, "u_multi@or_unit_gz1", "当前状态为“有效”，不能启用"),
    (enable_member, "u_pend@or_unit_gz1", "当前状态为“待确认”，不能启用"),
    (disable_member, "u_pend@or_unit_gz1", "对方尚未通过绑定申请，不能禁用，可直接删除"),
    (disable_member, "u_gone@or_unit_gz1", "当前状态为“已解除”，不能禁用"),
    (remove_member, "u_gone@or_unit_gz1", "当前状态为“已解除”，不能删除"),
])
def test_each_move_applies_only_to_its_states(app, world, move, key, message):
    with acting(app):
        membership = _m(world, key)
        status = membership.status
        assert _refusal(lambda: move(membership, world.actors["unit_gz1"])) == message
        db.session.refresh(membership)
        assert membership.status == status


def test_removing_ends_the_binding_and_withdraws_its_roles(app, world):
    with acting(app):
        member = _m(world, "u_multi@or_unit_gz1")
        assert [r.name for r in member.roles] == ["ro_gz1_staff"]
        remove_member(member, world.actors["unit_gz1"])
        db.session.refresh(member)
        assert (member.status, member.roles) == (MembershipStatus.REMOVED, [])
        pending = _m(world, "u_pend@or_unit_gz1")  # an invitation not yet answered is withdrawn the same way
        remove_member(pending, world.actors["unit_gz1"])
        db.session.refresh(pending)
        assert pending.status == MembershipStatus.REMOVED
        assert _refusal(lambda: set_roles(member, [], world.actors["unit_gz1"])) == "当前状态为“已解除”，不能分配角色"


def test_a_revoked_binding_comes_back_only_through_the_helpdesk(app, world):
    with acting(app):
        member = _m(world, "u_multi@or_unit_gz1")
        member.status, member.status_before_revoke = MembershipStatus.DISABLED, MembershipStatus.ACTIVE
        db.session.flush()
        assert _refusal(lambda: enable_member(member, world.actors["unit_gz1"])) == "该经办绑定已被客服撤销，请联系客服恢复"
        db.session.refresh(member)
        assert (member.status, member.status_before_revoke) == (MembershipStatus.DISABLED, MembershipStatus.ACTIVE)
        # the organisation may still end it: 删除 forgets the helpdesk's mark with the binding
        remove_member(member, world.actors["unit_gz1"])
        db.session.refresh(member)
        assert (member.status, member.status_before_revoke) == (MembershipStatus.REMOVED, None)


def test_a_disabled_member_is_enabled_again(app, world):
    with acting(app):
        off = _m(world, "u_off@or_unit_sz")
        enable_member(off, world.actors["unit_sz"])
        db.session.refresh(off)
        assert off.status == MembershipStatus.ACTIVE


@pytest.mark.parametrize("key, message", [
    ("u_pend@or_unit_gz1", "当前状态为“待确认”，只能重置本单位在职经办人员的密码"),
    ("u_gone@or_unit_gz1", "当前状态为“已解除”，只能重置本单位在职经办人员的密码"),
])
def test_only_a_serving_members_password_is_reset(app, world, key, message):
    with acting(app):
        assert _refusal(lambda: reset_member_password(_m(world, key), world.actors["unit_gz1"])) == message


def test_the_super_admin_role_goes_only_to_an_active_member_with_a_live_account(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        own = _m(world, "u_unit_gz1@or_unit_gz1")
        assert _refusal(lambda: make_super_admin(own, boss)) == "您已是本单位的超级管理员"
        assert _refusal(lambda: make_super_admin(_m(world, "u_pend@or_unit_gz1"), boss)) == (
            "当前状态为“待确认”，只能将有效的经办人员设为超级管理员"
        )
        member = _m(world, "u_multi@or_unit_gz1")
        member.user.active = False
        db.session.flush()
        assert _refusal(lambda: make_super_admin(member, boss)) == "该经办人员的账号已停用，不能设为超级管理员"
        member.user.active = True
        own.is_super_admin = False  # someone else took the role a moment ago
        db.session.flush()
        assert _refusal(lambda: make_super_admin(member, boss)) == "您已不是本单位的超级管理员，请刷新页面"
        db.session.refresh(member)
        assert member.is_super_admin is False
