"""The records' guards (workflows/declarations.py 撤销, workflows/record_checks.py 学时审验), called straight
like test_guards.py: each refusal beside the same call by the identity that may make it. The review
engine's `withdraw` and `recheck` (workflows/review.py) are reached only through these, so the run-4
mutation score showed them unguarded by the oracle.

The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
"""
from decimal import Decimal

import pytest

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, ReviewResult
from backoffice.models import Record
from backoffice.workflows import WorkflowError
from backoffice.workflows.declarations import decide, decide_many, withdraw_record
from backoffice.workflows.record_checks import check
from backoffice.workflows.review import ReviewError
from world import acting, row

NOT_DECLARER = "该继续教育记录不是本人（本单位）申报的"


# ---- 认定: only through a role holding 继续教育记录认定 -----------------------------------------------


@pytest.mark.parametrize("how", ["one", "batch"])
def test_an_operator_without_the_review_module_does_not_decide(app, world, how):
    """multi_gz1 acts for 广州 unit 1, where rc_p1_self waits for 认定, through a role without 继续教育记录认定:
    refused whether the organisation is the reviewer or not, the record still waiting; unit_gz1's super
    admin decides it. (Run 10's `_require_reviewer` 1: the review engine checks the reviewer organisation,
    not the module.)"""
    with acting(app):
        record = row(world, Record, "rc_p1_self")
        with pytest.raises(ReviewError, match="您没有认定继续教育记录的权限"):
            if how == "one":
                decide(record, ReviewResult.APPROVE, None, None, world.actors["multi_gz1"])
            else:
                decide_many([record], ReviewResult.APPROVE, None, world.actors["multi_gz1"])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id) == (ApplicationStatus.PENDING, world.ids["or_unit_gz1"])

        decide(record, ReviewResult.APPROVE, None, None, world.actors["unit_gz1"])
        db.session.refresh(record)
        assert record.status == ApplicationStatus.APPROVED


# ---- 撤销: only the declarer, only while 待审核, never a record of 结业 ----------------------------


@pytest.mark.parametrize(
    "who,message",
    [("p2", NOT_DECLARER), ("unit_gz1", NOT_DECLARER), ("hr_gz", "您没有申报继续教育记录的权限")],
)
def test_only_the_declarer_withdraws(app, world, who, message):
    """rc_p1_self was declared by its person and waits at 广州 unit 1, which sees it and may not take it back."""
    with acting(app):
        record = row(world, Record, "rc_p1_self")
        with pytest.raises(WorkflowError, match=message):
            withdraw_record(record, world.actors[who])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id) == (ApplicationStatus.PENDING, world.ids["or_unit_gz1"])

        withdraw_record(record, world.actors["p1"])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.submitted_at, record.review_step) == (
            ApplicationStatus.DRAFT, None, None, None)


def test_a_record_no_longer_waiting_is_not_withdrawn(app, world):
    with acting(app):
        record = row(world, Record, "rc_p2_inst")  # 已退回 to the institution that declared it
        with pytest.raises(ReviewError, match="当前状态为“已退回”，只有待审核的记录可以撤销"):
            withdraw_record(record, world.actors["inst_p"])
        db.session.refresh(record)
        assert record.status == ApplicationStatus.RETURNED


def test_a_record_of_a_finished_class_is_not_withdrawn(app, world):
    with acting(app):
        record = row(world, Record, "rc_moved_class")
        with pytest.raises(ReviewError, match="培训班结业生成的继续教育记录不能撤销"):
            withdraw_record(record, world.actors["inst_p"])
        db.session.refresh(record)
        assert record.status == ApplicationStatus.PENDING


# ---- 学时审验: HR of the region the person works in now, approved and unchecked records only ---------


@pytest.mark.parametrize(
    "key,outsider,checker",
    [
        ("rc_going_unit", "hr_sz", "hr_gz"),  # the person works in 广州
        # declared in 广州 before the person moved to 深圳: 深圳's HR checks it now, 广州's no longer
        ("rc_moved_old", "hr_gz", "hr_sz"),
    ],
)
def test_only_the_hr_of_the_persons_region_checks(app, world, key, outsider, checker):
    with acting(app):
        record = row(world, Record, key)
        with pytest.raises(ReviewError, match="不在本单位的审验范围内"):
            check(record, True, None, None, world.actors[outsider])
        db.session.refresh(record)
        assert (record.status, record.checked_hours) == (ApplicationStatus.APPROVED, None)

        check(record, True, "材料齐全", "2", world.actors[checker])
        db.session.refresh(record)
        assert (record.status, record.checked_hours) == (ApplicationStatus.APPROVED, Decimal("2"))
        with pytest.raises(ReviewError, match="已审验"):
            check(record, False, "重复审验", None, world.actors[checker])


def test_a_failed_check_returns_the_record(app, world):
    with acting(app):
        record = row(world, Record, "rc_gz2_unit")
        check(record, False, "证明材料不符", None, world.actors["hr_gz"])
        db.session.refresh(record)
        assert (record.status, record.checked_hours, record.approved_hours, record.review_step) == (
            ApplicationStatus.RETURNED, None, None, None)


@pytest.mark.parametrize(
    "key,who,message",
    [
        ("rc_going_unit", "unit_gz1", "您没有学时审验的权限"),  # the unit that approved it
        ("rc_going_unit", "ind_p", "您没有学时审验的权限"),
        ("rc_p1_self", "hr_gz", "当前状态为“待审核”，只有已通过的记录可以审验"),
    ],
)
def test_who_checks_what(app, world, key, who, message):
    with acting(app):
        record = row(world, Record, key)
        before = record.status
        with pytest.raises(ReviewError, match=message):
            check(record, True, None, None, world.actors[who])
        db.session.refresh(record)
        assert (record.status, record.checked_hours) == (before, None)
