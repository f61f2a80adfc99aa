"""个人用户注册: an account, and for a resident ID card also the 专业技术人员 record it acts as."""
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..labels import ApplicationStatus, AuditAction, BindingStatus, MembershipStatus, PersonJoin
from ..models import Membership, Organisation, Person, ProvinceRule, Region, User
from ..models.base import utcnow
from ..provinces import employer_condition, employs, rules_for
from ..validators import birth_date_from_id, sex_from_id
from .. import audit
from . import WorkflowError

RESIDENT_ID = "resident_id"
LOGIN_TAKEN = "该登录账号已被注册，请换一个"
ID_TAKEN = "该证件号码已注册；如忘记账号或密码，请使用“忘记密码”或联系客服"
JUST_TAKEN = "该登录账号或证件号码刚刚已被注册，请检查后重试"
UNIT_PAGE = 50  # 所在单位 listed at once for a region; more are found by name


class RegistrationError(WorkflowError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def register_person(data: dict, password: str, answers: list[tuple[str, str]], unit_id: int | None = None) -> User:
    """Create the account. A person already recorded by their unit (same ID number, no account yet)
    is linked to it instead of being created twice.

    `unit_id` is the 所在单位 chosen on the form where the province's rule has the unit review the
    registration (Henan, 002 审核注册人员): the person waits for that unit and cannot sign in until it
    says 是 (`waiting_unit`)."""
    unit = _registering_unit(unit_id) if unit_id is not None else None
    if unit is not None and data["id_type"] != RESIDENT_ID:
        raise RegistrationError("unit_id", "选择所在单位须使用居民身份证注册")
    taken = account_taken(data["login"], data["id_type"], data["id_number"])
    if taken is not None:
        raise taken
    user = User(**data)
    user.set_password(password)
    user.set_security_answers(answers)
    try:
        with db.session.begin_nested(), audit.audit_as(AuditAction.REGISTER, f"个人用户注册：{user.login}"):
            db.session.add(user)
            db.session.flush()
            if user.id_type == RESIDENT_ID:
                _link_person(user, unit)
    except IntegrityError as error:  # the same login or ID registered a moment ago
        raise RegistrationError("login", JUST_TAKEN) from error
    return user


def account_taken(login: str, id_type: str, id_number: str) -> RegistrationError | None:
    """Why a new account cannot have this login or ID document (already registered), or None. Also
    what 注册成为管理员 (workflows/members.py) tells a super admin: no more than this page does."""
    if db.session.scalar(select(User.id).where(func.lower(User.login) == login.lower())):
        return RegistrationError("login", LOGIN_TAKEN)
    if db.session.scalar(select(User.id).where(User.id_type == id_type, User.id_number == id_number)):
        return RegistrationError("id_number", ID_TAKEN)
    return None


NOT_A_RESIDENT_ID = "仅使用居民身份证注册的账号可以登记为专业技术人员"


def _may_be_person(user: User) -> bool:
    """A personal account (not a system one) registered with a resident ID card."""
    return not user.system_role and user.id_type == RESIDENT_ID


def _has_person(user: User) -> bool:
    return db.session.scalar(select(Person.id).where(Person.user_id == user.id)) is not None


def person_missing(user: User) -> bool:
    """Whether this account may still 登记为专业技术人员: one that may be a person and no 专业技术人员 record is
    linked to — an 经办人 whose account was made by 注册新账号 (workflows/members.py) before their unit
    recorded them."""
    return _may_be_person(user) and not _has_person(user)


RECORDED_ELSEWHERE = "该公民身份号码已由其他单位录入，不能在此登记，请联系该单位或客服"


def become_person(user: User) -> Person:
    """登记为专业技术人员 (个人信息): the account gets its 专业技术人员 record — a new one without a unit (the
    owner then chooses a 工作单位 as a registered person does), or the one an organisation it acts for
    recorded and confirmed under its ID number, which nobody holds yet.

    A record under that ID number anywhere else is refused, as 注册新账号 refuses it (docs/security.md):
    such an account's first password was chosen by an organisation, and linking another unit's person
    to it would hand that unit's record to whoever knows the password."""
    if not _may_be_person(user):
        raise WorkflowError(NOT_A_RESIDENT_ID)
    if _has_person(user):
        raise WorkflowError("该账号已是专业技术人员")
    recorded = db.session.scalar(select(Person).where(Person.id_number == user.id_number))
    try:
        with db.session.begin_nested(), audit.audit_as(AuditAction.REGISTER, f"登记为专业技术人员：{user.login}"):
            if recorded is None:
                return _link_person(user, None)
            if not _link_own_record(recorded, user):
                raise WorkflowError(RECORDED_ELSEWHERE)
            return recorded
    except IntegrityError as error:  # the same request twice at once, or the ID recorded a moment ago
        raise WorkflowError("该账号已是专业技术人员或该公民身份号码刚刚已被录入，请刷新后重试") from error


def _link_own_record(person: Person, user: User) -> bool:
    """Link `person` to `user` if confirmed at an organisation the account acts for (有效 binding)."""
    acting_for = select(Membership.org_id).where(
        Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
    )
    return link_unheld_person(person, user, Person.unit_id.in_(acting_for), AuditAction.REGISTER)


def link_unheld_person(person: Person, user: User, employed, action: str) -> bool:
    """Give `person` the account `user` if nobody holds the record and it is confirmed where `employed` (a
    condition on Person.unit_id) says: one conditional UPDATE, so a record taken or moved meanwhile is not
    linked. Audited as `action`; returns whether it was linked. 注册新账号 (workflows/members.py) and
    登记为专业技术人员 link this way."""
    linked = db.session.execute(
        update(Person)
        .where(
            Person.id == person.id,
            Person.user_id.is_(None),
            Person.binding_status == BindingStatus.CONFIRMED,
            employed,
        )
        .values(user_id=user.id, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if linked:
        audit.record(
            action, obj=person, summary=f"关联个人账号：{person.name}（{user.login}）",
            before={"user_id": None}, after={"user_id": user.id},
        )
    return linked == 1


def _link_person(user: User, unit: Organisation | None) -> Person:
    person = db.session.scalar(select(Person).where(Person.id_number == user.id_number))
    if person is None:
        person = Person(
            user_id=user.id,
            name=user.real_name,
            id_number=user.id_number,
            sex=sex_from_id(user.id_number),
            birth_date=birth_date_from_id(user.id_number),
            phone=user.mobile,
            email=user.email,
        )
        db.session.add(person)
    elif person.user_id is None:
        person.user_id = user.id
    else:
        raise RegistrationError("id_number", "该公民身份号码已被其他账号使用，请联系客服")
    if unit is not None:
        if person.unit_id is not None and person.binding_status in (BindingStatus.PENDING, BindingStatus.CONFIRMED):
            if person.unit_id != unit.id:
                raise RegistrationError("unit_id", "您已是其他单位的专业技术人员，请不选所在单位直接注册")
        else:
            person.unit_id, person.binding_status, person.department_id = unit.id, BindingStatus.PENDING, None
    db.session.flush()
    return person


def _reviewing_provinces():
    return select(ProvinceRule.region_code).where(ProvinceRule.person_join == PersonJoin.REGISTRATION_REVIEW)


def registration_regions() -> list[tuple[str, str]]:
    """所在地区 on the registration form: every region of the provinces whose rule has the unit review
    registrations, as (code, "省 / 市 / 县区"), in code order — a province has a few hundred at most."""
    ranges = [Region.code.between(code, f"{code[:2]}9999") for code in db.session.scalars(_reviewing_provinces())]
    if not ranges:
        return []
    rows = db.session.execute(
        select(Region.code, Region.name, Region.parent_code).where(or_(*ranges)).order_by(Region.code)
    )
    names, choices = {}, []
    for code, name, parent in rows:
        names[code] = f"{names[parent]} / {name}" if parent in names else name
        choices.append((code, names[code]))
    return choices


def registration_region(code: str) -> Region | None:
    """The region if a person may choose its employers at registration (six digits, known, and in a
    province whose rule reviews registrations), else None."""
    if not (isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    region = db.session.get(Region, code)
    return region if region is not None and rules_for(code).registration_review else None


def _region_employers(region_code: str):
    """The employers a person may choose at registration in one region (its own code, not its subtree:
    a city's units are those registered at the city, a district's those at the district): approved,
    active units — and HR, industry departments and institutions where the rule has every organisation
    employ."""
    return select(Organisation.id, Organisation.name).where(
        employer_condition(),
        Organisation.status == ApplicationStatus.APPROVED,
        Organisation.active.is_(True),
        Organisation.region_code == region_code,
    )


def registration_units(region: Region, name: str = "", offset: int = 0,
                       limit: int = UNIT_PAGE) -> tuple[list[tuple[int, str]], bool]:
    """One page of 所在单位 of a region that `registration_region` let through, by name, as (id, name),
    and whether more follow. `name` narrows to the units whose name contains it."""
    query = _region_employers(region.code)
    if name:
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Organisation.name.like(f"%{escaped}%", escape="\\"))
    rows = db.session.execute(query.order_by(Organisation.name, Organisation.id).offset(offset).limit(limit + 1)).all()
    return [(org_id, org_name) for org_id, org_name in rows[:limit]], len(rows) > limit


def registration_unit(region_code: str, unit_id: int) -> tuple[int, str] | None:
    """(id, name) of the unit if it is among the region's 所在单位, else None."""
    if registration_region(region_code) is None:
        return None
    row = db.session.execute(_region_employers(region_code).where(Organisation.id == unit_id)).first()
    return (row[0], row[1]) if row is not None else None


def _registering_unit(unit_id: int) -> Organisation:
    unit = db.session.get(Organisation, unit_id)
    if (
        unit is None or not employs(unit) or unit.status != ApplicationStatus.APPROVED or not unit.active
        or not rules_for(unit.region_code).registration_review
    ):
        raise RegistrationError("unit_id", "所选单位不可选择，请重新选择所在单位")
    return unit


def waiting_unit(user: User) -> Organisation | None:
    """The unit whose 审核注册人员 this account still waits for, or None when it may sign in.

    Only a registration never confirmed anywhere waits, only where the unit's province reviews
    registrations, and only for an account that acts as nothing else (a system role or an organisation)."""
    if user.system_role:
        return None
    row = db.session.execute(
        select(Person.binding_status, Person.confirmed_at, Organisation)
        .join(Organisation, Organisation.id == Person.unit_id)
        .where(Person.user_id == user.id)
    ).first()
    if row is None:
        return None
    status, confirmed_at, unit = row
    if status != BindingStatus.PENDING or confirmed_at is not None or not rules_for(unit.region_code).registration_review:
        return None
    acts_for_an_org = db.session.scalar(
        select(Membership.id).where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
    )
    return None if acts_for_an_org is not None else unit
