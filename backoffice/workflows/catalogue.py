"""专业课目录指南发布 (004 §1.3.1): a province-level industry department lists the courses of its 专业系列
for a year, 保存 keeps them a draft, 确认 publishes them for every plan to choose from.

What these operations guarantee:

- Only a province-level industry department holding the module changes catalogues, and only its own;
  a catalogue is of the department's own 专业系列; one per department, series and year (also a unique
  constraint).
- A draft's courses can be added, changed and deleted. 确认 needs at least one course and is a
  conditional UPDATE (a second press is told it is already published). Published courses never change;
  new courses added to a published catalogue are published at once.
- 撤回 a published course only while no plan uses it: the check is inside the UPDATE, and a plan saving
  the course locks its row first, so a withdrawal and a plan racing on one course cannot both succeed.

Every change is audited; functions flush, never commit (the request commits once).
"""
from datetime import date

from sqlalchemy import exists, select, update

from .. import audit
from ..extensions import db
from ..labels import AuditAction, CatalogueStatus, RegionLevel
from ..models import Catalogue, Course, Organisation, Plan
from ..models.base import utcnow
from ..policy import Actor
from . import WorkflowError
from .teachers import FieldError

MODULE = "catalogue_publish"
#: field → (label, longest allowed text, required)
COURSE_LIMITS = {
    "name": ("专业课名称", 100, True),
    "content": ("学习内容", 1000, True),
    "note": ("备注", 500, False),
}
YEARS = (2000, 2100)


def _require(actor: Actor, catalogue: Catalogue | None = None) -> Organisation:
    if actor is None or actor.org_id is None or not actor.can_use(MODULE):
        raise WorkflowError("您没有发布专业课目录的权限")
    org = db.session.get(Organisation, actor.org_id)
    if org.level != RegionLevel.PROVINCE:
        raise WorkflowError("本功能只有省级行业主管部门才有")
    if org.series_id is None:
        raise WorkflowError("本单位未设置专业系列，不能发布专业课目录")
    if catalogue is not None and catalogue.org_id != actor.org_id:
        raise WorkflowError("该专业课目录不属于本单位")
    return org


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise FieldError("year", "请选择年度") from None
    if not YEARS[0] <= year <= YEARS[1]:
        raise FieldError("year", "年度须在2000至2100之间")
    return year


def save_catalogue(catalogue: Catalogue | None, actor: Actor, *, year, declared_on: date | None) -> Catalogue:
    """新申请 (catalogue None) / 保存 the 基本信息 of a draft catalogue; returns it."""
    org = _require(actor, catalogue)
    if catalogue is not None and catalogue.is_published:
        raise WorkflowError("已发布的专业课目录不能修改基本信息")
    year = _year(year)
    if declared_on is None:
        raise FieldError("declared_on", "请填写申报日期")
    taken = select(Catalogue.id).where(
        Catalogue.org_id == org.id, Catalogue.series_id == org.series_id, Catalogue.year == year
    )
    if catalogue is not None:
        taken = taken.where(Catalogue.id != catalogue.id)
    if db.session.scalar(taken) is not None:
        raise FieldError("year", f"本单位{year}年的专业课目录已存在，请在列表中修改")
    creating = catalogue is None
    if creating:
        catalogue = Catalogue(org_id=org.id, series_id=org.series_id, status=CatalogueStatus.DRAFT)
        db.session.add(catalogue)
    catalogue.year, catalogue.declared_on, catalogue.operator_id = year, declared_on, actor.user_id
    with audit.audit_as(AuditAction.CREATE if creating else AuditAction.UPDATE, f"专业课目录：{year}年"):
        db.session.flush()
    return catalogue


def _clean_course(data: dict) -> dict:
    values = {}
    for key, (label, limit, required) in COURSE_LIMITS.items():
        value = (data.get(key) or "").strip()
        if required and not value:
            raise FieldError(key, f"请填写{label}")
        if len(value) > limit:
            raise FieldError(key, f"{label}限{limit}字")
        values[key] = value or None
    return values


def save_course(catalogue: Catalogue, course: Course | None, actor: Actor, **data) -> Course:
    """专业添加 (course None) or 修改 a course of a draft; a course added to a published catalogue is
    published with it."""
    _require(actor, catalogue)
    if course is not None and (course.catalogue_id != catalogue.id):
        raise WorkflowError("该专业课不属于此目录")
    if course is not None and catalogue.is_published:
        raise WorkflowError("已发布的专业课不能修改，只能撤回")
    values = _clean_course(data)
    taken = select(Course.id).where(Course.catalogue_id == catalogue.id, Course.name == values["name"])
    if course is not None:
        taken = taken.where(Course.id != course.id)
    if db.session.scalar(taken) is not None:
        raise FieldError("name", "本目录已有同名专业课")
    creating = course is None
    if creating:
        course = Course(catalogue=catalogue, withdrawn=False)
        db.session.add(course)
    for key, value in values.items():
        setattr(course, key, value)
    with audit.audit_as(AuditAction.CREATE if creating else AuditAction.UPDATE, f"专业课：{values['name']}"):
        db.session.flush()
    return course


def delete_course(catalogue: Catalogue, course: Course, actor: Actor) -> None:
    _require(actor, catalogue)
    if course.catalogue_id != catalogue.id:
        raise WorkflowError("该专业课不属于此目录")
    if catalogue.is_published:
        raise WorkflowError("已发布的专业课不能删除，只能撤回")
    with audit.audit_as(AuditAction.DELETE, f"删除专业课：{course.name}"):
        # deleted by name: an orphan that delete-orphan removes at the flush escapes the audit hook
        db.session.delete(course)
        db.session.flush()


def publish(catalogue: Catalogue, actor: Actor) -> None:
    """确认: the catalogue and its courses become visible to every organisation, read-only."""
    _require(actor, catalogue)
    has_course = db.session.scalar(
        select(exists().where(Course.catalogue_id == catalogue.id, Course.withdrawn.is_(False)))
    )
    if not has_course:
        raise WorkflowError("请先新增专业课，再确认发布")
    changed = db.session.execute(
        update(Catalogue)
        .where(Catalogue.id == catalogue.id, Catalogue.status == CatalogueStatus.DRAFT)
        .values(status=CatalogueStatus.PUBLISHED, published_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        raise WorkflowError("该专业课目录已发布")
    audit.record(
        AuditAction.PUBLISH, obj=catalogue, summary=f"发布：{catalogue}",
        before={"status": CatalogueStatus.DRAFT}, after={"status": CatalogueStatus.PUBLISHED},
    )


def withdraw_course(catalogue: Catalogue, course: Course, actor: Actor) -> None:
    """撤回 a published course no plan uses; it is no longer offered to new plans."""
    _require(actor, catalogue)
    if course.catalogue_id != catalogue.id:
        raise WorkflowError("该专业课不属于此目录")
    if not catalogue.is_published:
        raise WorkflowError("草稿中的专业课可直接删除，无需撤回")
    used = exists().where(Plan.course_id == Course.id)
    changed = db.session.execute(
        update(Course)
        .where(Course.id == course.id, Course.withdrawn.is_(False), ~used)
        .values(withdrawn=True, withdrawn_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(course)
        if course.withdrawn:
            raise WorkflowError("该专业课已撤回")
        raise WorkflowError("已有专业课计划使用该专业课，不能撤回")
    audit.record(
        AuditAction.WITHDRAW, obj=course, summary=f"撤回专业课：{course.name}",
        before={"withdrawn": False}, after={"withdrawn": True},
    )
