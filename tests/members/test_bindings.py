"""单位账号绑定个人账号: the super admin adds an operator by login + ID number, the operator accepts or
refuses on 我经办的单位账号, and then acts for the organisation with the menus its roles give."""
from datetime import date

from sqlalchemy import func, select

from backoffice.demo import DEMO_PASSWORD
from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import Membership, User
from backoffice.validators import make_citizen_id

from member_helpers import (
    SHENZHEN,
    UNIVERSITY,
    act,
    answer_binding,
    assign_roles,
    create_role,
    flashes,
    invite,
    membership,
    role_id,
    user_of,
)


def test_invited_person_accepts_and_acts_with_the_menus_of_its_role(app, login_as):
    boss = login_as("unit_b")
    page = boss.get("/admin/org_members/").get_data(as_text=True)
    assert "新增经办人" in page

    response = invite(boss, "p_liu", user_of(app, "p_liu").id_number)
    assert response.status_code == 302
    listing = boss.get("/admin/org_members/").get_data(as_text=True)
    assert "已向刘文斌（p_liu）发出绑定申请" in flashes(listing)
    assert "待确认" in listing
    pending = membership(app, "p_liu", SHENZHEN)
    assert pending.status == MembershipStatus.PENDING and not pending.is_super_admin

    # The super admin prepares a role and gives it to the new operator before it even accepts.
    create_role(boss, "人事专员", ["person_maintain"])
    assign_roles(boss, pending.id, [role_id(app, SHENZHEN, "人事专员")])

    liu = login_as("p_liu")  # a person: signs in as 个人 straight away
    select_page = liu.get("/select-org").get_data(as_text=True)
    assert SHENZHEN not in select_page and "有1个单位申请绑定您的账号为经办人员" in select_page
    bindings = liu.get("/me/bindings").get_data(as_text=True)
    assert SHENZHEN in bindings and "待确认" in bindings and "通过申请" in bindings

    page = answer_binding(liu, pending.id, "accept").get_data(as_text=True)
    assert "已通过“深圳示范科技有限公司”的绑定申请" in page
    assert "通过申请" not in page.split("</thead>")[1]  # nothing left to answer
    assert membership(app, "p_liu", SHENZHEN).status == MembershipStatus.ACTIVE

    assert liu.select(SHENZHEN).status_code == 302
    home = liu.get("/admin/").get_data(as_text=True)
    assert "专业技术人员信息维护" in home
    assert "单位经办人员" not in home and "角色管理" not in home and "内设部门" not in home
    assert liu.get("/admin/person_maintain/").status_code == 200
    assert liu.get("/admin/org_members/").status_code == 403
    assert liu.get("/admin/org_roles/").status_code == 403
    assert liu.get("/admin/org_departments/").status_code == 403


def test_refusing_leaves_the_organisation_off_the_select_page(app, login_as):
    boss = login_as("unit_b")
    invite(boss, "p_chen", user_of(app, "p_chen").id_number)
    pending = membership(app, "p_chen", SHENZHEN)

    chen = login_as("p_chen")
    notice = chen.get("/select-org").get_data(as_text=True)
    assert "有1个单位申请绑定您的账号为经办人员" in notice and "/me/bindings" in notice

    page = answer_binding(chen, pending.id, "refuse").get_data(as_text=True)
    assert "已拒绝“深圳示范科技有限公司”的绑定申请" in page
    assert "已拒绝" in page
    assert membership(app, "p_chen", SHENZHEN).status == MembershipStatus.REFUSED
    select_page = chen.get("/select-org").get_data(as_text=True)
    assert SHENZHEN not in select_page and "pending-bindings" not in select_page

    # answering twice changes nothing
    page = answer_binding(chen, pending.id, "accept", token_page="/admin/").get_data(as_text=True)
    assert "该绑定申请已处理，当前状态为“已拒绝”" in page
    assert membership(app, "p_chen", SHENZHEN).status == MembershipStatus.REFUSED

    # the organisation may ask again; the request is pending once more
    invite(boss, "p_chen", user_of(app, "p_chen").id_number)
    assert membership(app, "p_chen", SHENZHEN).status == MembershipStatus.PENDING


def test_wrong_id_number_or_unknown_login_get_one_message_and_save_nothing(app, login_as):
    boss = login_as("unit_b")

    def count():
        with app.app_context():
            return db.session.scalar(select(func.count(Membership.id)))

    before = count()
    right = user_of(app, "p_liu").id_number
    wrong = right[:-4] + ("0000" if right[-4:] != "0000" else "1111")
    for login, id_number in [("p_liu", wrong), ("nobody_here", right), ("helpdesk", user_of(app, "helpdesk").id_number)]:
        response = invite(boss, login, id_number)
        assert response.status_code == 200
        assert "账号或证件号码不正确" in response.get_data(as_text=True), login
    assert count() == before
    page = invite(boss, "", "").get_data(as_text=True)
    assert "请输入登录账号" in page and "请输入证件号码" in page


def test_login_is_case_insensitive_and_a_lower_case_x_matches(app, login_as):
    boss = login_as("unit_b")
    id_number = user_of(app, "p_chen").id_number
    assert invite(boss, "P_CHEN", f"  {id_number.lower()} ").status_code == 302
    assert membership(app, "p_chen", SHENZHEN).status == MembershipStatus.PENDING


def test_inviting_someone_already_bound_says_so(app, login_as):
    boss = login_as("unit_b")
    id_number = user_of(app, "p_liu").id_number
    invite(boss, "p_liu", id_number)
    page = invite(boss, "p_liu", id_number).get_data(as_text=True)
    assert "已向刘文斌（p_liu）发出绑定申请，正在等待对方确认" in page

    answer_binding(login_as("p_liu"), membership(app, "p_liu", SHENZHEN).id, "accept")
    page = invite(boss, "p_liu", id_number).get_data(as_text=True)
    assert "刘文斌（p_liu）已是本单位的经办人员（有效）" in page
    page = invite(boss, "unit_b", user_of(app, "unit_b").id_number).get_data(as_text=True)
    assert "已是本单位的经办人员" in page


def test_a_removed_member_can_be_invited_again_without_its_old_roles(app, login_as, liu_member_of_shenzhen):
    boss = login_as("unit_b")
    create_role(boss, "人事专员", ["person_maintain"])
    assign_roles(boss, liu_member_of_shenzhen, [role_id(app, SHENZHEN, "人事专员")])
    act(boss, "org_members", "remove", [liu_member_of_shenzhen])
    removed = membership(app, "p_liu", SHENZHEN)
    assert removed.status == MembershipStatus.REMOVED
    with app.app_context():
        assert db.session.get(Membership, removed.id).roles == []

    assert invite(boss, "p_liu", user_of(app, "p_liu").id_number).status_code == 302
    again = membership(app, "p_liu", SHENZHEN)
    assert again.id == removed.id and again.status == MembershipStatus.PENDING


def test_nobody_answers_someone_elses_binding(app, login_as):
    invite(login_as("unit_b"), "p_liu", user_of(app, "p_liu").id_number)
    pending = membership(app, "p_liu", SHENZHEN)
    chen = login_as("p_chen")
    assert answer_binding(chen, pending.id, "accept", token_page="/admin/", follow=False).status_code == 404
    assert SHENZHEN not in chen.get("/me/bindings").get_data(as_text=True)
    assert membership(app, "p_liu", SHENZHEN).status == MembershipStatus.PENDING
    # nor a binding that is not pending, nor a made-up decision
    own = membership(app, "unit_b", SHENZHEN)
    unit_b = login_as("unit_b")
    refused = answer_binding(unit_b, own.id, "refuse", token_page="/admin/", follow=False)
    assert refused.status_code == 302  # back to the list, with the reason
    assert "该绑定申请已处理" in flashes(unit_b.get(refused.headers["Location"]).get_data(as_text=True))
    invalid = answer_binding(login_as("p_liu"), pending.id, "approve_everything", follow=False)
    assert invalid.status_code == 200 and "请求无效" in flashes(invalid.get_data(as_text=True))  # the form again
    assert membership(app, "p_liu", SHENZHEN).status == MembershipStatus.PENDING


def test_binding_page_needs_sign_in_and_csrf(app, client, login_as):
    response = client.get("/me/bindings")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    invite(login_as("unit_b"), "p_liu", user_of(app, "p_liu").id_number)
    pending = membership(app, "p_liu", SHENZHEN)
    liu = login_as("p_liu")
    response = liu.http.post("/me/bindings", data={"membership_id": pending.id, "decision": "accept"})
    assert response.status_code == 400
    assert membership(app, "p_liu", SHENZHEN).status == MembershipStatus.PENDING


def test_an_account_with_nothing_to_act_as_is_pointed_to_its_bindings(app, client, login_as):
    with app.app_context():
        user = User(login="zhang_new", real_name="张新", id_number=make_citizen_id("440106", date(1992, 1, 2), "151"))
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        db.session.commit()
        id_number = user.id_number
    invite(login_as("unit_a", UNIVERSITY), "zhang_new", id_number)

    assert client.login("zhang_new").headers["Location"].startswith("/select-org")
    page = client.get("/select-org").get_data(as_text=True)
    assert "尚未绑定任何有效的单位" in page and "/me/bindings" in page and "pending-bindings" in page
    answer_binding(client, membership(app, "zhang_new", UNIVERSITY).id, "accept")
    assert client.select(UNIVERSITY).status_code == 302
    assert client.get("/admin/").status_code == 200
