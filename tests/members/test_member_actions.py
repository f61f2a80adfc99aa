"""管理单位管理员: 启用 / 禁用 / 删除 / 重置密码 / 设为超级管理员 on 单位经办人员, and 分配角色."""
import re

from flask import g
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import AuditAction, MembershipStatus
from backoffice.models import AuditLog, Membership, User
from backoffice.policy import available_contexts, build_actor
from backoffice.workflows import WorkflowError
from backoffice.workflows import members as ops

from member_helpers import (
    HOSPITAL,
    SHENZHEN,
    UNIVERSITY,
    act,
    assign_roles,
    create_role,
    flashes,
    invite,
    membership,
    role_id,
    user_of,
)


def test_a_disabled_member_can_no_longer_act_until_enabled(app, login_as, liu_member_of_shenzhen):
    liu = login_as("p_liu", SHENZHEN)
    assert liu.get("/admin/").status_code == 200
    boss = login_as("unit_b")

    page = act(boss, "org_members", "disable", [liu_member_of_shenzhen]).get_data(as_text=True)
    assert "禁用成功1条" in flashes(page)
    assert membership(app, "p_liu", SHENZHEN).status == MembershipStatus.DISABLED
    # the next click already finds the binding gone
    response = liu.get("/admin/")
    assert response.status_code == 302 and "/select-org" in response.headers["Location"]
    assert SHENZHEN not in liu.get("/select-org").get_data(as_text=True)

    page = act(boss, "org_members", "enable", [liu_member_of_shenzhen]).get_data(as_text=True)
    assert "启用成功1条" in flashes(page)
    assert login_as("p_liu", SHENZHEN).get("/admin/").status_code == 200


def test_batch_actions_say_what_was_skipped_and_why(app, login_as, liu_member_of_shenzhen):
    boss = login_as("unit_b")
    invite(boss, "p_chen", user_of(app, "p_chen").id_number)  # still 待确认
    chen = membership(app, "p_chen", SHENZHEN).id
    own = membership(app, "unit_b", SHENZHEN).id

    summary = flashes(act(boss, "org_members", "disable", [liu_member_of_shenzhen, chen, own]).get_data(as_text=True))
    assert "禁用成功1条，跳过2条" in summary
    assert "陈诗慧（p_chen）：对方尚未通过绑定申请，不能禁用，可直接删除" in summary
    assert "吴海燕（unit_b）：不能对自己的账号进行此操作" in summary

    summary = flashes(act(boss, "org_members", "enable", [liu_member_of_shenzhen, chen]).get_data(as_text=True))
    assert "启用成功1条，跳过1条" in summary and "当前状态为“待确认”，不能启用" in summary

    summary = flashes(act(boss, "org_members", "remove", [chen, own]).get_data(as_text=True))
    assert "删除成功1条，跳过1条" in summary
    assert membership(app, "p_chen", SHENZHEN).status == MembershipStatus.REMOVED
    assert membership(app, "unit_b", SHENZHEN).status == MembershipStatus.ACTIVE
    summary = flashes(act(boss, "org_members", "remove", [chen]).get_data(as_text=True))
    assert "当前状态为“已解除”，不能删除" in summary


def test_reset_password_shows_it_once_and_forces_a_change(app, client, login_as, liu_member_of_shenzhen):
    boss = login_as("unit_b")
    response = act(boss, "org_members", "reset_password", [liu_member_of_shenzhen], follow=False)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "临时密码只在本页显示这一次" in page
    temporary = re.search(r'<code class="temporary-password">([^<]+)</code>', page).group(1)

    # not kept anywhere: not in the session cookie's flashes, not in the audit log
    assert temporary not in boss.get("/admin/org_members/").get_data(as_text=True)
    with app.app_context():
        rows = db.session.scalars(
            select(AuditLog).where(AuditLog.action == AuditAction.RESET_PASSWORD)
        ).all()
        assert rows and all(temporary not in f"{r.summary}{r.before}{r.after}" for r in rows)
        assert any("p_liu" in r.summary for r in rows)
        assert db.session.scalar(select(User.must_change_password).where(User.login == "p_liu"))

    assert client.login("p_liu", "Demo2026x").status_code == 200  # the old password is gone
    response = client.login("p_liu", temporary)
    assert response.headers["Location"].endswith("/change-password")


def test_reset_password_only_for_members_who_accepted(app, login_as):
    boss = login_as("unit_b")
    invite(boss, "p_chen", user_of(app, "p_chen").id_number)
    chen = membership(app, "p_chen", SHENZHEN).id
    page = act(boss, "org_members", "reset_password", [chen]).get_data(as_text=True)
    assert "只能重置本单位在职经办人员的密码" in flashes(page)
    assert not user_of(app, "p_chen").must_change_password
    own = membership(app, "unit_b", SHENZHEN).id
    page = act(boss, "org_members", "reset_password", [own]).get_data(as_text=True)
    assert "不能对自己的账号进行此操作" in flashes(page)


def test_handing_over_super_admin_moves_the_members_menu(app, login_as, liu_member_of_shenzhen):
    boss = login_as("unit_b")
    response = act(boss, "org_members", "make_super_admin", [liu_member_of_shenzhen], follow=False)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    home = boss.get("/admin/").get_data(as_text=True)
    assert "已将刘文斌（p_liu）设为本单位的超级管理员" in flashes(home)
    assert "单位经办人员" not in home
    assert boss.get("/admin/org_members/").status_code == 403

    old, new = membership(app, "unit_b", SHENZHEN), membership(app, "p_liu", SHENZHEN)
    assert not old.is_super_admin and old.status == MembershipStatus.ACTIVE
    assert new.is_super_admin
    liu = login_as("p_liu", SHENZHEN)
    assert "单位经办人员" in liu.get("/admin/").get_data(as_text=True)
    assert liu.get("/admin/org_members/").status_code == 200
    with app.app_context():
        summaries = db.session.scalars(select(AuditLog.summary).where(AuditLog.action == AuditAction.MEMBERSHIP)).all()
    assert "设为超级管理员：刘文斌（p_liu）" in summaries


def test_hand_over_needs_exactly_one_active_member(app, login_as, liu_member_of_shenzhen):
    boss = login_as("unit_b")
    invite(boss, "p_chen", user_of(app, "p_chen").id_number)
    chen = membership(app, "p_chen", SHENZHEN).id
    page = act(boss, "org_members", "make_super_admin", [liu_member_of_shenzhen, chen]).get_data(as_text=True)
    assert "请选择且只选择一名经办人员" in flashes(page)
    page = act(boss, "org_members", "make_super_admin", [chen]).get_data(as_text=True)
    assert "只能将有效的经办人员设为超级管理员" in flashes(page)
    own = membership(app, "unit_b", SHENZHEN).id
    page = act(boss, "org_members", "make_super_admin", [own]).get_data(as_text=True)
    assert "您已是本单位的超级管理员" in flashes(page)
    with app.app_context():
        db.session.scalar(select(User).where(User.login == "p_liu")).active = False
        db.session.commit()
    page = act(boss, "org_members", "make_super_admin", [liu_member_of_shenzhen]).get_data(as_text=True)
    assert "该经办人员的账号已停用，不能设为超级管理员" in flashes(page)
    assert membership(app, "unit_b", SHENZHEN).is_super_admin
    assert not membership(app, "p_liu", SHENZHEN).is_super_admin


def _actor(app, login, org_name):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.login == login))
        key = next(c.key for c in available_contexts(user) if c.label.startswith(org_name))
        return build_actor(user, key)


def test_two_hand_overs_from_the_same_page_leave_one_super_admin(app, login_as, liu_member_of_shenzhen):
    boss = login_as("unit_b")
    invite(boss, "p_chen", user_of(app, "p_chen").id_number)
    with app.app_context():
        chen = db.session.get(Membership, membership(app, "p_chen", SHENZHEN).id)
        chen.status = MembershipStatus.ACTIVE
        db.session.commit()
    stale = _actor(app, "unit_b", SHENZHEN)  # both tabs were opened while unit_b was super admin
    with app.test_request_context():
        g.actor = stale
        ops.make_super_admin(db.session.get(Membership, liu_member_of_shenzhen), stale)
        try:
            ops.make_super_admin(db.session.get(Membership, membership(app, "p_chen", SHENZHEN).id), stale)
        except WorkflowError as error:
            assert "您已不是本单位的超级管理员" in str(error)
        else:
            raise AssertionError("the second hand-over went through")
        db.session.commit()
        supers = db.session.scalars(
            select(Membership).where(Membership.org_id == stale.org_id, Membership.is_super_admin.is_(True))
        ).all()
    assert [m.id for m in supers] == [liu_member_of_shenzhen]


def test_roles_of_a_member_come_only_from_its_organisation(app, login_as, liu_member_of_shenzhen):
    boss = login_as("unit_b")
    create_role(boss, "人事专员", ["person_maintain"])
    edit = boss.get(f"/admin/org_members/edit/?id={liu_member_of_shenzhen}").get_data(as_text=True)
    assert "人事专员" in edit and "刘文斌（p_liu）" in edit
    hospital_role = role_id(app, HOSPITAL, "人事专员")
    assert f'value="{hospital_role}"' not in edit

    page = assign_roles(boss, liu_member_of_shenzhen, [hospital_role]).get_data(as_text=True)
    assert "只能选择本单位的角色" in page
    with app.app_context():
        assert db.session.get(Membership, liu_member_of_shenzhen).roles == []

    page = assign_roles(boss, liu_member_of_shenzhen, [role_id(app, SHENZHEN, "人事专员")]).get_data(as_text=True)
    with app.app_context():
        assert [r.name for r in db.session.get(Membership, liu_member_of_shenzhen).roles] == ["人事专员"]
        summaries = db.session.scalars(select(AuditLog.summary).where(AuditLog.action == AuditAction.MEMBERSHIP)).all()
    assert "分配角色：刘文斌（p_liu）" in summaries

    own = membership(app, "unit_b", SHENZHEN).id
    page = assign_roles(boss, own, [role_id(app, SHENZHEN, "人事专员")]).get_data(as_text=True)
    assert "不能对自己的账号进行此操作" in flashes(page)


def test_workflows_refuse_someone_who_is_not_the_super_admin(app, liu_member_of_shenzhen):
    """Defence in depth: the operations check the actor themselves, whatever the screen did."""
    university_boss = _actor(app, "unit_a", UNIVERSITY)
    hospital_member = _actor(app, "unit_a", HOSPITAL)
    with app.test_request_context():
        liu = db.session.get(Membership, liu_member_of_shenzhen)
        for actor, message in [(university_boss, "该记录不属于本单位"), (hospital_member, "只有本单位的超级管理员")]:
            g.actor = actor
            for operation in (ops.disable_member, ops.enable_member, ops.remove_member,
                              ops.reset_member_password, ops.make_super_admin):
                try:
                    operation(liu, actor)
                except WorkflowError as error:
                    assert message in str(error), (operation.__name__, str(error))
                else:
                    raise AssertionError(f"{operation.__name__} let {actor.label} act")
        db.session.rollback()
    assert membership(app, "p_liu", SHENZHEN).status == MembershipStatus.ACTIVE
