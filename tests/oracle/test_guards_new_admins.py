"""Guards of 选择成为管理员 and 注册成为管理员 (workflows/members.py `pick_member`, `register_member`), called
straight: only the acting organisation's super admin, only for that organisation, only a person confirmed
there who owns an account; the binding is 有效 only for an account whose whole power already lies in the
organisation. Each refusal sits beside the same call by who may make it. Nothing is committed.
"""
from datetime import date

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import Membership, Organisation, Person, User
from backoffice.policy import reset_refusal
from backoffice.validators import make_citizen_id
from backoffice.workflows import WorkflowError
from backoffice.workflows.members import pick_member, register_member
from backoffice.workflows.registration import RegistrationError
from world import acting, row

NOT_SUPER_ADMIN = "只有本单位的超级管理员可以进行此操作"
FOREIGN = "该记录不属于本单位"
PASSWORD = "Guard2027xq"


def _account(login="guard_admin", id_number=None) -> dict:
    return {
        "login": login, "real_name": "守卫", "mobile": "13911112222", "id_type": "resident_id",
        "id_number": id_number or make_citizen_id("440106", date(1992, 5, 6), "217"),
    }


def _memberships() -> int:
    return db.session.scalar(select(func.count(Membership.id)))


def test_only_the_super_admin_of_the_organisation_picks_or_registers(app, world):
    with acting(app):
        gz1, gz2 = row(world, Organisation, "or_unit_gz1"), row(world, Organisation, "or_unit_gz2")
        person = row(world, Person, "pe_gz1_ok")
        before = _memberships()
        with pytest.raises(WorkflowError, match=NOT_SUPER_ADMIN):
            pick_member(gz1, person, world.actors["multi_gz1"])
        with pytest.raises(WorkflowError, match=NOT_SUPER_ADMIN):
            register_member(gz1, _account(), PASSWORD, world.actors["multi_gz1"])
        with pytest.raises(WorkflowError, match=FOREIGN):
            pick_member(gz2, person, world.actors["unit_gz1"])
        with pytest.raises(WorkflowError, match=FOREIGN):
            register_member(gz2, _account(), PASSWORD, world.actors["unit_gz1"])
        with pytest.raises(WorkflowError, match=NOT_SUPER_ADMIN):
            pick_member(gz1, person, None)
        assert _memberships() == before
        assert db.session.scalar(select(User.id).where(User.login == "guard_admin")) is None


@pytest.mark.parametrize("key,message", [
    ("pe_gz2_ok", "只能选择本单位已确认的专业技术人员"),  # another unit's person
    ("pe_sz_ok", "只能选择本单位已确认的专业技术人员"),  # another unit's, with an account
    ("pe_gz1_wait", "当前为“待单位确认”"),
    ("pe_gz1_b", "该人员尚未注册个人账号"),
])
def test_the_super_admin_picks_only_confirmed_people_of_its_own_with_an_account(app, world, key, message):
    with acting(app):
        before = _memberships()
        with pytest.raises(WorkflowError, match=message):
            pick_member(row(world, Organisation, "or_unit_gz1"), row(world, Person, key), world.actors["unit_gz1"])
        assert _memberships() == before


def test_an_account_wholly_of_the_organisation_is_bound_at_once_and_only_once(app, world):
    with acting(app):
        gz1, boss = row(world, Organisation, "or_unit_gz1"), world.actors["unit_gz1"]
        bound = pick_member(gz1, row(world, Person, "pe_gz1_ok"), boss)
        assert (bound.org_id, bound.status, bound.is_super_admin) == (gz1.id, MembershipStatus.ACTIVE, False)
        with pytest.raises(WorkflowError, match="已是本单位的经办人员（有效）"):
            pick_member(gz1, row(world, Person, "pe_gz1_ok"), boss)


def test_an_account_with_power_elsewhere_is_asked_and_a_system_account_refused(app, world):
    with acting(app):
        gz1, boss = row(world, Organisation, "or_unit_gz1"), world.actors["unit_gz1"]
        person = row(world, Person, "pe_gz1_b")
        person.user_id = world.ids["u_off"]  # still 已禁用 at 深圳: its power reaches beyond gz1
        db.session.flush()
        asked = pick_member(gz1, person, boss)
        assert asked.status == MembershipStatus.PENDING
        db.session.rollback()

        person = row(world, Person, "pe_gz1_b")
        person.user_id = world.ids["u_help"]
        db.session.flush()
        with pytest.raises(WorkflowError, match="系统管理员和运维账号不能成为单位经办人员"):
            pick_member(gz1, person, boss)


def test_a_registered_operator_is_wholly_the_organisations(app, world):
    with acting(app):
        gz1, boss = row(world, Organisation, "or_unit_gz1"), world.actors["unit_gz1"]
        bound = register_member(gz1, _account(), PASSWORD, boss)
        user = db.session.get(User, bound.user_id)
        assert bound.status == MembershipStatus.ACTIVE and user.must_change_password
        assert user.check_password(PASSWORD)
        assert reset_refusal(boss, user) is None  # within the super admin's power
        assert db.session.scalar(select(Person.id).where(Person.user_id == user.id)) is None


@pytest.mark.parametrize("change,field,message", [
    ({"login": "U_P1"}, "login", "该登录账号已被注册"),
    ({"login": "a b"}, "login", None),
    ({"id_number": "440106199205062170"}, "id_number", None),
    ({"real_name": " "}, "real_name", "请填写完整的账号信息"),
])
def test_registering_refuses_bad_or_taken_accounts(app, world, change, field, message):
    with acting(app):
        before = _memberships()
        with pytest.raises(RegistrationError) as refused:
            register_member(row(world, Organisation, "or_unit_gz1"), {**_account(), **change}, PASSWORD,
                            world.actors["unit_gz1"])
        assert refused.value.field == field
        if message:
            assert message in str(refused.value)
        assert _memberships() == before


def test_registering_refuses_a_weak_password(app, world):
    with acting(app):
        with pytest.raises(RegistrationError) as refused:
            register_member(row(world, Organisation, "or_unit_gz1"), _account(), "abcd1234", world.actors["unit_gz1"])
        assert refused.value.field == "password"
