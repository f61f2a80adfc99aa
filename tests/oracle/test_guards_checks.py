"""学时审验's guards (workflows/record_checks.py) beyond test_guards_records.py's one-record checks: which
records a checker may still decide (`checkable`: `visible(Record) & records_of_region(actor)`, approved,
unchecked), 随机抽查 (`sample`) and 批量审验 (`check_many`) over them, the reason a failed check needs
(`_reason`, `_opinion`) and the 审验学时's bounds (`_hours`). Each refusal beside the same call by the
checker that may make it, with the rows it leaves and its 审批流程 row; messages are compared whole.

The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built. The
world's approved records carry no 认定学时; the tests that need one set it.
"""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus
from backoffice.models import Record, ReviewLog
from backoffice.policy import visible
from backoffice.workflows import WorkflowError
from backoffice.workflows.record_checks import check, check_many, checkable, sample
from backoffice.workflows.review import ReviewError
from world import acting, row, visible_keys

APPROVED, PENDING, RETURNED = ApplicationStatus.APPROVED, ApplicationStatus.PENDING, ApplicationStatus.RETURNED
NO_CHECKING = "您没有学时审验的权限"
NOT_HERE = "已审验，或不在本单位的审验范围内"
NO_REASON = "审验不通过时请填写原因"
TOO_LONG = "审验意见限500字"
GZ = {"rc_going_unit", "rc_gz1_b_import", "rc_gz1_wait_import", "rc_gz2_unit"}  # approved, of 广州's people
SZ = {"rc_moved_old", "rc_sz_none"}


def _granted(world, *keys: str, hours: str = "6") -> list[Record]:
    """The records with a 认定学时 (as read back from the database)."""
    records = [row(world, Record, key) for key in keys]
    for record in records:
        record.approved_hours = Decimal(hours)
    db.session.flush()
    for record in records:
        db.session.refresh(record)
    return records


def _state(record: Record) -> tuple:
    db.session.refresh(record)
    return record.status, record.checked_hours, record.approved_hours


def _checks(record: Record) -> list[tuple]:
    """The 学时审验 rows of the record's 审批流程: (organisation, result, opinion)."""
    return db.session.execute(
        select(ReviewLog.reviewer_org_id, ReviewLog.result, ReviewLog.opinion)
        .where(ReviewLog.object_type == "record", ReviewLog.object_id == record.id, ReviewLog.step == "学时审验")
        .order_by(ReviewLog.id)
    ).all()


# ---- which records a checker may still decide ----------------------------------------------------


@pytest.mark.parametrize(
    "who,keys",
    [
        ("hr_gz", GZ),  # not rc_moved_old: declared in 广州, its person works in 深圳 now
        ("hr_sz", SZ),
        ("hr_p", GZ | SZ),
        # 神谕省: the HR's own staff, the institution's; the province's industry department's staff are
        # the province HR's only
        ("hr_oc", {"rc_hr_oc_staff", "rc_inst_oc_staff", "rc_inst_oc_import"}),
        ("hr_o", {"rc_hr_oc_staff", "rc_inst_oc_staff", "rc_inst_oc_import", "rc_ind_o_import"}),
        # no HR: none, though each of them sees approved records
        ("unit_gz1", set()), ("ind_p", set()), ("admin", set()),
    ],
)
def test_what_a_checker_may_still_check(app, world, who, keys):
    """Run 10's `checkable` (all "no tests"): approved, unchecked records of the checker's region."""
    with acting(app):
        assert visible_keys(world, Record, checkable(world.actors[who])) == keys


def test_a_record_the_checker_approved_of_someone_gone_elsewhere_is_not_its_to_check(app, world):
    """rc_moved_hr, approved by 广州 HR (its reviewer) before pe_moved moved to 深圳: 广州 HR still sees it
    (`visible`), but checks only its region's (`records_of_region`): neither its list, its sample nor a
    check reaches it; 深圳's HR checks it. A checked record leaves every list."""
    with acting(app):
        gz, sz = world.actors["hr_gz"], world.actors["hr_sz"]
        moved, checked = _granted(world, "rc_moved_hr", "rc_gz2_unit")
        moved.status = APPROVED
        checked.checked_hours = Decimal("6")
        db.session.flush()
        assert "rc_moved_hr" in visible_keys(world, Record, visible(Record, gz))
        assert visible_keys(world, Record, checkable(gz)) == GZ - {"rc_gz2_unit"}
        assert visible_keys(world, Record, checkable(sz)) == SZ | {"rc_moved_hr"}
        assert moved.id not in sample(gz, 2026, 200) and checked.id not in sample(gz, 2026, 200)
        assert moved.id in sample(sz, 2026, 200)
        with pytest.raises(ReviewError) as error:
            check(moved, True, None, None, gz)
        assert str(error.value) == NOT_HERE
        assert _state(moved) == (APPROVED, None, Decimal("6"))

        check(moved, True, None, None, sz)
        assert _state(moved) == (APPROVED, Decimal("6"), Decimal("6"))


# ---- 随机抽查 ------------------------------------------------------------------------------------


def _world_part(world, ids: list[int]) -> set[str]:
    return {world.keys[Record][i] for i in ids if i in world.keys[Record]}


@pytest.mark.parametrize("who", ["unit_gz1", "ind_p", "admin", "inst_p", "p1"])
def test_only_a_checker_samples(app, world, who):
    with acting(app):
        with pytest.raises(ReviewError) as error:
            sample(world.actors[who], 2026, 10)
        assert str(error.value) == NO_CHECKING


@pytest.mark.parametrize(
    "year,count,message",
    [
        ("二〇二六", 10, "请填写年度和抽查条数（整数）"),
        (None, 10, "请填写年度和抽查条数（整数）"),
        (2026, "", "请填写年度和抽查条数（整数）"),
        (2026, "1.5", "请填写年度和抽查条数（整数）"),
        (1999, 10, "年度不正确"),
        (2101, 10, "年度不正确"),
        (2026, 0, "抽查条数须在1至200之间"),
        (2026, -1, "抽查条数须在1至200之间"),
        (2026, 201, "抽查条数须在1至200之间"),
    ],
)
def test_a_sample_of_a_wrong_year_or_count_is_refused(app, world, year, count, message):
    with acting(app):
        with pytest.raises(WorkflowError) as error:
            sample(world.actors["hr_gz"], year, count)
        assert str(error.value) == message


def test_a_sample_draws_from_what_the_checker_may_still_check_that_year(app, world):
    """Run 10's `sample`: every one of a year's checkable records at most once, no other year's, no
    other region's; the count is how many are drawn; the bounds 2000, 2100, 1 and 200 are accepted."""
    with acting(app):
        gz = world.actors["hr_gz"]
        drawn = sample(gz, " 2026 ", " 200 ")
        assert _world_part(world, drawn) == GZ
        assert len(drawn) == len(set(drawn))
        assert db.session.scalar(select(func.count()).select_from(Record).where(
            Record.id.in_(drawn), checkable(gz), Record.year == 2026)) == len(drawn)
        one = sample(gz, 2026, 1)
        assert len(one) == 1 and one[0] in drawn
        assert (sample(gz, 2000, 200), sample(gz, 2100, 1)) == ([], [])
        assert _world_part(world, sample(world.actors["hr_sz"], 2026, 200)) == SZ

        going = row(world, Record, "rc_going_unit")
        going.year = 2025
        db.session.flush()
        assert _world_part(world, sample(gz, 2026, 200)) == GZ - {"rc_going_unit"}
        assert _world_part(world, sample(gz, 2025, 200)) == {"rc_going_unit"}


# ---- 批量审验 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["unit_gz1", "ind_p", "admin"])
@pytest.mark.parametrize("passed", [True, False])
def test_only_a_checker_checks_a_batch(app, world, who, passed):
    with acting(app):
        records = _granted(world, "rc_going_unit", "rc_gz2_unit")
        with pytest.raises(ReviewError) as error:
            check_many(records, passed, "审验", world.actors[who])
        assert str(error.value) == NO_CHECKING
        assert [_state(r) for r in records] == [(APPROVED, None, Decimal("6"))] * 2


@pytest.mark.parametrize("opinion,logged", [("  材料齐全 ", "审验学时6.0；材料齐全"), (None, "审验学时6.0"),
                                            ("意" * 492, "审验学时6.0；" + "意" * 492)])
def test_a_batch_passes_the_checkers_records_and_skips_the_others(app, world, opinion, logged):
    """Run 10's `check_many` (all "no tests"): each row re-checked; a pass keeps the 认定学时 as 审验学时."""
    with acting(app):
        hr = world.actors["hr_gz"]
        going, gz2, moved = _granted(world, "rc_going_unit", "rc_gz2_unit", "rc_moved_old")
        waiting = row(world, Record, "rc_p1_self")
        outcome = check_many([going, gz2, moved, waiting], True, opinion, hr)
        assert [r for r, _ in outcome.done] == [going, gz2]
        assert outcome.skipped == [
            ("pe_moved：rc_moved_old", NOT_HERE), ("pe_gz1_ok：rc_p1_self", "当前状态为“待审核”，只有已通过的记录可以审验"),
        ]
        six = Decimal("6")
        assert [_state(r) for r in (going, gz2, moved)] == [
            (APPROVED, six, six), (APPROVED, six, six), (APPROVED, None, six)]
        assert _state(waiting) == (PENDING, None, None)
        assert [_checks(r) for r in (going, gz2, moved, waiting)] == [
            [(world.ids["or_hr_gz"], "approve", logged)], [(world.ids["or_hr_gz"], "approve", logged)], [], [],
        ]


def test_a_batch_fails_the_checkers_records_with_the_reason(app, world):
    """A failed record goes back to its declarer without its hours or the step it was approved at."""
    with acting(app):
        hr = world.actors["hr_gz"]
        going, moved = _granted(world, "rc_going_unit", "rc_moved_old")
        going.review_step = moved.review_step = "unit"
        outcome = check_many([going, moved], False, " 证明材料不符 ", hr)
        assert ([r for r, _ in outcome.done], outcome.skipped) == ([going], [("pe_moved：rc_moved_old", NOT_HERE)])
        assert [_state(r) for r in (going, moved)] == [(RETURNED, None, None), (APPROVED, None, Decimal("6"))]
        assert (going.review_step, moved.review_step) == (None, "unit")
        assert _checks(going) == [(world.ids["or_hr_gz"], "return", "证明材料不符")]


@pytest.mark.parametrize("passed", [True, False])
def test_a_checked_record_is_not_checked_again(app, world, passed):
    with acting(app):
        hr = world.actors["hr_gz"]
        (record,) = _granted(world, "rc_going_unit")
        check(record, True, None, "5", hr)
        db.session.refresh(record)  # as the next page reads it
        with pytest.raises(ReviewError) as error:
            check(record, passed, "再审", None, hr)
        assert str(error.value) == "已审验，审验学时5.0"
        outcome = check_many([record], passed, "再审", hr)
        assert (outcome.done, outcome.skipped) == ([], [("pe_going：rc_going_unit", "已审验，审验学时5.0")])
        assert (_state(record), len(_checks(record))) == ((APPROVED, Decimal("5"), Decimal("5")), 1)


@pytest.mark.parametrize("how", ["one", "batch"])
@pytest.mark.parametrize(
    "passed,opinion,message",
    [(False, None, NO_REASON), (False, "   ", NO_REASON), (False, "因" * 501, TOO_LONG), (True, "意" * 501, TOO_LONG)],
)
def test_a_failed_check_needs_a_reason_and_an_opinion_is_500_at_most(app, world, how, passed, opinion, message):
    """Run 10's `_reason` 3 and `_opinion` 3: an empty reason is refused (a default would let it pass)."""
    with acting(app):
        hr = world.actors["hr_gz"]
        (record,) = _granted(world, "rc_going_unit")
        with pytest.raises(ReviewError) as error:
            if how == "one":
                check(record, passed, opinion, None, hr)
            else:
                check_many([record], passed, opinion, hr)
        assert str(error.value) == message
        assert (_state(record), _checks(record)) == ((APPROVED, None, Decimal("6")), [])


@pytest.mark.parametrize(
    "hours,opinion,message,logged",
    [
        # the row reads "审验学时6.0；<opinion>": 8 of the 500 characters are the note's
        (None, "意" * 493, "审验意见限492字", None),
        (None, "意" * 492, None, "审验学时6.0；" + "意" * 492),
        ("0.5", "意" * 484, "审验意见限483字", None),  # "审验学时0.5（认定学时6.0）；"
        ("0.5", "意" * 483, None, "审验学时0.5（认定学时6.0）；" + "意" * 483),
    ],
)
def test_a_passing_opinion_leaves_room_for_the_note_on_the_review_row(app, world, hours, opinion, message, logged):
    """The 审批流程 row (500 characters) holds the 审验学时 note and the opinion: an opinion the form
    accepts (500) but the row cannot hold is refused, one record or each of a batch — PostgreSQL refused
    the row (a DataError, a failed request) before `_pass` checked the length of both."""
    with acting(app):
        hr = world.actors["hr_gz"]
        (record,) = _granted(world, "rc_going_unit")
        if message is None:
            check(record, True, opinion, hours, hr)
            checked = Decimal(hours or "6")
            assert (_state(record), _checks(record)) == (
                (APPROVED, checked, checked), [(world.ids["or_hr_gz"], "approve", logged)])
            assert len(logged) <= 500
            return
        with pytest.raises(ReviewError) as error:
            check(record, True, opinion, hours, hr)
        assert str(error.value) == message
        if hours is None:
            outcome = check_many([record], True, opinion, hr)
            assert (outcome.done, outcome.skipped) == ([], [("pe_going：rc_going_unit", message)])
        assert (_state(record), _checks(record)) == ((APPROVED, None, Decimal("6")), [])


def test_a_reason_of_500_fails_the_record(app, world):
    with acting(app):
        (record,) = _granted(world, "rc_going_unit")
        check(record, False, "因" * 500, None, world.actors["hr_gz"])
        assert (_state(record), _checks(record)) == (
            (RETURNED, None, None), [(world.ids["or_hr_gz"], "return", "因" * 500)])


# ---- 审验学时: 0.5 up to the 认定学时 -----------------------------------------------------------------


@pytest.mark.parametrize(
    "hours,message",
    [
        ("0.4", "审验学时不能少于0.5学时；不予认可请选择审验不通过"),
        ("0", "审验学时不能少于0.5学时；不予认可请选择审验不通过"),
        ("6.1", "审验学时不能超过认定学时（6.0学时）"),
        ("abc", "审验学时须为数字，最多一位小数"),
        ("1.25", "审验学时须为数字，最多一位小数"),
    ],
)
def test_checked_hours_outside_their_bounds_are_refused(app, world, hours, message):
    """Run 10's `_hours` 14, 21 (the bounds themselves): just outside refused, the record unchanged."""
    with acting(app):
        (record,) = _granted(world, "rc_going_unit")
        with pytest.raises(ReviewError) as error:
            check(record, True, None, hours, world.actors["hr_gz"])
        assert str(error.value) == message
        assert (_state(record), _checks(record)) == ((APPROVED, None, Decimal("6")), [])


@pytest.mark.parametrize(
    "hours,opinion,checked,logged",
    [
        ("0.5", None, "0.5", "审验学时0.5（认定学时6.0）"),  # exactly the lowest: also the new 认定学时
        (" 6 ", "属实", "6", "审验学时6；属实"),  # exactly the 认定学时
        ("", None, "6", "审验学时6.0"),
        ("4.5", " 部分属实 ", "4.5", "审验学时4.5（认定学时6.0）；部分属实"),
    ],
)
def test_checked_hours_within_their_bounds_are_set(app, world, hours, opinion, checked, logged):
    with acting(app):
        (record,) = _granted(world, "rc_going_unit")
        check(record, True, opinion, hours, world.actors["hr_gz"])
        assert (_state(record), _checks(record)) == (
            (APPROVED, Decimal(checked), Decimal(checked)), [(world.ids["or_hr_gz"], "approve", logged)])
