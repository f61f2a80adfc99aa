"""工作台 待办: what waits for the acting identity, each kind declared once.

A `Queue` is rows of one table waiting for the actor: the permission module whose screen handles them,
the model, the condition on top of the actor's scope (`policy.visible`) and the column saying since
when a row waits. The 工作台 asks `todos(actor)` and gets, for every queue whose module the actor holds,
the count and the oldest waiting time from ONE query (COUNT + MIN, served by the queue's index). The
row link opens that module's screen, whose list opens on the same rows (review lists default to
待审核; tests/test_todos.py holds the two equal).

A review queue (`routed`) is rows waiting at a reviewer organisation (`reviewer_org_id`, the review
engine's routing). `backlog()` counts them per reviewer organisation — the 工作台 asks it for the
actor's own organisation, 查询统计 › 审核积压统计 (reports/backlog.py) for every reviewer in a
supervisor's region — so the two figures are one query shape and cannot disagree.

A `Notice` is the actor's own next step rather than a queue: fill in the 角色申请, choose a 工作单位,
answer a binding request. Later issues add their queues (plans, records, annual reports, enrolments)
and notices here, next to these; names come from `label()`, the one place a province's rules may
rename a to-do.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select, true
from sqlalchemy.orm import aliased

from . import provinces, shortfall
from .workflows import declarations
from .extensions import db
from .hours import _region_bounds as region_bounds
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
    Region,
    TrainingClass,
    Transfer,
)
from .models.base import utcnow
from .policy import MODULES, Actor, visible
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
    # a review queue: the model's pending rows routed (reviewer_org_id) to a reviewer organisation;
    # `waiting` then only narrows them (e.g. the kind of organisation applying) and is actor-free
    routed: bool = False
    # for a routed queue, the rows a reviewer may see beyond being routed to it (SQL on REVIEWER); None:
    # routing alone makes a row visible to its reviewer (policy.scope says so for these models)
    reach: Callable[[], ColumnElement[bool]] | None = None


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


#: The reviewer organisation of a routed queue's rows, and its region (backlog's joins).
REVIEWER = aliased(Organisation, name="reviewer")
REVIEWER_REGION = aliased(Region, name="reviewer_region")


def _any(actor):
    return true()


def _application_of(kind: str):
    return lambda actor: Organisation.kind == kind


def _application_reach():
    """An organisation's application is the reviewer's only inside the reviewer's region (HR; an industry
    department: of its own series too) — policy.scope's Organisation rule, as SQL on REVIEWER, so a
    misrouted application counts nowhere rather than at a reviewer who cannot open it."""
    _, low, high = region_bounds(REVIEWER.region_code, REVIEWER_REGION.level)
    return and_(
        Organisation.region_code.between(low, high),
        or_(REVIEWER.kind != OrgKind.INDUSTRY, Organisation.series_id == REVIEWER.series_id),
    )


def _review(code, module, model, waiting=_any, reach=None):
    return Queue(code, module, model, waiting, "submitted_at", routed=True, reach=reach)


QUEUES: list[Queue] = [
    _review("unit_applications", "review_units", Organisation, _application_of(OrgKind.UNIT), _application_reach),
    _review("institution_applications", "review_institutions", Organisation,
            _application_of(OrgKind.INSTITUTION), _application_reach),
    _review("industry_applications", "review_industries", Organisation,
            _application_of(OrgKind.INDUSTRY), _application_reach),
    _review("hr_applications", "review_hr", Organisation, _application_of(OrgKind.HR), _application_reach),
    _review("sub_industry_applications", "review_sub_industries", Organisation,
            _application_of(OrgKind.INDUSTRY), _application_reach),
    _review("org_changes", "review_org_changes", OrgChange),
    # the acting organisation's own applicants only: an HR's scope is its region's people, its 审核注册人员
    # its own (views/person.py PersonConfirmView)
    Queue("people_to_confirm", "person_confirm", Person,
          lambda actor: and_(Person.unit_id == actor.org_id, Person.binding_status == BindingStatus.PENDING),
          "updated_at"),
    _review("person_changes", "person_changes", PersonChange),
    Queue("transfers_in", "transfer_in", Transfer,
          lambda actor: and_(Transfer.status == TransferStatus.PENDING, Transfer.to_unit_id == actor.org_id),
          "created_at"),
    _review("qualifications", "qualification_review", Qualification),
    _review("plans", "plan_review", Plan),
    # applications to the acting organisation's own classes (ix_enrolment_class_status)
    Queue("enrol_applications", "enrol_confirm", Enrolment,
          lambda actor: and_(Enrolment.status == EnrolmentStatus.APPLIED, Enrolment.class_id.in_(
              select(TrainingClass.id).where(TrainingClass.plan_id.in_(
                  select(Plan.id).where(Plan.owner_org_id == actor.org_id)))
          )),
          "applied_at"),
    _review("records_to_recognise", "record_review", Record),
    _review("annual_reports", "annual_report_review", AnnualReport),
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
        return waited_days(self.oldest)


def waited_days(oldest: datetime | None) -> int | None:
    """Whole days the oldest row has waited (0 = since today)."""
    return None if oldest is None else max((utcnow() - oldest).days, 0)


def backlog(queue: Queue, rows: ColumnElement[bool], reviewers: ColumnElement[bool], *, reach: bool = True) -> Select:
    """A review queue's pending rows per reviewer organisation: reviewer_id, count, oldest (its `since`).

    `rows`: whose scope the rows are read in (policy.visible of the one asking); `reviewers`: which
    reviewer organisations (SQL on REVIEWER). The 工作台 asks for its own organisation, 审核积压统计 for
    every reviewer in a supervisor's region: the same rows, so the same figures. `reach=False` when
    `rows` is the reviewer's own scope already (the 工作台): policy.visible then says what the queue's
    reach says, and without its join SQLite keeps reading the queue's (reviewer, status) index.
    """
    model = queue.model
    query = (
        select(model.reviewer_org_id.label("reviewer_id"), func.count().label("count"),
               func.min(getattr(model, queue.since)).label("oldest"))
        .select_from(model)
        .join(REVIEWER, REVIEWER.id == model.reviewer_org_id)
        .where(
            model.status == ApplicationStatus.PENDING, queue.waiting(None), rows, reviewers,
            # a queue is a reviewer's when its kind holds the queue's screen: an industry department's
            # application routed to HR is 行业主管部门角色申请, never also 下级行业主管部门角色申请
            REVIEWER.kind.in_(MODULES[queue.module].all_kinds),
        )
        .group_by(model.reviewer_org_id)
    )
    if reach and queue.reach is not None:
        query = query.join(REVIEWER_REGION, REVIEWER_REGION.code == REVIEWER.region_code).where(queue.reach())
    return query


def count(queue: Queue, actor: Actor) -> tuple[int, datetime | None]:
    """How many rows wait in this queue for the actor, and since when the oldest: one query."""
    model = queue.model
    if queue.routed:
        # the reviewer as a constant on the queue's own column too: the planner then reads the queue's
        # (reviewer, status) index instead of walking a province's organisations by region
        mine = and_(visible(model, actor), model.reviewer_org_id == actor.org_id)
        found = db.session.execute(backlog(queue, mine, REVIEWER.id == actor.org_id, reach=False)).first()
        return (found.count, found.oldest) if found else (0, None)
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


#: acting kind → the declaration screen where its returned records are corrected
DECLARATION_SCREENS = {
    ActorKind.UNIT: ("record_declare", "继续教育记录申报"),
    ActorKind.INSTITUTION: ("record_score_declare", "学员成绩申报"),
}


@advisor
def _returned_records(actor: Actor, user_id: int) -> list[Notice]:
    """Records returned to the organisation — its declarations, its imports and the 结业 records of its
    classes (退案, 学时审验不通过) — to be corrected and 送审 again."""
    screen = DECLARATION_SCREENS.get(actor.kind)
    if screen is None or actor.org_id is None or not actor.can_use(screen[0]):
        return []
    waiting = db.session.scalar(
        select(func.count()).select_from(Record)
        .where(declarations.declared_by(actor), Record.status == ApplicationStatus.RETURNED)
    )
    if not waiting:
        return []
    return [Notice(f"有{waiting}条继续教育记录被退回（含学时审验不通过），请修改后重新送审", "warning",
                   f"{screen[0]}.index_view", screen[1])]
