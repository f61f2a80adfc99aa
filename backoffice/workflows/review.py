"""审核: the one engine behind every screen where something is 送审 and then decided.

What it guarantees, for every reviewable kind:

- Moves follow one table: 送审 from 草稿 or 已退回 to 待审核; from 待审核, 同意 → 已通过,
  不同意并结案 → 已结案, 不同意并退案 → 已退回 (editable and resubmittable). Anything else raises
  `ReviewError` with a Chinese message and changes nothing.
- The state change is a conditional UPDATE (`WHERE status = 待审核 AND reviewer_org_id = mine`): of two
  reviewers deciding the same row at once exactly one changes it; the other is told it was already
  reviewed. No row lock is held between showing a page and deciding.
- Every event writes one ReviewLog row (the 审批流程 table users see) and one AuditLog row.
- Batch review decides each row in its own savepoint and reports what was done and why the rest
  were skipped; a bad outcome or opinion refuses the whole batch before any row changes.
- A kind may have a chain of steps (`Flow.route_on`): 同意 at a step that has a next one keeps the row
  待审核 and routes it on in the same conditional UPDATE; each step is its own 审批流程 row
  (`Flow.step_of` names the step the row waits at).
- 撤销 (`withdraw`): the submitter takes back a row still 待审核 — a conditional UPDATE to 草稿, logged.
- A later check of an approved row (`recheck`, 学时审验): passed stays 已通过, failed goes back to 已退回;
  a conditional UPDATE on 已通过 and the caller's conditions, logged at the checking step.

Callers flush, never commit: the request commits once.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from .. import audit
from ..extensions import db
from ..labels import ApplicationStatus, AuditAction, ReviewResult
from ..models import ReviewLog
from ..models.base import utcnow
from ..policy import Actor
from . import BatchOutcome, WorkflowError, each_row

OPINION_MAX = 500

#: 审核结果 → the state it leads to
MOVES = {
    ReviewResult.APPROVE: ApplicationStatus.APPROVED,
    ReviewResult.CLOSE: ApplicationStatus.CLOSED,
    ReviewResult.RETURN: ApplicationStatus.RETURNED,
}
SUBMITTABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
OUTCOMES = [(result, ReviewResult.label(result)) for result in MOVES]


class ReviewError(WorkflowError):
    """A review or submission that cannot happen; the message is shown to the user as is."""


@dataclass(frozen=True)
class Flow:
    """One reviewable kind: its table, its 审核环节 name and what approval does besides the state."""

    object_type: str  # ReviewLog.object_type, the model's table name
    model: type
    step: str  # 审核环节, e.g. 单位信息审核
    on_approve: Callable[[object, Actor], None] | None = field(default=None, compare=False)
    #: chains: the values routing a row to its next step after 同意 (reviewer_org_id and the model's
    #: own step column), or None when this step is the last. May raise ReviewError (nobody to route to).
    route_on: Callable[[object], dict | None] | None = field(default=None, compare=False)
    #: the 审核环节 name of the step a row waits at (default: `step`)
    step_of: Callable[[object], str] | None = field(default=None, compare=False)

    def current_step(self, obj) -> str:
        return self.step_of(obj) if self.step_of is not None else self.step


def clean_opinion(result: str, opinion: str | None) -> str:
    """The opinion to store, or ReviewError: 不同意 needs a reason, and it is at most 500 characters."""
    if result not in MOVES:
        raise ReviewError("请选择审核结果")
    opinion = (opinion or "").strip()
    if result != ReviewResult.APPROVE and not opinion:
        raise ReviewError("不同意时请填写审核意见")
    if len(opinion) > OPINION_MAX:
        raise ReviewError(f"审核意见限{OPINION_MAX}字")
    return opinion


def _log(flow: Flow, obj, result: str, opinion: str, actor: Actor, step: str | None = None) -> None:
    db.session.add(
        ReviewLog(
            object_type=flow.object_type,
            object_id=obj.id,
            step=step or flow.step,
            reviewer_org_id=actor.org_id,
            reviewer_user_id=actor.user_id,
            result=result,
            opinion=opinion or None,
        )
    )


def _log_decision(flow: Flow, obj, result: str, opinion: str, actor: Actor, step: str, *,
                  summary: str, before: dict, after: dict) -> None:
    """A decision's 审批流程 row and its 操作日志 row."""
    _log(flow, obj, result, opinion, actor, step=step)
    audit.record(AuditAction.REVIEW, obj=obj, summary=summary, before=before, after=after)


def log_step(flow: Flow, obj, result: str, opinion: str, actor: Actor, step: str) -> None:
    """One more 审批流程 row written by a workflow of a chain (e.g. a unit's own 确认 at 送审)."""
    _log(flow, obj, result, opinion, actor, step=step)


def submit(
    flow: Flow, obj, *, reviewer_org_id: int, actor: Actor, note: str | None = None, values: dict | None = None,
) -> None:
    """送审: from 草稿 or 已退回 to 待审核, routed to `reviewer_org_id` (`values`: more columns the same
    UPDATE sets, e.g. the step of a chain)."""
    model = flow.model
    before = obj.status
    db.session.flush()  # the form's last edits go out before the state moves
    changed = db.session.execute(
        update(model)
        .where(model.id == obj.id, model.status.in_(SUBMITTABLE))
        .values(
            status=ApplicationStatus.PENDING, reviewer_org_id=reviewer_org_id, submitted_at=utcnow(), **(values or {})
        )
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(obj)
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(obj.status)}”，不能送审")
    _log(flow, obj, ReviewResult.SUBMIT, note or "", actor, step="送审")
    audit.record(
        AuditAction.SUBMIT,
        obj=obj,
        summary=f"送审：{obj}",
        before={"status": before},
        after={"status": ApplicationStatus.PENDING, "reviewer_org_id": reviewer_org_id},
    )


def approve_at_submit(
    flow: Flow, obj, *, actor: Actor, opinion: str, values: dict | None = None, by_actor: bool = False,
    step: str | None = None,
) -> None:
    """送审 of a row that needs nobody's review (e.g. a province-level institution's 专业培训资格): from
    草稿 or 已退回 straight to 已通过, with the 送审 and the approval in its 审批流程 saying why.
    `by_actor`: the approval is the submitter's own (a unit's 确认 of a record it declared), so its row
    names the actor; `values`: more columns the same UPDATE sets."""
    model = flow.model
    before = obj.status
    db.session.flush()
    changed = db.session.execute(
        update(model)
        .where(model.id == obj.id, model.status.in_(SUBMITTABLE))
        .values(status=ApplicationStatus.APPROVED, reviewer_org_id=None, submitted_at=utcnow(), **(values or {}))
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(obj)
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(obj.status)}”，不能送审")
    _log(flow, obj, ReviewResult.SUBMIT, "", actor, step="送审")
    db.session.add(
        ReviewLog(
            object_type=flow.object_type, object_id=obj.id, step=step or flow.step,
            reviewer_org_id=actor.org_id if by_actor else None, reviewer_user_id=actor.user_id if by_actor else None,
            result=ReviewResult.APPROVE, opinion=opinion,
        )
    )
    audit.record(
        AuditAction.SUBMIT,
        obj=obj,
        summary=f"送审并自动通过：{obj}",
        before={"status": before},
        after={"status": ApplicationStatus.APPROVED},
    )
    if flow.on_approve is not None:
        flow.on_approve(obj, actor)
        db.session.flush()


#: what a decision may set besides the state: a callable of the row, e.g. the 认定学时 of a record
Values = Callable[[object], dict] | None


def _plain(value):
    """A value the AuditLog's JSON can hold (a Decimal of hours becomes its text)."""
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def review(flow: Flow, obj, result: str, opinion: str | None, actor: Actor, *, values: Values = None) -> None:
    """Decide one pending row routed to the actor's organisation."""
    opinion = clean_opinion(result, opinion)
    _decide(flow, obj, result, opinion, actor, values)


def _decide(flow: Flow, obj, result: str, opinion: str, actor: Actor, values: Values = None, *,
            deferred: bool = False):
    """The decision; its 审批流程 and 操作日志 rows are written at once, or — `deferred` — returned as a
    callable that writes them (review_many writes a batch's together)."""
    model = flow.model
    if obj.status != ApplicationStatus.PENDING:
        raise ReviewError(f"已审核，当前状态为“{ApplicationStatus.label(obj.status)}”")
    if obj.reviewer_org_id != actor.org_id:
        raise ReviewError("不在本单位的审核范围内")
    step = flow.current_step(obj)
    extra = dict(values(obj)) if values is not None else {}  # may refuse (ReviewError) before anything changes
    target = MOVES[result]
    onward = flow.route_on(obj) if target == ApplicationStatus.APPROVED and flow.route_on is not None else None
    if onward is not None:  # 同意 at a step with a next one: still 待审核, now at the next reviewer
        target = ApplicationStatus.PENDING
        extra.update(onward)
    changed = db.session.execute(
        update(model)
        .where(
            model.id == obj.id,
            model.status == ApplicationStatus.PENDING,
            model.reviewer_org_id == actor.org_id,
        )
        .values(status=target, **extra)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(obj)
        if obj.status != ApplicationStatus.PENDING:
            raise ReviewError(f"已审核，当前状态为“{ApplicationStatus.label(obj.status)}”")
        raise ReviewError("已审核，或不在本单位的审核范围内")
    write_logs = partial(
        _log_decision, flow, obj, result, opinion, actor, step,
        summary=f"{ReviewResult.label(result)}：{obj}",
        before={"status": ApplicationStatus.PENDING},
        after={"status": target, "opinion": opinion, **{k: _plain(v) for k, v in extra.items() if k != "status"}},
    )
    if not deferred:
        write_logs()
    if target == ApplicationStatus.APPROVED and flow.on_approve is not None:
        flow.on_approve(obj, actor)
        db.session.flush()
    return write_logs if deferred else None


def review_many(
    flow: Flow, rows, result: str, opinion: str | None, actor: Actor, *, values: Values = None,
) -> BatchOutcome:
    """批量审核: one outcome and opinion for every row; each row is re-checked and decided on its own, in a
    savepoint of its own (a row that clashes is skipped, the others stand). The 审批流程 and 操作日志 rows
    of the decided ones are written together after the last: two multi-row INSERTs, where writing them
    in each row's savepoint took two round trips a row (1,000 records on PostgreSQL: 3.1 s)."""
    opinion = clean_opinion(result, opinion)
    outcome = each_row(rows, lambda obj: _decide(flow, obj, result, opinion, actor, values, deferred=True))
    for _obj, write_logs in outcome.done:  # a decided row's result is the writer of its logs
        write_logs()
    return outcome


def withdraw(flow: Flow, obj, actor: Actor, *, where=(), values: dict | None = None, reason: str = "") -> None:
    """撤销: the submitter takes back a row still 待审核 (at whichever step); it becomes 草稿 again, with no
    reviewer. `where`: the caller's own conditions (who may take it back), inside the same conditional
    UPDATE, so a reviewer deciding at the same moment and the 撤销 cannot both happen."""
    model = flow.model
    changed = db.session.execute(
        update(model)
        .where(model.id == obj.id, model.status == ApplicationStatus.PENDING, *where)
        .values(status=ApplicationStatus.DRAFT, reviewer_org_id=None, submitted_at=None, **(values or {}))
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(obj)
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(obj.status)}”，只有待审核的记录可以撤销")
    _log(flow, obj, ReviewResult.WITHDRAW, reason, actor, step="撤销")
    audit.record(
        AuditAction.WITHDRAW,
        obj=obj,
        summary=f"撤销：{obj}",
        before={"status": ApplicationStatus.PENDING},
        after={"status": ApplicationStatus.DRAFT},
    )


def recheck(
    flow: Flow, obj, passed: bool, opinion: str, actor: Actor, *, step: str, where=(), values: dict | None = None,
) -> None:
    """A later check of a row already 已通过 (学时审验): passed keeps it 已通过, failed returns it to 已退回 (its
    submitter corrects and resubmits it). One conditional UPDATE `WHERE status = 已通过` plus the caller's
    `where` (e.g. not yet checked, inside the checker's region), so of two checkers exactly one decides;
    `values`: the columns the decision sets. Logged as 同意 / 不同意并退案 at `step`."""
    model = flow.model
    target = ApplicationStatus.APPROVED if passed else ApplicationStatus.RETURNED
    changed = db.session.execute(
        update(model)
        .where(model.id == obj.id, model.status == ApplicationStatus.APPROVED, *where)
        .values(status=target, **(values or {}))
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(obj)
        if obj.status != ApplicationStatus.APPROVED:
            raise ReviewError(f"已审验，当前状态为“{ApplicationStatus.label(obj.status)}”")
        raise ReviewError("已审验，或不在本单位的审验范围内")
    result = ReviewResult.APPROVE if passed else ReviewResult.RETURN
    _log_decision(
        flow, obj, result, opinion, actor, step,
        summary=f"{step}{'通过' if passed else '不通过'}：{obj}",
        before={"status": ApplicationStatus.APPROVED},
        after={"status": target, "opinion": opinion, **{k: _plain(v) for k, v in (values or {}).items()}},
    )


def history(flow: Flow, obj) -> list[ReviewLog]:
    """The 审批流程 of one object, oldest first. Read through the object's page, which is scoped."""
    return histories(flow, [obj.id]).get(obj.id, [])


def histories(flow: Flow, ids: list[int]) -> dict[int, list[ReviewLog]]:
    """The 审批流程 of several objects in one query: object id → its steps, oldest first."""
    steps: dict[int, list[ReviewLog]] = {}
    if not ids:
        return steps
    rows = db.session.scalars(
        select(ReviewLog)
        .options(joinedload(ReviewLog.reviewer_org), joinedload(ReviewLog.reviewer_user))
        .where(ReviewLog.object_type == flow.object_type, ReviewLog.object_id.in_(ids))
        .order_by(ReviewLog.created_at, ReviewLog.id)
    )
    for row in rows:
        steps.setdefault(row.object_id, []).append(row)
    return steps
