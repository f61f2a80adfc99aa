"""单位经办人员 (workflows/members.py) beyond the refusals of test_guards_members.py / test_guards_new_admins.py:
who 选择成为管理员 may name and offers (`own_people`, `pickable`, by natural key), what 注册成为管理员 stores
and links (`register_member`, `_link_recorded_person`), an ended binding opened again (`_bind`), the
invited account's answer (`_answer_binding`) and 角色管理's exact messages (`save_role`) — each pinned by
the rows it leaves, its AuditLog rows and, after a refusal, the rows read again. The races are the page's
stale copy against someone else's change written behind it. Nothing is committed (`acting`).
"""
from datetime import date, datetime

import pytest
from sqlalchemy import event, func, select, update

from backoffice.extensions import db
from backoffice.labels import BindingStatus, MembershipStatus
from backoffice.models import AuditLog, Membership, Organisation, OrgRole, Person, User
from backoffice.validators import make_citizen_id
from backoffice.workflows import WorkflowError
from backoffice.workflows.members import (
    accept_binding, disable_member, invite_member, make_super_admin, own_people, pick_member, pickable,
    refuse_binding, register_member, reset_member_password, save_role, set_roles,
)
from backoffice.workflows.registration import RegistrationError
from test_trail import Trail
from world import acting, row, visible_keys

PASSWORD = "Guard2027xq"
ID_ELSEWHERE = "该证件号码不能在此注册：请本人在登录页“个人用户注册”后，再使用“添加已注册账号（添加成为管理员）”"


def _behind_the_page(model, key_id: int, **values) -> None:
    """Someone else's change, written to the database only: the caller's copy stays stale."""
    db.session.execute(
        update(model).where(model.id == key_id).values(**values).execution_options(synchronize_session=False)
    )


# ---- 选择成为管理员: whom the picker may name and offers ----------------------------------------------


@pytest.mark.parametrize(
    "who,own,offered",
    [
        # gz1's people in every binding state; only pe_gz1_ok is confirmed and owns an account (u_p1)
        ("unit_gz1", {"pe_gz1_ok", "pe_gz1_b", "pe_gz1_wait", "pe_going"}, {"pe_gz1_ok"}),
        ("unit_sz", {"pe_sz_ok", "pe_moved", "pe_rebound", "pe_sz_none"}, {"pe_sz_ok"}),  # pe_sz_none: no account
        ("hr_gz", set(), set()),  # a Guangdong HR employs nobody
        ("hr_oc", {"pe_hr_oc_ok", "pe_hr_oc_wait"}, set()),  # 神谕省's HR employs; nobody has an account
    ],
)
def test_the_picker_names_own_people_and_offers_the_confirmed_with_an_account(app, world, who, own, offered):
    with acting(app):
        actor = world.actors[who]
        assert visible_keys(world, Person, own_people(actor)) == own
        assert visible_keys(world, Person, pickable(actor)) == offered


def test_an_account_makes_a_confirmed_person_pickable_and_a_pending_one_stays_out(app, world):
    with acting(app):
        row(world, Person, "pe_hr_oc_ok").user_id = world.ids["u_lone"]
        row(world, Person, "pe_hr_oc_wait").user_id = world.ids["u_nobody"]
        db.session.flush()
        assert visible_keys(world, Person, pickable(world.actors["hr_oc"])) == {"pe_hr_oc_ok"}


# ---- 注册成为管理员 ------------------------------------------------------------------------------------


def _account(login="new_op", id_number=None, **more) -> dict:
    return {
        "login": login, "real_name": "新人", "mobile": "13911112222", "id_type": "resident_id",
        "id_number": make_citizen_id("440106", date(1990, 1, 2), "123") if id_number is None else id_number, **more,
    }


def _recorded(world, unit="or_unit_gz1", binding=BindingStatus.CONFIRMED, born=date(1990, 1, 2)) -> Person:
    """A person the organisation recorded (批量导入 / 新增人员) who has no account yet."""
    person = Person(
        name="记录在案", sex="女", id_number=make_citizen_id("440106", born, "123"),
        unit_id=world.ids[unit], binding_status=binding,
    )
    db.session.add(person)
    db.session.flush()
    return person


def _counts() -> tuple[int, int]:
    return db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Membership.id)))


def test_registering_stores_the_trimmed_account_and_links_the_recorded_person(app, world):
    with acting(app):
        gz1, boss = row(world, Organisation, "or_unit_gz1"), world.actors["unit_gz1"]
        person = _recorded(world)
        data = {key: f" {value} " for key, value in _account().items() if key != "id_type"}
        with Trail() as trail:
            bound = register_member(gz1, {**data, "id_type": "resident_id"}, PASSWORD, boss)
        user = db.session.get(User, bound.user_id)
        assert (user.login, user.real_name, user.mobile, user.id_type, user.id_number, user.must_change_password) == (
            "new_op", "新人", "13911112222", "resident_id", person.id_number, True)
        assert user.check_password(PASSWORD)
        assert (bound.org_id, bound.status, bound.is_super_admin) == (gz1.id, MembershipStatus.ACTIVE, False)
        db.session.refresh(person)
        assert person.user_id == user.id
        summary = "新增经办人（注册新账号）：new_op（or_unit_gz1）"
        assert [(a[0], a[1], a[2], a[3]) for a in trail.audit] == [
            ("membership", "user_account", str(user.id), summary),
            ("membership", "person", str(person.id), "关联个人账号：记录在案（new_op）"),
            ("membership", "membership", str(bound.id), summary),
        ]
        assert trail.audit[1][4:] == ({"user_id": None}, {"user_id": user.id})


def test_an_id_number_that_is_no_resident_id_links_nobody(app, world):
    """A passport number equal to a recorded person's ID number is someone else's document."""
    with acting(app):
        person = _recorded(world)
        bound = register_member(row(world, Organisation, "or_unit_gz1"),
                                _account(id_type="passport", id_number=person.id_number), PASSWORD,
                                world.actors["unit_gz1"])
        db.session.refresh(person)
        assert (bound.status, person.user_id) == (MembershipStatus.ACTIVE, None)


@pytest.mark.parametrize(
    "unit,binding",
    [("or_unit_gz2", BindingStatus.CONFIRMED), ("or_unit_gz1", BindingStatus.PENDING), (None, None), ("own", None)],
)
def test_an_id_number_recorded_elsewhere_is_not_registered_here(app, world, unit, binding):
    """Another unit's person, one still waiting for this unit, one of no unit, one of ours who has an
    account already: not this unit's to link."""
    with acting(app):
        if unit in (None, "own"):
            person = _recorded(world, unit="or_unit_gz1")
            if unit is None:
                person.unit_id, person.binding_status = None, None
            else:
                person.user_id = world.ids["u_lone"]
            db.session.flush()
        else:
            person = _recorded(world, unit=unit, binding=binding)
        owner = person.user_id
        before = _counts()
        with pytest.raises(RegistrationError) as refused:
            register_member(row(world, Organisation, "or_unit_gz1"), _account(), PASSWORD, world.actors["unit_gz1"])
        assert (refused.value.field, str(refused.value)) == ("id_number", ID_ELSEWHERE)
        assert _counts() == before
        db.session.refresh(person)
        assert person.user_id == owner


def test_a_person_who_got_an_account_meanwhile_is_not_linked_and_nothing_is_registered(app, world):
    with acting(app):
        person = _recorded(world)
        _behind_the_page(Person, person.id, user_id=world.ids["u_lone"])  # registered themselves meanwhile
        before = _counts()
        with pytest.raises(RegistrationError) as refused:
            register_member(row(world, Organisation, "or_unit_gz1"), _account(), PASSWORD, world.actors["unit_gz1"])
        assert (refused.value.field, str(refused.value)) == ("id_number", ID_ELSEWHERE)
        assert _counts() == before
        assert db.session.scalar(select(User.id).where(User.login == "new_op")) is None
        db.session.refresh(person)
        assert person.user_id == world.ids["u_lone"]


@pytest.mark.parametrize(
    "meanwhile",
    [
        {"user_id": "u_lone"},  # the person registered themselves between the check and the link
        {"unit_id": "or_unit_gz2"},  # a transfer to 广州 unit 2 was accepted in between
    ],
)
def test_a_person_changed_between_the_check_and_the_link_is_not_linked(app, world, meanwhile):
    """The other transaction's change lands right after the new account is written, before the link's
    conditional UPDATE: only that UPDATE's WHERE can refuse."""
    with acting(app):
        person = _recorded(world)
        changes = {key: world.ids[value] for key, value in meanwhile.items()}

        def other_transaction(session, _context):
            session.connection().execute(update(Person).where(Person.id == person.id).values(**changes))

        event.listen(db.session(), "after_flush", other_transaction, once=True)
        before = _counts()
        with pytest.raises(RegistrationError) as refused:
            register_member(row(world, Organisation, "or_unit_gz1"), _account(), PASSWORD, world.actors["unit_gz1"])
        assert (refused.value.field, str(refused.value)) == ("id_number", ID_ELSEWHERE)
        assert _counts() == before
        assert db.session.scalar(select(User.id).where(User.login == "new_op")) is None


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"login": "U_P1"}, "login", "该登录账号已被注册，请换一个"),
        ({"login": " "}, "login", "请填写完整的账号信息"),
        ({"real_name": " "}, "real_name", "请填写完整的账号信息"),
        ({"id_type": ""}, "id_type", "请填写完整的账号信息"),
        ({"id_number": ""}, "id_number", "请填写完整的账号信息"),
        ({"mobile": "12911112222"}, "mobile", "手机号码格式不正确"),
        ({"login": "a b"}, "login", "登录账号只能包含字母、数字、下划线"),
        ({"id_number": "44010619920506217"}, "id_number", "公民身份号码应为18位"),
        ({"login": "Guard"}, "password", "密码不能包含登录账号"),  # the password is checked against the login
        ({"password": "abcd1234"}, "password", "密码不能包含4个或以上连续的字符（如abcd、1234）"),
        # a missing field is named before a malformed one
        ({"real_name": "", "mobile": "12911112222"}, "real_name", "请填写完整的账号信息"),
    ],
)
def test_registering_refuses_with_the_field_and_its_exact_message(app, world, change, field, message):
    with acting(app):
        before = _counts()
        fields = {key: value for key, value in change.items() if key != "password"}
        with pytest.raises(RegistrationError) as refused:
            register_member(row(world, Organisation, "or_unit_gz1"), _account(**fields),
                            change.get("password", PASSWORD), world.actors["unit_gz1"])
        assert (refused.value.field, str(refused.value)) == (field, message)
        assert _counts() == before


def test_an_id_document_registered_once_is_not_registered_twice(app, world):
    with acting(app):
        gz1, boss = row(world, Organisation, "or_unit_gz1"), world.actors["unit_gz1"]
        register_member(gz1, _account(), PASSWORD, boss)
        before = _counts()
        with pytest.raises(RegistrationError) as refused:
            register_member(gz1, _account(login="new_op2"), PASSWORD, boss)
        assert (refused.value.field, str(refused.value)) == (
            "id_number", "该证件号码已注册，请使用“添加已注册账号（添加成为管理员）”")
        assert _counts() == before
        # a passport number is not held to the citizen-ID checks
        other = register_member(gz1, _account(login="new_op3", id_type="passport", id_number="E12345678"), PASSWORD,
                                boss)
        assert other.status == MembershipStatus.ACTIVE


# ---- a binding asked for or opened again (_bind) ---------------------------------------------------


def test_a_new_binding_is_audited_under_the_way_it_was_made(app, world):
    with acting(app):
        gz1, boss = row(world, Organisation, "or_unit_gz1"), world.actors["unit_gz1"]
        lone = row(world, User, "u_lone")
        with Trail() as trail:
            asked = invite_member(gz1, lone.login, lone.id_number, boss)
            picked = pick_member(gz1, row(world, Person, "pe_gz1_ok"), boss)
        assert [(a[0], a[1], a[2], a[3], a[5]["status"]) for a in trail.audit] == [
            ("membership", "membership", str(asked.id), "新增经办人：u_lone（or_unit_gz1）", "pending"),
            ("membership", "membership", str(picked.id), "新增经办人（选择本单位人员）：u_p1（or_unit_gz1）", "active"),
        ]
        assert [(m.user_id, m.org_id, m.is_super_admin) for m in (asked, picked)] == [
            (lone.id, gz1.id, False), (world.ids["u_p1"], gz1.id, False)]



def test_an_ended_binding_reopens_as_a_new_request_and_is_audited(app, world):
    with acting(app):
        gone = row(world, Membership, "u_gone@or_unit_gz1")
        gone.created_at = datetime(2020, 1, 1)
        db.session.flush()
        user = row(world, User, "u_gone")
        with Trail() as trail:
            again = invite_member(row(world, Organisation, "or_unit_gz1"), user.login, user.id_number,
                                  world.actors["unit_gz1"])
        db.session.refresh(again)
        assert (again.id, again.status, again.is_super_admin) == (gone.id, MembershipStatus.PENDING, False)
        assert again.created_at > datetime(2026, 1, 1)  # asked now: the request's date is today's
        assert trail.audit == [
            ("membership", "membership", str(gone.id), "新增经办人：u_gone（or_unit_gz1）",
             {"status": "removed"}, {"status": "pending"}),
        ]


def test_a_binding_changed_meanwhile_is_not_reopened(app, world):
    with acting(app):
        gone = row(world, Membership, "u_gone@or_unit_gz1")  # the page read it 已解除
        _behind_the_page(Membership, gone.id, status=MembershipStatus.ACTIVE)  # the helpdesk restored it
        user = row(world, User, "u_gone")
        with Trail() as trail, pytest.raises(WorkflowError) as refused:
            invite_member(row(world, Organisation, "or_unit_gz1"), user.login, user.id_number,
                          world.actors["unit_gz1"])
        assert str(refused.value) == "该经办绑定的状态已变为“有效”，请刷新页面后重试"
        db.session.refresh(gone)
        assert gone.status == MembershipStatus.ACTIVE
        assert trail.audit == []


# ---- the invited account answers (_answer_binding) -------------------------------------------------


def _audit_since(first_id: int):
    return [
        (a.action, a.user_id, a.object_type, a.object_id, a.summary, a.before, a.after)
        for a in db.session.scalars(select(AuditLog).where(AuditLog.id > first_id).order_by(AuditLog.id))
    ]


@pytest.mark.parametrize(
    "answer,verb,status", [(accept_binding, "通过", "active"), (refuse_binding, "拒绝", "refused")],
)
def test_the_answer_sets_the_state_and_is_audited_as_the_invited_user(app, world, answer, verb, status):
    with acting(app):
        pending, user = row(world, Membership, "u_pend@or_unit_gz1"), row(world, User, "u_pend")
        pending.updated_at = datetime(2020, 1, 1)
        db.session.flush()
        last = db.session.scalar(select(func.max(AuditLog.id))) or 0
        answer(pending, user)
        db.session.flush()
        db.session.refresh(pending)
        assert pending.status == status
        assert pending.updated_at > datetime(2026, 1, 1)
        assert _audit_since(last) == [
            ("membership", user.id, "membership", str(pending.id), f"{verb}绑定申请：or_unit_gz1",
             {"status": "pending"}, {"status": status}),
        ]


def test_an_answer_to_a_request_withdrawn_meanwhile_changes_nothing(app, world):
    with acting(app):
        pending, user = row(world, Membership, "u_pend@or_unit_gz1"), row(world, User, "u_pend")
        _behind_the_page(Membership, pending.id, status=MembershipStatus.REMOVED)  # the unit deleted it
        last = db.session.scalar(select(func.max(AuditLog.id))) or 0
        with pytest.raises(WorkflowError) as refused:
            accept_binding(pending, user)
        assert str(refused.value) == "该绑定申请已处理，当前状态为“已解除”"
        db.session.refresh(pending)
        assert pending.status == MembershipStatus.REMOVED
        assert _audit_since(last) == []


# ---- 角色管理 (save_role) -----------------------------------------------------------------------------


def _refusal(call) -> str:
    with pytest.raises(WorkflowError) as error:
        call()
    return str(error.value)


def test_role_input_is_checked_with_exact_messages(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        staff = row(world, OrgRole, "ro_gz1_staff")
        assert _refusal(lambda: save_role(None, boss, name=" ", modules=[])) == "请输入角色名称"
        assert _refusal(lambda: save_role(None, boss, name="角" * 51, modules=[])) == "角色名称限50字"
        assert _refusal(lambda: save_role(None, boss, name="ro_gz1_staff", modules=[])) == "角色名称“ro_gz1_staff”已存在"
        assert _refusal(lambda: save_role(None, boss, name="越权", modules=["org_roles", "teachers", "org_members"])) == (
            "以下权限模块不能授予法人单位的角色：单位经办人员、角色管理")
        assert _refusal(lambda: save_role(None, boss, name="越权", modules=["no_such_module"])) == (
            "以下权限模块不能授予法人单位的角色：no_such_module")
        # gz2's role of the same name is another organisation's: no clash
        assert save_role(None, boss, name="ro_gz2_staff", modules=None).modules == []
        # the role keeps its own name; modules are stored in the menu's order, each once
        saved = save_role(staff, boss, name=" ro_gz1_staff ", modules=["teachers", "person_query", "teachers"])
        assert (saved.id, saved.name, saved.modules) == (staff.id, "ro_gz1_staff", ["person_query", "teachers"])
        made = save_role(None, boss, name="角" * 50, modules=["teachers"])
        assert (made.org_id, made.name, made.modules) == (world.ids["or_unit_gz1"], "角" * 50, ["teachers"])
        db.session.refresh(staff)
        assert staff.modules == ["person_query", "teachers"]


def test_an_answer_moves_only_the_request_it_answers(app, world):
    """u_pend is asked by two units: accepting gz1's leaves 深圳's waiting."""
    with acting(app):
        user = row(world, User, "u_pend")
        other = invite_member(row(world, Organisation, "or_unit_sz"), user.login, user.id_number,
                              world.actors["unit_sz"])
        accept_binding(row(world, Membership, "u_pend@or_unit_gz1"), user)
        db.session.refresh(other)
        assert other.status == MembershipStatus.PENDING


# ---- 设为超级管理员 races and 重置密码's reason --------------------------------------------------------


def test_a_hand_over_by_a_super_admin_disabled_meanwhile_changes_nothing(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        member = row(world, Membership, "u_multi@or_unit_gz1")
        _behind_the_page(Membership, boss.membership_id, status=MembershipStatus.DISABLED)  # by the helpdesk
        with pytest.raises(WorkflowError) as refused:
            make_super_admin(member, boss)
        assert str(refused.value) == "您已不是本单位的超级管理员，请刷新页面"
        db.session.refresh(member)
        assert member.is_super_admin is False


def test_a_hand_over_to_a_member_disabled_meanwhile_keeps_the_old_super_admin(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        member = row(world, Membership, "u_multi@or_unit_gz1")  # the page read it 有效
        _behind_the_page(Membership, member.id, status=MembershipStatus.DISABLED)
        with pytest.raises(WorkflowError) as refused:
            make_super_admin(member, boss)
        assert str(refused.value) == "该经办人员的状态已变化，请刷新页面后重试"
        mine = db.session.get(Membership, boss.membership_id)
        db.session.refresh(mine)
        db.session.refresh(member)
        assert (mine.is_super_admin, member.is_super_admin, member.status) == (True, False, MembershipStatus.DISABLED)


def test_a_members_password_reset_is_logged_with_its_reason(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        bound = register_member(row(world, Organisation, "or_unit_gz1"), _account(), PASSWORD, boss)
        with Trail() as trail:
            reset_member_password(bound, boss)
        assert [a[3] for a in trail.audit] == ["or_unit_gz1重置密码：new_op；原因：单位超级管理员重置"]


# ---- 选择成为管理员 of an account that was bound here before; 分配角色 and 角色管理 refusals ----------------


@pytest.mark.parametrize(
    "earlier,status",
    [
        (MembershipStatus.REFUSED, MembershipStatus.PENDING),  # it said no once: asked again, not bound
        (MembershipStatus.REMOVED, MembershipStatus.ACTIVE),  # the unit ended it: wholly ours, bound at once
    ],
)
def test_picking_an_account_bound_here_before_reopens_its_row(app, world, earlier, status):
    with acting(app):
        gz1 = row(world, Organisation, "or_unit_gz1")
        old = Membership(user_id=world.ids["u_p1"], org_id=gz1.id, status=earlier, is_super_admin=False)
        db.session.add(old)
        db.session.flush()
        picked = pick_member(gz1, row(world, Person, "pe_gz1_ok"), world.actors["unit_gz1"])
        db.session.refresh(picked)
        assert (picked.id, picked.status, picked.is_super_admin) == (old.id, status, False)
        with pytest.raises(WorkflowError) as refused:
            pick_member(gz1, row(world, Person, "pe_gz1_ok"), world.actors["unit_gz1"])
        assert str(refused.value) == {  # the account as 姓名（登录账号）
            MembershipStatus.PENDING: "已向u_p1（u_p1）发出绑定申请，正在等待对方确认",
            MembershipStatus.ACTIVE: "u_p1（u_p1）已是本单位的经办人员（有效）",
        }[status]


def test_roles_of_another_organisation_are_not_assigned_and_names_stay_unique(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        member = row(world, Membership, "u_multi@or_unit_gz1")
        with pytest.raises(WorkflowError) as refused:
            set_roles(member, [row(world, OrgRole, "ro_gz2_staff")], boss)
        assert str(refused.value) == "只能分配本单位的角色"
        db.session.refresh(member)
        assert [r.name for r in member.roles] == ["ro_gz1_staff"]
        other = save_role(None, boss, name="ro_other", modules=["teachers"])
        with pytest.raises(WorkflowError) as refused:
            save_role(other, boss, name="ro_gz1_staff", modules=["teachers"])  # renaming onto another role
        assert str(refused.value) == "角色名称“ro_gz1_staff”已存在"
        db.session.refresh(other)
        assert other.name == "ro_other"


def test_a_missing_name_or_login_is_asked_for(app, world):
    with acting(app):
        boss, gz1 = world.actors["unit_gz1"], row(world, Organisation, "or_unit_gz1")
        with pytest.raises(WorkflowError) as refused:
            save_role(None, boss, name=None, modules=[])
        assert str(refused.value) == "请输入角色名称"
        with pytest.raises(WorkflowError) as refused:
            invite_member(gz1, None, row(world, User, "u_lone").id_number, boss)
        assert str(refused.value) == "请输入登录账号和证件号码"


def test_the_super_admins_own_binding_and_a_new_super_admins_are_not_moved(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        mine = db.session.get(Membership, boss.membership_id)
        with pytest.raises(WorkflowError) as refused:
            disable_member(mine, boss)
        assert str(refused.value) == "不能对自己的账号进行此操作"
        member = row(world, Membership, "u_multi@or_unit_gz1")
        make_super_admin(member, boss)
        # a second tab of the old super admin, its page (and actor) from before the hand-over
        with pytest.raises(WorkflowError) as refused:
            disable_member(member, boss)
        assert str(refused.value) == "不能对超级管理员进行此操作，请先将超级管理员移交给其他经办人员"
        db.session.refresh(member)
        assert (member.status, member.is_super_admin) == (MembershipStatus.ACTIVE, True)


def test_disabling_a_member_made_super_admin_meanwhile_changes_nothing(app, world):
    with acting(app):
        boss = world.actors["unit_gz1"]
        member = row(world, Membership, "u_multi@or_unit_gz1")  # the page read it an ordinary member
        _behind_the_page(Membership, boss.membership_id, is_super_admin=False)  # handed over in another tab
        _behind_the_page(Membership, member.id, is_super_admin=True)
        with pytest.raises(WorkflowError) as refused:
            disable_member(member, boss)
        assert str(refused.value) == "该经办人员已是超级管理员，不能进行此操作"
        db.session.refresh(member)
        assert (member.status, member.is_super_admin) == (MembershipStatus.ACTIVE, True)
