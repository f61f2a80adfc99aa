"""The review engine (workflows/review.py) through the records that use all of it: 送审 that passes at
once (`approve_at_submit`), a unit's own 确认 logged as a step of the chain (`log_step`), 认定 along a
two-step chain (`_decide` with `route_on` and `values`), 撤销 (`withdraw`) and 学时审验 (`recheck`).

Each move is pinned by what it leaves: the org the record waits at, the values set, the 审批流程 row
(step, reviewer, result, opinion) and the AuditLog row, written out by hand. The refusals include the
races the conditional UPDATE exists for: the page's copy of the row is stale (someone else decided,
withdrew or re-routed it in between), so only the UPDATE's own WHERE can refuse, and the row read again
afterwards shows nothing changed. Nothing is committed (`acting`).
"""
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from backoffice import provinces
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, RecordChain, RecordSource, ReviewResult
from backoffice.models import Organisation, OrgChange, ProvinceRule, Record, ReviewLog
from backoffice.workflows.declarations import RECORD, decide, decide_many, submit_record, withdraw_record
from backoffice.workflows.orgs import ORG_CHANGE
from backoffice.workflows.record_checks import check
from backoffice.workflows.review import ReviewError, histories, history, review
from test_trail import Trail
from world import acting, row

PENDING, APPROVED, RETURNED, DRAFT = (
    ApplicationStatus.PENDING, ApplicationStatus.APPROVED, ApplicationStatus.RETURNED, ApplicationStatus.DRAFT,
)
UNIT_STEP, HR_STEP = "继续教育记录认定", "学时学分审批（人社部门）"


def _behind_the_page(record, **values) -> None:
    """Someone else's change to the row, written to the database only: the caller's copy stays stale."""
    db.session.execute(
        update(Record).where(Record.id == record.id).values(**values).execution_options(synchronize_session=False)
    )


def _new_record(world, person: str, course: str, *, source, status=DRAFT, by=None, reviewer=None, step=None):
    record = Record(
        person_id=world.ids[person], course_type="professional", course_name=course, start_on=date(2026, 3, 1),
        end_on=date(2026, 3, 1), declared_hours=Decimal("6"), year=2026, source=source, status=status,
        declared_by_org_id=world.ids[by] if by else None, reviewer_org_id=world.ids[reviewer] if reviewer else None,
        review_step=step,
    )
    db.session.add(record)
    db.session.flush()
    return record


def _unit_then_hr() -> None:
    """神谕省 recognises records the Henan way: the unit, then the region's HR (`record_chain`)."""
    rule = db.session.scalar(select(ProvinceRule).where(ProvinceRule.region_code == "490000"))
    rule.record_chain = RecordChain.UNIT_THEN_HR
    db.session.flush()
    provinces.forget()


# ---- approve_at_submit: a unit's record of its own person, nobody after it --------------------------


def test_a_units_own_record_is_approved_at_submit_with_both_steps_logged(app, world):
    with acting(app):
        unit = world.actors["unit_gz1"]
        record = _new_record(world, "pe_gz1_ok", "rc_own", source=RecordSource.UNIT, by="or_unit_gz1")
        with Trail() as trail:
            assert submit_record(record, unit) == "已确认，学时已认定"
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.approved_hours, record.review_step) == (
            APPROVED, None, Decimal("6"), None)
        assert record.submitted_at is not None
        gz1 = world.ids["or_unit_gz1"]
        assert trail.reviews == [
            ("record", record.id, "送审", gz1, unit.user_id, "submit", None),
            ("record", record.id, UNIT_STEP, gz1, unit.user_id, "approve", "单位确认"),
        ]
        assert trail.audit == [
            ("submit", "record", str(record.id), "送审并自动通过：pe_gz1_ok：rc_own",
             {"status": "draft"}, {"status": "approved"}),
        ]


def test_a_returned_record_approved_at_resubmit_no_longer_names_its_old_reviewer(app, world):
    """Returned by 广州 HR when the province's chain still had its step; 送审 again, the unit's 确认 ends it."""
    with acting(app):
        record = _new_record(world, "pe_gz1_ok", "rc_back", source=RecordSource.UNIT, by="or_unit_gz1",
                             status=RETURNED, reviewer="or_hr_gz", step="region_hr")
        assert submit_record(record, world.actors["unit_gz1"]) == "已确认，学时已认定"
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.review_step, record.approved_hours) == (
            APPROVED, None, None, Decimal("6"))


def test_a_record_submitted_meanwhile_is_not_approved_at_submit(app, world):
    """Two tabs: the other one sent the record to its reviewer; this page still shows a draft."""
    with acting(app):
        unit = world.actors["unit_gz1"]
        record = _new_record(world, "pe_gz1_ok", "rc_twice", source=RecordSource.UNIT, by="or_unit_gz1")
        _behind_the_page(record, status=PENDING, reviewer_org_id=world.ids["or_hr_gz"])
        with Trail() as trail, pytest.raises(ReviewError, match="^当前状态为“待审核”，不能送审$"):
            submit_record(record, unit)
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.approved_hours) == (
            PENDING, world.ids["or_hr_gz"], None)
        assert (trail.reviews, trail.audit) == ([], [])


# ---- log_step and route_on: a chain of two steps ---------------------------------------------------


def test_a_unit_confirms_its_own_record_and_sends_it_to_the_regions_hr(app, world):
    with acting(app):
        _unit_then_hr()
        unit = world.actors["unit_oc"]
        record = _new_record(world, "pe_unit_oc_ok", "rc_chain", source=RecordSource.UNIT, by="or_unit_oc")
        with Trail() as trail:
            assert submit_record(record, unit) == "已送审，审核单位：or_hr_oc"
        db.session.refresh(record)
        hr_oc, unit_oc = world.ids["or_hr_oc"], world.ids["or_unit_oc"]
        assert (record.status, record.reviewer_org_id, record.review_step, record.approved_hours) == (
            PENDING, hr_oc, "region_hr", None)
        assert record.submitted_at is not None
        assert trail.reviews == [
            ("record", record.id, "送审", unit_oc, unit.user_id, "submit", None),
            ("record", record.id, UNIT_STEP, unit_oc, unit.user_id, "approve", "单位确认"),
        ]
        assert trail.audit == [
            ("submit", "record", str(record.id), "送审：pe_unit_oc_ok：rc_chain",
             {"status": "draft"}, {"status": "pending", "reviewer_org_id": hr_oc}),
        ]


def test_a_record_sent_on_meanwhile_is_not_sent_again(app, world):
    """Two tabs: the other one sent it to the region's HR; this page still shows a draft."""
    with acting(app):
        _unit_then_hr()
        record = _new_record(world, "pe_unit_oc_ok", "rc_twice", source=RecordSource.UNIT, by="or_unit_oc")
        _behind_the_page(record, status=PENDING, reviewer_org_id=world.ids["or_hr_o"], review_step="region_hr")
        with Trail() as trail, pytest.raises(ReviewError, match="^当前状态为“待审核”，不能送审$"):
            submit_record(record, world.actors["unit_oc"])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.submitted_at) == (PENDING, world.ids["or_hr_o"], None)
        assert (trail.reviews, trail.audit) == ([], [])


def test_approval_at_the_first_step_routes_on_and_the_last_one_approves(app, world):
    with acting(app):
        _unit_then_hr()
        unit, hr = world.actors["unit_oc"], world.actors["hr_oc"]
        hr_oc, unit_oc = world.ids["or_hr_oc"], world.ids["or_unit_oc"]
        record = _new_record(
            world, "pe_unit_oc_ok", "rc_two_steps", source=RecordSource.PERSON, status=PENDING,
            reviewer="or_unit_oc", step="unit",
        )
        with pytest.raises(ReviewError, match="^不在本单位的审核范围内$"):
            decide(record, ReviewResult.APPROVE, "", "5", hr)  # not yet its step
        with Trail() as first:
            decide(record, ReviewResult.APPROVE, " 属实 ", "5", unit)
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.review_step, record.approved_hours) == (
            PENDING, hr_oc, "region_hr", Decimal("5"))
        assert first.reviews == [("record", record.id, UNIT_STEP, unit_oc, unit.user_id, "approve", "属实")]
        assert first.audit == [
            ("review", "record", str(record.id), "同意：pe_unit_oc_ok：rc_two_steps", {"status": "pending"},
             {"status": "pending", "opinion": "属实", "approved_hours": "5", "reviewer_org_id": hr_oc,
              "review_step": "region_hr"}),
        ]
        with pytest.raises(ReviewError, match="^不在本单位的审核范围内$"):
            decide(record, ReviewResult.APPROVE, "", None, unit)  # its step is done

        with Trail() as last:
            decide(record, ReviewResult.APPROVE, "", None, hr)  # keeps the unit's 认定学时
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.review_step, record.approved_hours) == (
            APPROVED, hr_oc, "region_hr", Decimal("5"))
        assert last.reviews == [("record", record.id, HR_STEP, hr_oc, hr.user_id, "approve", None)]
        assert last.audit == [
            ("review", "record", str(record.id), "同意：pe_unit_oc_ok：rc_two_steps", {"status": "pending"},
             {"status": "approved", "opinion": "", "approved_hours": "5.0"}),  # as read back
        ]


def test_a_refusal_at_the_first_step_ends_the_chain_there(app, world):
    with acting(app):
        _unit_then_hr()
        unit = world.actors["unit_oc"]
        record = _new_record(
            world, "pe_unit_oc_ok", "rc_refused", source=RecordSource.PERSON, status=PENDING,
            reviewer="or_unit_oc", step="unit",
        )
        with Trail() as trail:
            decide(record, ReviewResult.RETURN, "材料不全", "5", unit)  # hours are not asked on a refusal
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.review_step, record.approved_hours) == (
            RETURNED, world.ids["or_unit_oc"], "unit", None)
        assert trail.reviews == [
            ("record", record.id, UNIT_STEP, world.ids["or_unit_oc"], unit.user_id, "return", "材料不全"),
        ]
        assert trail.audit == [
            ("review", "record", str(record.id), "不同意并退案：pe_unit_oc_ok：rc_refused", {"status": "pending"},
             {"status": "returned", "opinion": "材料不全"}),
        ]


# ---- _decide: refusals leave the row and the history as they were ----------------------------------


def test_hours_refused_before_anything_changes(app, world):
    with acting(app):
        record = row(world, Record, "rc_p1_self")  # waits at 广州 unit 1, 拟申报 6
        with Trail() as trail, pytest.raises(ReviewError, match="^认定学时不能超过拟申报学时（6.0学时）$"):
            decide(record, ReviewResult.APPROVE, "", "6.5", world.actors["unit_gz1"])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.approved_hours) == (
            PENDING, world.ids["or_unit_gz1"], None)
        assert (trail.reviews, trail.audit) == ([], [])

        decide(record, ReviewResult.APPROVE, "", "6", world.actors["unit_gz1"])
        db.session.refresh(record)
        assert (record.status, record.approved_hours) == (APPROVED, Decimal("6"))


@pytest.mark.parametrize(
    "meanwhile,message,status,reviewer",
    [
        # another reviewer of the same unit refused it while this page was open
        ({"status": RETURNED}, "^已审核，当前状态为“已退回”$", RETURNED, "or_unit_gz1"),
        # the declarer took it back while the reviewer's page was open
        ({"status": DRAFT, "reviewer_org_id": None}, "^已审核，当前状态为“草稿”$", DRAFT, None),
        # still waiting, but routed elsewhere since: only the UPDATE's reviewer condition refuses
        ({"reviewer_org_id": "or_unit_gz2"}, "^已审核，或不在本单位的审核范围内$", PENDING, "or_unit_gz2"),
    ],
)
def test_a_decision_on_a_stale_page_changes_nothing(app, world, meanwhile, message, status, reviewer):
    with acting(app):
        record = row(world, Record, "rc_p1_self")
        changes = {k: world.ids[v] if k == "reviewer_org_id" and v else v for k, v in meanwhile.items()}
        _behind_the_page(record, **changes)
        with Trail() as trail, pytest.raises(ReviewError, match=message):
            decide(record, ReviewResult.APPROVE, "", "3", world.actors["unit_gz1"])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.approved_hours) == (
            status, world.ids[reviewer] if reviewer else None, None)
        assert (trail.reviews, trail.audit) == ([], [])


def test_a_batch_decision_applies_its_opinion_and_default_hours_to_each_row(app, world):
    with acting(app):
        unit = world.actors["unit_gz1"]
        waiting = [
            _new_record(world, "pe_gz1_ok", f"rc_batch{n}", source=RecordSource.PERSON, status=PENDING,
                        reviewer="or_unit_gz1", step="unit")
            for n in (1, 2)
        ]
        with Trail() as trail, pytest.raises(ReviewError, match="^不同意时请填写审核意见$"):
            decide_many(waiting, ReviewResult.RETURN, "  ", unit)  # the whole batch, before any row
        assert (trail.reviews, trail.audit) == ([], [])
        assert decide_many(waiting[:1], ReviewResult.RETURN, " 材料不全 ", unit).done
        assert decide_many(waiting[1:], ReviewResult.APPROVE, "", unit).done
        for record in waiting:
            db.session.refresh(record)
        assert [(r.status, r.approved_hours) for r in waiting] == [(RETURNED, None), (APPROVED, Decimal("6"))]
        steps = histories(RECORD, [r.id for r in waiting])
        assert [(s.step, s.result, s.opinion) for r in waiting for s in steps[r.id]] == [
            (UNIT_STEP, "return", "材料不全"), (UNIT_STEP, "approve", None),
        ]


def test_only_an_approved_change_is_applied_to_the_organisation(app, world):
    """ORG_CHANGE's on_approve writes the new code: a refusal must not, an approval must."""
    with acting(app):
        hr = world.actors["hr_gz"]
        change, unit = row(world, OrgChange, "oc_gz1"), row(world, Organisation, "or_unit_gz1")
        before = unit.code
        review(ORG_CHANGE, change, ReviewResult.RETURN, "材料不全", hr)
        db.session.refresh(unit)
        assert unit.code == before

        change.status = PENDING
        db.session.flush()
        review(ORG_CHANGE, change, ReviewResult.APPROVE, "", hr)
        db.session.refresh(unit)
        db.session.refresh(change)
        assert (change.status, unit.code) == (APPROVED, "ORCCHANGE")


# ---- withdraw ---------------------------------------------------------------------------------------


def test_a_withdrawal_clears_the_routing_and_is_logged(app, world):
    """rc_p1_self as if its unit had approved it at the first step of a chain: 撤销 drops that too."""
    with acting(app):
        person = world.actors["p1"]
        record = row(world, Record, "rc_p1_self")
        record.review_step, record.approved_hours = "region_hr", Decimal("4")
        db.session.flush()
        with Trail() as trail:
            withdraw_record(record, person)
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.submitted_at, record.review_step,
                record.approved_hours) == (DRAFT, None, None, None, None)
        assert trail.reviews == [("record", record.id, "撤销", None, person.user_id, "withdraw", None)]
        assert trail.audit == [
            ("withdraw", "record", str(record.id), "撤销：pe_gz1_ok：rc_p1_self",
             {"status": "pending"}, {"status": "draft"}),
        ]


def test_a_record_decided_meanwhile_is_not_withdrawn(app, world):
    with acting(app):
        record = row(world, Record, "rc_p1_self")
        _behind_the_page(record, status=APPROVED, approved_hours=Decimal("6"))
        with Trail() as trail, pytest.raises(ReviewError, match="^当前状态为“已通过”，只有待审核的记录可以撤销$"):
            withdraw_record(record, world.actors["p1"])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.approved_hours) == (
            APPROVED, world.ids["or_unit_gz1"], Decimal("6"))
        assert (trail.reviews, trail.audit) == ([], [])


# ---- recheck (学时审验) -------------------------------------------------------------------------------


def _approved(world, key: str, hours: str = "6") -> Record:
    record = row(world, Record, key)
    record.approved_hours = Decimal(hours)
    db.session.flush()
    db.session.refresh(record)  # the figure as stored, as the screen reads it
    return record


def test_a_passed_check_with_fewer_hours_sets_both_figures_and_is_logged(app, world):
    with acting(app):
        hr = world.actors["hr_gz"]
        record = _approved(world, "rc_going_unit")
        with Trail() as trail:
            check(record, True, " 材料齐全 ", "1.5", hr)
        db.session.refresh(record)
        assert (record.status, record.checked_hours, record.approved_hours, record.reviewer_org_id) == (
            APPROVED, Decimal("1.5"), Decimal("1.5"), world.ids["or_unit_gz1"])
        opinion = "审验学时1.5（认定学时6.0）；材料齐全"
        assert trail.reviews == [
            ("record", record.id, "学时审验", world.ids["or_hr_gz"], hr.user_id, "approve", opinion),
        ]
        assert trail.audit == [
            ("review", "record", str(record.id), "学时审验通过：pe_going：rc_going_unit", {"status": "approved"},
             {"status": "approved", "opinion": opinion, "checked_hours": "1.5", "approved_hours": "1.5"}),
        ]


def test_a_failed_check_is_logged_with_its_reason(app, world):
    with acting(app):
        hr = world.actors["hr_gz"]
        record = _approved(world, "rc_gz2_unit")
        record.review_step = "unit"
        db.session.flush()
        with Trail() as trail:
            check(record, False, " 证明材料不符 ", None, hr)
        db.session.refresh(record)
        assert (record.status, record.checked_hours, record.approved_hours, record.review_step) == (
            RETURNED, None, None, None)
        assert trail.reviews == [
            ("record", record.id, "学时审验", world.ids["or_hr_gz"], hr.user_id, "return", "证明材料不符"),
        ]
        assert trail.audit == [
            ("review", "record", str(record.id), "学时审验不通过：pe_gz2_ok：rc_gz2_unit", {"status": "approved"},
             {"status": "returned", "opinion": "证明材料不符", "checked_hours": None, "approved_hours": None,
              "review_step": None}),
        ]


@pytest.mark.parametrize("passed,opinion", [(True, None), (False, "不符")])
@pytest.mark.parametrize(
    "meanwhile,message,status,checked",
    [
        # another checker failed it while this page was open
        ({"status": RETURNED, "approved_hours": None}, "^已审验，当前状态为“已退回”$", RETURNED, None),
        # another checker passed it: still 已通过, so only the UPDATE's `checked_hours IS NULL` refuses
        ({"checked_hours": Decimal("2")}, "^已审验，或不在本单位的审验范围内$", APPROVED, Decimal("2")),
    ],
)
def test_a_check_on_a_stale_page_changes_nothing(app, world, meanwhile, message, status, checked, passed, opinion):
    with acting(app):
        record = _approved(world, "rc_going_unit")
        _behind_the_page(record, **meanwhile)
        with Trail() as trail, pytest.raises(ReviewError, match=message):
            check(record, passed, opinion, None, world.actors["hr_gz"])
        db.session.refresh(record)
        assert (record.status, record.checked_hours) == (status, checked)
        assert (trail.reviews, trail.audit) == ([], [])


# ---- the 审批流程 read back -------------------------------------------------------------------------


def test_the_histories_of_some_records_hold_only_theirs_oldest_first(app, world):
    """A row written later may carry an earlier time (a step logged after the fact): the time orders."""
    with acting(app):
        mine, other = row(world, Record, "rc_p1_self"), row(world, Record, "rc_p_hr")
        for record, opinion, at in (
            (mine, "后", datetime(2026, 5, 2)), (mine, "先", datetime(2026, 5, 1)), (other, "别的", datetime(2026, 5, 1)),
        ):
            db.session.add(ReviewLog(object_type="record", object_id=record.id, step="送审", result="submit",
                                     opinion=opinion, created_at=at))
        db.session.flush()
        steps = histories(RECORD, [mine.id])
        assert {key: [s.opinion for s in rows] for key, rows in steps.items()} == {mine.id: ["先", "后"]}
        assert [s.opinion for s in history(RECORD, other)] == ["别的"]
        assert history(RECORD, row(world, Record, "rc_p1_draft")) == []
        assert histories(RECORD, []) == {}
