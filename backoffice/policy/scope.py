"""THE row-visibility rules (DESIGN §4). Every list, count, details page, form, action, export,
lookup and report asks `visible(Model, actor)` for a SQL condition and applies it; nothing else
filters rows by role.

Each rule is a condition on the model's own columns (sub-selects instead of joins), so it composes
with any query Flask-Admin builds and stays an index lookup at province scale. A model without a
rule is visible to nobody: new tables are closed until someone writes their rule here.
"""
import time
from collections.abc import Callable
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, exists, false, func, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal

from ..extensions import db
from ..labels import (
    ActorKind, ApplicationStatus, BindingStatus, CatalogueStatus, ClassStatus, EnrolmentStatus, OrgKind, RegionLevel,
)
from ..models import (
    AnnualReport,
    Attachment,
    Attendance,
    AttendanceSession,
    AuditLog,
    Catalogue,
    Certificate,
    ClassSubject,
    Course,
    Enrolment,
    HourRequirement,
    LegacyCertificate,
    LegacyPerson,
    LegacyRecord,
    LegacyUnit,
    ProvinceRule,
    Plan,
    Qualification,
    Record,
    TrainingClass,
    Department,
    DictionaryItem,
    Dishonesty,
    Membership,
    OrgChange,
    Organisation,
    OrgRole,
    Person,
    PersonChange,
    ProfessionalSeries,
    Region,
    ReviewLog,
    Teacher,
    Transfer,
    User,
)
from ..provinces import for_actor
from .actor import Actor

Rule = Callable[[Actor], ColumnElement[bool]]


def visible(model: type, actor: Actor | None) -> ColumnElement[bool]:
    """SQL condition selecting the rows of `model` this actor may see."""
    if actor is None or model not in _RULES:
        return false()
    return _RULES[model](actor)


# ---- building blocks ---------------------------------------------------------------------------

ORG_ACTORS = (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.UNIT, ActorKind.INSTITUTION)


def in_region(column, actor: Actor) -> ColumnElement[bool]:
    low, high = actor.region_bounds
    return column.between(low, high)


def wide_region(actor: Actor) -> bool:
    """A province or a city: most of a table's rows, where a list must walk its own order's index and
    check each row, not gather the region's rows first (a county's are few: its index is the road)."""
    return actor.region_level in (RegionLevel.PROVINCE, RegionLevel.CITY)


#: every builder `built_once` memoizes (the tests forget them all: tests/test_scope_memo.py)
BUILT_ONCE: list = []


def built_once(builder):
    """Memoize a scope builder that reads only its arguments — plain values, or statements it was given
    by another built-once builder: its expression is built once per process and reused as it is (SQL
    expressions do not change once built, and a reused one's cache key is known), where building it for
    every request was 0.05–0.2 ms of a list page. Never for a builder that reads the actor, the request,
    the clock or the database."""
    memo = lru_cache(maxsize=4096)(builder)
    BUILT_ONCE.append(memo)
    return memo


def orgs_in_region(actor: Actor, *kinds: str):
    """Ids of the organisations of the given kinds (all kinds if none) inside the actor's region."""
    return _orgs_in_region(actor.region_bounds, kinds)


@built_once
def _orgs_in_region(bounds: tuple[str, str], kinds: tuple[str, ...]):
    """orgs_in_region, per region and kinds."""
    return select(Organisation.id).where(Organisation.region_code.between(*bounds), _of_kinds(Organisation.kind, kinds))


def _of_kinds(kind, kinds: tuple[str, ...]) -> ColumnElement[bool]:
    """An organisation's `kind` column is one of `kinds`; any kind if none."""
    if len(kinds) == 1:
        return kind == kinds[0]
    return kind.in_(kinds) if kinds else true()


def industry_subtree(actor: Actor):
    """An industry department and the industry departments of its series below it in its region."""
    return select(Organisation.id).where(
        Organisation.kind == OrgKind.INDUSTRY,
        Organisation.series_id == actor.series_id,
        in_region(Organisation.region_code, actor),
    )


def people_of_units(units, actor: Actor, series_id: int | None = None) -> ColumnElement[bool]:
    """People whose unit is one of `units` (and of `series_id`), in the SQL shape that fits the scope's width.

    A province or city (most of the table): the list must walk its sort column's index and stop after a
    page. Given `person.unit_id IN (sub-select)`, SQLite instead walked the unit index for every person of
    the region and sorted them all (0.45–1 s at 1,000,000 people); `+unit_id IN (…)` hid that index but
    built the list of the region's 10,000 units on every request. So on SQLite the wide scope is a
    correlated EXISTS — each person the walk reads has its unit checked by primary key — measured at
    1,000,000 people: page 1 32.6 → 13.2 ms (province), 30.5 → 19.3 (city), 18.5 → 6.8 (industry), 姓名
    43.6 → 14.1, 详细信息 18.4 → 12.2; an OFFSET page 500 got slower (41 → 66 ms for a city), which the
    下一页 links no longer use (views/seek.py). PostgreSQL keeps the IN, a hash semi join either way, and
    sees the plain columns: hiding the series index from it made an industry department's page 500 read
    all 1,000,000 people (311 ms). A county holds few people, where the unit index is the better road.
    """
    return _people_of_units(units, wide_region(actor), series_id)


@built_once
def _people_of_units(units, wide: bool, series_id: int | None) -> ColumnElement[bool]:
    """people_of_units, per `units` statement (orgs_in_region's), width and series."""
    condition = Person.unit_id.in_(units)
    if wide:
        condition = SqliteShape(condition, units.where(Organisation.id == Person.unit_id).correlate(Person).exists())
    if series_id is not None:
        # An industry's series is a large share of people too: walk names, check the series in the index.
        series = SqliteUnindexed(Person.series_id) if wide else Person.series_id
        condition = and_(series == series_id, condition)
    return condition


class SqliteUnindexed(ColumnElement):
    """`+column` on SQLite (the same value, no index used to find it), the plain column elsewhere: for
    a condition whose index is SQLite's worst road but PostgreSQL's best."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column):
        self.column = column
        self.type = column.type


@compiles(SqliteUnindexed)
def _plain(element, compiler, **kw):
    return compiler.process(element.column, **kw)


@compiles(SqliteUnindexed, "sqlite")
def _plus(element, compiler, **kw):
    return "+" + compiler.process(element.column, **kw)


class SqliteShape(ColumnElement):
    """One condition written two ways that select the same rows: `sqlite` on SQLite, `other` elsewhere,
    for a condition whose best SQL shape differs between the two planners."""

    inherit_cache = True
    _traverse_internals = [
        ("other", InternalTraversal.dp_clauseelement), ("sqlite", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, other, sqlite):
        self.other, self.sqlite = other, sqlite
        self.type = other.type

    @property
    def _from_objects(self):
        return self.other._from_objects


@compiles(SqliteShape)
def _other_shape(element, compiler, **kw):
    return compiler.process(element.other, **kw)


@compiles(SqliteShape, "sqlite")
def _sqlite_shape(element, compiler, **kw):
    return compiler.process(element.sqlite, **kw)


# ---- reference data: readable by every signed-in actor (forms need it), edited by admin views ---


def _region(actor: Actor):
    return true()


def _series(actor: Actor):
    return true()


def _dictionary(actor: Actor):
    return true()


def _province_rule(actor: Actor):
    """省份规则: only the 系统管理员 maintains them; routing reads them itself, not through a screen."""
    return true() if actor.kind == ActorKind.ADMIN else false()


def _hour_requirement(actor: Actor):
    """学时要求: everyone may know the rule their year is verified against."""
    return true()


# ---- organisations and accounts ---------------------------------------------------------------


def _organisation(actor: Actor):
    if actor.kind in (ActorKind.ADMIN, ActorKind.HELPDESK):
        return true()
    if actor.kind == ActorKind.HR:
        return in_region(Organisation.region_code, actor)
    if actor.kind == ActorKind.INDUSTRY:
        return Organisation.id.in_(industry_subtree(actor))
    if actor.kind in (ActorKind.UNIT, ActorKind.INSTITUTION):
        return Organisation.id == actor.org_id
    if actor.kind == ActorKind.PERSON:
        own_unit = select(Person.unit_id).where(Person.id == actor.person_id)
        return Organisation.id.in_(own_unit)
    return false()


def _membership(actor: Actor):
    if actor.kind == ActorKind.HELPDESK:
        return true()
    if actor.org_id is not None:
        return Membership.org_id == actor.org_id
    return false()


def _org_role(actor: Actor):
    if actor.org_id is not None:
        return OrgRole.org_id == actor.org_id
    return false()


def _org_change(actor: Actor):
    """The organisation's own requests, and those routed to it for review."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.org_id is not None:
        return or_(OrgChange.org_id == actor.org_id, OrgChange.reviewer_org_id == actor.org_id)
    return false()


def _department(actor: Actor):
    if actor.org_id is not None:
        return Department.org_id == actor.org_id
    return false()


def _user(actor: Actor):
    if actor.kind in (ActorKind.ADMIN, ActorKind.HELPDESK):
        return true()
    if actor.org_id is not None:
        members = select(Membership.user_id).where(Membership.org_id == actor.org_id)
        return User.id.in_(members)
    return User.id == actor.user_id


# ---- people -----------------------------------------------------------------------------------
#
# A person's `unit_id` is their employer (工作单位): a unit, or — where the province's rule has every
# organisation employ (Henan, issue 13 item 2) — an HR, industry department or institution. Each
# employer sees its own staff; HR and industry departments see, besides, the people of every employer
# in their region (industry: of their series). The actor's province's rule (`Rules.employer_kinds`) says
# which kinds employ: where only units do (Guangdong) every condition is exactly what it was before.


def employer_kinds(actor: Actor) -> tuple[str, ...]:
    return for_actor(actor).employer_kinds


def employers_in_region(actor: Actor):
    """Ids of the organisations of the actor's region that employ professionals by its province's rule."""
    return orgs_in_region(actor, *employer_kinds(actor))


def staff_of(actor: Actor) -> ColumnElement[bool]:
    """The acting organisation's own people (its employer screens: 信息确认, 信息维护, 人员调出…); nobody
    for an organisation whose kind does not employ in its province."""
    if actor is None or actor.org_id is None or actor.kind not in employer_kinds(actor):
        return false()
    return Person.unit_id == actor.org_id


def _person(actor: Actor, unit=None):
    if actor.kind == ActorKind.PERSON:
        return Person.id == actor.person_id
    if actor.kind in (ActorKind.UNIT, ActorKind.INSTITUTION):
        return staff_of(actor)
    if actor.kind == ActorKind.HR:  # its own staff are in its region
        return _region_people(actor, unit)
    if actor.kind == ActorKind.INDUSTRY:
        # a department of no 专业系列 reads nobody by series (people_of_units reads None as "any series")
        series = false() if actor.series_id is None else _region_people(actor, unit, actor.series_id)
        return or_(staff_of(actor), series) if actor.kind in employer_kinds(actor) else series
    return false()


def people_by_unit(actor: Actor, unit) -> ColumnElement[bool]:
    """visible(Person, actor) for a statement that joins each person's unit as `unit` (an Organisation
    alias, on `unit.id == Person.unit_id`): a region's rule read off the joined row. The rule's own shape
    looks each person's unit up again (a correlated EXISTS on SQLite, where a list walks names and checks
    the few it shows); a report that reads a whole province read every unit twice, which was half of
    its registered count (SQLite, 1,000,000 people: 1.2 → 0.6 s). tests/test_scope_memo.py holds the two equal
    for every demo identity."""
    return false() if actor is None else _person(actor, unit)


def _region_people(actor: Actor, unit, series_id: int | None = None) -> ColumnElement[bool]:
    """People of the actor's region's employers (and of `series_id`): by the list shape of
    `people_of_units`, or, given the person's joined `unit`, off that row. The joined row is offered to
    SQLite without an index: the statement picks its own road (a report's learners are read from the
    year's hours outward, and SQLite, offered the units' region index here, drove from the units
    instead: 1.3 → 2.0 s a share)."""
    if unit is None:
        return people_of_units(employers_in_region(actor), actor, series_id)
    employed = and_(
        SqliteUnindexed(unit.region_code).between(*actor.region_bounds),
        _of_kinds(SqliteUnindexed(unit.kind), employer_kinds(actor)),
    )
    return employed if series_id is None else and_(Person.series_id == series_id, employed)


def _person_change(actor: Actor):
    """The person's own requests; a unit sees those routed to it, and keeps them after a transfer."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.PERSON:
        return PersonChange.person_id == actor.person_id
    if actor.org_id is not None and actor.kind in employer_kinds(actor):  # the employer it was routed to
        return PersonChange.reviewer_org_id == actor.org_id
    return false()


def _transfer(actor: Actor):
    """Both sides of a transfer see it; HR sees transfers touching its region."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.PERSON:
        return Transfer.person_id == actor.person_id
    if actor.kind == ActorKind.HR:  # every employer of its region, itself included
        employers = employers_in_region(actor)
        return or_(Transfer.from_unit_id.in_(employers), Transfer.to_unit_id.in_(employers))
    return own_transfers(actor)


def own_transfers(actor: Actor) -> ColumnElement[bool]:
    """Transfers with the acting organisation on either side (its 调转记录, even for HR); none for an
    organisation whose kind does not employ in its province."""
    if actor is None or actor.org_id is None or actor.kind not in employer_kinds(actor):
        return false()
    return or_(Transfer.from_unit_id == actor.org_id, Transfer.to_unit_id == actor.org_id)


def _teacher(actor: Actor):
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.org_id is not None:
        return Teacher.org_id == actor.org_id
    return false()


def _dishonesty(actor: Actor):
    """A person sees only entries about themselves; an organisation what it recorded and what is
    about itself; HR also everything about organisations in its region."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.PERSON:
        return Dishonesty.person_id == actor.person_id
    if actor.org_id is None:
        return false()
    own = or_(Dishonesty.recorded_by_org_id == actor.org_id, Dishonesty.subject_org_id == actor.org_id)
    if actor.kind == ActorKind.HR:
        return or_(own, Dishonesty.subject_org_id.in_(orgs_in_region(actor)))
    return own


# ---- training (DESIGN §4: the owner, the organisation a row is routed to, industry departments their
# region ∩ series, HR its region; drafts stay with their owner) ----------------------------------

def _catalogue(actor: Actor):
    """Published catalogues are read by every organisation (plans choose from them); drafts only by
    the department that keeps them."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind in ORG_ACTORS:
        return or_(Catalogue.status == CatalogueStatus.PUBLISHED, Catalogue.org_id == actor.org_id)
    return false()


def _course(actor: Actor):
    return Course.catalogue_id.in_(select(Catalogue.id).where(visible(Catalogue, actor)))


def _qualification(actor: Actor):
    """The institution's own applications, those routed to the acting organisation, and HR's region."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.org_id is None:
        return false()
    own = or_(Qualification.institution_id == actor.org_id, Qualification.reviewer_org_id == actor.org_id)
    if actor.kind == ActorKind.HR:
        return or_(
            own,
            and_(
                Qualification.institution_id.in_(orgs_in_region(actor, OrgKind.INSTITUTION)),
                Qualification.status != ApplicationStatus.DRAFT,
            ),
        )
    return own


def _plan(actor: Actor):
    """The owner's plans, those routed to the acting organisation for review, and — once submitted —
    an industry department's region ∩ series and an HR organisation's region (the query screens)."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.org_id is None:
        return false()
    own = or_(Plan.owner_org_id == actor.org_id, Plan.reviewer_org_id == actor.org_id)
    submitted = Plan.status != ApplicationStatus.DRAFT
    if actor.kind == ActorKind.INDUSTRY:
        return or_(
            own,
            and_(submitted, Plan.series_id == actor.series_id, Plan.owner_org_id.in_(orgs_in_region(actor))),
        )
    if actor.kind == ActorKind.HR:
        return or_(own, and_(submitted, Plan.owner_org_id.in_(orgs_in_region(actor))))
    return own


def _training_class(actor: Actor):
    """A class is seen by whoever sees its plan. A person sees the classes open to applications (接受报名,
    of an approved plan of an institution or industry department: 003 §3.3.2; a unit's classes are
    internal) and the classes they are enrolled in."""
    if actor.kind == ActorKind.PERSON:
        open_plans = select(Plan.id).where(
            Plan.status == ApplicationStatus.APPROVED,
            Plan.owner_org_id.in_(
                select(Organisation.id).where(Organisation.kind.in_((OrgKind.INSTITUTION, OrgKind.INDUSTRY)))
            ),
        )
        mine = select(Enrolment.class_id).where(Enrolment.person_id == actor.person_id)
        return or_(
            and_(TrainingClass.status == ClassStatus.ENROLLING, TrainingClass.plan_id.in_(open_plans)),
            TrainingClass.id.in_(mine),
        )
    return TrainingClass.plan_id.in_(select(Plan.id).where(visible(Plan, actor)))


def _class_subject(actor: Actor):
    return ClassSubject.class_id.in_(select(TrainingClass.id).where(visible(TrainingClass, actor)))


def _owned_classes(actor: Actor):
    """Ids of the classes of the acting organisation's own plans."""
    return select(TrainingClass.id).where(
        TrainingClass.plan_id.in_(select(Plan.id).where(Plan.owner_org_id == actor.org_id))
    )


def classes_run_by(actor: Actor):
    """Ids of the classes the acting organisation runs: those of its own *approved* plans (培训班设置,
    考勤, 成绩). Narrower than `visible(TrainingClass)`, which also lets reviewers and queries see them."""
    return select(TrainingClass.id).where(
        TrainingClass.plan_id.in_(
            select(Plan.id).where(Plan.owner_org_id == actor.org_id, Plan.status == ApplicationStatus.APPROVED)
        )
    )


def _enrolment(actor: Actor):
    """The person's own; the class owner's roster; a unit's own people wherever they enrol; HR and
    industry departments the classes they may query, HR also the people of its region."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.PERSON:
        return Enrolment.person_id == actor.person_id
    if actor.org_id is None:
        return false()
    owned = Enrolment.class_id.in_(_owned_classes(actor))
    # an employer's own staff wherever they enrol (units; the other kinds where they employ)
    staff = (Enrolment.person_id.in_(select(Person.id).where(staff_of(actor))),) \
        if actor.kind in employer_kinds(actor) else ()
    if actor.kind in (ActorKind.HR, ActorKind.INDUSTRY):
        queried = Enrolment.class_id.in_(select(TrainingClass.id).where(visible(TrainingClass, actor)))
        if actor.kind == ActorKind.HR:  # its region's people, its own staff among them
            people = select(Person.id).where(Person.unit_id.in_(employers_in_region(actor)))
            return or_(owned, queried, Enrolment.person_id.in_(people))
        return or_(owned, queried, *staff)
    return or_(owned, *staff)


def _attendance_session(actor: Actor):
    """The class's viewers' sessions; a person sees the sessions of the classes they are enrolled in
    (报名成功, 扫码签到) — not where their application waits, was refused or was cancelled."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.PERSON:
        mine = select(Enrolment.class_id).where(
            Enrolment.person_id == actor.person_id, Enrolment.status == EnrolmentStatus.ENROLLED
        )
        return AttendanceSession.class_id.in_(mine)
    if actor.org_id is None:
        return false()
    return AttendanceSession.class_id.in_(select(TrainingClass.id).where(visible(TrainingClass, actor)))


def _attendance(actor: Actor):
    """A mark is seen by whoever sees the enrolment it belongs to."""
    return Attendance.enrolment_id.in_(select(Enrolment.id).where(visible(Enrolment, actor)))


def _record(actor: Actor):
    """The person's own; what an organisation declared or must review; once declared (not a draft), a
    unit's people's, HR's region's people's and an industry department's series' people in its region's
    (`records_of_series`): a draft is read by its writer and the person it is
    about, not by their unit or HR before it is declared."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.PERSON:
        return Record.person_id == actor.person_id
    if actor.org_id is None:
        return false()
    own = or_(Record.declared_by_org_id == actor.org_id, Record.reviewer_org_id == actor.org_id)
    declared = Record.status != ApplicationStatus.DRAFT
    if actor.kind == ActorKind.INDUSTRY:
        # 继续教育记录查询 (004 §1.7.1): its series' people's, and — where it employs — its own staff's
        staff = exists().where(Person.id == Record.person_id, staff_of(actor)) \
            if actor.kind in employer_kinds(actor) else false()
        return or_(own, and_(declared, or_(records_of_series(actor), staff)))
    if actor.kind == ActorKind.HR:
        # A correlated EXISTS, not `person_id IN (people of the region)`: inside the OR PostgreSQL can
        # only run the IN as a hashed sub-plan, reading every person of the region first (0.4 s at
        # 200,000 people) even for one person's records; EXISTS lets it check just the rows it reads
        # (0.2 ms for a details page). Same rows.
        in_region_employer = exists().where(
            Person.id == Record.person_id, Person.unit_id.in_(employers_in_region(actor))
        )
        return or_(own, and_(declared, in_region_employer))
    if actor.kind in employer_kinds(actor):  # a unit, or another employer: its own staff's declared records
        people = select(Person.id).where(staff_of(actor))
        return or_(own, and_(declared, Record.person_id.in_(people)))
    return own


#: 继续教育记录查询: a series with at most this many people in the department's region is read person first
FEW_SERIES_PEOPLE = 2000


def records_of_series(actor: Actor) -> ColumnElement[bool]:
    """继续教育记录查询 (004 §1.7.1): records of the people of an industry department's 专业系列 employed in
    its region (at a unit, or at any employer where its province's rule says so) — where they work now,
    as HR's region reads them. Drafts are the caller's to leave out. False for any other actor.

    The SQL shape fits the series' width, measured at 1,000,000 records on SQLite:
    - a common series (thousands of people): a correlated EXISTS, as in HR's branch of `_record` — the
      list walks the records newest first checking each one's person by primary key and stops after a
      page (9 ms page 1, 63–109 ms page 500); `person_id IN (the series' people)` made SQLite read and
      sort all their records (474 ms), and inside visible()'s OR PostgreSQL would read every one of the
      people first even for one record's details page;
    - a rare series (体育教练员: a handful of people): the walk reads the whole table to find them (1.5–3.9 s),
      so `person_id IN (the few people)`: their records by the person index, a small sort.
    Which one is decided by counting the series' people up to FEW_SERIES_PEOPLE + 1 (an index range)."""
    if actor is None or actor.kind != ActorKind.INDUSTRY or actor.org_id is None or actor.series_id is None:
        return false()
    return _records_of_series(employers_in_region(actor), actor.series_id, _few_people(actor))


@built_once
def _records_of_series(units, series_id: int, few: bool) -> ColumnElement[bool]:
    """records_of_series, per `units` statement (orgs_in_region's), series and shape."""
    if few:
        # the series index finds the people; SQLite would otherwise walk the region's units' people instead
        return Record.person_id.in_(select(Person.id).where(_series_people(units, series_id)))
    return exists().where(Person.id == Record.person_id, Person.series_id == series_id, Person.unit_id.in_(units))


#: seconds a series width stays known to the process (`_few_people`)
FEW_SERIES_TTL = 600
_series_widths: dict[tuple, tuple[bool, float]] = {}


def series_people(actor: Actor) -> ColumnElement[bool]:
    """The people `records_of_series` reads the records of: an industry department's series employed in
    its region (nobody for any other actor). For a search to start from (views/record_query.py)."""
    if actor is None or actor.kind != ActorKind.INDUSTRY or actor.org_id is None or actor.series_id is None:
        return false()
    return _series_people(employers_in_region(actor), actor.series_id)


def _series_people(units, series_id: int) -> ColumnElement[bool]:
    return and_(Person.series_id == series_id, SqliteUnindexed(Person.unit_id).in_(units))


def _few_people(actor: Actor) -> bool:
    """Whether the actor's series in its region has at most FEW_SERIES_PEOPLE people. The answer picks
    an SQL shape, never rows, so the process keeps it for FEW_SERIES_TTL seconds: counting took 12 ms of
    every request at 1,000,000 people (PostgreSQL), and a series' width moves slowly. Stale, it only
    costs the other shape's speed until it expires."""
    key = (actor.org_id, actor.series_id, FEW_SERIES_PEOPLE)
    now = time.monotonic()
    known = _series_widths.get(key)
    if known is None or known[1] <= now:
        people = select(Person.id).where(series_people(actor)).limit(FEW_SERIES_PEOPLE + 1)
        counted = select(func.count()).select_from(people.subquery())
        known = (db.session.scalar(counted) <= FEW_SERIES_PEOPLE, now + FEW_SERIES_TTL)
        _series_widths[key] = known
    return known[0]


def records_of_region(actor: Actor) -> ColumnElement[bool]:
    """学时审验: records of the people employed in an HR organisation's region — at a unit or any other
    employer, the HR itself included (nobody else's, and for any other actor none). The checker's screen
    and its conditional UPDATEs both use it."""
    if actor is None or actor.kind != ActorKind.HR or actor.org_id is None:
        return false()
    return _records_of_region(employers_in_region(actor), wide_region(actor))


@built_once
def _records_of_region(units, wide: bool) -> ColumnElement[bool]:
    """records_of_region, per `units` statement (orgs_in_region's) and width."""
    if wide:
        # A province's or city's people are most of the table: SQLite built the list of all of them
        # before reading a record (0.6–3.3 s at 1,000,000 records). A correlated EXISTS checks only
        # the records it reads, newest first (1 ms page 1, 42 ms page 500); PostgreSQL plans it as
        # the same semi join as the IN. Same rows. A county keeps the person index.
        return exists().where(Person.id == Record.person_id, Person.unit_id.in_(units))
    return Record.person_id.in_(select(Person.id).where(Person.unit_id.in_(units)))


def records_of_unit_people(actor: Actor) -> ColumnElement[bool]:
    """继续教育培训记录查询 (000 §1.9.2): records of the people confirmed at the acting employer (a unit,
    or any organisation employing where its province's rule says so)."""
    if actor is None or actor.org_id is None or actor.kind not in employer_kinds(actor):
        return false()
    people = select(Person.id).where(staff_of(actor), Person.binding_status == BindingStatus.CONFIRMED)
    return Record.person_id.in_(people)


def _certificate(actor: Actor):
    """A certificate follows its holder: whoever may see the person (the admin all of them)."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.PERSON:
        return Certificate.person_id == actor.person_id
    if actor.org_id is None:
        return false()
    return Certificate.person_id.in_(select(Person.id).where(visible(Person, actor)))


# ---- 旧系统数据 (历史数据管理): follows the two bindings made on 历史信息绑定 (workflows/legacy.py) ------


def _legacy_unit(actor: Actor):
    """An old unit is seen by the current unit bound to it, by HR when that unit is in its region, and by
    the admin. An unbound old unit is nobody's yet (the import's admin aside)."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.UNIT:
        return LegacyUnit.bound_unit_id == actor.org_id
    if actor.kind == ActorKind.HR:
        return LegacyUnit.bound_unit_id.in_(orgs_in_region(actor, OrgKind.UNIT))
    return false()


def _legacy_person(actor: Actor):
    """An old person: the person linked to them; the unit bound to their old unit (its history) and the
    unit the linked person now belongs to (their history follows them, like a certificate); HR the same
    within its region."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.PERSON:
        return LegacyPerson.person_id == actor.person_id
    if actor.kind not in (ActorKind.UNIT, ActorKind.HR) or actor.org_id is None:
        return false()
    old_units = select(LegacyUnit.id).where(visible(LegacyUnit, actor))
    return or_(
        LegacyPerson.legacy_unit_id.in_(old_units),
        LegacyPerson.person_id.in_(select(Person.id).where(visible(Person, actor))),
    )


def _legacy_record(actor: Actor):
    return LegacyRecord.legacy_person_id.in_(select(LegacyPerson.id).where(visible(LegacyPerson, actor)))


def _legacy_certificate(actor: Actor):
    return LegacyCertificate.legacy_person_id.in_(select(LegacyPerson.id).where(visible(LegacyPerson, actor)))


# ---- history ----------------------------------------------------------------------------------


def _audit_log(actor: Actor):
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.HR:
        if wide_region(actor):
            # Most of the log is a province's or city's: hidden from SQLite, the region index no longer
            # makes it sort the region's whole log (648 ms page 1 at 880,000 rows): it walks
            # created_at newest first (34 ms). PostgreSQL keeps the index, its better road (32 ms for
            # page 500, 504 ms walking created_at). A county keeps it on both.
            return in_region(SqliteUnindexed(AuditLog.region_code), actor)
        return in_region(AuditLog.region_code, actor)
    return false()


def _annual_report(actor: Actor):
    """年度报告: an institution its own; HR the reports of institutions in its region once 申报ed (and
    any routed to it); admin all; nobody else."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.org_id is None:
        return false()
    if actor.kind == ActorKind.INSTITUTION:
        return AnnualReport.institution_id == actor.org_id
    if actor.kind == ActorKind.HR:
        return or_(
            AnnualReport.reviewer_org_id == actor.org_id,
            and_(
                AnnualReport.status != ApplicationStatus.DRAFT,
                AnnualReport.institution_id.in_(orgs_in_region(actor, OrgKind.INSTITUTION)),
            ),
        )
    return false()


def _review_log(actor: Actor):
    """Review history is read through the reviewed object's page; here: what your organisation did."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.org_id is not None:
        return ReviewLog.reviewer_org_id == actor.org_id
    return false()


# What an attachment can belong to: its owner's rule decides who may read it.
ATTACHMENT_OWNERS: dict[str, type] = {
    "organisation": Organisation,
    "org_change": OrgChange,
    "catalogue": Catalogue,
    "qualification": Qualification,
    "plan": Plan,
    "record": Record,
    "annual_report": AnnualReport,
}


def _attachment(actor: Actor):
    """Readable by whoever may see the owning row; a person sees only what belongs to them."""
    if actor.kind == ActorKind.ADMIN:
        return true()
    if actor.kind == ActorKind.HELPDESK:
        return false()  # helpdesk sees no business documents
    if actor.kind == ActorKind.PERSON:  # a person owns attachments only through their own records
        return and_(
            Attachment.owner_type == "record",
            Attachment.owner_id.in_(select(Record.id).where(visible(Record, actor))),
        )
    return or_(
        *(
            and_(
                Attachment.owner_type == owner_type,
                Attachment.owner_id.in_(select(model.id).where(visible(model, actor))),
            )
            for owner_type, model in ATTACHMENT_OWNERS.items()
        )
    )


# One table of every rule (plain functions, not decorators: mutmut 3 skips decorated functions, and
# `make mutation` must reach each rule). A model missing here is visible to nobody.
_RULES: dict[type, Rule] = {
    Region: _region,
    ProfessionalSeries: _series,
    DictionaryItem: _dictionary,
    HourRequirement: _hour_requirement,
    ProvinceRule: _province_rule,
    Organisation: _organisation,
    Membership: _membership,
    OrgRole: _org_role,
    OrgChange: _org_change,
    Department: _department,
    User: _user,
    Person: _person,
    PersonChange: _person_change,
    Transfer: _transfer,
    Teacher: _teacher,
    Dishonesty: _dishonesty,
    Catalogue: _catalogue,
    Course: _course,
    Qualification: _qualification,
    Plan: _plan,
    TrainingClass: _training_class,
    ClassSubject: _class_subject,
    Enrolment: _enrolment,
    AttendanceSession: _attendance_session,
    Attendance: _attendance,
    Record: _record,
    Certificate: _certificate,
    AnnualReport: _annual_report,
    LegacyUnit: _legacy_unit,
    LegacyPerson: _legacy_person,
    LegacyRecord: _legacy_record,
    LegacyCertificate: _legacy_certificate,
    AuditLog: _audit_log,
    ReviewLog: _review_log,
    Attachment: _attachment,
}
