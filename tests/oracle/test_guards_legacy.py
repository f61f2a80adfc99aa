"""历史信息绑定's guards on the oracle's world (workflows/legacy.py), called straight: a bind attaches only
to the acting unit and links only that unit's confirmed people; an old unit bound elsewhere is refused;
only a unit binds; wrong answers count. Each refusal beside the call that succeeds."""
import pytest

from backoffice.models import LegacyPerson, LegacyUnit, Person
from backoffice.extensions import db
from backoffice.workflows import WorkflowError
from backoffice.workflows.legacy import (
    NOT_A_UNIT, TAKEN, TOO_MANY, WRONG_PEOPLE, WRONG_UNIT, BindRefused, bind_by_people, bind_by_unit, record_failure,
)
from world import acting, row


def _people(world, *keys):
    return [(key, row(world, LegacyPerson, key).id_number) for key in keys]


def test_a_free_old_unit_binds_to_the_acting_unit_and_links_only_its_confirmed_people(app, world):
    with acting(app):
        actor = world.actors["multi_gz2"]
        outcome = bind_by_unit(actor, "lu_free", "LU_FREE")  # the code is compared upper-case
        assert row(world, LegacyUnit, "lu_free").bound_unit_id == world.ids["or_unit_gz2"]
        # lp_free has no current person; lp_free_linked was linked already: nothing new to link
        assert (outcome.linked, outcome.again) == (0, False)
        assert row(world, LegacyPerson, "lp_free").person_id is None


def test_binding_links_a_person_confirmed_at_the_unit_and_never_another_units(app, world):
    gz1_person = "pe_gz1_b"  # confirmed at gz1
    with acting(app):
        row(world, LegacyPerson, "lp_free").id_number = row(world, Person, gz1_person).id_number
        db.session.flush()
        assert bind_by_unit(world.actors["multi_gz2"], "lu_free", "lu_free").linked == 0  # not gz2's person
        assert row(world, LegacyPerson, "lp_free").person_id is None
    with acting(app):
        row(world, LegacyPerson, "lp_free").id_number = row(world, Person, gz1_person).id_number
        db.session.flush()
        assert bind_by_unit(world.actors["unit_gz1"], "lu_free", "lu_free").linked == 1
        assert row(world, LegacyPerson, "lp_free").person_id == world.ids[gz1_person]


def test_an_old_unit_bound_to_another_unit_is_refused_and_binding_again_is_not(app, world):
    with acting(app):
        with pytest.raises(BindRefused, match=TAKEN):
            bind_by_unit(world.actors["unit_sz"], "lu_gz1", "lu_gz1")
        assert row(world, LegacyUnit, "lu_gz1").bound_unit_id == world.ids["or_unit_gz1"]
        assert bind_by_unit(world.actors["unit_gz1"], "lu_gz1", "lu_gz1").again is True


def test_only_a_unit_binds(app, world):
    with acting(app):
        for who in ("hr_gz", "inst_p", "p1", "admin"):
            with pytest.raises(WorkflowError, match=NOT_A_UNIT):
                bind_by_unit(world.actors[who], "lu_free", "lu_free")
        assert row(world, LegacyUnit, "lu_free").bound_unit_id is None


def test_scheme_one_wants_name_and_code_of_one_old_unit(app, world):
    with acting(app):
        with pytest.raises(BindRefused, match=WRONG_UNIT):
            bind_by_unit(world.actors["unit_gz1"], "lu_sz", "lu_free")


def test_scheme_two_wants_three_different_people_of_one_old_unit(app, world):
    with acting(app):
        actor = world.actors["unit_sz"]
        mixed = _people(world, "lp_gz1_old", "lp_moved", "lp_free")
        same_twice = _people(world, "lp_gz1_p1", "lp_gz1_p1", "lp_moved")
        renamed = [("某某", mixed[0][1]), *_people(world, "lp_gz1_p1", "lp_moved")]
        for answer in (mixed, same_twice, renamed, mixed[:2]):
            with pytest.raises(BindRefused, match=WRONG_PEOPLE):
                bind_by_people(actor, answer)
        # the right three of lu_gz1, but it is gz1's: refused as taken, not as wrong
        with pytest.raises(BindRefused, match=TAKEN):
            bind_by_people(actor, _people(world, "lp_gz1_p1", "lp_gz1_old", "lp_moved"))


def test_the_limit_of_wrong_answers_locks_the_unit_and_the_user(app, world):
    app.config["LEGACY_BIND_MAX_FAILURES"] = 2
    try:
        with acting(app):
            actor = world.actors["multi_gz1"]
            record_failure(actor, "方案一", "测试")
            db.session.flush()
            bind_by_unit(actor, "lu_free", "lu_free")  # one failure: still allowed
        with acting(app):
            for _ in range(2):
                record_failure(world.actors["multi_gz1"], "方案一", "测试")
            db.session.flush()
            # the same account acting for its other unit is locked too, and so is the unit's other user
            with pytest.raises(WorkflowError, match=TOO_MANY.format(minutes=60)):
                bind_by_unit(world.actors["multi_gz2"], "lu_free", "lu_free")
            with pytest.raises(WorkflowError, match=TOO_MANY.format(minutes=60)):
                bind_by_unit(world.actors["unit_gz1"], "lu_free", "lu_free")
            # another unit and its user are not locked by gz1's wrong answers
            outcome = bind_by_unit(world.actors["unit_sz"], "lu_free", "lu_free")
            assert outcome.legacy_unit.bound_unit_id == world.ids["or_unit_sz"]
    finally:
        app.config["LEGACY_BIND_MAX_FAILURES"] = 5
