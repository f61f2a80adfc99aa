"""师资信息维护: what an organisation does with its own teachers.

What these operations guarantee:

- Only an organisation holding the 师资信息维护 module changes teachers, and only its own (checked here
  again, whatever the screen filtered). A new teacher belongs to the acting organisation, never to an
  organisation named by the form.
- Every field is required and validated again here (a crafted POST meets the same rules as the form);
  性别 must agree with the 公民身份号码; one organisation has at most one teacher per 公民身份号码 (also
  a database unique constraint: two saves at once get the same message, not a 500).
- 禁用 takes a teacher off the class forms (`selectable_teachers`); 启用 puts them back.
- 删除 only a teacher no class refers to: the delete runs in a savepoint and a foreign-key refusal
  becomes a message, so the rule holds for every table that will ever reference a teacher.

Every change is audited by the flush hook; functions flush, never commit (the request commits once).
"""
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..labels import AuditAction, Sex
from ..models import Teacher
from ..policy import Actor
from ..validators import check_citizen_id, check_email, check_id_consistency, check_phone, normalize_citizen_id
from . import WorkflowError

MODULE = "teachers"
#: field → (label, longest allowed text)
LIMITS = {
    "name": ("姓名", 50),
    "title": ("专业技术资格", 50),
    "phone": ("联系电话", 20),
    "email": ("邮箱", 100),
    "courses": ("可以教授课程", 500),
    "intro": ("教师简介", 1000),
}
DUPLICATE = "本单位已有该公民身份号码的教师"
IN_USE = "该教师已被培训班使用，不能删除"
FOREIGN = "该教师不属于本单位"


class FieldError(WorkflowError):
    """A refusal that belongs next to one form field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# ---- guards ------------------------------------------------------------------------------------


def _require(actor: Actor, teacher: Teacher | None = None) -> None:
    if actor is None or actor.org_id is None or not actor.can_use(MODULE):
        raise WorkflowError("您没有维护师资信息的权限")
    if teacher is not None and teacher.org_id != actor.org_id:
        raise WorkflowError(FOREIGN)


def _clean(data: dict) -> dict:
    """The submitted values stripped and checked; the first problem is raised next to its field."""
    values = {key: (data.get(key) or "").strip() for key in (*LIMITS, "sex", "id_number")}
    values["id_number"] = normalize_citizen_id(values["id_number"])
    for key, (label, limit) in LIMITS.items():
        if not values[key]:
            raise FieldError(key, f"请填写{label}")
        if len(values[key]) > limit:
            raise FieldError(key, f"{label}限{limit}字")
    if values["sex"] not in Sex.values():
        raise FieldError("sex", "请选择性别")
    if not values["id_number"]:
        raise FieldError("id_number", "请填写公民身份号码")
    error = check_citizen_id(values["id_number"])
    if error:
        raise FieldError("id_number", error)
    error = check_id_consistency(values["id_number"], None, values["sex"])
    if error:
        raise FieldError("sex", "性别与公民身份号码不一致，请核对")
    for key, check in (("phone", check_phone), ("email", check_email)):
        error = check(values[key])
        if error:
            raise FieldError(key, error)
    return values


# ---- operations --------------------------------------------------------------------------------


def save_teacher(teacher: Teacher | None, actor: Actor, **data) -> Teacher:
    """新增 (teacher None) / 修改 a teacher of the acting organisation; returns it."""
    _require(actor, teacher)
    values = _clean(data)
    taken = select(Teacher.id).where(Teacher.org_id == actor.org_id, Teacher.id_number == values["id_number"])
    if teacher is not None:
        taken = taken.where(Teacher.id != teacher.id)
    if db.session.scalar(taken) is not None:
        raise FieldError("id_number", DUPLICATE)
    creating = teacher is None
    try:
        with db.session.begin_nested():
            if creating:
                teacher = Teacher(org_id=actor.org_id, active=True)
                db.session.add(teacher)
            for key, value in values.items():
                setattr(teacher, key, value)
            with audit.audit_as(
                AuditAction.CREATE if creating else AuditAction.UPDATE,
                f"{'新增' if creating else '修改'}教师：{values['name']}",
            ):
                db.session.flush()
    except IntegrityError:  # the same ID number saved by someone else a moment ago
        raise FieldError("id_number", DUPLICATE) from None
    return teacher


def set_teacher_active(teacher: Teacher, active: bool, actor: Actor) -> None:
    """启用 / 禁用: only enabled teachers can be chosen as 授课教师 or 班主任."""
    _require(actor, teacher)
    verb = "启用" if active else "禁用"
    if teacher.active == active:
        raise WorkflowError(f"已是{verb}状态")
    teacher.active = active
    with audit.audit_as(AuditAction.UPDATE, f"{verb}教师：{teacher.name}"):
        db.session.flush()


def delete_teacher(teacher: Teacher, actor: Actor) -> None:
    """删除: refused (and nothing changed) when any row still refers to the teacher."""
    _require(actor, teacher)
    name = teacher.name
    try:
        with db.session.begin_nested():
            db.session.delete(teacher)
            with audit.audit_as(AuditAction.DELETE, f"删除教师：{name}"):
                db.session.flush()
    except IntegrityError:
        raise WorkflowError(IN_USE) from None


def selectable_teachers(org_id: int) -> Select:
    """The teachers a class form of this organisation may offer: its enabled ones, by name."""
    return (
        select(Teacher)
        .where(Teacher.org_id == org_id, Teacher.active.is_(True))
        .order_by(Teacher.name, Teacher.id)
    )
