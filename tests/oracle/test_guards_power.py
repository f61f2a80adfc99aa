"""Whose password each identity of the world may reset (policy/power.py), written out by hand for every
identity × every account — not derived from the rule under test, so widening or narrowing any branch of
`reset_refusal` changes at least one cell. The reasons are compared too: each names where to go instead,
so a refusal for the wrong reason is a wrong answer.

The world's accounts (tests/oracle/world.py): system accounts u_admin and u_help; a super admin of every
organisation; u_multi, an ordinary member of both 广州 units; u_pend (gz1, 待确认), u_gone (gz1, 已解除:
ended), u_off (sz 已禁用 and hr_gz 已拒绝); u_p1 / u_p2 person-only, confirmed at gz1 (天河区) / sz (南山区);
u_nobody and u_lone with neither a membership nor a person."""
import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ActorKind, BindingStatus, MembershipStatus, RegionLevel
from backoffice.models import Membership, Person, User
from backoffice.policy import Actor, power
from backoffice.policy.power import may_reset_people, power_of, reset_label, reset_refusal
from world import USERS, acting, row

OK = None
SELF, SYS, OTHER = power.SELF, power.SYSTEM_ACCOUNT, power.OTHER_ORG
NOT_ACCEPTED, OWN, ELSEWHERE = power.NOT_ACCEPTED, power.OWN_MEMBER, power.PERSON_ELSEWHERE
NOT_HERE, NOT_IN_REGION = power.NOT_CONFIRMED_HERE, power.NOT_IN_REGION
NO_PEOPLE, NO_POWER = power.NO_PEOPLE_RESET, power.NO_POWER

ORG_MEMBERS = ["u_hr_p", "u_hr_gz", "u_hr_sz", "u_ind_p", "u_ind_gz", "u_unit_gz1", "u_unit_gz2", "u_unit_sz",
               "u_multi", "u_inst_p", "u_inst_gz", "u_pend", "u_off",
               "u_hr_o", "u_hr_oc", "u_ind_o", "u_unit_oc", "u_inst_oc", "u_ind_none"]
EMPTY = ["u_gone", "u_nobody", "u_lone"]  # no membership that has not ended, no person


def _row(default, *groups, **cells):
    """One identity's line: `default` for every account not named (the system accounts excepted), then
    the groups', then the cells' own reasons."""
    line = {login: default for login, _ in USERS}
    line.update(u_admin=SYS, u_help=SYS)
    for group in groups:
        line.update(group)
    line.update(cells)
    return line


def _members(reason):
    return {login: reason for login in ORG_MEMBERS}


def _empty(reason):
    return {login: reason for login in EMPTY}


EXPECTED = {
    "helpdesk": _row(OK, u_admin=SYS, u_help=SELF),
    "admin": _row(NO_POWER, u_admin=SELF),
    "p1": _row(NO_POWER, u_p1=SELF),
    "p2": _row(NO_POWER, u_p2=SELF),
    "nobody": _row(NO_POWER, u_nobody=SELF),
    # HR: person-only accounts confirmed at a unit of the region; every organisation member is elsewhere
    "hr_p": _row(None, _empty(NO_POWER), _members(OTHER), u_hr_p=SELF, u_p1=OK, u_p2=OK),
    "hr_gz": _row(None, _empty(NO_POWER), _members(OTHER), u_hr_gz=SELF, u_p1=OK, u_p2=NOT_IN_REGION),
    "hr_sz": _row(None, _empty(NO_POWER), _members(OTHER), u_hr_sz=SELF, u_p1=NOT_IN_REGION, u_p2=OK),
    # industry departments reset nobody's, and say so for people
    "ind_p": _row(None, _empty(NO_PEOPLE), _members(OTHER), u_ind_p=SELF, u_p1=NO_PEOPLE, u_p2=NO_PEOPLE),
    "ind_gz": _row(None, _empty(NO_PEOPLE), _members(OTHER), u_ind_gz=SELF, u_p1=NO_PEOPLE, u_p2=NO_PEOPLE),
    "ind_none": _row(None, _empty(NO_PEOPLE), _members(OTHER), u_ind_none=SELF, u_p1=NO_PEOPLE, u_p2=NO_PEOPLE),
    # a unit's super admin: its own accepted members, and its confirmed people
    "unit_gz1": _row(None, _empty(NO_POWER), _members(OTHER),
                     u_unit_gz1=SELF, u_pend=NOT_ACCEPTED, u_p1=OK, u_p2=NOT_HERE),
    "unit_sz": _row(None, _empty(NO_POWER), _members(OTHER), u_unit_sz=SELF, u_off=OK, u_p1=NOT_HERE, u_p2=OK),
    # an ordinary member: its colleagues go to the super admin; people as any operator of the unit
    "multi_gz1": _row(None, _empty(NO_POWER), _members(OTHER),
                      u_multi=SELF, u_unit_gz1=OWN, u_pend=OWN, u_p1=OK, u_p2=NOT_HERE),
    "multi_gz2": _row(None, _empty(NO_POWER), _members(OTHER),
                      u_multi=SELF, u_unit_gz2=OWN, u_p1=NOT_HERE, u_p2=NOT_HERE),
    # institutions reset nobody's
    "inst_p": _row(None, _empty(NO_POWER), _members(OTHER), u_inst_p=SELF, u_p1=NO_POWER, u_p2=NO_POWER),
    "inst_gz": _row(None, _empty(NO_POWER), _members(OTHER), u_inst_gz=SELF, u_p1=NO_POWER, u_p2=NO_POWER),
    # 神谕省 (every organisation employs): its organisations' power over Guangdong's people is what it was
    # for their kinds; their own staff are tested below
    "hr_o": _row(None, _empty(NO_POWER), _members(OTHER), u_hr_o=SELF, u_p1=NOT_IN_REGION, u_p2=NOT_IN_REGION),
    "hr_oc": _row(None, _empty(NO_POWER), _members(OTHER), u_hr_oc=SELF, u_p1=NOT_IN_REGION, u_p2=NOT_IN_REGION),
    "ind_o": _row(None, _empty(NO_PEOPLE), _members(OTHER), u_ind_o=SELF, u_p1=NO_PEOPLE, u_p2=NO_PEOPLE),
    "unit_oc": _row(None, _empty(NO_POWER), _members(OTHER), u_unit_oc=SELF, u_p1=NOT_HERE, u_p2=NOT_HERE),
    "inst_oc": _row(None, _empty(NO_POWER), _members(OTHER), u_inst_oc=SELF, u_p1=NO_POWER, u_p2=NO_POWER),
}


def test_every_identity_has_a_line_for_every_account(world):
    assert set(EXPECTED) == set(world.actors)
    for line in EXPECTED.values():
        assert set(line) == {login for login, _ in USERS}


@pytest.mark.parametrize("identity", sorted(EXPECTED))
def test_who_resets_whom(app, world, identity):
    with acting(app):
        actor = world.actors[identity]
        got = {login: reset_refusal(actor, row(world, User, login)) for login, _ in USERS}
        assert got == EXPECTED[identity]


def _account_for(world, person_key: str, login: str) -> User:
    """A person-only account given, inside the test's rolled-back context, to a person without one."""
    user = User(login=login, password_hash="!", real_name=login, id_number=f"ORCX{person_key}")
    db.session.add(user)
    db.session.flush()
    row(world, Person, person_key).user_id = user.id
    db.session.flush()
    return user


@pytest.mark.parametrize("person, identity, reason", [
    ("pe_gz1_wait", "unit_gz1", power.WAITING),  # 待单位确认 here: confirm first
    ("pe_gz1_wait", "multi_gz1", power.WAITING),
    ("pe_gz1_wait", "multi_gz2", NOT_HERE),
    ("pe_gz1_wait", "hr_gz", NOT_IN_REGION),  # not yet anyone's confirmed person
    ("pe_gz2_wait", "unit_gz1", NOT_HERE),  # waiting for another unit
    ("pe_gz2_ok", "hr_gz", OK),  # a unit at the city's own code, the lower end of its range
    ("pe_gz2_ok", "hr_sz", NOT_IN_REGION),
    ("pe_p_ok", "hr_gz", NOT_IN_REGION),  # a province-level unit is above the city
    ("pe_p_ok", "hr_p", OK),
    ("pe_odd", "hr_gz", NOT_IN_REGION),  # confirmed at an institution: no unit's person
    ("pe_odd", "inst_gz", NO_POWER),
    ("pe_released", "hr_p", NOT_IN_REGION),
    ("pe_released", "unit_gz1", NOT_HERE),
    ("pe_rebound", "unit_sz", power.WAITING),  # re-bound by the helpdesk: waits for sz again
    ("pe_rebound", "unit_gz1", NOT_HERE),
    # 神谕省: an employer of any kind resets its own confirmed staff; HR those of every employer of its region
    ("pe_hr_oc_ok", "hr_oc", OK),
    ("pe_hr_oc_ok", "hr_o", OK),
    ("pe_hr_oc_ok", "unit_oc", NOT_HERE),
    ("pe_hr_oc_ok", "ind_o", NO_PEOPLE),  # another employer's person: an industry department resets no one else
    ("pe_hr_oc_wait", "hr_oc", NOT_IN_REGION),  # registered choosing the HR, not yet approved
    ("pe_ind_o_ok", "ind_o", OK),
    ("pe_ind_o_ok", "hr_o", OK),
    ("pe_ind_o_ok", "hr_oc", NOT_IN_REGION),  # a province-level department is above the city
    ("pe_inst_oc_ok", "inst_oc", OK),
    ("pe_inst_oc_ok", "hr_oc", OK),
    ("pe_unit_oc_ok", "inst_oc", NO_POWER),
    ("pe_unit_oc_ok", "hr_p", NOT_IN_REGION),  # another province
])
def test_person_accounts_by_their_binding(app, world, person, identity, reason):
    with acting(app):
        user = _account_for(world, person, f"oracle_{person}")
        assert reset_refusal(world.actors[identity], user) == reason


@pytest.mark.parametrize("status, reason", [
    (MembershipStatus.ACTIVE, OK),
    (MembershipStatus.DISABLED, OK),  # still under the organisation: it may enable the account again
    (MembershipStatus.PENDING, NOT_ACCEPTED),
])
def test_a_member_with_a_person_elsewhere_is_not_the_super_admins(app, world, status, reason):
    """A member of gz1 only; with a person confirmed at gz1 the super admin may reset it, with one
    confirmed elsewhere, or waiting at gz1, not."""
    with acting(app):
        gz1 = world.ids["or_unit_gz1"]
        user = User(login="oracle_member", password_hash="!", real_name="经办", id_number="ORCXMEMBER")
        db.session.add(user)
        db.session.flush()
        db.session.add(Membership(user_id=user.id, org_id=gz1, status=status, is_super_admin=False))
        db.session.flush()
        admin = world.actors["unit_gz1"]
        assert reset_refusal(admin, user) == reason
        assert reset_refusal(world.actors["multi_gz1"], user) == OWN  # never an ordinary member's
        person = row(world, Person, "pe_gz1_b")
        person.user_id = user.id
        db.session.flush()
        assert reset_refusal(admin, user) == reason  # confirmed at gz1: still the super admin's
        person.binding_status = BindingStatus.PENDING
        db.session.flush()
        assert reset_refusal(admin, user) == (reason if status == MembershipStatus.PENDING else ELSEWHERE)
        person.binding_status, person.unit_id = BindingStatus.CONFIRMED, world.ids["or_unit_sz"]
        db.session.flush()
        assert reset_refusal(admin, user) == (reason if status == MembershipStatus.PENDING else ELSEWHERE)
        assert reset_refusal(world.actors["unit_sz"], user) == OTHER


@pytest.mark.parametrize("region, level, reason", [
    ("440106", RegionLevel.COUNTY, OK),  # 天河区: its own code is both ends of its range
    ("440305", RegionLevel.COUNTY, NOT_IN_REGION),  # 南山区
    ("440100", RegionLevel.CITY, OK),
])
def test_a_county_hr_reaches_the_people_of_its_own_code(app, world, region, level, reason):
    """u_p1 is confirmed at or_unit_gz1 in 天河区 (440106); the world has no county HR, so one is
    stated here (an HR department of that county, as build_actor would give it)."""
    with acting(app):
        county = Actor(user_id=world.ids["u_hr_gz"], kind=ActorKind.HR, label="天河区人社局",
                       org_id=world.ids["or_hr_gz"], region_code=region, region_level=level, is_super_admin=True)
        assert reset_refusal(county, row(world, User, "u_p1")) == reason


def test_no_actor_resets_nothing(app, world):
    with acting(app):
        assert reset_refusal(None, row(world, User, "u_p1")) == NO_POWER


def test_power_lists_only_memberships_that_have_not_ended(app, world):
    with acting(app):
        off = power_of(row(world, User, "u_off"))
        assert off.memberships == ((world.ids["or_unit_sz"], MembershipStatus.DISABLED),)
        assert (off.system_role, off.has_person, off.person_only) == (None, False, False)
        gone = power_of(row(world, User, "u_gone"))
        assert (gone.memberships, gone.has_person, gone.person_only) == ((), False, False)
        multi = power_of(row(world, User, "u_multi"))
        assert multi.memberships == tuple(sorted(
            [(world.ids["or_unit_gz1"], MembershipStatus.ACTIVE), (world.ids["or_unit_gz2"], MembershipStatus.ACTIVE)]
        ))
        p1 = power_of(row(world, User, "u_p1"))
        assert (p1.person_only, p1.person_unit_id, p1.confirmed_unit_id) == (
            True, world.ids["or_unit_gz1"], world.ids["or_unit_gz1"]
        )
        admin = power_of(row(world, User, "u_admin"))
        assert (admin.system_role, admin.person_only) == ("admin", False)


def test_the_waiting_person_has_a_unit_but_no_confirmed_one(app, world):
    with acting(app):
        user = _account_for(world, "pe_gz1_wait", "oracle_waiting")
        waiting = power_of(user)
        assert (waiting.person_only, waiting.person_unit_id, waiting.confirmed_unit_id) == (
            True, world.ids["or_unit_gz1"], None
        )


@pytest.mark.parametrize("identity, offered", [
    ("unit_gz1", True), ("multi_gz2", True), ("hr_gz", True), ("hr_p", True),
    ("ind_p", False), ("inst_p", False), ("helpdesk", False), ("admin", False), ("p1", False),
])
def test_who_is_offered_the_people_reset(app, world, identity, offered):
    with acting(app):
        assert may_reset_people(world.actors[identity]) is offered
    assert may_reset_people(None) is False


def test_the_owner_is_told_who_reset_it(app, world):
    with acting(app):
        assert reset_label(world.actors["helpdesk"]) == "客服"
        unit = world.actors["unit_gz1"]
        assert reset_label(unit) == unit.label and unit.label.startswith("or_unit_gz1")
        assert reset_label(Actor(user_id=1, kind=ActorKind.HR, label="某人社局")) == "某人社局"
