"""继续教育记录申报 and 认定 (000 §1.6.1, §1.6.3; 003 §3.3.1; 002 学时学分申报 / 学员成绩申报 / 学时学分审批).

What these operations guarantee:

- Who declares: a person for themselves (source 个人); a unit for its confirmed people (单位); an
  institution for the people enrolled (报名成功) in its classes (施教机构, 学员成绩申报). Each changes only
  what it declared, and only while 草稿 or 已退回; 删除 only while 草稿 (never submitted, or taken back).
- The form follows the 学习形式: `hidden_fields` says which optional fields a form leaves out (网络培训 has
  no 学习地点…); the screen's script and `save_record` apply the same table, a hidden field is stored empty.
- Limits (000 §1.6.1): 课程名称, 施教机构名称, 学习地点, 学习内容, 备注 ≤ 100; 参训天数 0.5–365 and 拟申报学时
  0.5–999.9, one decimal; 学习结束时间 ≥ 学习开始时间 and not in the future; 拟申报学时 ≤ 6 × 参训天数;
  申报年度 between the years of the study period. The same person + 课程名称 + 学习开始时间 is declared
  once: checked here over every record (with a message), and held by the partial unique index
  `ux_record_declared_once` over all but 结业's records (two saves at once: one wins).
- 学时录入截止日期: a year is declared only until the entry deadline of the 学时要求 that applies to the
  person-year (`hours.entry_deadline`, e.g. 31 January of the next year, Beijing's day): a new or edited
  declaration of a closed year, and 送审 of a draft of one, are refused naming the deadline. A record
  returned to its declarer (退案, 审验不通过) was entered in time: it is corrected and resubmitted for
  the same year; review of what was submitted goes on.
- 送审 routes along `record_routing.chain`; steps the declarer itself holds (a unit's own people) are its
  确认 at once. No step left: 已通过 at once with 认定学时 = 拟申报学时.
- A 结业 record returned (学时审验不通过) goes back to the organisation that ran the class: it is listed
  on that organisation's declaration screen while 已退回, corrected and 送审 again there (never 撤销ed).
  An imported record (批量申报) is the importing unit's own declaration and goes back to it likewise.
- 撤销 (`withdraw_record`) takes back a record still 待审核, by its declarer: 草稿 again, logged.
- 认定 (`decide`, `decide_many`) goes through the review engine; 同意 sets 认定学时 (default: the figure
  of the step before, else 拟申报学时), never more than 拟申报学时.

Functions flush, never commit.
"""
import re
from datetime import date
from decimal import Decimal
from sqlalchemy import select

from .. import attachments, audit
from ..extensions import db
from ..hours import entry_deadline
from ..labels import (
    ActorKind,
    ApplicationStatus,
    AuditAction,
    BindingStatus,
    CourseType,
    DictionaryCategory,
    EnrolmentStatus,
    ExamResult,
    OrgKind,
    RecordSource,
    ReviewResult,
)
from ..models import Enrolment, Organisation, Person, Plan, Record, TrainingClass
from ..models.base import sql_constant
from ..models.reference import dictionary_choices
from ..models.training import HOURS_PER_DAY
from ..policy import Actor
from ..policy.scope import built_once
from ..clock import beijing_today
from ..text import has_control
from . import BatchOutcome, WorkflowError, each_row
from . import record_routing as routing
from .review import SUBMITTABLE, Flow, ReviewError, approve_at_submit, log_step, review, review_many, submit, withdraw
from .teachers import FieldError

RECORD = Flow(
    Record.__tablename__, Record, step=routing.STEP_NAMES[routing.UNIT],
    route_on=routing.next_step, step_of=routing.step_name,
)
#: acting kind → (module, source of what it declares)
DECLARERS = {
    ActorKind.PERSON: ("record_declare", RecordSource.PERSON),
    ActorKind.UNIT: ("record_declare", RecordSource.UNIT),
    # HR and industry departments declare for their own staff where the province's rule has them employ
    # (the module is granted by it: policy/modules.py `staff`); what they declare is an employer's
    ActorKind.HR: ("record_declare", RecordSource.UNIT),
    ActorKind.INDUSTRY: ("record_declare", RecordSource.UNIT),
    ActorKind.INSTITUTION: ("record_score_declare", RecordSource.INSTITUTION),
}
REVIEW_MODULE = "record_review"
TEXT_MAX = 100
OPTIONAL_FIELDS = ("days", "exam_result", "institution_name", "location")
#: 学习形式 (by its dictionary name, the words a province's administrator sees and keeps) → the optional
#: fields it leaves out. Any other form shows them all.
HIDDEN_BY_FORM: dict[str, frozenset[str]] = {
    "网络培训": frozenset({"location"}),
    "学术论文": frozenset({"location", "days", "exam_result"}),
    "学历教育": frozenset({"days"}),
}
TEXTS = {
    "course_name": ("课程名称", True),
    "institution_name": ("施教机构名称", False),
    "location": ("学习地点", False),
    "content": ("学习内容", False),
    "note": ("备注", False),
}
NUMBER = re.compile(r"[0-9]{1,3}(\.[0-9])?")
READ_ONLY = "继续教育记录已送审，不能再修改"
CONFIRM_OPINION = "单位确认"
DUPLICATE = "该人员已申报过同一课程（课程名称和学习开始时间相同），不能重复申报"


def editable(record: Record) -> bool:
    return record.status in SUBMITTABLE


def hidden_fields(study_form_code: str | None) -> frozenset[str]:
    names = dict(dictionary_choices(DictionaryCategory.STUDY_FORM))
    return HIDDEN_BY_FORM.get(names.get(study_form_code or "", ""), frozenset())


def hidden_by_code() -> dict[str, list[str]]:
    """What the form's script needs: 学习形式 code → the fields it hides."""
    return {
        code: sorted(HIDDEN_BY_FORM[name]) for code, name in dictionary_choices(DictionaryCategory.STUDY_FORM)
        if name in HIDDEN_BY_FORM
    }


# ---- who may do what ---------------------------------------------------------------------------


def _declarer(actor: Actor | None) -> str:
    """The source of what this actor declares, or a refusal."""
    entry = DECLARERS.get(actor.kind) if actor is not None else None
    if entry is None or not actor.can_use(entry[0]):
        raise WorkflowError("您没有申报继续教育记录的权限")
    if actor.kind == ActorKind.PERSON and actor.person_id is None:
        raise WorkflowError("请先完善个人基本信息，再申报继续教育记录")
    if actor.kind != ActorKind.PERSON and actor.org_id is None:
        raise WorkflowError("您没有申报继续教育记录的权限")
    return entry[1]


declarer = _declarer  # public: who may declare (the record import asks before validating its rows)


def declared_by(actor: Actor):
    """The condition 'declared by this actor' (the declaration screens list exactly these)."""
    source = _declarer(actor)
    if source == RecordSource.PERSON:
        return (Record.source == source) & (Record.person_id == actor.person_id)
    return _declared_by_org(source, actor.org_id)


@built_once
def _declared_by_org(source: str, org_id: int):
    """declared_by for an organisation, per source and organisation."""
    return ((Record.source == sql_constant(source)) | _returned_from_class()) & (Record.declared_by_org_id == org_id)


def _returned_from_class():
    """A 结业 record sent back (学时审验不通过, 退案) has no one who declared it by hand: it goes back to the
    organisation that ran the class (`declared_by_org_id`, the plan's owner — the institution, or the unit
    of an internal class), which corrects it and 送审s it again on its declaration screen."""
    return (Record.source == sql_constant(RecordSource.CLASS)) & (Record.status == sql_constant(ApplicationStatus.RETURNED))


def _require_own(actor: Actor, record: Record) -> None:
    source = _declarer(actor)
    from_class = record.source == RecordSource.CLASS and source != RecordSource.PERSON
    mine = (record.source == source or from_class) and (
        record.person_id == actor.person_id if source == RecordSource.PERSON
        else record.declared_by_org_id == actor.org_id
    )
    if not mine:
        raise WorkflowError("该继续教育记录不是本人（本单位）申报的")


def _require_editable(actor: Actor, record: Record) -> None:
    _require_own(actor, record)
    if not editable(record):
        raise WorkflowError(READ_ONLY)


def declarable_people(actor: Actor):
    """SELECT of the people this organisation may declare for: an employer (a unit; HR or an industry
    department with staff of its own) its confirmed people; an institution the people enrolled (报名成功)
    in classes of its plans, and its own confirmed staff where it employs."""
    staff = select(Person.id).where(Person.unit_id == actor.org_id, Person.binding_status == BindingStatus.CONFIRMED)
    if actor.kind != ActorKind.INSTITUTION:
        return staff
    students = (
        select(Enrolment.person_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(Plan, Plan.id == TrainingClass.plan_id)
        .where(Plan.owner_org_id == actor.org_id, Enrolment.status == EnrolmentStatus.ENROLLED)
    )
    return students.union(staff) if actor.can_use("person_maintain") else students


def _person(actor: Actor, source: str, id_number, name) -> Person:
    if source == RecordSource.PERSON:
        return db.session.get(Person, actor.person_id)
    id_number = (id_number or "").strip().upper()
    name = (name or "").strip()
    if not id_number:
        raise FieldError("id_number", "请填写公民身份号码")
    if not name:
        raise FieldError("name", "请填写姓名")
    person = db.session.scalar(
        select(Person).where(Person.id_number == id_number, Person.id.in_(declarable_people(actor)))
    )
    if person is None:
        who = "本单位已确认的专业技术人员" if source == RecordSource.UNIT else "本机构培训班的学员（报名成功）"
        raise FieldError("id_number", f"该公民身份号码不是{who}")
    if person.name != name:
        raise FieldError("name", "姓名与公民身份号码不符")
    return person


# ---- the form's values -------------------------------------------------------------------------


def _decimal(key: str, label: str, value, low: Decimal, high: Decimal) -> Decimal:
    text = "" if value is None else str(value).strip()
    if not text:
        raise FieldError(key, f"请填写{label}")
    if NUMBER.fullmatch(text) is None:
        raise FieldError(key, f"{label}须为数字，最多一位小数")
    number = Decimal(text)
    if not low <= number <= high:
        raise FieldError(key, f"{label}须在{low}至{high}之间")
    return number


def _choice(key: str, label: str, value, allowed) -> str:
    if value not in allowed:
        raise FieldError(key, f"请选择{label}")
    return value


def clean(data: dict) -> dict:
    """The values of a declaration, or FieldError naming the first field that is wrong."""
    values: dict = {}
    values["study_form_code"] = _choice(
        "study_form_code", "学习形式", data.get("study_form_code"),
        {code for code, _ in dictionary_choices(DictionaryCategory.STUDY_FORM)},
    )
    hidden = hidden_fields(values["study_form_code"])
    values["course_type"] = _choice("course_type", "科目类型", data.get("course_type"), set(CourseType.values()))
    for key, (label, required) in TEXTS.items():
        text = "" if key in hidden else (data.get(key) or "").strip()
        if required and not text:
            raise FieldError(key, f"请填写{label}")
        if len(text) > TEXT_MAX:
            raise FieldError(key, f"{label}限{TEXT_MAX}字")
        values[key] = text or None
    for key, label in (("start_on", "学习开始时间"), ("end_on", "学习结束时间")):
        if not isinstance(data.get(key), date):
            raise FieldError(key, f"请填写{label}")
        values[key] = data[key]
    if values["end_on"] < values["start_on"]:
        raise FieldError("end_on", "学习结束时间不能早于学习开始时间")
    if values["end_on"] > beijing_today():  # today in China, as the entry deadline: not the server's date
        raise FieldError("end_on", "学习结束时间不能晚于今天：只能申报已完成的学习")
    if "exam_result" in hidden:
        values["exam_result"] = None
    else:
        values["exam_result"] = _choice("exam_result", "考核结果", data.get("exam_result"), set(ExamResult.values()))
    hours = _decimal("declared_hours", "拟申报学时", data.get("declared_hours"), Decimal("0.5"), Decimal("999.9"))
    if "days" in hidden:
        values["days"] = None
    else:
        days = _decimal("days", "参训天数", data.get("days"), Decimal("0.5"), Decimal("365"))
        if hours > days * HOURS_PER_DAY:
            raise FieldError(
                "declared_hours", f"拟申报学时不能超过参训天数×{HOURS_PER_DAY}（{days * HOURS_PER_DAY}学时）"
            )
        values["days"] = days
    values["declared_hours"] = hours
    try:
        year = int(data.get("year"))
    except (TypeError, ValueError):
        raise FieldError("year", "请选择申报年度") from None
    if not values["start_on"].year <= year <= values["end_on"].year:
        raise FieldError("year", "申报年度须在学习开始时间与学习结束时间的年份之间")
    values["year"] = year
    return values


def _refuse_duplicate(person_id: int, values: dict, record: Record | None) -> None:
    query = select(Record.id).where(
        Record.person_id == person_id, Record.course_name == values["course_name"],
        Record.start_on == values["start_on"],
    )
    if record is not None and record.id is not None:
        query = query.where(Record.id != record.id)
    if db.session.scalar(query.limit(1)) is not None:
        raise FieldError("course_name", DUPLICATE)


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def closed_year_refusal(year: int, region_code: str | None, series_id: int | None) -> str | None:
    """Why a record of `year` can no longer be declared for a person of this region and 专业系列 (the entry
    deadline of the applicable 学时要求 has passed), or None."""
    deadline = entry_deadline(year, region_code, series_id)
    if deadline is None or beijing_today() <= deadline:  # a day in China, whatever the server's zone
        return None
    return f"{year}年度继续教育记录的录入已于{_day(deadline)}截止，不能再申报该年度的记录"


def _refuse_closed_year(person: Person, year: int, record: Record | None) -> None:
    if record is not None and record.status == ApplicationStatus.RETURNED and record.year == year:
        return  # returned for correction: entered in time
    unit = db.session.get(Organisation, person.unit_id) if person.unit_id else None
    refusal = closed_year_refusal(year, unit.region_code if unit else None, person.series_id)
    if refusal:
        raise FieldError("year", refusal)


# ---- 施教机构: a registered institution or a name outside the system ----------------------------------

INSTITUTION_CHOICES_MAX = 10


def _registered_institution():
    """Institutions registered in the system: approved and active (their names are public)."""
    return (
        (Organisation.kind == OrgKind.INSTITUTION) & (Organisation.status == ApplicationStatus.APPROVED)
        & Organisation.active.is_(True)
    )


def institution_names(text: str | None) -> list[str]:
    """The 施教机构名称 the form offers while one is typed: names (nothing else) of at most ten registered
    institutions containing the text. A text too long or with control characters offers nothing."""
    text = (text or "").strip()
    if not text or len(text) > TEXT_MAX or has_control(text):
        return []
    return list(db.session.scalars(
        select(Organisation.name).where(_registered_institution(), Organisation.name.contains(text, autoescape=True))
        .order_by(Organisation.name).limit(INSTITUTION_CHOICES_MAX)
    ))


def registered_institution(name: str | None) -> int | None:
    """The registered institution of exactly this 施教机构名称, so the record names the organisation too;
    None for an institution outside the system (the manual's field is free text) or a name two share."""
    if not name:
        return None
    found = db.session.scalars(
        select(Organisation.id).where(_registered_institution(), Organisation.name == name).limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


# ---- 保存 / 删除 / 送审 / 撤销 ----------------------------------------------------------------------


def save_record(record: Record | None, actor: Actor, **data) -> Record:
    """添加 (record None) or 保存 a draft or returned declaration (保存暂不提交); returns it."""
    source = _declarer(actor)
    if record is not None:
        _require_editable(actor, record)
    person = _person(actor, source, data.get("id_number"), data.get("name"))
    values = clean(data)
    _refuse_closed_year(person, values["year"], record)
    _refuse_duplicate(person.id, values, record)
    if record is None or record.source != RecordSource.CLASS:  # 结业's names the class's organisation
        values["institution_org_id"] = registered_institution(values["institution_name"])
    creating = record is None
    with db.session.no_autoflush:
        if creating:
            record = Record(
                source=source, status=ApplicationStatus.DRAFT,
                declared_by_org_id=None if source == RecordSource.PERSON else actor.org_id,
            )
        record.person_id = person.id
        for key, value in values.items():
            setattr(record, key, value)
        db.session.add(record)
    with audit.audit_as(AuditAction.CREATE if creating else AuditAction.UPDATE, f"继续教育记录：{values['course_name']}"):
        db.session.flush()
    return record


BATCH_MAX = 200


def people_lines(text: str | None) -> list[tuple[str, str]]:
    """学员 of a batch declaration, one a line: 公民身份号码 and 姓名, separated by a space, a comma or a tab."""
    rows: list[tuple[str, str]] = []
    for line in (text or "").splitlines():
        parts = [p for p in re.split(r"[\s,，、]+", line.strip()) if p]
        if not parts:
            continue
        if len(parts) != 2:
            raise FieldError("people", f"第{len(rows) + 1}位学员应为“公民身份号码 姓名”：{line.strip()[:40]}")
        rows.append((parts[0], parts[1]))
    if not rows:
        raise FieldError("people", "请填写至少一位学员")
    if len(rows) > BATCH_MAX:
        raise FieldError("people", f"一次最多申报{BATCH_MAX}位学员")
    return rows


def declare_many(actor: Actor, people: str | None, **data) -> BatchOutcome:
    """批量申报 (学员成绩申报, 002): one course for many people, a draft each; a person refused (not a
    student, name not matching, already declared) is skipped with the reason, the others are saved.
    A wrong course field refuses the whole batch before anything is saved."""
    source = _declarer(actor)
    if source == RecordSource.PERSON:
        raise WorkflowError("个人不能批量申报")
    clean(data)
    rows = people_lines(people)
    return each_row(
        rows, lambda row: save_record(None, actor, id_number=row[0], name=row[1], **data),
        label=lambda row: f"{row[1]}（{row[0]}）",
    )


def delete_record(record: Record, actor: Actor) -> None:
    """删除: only a draft (never submitted, or taken back by 撤销), with its attachments."""
    _require_own(actor, record)
    if record.status != ApplicationStatus.DRAFT:
        raise WorkflowError(f"当前状态为“{ApplicationStatus.label(record.status)}”，只有草稿可以删除")
    for attachment in attachments.for_owner(RECORD.object_type, record.id):
        attachments.delete(attachment, actor)
    with audit.audit_as(AuditAction.DELETE, f"删除继续教育记录：{record.course_name}"):
        db.session.delete(record)
        db.session.flush()


def submit_record(record: Record, actor: Actor) -> str:
    """送审 (a unit's own people: 确认); returns what happened, for the message."""
    _require_own(actor, record)
    if not editable(record):
        raise ReviewError(f"当前状态为“{ApplicationStatus.label(record.status)}”，不能送审")
    try:
        _refuse_closed_year(record.person, record.year, record)
    except FieldError as closed:
        raise ReviewError(str(closed)) from None
    steps = routing.chain(record)
    own = 0
    while own < len(steps) and actor.org_id is not None and steps[own].org.id == actor.org_id:
        own += 1
    if own == len(steps):
        approve_at_submit(
            RECORD, record, actor=actor, opinion=CONFIRM_OPINION, by_actor=True, step=steps[-1].name,
            values={"approved_hours": record.declared_hours, "review_step": None},
        )
        return "已确认，学时已认定"
    following = steps[own]
    submit(
        RECORD, record, reviewer_org_id=following.org.id, actor=actor,
        values={"review_step": following.key, "approved_hours": None},
    )
    for step in steps[:own]:
        log_step(RECORD, record, ReviewResult.APPROVE, CONFIRM_OPINION, actor, step.name)
    return f"已送审，审核单位：{following.org.name}"


def withdraw_record(record: Record, actor: Actor) -> None:
    """撤销: the declarer takes back a record still 待审核; it is a draft again."""
    _require_own(actor, record)
    if record.source == RecordSource.CLASS:  # a draft of 结业 would leave the class organisation's screen
        raise ReviewError("培训班结业生成的继续教育记录不能撤销")
    withdraw(RECORD, record, actor, values={"review_step": None, "approved_hours": None})


# ---- 认定 ---------------------------------------------------------------------------------------


def _require_reviewer(actor: Actor) -> None:
    if actor is None or actor.org_id is None or not actor.can_use(REVIEW_MODULE):
        raise ReviewError("您没有认定继续教育记录的权限")


def _granted(hours_text):
    """The 认定学时 a 同意 sets: what the reviewer typed, else the figure of the step before, else 拟申报学时."""

    def values(record: Record) -> dict:
        text = "" if hours_text is None else str(hours_text).strip()
        if text:
            if NUMBER.fullmatch(text) is None:
                raise ReviewError("认定学时须为数字，最多一位小数")
            hours = Decimal(text)
        else:
            hours = record.approved_hours if record.approved_hours is not None else record.declared_hours
        if hours < Decimal("0.5"):
            raise ReviewError("认定学时不能少于0.5学时；不予认定请选择不同意")
        if hours > record.declared_hours:
            raise ReviewError(f"认定学时不能超过拟申报学时（{record.declared_hours}学时）")
        return {"approved_hours": hours}

    return values


def decide(record: Record, result: str, opinion: str | None, hours, actor: Actor) -> None:
    """One record: 同意 (with its 认定学时) / 不同意并结案 / 不同意并退案."""
    _require_reviewer(actor)
    review(RECORD, record, result, opinion, actor, values=_granted(hours) if result == ReviewResult.APPROVE else None)


def decide_many(rows, result: str, opinion: str | None, actor: Actor) -> BatchOutcome:
    """批量审核: one outcome for every row, each re-checked; 同意 grants each its default 认定学时."""
    _require_reviewer(actor)
    return review_many(
        RECORD, rows, result, opinion, actor, values=_granted(None) if result == ReviewResult.APPROVE else None
    )
