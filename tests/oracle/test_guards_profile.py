"""The person's own profile and the unit's edits (workflows/people.py) called straight: what a person
may change at once, what waits for their unit (key fields, one request at a time), what never changes
(the ID number; the name once confirmed), where a chosen 工作单位 leaves them, and what approving or
closing a request writes. World rows: tests/oracle/world.py (pe_gz1_ok is u_p1's, confirmed at gz1, and
pc_gz1_wait already waits for it; pe_sz_ok is u_p2's, confirmed at sz)."""
from datetime import date

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, ReviewResult
from backoffice.models import Organisation, Person, PersonChange, ReviewLog
from backoffice.workflows import WorkflowError
from backoffice.workflows.people import (
    ONE_AT_A_TIME,
    PERSON_CHANGE,
    close_pending_changes,
    pending_change,
    save_own_profile,
    update_member,
)
from backoffice.workflows.review import review
from world import acting, row


def _refusal(call) -> str:
    with pytest.raises(WorkflowError) as error:
        call()
    return str(error.value)


def _changes_of(person) -> list[PersonChange]:
    return db.session.scalars(
        select(PersonChange).where(PersonChange.person_id == person.id).order_by(PersonChange.id)
    ).all()


def test_the_id_number_never_changes_and_the_name_not_once_confirmed(app, world):
    with acting(app):
        me = row(world, Person, "pe_sz_ok")
        p2 = world.actors["p2"]
        assert _refusal(lambda: save_own_profile(me, {"id_number": "ORC999"}, None, p2)) == "公民身份号码注册后不能修改"
        me.confirmed_at = date(2020, 1, 1)
        assert _refusal(lambda: save_own_profile(me, {"name": "新名"}, None, p2)) == (
            "单位确认后姓名不能修改，如有错误请联系单位"
        )
        db.session.refresh(me)
        assert me.name == "pe_sz_ok"
        save_own_profile(me, {"id_number": me.id_number, "name": "pe_sz_ok", "phone": "13800000000"}, None, p2)
        assert me.phone == "13800000000"


def test_a_confirmed_persons_key_fields_wait_for_the_unit_the_rest_saves_at_once(app, world):
    with acting(app):
        me = row(world, Person, "pe_sz_ok")  # confirmed at sz, nothing waiting
        p2 = world.actors["p2"]
        specialty, title = me.specialty, me.title
        change = save_own_profile(
            me, {"specialty": "新专业", "title": title, "title_obtained_on": date(2024, 5, 6), "phone": "13900000000"},
            None, p2,
        )
        assert me.phone == "13900000000" and me.specialty == specialty and me.title_obtained_on is None
        assert (change.person_id, change.status, change.reviewer_org_id, change.requested_by_id) == (
            me.id, ApplicationStatus.PENDING, world.ids["or_unit_sz"], p2.user_id,
        )
        # only what differs goes to the unit, dates as ISO text
        assert (change.before, change.after) == (
            {"specialty": specialty, "title_obtained_on": None},
            {"specialty": "新专业", "title_obtained_on": "2024-05-06"},
        )
        assert change.submitted_at is not None
        logs = db.session.scalars(select(ReviewLog).where(
            ReviewLog.object_type == "person_change", ReviewLog.object_id == change.id,
        )).all()
        assert [(r.step, r.result, r.reviewer_user_id, r.reviewer_org_id) for r in logs] == [
            ("送审", ReviewResult.SUBMIT, p2.user_id, None),
        ]
        assert pending_change(me) is change
        assert _refusal(lambda: save_own_profile(me, {"specialty": "再改"}, None, p2)) == ONE_AT_A_TIME
        # unchanged key values ask nothing, even while one waits; other fields still save
        assert save_own_profile(me, {"specialty": specialty, "postcode": "518000"}, None, p2) is None
        assert me.postcode == "518000"
        assert [c.id for c in _changes_of(me) if c.status == ApplicationStatus.PENDING] == [change.id]

        review(PERSON_CHANGE, change, ReviewResult.APPROVE, "", world.actors["unit_sz"])
        assert (me.specialty, me.title_obtained_on) == ("新专业", date(2024, 5, 6))
        assert pending_change(me) is None


def test_an_unconfirmed_person_saves_everything_and_asks_the_unit_they_choose(app, world):
    with acting(app):
        me = row(world, Person, "pe_released")
        gz1 = row(world, Organisation, "or_unit_gz1")
        me.department_id = None
        assert save_own_profile(me, {"specialty": "自由职业", "title": "工程师"}, gz1, world.actors["p1"]) is None
        assert (me.specialty, me.title) == ("自由职业", "工程师")
        assert (me.unit_id, me.binding_status, me.department_id) == (gz1.id, BindingStatus.PENDING, None)
        assert _changes_of(me) == []
        # choosing the same unit again keeps the request as it is; another unit replaces it
        save_own_profile(me, {}, gz1, world.actors["p1"])
        assert (me.unit_id, me.binding_status) == (gz1.id, BindingStatus.PENDING)
        sz = row(world, Organisation, "or_unit_sz")
        save_own_profile(me, {}, sz, world.actors["p1"])
        assert (me.unit_id, me.binding_status) == (sz.id, BindingStatus.PENDING)


def test_a_confirmed_person_cannot_move_by_choosing_another_unit(app, world):
    with acting(app):
        me = row(world, Person, "pe_sz_ok")
        save_own_profile(me, {"phone": "13700000000"}, row(world, Organisation, "or_unit_gz1"), world.actors["p2"])
        assert (me.unit_id, me.binding_status) == (world.ids["or_unit_sz"], BindingStatus.CONFIRMED)


def test_the_unit_changes_key_fields_at_once_but_never_identity_once_confirmed(app, world):
    with acting(app):
        person = row(world, Person, "pe_gz1_b")
        person.confirmed_at = date(2021, 3, 4)
        unit = world.actors["unit_gz1"]
        requests = [c.id for c in _changes_of(person)]  # pc_gz1_done, decided long ago
        assert _refusal(lambda: update_member(person, {"name": "改名"}, None, unit)) == (
            "单位确认后姓名和公民身份号码不能修改"
        )
        assert _refusal(lambda: update_member(person, {"id_number": "ORC1"}, None, unit)) == (
            "单位确认后姓名和公民身份号码不能修改"
        )
        update_member(person, {"name": "pe_gz1_b", "specialty": "单位改的", "title_level": "middle"},
                      world.ids["de_gz1_top"], unit)
        assert (person.specialty, person.title_level, person.department_id) == (
            "单位改的", "middle", world.ids["de_gz1_top"],
        )
        assert [c.id for c in _changes_of(person)] == requests  # nothing asked: the unit decides itself
        waiting = row(world, Person, "pe_gz1_wait")  # never confirmed: the unit may correct the name
        update_member(waiting, {"name": "更正后的名字"}, None, unit)
        assert waiting.name == "更正后的名字"


def test_closing_moves_only_what_still_waits_and_logs_each(app, world):
    with acting(app):
        person = row(world, Person, "pe_gz1_ok")  # pc_gz1_wait waits
        unit = world.actors["unit_gz1"]
        assert close_pending_changes(person, unit, step="解除绑定", why="自动结案") == 1
        change = row(world, PersonChange, "pc_gz1_wait")
        db.session.refresh(change)
        assert change.status == ApplicationStatus.CLOSED
        log = db.session.scalars(select(ReviewLog).where(
            ReviewLog.object_type == "person_change", ReviewLog.object_id == change.id,
        )).all()[-1]
        assert (log.step, log.result, log.opinion, log.reviewer_org_id) == ("解除绑定", ReviewResult.CLOSE, "自动结案",
                                                                            unit.org_id)
        assert close_pending_changes(person, unit, step="解除绑定", why="自动结案") == 0
        done = row(world, Person, "pe_gz1_b")  # its change was approved long ago
        assert close_pending_changes(done, unit, step="x", why="y") == 0
        db.session.refresh(row(world, PersonChange, "pc_gz1_done"))
        assert row(world, PersonChange, "pc_gz1_done").status == ApplicationStatus.APPROVED
