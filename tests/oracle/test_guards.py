"""Guards tested on their own: every check a screen also makes is called here straight, with an
identity that must be refused, so neither layer can lose its check without a test failing. Each
refusal is paired with the same call by the identity that may make it (so the refusal is not simply
"the call always fails").

The calls run inside an app context that is never committed: its end rolls them back, so the
module's world stays as tests/oracle/world.py built it.
"""
from datetime import datetime

import pytest
from flask import g
from sqlalchemy import select
from wtforms.validators import ValidationError

from backoffice.extensions import db
from backoffice.labels import ActorKind, ApplicationStatus, BindingStatus, ReviewResult, TransferStatus
from backoffice.models import (
    AuditLog, OrgChange, Organisation, OrgRole, Person, PersonChange, ReviewLog, Teacher, Transfer, User,
)
from backoffice.policy import build_actor, modules_for
from backoffice.views import scoped_views
from backoffice.workflows import WorkflowError
from backoffice.workflows.orgs import APPLICATION, ORG_CHANGE
from backoffice.workflows.people import PERSON_CHANGE, add_member, confirm, release
from backoffice.workflows.review import ReviewError, history, histories, review, review_many, submit
from backoffice.workflows.transfers import TransferError, accept_transfer, cancel_transfer, refuse_transfer
from world import acting, row


# ---- review.py: only the organisation a row is routed to decides it ------------------------------


@pytest.mark.parametrize(
    "flow,model,key,outsider,reviewer",
    [
        # the province HR sees the 广州 unit (its region) but the application is routed to 广州 HR
        (APPLICATION, Organisation, "or_unit_gz_new", "hr_p", "hr_gz"),
        (APPLICATION, Organisation, "or_unit_gz_up", "hr_gz", "hr_p"),
        (APPLICATION, Organisation, "or_ind_sz_a", "ind_gz", "ind_p"),
        (ORG_CHANGE, OrgChange, "oc_gz1", "hr_p", "hr_gz"),
        (PERSON_CHANGE, PersonChange, "pc_sz", "unit_gz1", "unit_sz"),
    ],
)
def test_only_the_routed_reviewer_decides(app, world, flow, model, key, outsider, reviewer):
    with acting(app):
        target = row(world, model, key)
        if target.status != ApplicationStatus.PENDING:
            target.status = ApplicationStatus.PENDING  # pc_sz was returned: waiting again
            db.session.flush()
        with pytest.raises(ReviewError, match="不在本单位的审核范围内"):
            review(flow, target, ReviewResult.RETURN, "材料不全", world.actors[outsider])
        db.session.refresh(target)
        assert target.status == ApplicationStatus.PENDING
        outcome = review_many(flow, [target], ReviewResult.CLOSE, "重复申请", world.actors[outsider])
        assert not outcome.done and outcome.skipped
        db.session.refresh(target)
        assert target.status == ApplicationStatus.PENDING

        review(flow, target, ReviewResult.RETURN, "材料不全", world.actors[reviewer])
        db.session.refresh(target)
        assert target.status == ApplicationStatus.RETURNED


def test_a_decided_row_is_not_decided_again(app, world):
    with acting(app):
        approved = row(world, Organisation, "or_unit_gz1")  # 已通过, routed to 广州 HR
        with pytest.raises(ReviewError, match="已审核"):
            review(APPLICATION, approved, ReviewResult.CLOSE, "再审", world.actors["hr_gz"])
        assert approved.status == ApplicationStatus.APPROVED


# ---- people.py: 是/否 and 解除绑定 only for the unit's own people, in the right state ---------------


@pytest.mark.parametrize("accept", [True, False])
def test_a_unit_cannot_confirm_someone_waiting_for_another_unit(app, world, accept):
    with acting(app):
        other = row(world, Person, "pe_gz2_wait")  # waits for gz2
        with pytest.raises(WorkflowError):
            confirm(other, accept, world.actors["unit_gz1"])
        db.session.refresh(other)
        assert (other.unit_id, other.binding_status) == (world.ids["or_unit_gz2"], BindingStatus.PENDING)
        mine = row(world, Person, "pe_gz1_wait")
        confirm(mine, accept, world.actors["unit_gz1"])
        expected = BindingStatus.CONFIRMED if accept else BindingStatus.REFUSED
        assert mine.binding_status == expected


def test_a_confirmed_person_is_not_confirmed_again(app, world):
    with acting(app):
        person = row(world, Person, "pe_gz1_ok")
        with pytest.raises(WorkflowError):
            confirm(person, False, world.actors["unit_gz1"])
        db.session.refresh(person)
        assert (person.unit_id, person.binding_status) == (world.ids["or_unit_gz1"], BindingStatus.CONFIRMED)


def test_a_person_whose_transfer_waits_is_not_released(app, world):
    with acting(app):
        going = row(world, Person, "pe_going")  # tr_wait: gz1 → gz2
        with pytest.raises(WorkflowError, match="调转"):
            release(going, world.actors["unit_gz1"])
        db.session.refresh(going)
        assert (going.unit_id, going.binding_status) == (world.ids["or_unit_gz1"], BindingStatus.CONFIRMED)
        free = row(world, Person, "pe_gz1_b")
        release(free, world.actors["unit_gz1"])
        assert (free.unit_id, free.binding_status) == (None, BindingStatus.RELEASED)


@pytest.mark.parametrize("key", ["pe_sz_ok", "pe_gz1_wait"])
def test_a_unit_releases_only_its_confirmed_people(app, world, key):
    with acting(app):
        person = row(world, Person, key)
        before = (person.unit_id, person.binding_status)
        with pytest.raises(WorkflowError):
            release(person, world.actors["unit_gz1"])
        db.session.refresh(person)
        assert (person.unit_id, person.binding_status) == before


@pytest.mark.parametrize(
    "unit,binding",
    [
        ("or_unit_sz", BindingStatus.PENDING),  # the helpdesk re-bound them to sz, sz has not confirmed
        ("or_unit_sz", BindingStatus.CONFIRMED),  # ... and sz confirmed them
        ("or_unit_gz1", BindingStatus.PENDING),  # re-bound back to gz1, not yet confirmed again
    ],
)
def test_a_change_is_not_approved_once_the_person_was_rebound(app, world, unit, binding):
    """pc_rebound was routed to gz1 before the person moved: approving it would write into another
    unit's (or an unconfirmed) person."""
    with acting(app):
        person = row(world, Person, "pe_rebound")
        person.unit_id, person.binding_status = world.ids[unit], binding
        db.session.flush()
        change = row(world, PersonChange, "pc_rebound")
        outcome = review_many(PERSON_CHANGE, [change], ReviewResult.APPROVE, "", world.actors["unit_gz1"])
        assert not outcome.done and "已不是本单位人员" in outcome.skipped[0][1]
        db.session.refresh(change)
        db.session.refresh(person)
        assert change.status == ApplicationStatus.PENDING
        assert person.specialty is None


def test_a_change_of_a_current_member_is_applied(app, world):
    with acting(app):
        change = row(world, PersonChange, "pc_gz1_wait")
        review(PERSON_CHANGE, change, ReviewResult.APPROVE, "", world.actors["unit_gz1"])
        assert row(world, Person, "pe_gz1_ok").specialty == "pc_gz1_wait"


# ---- transfers.py: the receiving unit decides, the sending unit withdraws, nobody else -----------


@pytest.mark.parametrize(
    "move,who",
    [
        ("accept", "unit_gz1"),  # the sender
        ("accept", "unit_sz"),  # a bystander
        ("refuse", "unit_gz1"),
        ("refuse", "unit_sz"),
        ("cancel", "multi_gz2"),  # the receiver
        ("cancel", "unit_sz"),
    ],
)
def test_only_the_right_side_moves_a_transfer(app, world, move, who):
    calls = {
        "accept": lambda t, a: accept_transfer(t, a),
        "refuse": lambda t, a: refuse_transfer(t, "不同意", a),
        "cancel": lambda t, a: cancel_transfer(t, a),
    }
    with acting(app):
        transfer = row(world, Transfer, "tr_wait")
        with pytest.raises(TransferError, match="不由本单位办理"):
            calls[move](transfer, world.actors[who])
        db.session.refresh(transfer)
        assert transfer.status == TransferStatus.PENDING
        going = row(world, Person, "pe_going")
        assert going.unit_id == world.ids["or_unit_gz1"]


@pytest.mark.parametrize(
    "move,who,status,unit",
    [
        ("accept", "multi_gz2", TransferStatus.ACCEPTED, "or_unit_gz2"),
        ("refuse", "multi_gz2", TransferStatus.REFUSED, "or_unit_gz1"),
        ("cancel", "unit_gz1", TransferStatus.CANCELLED, "or_unit_gz1"),
    ],
)
def test_the_right_side_moves_a_transfer(app, world, move, who, status, unit):
    with acting(app):
        transfer = row(world, Transfer, "tr_wait")
        actor = world.actors[who]
        {"accept": lambda: accept_transfer(transfer, actor),
         "refuse": lambda: refuse_transfer(transfer, "不同意", actor),
         "cancel": lambda: cancel_transfer(transfer, actor)}[move]()
        db.session.refresh(transfer)
        assert transfer.status == status
        assert row(world, Person, "pe_going").unit_id == world.ids[unit]


def test_a_decided_transfer_is_not_moved_again(app, world):
    with acting(app):
        done = row(world, Transfer, "tr_done")  # accepted by sz
        with pytest.raises(TransferError, match="已调入"):
            refuse_transfer(done, "改主意", world.actors["unit_sz"])


# ---- modules.py: what a role can grant ---------------------------------------------------------


def test_a_role_never_grants_a_super_admin_only_module(app, world):
    granted = {"org_members", "org_roles", "person_query"}
    assert modules_for(ActorKind.UNIT, granted=granted) == frozenset({"person_query"})
    with acting(app):
        # the role is edited behind the screens' back: the member still does not get them
        staff = row(world, OrgRole, "ro_gz1_staff")
        staff.modules = [*staff.modules, "org_members", "org_roles", "audit_log", "review_units"]
        db.session.flush()
        user = db.session.get(User, world.ids["u_multi"])
        actor = build_actor(user, f"m:{world.ids['u_multi@or_unit_gz1']}")
        assert actor.modules == frozenset({"person_maintain", "transfer_out", "person_query", "dishonesty_entry"})


def test_a_super_admin_holds_every_module_of_the_kind_and_no_other(app, world):
    unit = modules_for(ActorKind.UNIT, is_super_admin=True)
    assert {"org_members", "org_roles", "person_confirm"} <= unit
    assert not unit & {"audit_log", "review_units", "accounts", "my_profile"}
    assert modules_for(ActorKind.UNIT, is_super_admin=True, org_approved=False) == frozenset({"org_application"})
    assert modules_for(ActorKind.HR, granted={"org_application"}) == frozenset()  # HR never applies


# ---- views/base.py: a save must leave the row inside the actor's scope --------------------------


def _view(app, endpoint):
    return next(v for v in scoped_views(app.extensions["backoffice_admin"]) if v.endpoint == endpoint)


def test_a_save_that_leaves_scope_is_refused(app, world):
    view = _view(app, "teachers")
    with app.test_request_context():
        g.actor = world.actors["unit_gz1"]
        teacher = row(world, Teacher, "te_gz1")
        view.on_model_change(None, teacher, False)  # unchanged: still mine
        teacher.org_id = world.ids["or_unit_sz"]
        with pytest.raises(ValidationError, match="不在您的管理范围内"):
            view.on_model_change(None, teacher, False)
        db.session.rollback()


def test_a_new_row_belongs_to_the_acting_organisation(app, world):
    view = _view(app, "teachers")
    with app.test_request_context():
        g.actor = world.actors["unit_sz"]
        teacher = Teacher(
            org_id=world.ids["or_unit_gz1"], name="te_new", sex="男", id_number="ORCT99", title="讲师",
            phone="020-1", email="n@example.cn", courses="课", intro="介",
        )
        db.session.add(teacher)
        view.on_model_change(None, teacher, True)  # whatever the form said, the owner is sz
        assert teacher.org_id == world.ids["or_unit_sz"]
        db.session.rollback()


# ---- what the allowed moves leave behind -----------------------------------------------------


def test_release_leaves_the_person_without_unit_or_department_and_closes_their_requests(app, world):
    with acting(app):
        person = row(world, Person, "pe_gz1_ok")  # pc_gz1_wait waits at gz1
        person.department_id = world.ids["de_gz1_sub"]
        db.session.flush()
        release(person, world.actors["unit_gz1"])
        assert (person.unit_id, person.department_id, person.binding_status) == (None, None, BindingStatus.RELEASED)
        change = row(world, PersonChange, "pc_gz1_wait")
        db.session.refresh(change)
        assert change.status == ApplicationStatus.CLOSED


@pytest.mark.parametrize("who,key", [("unit_sz", "pe_moved"), ("multi_gz2", "pe_gz2_ok")])
def test_a_finished_transfer_does_not_hold_a_release(app, world, who, key):
    """pe_moved came in by an accepted transfer, pe_gz2_ok's transfer was refused: nothing waits."""
    with acting(app):
        person = row(world, Person, key)
        release(person, world.actors[who])
        assert person.binding_status == BindingStatus.RELEASED


def test_refusals_say_exactly_why(app, world):
    with acting(app):
        with pytest.raises(WorkflowError) as busy:
            release(row(world, Person, "pe_going"), world.actors["unit_gz1"])
        assert str(busy.value) == "该人员有待处理的调转申请，请先撤销调转"
        with pytest.raises(WorkflowError) as gone:
            release(row(world, Person, "pe_sz_ok"), world.actors["unit_gz1"])
        assert str(gone.value) == "该人员已不是本单位人员"
        with pytest.raises(WorkflowError) as other:
            confirm(row(world, Person, "pe_gz2_wait"), True, world.actors["unit_gz1"])
        assert str(other.value) == "该人员已确认或已不在本单位的待确认名单中"
        with pytest.raises(ReviewError) as routed:
            review(ORG_CHANGE, row(world, OrgChange, "oc_gz1"), ReviewResult.RETURN, "x", world.actors["hr_p"])
        assert str(routed.value) == "不在本单位的审核范围内"
        with pytest.raises(ReviewError) as decided:
            review(APPLICATION, row(world, Organisation, "or_unit_gz1"), ReviewResult.RETURN, "x", world.actors["hr_gz"])
        assert str(decided.value) == "已审核，当前状态为“已通过”"
        with pytest.raises(TransferError) as side:
            accept_transfer(row(world, Transfer, "tr_wait"), world.actors["unit_gz1"])
        assert str(side.value) == "该调转申请不由本单位办理"
        with pytest.raises(TransferError) as done:
            cancel_transfer(row(world, Transfer, "tr_done"), world.actors["unit_gz1"])
        assert str(done.value) == "该调转申请当前状态为“已调入”，不能再办理"


def test_confirming_keeps_the_first_confirmation_time_and_refusing_unbinds(app, world):
    with acting(app):
        person = row(world, Person, "pe_gz1_wait")
        first = person.confirmed_at = datetime(2020, 1, 2, 3, 4, 5)
        person.department_id = world.ids["de_gz1_top"]
        db.session.flush()
        confirm(person, True, world.actors["unit_gz1"])
        assert (person.binding_status, person.confirmed_at) == (BindingStatus.CONFIRMED, first)
        other = row(world, Person, "pe_rebound")  # waits for sz
        other.department_id = None
        confirm(other, False, world.actors["unit_sz"])
        assert (other.unit_id, other.department_id, other.binding_status) == (None, None, BindingStatus.REFUSED)
        newcomer = row(world, Person, "pe_gz2_wait")
        assert newcomer.confirmed_at is None
        confirm(newcomer, True, world.actors["multi_gz2"])
        assert newcomer.confirmed_at is not None


# ---- 新增 by the unit: taking over only people who belong to nobody ----------------------------


def _member_data(name, id_number):
    return {"name": name, "id_number": id_number, "sex": "女", "specialty": "新专业"}


@pytest.mark.parametrize(
    "key,name,message",
    [
        ("pe_gz1_ok", "pe_gz1_ok", "该人员已是本单位人员，请在列表中修改"),
        ("pe_gz1_wait", "pe_gz1_wait", "该人员已申请加入本单位，请在“专业技术人员信息确认”中确认"),
        ("pe_sz_ok", "pe_sz_ok", "该人员属于其他单位或正等待其他单位确认，请通过人员调转办理"),
        ("pe_rebound", "pe_rebound", "该人员属于其他单位或正等待其他单位确认，请通过人员调转办理"),
        ("pe_released", "改了名字", "姓名与系统中已确认的信息不一致"),
    ],
)
def test_a_unit_takes_over_only_people_without_a_unit(app, world, key, name, message):
    with acting(app):
        person = row(world, Person, key)
        before = (person.unit_id, person.binding_status, person.name)
        with pytest.raises(WorkflowError) as refused:
            add_member(world.ids["or_unit_gz1"], _member_data(name, person.id_number), None, world.actors["unit_gz1"])
        assert str(refused.value) == message
        db.session.refresh(person)
        assert (person.unit_id, person.binding_status, person.name) == before


def test_taking_over_and_adding_make_confirmed_members(app, world):
    with app.test_request_context():  # the AuditLog names the action only inside a request
        unit, dept = world.ids["or_unit_gz1"], world.ids["de_gz1_top"]
        never_confirmed = row(world, Person, "pe_refused")  # refused once, never confirmed: a new name is fine
        taken = add_member(unit, _member_data("新名字", never_confirmed.id_number), dept, world.actors["unit_gz1"])
        assert taken.id == never_confirmed.id
        assert (taken.name, taken.unit_id, taken.department_id, taken.binding_status) == (
            "新名字", unit, dept, BindingStatus.CONFIRMED,
        )
        assert taken.confirmed_at is not None
        new = add_member(unit, _member_data("全新人员", "ORCNEW000000000001"), dept, world.actors["unit_gz1"])
        assert (new.id_number, new.unit_id, new.department_id, new.specialty) == ("ORCNEW000000000001", unit, dept, "新专业")
        logged = db.session.scalar(
            select(AuditLog).where(AuditLog.object_type == "person", AuditLog.object_id == str(new.id))
        )
        assert (logged.action, logged.summary) == ("create", "新增本单位人员：全新人员")
        db.session.rollback()


def test_a_refusal_needs_an_opinion_of_at_most_500_characters(app, world):
    with acting(app):
        change = row(world, OrgChange, "oc_gz1")
        for result, opinion, message in [
            (ReviewResult.CLOSE, "  ", "不同意时请填写审核意见"),
            (ReviewResult.RETURN, None, "不同意时请填写审核意见"),
            (ReviewResult.RETURN, "意" * 501, "审核意见限500字"),
            ("maybe", "好", "请选择审核结果"),
            (ReviewResult.SUBMIT, "好", "请选择审核结果"),
        ]:
            with pytest.raises(ReviewError) as refused:
                review(ORG_CHANGE, change, result, opinion, world.actors["hr_gz"])
            assert str(refused.value) == message
        assert change.status == ApplicationStatus.PENDING
        review(ORG_CHANGE, change, ReviewResult.RETURN, "意" * 500, world.actors["hr_gz"])
        assert change.status == ApplicationStatus.RETURNED


def test_the_review_history_of_an_object_is_its_own_oldest_first(app, world):
    with acting(app):
        gz1, sz = row(world, OrgChange, "oc_gz1"), row(world, OrgChange, "oc_sz")
        review(ORG_CHANGE, gz1, ReviewResult.RETURN, "第一次", world.actors["hr_gz"])
        submit(ORG_CHANGE, gz1, reviewer_org_id=world.ids["or_hr_gz"], actor=world.actors["unit_gz1"], note="第二次")
        # a ReviewLog of another kind with the same id belongs to something else
        db.session.add(ReviewLog(object_type="transfer", object_id=gz1.id, step="人员调入", result="approve", opinion="别的"))
        db.session.flush()
        steps = history(ORG_CHANGE, gz1)
        assert [(s.step, s.result, s.opinion, s.reviewer_org.name) for s in steps] == [
            ("机构信息修改审核", "return", "第一次", "or_hr_gz"),
            ("送审", "submit", "第二次", "or_unit_gz1"),
        ]
        assert steps[0].reviewer_user.login == "u_hr_gz"
        both = histories(ORG_CHANGE, [gz1.id, sz.id])
        assert set(both) == {gz1.id} and [s.opinion for s in both[gz1.id]] == ["第一次", "第二次"]
        assert history(ORG_CHANGE, sz) == [] and histories(ORG_CHANGE, []) == {}
