"""人员调转 (workflows/transfers.py) called straight: who may be transferred out by whom, each refusal
with its exact reason, and what every allowed step leaves behind (the transfer, the person, the 审批流程
row, the 操作日志). The expected people are the world's, written out by hand (tests/oracle/world.py):

- or_unit_gz1 has pe_gz1_ok, pe_gz1_b and pe_going confirmed (pe_going's transfer to gz2 waits),
  pe_gz1_wait waiting; or_unit_gz2 pe_gz2_ok confirmed, pe_gz2_wait waiting; or_unit_sz pe_sz_ok and
  pe_moved and pe_sz_none (of no series) confirmed, pe_rebound waiting; pe_odd is "confirmed" at an institution (old data).
"""
from datetime import timedelta

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, ReviewResult, TransferStatus
from backoffice.models import AuditLog, Organisation, Person, PersonChange, ReviewLog, Transfer
from backoffice.workflows.transfers import (
    NOT_MINE,
    TransferError,
    accept_many,
    accept_transfer,
    cancel_many,
    cancel_transfer,
    candidates,
    history,
    outgoing_people,
    outgoing_person,
    persons_with_pending,
    pending_transfer_of,
    refuse_many,
    refuse_transfer,
    request_transfer,
)
from world import acting, row

OUTGOING = {
    "unit_gz1": {"pe_gz1_ok", "pe_gz1_b", "pe_going"},
    "multi_gz1": {"pe_gz1_ok", "pe_gz1_b", "pe_going"},
    "multi_gz2": {"pe_gz2_ok"},
    "unit_sz": {"pe_sz_ok", "pe_moved", "pe_sz_none"},
    "hr_p": set(), "hr_gz": set(), "ind_p": set(), "inst_gz": set(), "helpdesk": set(), "p1": set(),
}


def _keys(world, people) -> set[str]:
    return {world.keys[Person][p.id] for p in people if p.id in world.keys[Person]}


def _refusal(call) -> str:
    with pytest.raises(TransferError) as error:
        call()
    return str(error.value)


def _since(model, last_id):
    return db.session.scalars(select(model).where(model.id > last_id).order_by(model.id)).all()


def _last(model) -> int:
    return db.session.scalar(select(model.id).order_by(model.id.desc()).limit(1)) or 0


@pytest.mark.parametrize("identity", sorted(OUTGOING))
def test_who_each_unit_may_transfer_out(app, world, identity):
    with acting(app):
        actor = world.actors[identity]
        people = db.session.scalars(outgoing_people(actor)).all()
        assert _keys(world, people) == OUTGOING[identity]
        assert _keys(world, candidates(actor, limit=1000)) == OUTGOING[identity]


def test_candidates_are_found_by_name_or_id_number_never_by_pattern(app, world):
    with acting(app):
        gz1 = world.actors["unit_gz1"]
        assert _keys(world, candidates(gz1, " pe_gz1 ", limit=1000)) == {"pe_gz1_ok", "pe_gz1_b"}
        going = row(world, Person, "pe_going")
        assert _keys(world, candidates(gz1, going.id_number[-6:], limit=1000)) == {"pe_going"}
        assert candidates(gz1, "%", limit=1000) == [] and candidates(gz1, "pe_gz1%ok", limit=1000) == []
        assert candidates(gz1, "pe\\", limit=1000) == []
        assert _keys(world, candidates(gz1, "pe_gz1_ok" + "x" * 60, limit=1000)) == set()
        assert [p.name for p in candidates(gz1, "pe_", limit=2)] == ["pe_going", "pe_gz1_b"]  # by name
        assert _keys(world, candidates(world.actors["unit_sz"], "pe_gz1", limit=1000)) == set()
        row(world, Person, "pe_gz1_b").name = "长" * 50  # the longest name: a longer search is cut to it
        db.session.flush()
        assert _keys(world, candidates(gz1, "长" * 50 + "短", limit=1000)) == {"pe_gz1_b"}


def test_the_search_text_is_matched_literally(app, world):
    """% _ and \\ in the box are characters of a name, never LIKE's wildcards or escapes."""
    with acting(app):
        gz1 = world.actors["unit_gz1"]
        for key, name in [("pe_gz1_ok", "甲%乙"), ("pe_gz1_b", "a\\b"), ("pe_going", "无下划线")]:
            row(world, Person, key).name = name
        db.session.flush()
        found = lambda text: _keys(world, candidates(gz1, text, limit=1000))  # noqa: E731
        assert found("%") == {"pe_gz1_ok"}
        assert found("a\\b") == {"pe_gz1_b"}
        assert found("_") == set()
        row(world, Person, "pe_gz1_b").name = "ab"
        db.session.flush()
        assert found("a\\b") == set()


@pytest.mark.parametrize("posted", [None, "", "abc", "1.5", 2**31, -(2**31) - 1, "pe_gz1_ok"])
def test_a_posted_id_that_is_no_id_is_refused_as_not_mine(app, world, posted):
    with acting(app):
        assert _refusal(lambda: outgoing_person(world.actors["unit_gz1"], posted)) == NOT_MINE


@pytest.mark.parametrize("identity, key", [
    ("unit_gz1", "pe_gz2_ok"),  # another unit's
    ("unit_gz1", "pe_gz1_wait"),  # waiting, not confirmed
    ("unit_gz1", "pe_released"),
    ("multi_gz2", "pe_gz1_ok"),  # the same account, acting for the other unit
    ("hr_gz", "pe_gz1_ok"),  # in the HR's region, but no HR transfers people
    ("inst_gz", "pe_odd"),
])
def test_only_the_units_confirmed_people_go_out(app, world, identity, key):
    with acting(app):
        person_id = world.ids[key]
        assert _refusal(lambda: outgoing_person(world.actors[identity], person_id)) == NOT_MINE
        assert _refusal(lambda: outgoing_person(world.actors[identity], str(person_id))) == NOT_MINE
    with acting(app):
        unit = {"pe_gz2_ok": "multi_gz2", "pe_gz1_ok": "unit_gz1"}.get(key)
        if unit:  # the person's own unit may
            assert outgoing_person(world.actors[unit], str(person_id)).id == person_id


@pytest.mark.parametrize("target, reason", [
    (None, "请选择调入单位"),
    ("or_unit_gz1", "调入单位不能是本单位"),
    ("or_unit_gz_new", "调入单位不存在或尚未通过审核，请重新选择"),  # pending
    ("or_unit_gz_ret", "调入单位不存在或尚未通过审核，请重新选择"),  # returned
    ("or_hr_gz", "调入单位不存在或尚未通过审核，请重新选择"),  # no 法人单位
    ("or_inst_p", "调入单位不存在或尚未通过审核，请重新选择"),
])
def test_a_transfer_goes_only_to_another_approved_unit(app, world, target, reason):
    with acting(app):
        to_unit = world.ids[target] if target else None
        last = _last(Transfer)
        assert _refusal(lambda: request_transfer(world.ids["pe_gz1_ok"], to_unit, "调动", world.actors["unit_gz1"])) \
            == reason
        assert _since(Transfer, last) == []


def test_one_transfer_at_a_time_and_a_short_reason(app, world):
    with acting(app):
        gz1 = world.actors["unit_gz1"]
        sz = world.ids["or_unit_sz"]
        assert _refusal(lambda: request_transfer(world.ids["pe_going"], sz, None, gz1)) == (
            "pe_going已有待调入确认的调转申请，不能重复调出"
        )
        assert _refusal(lambda: request_transfer(world.ids["pe_gz1_ok"], sz, "长" * 201, gz1)) == "调出说明限200字"
        request_transfer(world.ids["pe_gz1_ok"], sz, "长" * 200, gz1)  # the limit itself is allowed


def test_a_request_writes_the_transfer_its_first_step_and_the_log(app, world):
    with app.test_request_context():
        gz1 = world.actors["unit_gz1"]
        sz = row(world, Organisation, "or_unit_sz")
        last_log, last_audit = _last(ReviewLog), _last(AuditLog)
        transfer = request_transfer(str(world.ids["pe_gz1_ok"]), sz, "  工作调动  ", gz1)
        assert (transfer.person_id, transfer.from_unit_id, transfer.to_unit_id, transfer.status, transfer.reason,
                transfer.requested_by_id) == (world.ids["pe_gz1_ok"], gz1.org_id, sz.id, TransferStatus.PENDING,
                                              "工作调动", gz1.user_id)
        assert [(r.object_type, r.object_id, r.step, r.reviewer_org_id, r.reviewer_user_id, r.result, r.opinion)
                for r in _since(ReviewLog, last_log)] == [
            ("transfer", transfer.id, "人员调出", gz1.org_id, gz1.user_id, ReviewResult.SUBMIT, "工作调动"),
        ]
        assert [(a.action, a.summary) for a in _since(AuditLog, last_audit) if a.object_type == "transfer"] == [
            ("transfer", "调出：pe_gz1_ok → or_unit_sz"),
        ]
        assert pending_transfer_of(world.ids["pe_gz1_ok"]).id == transfer.id
        assert pending_transfer_of(world.ids["pe_moved"]) is None  # its transfer was accepted
        assert persons_with_pending([world.ids[k] for k in ("pe_gz1_ok", "pe_gz1_b", "pe_going", "pe_moved")]) == {
            world.ids["pe_gz1_ok"], world.ids["pe_going"],
        }
        assert persons_with_pending([]) == set()
        db.session.rollback()


def test_accepting_moves_the_person_and_closes_their_waiting_change(app, world):
    with app.test_request_context():
        transfer = row(world, Transfer, "tr_wait")
        going = row(world, Person, "pe_going")
        going.department_id = world.ids["de_gz1_sub"]
        change = PersonChange(person_id=going.id, status=ApplicationStatus.PENDING,
                              reviewer_org_id=world.ids["or_unit_gz1"], before={}, after={"name": "改名"})
        db.session.add(change)
        db.session.flush()
        receiver = world.actors["multi_gz2"]
        last_log, last_audit = _last(ReviewLog), _last(AuditLog)
        accept_transfer(transfer, receiver, " 欢迎 ")
        db.session.refresh(transfer)
        db.session.refresh(going)
        assert (transfer.status, transfer.opinion, transfer.decided_by_id) == (
            TransferStatus.ACCEPTED, "欢迎", receiver.user_id,
        )
        assert transfer.decided_at is not None
        assert (going.unit_id, going.binding_status, going.department_id) == (
            world.ids["or_unit_gz2"], BindingStatus.CONFIRMED, None,
        )
        db.session.refresh(change)
        assert change.status == ApplicationStatus.CLOSED
        steps = [(r.object_type, r.step, r.result, r.opinion, r.reviewer_org_id) for r in _since(ReviewLog, last_log)]
        assert steps == [
            ("transfer", "人员调入", ReviewResult.APPROVE, "欢迎", receiver.org_id),
            ("person_change", "人员调转", ReviewResult.CLOSE, "人员已调转，申请自动结案", receiver.org_id),
        ]
        summaries = [a.summary for a in _since(AuditLog, last_audit)]
        assert "已调入：pe_going" in summaries and "调入：pe_going → or_unit_gz2" in summaries
        db.session.rollback()


@pytest.mark.parametrize("unit, binding", [
    (None, BindingStatus.RELEASED),
    ("or_unit_gz1", BindingStatus.PENDING),  # re-bound to the same unit by the helpdesk: waits again
    ("or_unit_sz", BindingStatus.CONFIRMED),
])
def test_a_person_no_longer_at_the_sending_unit_is_not_taken_in(app, world, unit, binding):
    with acting(app):
        going = row(world, Person, "pe_going")
        going.binding_status, going.unit_id = binding, world.ids[unit] if unit else None
        db.session.flush()
        assert _refusal(lambda: accept_transfer(row(world, Transfer, "tr_wait"), world.actors["multi_gz2"])) == (
            "pe_going已不是调出单位的在职人员（可能已被解除绑定），不能调入"
        )
        db.session.refresh(going)
        assert (going.unit_id, going.binding_status) == (world.ids[unit] if unit else None, binding)


def test_refusing_needs_a_short_opinion_and_leaves_the_person(app, world):
    with acting(app):
        transfer = row(world, Transfer, "tr_wait")
        receiver = world.actors["multi_gz2"]
        assert _refusal(lambda: refuse_transfer(transfer, "  ", receiver)) == "请填写调入意见（拒绝时必填）"
        assert _refusal(lambda: refuse_transfer(transfer, "否" * 201, receiver)) == "调入意见（拒绝时必填）限200字"
        assert _refusal(lambda: accept_transfer(transfer, receiver, "好" * 201)) == "调入意见限200字"
        db.session.refresh(transfer)
        assert transfer.status == TransferStatus.PENDING
        last_log = _last(ReviewLog)
        refuse_transfer(transfer, "编制已满", receiver)
        db.session.refresh(transfer)
        assert (transfer.status, transfer.opinion) == (TransferStatus.REFUSED, "编制已满")
        assert [(r.step, r.result, r.opinion) for r in _since(ReviewLog, last_log)] == [
            ("人员调入", ReviewResult.CLOSE, "编制已满"),
        ]
        assert row(world, Person, "pe_going").unit_id == world.ids["or_unit_gz1"]


def test_cancelling_is_logged_as_the_senders_withdrawal(app, world):
    with acting(app):
        transfer = row(world, Transfer, "tr_wait")
        last_log = _last(ReviewLog)
        cancel_transfer(transfer, world.actors["multi_gz1"])  # an ordinary member of the sender
        db.session.refresh(transfer)
        assert transfer.status == TransferStatus.CANCELLED
        assert [(r.step, r.result, r.opinion, r.reviewer_org_id) for r in _since(ReviewLog, last_log)] == [
            ("撤销调出", ReviewResult.CLOSE, "调出单位撤销调转申请", world.ids["or_unit_gz1"]),
        ]


def test_batches_decide_what_is_theirs_and_skip_the_rest_with_the_reason(app, world):
    with acting(app):
        waiting, done = row(world, Transfer, "tr_wait"), row(world, Transfer, "tr_done")
        outcome = accept_many([done, waiting], world.actors["multi_gz2"])
        assert [t.id for t, _ in outcome.done] == [waiting.id]
        assert outcome.skipped == [("pe_moved", "该调转申请当前状态为“已调入”，不能再办理")]
        assert row(world, Person, "pe_going").unit_id == world.ids["or_unit_gz2"]
        db.session.rollback()
    with acting(app):
        waiting = row(world, Transfer, "tr_wait")
        assert _refusal(lambda: refuse_many([waiting], "", world.actors["multi_gz2"])) == "请填写调入意见（拒绝时必填）"
        outcome = refuse_many([waiting], "不要", world.actors["unit_sz"])
        assert (outcome.done, outcome.skipped) == ([], [("pe_going", "该调转申请不由本单位办理")])
        refuse_many([waiting], " 编制已满 ", world.actors["multi_gz2"])
        db.session.refresh(waiting)
        assert (waiting.status, waiting.opinion) == (TransferStatus.REFUSED, "编制已满")
    with acting(app):
        waiting = row(world, Transfer, "tr_wait")
        outcome = cancel_many([waiting], world.actors["multi_gz2"])  # the receiver cannot withdraw
        assert (outcome.done, outcome.skipped) == ([], [("pe_going", "该调转申请不由本单位办理")])
        outcome = cancel_many([waiting], world.actors["unit_gz1"])
        assert [t.id for t, _ in outcome.done] == [waiting.id] and outcome.skipped == []


def test_the_history_is_the_transfers_own_oldest_first(app, world):
    with acting(app):
        transfer = request_transfer(world.ids["pe_gz1_ok"], world.ids["or_unit_sz"], "第一步", world.actors["unit_gz1"])
        refuse_transfer(transfer, "第二步", world.actors["unit_sz"])
        other = row(world, Transfer, "tr_wait")
        cancel_transfer(other, world.actors["unit_gz1"])
        assert [(r.step, r.opinion) for r in history(transfer)] == [("人员调出", "第一步"), ("人员调入", "第二步")]
        # by time first: a step written later with an earlier time (a clock set back) reads first
        earlier = min(r.created_at for r in history(transfer)) - timedelta(minutes=1)
        db.session.add(ReviewLog(object_type="transfer", object_id=transfer.id, step="补录", created_at=earlier,
                                 result=ReviewResult.SUBMIT))
        db.session.flush()
        assert [r.step for r in history(transfer)] == ["补录", "人员调出", "人员调入"]
        assert [r.step for r in history(other)] == ["撤销调出"]
