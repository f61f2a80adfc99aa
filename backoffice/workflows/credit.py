"""失信信息录入: who may record a dishonesty entry about whom.

What these operations guarantee:

- A unit records entries of type 个人 about its own confirmed people (Person.unit_id is the unit and
  the binding is 已确认); an HR department records entries of type 单位 about the units and
  institutions of its region. Nobody else records anything. The type follows from who records.
- The subject is checked here against the same conditions the picker uses (`subject_condition`, on
  top of the scope rule), so a forged id is refused with a message and nothing is saved.
- Only the recording organisation changes or deletes an entry; 操作人 and 操作单位 are set here from
  the signed-in actor, never from the form.

Every change is audited by the flush hook; functions flush, never commit (the request commits once).
"""
from sqlalchemy import ColumnElement, and_, false, select

from .. import audit
from ..extensions import db
from ..labels import ActorKind, AuditAction, BindingStatus, OrgKind, SubjectType
from ..models import Dishonesty, Organisation, Person
from ..policy import Actor, visible
from . import WorkflowError

MODULE = "dishonesty_entry"
CONTENT_MAX = 500
NOT_ALLOWED = "您没有录入失信信息的权限"
FOREIGN = "该失信信息不是本单位录入的"
#: the acting kind → the subject type it records
SUBJECT_TYPE_OF = {ActorKind.UNIT: SubjectType.PERSON, ActorKind.HR: SubjectType.ORG}
BAD_SUBJECT = {
    SubjectType.PERSON: "只能录入本单位已确认的专业技术人员的失信信息，所选人员不符合",
    SubjectType.ORG: "只能录入本地区法人单位或施教机构的失信信息，所选单位不符合",
}
SUBJECT_MODEL = {SubjectType.PERSON: Person, SubjectType.ORG: Organisation}


def subject_type_for(actor: Actor | None) -> str | None:
    """个人 for a unit, 单位 for HR, None for anyone else."""
    return SUBJECT_TYPE_OF.get(actor.kind) if actor is not None else None


def subject_condition(model: type, actor: Actor | None) -> ColumnElement[bool]:
    """Besides the scope rule: which rows of `model` this actor may record an entry about."""
    subject_type = subject_type_for(actor)
    if subject_type is None or SUBJECT_MODEL[subject_type] is not model:
        return false()
    if model is Person:
        return and_(Person.unit_id == actor.org_id, Person.binding_status == BindingStatus.CONFIRMED)
    return Organisation.kind.in_((OrgKind.UNIT, OrgKind.INSTITUTION))


def _require(actor: Actor, entry: Dishonesty | None = None) -> str:
    subject_type = subject_type_for(actor)
    if subject_type is None or actor.org_id is None or not actor.can_use(MODULE):
        raise WorkflowError(NOT_ALLOWED)
    if entry is not None and entry.recorded_by_org_id != actor.org_id:
        raise WorkflowError(FOREIGN)
    return subject_type


def _check_subject(subject_type: str, subject, actor: Actor) -> None:
    model = SUBJECT_MODEL[subject_type]
    subject_id = getattr(subject, "id", None)
    if not isinstance(subject, model) or subject_id is None:
        raise WorkflowError(BAD_SUBJECT[subject_type])
    allowed = db.session.scalar(
        select(model.id).where(model.id == subject_id, visible(model, actor), subject_condition(model, actor))
    )
    if allowed is None:
        raise WorkflowError(BAD_SUBJECT[subject_type])


def _clean_content(content: str | None) -> str:
    content = (content or "").strip()
    if not content:
        raise WorkflowError("请填写失信内容")
    if len(content) > CONTENT_MAX:
        raise WorkflowError(f"失信内容限{CONTENT_MAX}字")
    return content


def _same_subject(entry: Dishonesty, subject) -> bool:
    current = entry.person if entry.subject_type == SubjectType.PERSON else entry.subject_org
    return current is not None and current is subject


def save_dishonesty(entry: Dishonesty | None, actor: Actor, *, subject, content: str) -> Dishonesty:
    """新增 (entry None) / 修改 an entry of the acting organisation.

    The subject is checked when it is chosen: editing the content of an entry about someone who has
    since left the unit stays possible, moving an entry to a subject outside the rules does not."""
    subject_type = _require(actor, entry)
    content = _clean_content(content)
    if entry is None or not _same_subject(entry, subject):
        _check_subject(subject_type, subject, actor)
    creating = entry is None
    if creating:
        entry = Dishonesty(subject_type=subject_type, recorded_by_org_id=actor.org_id)
        db.session.add(entry)
    entry.subject_type = subject_type
    if subject_type == SubjectType.PERSON:
        entry.person, entry.subject_org = subject, None
    else:
        entry.person, entry.subject_org = None, subject
    entry.content = content
    entry.recorded_by_user_id = actor.user_id
    with audit.audit_as(
        AuditAction.CREATE if creating else AuditAction.UPDATE,
        f"{'录入' if creating else '修改'}失信信息：{subject}",
    ):
        db.session.flush()
    return entry


def delete_dishonesty(entry: Dishonesty, actor: Actor) -> None:
    """删除 an entry the acting organisation recorded."""
    _require(actor, entry)
    name = entry.subject_name
    db.session.delete(entry)
    with audit.audit_as(AuditAction.DELETE, f"删除失信信息：{name}"):
        db.session.flush()
