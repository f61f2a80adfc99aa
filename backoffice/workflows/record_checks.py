"""学时学分审验 (002, issue 11 item 3): HR checks records already 已通过 of its region's people.

- Which records: 已通过, not yet checked (`checked_hours` empty), of a person confirmed at a unit of the
  checker's region (`policy.scope.records_of_region`) — the same condition is in every UPDATE.
- 审验通过: 审验学时 = 认定学时 or lower (0.5 up); a lower figure also becomes the 认定学时, so the year
  counts what was checked. The record stays 已通过 and is not sampled again.
- 审验不通过 (a reason, ≤500 characters): the record loses its hours (认定学时 and 审验学时 cleared) and goes
  back to 已退回 — its declarer corrects it and 送审 again; re-approved, it can be checked again.
- Both are 审批流程 rows at step 学时审验 (`review.recheck`: one conditional UPDATE, so of two checkers
  deciding one record exactly one does; the other is told it was already checked).
- 随机抽查: N (1–200) random unchecked approved records of the region for one year.
"""
from decimal import Decimal

from sqlalchemy import func, select

from ..extensions import db
from ..labels import ApplicationStatus
from ..models import Record
from ..policy import Actor, visible
from ..policy.scope import records_of_region
from . import BatchOutcome, WorkflowError, each_row
from .declarations import NUMBER, RECORD
from .review import OPINION_MAX, ReviewError, recheck

MODULE = "record_check"
STEP = "学时审验"
SAMPLE_MAX = 200
YEARS = (2000, 2100)


def _require_checker(actor: Actor | None) -> None:
    if actor is None or actor.org_id is None or not actor.can_use(MODULE):
        raise ReviewError("您没有学时审验的权限")


def checkable(actor: Actor):
    """The condition 'this checker may still decide it': approved, unchecked, of the region."""
    return (
        visible(Record, actor) & records_of_region(actor)
        & (Record.status == ApplicationStatus.APPROVED) & Record.checked_hours.is_(None)
    )


def _where(actor: Actor):
    return (Record.checked_hours.is_(None), records_of_region(actor))


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ReviewError("审验不通过时请填写原因")
    if len(reason) > OPINION_MAX:
        raise ReviewError(f"审验意见限{OPINION_MAX}字")
    return reason


def _hours(record: Record, text) -> Decimal:
    text = "" if text is None else str(text).strip()
    if not text:
        return record.approved_hours
    if NUMBER.fullmatch(text) is None:
        raise ReviewError("审验学时须为数字，最多一位小数")
    hours = Decimal(text)
    if hours < Decimal("0.5"):
        raise ReviewError("审验学时不能少于0.5学时；不予认可请选择审验不通过")
    if record.approved_hours is not None and hours > record.approved_hours:
        raise ReviewError(f"审验学时不能超过认定学时（{record.approved_hours}学时）")
    return hours


def _require_unchecked(record: Record) -> None:
    if record.status != ApplicationStatus.APPROVED:
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(record.status)}”，只有已通过的记录可以审验")
    if record.checked_hours is not None:
        raise ReviewError(f"已审验，审验学时{record.checked_hours}")


def _pass(record: Record, hours_text, opinion: str, actor: Actor) -> None:
    _require_unchecked(record)
    hours = _hours(record, hours_text)
    note = f"审验学时{hours}" + (f"（认定学时{record.approved_hours}）" if hours != record.approved_hours else "")
    logged = "；".join(x for x in (note, opinion) if x)
    if len(logged) > OPINION_MAX:  # the 审批流程 row holds the note too (PostgreSQL refuses a longer text)
        raise ReviewError(f"审验意见限{OPINION_MAX - len(note) - 1}字")
    recheck(
        RECORD, record, True, logged, actor, step=STEP, where=_where(actor),
        values={"checked_hours": hours, "approved_hours": hours},
    )


def _fail(record: Record, reason: str, actor: Actor) -> None:
    _require_unchecked(record)
    recheck(
        RECORD, record, False, reason, actor, step=STEP, where=_where(actor),
        values={"checked_hours": None, "approved_hours": None, "review_step": None},
    )


def _opinion(text: str | None) -> str:
    opinion = (text or "").strip()
    if len(opinion) > OPINION_MAX:
        raise ReviewError(f"审验意见限{OPINION_MAX}字")
    return opinion


def check(record: Record, passed: bool, opinion: str | None, hours, actor: Actor) -> None:
    """One record: 审验通过 (with its 审验学时) or 审验不通过 (with the reason)."""
    _require_checker(actor)
    if passed:
        _pass(record, hours, _opinion(opinion), actor)
    else:
        _fail(record, _reason(opinion), actor)


def check_many(rows, passed: bool, opinion: str | None, actor: Actor) -> BatchOutcome:
    """批量审验: one outcome for every row, each re-checked in its own savepoint; a pass keeps 认定学时."""
    _require_checker(actor)
    if passed:
        text = _opinion(opinion)
        return each_row(rows, lambda r: _pass(r, None, text, actor))
    reason = _reason(opinion)
    return each_row(rows, lambda r: _fail(r, reason, actor))


def sample(actor: Actor, year, count) -> list[int]:
    """随机抽查: the ids of `count` (1–200) random unchecked approved records of the region for `year`."""
    _require_checker(actor)
    try:
        year, count = int(str(year).strip()), int(str(count).strip())
    except (TypeError, ValueError):
        raise WorkflowError("请填写年度和抽查条数（整数）") from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise WorkflowError("年度不正确")
    if not 1 <= count <= SAMPLE_MAX:
        raise WorkflowError(f"抽查条数须在1至{SAMPLE_MAX}之间")
    return list(db.session.scalars(
        select(Record.id).where(checkable(actor), Record.year == year).order_by(func.random()).limit(count)
    ))
