"""年度报告 (002 年审报告管理; 审核继续教育基地年度报告): an institution files a report of one year, HR of
its region reviews it through the review engine.

What these operations guarantee:

- Only an institution holding 年度报告管理 files, and only for itself; one report per institution and
  year (checked with a message, and a unique constraint under races). 年度 2000 to this year; 报告名称
  required, ≤100; 备注 ≤500.
- 修改 and attachments while 草稿 / 已退回; **删除 only while 草稿** (never 申报ed: "已申报的年度报告不可删除"),
  with its attachments.
- 申报 (送审) needs at least one attachment, and is routed to the nearest approved HR organisation up the
  institution's region chain (`orgs.hr_for_region`, the rule of its registration); no such HR: refused.
- Decisions are `review.review` / `review_many` with the ANNUAL_REPORT flow by an HR organisation holding
  审核继续教育基地年度报告: 同意 → 已通过, 不同意并结案 → 已结案, 不同意并退案 → 已退回 (editable, 申报 again).

Functions flush, never commit.
"""

from sqlalchemy import select

from .. import attachments, audit
from ..clock import beijing_today
from ..extensions import db
from ..labels import ApplicationStatus, AuditAction, OrgKind
from ..models import AnnualReport, Organisation
from ..policy import Actor
from . import BatchOutcome, WorkflowError, each_row
from .orgs import hr_for_region
from .review import SUBMITTABLE, Flow, ReviewError, review, review_many, submit
from .teachers import FieldError

MODULE = "annual_report"
REVIEW_MODULE = "annual_report_review"
NAME_MAX = 100
NOTE_MAX = 500
FIRST_YEAR = 2000
ANNUAL_REPORT = Flow(AnnualReport.__tablename__, AnnualReport, step="年度报告审核")
READ_ONLY = "年度报告已申报，不能再修改"
NEEDS_ATTACHMENT = "请先上传年度报告附件，再申报"


def editable(report: AnnualReport) -> bool:
    return report.status in SUBMITTABLE


def deletable(report: AnnualReport) -> bool:
    return report.status == ApplicationStatus.DRAFT


def _require(actor: Actor | None, report: AnnualReport | None = None) -> None:
    if actor is None or actor.kind != OrgKind.INSTITUTION or actor.org_id is None or not actor.can_use(MODULE):
        raise WorkflowError("您没有管理年度报告的权限")
    if report is not None and report.institution_id != actor.org_id:
        raise WorkflowError("该年度报告不属于本机构")


def year_choices() -> list[int]:
    return list(range(beijing_today().year, FIRST_YEAR - 1, -1))


def clean(year, name, note) -> dict:
    """The report's values, or FieldError naming the first field that is wrong."""
    try:
        year = int(str(year).strip())
    except (TypeError, ValueError):
        raise FieldError("year", "请选择年度") from None
    if not FIRST_YEAR <= year <= beijing_today().year:
        raise FieldError("year", f"年度须在{FIRST_YEAR}年至今年之间")
    name = (name or "").strip()
    if not name:
        raise FieldError("name", "请填写报告名称")
    if len(name) > NAME_MAX:
        raise FieldError("name", f"报告名称限{NAME_MAX}字")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise FieldError("note", f"备注限{NOTE_MAX}字")
    return {"year": year, "name": name, "note": note or None}


def save_report(report: AnnualReport | None, actor: Actor, *, year, name, note=None) -> AnnualReport:
    """新增 (report None) or 修改 a draft or returned report; returns it."""
    _require(actor, report)
    if report is not None and not editable(report):
        raise WorkflowError(READ_ONLY)
    values = clean(year, name, note)
    taken = select(AnnualReport.id).where(
        AnnualReport.institution_id == actor.org_id, AnnualReport.year == values["year"]
    )
    if report is not None:
        taken = taken.where(AnnualReport.id != report.id)
    if db.session.scalar(taken.limit(1)) is not None:
        raise FieldError("year", f"本机构{values['year']}年度的年度报告已存在，每年只能有一份")
    creating = report is None
    with db.session.no_autoflush:
        if creating:
            report = AnnualReport(institution_id=actor.org_id, status=ApplicationStatus.DRAFT)
        for key, value in values.items():
            setattr(report, key, value)
        db.session.add(report)
    with audit.audit_as(AuditAction.CREATE if creating else AuditAction.UPDATE, f"年度报告：{values['name']}"):
        db.session.flush()
    return report


def delete_report(report: AnnualReport, actor: Actor) -> None:
    """删除: only before 申报 (草稿), with its attachments."""
    _require(actor, report)
    if not deletable(report):
        raise WorkflowError("已申报的年度报告不可删除")
    for attachment in attachments.for_owner(ANNUAL_REPORT.object_type, report.id):
        attachments.delete(attachment, actor)
    with audit.audit_as(AuditAction.DELETE, f"删除年度报告：{report.name}"):
        db.session.delete(report)
        db.session.flush()


def reviewer_of(report: AnnualReport) -> Organisation:
    """The HR organisation of the institution's region (nearest approved one up the chain)."""
    institution = db.session.get(Organisation, report.institution_id)
    hr = hr_for_region(institution.region_code)
    if hr is None:
        raise ReviewError("所在地区没有已开通的人社部门，暂不能申报，请联系上级人社部门")
    return hr


def submit_report(report: AnnualReport, actor: Actor) -> Organisation:
    """申报: to the HR of the region; needs an attachment. Returns the reviewer."""
    _require(actor, report)
    if not editable(report):
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(report.status)}”，不能申报")
    if not attachments.for_owner(ANNUAL_REPORT.object_type, report.id):
        raise ReviewError(NEEDS_ATTACHMENT)
    reviewer = reviewer_of(report)
    submit(ANNUAL_REPORT, report, reviewer_org_id=reviewer.id, actor=actor)
    return reviewer


def submit_many(rows, actor: Actor) -> BatchOutcome:
    return each_row(rows, lambda row: submit_report(row, actor))


# ---- 审核 (HR) -------------------------------------------------------------------------------------


def _require_reviewer(actor: Actor | None) -> None:
    if actor is None or actor.kind != OrgKind.HR or actor.org_id is None or not actor.can_use(REVIEW_MODULE):
        raise ReviewError("您没有审核年度报告的权限")


def decide(report: AnnualReport, result: str, opinion: str | None, actor: Actor) -> None:
    _require_reviewer(actor)
    review(ANNUAL_REPORT, report, result, opinion, actor)


def decide_many(rows, result: str, opinion: str | None, actor: Actor) -> BatchOutcome:
    _require_reviewer(actor)
    return review_many(ANNUAL_REPORT, rows, result, opinion, actor)
