"""Where a 继续教育记录 goes (workflows/record_routing.py), reached through 送审 and 认定 like the screens
reach it (declarations.submit_record, decide) and called straight where a value is the point:

- `person_unit`: only a unit the person is CONFIRMED at recognises their records; a person bound to a unit
  but still waiting there (or bound nowhere) has no unit, and their record is refused at 送审;
- `chain`: the province rule's steps — the unit alone (Guangdong), or the unit then its region's HR (a
  province set to `unit_then_hr`, Henan); two steps with the same organisation are one;
- `next_step`: after 同意 at the step a record waits at, the next step's reviewer, or nothing after the
  last — a record waiting without a `review_step` (rows written before the column) is at the first step.

The world's 神谕省 rule (orc_rule) keeps the default chain; tests that need Henan's set it inside
`acting(app)`. The calls run inside `acting(app)`: rolled back at its end, so the module's world stays
as built.
"""
import re
from datetime import date
from decimal import Decimal

import pytest

from backoffice import provinces
from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, BindingStatus, RecordChain, RecordSource, ReviewResult
from backoffice.models import Organisation, Person, ProvinceRule, Record
from backoffice.models.base import utcnow
from backoffice.workflows import record_routing as routing
from backoffice.workflows.declarations import decide, submit_record
from backoffice.workflows.review import ReviewError
from world import acting, row

NO_UNIT = "{}尚未确认到工作单位，没有可认定学时的单位，暂不能送审"


def _record(world, person: str, *, declarer: str | None, status=ApplicationStatus.DRAFT, reviewer: str | None = None,
            step: str | None = None) -> Record:
    """A new record of `person`: a draft its employer `declarer` wrote, or one already waiting at `reviewer`."""
    record = Record(
        person_id=world.ids[person], course_type="professional", course_name=f"or_{person}", start_on=date(2026, 3, 1),
        end_on=date(2026, 3, 1), declared_hours=Decimal("6"), year=2026,
        source=RecordSource.UNIT if declarer else RecordSource.PERSON, status=status,
        declared_by_org_id=world.ids[declarer] if declarer else None,
        reviewer_org_id=world.ids[reviewer] if reviewer else None, review_step=step,
        submitted_at=None if status == ApplicationStatus.DRAFT else utcnow(),
    )
    db.session.add(record)
    db.session.flush()
    return record


def _henan_chain(world) -> None:
    """神谕省 recognises records as Henan does: the unit, then its region's HR."""
    row(world, ProvinceRule, "orc_rule").record_chain = RecordChain.UNIT_THEN_HR
    db.session.flush()
    provinces.forget()


def _steps(world, record: Record) -> list[tuple[str, str]]:
    names = world.keys[Organisation]
    return [(step.key, names[step.org.id]) for step in routing.chain(record)]


# ---- person_unit: a confirmed binding, nothing less ------------------------------------------------


@pytest.mark.parametrize(
    "person,declarer,who,binding",
    [
        ("pe_gz1_wait", "or_unit_gz1", "unit_gz1", None),  # bound to 广州 unit 1, which has not confirmed them
        ("pe_rebound", "or_unit_sz", "unit_sz", None),  # re-bound to 深圳 by the helpdesk, waiting there
        ("pe_released", "or_unit_gz1", "unit_gz1", None),  # released: bound nowhere
        ("pe_none", "or_unit_gz1", "unit_gz1", None),  # never bound
        # a binding left 已确认 without its unit (old data; no constraint forbids it): no unit either
        ("pe_released", "or_unit_gz1", "unit_gz1", BindingStatus.CONFIRMED),
    ],
)
def test_a_record_of_a_person_not_confirmed_at_a_unit_is_not_submitted(app, world, person, declarer, who, binding):
    """The unit's draft for someone it has not confirmed is refused at 送审 and stays a draft routed nowhere
    (run 10's `person_unit` 1: a pending binding must not send the record to that unit); the same unit's
    draft for its confirmed pe_gz1_ok / pe_sz_ok is its own 确认, approved at once."""
    with acting(app):
        if binding is not None:
            row(world, Person, person).binding_status = binding
        record = _record(world, person, declarer=declarer)
        with pytest.raises(ReviewError, match=re.escape(NO_UNIT.format(person))):
            submit_record(record, world.actors[who])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.review_step) == (ApplicationStatus.DRAFT, None, None)

        confirmed = _record(world, {"or_unit_gz1": "pe_gz1_ok", "or_unit_sz": "pe_sz_ok"}[declarer], declarer=declarer)
        assert submit_record(confirmed, world.actors[who]) == "已确认，学时已认定"
        db.session.refresh(confirmed)
        assert (confirmed.status, confirmed.approved_hours) == (ApplicationStatus.APPROVED, Decimal("6"))


def test_a_persons_own_record_goes_to_the_unit_they_are_confirmed_at(app, world):
    """p1 (pe_gz1_ok, confirmed at 广州 unit 1) 送审s its draft: it waits at that unit, first step."""
    with acting(app):
        record = row(world, Record, "rc_p1_draft")
        assert submit_record(record, world.actors["p1"]) == "已送审，审核单位：or_unit_gz1"
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.review_step) == (
            ApplicationStatus.PENDING, world.ids["or_unit_gz1"], routing.UNIT)


# ---- chain: the province's steps, one organisation once -------------------------------------------


def test_the_chain_follows_the_province_rule(app, world):
    with acting(app):
        # Guangdong (no rule row): the unit alone
        assert _steps(world, row(world, Record, "rc_p1_self")) == [(routing.UNIT, "or_unit_gz1")]
        # 神谕省 as built: the default chain too
        assert _steps(world, row(world, Record, "rc_unit_oc_hr")) == [(routing.UNIT, "or_unit_oc")]

        _henan_chain(world)
        assert _steps(world, row(world, Record, "rc_unit_oc_hr")) == [
            (routing.UNIT, "or_unit_oc"), (routing.REGION_HR, "or_hr_oc")]
        # the city HR's own staff: its 认定 and the region HR's 审批 are the same organisation, one step
        assert _steps(world, row(world, Record, "rc_hr_oc_draft")) == [(routing.UNIT, "or_hr_oc")]
        # 神谕市's institution's staff member: the institution, then the city HR
        assert _steps(world, row(world, Record, "rc_inst_oc_staff")) == [
            (routing.UNIT, "or_inst_oc"), (routing.REGION_HR, "or_hr_oc")]


def test_a_chain_without_an_hr_in_the_region_is_refused(app, world):
    """Henan's chain needs an approved HR at or above the unit's region: with neither 神谕市's nor 神谕省's
    approved, a unit's record cannot be sent on."""
    with acting(app):
        _henan_chain(world)
        for key in ("or_hr_oc", "or_hr_o"):
            row(world, Organisation, key).status = ApplicationStatus.PENDING
        db.session.flush()
        with pytest.raises(ReviewError, match=re.escape("所在地区没有已开通的人社部门，暂不能送审，请联系上级人社部门")):
            routing.chain(row(world, Record, "rc_unit_oc_hr"))
        # the province HR alone is enough: the nearest approved one above
        row(world, Organisation, "or_hr_o").status = ApplicationStatus.APPROVED
        db.session.flush()
        assert _steps(world, row(world, Record, "rc_unit_oc_hr")) == [
            (routing.UNIT, "or_unit_oc"), (routing.REGION_HR, "or_hr_o")]


# ---- next_step: after 同意, the next reviewer or none ----------------------------------------------


@pytest.mark.parametrize(
    "step,expected",
    [
        (None, {"reviewer_org_id": "or_hr_oc", "review_step": routing.REGION_HR}),  # no step written: the first
        (routing.UNIT, {"reviewer_org_id": "or_hr_oc", "review_step": routing.REGION_HR}),
        (routing.REGION_HR, None),  # the last step
    ],
)
def test_next_step_after_each_step_of_a_two_step_chain(app, world, step, expected):
    """Run 10's `next_step` 10: a record waiting with no `review_step` is at the first step, not the
    second (else it would end at the unit without the HR's 审批)."""
    with acting(app):
        _henan_chain(world)
        record = _record(world, "pe_unit_oc_ok", declarer=None, status=ApplicationStatus.PENDING,
                         reviewer="or_unit_oc" if step != routing.REGION_HR else "or_hr_oc", step=step)
        if expected is not None:
            expected = expected | {"reviewer_org_id": world.ids[expected["reviewer_org_id"]]}
        assert routing.next_step(record) == expected
        assert routing.step_name(record) == routing.STEP_NAMES[step or routing.UNIT]


def test_a_one_step_chain_ends_at_its_step(app, world):
    with acting(app):
        assert routing.next_step(row(world, Record, "rc_p1_self")) is None
        _henan_chain(world)
        own_staff = _record(world, "pe_hr_oc_ok", declarer=None, status=ApplicationStatus.PENDING, reviewer="or_hr_oc")
        assert routing.next_step(own_staff) is None


def test_a_record_without_its_step_is_approved_on_to_the_hr(app, world):
    """Through 认定: 神谕市's unit approves such a record (no `review_step`), it goes on to 神谕市's HR at the
    second step, and the HR's 同意 ends it."""
    with acting(app):
        _henan_chain(world)
        record = _record(world, "pe_unit_oc_ok", declarer=None, status=ApplicationStatus.PENDING, reviewer="or_unit_oc")
        decide(record, ReviewResult.APPROVE, None, "5", world.actors["unit_oc"])
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.review_step, record.approved_hours) == (
            ApplicationStatus.PENDING, world.ids["or_hr_oc"], routing.REGION_HR, Decimal("5"))

        decide(record, ReviewResult.APPROVE, None, None, world.actors["hr_oc"])
        db.session.refresh(record)
        assert (record.status, record.approved_hours) == (ApplicationStatus.APPROVED, Decimal("5"))
