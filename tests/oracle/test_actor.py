"""Who is acting (policy/actor.py), on its own: the contexts an account may choose, the Actor each one
builds (every field, by hand), and the refusals — another account's binding, a binding that is not
active, an organisation removed, a malformed key. The scope rules trust these fields, so a wrong one
would widen every rule at once."""
import pytest
from flask import g, session

from backoffice.extensions import db
from backoffice.labels import MembershipStatus
from backoffice.models import Membership, Organisation, User
from backoffice.policy import Actor, act_as, available_contexts, build_actor, current_actor
from world import acting, row


def _user(world, login) -> User:
    return db.session.get(User, world.ids[login])


def test_an_account_of_two_units_chooses_between_them_in_name_order(app, world):
    with acting(app):
        contexts = available_contexts(_user(world, "u_multi"))
        assert [(c.key, c.kind, c.label) for c in contexts] == [
            (f"m:{world.ids['u_multi@or_unit_gz1']}", "unit", "or_unit_gz1（法人单位）"),
            (f"m:{world.ids['u_multi@or_unit_gz2']}", "unit", "or_unit_gz2（法人单位）"),
        ]
        assert [(c.key, c.kind, c.label) for c in available_contexts(_user(world, "u_p1"))] == [
            ("person", "person", "个人（u_p1）"),
        ]
        assert [(c.key, c.kind, c.label) for c in available_contexts(_user(world, "u_admin"))] == [
            ("system", "admin", "系统管理员"),
        ]
        assert [(c.key, c.kind, c.label) for c in available_contexts(_user(world, "u_help"))] == [
            ("system", "helpdesk", "运维 / 客服"),
        ]
        # pending, removed, disabled and refused bindings offer nothing; nor an account with nothing
        for login in ("u_pend", "u_gone", "u_off", "u_lone"):
            assert available_contexts(_user(world, login)) == [], login
        row(world, Organisation, "or_unit_gz2").active = False  # 移除权限
        assert [c.label for c in available_contexts(_user(world, "u_multi"))] == ["or_unit_gz1（法人单位）"]


def test_the_contexts_are_in_name_order_not_in_the_order_the_bindings_were_made(app, world):
    # u_multi's two bindings were made in name order too; a third, made last, sorts first
    with acting(app):
        db.session.add(Membership(
            user_id=world.ids["u_multi"], org_id=world.ids["or_ind_gz_a"], status=MembershipStatus.ACTIVE,
        ))
        db.session.flush()
        assert [c.label for c in available_contexts(_user(world, "u_multi"))] == [
            "or_ind_gz_a（行业主管部门）", "or_unit_gz1（法人单位）", "or_unit_gz2（法人单位）",
        ]


def test_every_field_of_an_acting_organisation(app, world):
    with acting(app):
        ind = build_actor(_user(world, "u_ind_gz"), f"m:{world.ids['u_ind_gz@or_ind_gz_a']}")
        assert (ind.user_id, ind.kind, ind.label, ind.org_id, ind.membership_id) == (
            world.ids["u_ind_gz"], "industry", "or_ind_gz_a", world.ids["or_ind_gz_a"], world.ids["u_ind_gz@or_ind_gz_a"],
        )
        assert (ind.person_id, ind.region_code, ind.region_level, ind.series_id) == (
            None, "440100", "city", world.ids["orc_a"],
        )
        assert (ind.is_super_admin, ind.org_approved, ind.region_bounds) == (True, True, ("440100", "440199"))
        assert ind.rules_region == "440100"  # the organisation's own region names its province's rules
        member = build_actor(_user(world, "u_multi"), f"m:{world.ids['u_multi@or_unit_gz1']}")
        assert (member.kind, member.region_code, member.region_level, member.is_super_admin) == (
            "unit", "440106", "county", False,
        )
        assert member.modules == frozenset({"person_maintain", "transfer_out", "person_query", "dishonesty_entry"})
        assert member.can_use("person_query") and not member.can_use("person_confirm")
        waiting = build_actor(_user(world, "u_inst_gz"), f"m:{world.ids['u_inst_gz@or_inst_gz']}")
        assert (waiting.org_approved, waiting.modules) == (False, frozenset({"org_application"}))


def test_an_hr_department_holds_an_employers_screens_only_where_every_organisation_employs(app, world):
    # 广东 (the default rules): HR employs nobody; 神谕省 (Henan's rule): it has staff of its own
    employer = {"person_confirm", "person_maintain", "transfer_out", "transfer_in", "record_declare"}
    with acting(app):
        assert not employer & world.actors["hr_gz"].modules
        assert employer <= world.actors["hr_o"].modules
        assert {"review_units", "record_check"} <= world.actors["hr_gz"].modules & world.actors["hr_o"].modules


def test_a_person_and_the_system_roles(app, world):
    with acting(app):
        person = build_actor(_user(world, "u_p2"), "person")
        assert (person.user_id, person.kind, person.label, person.person_id, person.org_id) == (
            world.ids["u_p2"], "person", "个人（pe_sz_ok）", world.ids["pe_sz_ok"], None,
        )
        assert person.rules_region == "440305"  # a person speaks the province of their unit (or_unit_sz)
        assert person.modules == frozenset({"my_profile", "my_dishonesty", "class_apply", "my_classes", "record_declare", "my_certificates",
                                          "record_progress", "record_years", "legacy_records", "legacy_certificates"})
        helpdesk = build_actor(_user(world, "u_help"), "system")
        assert (helpdesk.user_id, helpdesk.kind, helpdesk.label, helpdesk.org_id, helpdesk.modules) == (
            world.ids["u_help"], "helpdesk", "运维 / 客服", None, frozenset({"accounts", "bindings"}),
        )


@pytest.mark.parametrize(
    "login,key",
    [
        ("u_unit_gz1", "m:{u_multi@or_unit_gz1}"),  # someone else's binding
        ("u_pend", "m:{u_pend@or_unit_gz1}"),  # not yet accepted
        ("u_gone", "m:{u_gone@or_unit_gz1}"),  # removed
        ("u_off", "m:{u_off@or_unit_sz}"),  # disabled
        ("u_unit_gz1", "system"),  # not a system account
        ("u_unit_gz1", "person"),  # no person record
        ("u_unit_gz1", "m:abc"),
        ("u_unit_gz1", "m:"),
        ("u_unit_gz1", "x:1"),
        ("u_unit_gz1", ""),
        ("u_unit_gz1", None),
    ],
)
def test_a_context_that_is_not_the_accounts_own_is_refused(app, world, login, key):
    with acting(app):
        if key and "{" in key:
            key = key.format(**{k: v for k, v in world.ids.items() if "@" in k})
        assert build_actor(_user(world, login), key) is None


def test_a_binding_key_in_other_digits_than_ascii_is_refused(app, world):
    # int() reads full-width digits as the number they look like: the key must be ASCII digits only
    own = str(world.ids["u_unit_gz1@or_unit_gz1"])
    wide = "".join(chr(0xFF10 + int(digit)) for digit in own)
    assert int(wide) == int(own)
    with acting(app):
        user = _user(world, "u_unit_gz1")
        assert build_actor(user, f"m:{own}").org_id == world.ids["or_unit_gz1"]
        for key in (f"m:{wide}", f"m:{wide[0]}{own[1:]}", f"m:x{own}", f"m:{own}x"):
            assert build_actor(user, key) is None, key


def test_a_removed_organisation_stops_acting_at_the_next_request(app, world):
    with acting(app):
        key = f"m:{world.ids['u_unit_gz1@or_unit_gz1']}"
        assert build_actor(_user(world, "u_unit_gz1"), key) is not None
        row(world, Organisation, "or_unit_gz1").active = False
        assert build_actor(_user(world, "u_unit_gz1"), key) is None


def test_the_request_rebuilds_the_actor_from_the_session_and_caches_it(app, world):
    with app.test_request_context():
        user = _user(world, "u_multi")
        g._login_user = user
        gz1, gz2 = world.ids["u_multi@or_unit_gz1"], world.ids["u_multi@or_unit_gz2"]
        session["acting"] = f"m:{gz1}"
        first = current_actor()
        assert isinstance(first, Actor) and first.org_id == world.ids["or_unit_gz1"]
        session["acting"] = f"m:{gz2}"
        assert current_actor() is first  # one actor per request
        assert act_as(f"m:{gz2}").org_id == world.ids["or_unit_gz2"]
        assert (session["acting"], current_actor().org_id) == (f"m:{gz2}", world.ids["or_unit_gz2"])
        foreign = world.ids["u_unit_gz1@or_unit_gz1"]
        assert act_as(f"m:{foreign}") is None
        assert (session["acting"], current_actor().org_id) == (f"m:{gz2}", world.ids["or_unit_gz2"])
    with app.test_request_context():
        db.session.get(Membership, gz2).status = MembershipStatus.DISABLED  # revoked meanwhile
        g._login_user = db.session.get(User, user.id)
        session["acting"] = f"m:{gz2}"
        assert current_actor() is None  # the binding was revoked: the next request acts as nobody
        db.session.rollback()
    with app.test_request_context():
        assert current_actor() is None  # signed out
