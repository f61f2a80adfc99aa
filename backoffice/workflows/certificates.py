"""继续教育证书打印 (000 §1.6.4, 003 §3.3.4, 002 电子证书查询打印; DESIGN §3 Hours and certificates).

- 打印: the person-year's 有效 certificate, issued now if there is none — only for a year whose 年度验证
  passes (`hours.annual_verification`, the one place a year is judged).
- 重新生成证书并打印: the 有效 certificate becomes 已作废 (still verifiable as such) and a new number is
  issued with the figures as they are now.
- 重新统计学时: recount the year and say which 有效 certificates no longer match the records.
- 撤销 (HR of the person's region): 已撤销 with a reason; `/verify` says so.

Who: the person their own; a unit its confirmed people; HR and industry departments the people of their
scope (policy.visible(Person)). Numbers are `年度 + 14 random digits`, held unique by the database (a
number once issued, voided or revoked is never issued again) and not guessable one from the next.
A partial unique index keeps one 有效 certificate per person-year when two workers print at once.
"""
import secrets
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..extensions import db
from ..formatting import hours
from ..hours import annual_verification, custom_plans, person_years
from ..labels import (
    ActorKind,
    ApplicationStatus,
    AuditAction,
    BindingStatus,
    CertificateStatus,
    CourseType,
    OrgKind,
    RegionLevel,
)
from ..models import Certificate, Organisation, Person, ProfessionalSeries, Record
from ..models.base import utcnow
from ..policy import Actor, visible
from . import WorkflowError

MODULE = "certificate_print"
OWN_MODULE = "my_certificates"
REASON_MAX = 200
ISSUER_FALLBACK = "专业技术人员继续教育管理系统"


@dataclass(frozen=True)
class YearFigures:
    """A person-year as the 证书打印 list shows it: 门数 and 学时 per 科目类型, 年度验证."""

    public_courses: int
    public_hours: Decimal
    professional_courses: int
    professional_hours: Decimal
    elective_courses: int
    elective_hours: Decimal
    total_hours: Decimal
    passed: bool | None  # None: no 学时要求 for the year


def course_counts(person_ids: list[int], year: int) -> dict[int, dict[str, int]]:
    """门数 per 科目类型 of each person's approved records of the year: one GROUP BY."""
    rows = db.session.execute(
        select(Record.person_id, Record.course_type, func.count())
        .where(Record.person_id.in_(person_ids), Record.year == year, Record.status == ApplicationStatus.APPROVED)
        .group_by(Record.person_id, Record.course_type)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    for person_id, course_type, number in rows:
        counts.setdefault(person_id, {})[course_type] = number
    return counts


def _figures(row, counts: dict[str, int]) -> YearFigures:
    """A row of `hours.annual_verification` and its 门数 per 科目类型."""
    return YearFigures(
        public_courses=counts.get(CourseType.PUBLIC, 0), public_hours=Decimal(row["public_hours"]),
        professional_courses=counts.get(CourseType.PROFESSIONAL, 0),
        professional_hours=Decimal(row["professional_hours"]),
        elective_courses=counts.get(CourseType.ELECTIVE, 0), elective_hours=Decimal(row["elective_hours"]),
        total_hours=Decimal(row["total_hours"]),
        passed=None if row["passed"] is None else bool(row["passed"]),
    )


def figures(person_ids: list[int], year: int) -> dict[int, YearFigures]:
    """The figures of several person-years: two queries whatever their number."""
    if not person_ids:
        return {}
    custom_plans()  # PostgreSQL: plan the verification with its values (hours.custom_plans)
    counts = course_counts(person_ids, year)
    return {
        row["person_id"]: _figures(row, counts.get(row["person_id"], {}))
        for row in db.session.execute(annual_verification(person_ids, year)).mappings()
    }


def person_figures(person_id: int, years: list[int]) -> dict[int, tuple[YearFigures, Certificate | None]]:
    """One person's years (their own 证书打印 page): figures and 有效 certificate per year, three queries
    whatever the number of years."""
    if not years:
        return {}
    counts: dict[int, dict[str, int]] = {}
    for year, course_type, number in db.session.execute(
        select(Record.year, Record.course_type, func.count())
        .where(Record.person_id == person_id, Record.year.in_(years), Record.status == ApplicationStatus.APPROVED)
        .group_by(Record.year, Record.course_type)
    ):
        counts.setdefault(year, {})[course_type] = number
    certificates = {
        c.year: c for c in db.session.scalars(select(Certificate).where(
            Certificate.person_id == person_id, Certificate.year.in_(years),
            Certificate.status == CertificateStatus.VALID,
        ))
    }
    return {
        year: (_figures(row, counts.get(year, {})), certificates.get(year))
        for year, row in person_years(person_id, years).items()
    }


def valid_certificates(person_ids: list[int], year: int) -> dict[int, Certificate]:
    return {
        c.person_id: c
        for c in db.session.scalars(
            select(Certificate).where(
                Certificate.person_id.in_(person_ids), Certificate.year == year,
                Certificate.status == CertificateStatus.VALID,
            )
        )
    }


# ---- who may print -----------------------------------------------------------------------------


def printable_people(actor: Actor):
    """SQL condition on Person: whose certificates this actor may print."""
    if actor.kind == ActorKind.PERSON:
        return Person.id == actor.person_id
    condition = visible(Person, actor)
    if actor.kind == ActorKind.UNIT:
        return condition & (Person.binding_status == BindingStatus.CONFIRMED)
    return condition


def _may_print(person: Person, actor: Actor) -> None:
    module = OWN_MODULE if actor.kind == ActorKind.PERSON else MODULE
    if not actor.can_use(module):
        raise WorkflowError("您没有打印继续教育证书的权限")
    if db.session.scalar(select(Person.id).where(Person.id == person.id, printable_people(actor))) is None:
        raise WorkflowError("该专业技术人员不在本单位管理范围内")


# ---- issuing -----------------------------------------------------------------------------------


def _issuer(person: Person) -> str:
    """发证机关: the HR department of the province the person's unit lies in."""
    unit = db.session.get(Organisation, person.unit_id) if person.unit_id else None
    if unit is None:
        return ISSUER_FALLBACK
    province = unit.region_code[:2] + "0000"
    name = db.session.scalar(
        select(Organisation.name).where(
            Organisation.kind == OrgKind.HR, Organisation.level == RegionLevel.PROVINCE,
            Organisation.region_code == province, Organisation.status == ApplicationStatus.APPROVED,
        ).order_by(Organisation.id).limit(1)
    )
    return name or ISSUER_FALLBACK


def _number(year: int) -> str:
    """年度 + 14 random digits: unique by the column's unique index, so never reused, and not guessable
    one from the next (nobody walks `/verify`)."""
    return f"{year}{secrets.randbelow(10**14):014d}"


def _new_certificate(person: Person, year: int, found: YearFigures, actor: Actor) -> Certificate:
    series = db.session.get(ProfessionalSeries, person.series_id) if person.series_id else None
    values = dict(
        person_id=person.id, year=year, holder_name=person.name, id_number=person.id_number,
        series_name=series.name if series else None,
        public_courses=found.public_courses, public_hours=found.public_hours,
        professional_courses=found.professional_courses, professional_hours=found.professional_hours,
        elective_courses=found.elective_courses, elective_hours=found.elective_hours,
        total_hours=found.total_hours, passed=bool(found.passed), status=CertificateStatus.VALID,
        issued_at=utcnow(), issuer_name=_issuer(person),
        issued_by_org_id=actor.org_id, issued_by_user_id=actor.user_id,
    )
    for attempt in range(5):
        certificate = Certificate(number=_number(year), **values)
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
                db.session.flush()
            return certificate
        except IntegrityError:
            # another worker's 有效 certificate of this person-year: the caller prints that one
            if attempt == 4 or valid_certificates([person.id], year):
                raise
    raise AssertionError("unreachable")


def _year_of(person: Person, year: int) -> YearFigures:
    found = figures([person.id], year)[person.id]
    if found.passed is None:
        raise WorkflowError(f"{year}年度尚未设置学时要求，不能打印证书")
    if not found.passed:
        raise WorkflowError(f"{person.name} {year}年度验证不通过（总学时{hours(found.total_hours)}），不能打印证书")
    return found


def certificate_for(person: Person, year: int, actor: Actor) -> Certificate:
    """打印: the 有效 certificate of the person-year, issued now if there is none."""
    _may_print(person, actor)
    current = valid_certificates([person.id], year).get(person.id)
    if current is not None:
        return current
    found = _year_of(person, year)
    try:
        certificate = _new_certificate(person, year, found, actor)
    except IntegrityError:  # another worker issued it a moment ago: print that one
        current = valid_certificates([person.id], year).get(person.id)
        if current is None:
            raise
        return current
    audit.record(AuditAction.ISSUE, obj=certificate, summary=f"打印证书：{certificate}",
                 after={"number": certificate.number, "status": CertificateStatus.VALID})
    return certificate


def regenerate(person: Person, year: int, actor: Actor) -> Certificate:
    """重新生成证书并打印: the 有效 certificate becomes 已作废, a new number is issued."""
    _may_print(person, actor)
    found = _year_of(person, year)
    current = valid_certificates([person.id], year).get(person.id)
    if current is not None:
        voided = db.session.execute(
            update(Certificate)
            .where(Certificate.id == current.id, Certificate.status == CertificateStatus.VALID)
            .values(status=CertificateStatus.VOID, voided_at=utcnow())
            .execution_options(synchronize_session="fetch")
        ).rowcount
        if voided != 1:
            raise WorkflowError("该证书刚被他人重新生成或撤销，请刷新后再试")
    try:
        certificate = _new_certificate(person, year, found, actor)
    except IntegrityError:
        raise WorkflowError("该证书刚被他人重新生成，请刷新后再试") from None
    audit.record(
        AuditAction.ISSUE, obj=certificate,
        summary=f"重新生成证书：{certificate}" + (f"，作废{current.number}" if current else ""),
        before={"number": current.number} if current else None,
        after={"number": certificate.number, "status": CertificateStatus.VALID},
    )
    return certificate


def recount(person_ids: list[int], year: int) -> list[str]:
    """重新统计学时: the people whose 有效 certificate no longer matches their approved records."""
    now = figures(person_ids, year)
    stale = []
    for person_id, certificate in valid_certificates(person_ids, year).items():
        f = now.get(person_id)
        if f is None:
            continue
        printed = (certificate.public_hours, certificate.professional_hours, certificate.elective_hours,
                   certificate.total_hours)
        if printed != (f.public_hours, f.professional_hours, f.elective_hours, f.total_hours):
            stale.append(f"{certificate.holder_name}（证书{certificate.number}为{hours(certificate.total_hours)}学时，"
                         f"现为{hours(f.total_hours)}学时）")
    return stale


def revoke(certificate: Certificate, reason: str | None, actor: Actor) -> None:
    """撤销 by HR of the person's region, with a reason; the number then verifies as 已撤销."""
    if actor.kind != ActorKind.HR or not actor.can_use(MODULE):
        raise WorkflowError("只有人社部门可以撤销证书")
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("请填写撤销原因")
    if len(reason) > REASON_MAX:
        raise WorkflowError(f"撤销原因限{REASON_MAX}字")
    if db.session.scalar(select(Certificate.id).where(Certificate.id == certificate.id, visible(Certificate, actor))) is None:
        raise WorkflowError("该证书不在本部门管理范围内")
    changed = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.status == CertificateStatus.VALID)
        .values(status=CertificateStatus.REVOKED, revoked_at=utcnow(), revoked_reason=reason,
                revoked_by_org_id=actor.org_id)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        db.session.refresh(certificate)
        raise WorkflowError(f"证书状态为“{CertificateStatus.label(certificate.status)}”，不能撤销")
    audit.record(AuditAction.REVOKE_CERTIFICATE, obj=certificate, summary=f"撤销证书：{certificate}",
                 before={"status": CertificateStatus.VALID},
                 after={"status": CertificateStatus.REVOKED, "revoked_reason": reason})


# ---- public verification -------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """陈诗慧 → 陈*慧, 王新 → 王*."""
    if len(name) <= 2:
        return name[:1] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(number: str) -> str:
    """440106199008161223 → 440106********1223."""
    return number[:6] + "*" * max(len(number) - 10, 0) + number[-4:]


def by_number(number: str) -> Certificate | None:
    if not (number.isascii() and number.isdigit() and 14 <= len(number) <= 24):
        return None
    return db.session.scalar(select(Certificate).where(Certificate.number == number))

