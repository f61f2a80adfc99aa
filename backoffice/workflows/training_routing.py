"""Who reviews what in the training chain (DESIGN §3). One function per reviewable kind decides; no
screen or other workflow looks for a reviewer itself.

- 施教机构专业培训资格: the approved industry department of that 专业系列 nearest up the institution's
  region chain (county → city → province). A province-level institution needs nobody: it is approved
  at 送审 (004 §1.5.2: 省级的机构默认通过，不用审核).
- 专业课计划: the approved industry department of the course's 专业系列, nearest level up from the
  submitter's region. An industry department's own plan (备案) goes to the next department of its
  series above it, and a province-level department's to the HR organisation of its region.
  A province whose rule (`provinces.rules_for(...).plan_reviewer`) says `hr_of_region` sends every plan
  to the HR of the submitter's region instead (Henan: 审核培训计划申报 by 人社); the rule is read here
  and nowhere else.

When nobody can review, ReviewError says which department is missing.
"""
from sqlalchemy import select

from ..extensions import db
from ..labels import ApplicationStatus, OrgKind, PlanReviewer, RegionLevel
from ..models import Organisation, ProfessionalSeries, Qualification, Region
from ..provinces import rules_for
from .orgs import hr_for_region, region_chain
from .review import ReviewError


def nearest_industry(series_id: int, chain: list[str], *, exclude_id: int | None = None) -> Organisation | None:
    """The approved, active industry department of the series in the first region of `chain` that has one."""
    if not chain:
        return None
    query = select(Organisation).where(
        Organisation.kind == OrgKind.INDUSTRY,
        Organisation.series_id == series_id,
        Organisation.region_code.in_(chain),
        Organisation.status == ApplicationStatus.APPROVED,
        Organisation.active.is_(True),
    )
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    by_region: dict[str, Organisation] = {}
    for org in db.session.scalars(query.order_by(Organisation.id)):
        by_region.setdefault(org.region_code, org)
    return next((by_region[code] for code in chain if code in by_region), None)


def _missing(series_id: int, chain: list[str], what: str) -> ReviewError:
    series = db.session.get(ProfessionalSeries, series_id)
    names = [name for code in chain if (name := db.session.scalar(select(Region.name).where(Region.code == code)))]
    where = "或".join(names) or "上级"
    label = series.name if series else ""
    return ReviewError(
        f"没有可审核{what}的“{label}”行业主管部门：请联系{where}的“{label}”行业主管部门"
        "先在本系统完成角色申请，审核通过后再送审"
    )


def qualification_reviewer(qualification: Qualification) -> Organisation | None:
    """The department that reviews this 专业培训资格, or None when it passes without review."""
    institution = qualification.institution
    if institution.level == RegionLevel.PROVINCE:
        return None
    chain = region_chain(institution.region_code)
    reviewer = nearest_industry(qualification.series_id, chain)
    if reviewer is None:
        raise _missing(qualification.series_id, chain, "专业培训资格")
    return reviewer


def plan_reviewer(series_id: int, submitter: Organisation) -> Organisation:
    """The organisation a 专业课计划 of this series filed by `submitter` is routed to at 送审."""
    chain = region_chain(submitter.region_code)
    if rules_for(submitter.region_code).plan_reviewer == PlanReviewer.HR_OF_REGION:
        hr = hr_for_region(submitter.region_code)
        if hr is None or hr.id == submitter.id:
            raise ReviewError("所在地区没有已开通的人社部门，暂不能送审，请联系上级人社部门")
        return hr
    if submitter.kind == OrgKind.INDUSTRY:
        above = nearest_industry(series_id, chain, exclude_id=submitter.id)
        if above is not None:
            return above
        hr = hr_for_region(submitter.region_code)
        if hr is None:
            raise ReviewError("所在地区没有已开通的人社部门，暂不能送审，请联系上级人社部门")
        return hr
    reviewer = nearest_industry(series_id, chain)
    if reviewer is None:
        raise _missing(series_id, chain, "该专业课计划")
    return reviewer
