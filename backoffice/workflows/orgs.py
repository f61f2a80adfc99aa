"""Organisations: registration, 角色申请 and its routing, 修改单位信息 / 更换上级部门.

Routing (DESIGN §3): units and institutions are reviewed by the HR organisation of their region (the
nearest approved one going up county → city → province); a province-level industry department by the
provincial HR; a city or county industry department by its parent industry department, which must be
approved, active and of the same 专业系列.
"""
from sqlalchemy import exists, select

from ..extensions import db
from ..labels import ApplicationStatus, BindingStatus, MembershipStatus, OrgKind, RegionLevel, TransferStatus
from ..models import Attachment, Membership, OrgChange, Organisation, Person, PersonChange, Region, Transfer, User
from ..policy import Actor
from ..provinces import rules_for
from . import WorkflowError
from .review import Flow, ReviewError, submit

REQUIRED_FOR_SUBMIT = {
    "nature_code": "单位性质",
    "contact_name": "联系人",
    "office_phone": "办公电话",
    "mobile": "移动电话",
    "email": "邮箱",
    "postcode": "邮政编码",
    "address": "单位通讯地址",
    "profile": "单位职能简介",
}


def region_chain(region_code: str) -> list[str]:
    """The region and its ancestors, nearest first (at most three lookups by primary key)."""
    chain, code = [], region_code
    while code:
        chain.append(code)
        code = db.session.scalar(select(Region.parent_code).where(Region.code == code))
    return chain


def _approved(query):
    return query.where(Organisation.status == ApplicationStatus.APPROVED, Organisation.active.is_(True))


def hr_for_region(region_code: str) -> Organisation | None:
    """上级人社主管部门: the nearest approved, active HR organisation at or above the region."""
    chain = region_chain(region_code)
    candidates = db.session.scalars(
        _approved(select(Organisation)).where(
            Organisation.kind == OrgKind.HR, Organisation.region_code.in_(chain)
        )
    ).all()
    by_region = {org.region_code: org for org in candidates}
    return next((by_region[code] for code in chain if code in by_region), None)


def parent_industry_choices(org: Organisation) -> list[Organisation]:
    """Industry departments that may be this department's 上一级行业主管部门: approved, active, in a
    region above its own, and of its 专业系列 (all series when it has none chosen yet)."""
    chain = region_chain(org.region_code)[1:]
    if not chain:
        return []
    query = _approved(select(Organisation)).where(
        Organisation.kind == OrgKind.INDUSTRY,
        Organisation.region_code.in_(chain),
        Organisation.id != org.id,
    )
    if org.series_id:
        query = query.where(Organisation.series_id == org.series_id)
    return list(db.session.scalars(query.order_by(Organisation.region_code, Organisation.name)))


def hr_above(org: Organisation) -> Organisation | None:
    """The nearest approved HR organisation in a region above the organisation's own (审核人社部门)."""
    chain = region_chain(org.region_code)[1:]
    return hr_for_region(chain[0]) if chain else None


def reviewer_for(org: Organisation) -> Organisation:
    """Who reviews this organisation's application or changes; ReviewError when nobody can yet."""
    if org.kind == OrgKind.HR:  # a self-registered city or county HR: the HR one level up (Henan)
        above = hr_above(org)
        if above is None:
            raise ReviewError("上一级人社部门尚未开通，暂不能送审，请联系上一级人社部门")
        return above
    if org.kind == OrgKind.INDUSTRY and org.level != RegionLevel.PROVINCE:
        parent, choices = org.parent, parent_industry_choices(org)
        if parent is None:
            if not choices:
                raise ReviewError(
                    "没有可选择的上一级行业主管部门：上一级行业主管部门尚未在本系统完成角色申请，"
                    "请联系其先完成申请（申请顺序：省级→市级→区县）"
                )
            raise ReviewError("请选择上一级行业主管部门")
        if parent not in choices:
            raise ReviewError("所选上一级行业主管部门须已审核通过、位于上级行政区划且专业系列相同")
        return parent
    hr = hr_for_region(org.region_code)
    if hr is None or hr.id == org.id:
        raise ReviewError("所在地区没有已开通的人社部门，暂不能送审，请联系上级人社部门")
    return hr


# ---- registration -----------------------------------------------------------------------------


def register_org(applicant: User, data: dict) -> Membership:
    """单位用户注册: a draft organisation whose applicant becomes its (active) super admin; returns
    that membership."""
    if data["kind"] == OrgKind.HR:
        _check_hr_registration(data)
    taken = db.session.scalar(
        select(Organisation.id).where(Organisation.kind == data["kind"], Organisation.code == data["code"])
    )
    if taken is not None:
        raise WorkflowError("该单位代码已注册，请勿重复注册；如需找回账号请联系客服")
    org = Organisation(status=ApplicationStatus.DRAFT, active=True, **data)
    db.session.add(org)
    db.session.flush()
    hr = hr_for_region(org.region_code)
    org.hr_org_id = hr.id if hr else None
    membership = Membership(
        user_id=applicant.id, org_id=org.id, status=MembershipStatus.ACTIVE, is_super_admin=True
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def _check_hr_registration(data: dict) -> None:
    """Only where the province's rule lets subordinate HR departments register themselves (Henan); a
    province's own HR department is always set up by the 系统管理员."""
    if not rules_for(data["region_code"]).hr_self_registration:
        raise WorkflowError("本省的人社部门由系统管理员开通，不能自行注册，请联系系统管理员")
    level = db.session.scalar(select(Region.level).where(Region.code == data["region_code"]))
    if level == RegionLevel.PROVINCE or data["level"] != level:
        raise WorkflowError("自行注册的人社部门须为市级或县级，隶属关系须与所在地区的级别一致")


# ---- 角色申请 -----------------------------------------------------------------------------------


def application_endpoint(kind: str) -> str:
    """The 角色申请 screen of an organisation of this kind (an HR department has its own module)."""
    return "hr_application.application_view" if kind == OrgKind.HR else "org_application.application_view"


def application_editable(org: Organisation) -> bool:
    return org.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


def _check_industry(org: Organisation) -> None:
    if org.kind != OrgKind.INDUSTRY:
        return
    if org.series_id is None:
        raise ReviewError("请选择专业系列")
    region_level = db.session.scalar(select(Region.level).where(Region.code == org.region_code))
    if region_level != org.level:
        raise ReviewError("行业主管部门的隶属关系须与所在行政区划的级别一致")


def submit_application(org: Organisation, actor: Actor) -> Organisation:
    """送审 the organisation's 角色申请 to the organisation routing picks; returns the reviewer."""
    if not application_editable(org):
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(org.status)}”，不能送审")
    missing = [label for name, label in REQUIRED_FOR_SUBMIT.items() if not getattr(org, name)]
    if missing:
        raise ReviewError("请先填写并保存：" + "、".join(missing))
    _check_industry(org)
    has_attachment = db.session.scalar(
        select(
            exists().where(Attachment.owner_type == "organisation", Attachment.owner_id == org.id)
        )
    )
    if not has_attachment:
        raise ReviewError("请先上传本单位的统一社会信用代码证（组织机构代码证）等附件材料")
    reviewer = reviewer_for(org)
    hr = reviewer if reviewer.kind == OrgKind.HR else hr_for_region(org.region_code)
    org.hr_org_id = hr.id if hr else None
    submit(APPLICATION, org, reviewer_org_id=reviewer.id, actor=actor)
    return reviewer


APPLICATION = Flow("organisation", Organisation, step="单位信息审核")


# ---- 修改单位信息 / 更换上级部门 ------------------------------------------------------------------


def pending_items(org: Organisation) -> list[str]:
    """What of the organisation still waits for review; a change request needs this to be empty."""
    items = []
    if org.status == ApplicationStatus.PENDING:
        items.append("本单位的角色申请")
    if db.session.scalar(
        select(exists().where(OrgChange.org_id == org.id, OrgChange.status == ApplicationStatus.PENDING))
    ):
        items.append("本单位的信息修改申请")
    if db.session.scalar(
        select(exists().where(Person.unit_id == org.id, Person.binding_status == BindingStatus.PENDING))
    ):
        items.append("本单位待确认的专业技术人员")
    if db.session.scalar(
        select(
            exists().where(
                PersonChange.reviewer_org_id == org.id, PersonChange.status == ApplicationStatus.PENDING
            )
        )
    ):
        items.append("本单位待审核的人员信息修改")
    if db.session.scalar(
        select(exists().where(Transfer.to_unit_id == org.id, Transfer.status == TransferStatus.PENDING))
    ):
        items.append("待本单位确认调入的人员")
    return items


def superior_of(org: Organisation) -> Organisation | None:
    """The organisation whose review this one's changes need: its parent for a lower industry
    department, otherwise its HR organisation."""
    if org.kind == OrgKind.INDUSTRY and org.level != RegionLevel.PROVINCE:
        return org.parent
    return org.hr_org


def superior_choices(org: Organisation) -> list[Organisation]:
    """What 更换上级部门 may choose: parent industry departments, or HR organisations above the region."""
    if org.kind == OrgKind.INDUSTRY and org.level != RegionLevel.PROVINCE:
        return parent_industry_choices(org)
    chain = region_chain(org.region_code)
    return list(
        db.session.scalars(
            _approved(select(Organisation))
            .where(Organisation.kind == OrgKind.HR, Organisation.region_code.in_(chain), Organisation.id != org.id)
            .order_by(Organisation.region_code)
        )
    )


def request_change(
    org: Organisation, *, code_type: str, code: str, superior_id: int | None, reason: str, actor: Actor
) -> OrgChange:
    """修改单位信息 (code) and/or 更换上级部门: waits for the current superior's review."""
    if org.status != ApplicationStatus.APPROVED:
        raise WorkflowError("角色申请审核通过后才能申请修改单位信息")
    pending = pending_items(org)
    if pending:
        raise WorkflowError("以下事项尚待审核，暂不能修改单位信息：" + "、".join(pending))
    current_superior = superior_of(org)
    superior_id = superior_id or (current_superior.id if current_superior else None)
    if code_type == org.code_type and code == org.code and superior_id == (current_superior and current_superior.id):
        raise WorkflowError("单位代码和上级部门均未改变，无需送审")
    if superior_id not in {o.id for o in superior_choices(org)}:
        raise WorkflowError("所选上级部门不可选择")
    check_code_free(org, code)
    if current_superior is None:
        raise WorkflowError("本单位没有上级部门，不能申请修改")
    change = OrgChange(
        org_id=org.id,
        code_type=code_type,
        code=code,
        superior_id=superior_id,
        reason=reason or None,
        before={
            "code_type": org.code_type,
            "code": org.code,
            "superior_id": current_superior.id,
            "superior": current_superior.name,
        },
        status=ApplicationStatus.DRAFT,
        requested_by_id=actor.user_id,
    )
    db.session.add(change)
    db.session.flush()
    submit(ORG_CHANGE, change, reviewer_org_id=current_superior.id, actor=actor, note=reason)
    return change


def check_code_free(org: Organisation, code: str) -> None:
    clash = db.session.scalar(
        select(Organisation.id).where(
            Organisation.kind == org.kind, Organisation.code == code, Organisation.id != org.id
        )
    )
    if clash is not None:
        raise ReviewError("该单位代码已被其他单位使用")


def _apply_change(change: OrgChange, actor: Actor) -> None:
    org = change.org
    check_code_free(org, change.code)
    org.code_type, org.code = change.code_type, change.code
    if org.kind == OrgKind.INDUSTRY and org.level != RegionLevel.PROVINCE:
        org.parent_id = change.superior_id
    else:
        org.hr_org_id = change.superior_id
    org.reviewer_org_id = change.superior_id


ORG_CHANGE = Flow("org_change", OrgChange, step="机构信息修改审核", on_approve=_apply_change)
