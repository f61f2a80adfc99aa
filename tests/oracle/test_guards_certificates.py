"""继续教育证书 (workflows/certificates.py), called straight like test_guards_training.py.

What is guarded:
- Whose certificates an identity may print (`printable_people`, `_may_print`): a person only their own; a unit
  only its *confirmed* people (not those still waiting for its 确认, whom it sees); HR and industry
  departments the people of their scope; and only through the 证书打印 module of the identity's kind.
- 打印 issues a certificate once per person-year and only for a year whose 年度验证 passes; 重新生成 voids the
  有效 one and issues a new number.
- 撤销: only an HR department, only a certificate of a person of its scope, only a 有效 one, with a reason.
- What the pages read: `recount` (the 有效 certificates whose figures no longer match), `person_figures`,
  `by_number` (a well-formed number only) and the masks of `/verify`.

Run 10 found no oracle test that reached this module at all (only the demo's seeding printed). The world's
certificates are of 2025; printing in `YEAR` uses a 学时要求 and approved records the test adds, so the
demo's requirements decide nothing here. The calls run inside `acting(app)`: rolled back at its end.
"""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, CertificateStatus, RecordSource
from backoffice.models import Certificate, HourRequirement, Person, Record
from backoffice.workflows import WorkflowError
from backoffice.workflows.certificates import (
    YearFigures,
    by_number,
    certificate_for,
    mask_id,
    mask_name,
    person_figures,
    printable_people,
    recount,
    regenerate,
    revoke,
)
from world import acting, row, visible_keys

YEAR = 2098  # no demo row has this year: its 学时要求 and records are the tests' own
NO_MODULE = "您没有打印继续教育证书的权限"
OUT_OF_REACH = "该专业技术人员不在本单位管理范围内"
ONLY_HR = "只有人社部门可以撤销证书"


def _s(text: str) -> set[str]:
    return set(text.split())


def _refused(call, message: str) -> None:
    """The call raises WorkflowError with exactly this message."""
    with pytest.raises(WorkflowError) as caught:
        call()
    assert str(caught.value) == message


def _requirement() -> None:
    """YEAR's national 学时要求: 10 hours, no minimum per 科目类型."""
    db.session.add(HourRequirement(
        year=YEAR, region_code=None, series_id=None, total_hours=Decimal("10"), min_public_hours=Decimal("0"),
        min_professional_hours=Decimal("0"), min_elective_hours=Decimal("0"), entry_deadline=date(YEAR + 1, 1, 31),
    ))
    db.session.flush()


def _record(world, person: str, hours: str, course_type: str = "professional", status=ApplicationStatus.APPROVED,
            name: str | None = None) -> Record:
    record = Record(
        person_id=world.ids[person], course_type=course_type, course_name=name or f"or_cert_{person}_{course_type}",
        start_on=date(YEAR, 3, 1), end_on=date(YEAR, 3, 2), declared_hours=Decimal(hours),
        approved_hours=Decimal(hours) if status == ApplicationStatus.APPROVED else None, year=YEAR,
        source=RecordSource.PERSON, status=status,
    )
    db.session.add(record)
    db.session.flush()
    return record


def _valid(world, person: str, year: int) -> list[str]:
    return list(db.session.scalars(select(Certificate.number).where(
        Certificate.person_id == world.ids[person], Certificate.year == year,
        Certificate.status == CertificateStatus.VALID,
    )))


def _statuses(world) -> dict[str, str]:
    """The world's certificates' states, by number."""
    return dict(db.session.execute(select(Certificate.number, Certificate.status).where(
        Certificate.id.in_(list(world.keys[Certificate])))).all())


# ---- whose certificates -----------------------------------------------------------------------------


GZ1_CONFIRMED = _s("pe_gz1_ok pe_gz1_b pe_going")


@pytest.mark.parametrize(
    "who,expected",
    [
        ("p1", _s("pe_gz1_ok")),
        ("p2", _s("pe_sz_ok")),
        # a unit sees the people waiting for its 确认 (pe_gz1_wait, pe_rebound) and prints for none of them
        ("unit_gz1", GZ1_CONFIRMED),
        ("multi_gz1", GZ1_CONFIRMED),
        ("unit_sz", _s("pe_sz_ok pe_moved pe_sz_none")),
        ("unit_oc", _s("pe_unit_oc_ok")),
        # HR and industry departments: their scope, waiting people included
        ("hr_gz", _s("pe_gz1_ok pe_gz1_b pe_gz1_wait pe_going pe_gz2_ok pe_gz2_wait")),
        ("hr_sz", _s("pe_sz_ok pe_moved pe_rebound pe_sz_none")),
        ("ind_gz", _s("pe_gz1_ok pe_gz1_wait pe_going pe_gz2_ok")),
    ],
)
def test_whose_certificates_each_identity_may_print(app, world, who, expected):
    with acting(app):
        assert visible_keys(world, Person, printable_people(world.actors[who])) == expected


@pytest.mark.parametrize(
    "who,person,message,allowed",
    [
        # seen (waiting for the unit's 确认), not confirmed: HR of the region prints
        ("unit_gz1", "pe_gz1_wait", OUT_OF_REACH, "hr_gz"),
        ("unit_sz", "pe_rebound", OUT_OF_REACH, "hr_sz"),
        # another person of the same unit: the unit prints
        ("p1", "pe_gz1_b", OUT_OF_REACH, "unit_gz1"),
        # another region's HR; a department of another series: the person themself, their region's HR
        ("hr_sz", "pe_gz1_ok", OUT_OF_REACH, "p1"),
        ("ind_gz", "pe_gz1_b", OUT_OF_REACH, "hr_gz"),
        # the person's own unit, through a role without 证书打印: the unit's super admin; the department of
        # the person's series
        ("multi_gz1", "pe_gz1_ok", NO_MODULE, "ind_gz"),
        # an institution (no 证书打印 for its kind) that enrolled the person: the person
        ("inst_p", "pe_sz_ok", NO_MODULE, "p2"),
    ],
)
def test_a_certificate_is_printed_only_for_a_person_in_reach(app, world, who, person, message, allowed):
    """Both 打印 and 重新生成 are refused — of the world's 2025 certificate and of a year that passes — and
    nothing is issued or voided; the identity that may prints the passing year."""
    with acting(app):
        _requirement()
        _record(world, person, "12")
        target, actor = row(world, Person, person), world.actors[who]
        before = _statuses(world)
        for year in (2025, YEAR):
            _refused(lambda: certificate_for(target, year, actor), message)
            _refused(lambda: regenerate(target, year, actor), message)
        assert _statuses(world) == before
        assert _valid(world, person, YEAR) == []

        issued = certificate_for(target, YEAR, world.actors[allowed])
        assert (issued.person_id, issued.year, issued.status, issued.total_hours) == (
            world.ids[person], YEAR, CertificateStatus.VALID, Decimal("12"))
        assert _valid(world, person, YEAR) == [issued.number]


# ---- 打印 and 重新生成 ---------------------------------------------------------------------------


def test_printing_issues_once_and_regenerating_voids_the_old_number(app, world):
    with acting(app):
        _requirement()
        _record(world, "pe_gz1_ok", "12")
        _record(world, "pe_gz1_ok", "6", status=ApplicationStatus.PENDING, name="or_cert_waiting")  # counts nowhere
        person = row(world, Person, "pe_gz1_ok")
        first = certificate_for(person, YEAR, world.actors["unit_gz1"])
        assert (
            first.person_id, first.year, first.holder_name, first.id_number, first.series_name,
            first.public_courses, first.public_hours, first.professional_courses, first.professional_hours,
            first.elective_courses, first.elective_hours, first.total_hours, first.passed, first.status,
            first.issued_by_org_id, first.issued_by_user_id,
        ) == (
            person.id, YEAR, "pe_gz1_ok", person.id_number, "神谕甲系列", 0, Decimal("0"), 1, Decimal("12"), 0,
            Decimal("0"), Decimal("12"), True, CertificateStatus.VALID, world.ids["or_unit_gz1"],
            world.ids["u_unit_gz1"],
        )
        assert len(first.number) == 18 and first.number.startswith(str(YEAR)) and first.number.isdigit()
        # printed again, by the person this time: the same certificate
        assert certificate_for(person, YEAR, world.actors["p1"]).id == first.id
        assert _valid(world, "pe_gz1_ok", YEAR) == [first.number]

        second = regenerate(person, YEAR, world.actors["hr_gz"])
        db.session.refresh(first)
        assert (first.status, first.voided_at is not None) == (CertificateStatus.VOID, True)
        assert (second.status, second.issued_by_org_id, second.total_hours) == (
            CertificateStatus.VALID, world.ids["or_hr_gz"], Decimal("12"))
        assert second.number != first.number
        assert _valid(world, "pe_gz1_ok", YEAR) == [second.number]


def test_a_year_that_does_not_pass_prints_nothing(app, world):
    """No 学时要求 for the year, too few hours: 打印 is refused. Hours that no longer pass after the
    certificate was printed: 重新生成 is refused and the 有效 certificate stays as it was."""
    with acting(app):
        unit = world.actors["unit_gz1"]
        person = row(world, Person, "pe_gz1_ok")
        _refused(lambda: certificate_for(person, YEAR, unit), f"{YEAR}年度尚未设置学时要求，不能打印证书")
        _requirement()
        record = _record(world, "pe_gz1_ok", "6")
        _refused(lambda: certificate_for(person, YEAR, unit), f"pe_gz1_ok {YEAR}年度验证不通过（总学时6），不能打印证书")
        assert _valid(world, "pe_gz1_ok", YEAR) == []

        record.approved_hours = record.declared_hours = Decimal("10")  # exactly the requirement
        db.session.flush()
        printed = certificate_for(person, YEAR, unit)
        record.status, record.approved_hours = ApplicationStatus.RETURNED, None
        db.session.flush()
        _refused(lambda: regenerate(person, YEAR, unit), f"pe_gz1_ok {YEAR}年度验证不通过（总学时0），不能打印证书")
        db.session.refresh(printed)
        assert printed.status == CertificateStatus.VALID
        assert _valid(world, "pe_gz1_ok", YEAR) == [printed.number]
        # 打印 prints the 有效 certificate as it was issued; only 重新生成 judges the year again
        assert certificate_for(person, YEAR, unit).id == printed.id


def test_the_issuer_is_the_hr_of_the_persons_province(app, world):
    """发证机关: the approved province-level HR of the province the person's unit lies in — for 神谕市's unit,
    神谕省's HR department, the only one there."""
    with acting(app):
        _requirement()
        _record(world, "pe_unit_oc_ok", "12")
        printed = certificate_for(row(world, Person, "pe_unit_oc_ok"), YEAR, world.actors["unit_oc"])
        assert printed.issuer_name == "or_hr_o"


# ---- 撤销 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,reason,message",
    [
        # they see the certificate (CERTIFICATE in test_scope_oracle.py) and may print it, not revoke it
        ("unit_gz1", "证书信息有误", ONLY_HR),
        ("ind_gz", "证书信息有误", ONLY_HR),
        ("p1", "证书信息有误", ONLY_HR),
        # an HR department outside the person's region
        ("hr_sz", "证书信息有误", "该证书不在本部门管理范围内"),
        # the HR that may, without a reason or with too long a one
        ("hr_gz", "   ", "请填写撤销原因"),
        ("hr_gz", "因" * 201, "撤销原因限200字"),
    ],
)
def test_only_the_hr_of_the_persons_region_revokes(app, world, who, reason, message):
    with acting(app):
        certificate = row(world, Certificate, "20250000000001")
        before = _statuses(world)
        _refused(lambda: revoke(certificate, reason, world.actors[who]), message)
        assert _statuses(world) == before

        revoke(certificate, " 证书信息有误 ", world.actors["hr_gz"])
        db.session.refresh(certificate)
        assert (certificate.status, certificate.revoked_reason, certificate.revoked_by_org_id) == (
            CertificateStatus.REVOKED, "证书信息有误", world.ids["or_hr_gz"])
        assert certificate.revoked_at is not None
        assert _statuses(world) == before | {"20250000000001": CertificateStatus.REVOKED}


def test_only_a_valid_certificate_is_revoked(app, world):
    """20250000000002 is 已作废 (its holder's is 广州's); 20250000000001 is revoked once, with a reason of
    exactly 200 characters, then refused again."""
    with acting(app):
        hr = world.actors["hr_gz"]
        void = row(world, Certificate, "20250000000002")
        _refused(lambda: revoke(void, "证书信息有误", hr), "证书状态为“已作废”，不能撤销")
        valid = row(world, Certificate, "20250000000001")
        revoke(valid, "因" * 200, hr)
        _refused(lambda: revoke(valid, "证书信息有误", hr), "证书状态为“已撤销”，不能撤销")
        db.session.refresh(valid)
        db.session.refresh(void)
        assert (valid.status, valid.revoked_reason, void.status) == (
            CertificateStatus.REVOKED, "因" * 200, CertificateStatus.VOID)


# ---- what the pages read ---------------------------------------------------------------------------


def test_recount_names_the_valid_certificates_that_no_longer_match(app, world):
    with acting(app):
        # the world's 2025 certificates say 90 hours; nobody has an approved record of 2025 in the world:
        # both 有效 ones are stale, the 已作废 one (pe_gz2_ok's) is not looked at
        assert sorted(recount([world.ids[k] for k in ("pe_gz1_ok", "pe_gz2_ok", "pe_released", "pe_gz1_b")], 2025)) == [
            "pe_gz1_ok（证书20250000000001为90学时，现为0学时）",
            "pe_released（证书20250000000004为90学时，现为0学时）",
        ]
        _requirement()
        _record(world, "pe_gz1_ok", "12")
        printed = certificate_for(row(world, Person, "pe_gz1_ok"), YEAR, world.actors["unit_gz1"])
        people = [world.ids["pe_gz1_ok"], world.ids["pe_gz1_b"]]
        assert recount(people, YEAR) == []
        _record(world, "pe_gz1_ok", "6", course_type="public")
        assert recount(people, YEAR) == [f"pe_gz1_ok（证书{printed.number}为12学时，现为18学时）"]


def test_a_persons_years_count_only_their_approved_records(app, world):
    """person_figures: 门数 and 学时 of the person's approved records of each year (not another person's, not a
    record still waiting), the year's 年度验证 (None: no 学时要求), and the year's 有效 certificate only."""
    with acting(app):
        _requirement()
        _record(world, "pe_gz1_ok", "12")
        _record(world, "pe_gz1_ok", "4", course_type="elective", status=ApplicationStatus.PENDING)
        _record(world, "pe_gz1_b", "30", course_type="public")
        printed = certificate_for(row(world, Person, "pe_gz1_ok"), YEAR, world.actors["unit_gz1"])
        found = person_figures(world.ids["pe_gz1_ok"], [YEAR - 1, YEAR])
        zero = Decimal("0")
        assert found == {
            YEAR - 1: (YearFigures(0, zero, 0, zero, 0, zero, zero, None), None),
            YEAR: (YearFigures(0, zero, 1, Decimal("12"), 0, zero, Decimal("12"), True), printed),
        }
        assert person_figures(world.ids["pe_gz1_ok"], []) == {}
        assert person_figures(world.ids["pe_gz1_ok"], [2025])[2025][1].number == "20250000000001"
        assert person_figures(world.ids["pe_gz2_ok"], [2025])[2025][1] is None  # 已作废


def test_verify_reads_only_a_well_formed_number(app, world):
    """`/verify`: 14 to 24 ASCII digits, nothing else is looked up."""
    with acting(app):
        assert by_number("20250000000001").number == "20250000000001"  # 14 digits, the shortest
        longest = "2025" + "0" * 19 + "7"
        db.session.add(Certificate(
            number=longest, person_id=world.ids["pe_gz1_ok"], year=2024, holder_name="pe_gz1_ok",
            id_number="ORC000000000000000", total_hours=Decimal("90"), passed=True, issuer_name="神谕人社厅",
        ))
        db.session.flush()
        assert by_number(longest).number == longest
        for malformed in ("2025000000001", "2025000000000１", "2025000000000A", " 20250000000001", "", longest + "0"):
            assert by_number(malformed) is None, malformed
        assert by_number("20250000000009") is None  # well-formed, never issued


@pytest.mark.parametrize(
    "name,masked",
    [("陈诗慧", "陈*慧"), ("王新", "王*"), ("李", "李*"), ("欧阳娜娜", "欧**娜")],
)
def test_a_verified_name_is_masked(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    "number,masked",
    [("440106199008161223", "440106********1223"), ("44010619900816", "440106****0816"),
     ("1234567890", "1234567890")],
)
def test_a_verified_id_number_is_masked(number, masked):
    assert mask_id(number) == masked
