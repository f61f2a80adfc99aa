"""专业课计划申报 / 备案 (000 §1.3.1, 004 §1.4.2): a plan made from a published course, its 培训班, 送审.

What these operations guarantee:

- Units and institutions (专业课计划申报) and industry departments (专业课计划备案) change only their own
  plans, and only while 草稿 or 已退回; from 送审 on the plan and its classes are read-only.
- A plan is made from a published, not withdrawn course the owner may choose: any course for a unit;
  for an institution only courses of a 专业系列 it is qualified for (the refusal says so); for an
  industry department only courses of its own series. The course row is locked while the plan is
  saved, so a withdrawal cannot slip in between.
- Limits of 000 §1.3.1, checked here and again by CHECK constraints: 培训计划名称 ≤100; 培训天数 > 0 and
  ≤ 365; 继续教育学时 defaults to 培训天数 × 6 (一天6学时) and may be lower but never higher; 拟办期数
  1–99; 计划完成时间 not before 计划开始时间; 培训内容 / 培训对象 / 备注 ≤500.
- A class lies inside its plan's dates; a plan has at most 拟办期数 classes; 班主任 and 授课教师 are
  enabled teachers of the plan's owner (`selectable_teachers`), whatever id a form posts.
- 送审 needs at least one class; routing is `training_routing.plan_reviewer`.

Functions flush, never commit.
"""
import re
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from .. import attachments, audit
from ..extensions import db
from ..labels import ApplicationStatus, AuditAction, CatalogueStatus, ClassStatus, CourseType, DictionaryCategory, OrgKind
from ..models import Catalogue, ClassSubject, Course, Organisation, Plan, Teacher, TrainingClass
from ..models.reference import dictionary_choices
from ..models.training import HOURS_PER_DAY
from ..policy import Actor
from . import BatchOutcome, WorkflowError, each_row
from .qualifications import qualified_series_ids
from .review import SUBMITTABLE, Flow, ReviewError, submit
from .teachers import FieldError, selectable_teachers
from .training_routing import plan_reviewer

MODULES = {OrgKind.UNIT: "plan_apply", OrgKind.INSTITUTION: "plan_apply", OrgKind.INDUSTRY: "plan_filing"}
PLAN = Flow("plan", Plan, step="专业课计划审核")
TEXTS = {"content": ("培训内容", 500, True), "audience": ("培训对象", 500, True), "note": ("备注", 500, False)}
CLASS_TEXTS = {"location": ("学习地点", 500), "schedule": ("课程具体时间安排", 500)}
SUBJECTS_MAX = 30
NOT_QUALIFIED = "本机构尚未取得该专业系列的专业培训资格，请先在“施教机构专业培训资格申请”中申请并通过审核"
READ_ONLY = "专业课计划已送审，不能再修改"


def editable(plan: Plan) -> bool:
    return plan.status in SUBMITTABLE


def _require(actor: Actor, plan: Plan | None = None) -> None:
    module = MODULES.get(actor.kind) if actor is not None else None
    if module is None or actor.org_id is None or not actor.can_use(module):
        raise WorkflowError("您没有申报专业课计划的权限")
    if plan is not None and plan.owner_org_id != actor.org_id:
        raise WorkflowError("该专业课计划不属于本单位")


def _require_editable(actor: Actor, plan: Plan) -> None:
    _require(actor, plan)
    if not editable(plan):
        raise WorkflowError(READ_ONLY)


# ---- which courses a plan may be made from ----------------------------------------------------


def choosable_courses(actor: Actor):
    """选择专业课程: published, not withdrawn courses this organisation may file a plan for."""
    query = (
        select(Course)
        .join(Course.catalogue)
        .where(Catalogue.status == CatalogueStatus.PUBLISHED, Course.withdrawn.is_(False))
    )
    if actor.kind == OrgKind.INSTITUTION:
        query = query.where(Catalogue.series_id.in_(qualified_series_ids(actor.org_id) or {-1}))
    elif actor.kind == OrgKind.INDUSTRY:
        query = query.where(Catalogue.series_id == actor.series_id)
    return query.order_by(Catalogue.year.desc(), Catalogue.series_id, Course.name)


def _chosen_course(actor: Actor, course_id) -> Course:
    try:
        course_id = int(course_id)
    except (TypeError, ValueError):
        raise FieldError("course_id", "请选择专业课程") from None
    if not 0 < course_id < 2**31:
        raise FieldError("course_id", "请选择专业课程")
    course = db.session.scalar(
        choosable_courses(actor).where(Course.id == course_id).with_for_update(of=Course)
    )
    if course is None:
        known = db.session.get(Course, course_id)
        # published and not withdrawn, yet not choosable: of a series the institution is not qualified for
        if (
            known is not None and actor.kind == OrgKind.INSTITUTION and not known.withdrawn
            and known.catalogue.status == CatalogueStatus.PUBLISHED
        ):
            raise FieldError("course_id", NOT_QUALIFIED)
        raise FieldError("course_id", "所选专业课程不存在、已撤回或不可选择，请重新选择")
    return course


# ---- the plan ---------------------------------------------------------------------------------


NUMBER = re.compile(r"[0-9]{1,4}(\.[0-9])?")  # 培训天数 ≤ 365, 学时 ≤ 2190: four digits, one decimal


def _decimal(key: str, label: str, value, *, required: bool) -> Decimal | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise FieldError(key, f"请填写{label}")
        return None
    if NUMBER.fullmatch(text) is None:
        raise FieldError(key, f"{label}须为数字，最多一位小数")
    return Decimal(text)


def _clean_plan(data: dict) -> dict:
    values: dict = {}
    name = (data.get("name") or "").strip()
    if not name:
        raise FieldError("name", "请填写培训计划名称")
    if len(name) > 100:
        raise FieldError("name", "培训计划名称限100字")
    values["name"] = name
    try:
        values["year"] = int(data.get("year"))
    except (TypeError, ValueError):
        raise FieldError("year", "请选择年度") from None
    if not 2000 <= values["year"] <= 2100:
        raise FieldError("year", "年度须在2000至2100之间")
    days = _decimal("days", "培训天数", data.get("days"), required=True)
    if not 0 < days <= 365:
        raise FieldError("days", "培训天数须大于0且不超过365天")
    hours = _decimal("hours", "继续教育学时", data.get("hours"), required=False)
    if hours is None:
        hours = days * HOURS_PER_DAY
    if not 0 < hours <= days * HOURS_PER_DAY:
        raise FieldError("hours", f"继续教育学时须大于0且不超过培训天数×{HOURS_PER_DAY}（{days * HOURS_PER_DAY}学时）")
    values["days"], values["hours"] = days, hours
    try:
        values["sessions"] = int(data.get("sessions"))
    except (TypeError, ValueError):
        raise FieldError("sessions", "请填写拟办期数") from None
    if not 1 <= values["sessions"] <= 99:
        raise FieldError("sessions", "拟办期数须在1至99之间")
    for key, label in (("start_on", "计划开始时间"), ("end_on", "计划完成时间")):
        if not isinstance(data.get(key), date):
            raise FieldError(key, f"请填写{label}")
        values[key] = data[key]
    if values["end_on"] < values["start_on"]:
        raise FieldError("end_on", "计划完成时间不能早于计划开始时间")
    for key, (label, limit, required) in TEXTS.items():
        text = (data.get(key) or "").strip()
        if required and not text:
            raise FieldError(key, f"请填写{label}")
        if len(text) > limit:
            raise FieldError(key, f"{label}限{limit}字")
        values[key] = text or None
    return values


def save_plan(plan: Plan | None, actor: Actor, **data) -> Plan:
    """新申请 (plan None) / 保存 the 基本信息 of a draft or returned plan; returns it."""
    if plan is None:
        _require(actor)
    else:
        _require_editable(actor, plan)
    course = _chosen_course(actor, data.get("course_id"))
    values = _clean_plan(data)
    if plan is not None:
        classes = list(plan.classes)
        if len(classes) > values["sessions"]:
            raise FieldError("sessions", f"已有{len(classes)}个培训班，拟办期数不能少于{len(classes)}")
        outside = [c.name for c in classes if not _inside(c, values["start_on"], values["end_on"])]
        if outside:
            raise FieldError("end_on", f"培训班“{outside[0]}”的学习时间不在计划时间内，请先修改培训班")
    creating = plan is None
    if creating:
        plan = Plan(
            owner_org_id=actor.org_id, status=ApplicationStatus.DRAFT, created_by_id=actor.user_id,
            course_type=CourseType.PROFESSIONAL,
        )
    plan.course_id, plan.series_id = course.id, course.catalogue.series_id
    for key, value in values.items():
        setattr(plan, key, value)
    db.session.add(plan)
    with audit.audit_as(AuditAction.CREATE if creating else AuditAction.UPDATE, f"专业课计划：{values['name']}"):
        db.session.flush()
    return plan


def delete_plan(plan: Plan, actor: Actor) -> None:
    """删除 a plan that was never approved or closed (草稿 / 已退回), with its classes and attachments."""
    _require_editable(actor, plan)
    for attachment in attachments.for_owner("plan", plan.id):
        attachments.delete(attachment, actor)
    with audit.audit_as(AuditAction.DELETE, f"删除专业课计划：{plan.name}"):
        db.session.delete(plan)
        db.session.flush()


def submit_plan(plan: Plan, actor: Actor) -> Organisation:
    """送审 to the organisation routing picks; returns it."""
    _require(actor, plan)
    if not editable(plan):
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(plan.status)}”，不能送审")
    if not plan.classes:
        raise ReviewError("请先新增至少一个培训班，再送审")
    if actor.kind == OrgKind.INSTITUTION and plan.series_id not in qualified_series_ids(actor.org_id):
        raise ReviewError(NOT_QUALIFIED)
    reviewer = plan_reviewer(plan.series_id, db.session.get(Organisation, plan.owner_org_id))
    submit(PLAN, plan, reviewer_org_id=reviewer.id, actor=actor)
    return reviewer


def submit_many(rows, actor: Actor) -> BatchOutcome:
    return each_row(rows, lambda row: submit_plan(row, actor))


# ---- its classes ------------------------------------------------------------------------------


def _inside(training_class: TrainingClass, start: date, end: date) -> bool:
    return all(
        start <= day <= end
        for day in (training_class.planned_open_on, training_class.study_start_on, training_class.study_end_on)
    )


def _clean_class(plan: Plan, data: dict) -> dict:
    values: dict = {}
    name = (data.get("name") or "").strip()
    if not name:
        raise FieldError("name", "请填写培训班名称")
    if len(name) > 100:
        raise FieldError("name", "培训班名称限100字")
    values["name"] = name
    for key, label in (
        ("planned_open_on", "计划开班时间"), ("study_start_on", "学习开始时间"), ("study_end_on", "学习结束时间"),
    ):
        if not isinstance(data.get(key), date):
            raise FieldError(key, f"请填写{label}")
        if not plan.start_on <= data[key] <= plan.end_on:
            raise FieldError(key, f"{label}须在计划开始时间与计划完成时间之间（{plan.start_on}至{plan.end_on}）")
        values[key] = data[key]
    if values["study_end_on"] < values["study_start_on"]:
        raise FieldError("study_end_on", "学习结束时间不能早于学习开始时间")
    for key, category, label in (
        ("study_form_code", DictionaryCategory.STUDY_FORM, "学习形式"),
        ("exam_type_code", DictionaryCategory.EXAM_TYPE, "考试类型"),
    ):
        if data.get(key) not in {code for code, _ in dictionary_choices(category)}:
            raise FieldError(key, f"请选择{label}")
        values[key] = data[key]
    try:
        values["capacity"] = int(data.get("capacity"))
    except (TypeError, ValueError):
        raise FieldError("capacity", "请填写计划招生人数") from None
    if not 1 <= values["capacity"] <= 10000:
        raise FieldError("capacity", "计划招生人数须在1至10000之间")
    for key, (label, limit) in CLASS_TEXTS.items():
        text = (data.get(key) or "").strip()
        if not text:
            raise FieldError(key, f"请填写{label}")
        if len(text) > limit:
            raise FieldError(key, f"{label}限{limit}字")
        values[key] = text
    return values


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _teachers(plan: Plan, head_teacher_id, teacher_ids) -> tuple[Teacher, list[Teacher]]:
    """班主任 and 授课教师, each an enabled teacher of the plan's owner, or a refusal."""
    allowed = {t.id: t for t in db.session.scalars(selectable_teachers(plan.owner_org_id))}
    head = allowed.get(_int_or_none(head_teacher_id))
    if head is None:
        raise FieldError("head_teacher_id", "请选择班主任（须为本单位启用的教师）")
    chosen = []
    for raw in teacher_ids or []:
        teacher = allowed.get(_int_or_none(raw))
        if teacher is None:
            raise FieldError("teacher_ids", "所选授课教师不是本单位启用的教师，请重新选择")
        if teacher not in chosen:
            chosen.append(teacher)
    if not chosen:
        raise FieldError("teacher_ids", "请选入至少一名授课教师")
    return head, chosen


def _subjects(lines) -> list[str]:
    names: list[str] = []
    for line in lines or []:
        name = (line or "").strip()
        if not name or name in names:
            continue
        if len(name) > 100:
            raise FieldError("subjects", "每个科目名称限100字")
        names.append(name)
    if len(names) > SUBJECTS_MAX:
        raise FieldError("subjects", f"培训科目最多{SUBJECTS_MAX}个")
    return names


def save_class(plan: Plan, training_class: TrainingClass | None, actor: Actor, **data) -> TrainingClass:
    """培训班新增 (training_class None) / 修改 a class of a draft or returned plan; returns it."""
    _require_editable(actor, plan)
    if training_class is not None and training_class.plan_id != plan.id:
        raise WorkflowError("该培训班不属于此计划")
    values = _clean_class(plan, data)
    head, teachers = _teachers(plan, data.get("head_teacher_id"), data.get("teacher_ids"))
    subjects = _subjects(data.get("subjects"))
    creating = training_class is None
    if creating:
        count = db.session.scalar(select(func.count()).where(TrainingClass.plan_id == plan.id))
        if count >= plan.sessions:
            raise WorkflowError(f"培训班数量已达拟办期数（{plan.sessions}期），如需增加请先修改拟办期数")
    with db.session.no_autoflush:  # the new row is complete only once every value is set
        if creating:
            training_class = TrainingClass(plan_id=plan.id, enrolled_count=0, status=ClassStatus.NOT_STARTED)
        for key, value in values.items():
            setattr(training_class, key, value)
        training_class.head_teacher_id = head.id
        training_class.teachers = teachers
        kept = {} if creating else {s.name: s for s in training_class.subjects}
        for name, dropped in kept.items():
            if name not in subjects:  # deleted by name: delete-orphan's deletions escape the audit hook
                db.session.delete(dropped)
        training_class.subjects = [kept.get(name) or ClassSubject(name=name) for name in subjects]
        for sort, subject in enumerate(training_class.subjects, start=1):
            subject.sort = sort
        db.session.add(training_class)
    with audit.audit_as(AuditAction.CREATE if creating else AuditAction.UPDATE, f"培训班：{values['name']}"):
        db.session.flush()
    return training_class


def delete_class(plan: Plan, training_class: TrainingClass, actor: Actor) -> None:
    _require_editable(actor, plan)
    if training_class.plan_id != plan.id:
        raise WorkflowError("该培训班不属于此计划")
    with audit.audit_as(AuditAction.DELETE, f"删除培训班：{training_class.name}"):
        # Deleted by name, not removed from `plan.classes` for delete-orphan to take: an orphan the flush
        # deletes is in no `session.deleted`, so the audit hook never saw the class or its subjects go.
        db.session.delete(training_class)
        db.session.flush()
