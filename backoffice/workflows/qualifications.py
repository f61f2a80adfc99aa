"""施教机构专业培训资格 (004 §1.5.2): an institution applies for one or more 专业系列; the industry
department of each series in its region reviews it through the review engine; a province-level
institution passes at 送审. An institution files plans only for series it is qualified for.

What these operations guarantee:

- Only an institution holding the application module applies, and only for itself; one application
  per institution and series (a unique constraint too). A draft or returned application can be changed,
  deleted (draft only) and 送审; from 送审 on it is read-only; 已结案 is final.
- Routing is `training_routing.qualification_reviewer`; a missing department is named in the refusal.
- Decisions are `review.review` / `review_many` with the QUALIFICATION flow (one reviewer wins).

Functions flush, never commit.
"""
from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..labels import ApplicationStatus, AuditAction, OrgKind
from ..models import Organisation, ProfessionalSeries, Qualification
from ..policy import Actor
from . import BatchOutcome, WorkflowError, each_row
from .review import SUBMITTABLE, Flow, ReviewError, approve_at_submit, submit
from .teachers import FieldError
from .training_routing import qualification_reviewer

MODULE = "qualification_apply"
NOTE_MAX = 500
QUALIFICATION = Flow("qualification", Qualification, step="施教机构专业培训资格审核")
AUTO_APPROVED = "省级施教机构，专业培训资格默认通过"


def editable(qualification: Qualification) -> bool:
    return qualification.status in SUBMITTABLE


def _require(actor: Actor, qualification: Qualification | None = None) -> None:
    if actor is None or actor.kind != OrgKind.INSTITUTION or not actor.can_use(MODULE):
        raise WorkflowError("您没有申请专业培训资格的权限")
    if qualification is not None and qualification.institution_id != actor.org_id:
        raise WorkflowError("该专业培训资格申请不属于本机构")


def _note(value: str | None) -> str | None:
    note = (value or "").strip()
    if len(note) > NOTE_MAX:
        raise FieldError("note", f"申请说明限{NOTE_MAX}字")
    return note or None


def applicable_series(actor: Actor) -> list[ProfessionalSeries]:
    """The active 专业系列 this institution has not applied for yet."""
    applied = select(Qualification.series_id).where(Qualification.institution_id == actor.org_id)
    return list(
        db.session.scalars(
            select(ProfessionalSeries)
            .where(ProfessionalSeries.active.is_(True), ProfessionalSeries.id.not_in(applied))
            .order_by(ProfessionalSeries.sort, ProfessionalSeries.id)
        )
    )


def apply(actor: Actor, series_ids: list[int], note: str | None) -> list[Qualification]:
    """新申请: one draft application per chosen series (保存; 送审 is a separate step)."""
    _require(actor)
    note = _note(note)
    if any(not str(i).isascii() or not str(i).isdigit() for i in series_ids):
        raise FieldError("series_ids", "所选专业系列不可申请（不存在、已停用或本机构已申请）")
    wanted = {int(i) for i in series_ids}
    if not wanted:
        raise FieldError("series_ids", "请选择申请培训的专业系列")
    allowed = {s.id: s for s in applicable_series(actor)}
    if not wanted <= set(allowed):
        raise FieldError("series_ids", "所选专业系列不可申请（不存在、已停用或本机构已申请）")
    rows = []
    for series_id in sorted(wanted):
        row = Qualification(
            institution_id=actor.org_id, series_id=series_id, note=note, status=ApplicationStatus.DRAFT
        )
        db.session.add(row)
        rows.append(row)
    with audit.audit_as(AuditAction.CREATE, "申请专业培训资格：" + "、".join(allowed[i].name for i in sorted(wanted))):
        db.session.flush()
    return rows


def save_note(qualification: Qualification, actor: Actor, note: str | None) -> None:
    _require(actor, qualification)
    if not editable(qualification):
        raise WorkflowError("已送审的申请不能再修改")
    qualification.note = _note(note)
    with audit.audit_as(AuditAction.UPDATE, f"修改专业培训资格申请：{qualification}"):
        db.session.flush()


def delete_application(qualification: Qualification, actor: Actor) -> None:
    _require(actor, qualification)
    if qualification.status != ApplicationStatus.DRAFT:
        raise WorkflowError("只能删除未送审的申请")
    with audit.audit_as(AuditAction.DELETE, f"删除专业培训资格申请：{qualification}"):
        db.session.delete(qualification)
        db.session.flush()


def submit_application(qualification: Qualification, actor: Actor) -> Organisation | None:
    """送审; returns the reviewing department, or None when the application passed at once."""
    _require(actor, qualification)
    if not editable(qualification):
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(qualification.status)}”，不能送审")
    reviewer = qualification_reviewer(qualification)
    if reviewer is None:
        approve_at_submit(QUALIFICATION, qualification, actor=actor, opinion=AUTO_APPROVED)
    else:
        submit(QUALIFICATION, qualification, reviewer_org_id=reviewer.id, actor=actor)
    return reviewer


def submit_many(rows, actor: Actor) -> BatchOutcome:
    return each_row(rows, lambda row: submit_application(row, actor))


def qualified_series_ids(org_id: int) -> set[int]:
    """The 专业系列 an institution may file plans for: its approved qualifications."""
    return set(
        db.session.scalars(
            select(Qualification.series_id).where(
                Qualification.institution_id == org_id, Qualification.status == ApplicationStatus.APPROVED
            )
        )
    )
