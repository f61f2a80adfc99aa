"""专业技术人员: the profile a person keeps, the unit's confirmation, its own 新增/修改/解除绑定, and
key-field changes (审核人员信息修改) the unit approves.

What these guarantee:

- 姓名 and 公民身份号码 never change once a unit has confirmed the person (`confirmed_at`); the ID
  number of a self-registered person is their account's and never changes at all.
- A confirmed person's key fields (KEY_FIELDS: title, level, series…) change only through a
  PersonChange their unit approves; everything else they save at once. One request waits at a time.
- A person belongs to at most one unit; moving between units is a transfer (workflows.transfers).
- Confirmation and release are conditional UPDATEs on the binding state, so two operators clicking
  at once cannot both win, and a person who moved meanwhile is not touched.
"""
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..labels import ApplicationStatus, AuditAction, BindingStatus, ReviewResult, TransferStatus
from ..models import Organisation, Person, PersonChange, ReviewLog, Transfer
from ..models.base import utcnow
from ..policy import Actor
from . import WorkflowError
from .review import Flow, ReviewError

#: the profile fields a person edits (and a unit fills in for them), in the manual's order
PROFILE_FIELDS = (
    "name", "sex", "id_number", "birth_date", "ethnicity_code", "native_place", "education_code",
    "degree_code", "major", "school", "graduated_on", "work_started_on", "phone", "email", "title",
    "title_level", "title_obtained_on", "series_id", "specialty", "postcode", "address",
)
#: what a confirmed person may change only with their unit's approval (manual 002: 专业技术职务…)
KEY_FIELDS = ("title", "title_level", "title_obtained_on", "series_id", "specialty")
DATE_FIELDS = ("title_obtained_on",)
IDENTITY_FIELDS = ("name", "id_number")
ONE_AT_A_TIME = "您已有一条待单位审核的信息修改申请，请等审核后再修改专业技术职务等信息"


# ---- the person's own profile -----------------------------------------------------------------


def save_own_profile(person: Person, data: dict, unit: Organisation | None, actor: Actor) -> PersonChange | None:
    """人员基本信息维护 → 保存. Returns the PersonChange when key fields went to the unit for review.

    `unit` is the chosen 工作单位; it counts only while the person is not confirmed by one, and
    choosing it asks that unit to confirm (待单位确认).
    """
    if data.get("id_number", person.id_number) != person.id_number:
        raise WorkflowError("公民身份号码注册后不能修改")
    if person.confirmed_at is not None and data.get("name", person.name) != person.name:
        raise WorkflowError("单位确认后姓名不能修改，如有错误请联系单位")
    fields = {k: v for k, v in data.items() if k in PROFILE_FIELDS and k != "id_number"}
    change = None
    with audit.audit_as(AuditAction.UPDATE, f"人员基本信息维护：{person.name}"):
        if person.is_confirmed:
            keyed = {k: v for k, v in fields.items() if k in KEY_FIELDS}
            fields = {k: v for k, v in fields.items() if k not in KEY_FIELDS}
            change = _request_change(person, keyed, actor)
        _assign(person, fields)
        if not person.is_confirmed and unit is not None:
            _ask_unit(person, unit)
        db.session.flush()
    return change


def _assign(person: Person, fields: dict) -> None:
    for key, value in fields.items():
        if getattr(person, key) != value:
            setattr(person, key, value)


def _ask_unit(person: Person, unit: Organisation) -> None:
    if person.unit_id == unit.id and person.binding_status == BindingStatus.PENDING:
        return
    person.unit_id = unit.id
    person.unit = unit
    person.binding_status = BindingStatus.PENDING
    person.department_id = None


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _request_change(person: Person, keyed: dict, actor: Actor) -> PersonChange | None:
    before = {k: _plain(getattr(person, k)) for k in keyed}
    after = {k: _plain(v) for k, v in keyed.items()}
    changed = [k for k in keyed if before[k] != after[k]]
    if not changed:
        return None
    if pending_change(person) is not None:
        raise WorkflowError(ONE_AT_A_TIME)
    change = PersonChange(
        person_id=person.id,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
        status=ApplicationStatus.PENDING,
        reviewer_org_id=person.unit_id,
        submitted_at=utcnow(),
        requested_by_id=actor.user_id,
    )
    try:
        with db.session.begin_nested():  # a second request saved a moment ago meets the unique index
            db.session.add(change)
    except IntegrityError as error:
        raise WorkflowError(ONE_AT_A_TIME) from error
    db.session.add(
        ReviewLog(
            object_type=PERSON_CHANGE.object_type,
            object_id=change.id,
            step="送审",
            reviewer_user_id=actor.user_id,
            result=ReviewResult.SUBMIT,
        )
    )
    return change


def pending_change(person: Person) -> PersonChange | None:
    return db.session.scalar(
        select(PersonChange).where(
            PersonChange.person_id == person.id, PersonChange.status == ApplicationStatus.PENDING
        )
    )


def _apply_change(change: PersonChange, actor: Actor) -> None:
    person = change.person
    if person.unit_id != actor.org_id or not person.is_confirmed:
        raise ReviewError(f"{person.name}已不是本单位人员，不能通过其信息修改")
    for key, value in change.after.items():
        if key in DATE_FIELDS and value:  # stored in JSON as ISO text
            value = date.fromisoformat(value)
        setattr(person, key, value)


#: 审核人员信息修改: the unit decides; 同意 applies the new values
PERSON_CHANGE = Flow("person_change", PersonChange, "人员信息修改审核", on_approve=_apply_change)


def close_pending_changes(person: Person, actor: Actor, *, step: str, why: str) -> int:
    """Close what the person still waits for when they leave the unit (解除绑定, 调转): the old unit
    can no longer decide it. Each row moves only if still pending, so a decision a moment earlier wins."""
    pending = db.session.scalars(
        select(PersonChange.id).where(
            PersonChange.person_id == person.id, PersonChange.status == ApplicationStatus.PENDING
        )
    ).all()
    closed = 0
    for change_id in pending:
        moved = db.session.execute(
            update(PersonChange)
            .where(PersonChange.id == change_id, PersonChange.status == ApplicationStatus.PENDING)
            .values(status=ApplicationStatus.CLOSED)
            .execution_options(synchronize_session="fetch")
        ).rowcount
        if moved != 1:
            continue
        closed += 1
        db.session.add(
            ReviewLog(
                object_type=PERSON_CHANGE.object_type,
                object_id=change_id,
                step=step,
                reviewer_org_id=actor.org_id,
                reviewer_user_id=actor.user_id,
                result=ReviewResult.CLOSE,
                opinion=why,
            )
        )
        audit.record(
            AuditAction.REVIEW,
            obj=db.session.get(PersonChange, change_id),
            summary=f"{why}：{person.name}",
            before={"status": ApplicationStatus.PENDING},
            after={"status": ApplicationStatus.CLOSED},
        )
    return closed


# ---- the unit: 专业技术人员信息确认 -------------------------------------------------------------


def confirm(person: Person, accept: bool, actor: Actor) -> None:
    """是 / 否 for a person waiting for the acting unit. 否 unbinds them (单位未确认)."""
    values = (
        {"binding_status": BindingStatus.CONFIRMED, "confirmed_at": func.coalesce(Person.confirmed_at, utcnow())}
        if accept
        else {"binding_status": BindingStatus.REFUSED, "unit_id": None, "department_id": None}
    )
    changed = db.session.execute(
        update(Person)
        .where(
            Person.id == person.id,
            Person.unit_id == actor.org_id,
            Person.binding_status == BindingStatus.PENDING,
        )
        .values(**values)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        raise WorkflowError("该人员已确认或已不在本单位的待确认名单中")
    audit.record(
        AuditAction.CONFIRM,
        obj=person,
        summary=f"{'确认' if accept else '不予确认'}本单位人员：{person.name}",
        before={"binding_status": BindingStatus.PENDING, "unit_id": actor.org_id},
        after={"binding_status": values["binding_status"]},
    )
    db.session.refresh(person)



# ---- the unit: 专业技术人员信息维护 -------------------------------------------------------------


def add_member(unit_id: int, data: dict, department_id: int | None, actor: Actor) -> Person:
    """新增: the unit records a person, who becomes its confirmed member at once.

    A person already in the system whom nobody holds (no account; never bound, released, refused) is
    taken over with the unit's data; one who owns an account, or belongs to or waits for a unit, is
    refused with the way to go and nothing changes (`takeover_refusal`).
    """
    existing = db.session.scalar(select(Person).where(Person.id_number == data["id_number"]))
    if existing is not None:
        _check_takeover(existing, data, unit_id)
        person = existing
    else:
        person = Person(id_number=data["id_number"])
        db.session.add(person)
    with audit.audit_as(AuditAction.CREATE, f"新增本单位人员：{data['name']}"):
        _assign(person, {k: v for k, v in data.items() if k in PROFILE_FIELDS})
        person.unit_id = unit_id
        person.department_id = department_id
        person.binding_status = BindingStatus.CONFIRMED
        person.confirmed_at = person.confirmed_at or utcnow()
        db.session.flush()
    return person


OTHER_UNIT = "该人员属于其他单位或正等待其他单位确认，请通过人员调转办理"
WAITING_HERE = "该人员已申请加入本单位，请在“专业技术人员信息确认”中确认"
SELF_REGISTERED = "该人员已注册个人账号，须由本人在“人员基本信息维护”中选择工作单位，不能由单位新增或导入"


def takeover_refusal(person: Person, unit_id: int) -> str | None:
    """Why the unit may not make this existing person its confirmed member (新增, 批量导入), or None.

    The one takeover rule (DESIGN §4): a person joins a unit by their own choice — the unit then
    confirms them on 信息确认 — or by a transfer. A unit takes over only a record nobody holds: no
    personal account, no unit it belongs to or waits for. A person already confirmed at this unit is
    not a takeover but the unit's own member (None; 新增 and the import each say what that means).
    """
    if person.unit_id == unit_id and person.is_confirmed:
        return None
    if person.unit_id is not None and person.binding_status in (BindingStatus.PENDING, BindingStatus.CONFIRMED):
        return WAITING_HERE if person.unit_id == unit_id else OTHER_UNIT
    if person.user_id is not None:
        return SELF_REGISTERED
    return None


def _check_takeover(person: Person, data: dict, unit_id: int) -> None:
    if person.unit_id == unit_id and person.is_confirmed:
        raise WorkflowError("该人员已是本单位人员，请在列表中修改")
    refusal = takeover_refusal(person, unit_id)
    if refusal:
        raise WorkflowError(refusal)
    if person.confirmed_at is not None and person.name != data["name"]:
        raise WorkflowError("姓名与系统中已确认的信息不一致")


def update_member(person: Person, data: dict, department_id: int | None, actor: Actor) -> None:
    """修改 by the unit: it is the authority for its people, so key fields change at once too."""
    if person.confirmed_at is not None and any(
        k in data and data[k] != getattr(person, k) for k in IDENTITY_FIELDS
    ):
        raise WorkflowError("单位确认后姓名和公民身份号码不能修改")
    with audit.audit_as(AuditAction.UPDATE, f"修改本单位人员信息：{person.name}"):
        _assign(person, {k: v for k, v in data.items() if k in PROFILE_FIELDS})
        person.department_id = department_id
        db.session.flush()


def release(person: Person, actor: Actor) -> None:
    """解除绑定: the person no longer belongs to the unit; their history stays theirs."""
    busy = db.session.scalar(
        select(Transfer.id).where(Transfer.person_id == person.id, Transfer.status == TransferStatus.PENDING)
    )
    if busy is not None:
        raise WorkflowError("该人员有待处理的调转申请，请先撤销调转")
    changed = db.session.execute(
        update(Person)
        .where(
            Person.id == person.id,
            Person.unit_id == actor.org_id,
            Person.binding_status == BindingStatus.CONFIRMED,
        )
        .values(binding_status=BindingStatus.RELEASED, unit_id=None, department_id=None)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        raise WorkflowError("该人员已不是本单位人员")
    close_pending_changes(person, actor, step="解除绑定", why="人员已解除与单位的绑定，申请自动结案")
    audit.record(
        AuditAction.RELEASE,
        obj=person,
        summary=f"解除绑定：{person.name}",
        before={"binding_status": BindingStatus.CONFIRMED, "unit_id": actor.org_id},
        after={"binding_status": BindingStatus.RELEASED, "unit_id": None},
    )
    db.session.flush()
    db.session.refresh(person)

