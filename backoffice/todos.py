"""工作台 待办: what waits for the acting identity, each kind declared once.

A `Queue` is rows of one table waiting for the actor: the permission module whose screen handles them,
the model, the condition on top of the actor's scope (`policy.visible`) and the column saying since
when a row waits. The 工作台 asks `todos(actor)` and gets, for every queue whose module the actor holds,
the count and the oldest waiting time from ONE query (COUNT + MIN, served by the queue's index). The
row link opens that module's screen, whose list opens on the same rows (review lists default to
待审核; tests/test_todos.py holds the two equal).

A `Notice` is the actor's own next step rather than a queue: fill in the 角色申请, choose a 工作单位,
answer a binding request. Later issues add their queues (plans, records, annual reports, enrolments)
and notices here, next to these; names come from `label()`, the one place a province's rules may
rename a to-do.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, literal, select

from . import provinces, shortfall
from .extensions import db
from .labels import (
    ActorKind, ApplicationStatus, BindingStatus, EnrolmentStatus, MembershipStatus, OrgKind, TransferStatus,
)
from .models import (
    AnnualReport,
    Enrolment,
    Membership,
    OrgChange,
    Organisation,
    Person,
    PersonChange,
    Plan,
    Qualification,
    Record,
    TrainingClass,
    Transfer,
)
from .models.base import utcnow
from .policy import Actor, visible
from .workflows.orgs import application_endpoint
from .provinces import Rules

# ---- queues --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    code: str
    module: str  # the actor must hold it; its screen is where the rows are handled
    model: type
    waiting: Callable[[Actor], ColumnElement[bool]]  # on top of policy.visible(model, actor)
    since: str | None  # the column telling since when a row waits (None: nothing "waits", e.g. 学时预警)
    kinds: tuple[str, ...] = ()  # only these actor kinds count it (empty: whoever holds the module)


#: code → what waits, as the clerk reads it (one place: a province's rules may rename)
LABELS = {
    "unit_applications": "法人单位角色申请待审核",
    "institution_applications": "施教机构角色申请待审核",
    "industry_applications": "行业主管部门角色申请待审核",
    "hr_applications": "下级人社部门注册待审核",
    "sub_industry_applications": "下级行业主管部门角色申请待审核",
    "org_changes": "机构信息修改待审核",
    "people_to_confirm": "专业技术人员待确认",
    "records_to_recognise": "继续教育记录待认定",
    "person_changes": "人员信息修改待审核",
    "transfers_in": "人员调入待确认",
    "qualifications": "施教机构专业培训资格待审核",
    "plans": "专业课计划待审核",
    "enrol_applications": "培训班报名待确认",
    "annual_reports": "继续教育基地年度报告待审核",
    "hours_short": "本年度学时未达标人员",
}


def label(code: str) -> str:
    return LABELS.get(code, code)


def _routed_to_me(model):
    """A review row waiting at the actor's organisation (the review engine's routing)."""
    return lambda actor: and_(model.status == ApplicationStatus.PENDING, model.reviewer_org_id == actor.org_id)


def _application_of(kind: str):
    routed = _routed_to_me(Organisation)
    return lambda actor: and_(routed(actor), Organisation.kind == kind)


QUEUES: list[Queue] = [
    Queue("unit_applications", "review_units", Organisation, _application_of(OrgKind.UNIT), "submitted_at"),
    Queue("institution_applications", "review_institutions", Organisation,
          _application_of(OrgKind.INSTITUTION), "submitted_at"),
    Queue("industry_applications", "review_industries", Organisation,
          _application_of(OrgKind.INDUSTRY), "submitted_at"),
    Queue("hr_applications", "review_hr", Organisation, _application_of(OrgKind.HR), "submitted_at"),
    Queue("sub_industry_applications", "review_sub_industries", Organisation,
          _application_of(OrgKind.INDUSTRY), "submitted_at"),
    Queue("org_changes", "review_org_changes", OrgChange, _routed_to_me(OrgChange), "submitted_at"),
    Queue("people_to_confirm", "person_confirm", Person,
          lambda actor: Person.binding_status == BindingStatus.PENDING, "updated_at"),
    Queue("person_changes", "person_changes", PersonChange, _routed_to_me(PersonChange), "submitted_at"),
    Queue("transfers_in", "transfer_in", Transfer,
          lambda actor: and_(Transfer.status == TransferStatus.PENDING, Transfer.to_unit_id == actor.org_id),
          "created_at"),
    Queue("qualifications", "qualification_review", Qualification, _routed_to_me(Qualification), "submitted_at"),
    Queue("plans", "plan_review", Plan, _routed_to_me(Plan), "submitted_at"),
    # applications to the acting organisation's own classes (ix_enrolment_class_status)
    Queue("enrol_applications", "enrol_confirm", Enrolment,
          lambda actor: and_(Enrolment.status == EnrolmentStatus.APPLIED, Enrolment.class_id.in_(
              select(TrainingClass.id).where(TrainingClass.plan_id.in_(
                  select(Plan.id).where(Plan.owner_org_id == actor.org_id)))
          )),
          "applied_at"),
    Queue("records_to_recognise", "record_review", Record, _routed_to_me(Record), "submitted_at"),
    Queue("annual_reports", "annual_report_review", AnnualReport, _routed_to_me(AnnualReport), "submitted_at"),
    # 学时预警: the unit's confirmed people short of this year's requirement (docs/statistics.md 学时预警)
    # (HR holds the screen too, but counts per unit on 单位学时达标情况, not on every visit of its home)
    Queue("hours_short", "hours_shortfall", Person, lambda actor: shortfall.short_of_this_year(actor), None,
          kinds=(ActorKind.UNIT,)),
]


@dataclass(frozen=True)
class Todo:
    queue: Queue
    count: int
    oldest: datetime | None
    rules: Rules | None = None  # the actor's province's: its words name the to-do

    @property
    def label(self) -> str:
        text = label(self.queue.code)
        return self.rules.speak(text, self.queue.code) if self.rules else text

    @property
    def waiting_days(self) -> int | None:
        """Whole days the oldest row has waited (0 = since today)."""
        return None if self.oldest is None else max((utcnow() - self.oldest).days, 0)


def count(queue: Queue, actor: Actor) -> tuple[int, datetime | None]:
    """How many rows wait in this queue for the actor, and since when the oldest: one query."""
    model = queue.model
    since = func.min(getattr(model, queue.since)) if queue.since else literal(None)
    number, oldest = db.session.execute(
        select(func.count(), since)
        .select_from(model)
        .where(visible(model, actor), queue.waiting(actor))
    ).one()
    return number, oldest


def todos(actor: Actor) -> list[Todo]:
    """The queues of every module the actor holds, counted."""
    rules = provinces.for_actor(actor)
    return [Todo(q, *count(q, actor), rules) for q in QUEUES
            if actor.can_use(q.module) and (not q.kinds or actor.kind in q.kinds)]


# ---- notices: the actor's own next step -----------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    text: str
    tone: str = "info"  # warning: something to do; info: waiting for someone else; success: done
    endpoint: str | None = None  # where to do it
    link_text: str = ""


Advisor = Callable[[Actor, int], list[Notice]]
ADVISORS: list[Advisor] = []


def advisor(fn: Advisor) -> Advisor:
    ADVISORS.append(fn)
    return fn


def notices(actor: Actor, user_id: int) -> list[Notice]:
    return [notice for fn in ADVISORS for notice in fn(actor, user_id)]


@advisor
def _binding_requests(actor: Actor, user_id: int) -> list[Notice]:
    waiting = db.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.user_id == user_id, Membership.status == MembershipStatus.PENDING)
    )
    if not waiting:
        return []
    return [Notice(f"有{waiting}个单位申请绑定您的账号为经办人员，请通过或拒绝", "warning",
                   "me.bindings", "我经办的单位账号")]


@advisor
def _role_application(actor: Actor, user_id: int) -> list[Notice]:
    """An organisation whose 角色申请 is not approved yet: where it stands and what to do next."""
    if actor.org_id is None or actor.org_approved:
        return []
    org = db.session.get(Organisation, actor.org_id)
    link = (application_endpoint(org.kind), "角色申请")
    if org.status == ApplicationStatus.PENDING:
        reviewer = org.reviewer_org.name if org.reviewer_org else "审核部门"
        return [Notice(f"本单位的角色申请已送审，等待{reviewer}审核；审核通过后即可使用其他功能", "info", *link)]
    if org.status == ApplicationStatus.RETURNED:
        return [Notice("本单位的角色申请已被退回，请按审核意见修改后重新送审", "warning", *link)]
    if org.status == ApplicationStatus.CLOSED:
        return [Notice("本单位的角色申请未通过审核（已结案）", "warning", *link)]
    return [Notice("请填写本单位的角色申请，上传附件后送审；审核通过后即可使用其他功能", "warning", *link)]


# The person's profile fields a unit needs before it can confirm them (the form's required ones).
PROFILE_REQUIRED = (
    "ethnicity_code", "native_place", "education_code", "major", "school", "graduated_on",
    "work_started_on", "phone", "title", "title_level", "series_id", "specialty",
)


@advisor
def _person(actor: Actor, user_id: int) -> list[Notice]:
    if actor.person_id is None:
        return []
    person = db.session.get(Person, actor.person_id)
    profile = ("my_profile.index_view", "人员基本信息维护")
    found = []
    incomplete = any(getattr(person, name) in (None, "") for name in PROFILE_REQUIRED)
    no_unit = person.unit_id is None or person.binding_status in (BindingStatus.RELEASED, BindingStatus.REFUSED)
    if no_unit:
        why = "单位未确认您的信息，" if person.binding_status == BindingStatus.REFUSED else ""
        found.append(Notice(f"{why}请完善人员基本信息并选择工作单位，提交单位确认", "warning", *profile))
    elif incomplete:
        found.append(Notice("请完善人员基本信息", "warning", *profile))
    if person.binding_status == BindingStatus.PENDING:
        found.append(Notice(f"已提交{person.unit.name}确认，等待单位确认", "info", *profile))
    elif person.binding_status == BindingStatus.CONFIRMED:
        found.append(Notice(f"{person.unit.name}已确认您的信息", "success"))
    latest = db.session.scalars(
        select(PersonChange).where(PersonChange.person_id == person.id)
        .order_by(PersonChange.submitted_at.desc(), PersonChange.id.desc()).limit(1)
    ).first()
    if latest is not None and latest.status == ApplicationStatus.PENDING:
        found.append(Notice("您的信息修改申请等待单位审核", "info", *profile))
    elif latest is not None and latest.status in (ApplicationStatus.CLOSED, ApplicationStatus.RETURNED):
        found.append(Notice("您最近一次信息修改申请未通过，审核意见见人员基本信息维护", "warning", *profile))
    moving = db.session.scalars(
        select(Transfer).where(Transfer.person_id == person.id, Transfer.status == TransferStatus.PENDING)
    ).first()
    if moving is not None:
        found.append(Notice(f"调往{moving.to_unit.name}的调转等待对方单位确认", "info"))
    return found


@advisor
def _hours_this_year(actor: Actor, user_id: int) -> list[Notice]:
    """学时预警: this year's approved hours against the requirement and the days left to its entry deadline."""
    if actor.person_id is None:
        return []
    text, tone = shortfall.person_notice(actor.person_id)
    if tone == "warning":
        return [Notice(text, tone, "record_declare.index_view", "继续教育记录申报")]
    return [Notice(text, tone)]
