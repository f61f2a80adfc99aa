"""继续教育证书, the rows themselves (workflows/certificates.py): what a printed certificate carries, the
number it gets, its 发证机关, the 操作日志 rows of 打印 / 重新生成 / 撤销, and what happens when another
worker got there first.

test_guards_certificates.py says who may print and revoke; this file says what is written when they do.
Mutation run 11 left these alive: figures equal to the columns' defaults (no 公需 or 选修 course), no audit
row read back, a person with a unit and a 专业系列, and no race. The races are played by making one read
stale (`_stale_reads`), as a second worker's commit between two statements would. Everything runs inside
`acting(app)`: rolled back at its end.
"""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, AuditAction, BindingStatus, CertificateStatus, OrgKind, RecordSource
from backoffice.labels import RegionLevel
from backoffice.models import AuditLog, Certificate, HourRequirement, Organisation, Person, Record
from backoffice.workflows import WorkflowError
from backoffice.workflows import certificates
from backoffice.workflows.certificates import (
    ISSUER_FALLBACK,
    YearFigures,
    by_number,
    certificate_for,
    course_counts,
    person_figures,
    regenerate,
    revoke,
    valid_certificates,
)
from world import acting, row

YEAR = 2098  # no demo row has this year: its 学时要求 and records are the tests' own
TAKEN = "20250000000001"  # a world certificate's number


def _requirement(year: int = YEAR) -> None:
    """The year's national 学时要求: 10 hours, no minimum per 科目类型."""
    db.session.add(HourRequirement(
        year=year, region_code=None, series_id=None, total_hours=Decimal("10"), min_public_hours=Decimal("0"),
        min_professional_hours=Decimal("0"), min_elective_hours=Decimal("0"), entry_deadline=date(year + 1, 1, 31),
    ))
    db.session.flush()


def _records(world, person: str, course_type: str, *hours: str, year: int = YEAR,
             status=ApplicationStatus.APPROVED) -> None:
    for n, h in enumerate(hours):
        db.session.add(Record(
            person_id=world.ids[person], course_type=course_type, course_name=f"or_rows_{person}_{course_type}_{year}_{status}_{n}",
            start_on=date(year, 3, 1), end_on=date(year, 3, 2), declared_hours=Decimal(h),
            approved_hours=Decimal(h) if status == ApplicationStatus.APPROVED else None, year=year,
            source=RecordSource.PERSON, status=status,
        ))
    db.session.flush()


def _passing(world, person: str = "pe_gz1_ok") -> Person:
    _requirement()
    _records(world, person, "professional", "12")
    return row(world, Person, person)


def _logged(action: str, certificate: Certificate) -> list[tuple]:
    """The 操作日志 rows of this action about this certificate: (summary, before, after)."""
    return [
        (log.summary, log.before, log.after)
        for log in db.session.scalars(select(AuditLog).where(
            AuditLog.action == action, AuditLog.object_type == "certificate",
            AuditLog.object_id == str(certificate.id),
        ).order_by(AuditLog.id))
    ]


def _valid(person: Person, year: int = YEAR) -> list[str]:
    return list(db.session.scalars(select(Certificate.number).where(
        Certificate.person_id == person.id, Certificate.year == year, Certificate.status == CertificateStatus.VALID,
    )))


def _counting_numbers(monkeypatch, first: list[str] = ()) -> list[str]:
    """Every number drawn, in order; the first ones forced to `first` (numbers already issued)."""
    real, drawn, forced = certificates._number, [], list(first)

    def draw(year):
        drawn.append(forced.pop(0) if forced else real(year))
        return drawn[-1]

    monkeypatch.setattr(certificates, "_number", draw)
    return drawn


def _stale_reads(monkeypatch, stale) -> None:
    """The first look for the 有效 certificate returns `stale(real answer)`: what a worker reads just before
    another worker's commit; the later looks read the database."""
    real, calls = certificates.valid_certificates, []

    def read(person_ids, year):
        calls.append(year)
        found = real(person_ids, year)
        return stale(found) if len(calls) == 1 else found

    monkeypatch.setattr(certificates, "valid_certificates", read)


# ---- what a certificate carries ----------------------------------------------------------------------


def test_a_certificate_carries_the_years_courses_and_hours_per_course_type(app, world):
    """门数 and 学时 of each 科目类型 of the person's approved records of the year: not a record still waiting,
    not last year's, not another person's."""
    with acting(app):
        _requirement()
        _records(world, "pe_gz1_ok", "public", "3", "4")
        _records(world, "pe_gz1_ok", "professional", "5")
        _records(world, "pe_gz1_ok", "elective", "1", "1.5", "0.5")
        _records(world, "pe_gz1_ok", "public", "8", status=ApplicationStatus.PENDING)
        _records(world, "pe_gz1_ok", "elective", "9", year=YEAR - 1)
        _records(world, "pe_gz1_b", "professional", "20", "30")
        printed = certificate_for(row(world, Person, "pe_gz1_ok"), YEAR, world.actors["unit_gz1"])
        assert (
            printed.public_courses, printed.public_hours, printed.professional_courses, printed.professional_hours,
            printed.elective_courses, printed.elective_hours, printed.total_hours, printed.passed,
        ) == (2, Decimal("7"), 1, Decimal("5"), 3, Decimal("3"), Decimal("15"), True)
        db.session.expire(printed)  # as stored
        assert (printed.public_courses, printed.elective_courses, printed.elective_hours, printed.status) == (
            2, 3, Decimal("3"), CertificateStatus.VALID)


def test_course_counts_are_per_person_and_course_type(app, world):
    with acting(app):
        _records(world, "pe_gz1_ok", "public", "3", "4")
        _records(world, "pe_gz1_ok", "professional", "5")
        _records(world, "pe_gz1_ok", "elective", "1", status=ApplicationStatus.PENDING)
        _records(world, "pe_gz1_ok", "elective", "9", year=YEAR - 1)
        _records(world, "pe_gz1_b", "professional", "20", "30", "40")
        ok, b = world.ids["pe_gz1_ok"], world.ids["pe_gz1_b"]
        assert course_counts([ok, b], YEAR) == {ok: {"public": 2, "professional": 1}, b: {"professional": 3}}
        assert course_counts([ok], YEAR) == {ok: {"public": 2, "professional": 1}}


def test_a_persons_years_are_counted_year_by_year(app, world):
    with acting(app):
        _requirement()
        _requirement(YEAR - 1)
        _records(world, "pe_gz1_ok", "public", "3", "4", year=YEAR - 1)
        _records(world, "pe_gz1_ok", "elective", "6", year=YEAR - 1)
        _records(world, "pe_gz1_ok", "public", "5")
        _records(world, "pe_gz1_ok", "professional", "6", "7")
        zero = Decimal("0")
        assert person_figures(world.ids["pe_gz1_ok"], [YEAR - 1, YEAR]) == {
            YEAR - 1: (YearFigures(2, Decimal("7"), 0, zero, 1, Decimal("6"), Decimal("13"), True), None),
            YEAR: (YearFigures(1, Decimal("5"), 2, Decimal("13"), 0, zero, Decimal("18"), True), None),
        }


def test_without_a_unit_or_a_series_the_certificate_says_so(app, world):
    """A person released by their unit prints their own: no 专业系列 on it, the system as 发证机关."""
    with acting(app):
        person = _passing(world)
        person.unit_id, person.series_id, person.binding_status = None, None, BindingStatus.RELEASED
        db.session.flush()
        printed = certificate_for(person, YEAR, world.actors["p1"])
        assert (printed.series_name, printed.issuer_name, printed.holder_name) == (None, ISSUER_FALLBACK, "pe_gz1_ok")


def test_the_issuer_is_only_an_approved_province_level_hr_department(app, world):
    """神谕省's HR department still waiting for approval: not its industry department, not an HR department
    of 市级 隶属关系 registered in the province's region — the system signs."""
    with acting(app):
        hr = row(world, Organisation, "or_hr_o")
        hr.status = ApplicationStatus.PENDING
        db.session.add(Organisation(
            kind=OrgKind.HR, name="or_rows_city_hr", code="ORCROWS000000001", level=RegionLevel.CITY,
            region_code=hr.region_code, status=ApplicationStatus.APPROVED,
        ))
        db.session.flush()
        printed = certificate_for(_passing(world, "pe_unit_oc_ok"), YEAR, world.actors["unit_oc"])
        assert printed.issuer_name == ISSUER_FALLBACK


# ---- the number ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("drawn,number", [(lambda n: n - 1, f"{YEAR}99999999999999"), (lambda n: 0, f"{YEAR}00000000000000")])
def test_the_number_is_the_year_and_fourteen_random_digits(app, world, monkeypatch, drawn, number):
    """The whole range of 14 digits is drawn from: the highest and the lowest draw."""
    with acting(app):
        person = _passing(world)
        monkeypatch.setattr(certificates.secrets, "randbelow", drawn)
        assert certificate_for(person, YEAR, world.actors["unit_gz1"]).number == number


def test_a_number_already_issued_is_drawn_again(app, world, monkeypatch):
    with acting(app):
        person = _passing(world)
        drawn = _counting_numbers(monkeypatch, first=[TAKEN])
        printed = certificate_for(person, YEAR, world.actors["unit_gz1"])
        assert drawn == [TAKEN, printed.number] and printed.number != TAKEN
        assert _valid(person) == [printed.number]


def test_five_numbers_already_issued_give_up(app, world, monkeypatch):
    """Five draws, all taken: the database's refusal reaches the caller and nothing is issued."""
    with acting(app):
        person = _passing(world)
        drawn = _counting_numbers(monkeypatch, first=[TAKEN] * 6)
        with pytest.raises(IntegrityError):
            certificate_for(person, YEAR, world.actors["unit_gz1"])
        assert drawn == [TAKEN] * 5
        assert _valid(person) == []


# ---- 打印 ---------------------------------------------------------------------------------------------


def test_printing_writes_one_issue_row(app, world):
    with acting(app):
        person = _passing(world)
        printed = certificate_for(person, YEAR, world.actors["unit_gz1"])
        assert _logged(AuditAction.ISSUE, printed) == [(
            f"打印证书：pe_gz1_ok {YEAR}年继续教育证书（{printed.number}）", None,
            {"number": printed.number, "status": "valid"},
        )]
        certificate_for(person, YEAR, world.actors["p1"])  # printed again: nothing issued, nothing logged
        assert len(_logged(AuditAction.ISSUE, printed)) == 1


def test_printing_as_another_worker_issues_prints_theirs(app, world, monkeypatch):
    """The 有效 certificate was not there when looked for, and is when inserting: the other worker's is
    printed, after one draw, and nothing more is written."""
    with acting(app):
        person = _passing(world)
        theirs = certificate_for(person, YEAR, world.actors["hr_gz"])
        _stale_reads(monkeypatch, lambda found: {})
        drawn = _counting_numbers(monkeypatch)
        assert certificate_for(person, YEAR, world.actors["unit_gz1"]).id == theirs.id
        assert len(drawn) == 1
        assert _valid(person) == [theirs.number]
        assert len(_logged(AuditAction.ISSUE, theirs)) == 1


# ---- 重新生成 -----------------------------------------------------------------------------------------


def test_regenerating_voids_the_old_number_and_logs_both(app, world):
    with acting(app):
        person = _passing(world)
        first = certificate_for(person, YEAR, world.actors["unit_gz1"])
        second = regenerate(person, YEAR, world.actors["hr_gz"])
        # the session's copy of the old certificate says so too (the page shows it next)
        assert (first.status, first.voided_at is not None) == (CertificateStatus.VOID, True)
        assert _logged(AuditAction.ISSUE, second) == [(
            f"重新生成证书：pe_gz1_ok {YEAR}年继续教育证书（{second.number}），作废{first.number}",
            {"number": first.number}, {"number": second.number, "status": "valid"},
        )]
        assert _valid(person) == [second.number]


def test_regenerating_without_a_valid_certificate_issues_one(app, world):
    with acting(app):
        person = _passing(world)
        issued = regenerate(person, YEAR, world.actors["unit_gz1"])
        assert _logged(AuditAction.ISSUE, issued) == [(
            f"重新生成证书：pe_gz1_ok {YEAR}年继续教育证书（{issued.number}）", None,
            {"number": issued.number, "status": "valid"},
        )]
        assert _valid(person) == [issued.number]


def test_regenerating_a_certificate_revoked_meanwhile_is_refused(app, world, monkeypatch):
    """HR revoked it between the read and the void: it stays 已撤销 and nothing is issued."""
    with acting(app):
        person = _passing(world)
        printed = certificate_for(person, YEAR, world.actors["unit_gz1"])

        def revoked_meanwhile(found):
            db.session.execute(update(Certificate).where(Certificate.id == printed.id).values(
                status=CertificateStatus.REVOKED).execution_options(synchronize_session=False))
            return found

        _stale_reads(monkeypatch, revoked_meanwhile)
        with pytest.raises(WorkflowError) as caught:
            regenerate(person, YEAR, world.actors["unit_gz1"])
        assert str(caught.value) == "该证书刚被他人重新生成或撤销，请刷新后再试"
        assert db.session.execute(select(Certificate.status, Certificate.voided_at).where(
            Certificate.person_id == person.id, Certificate.year == YEAR)).all() == [(CertificateStatus.REVOKED, None)]


def test_regenerating_as_another_worker_issues_is_refused(app, world, monkeypatch):
    """Their new 有效 certificate appeared after the read: theirs stays, ours is not issued."""
    with acting(app):
        person = _passing(world)
        theirs = certificate_for(person, YEAR, world.actors["hr_gz"])
        _stale_reads(monkeypatch, lambda found: {})
        drawn = _counting_numbers(monkeypatch)
        with pytest.raises(WorkflowError) as caught:
            regenerate(person, YEAR, world.actors["unit_gz1"])
        assert str(caught.value) == "该证书刚被他人重新生成，请刷新后再试"
        assert len(drawn) == 1
        assert _valid(person) == [theirs.number]
        assert db.session.scalar(select(Certificate.status).where(Certificate.id == theirs.id)) == CertificateStatus.VALID


# ---- 撤销 ---------------------------------------------------------------------------------------------


def test_revoking_writes_the_reason_and_one_row(app, world):
    with acting(app):
        certificate = row(world, Certificate, TAKEN)
        revoke(certificate, " 证书信息有误 ", world.actors["hr_gz"])
        # the session's copy says so without a refresh (the page shows it next)
        assert (certificate.status, certificate.revoked_reason) == (CertificateStatus.REVOKED, "证书信息有误")
        assert _logged(AuditAction.REVOKE_CERTIFICATE, certificate) == [(
            f"撤销证书：pe_gz1_ok 2025年继续教育证书（{TAKEN}）", {"status": "valid"},
            {"status": "revoked", "revoked_reason": "证书信息有误"},
        )]


def test_revoking_without_any_reason_is_refused(app, world):
    with acting(app):
        certificate = row(world, Certificate, TAKEN)
        with pytest.raises(WorkflowError) as caught:
            revoke(certificate, None, world.actors["hr_gz"])
        assert str(caught.value) == "请填写撤销原因"
        assert db.session.scalar(select(Certificate.status).where(Certificate.number == TAKEN)) == CertificateStatus.VALID


# ---- what the pages read ------------------------------------------------------------------------------


def test_valid_certificates_are_those_of_the_people_asked(app, world):
    with acting(app):
        ok = world.ids["pe_gz1_ok"]
        found = valid_certificates([ok, world.ids["pe_gz2_ok"]], 2025)  # pe_gz2_ok's is 已作废
        assert {person: c.number for person, c in found.items()} == {ok: TAKEN}


def test_verify_looks_up_no_malformed_number(app, world):
    """Even a row holding a malformed number is not found by it."""
    with acting(app):
        for number in ("2025000000000A", "2025000"):
            db.session.add(Certificate(
                number=number, person_id=world.ids["pe_gz1_b"], year=2024, holder_name="pe_gz1_b",
                id_number="ORC000000000000001", total_hours=Decimal("90"), passed=True, issuer_name="神谕人社厅",
                status=CertificateStatus.VOID,
            ))
            db.session.flush()
            assert by_number(number) is None, number
