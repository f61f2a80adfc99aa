"""人员调转: the sending unit asks (调出), the receiving unit confirms (确认调入) or refuses (拒绝调入); the
sender may withdraw (撤销) while the request waits.

What it guarantees:

- Only a person confirmed in the acting unit can be transferred out, to another approved 法人单位, and
  only while no other transfer of that person waits; anything else raises `TransferError` (a Chinese
  message) and changes nothing. The person's row is locked while asking, so two requests for the same
  person cannot both pass the "no pending transfer" check (PostgreSQL; SQLite serialises writers).
- Every decision is a conditional UPDATE (`WHERE status = 待调入确认 AND <my side>`): of an accept, a
  refusal and a withdrawal racing on the same row exactly one wins; the others are told its state.
- Accepting moves the person in the same transaction, again conditionally: only if they are still
  confirmed at the sending unit. They then belong to the receiving unit (confirmed, no department),
  and their key-field changes still waiting at the old unit are closed with a ReviewLog row.
- Every event writes one ReviewLog row (the transfer's 审批流程) and AuditLog rows.

Callers flush, never commit: the request commits once.
"""
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from .. import audit
from ..extensions import db
from ..fields import approved_units
from ..labels import AuditAction, BindingStatus, ReviewResult, TransferStatus
from ..models import Organisation, Person, ReviewLog, Transfer
from ..models.base import utcnow
from ..policy import Actor, visible
from . import BatchOutcome, WorkflowError, each_row
from .people import close_pending_changes

TEXT_MAX = 200  # 调出说明 and 调入意见
OBJECT_TYPE = "transfer"
STEP_OUT = "人员调出"
STEP_IN = "人员调入"
STEP_CANCEL = "撤销调出"
STEP_CLOSE_CHANGE = "人员调转"
CHANGE_CLOSED_OPINION = "人员已调转，申请自动结案"

NOT_MINE = "该人员不是本单位已确认的专业技术人员，不能调出"


class TransferError(WorkflowError):
    """A transfer step that cannot happen; the message is shown to the user as is."""


# ---- who can be transferred out --------------------------------------------------------------


def outgoing_people(actor: Actor):
    """The people this unit may transfer out: inside its scope and confirmed in it."""
    return select(Person).where(
        visible(Person, actor),
        Person.unit_id == actor.org_id,
        Person.binding_status == BindingStatus.CONFIRMED,
    )


def candidates(actor: Actor, search: str = "", limit: int = 20) -> list[Person]:
    """选择调出人员: confirmed people of the unit whose name or ID number contains `search`."""
    query = outgoing_people(actor)
    search = (search or "").strip()[:50]
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            Person.name.like(pattern, escape="\\") | Person.id_number.like(pattern, escape="\\")
        )
    return list(db.session.scalars(query.order_by(Person.name, Person.id).limit(limit)))


def pending_transfer_of(person_id: int) -> Transfer | None:
    return db.session.scalar(
        select(Transfer).where(Transfer.person_id == person_id, Transfer.status == TransferStatus.PENDING)
    )


def persons_with_pending(person_ids) -> set[int]:
    ids = list(person_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Transfer.person_id).where(
                Transfer.person_id.in_(ids), Transfer.status == TransferStatus.PENDING
            )
        )
    )


def outgoing_person(actor: Actor, person_id) -> Person:
    """The person behind a posted id, if this unit may transfer them out; else TransferError.
    Another unit's person and a missing id read the same, so nothing leaks."""
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise TransferError(NOT_MINE) from None
    if not -(2**31) <= person_id < 2**31:
        raise TransferError(NOT_MINE)
    person = db.session.scalar(outgoing_people(actor).where(Person.id == person_id))
    if person is None:
        raise TransferError(NOT_MINE)
    return person


def _clean_text(text: str | None, what: str, *, required: bool = False) -> str | None:
    text = (text or "").strip()
    if required and not text:
        raise TransferError(f"请填写{what}")
    if len(text) > TEXT_MAX:
        raise TransferError(f"{what}限{TEXT_MAX}字")
    return text or None


def _log(transfer: Transfer, step: str, result: str, opinion: str | None, actor: Actor) -> None:
    db.session.add(
        ReviewLog(
            object_type=OBJECT_TYPE,
            object_id=transfer.id,
            step=step,
            reviewer_org_id=actor.org_id,
            reviewer_user_id=actor.user_id,
            result=result,
            opinion=opinion,
        )
    )


# ---- 人员调出 ----------------------------------------------------------------------------------


def request_transfer(person_id, to_unit: Organisation | int | None, reason: str | None, actor: Actor) -> Transfer:
    """发出调出请求: a pending Transfer of one of the unit's confirmed people to another approved unit."""
    person = outgoing_person(actor, person_id)
    to_unit_id = to_unit.id if isinstance(to_unit, Organisation) else to_unit
    if to_unit_id is None:
        raise TransferError("请选择调入单位")
    if to_unit_id == actor.org_id:
        raise TransferError("调入单位不能是本单位")
    target = db.session.scalar(approved_units().where(Organisation.id == to_unit_id))
    if target is None:
        raise TransferError("调入单位不存在或尚未通过审核，请重新选择")
    reason = _clean_text(reason, "调出说明")
    # Lock the person so a second request for them waits for this one and then sees it.
    db.session.execute(select(Person.id).where(Person.id == person.id).with_for_update())
    if pending_transfer_of(person.id) is not None:
        raise TransferError(f"{person.name}已有待调入确认的调转申请，不能重复调出")
    transfer = Transfer(
        person_id=person.id,
        from_unit_id=actor.org_id,
        to_unit_id=target.id,
        status=TransferStatus.PENDING,
        reason=reason,
        requested_by_id=actor.user_id,
    )
    with audit.audit_as(AuditAction.TRANSFER, f"调出：{person.name} → {target.name}"):
        db.session.add(transfer)
        db.session.flush()
    _log(transfer, STEP_OUT, ReviewResult.SUBMIT, reason, actor)
    db.session.flush()
    return transfer


def _move(transfer: Transfer, target: str, actor: Actor, side, opinion: str | None = None) -> None:
    """The conditional UPDATE behind every decision: pending and on the actor's side, or refuse."""
    changed = db.session.execute(
        update(Transfer)
        .where(Transfer.id == transfer.id, Transfer.status == TransferStatus.PENDING, side == actor.org_id)
        .values(status=target, decided_by_id=actor.user_id, decided_at=utcnow(), opinion=opinion)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(transfer)
        if transfer.status != TransferStatus.PENDING:
            raise TransferError(f"该调转申请当前状态为“{TransferStatus.label(transfer.status)}”，不能再办理")
        raise TransferError("该调转申请不由本单位办理")
    audit.record(
        AuditAction.TRANSFER,
        obj=transfer,
        summary=f"{TransferStatus.label(target)}：{transfer.person.name}",
        before={"status": TransferStatus.PENDING},
        after={"status": target, "opinion": opinion},
    )


def cancel_transfer(transfer: Transfer, actor: Actor) -> None:
    """撤销: the sending unit withdraws a request nobody has decided yet."""
    _move(transfer, TransferStatus.CANCELLED, actor, Transfer.from_unit_id)
    _log(transfer, STEP_CANCEL, ReviewResult.CLOSE, "调出单位撤销调转申请", actor)
    db.session.flush()


# ---- 人员调入 ----------------------------------------------------------------------------------


def refuse_transfer(transfer: Transfer, opinion: str | None, actor: Actor) -> None:
    """拒绝调入: needs a reason (调入意见, ≤200); the person stays where they are."""
    opinion = _clean_text(opinion, "调入意见（拒绝时必填）", required=True)
    _refuse(transfer, opinion, actor)


def _refuse(transfer: Transfer, opinion: str, actor: Actor) -> None:
    _move(transfer, TransferStatus.REFUSED, actor, Transfer.to_unit_id, opinion)
    _log(transfer, STEP_IN, ReviewResult.CLOSE, opinion, actor)
    db.session.flush()


def accept_transfer(transfer: Transfer, actor: Actor, opinion: str | None = None) -> None:
    """确认调入: the transfer is accepted and the person moves to the receiving unit."""
    opinion = _clean_text(opinion, "调入意见")
    _move(transfer, TransferStatus.ACCEPTED, actor, Transfer.to_unit_id, opinion)
    moved = db.session.execute(
        update(Person)
        .where(
            Person.id == transfer.person_id,
            Person.unit_id == transfer.from_unit_id,
            Person.binding_status == BindingStatus.CONFIRMED,
        )
        .values(unit_id=transfer.to_unit_id, binding_status=BindingStatus.CONFIRMED, department_id=None)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if moved != 1:
        # The caller rolls back, so the transfer above stays pending.
        raise TransferError(f"{transfer.person.name}已不是调出单位的在职人员（可能已被解除绑定），不能调入")
    audit.record(
        AuditAction.TRANSFER,
        obj=transfer.person,
        summary=f"调入：{transfer.person.name} → {transfer.to_unit.name}",
        before={"unit_id": transfer.from_unit_id},
        after={"unit_id": transfer.to_unit_id, "binding_status": BindingStatus.CONFIRMED, "department_id": None},
    )
    _log(transfer, STEP_IN, ReviewResult.APPROVE, opinion, actor)
    close_pending_changes(transfer.person, actor, step=STEP_CLOSE_CHANGE, why=CHANGE_CLOSED_OPINION)
    db.session.flush()


# ---- batches ----------------------------------------------------------------------------------


def _label(transfer: Transfer) -> str:
    return transfer.person.name


def accept_many(rows, actor: Actor) -> BatchOutcome:
    """批量确认调入: each row re-checked and decided in its own savepoint."""
    return each_row(rows, lambda t: accept_transfer(t, actor), label=_label)


def refuse_many(rows, opinion: str | None, actor: Actor) -> BatchOutcome:
    """批量拒绝调入: one opinion for all; a missing or too long opinion refuses the whole batch first."""
    opinion = _clean_text(opinion, "调入意见（拒绝时必填）", required=True)
    return each_row(rows, lambda t: _refuse(t, opinion, actor), label=_label)


def cancel_many(rows, actor: Actor) -> BatchOutcome:
    return each_row(rows, lambda t: cancel_transfer(t, actor), label=_label)


def history(transfer: Transfer) -> list[ReviewLog]:
    """The transfer's 审批流程, oldest first. Read through the transfer's page, which is scoped."""
    return list(
        db.session.scalars(
            select(ReviewLog)
            .options(joinedload(ReviewLog.reviewer_org), joinedload(ReviewLog.reviewer_user))
            .where(ReviewLog.object_type == OBJECT_TYPE, ReviewLog.object_id == transfer.id)
            .order_by(ReviewLog.created_at, ReviewLog.id)
        )
    )
