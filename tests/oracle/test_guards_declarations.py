"""继续教育记录申报's guards (workflows/declarations.py), called straight like test_guards.py: whom an
organisation may declare for (`declarable_people`, `_person`), what a declaration may hold (`clean`),
whose declaration may be edited, deleted or sent (`_require_editable`, `delete_record`, `submit_record`),
the 录入截止 of a year (`_refuse_closed_year`, `closed_year_refusal`), a returned 结业 record on its class
organiser's screen (`_returned_from_class`), 批量申报 (`declare_many`) and the 认定学时 a 同意 grants
(`_granted`). Each refusal beside the same call by the identity that may make it, with the exact row it
leaves; messages are compared whole (a `match` would pass a message wrapped in other words).

The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built. The
declarations are of 2017 (no 学时要求: no 录入截止 closes it, whatever the day the tests run); the closed
years are written by the test that needs them.
"""
import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from itertools import count

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import ApplicationStatus, DictionaryCategory, OrgKind, RecordSource, RegionLevel, ReviewResult
from backoffice.models import Attachment, HourRequirement, Organisation, Person, Record, ReviewLog
from backoffice.models.reference import dictionary_choices
from backoffice.shortfall import beijing_today
from backoffice.workflows import WorkflowError
from backoffice.workflows.declarations import (
    DUPLICATE,
    READ_ONLY,
    closed_year_refusal,
    decide,
    declarable_people,
    declare_many,
    declarer,
    declared_by,
    delete_record,
    hidden_by_code,
    hidden_fields,
    institution_names,
    people_lines,
    save_record,
    submit_record,
)
from backoffice.workflows.review import ReviewError
from backoffice.workflows.teachers import FieldError
from test_trail import Trail
from world import acting, row, visible_keys

DRAFT, PENDING, RETURNED, APPROVED = (
    ApplicationStatus.DRAFT, ApplicationStatus.PENDING, ApplicationStatus.RETURNED, ApplicationStatus.APPROVED,
)
NOT_DECLARER = "该继续教育记录不是本人（本单位）申报的"
NO_DECLARING = "您没有申报继续教育记录的权限"
NOT_STAFF = "该公民身份号码不是本单位已确认的专业技术人员"
NOT_STUDENT = "该公民身份号码不是本机构培训班的学员（报名成功）"
OPEN = 2017  # a year without a 学时要求: open
COURSE = "or_declared"


def _form(name: str) -> str:
    """The 学习形式 code of a dictionary name (the demo's dictionary)."""
    return next(code for code, label in dictionary_choices(DictionaryCategory.STUDY_FORM) if label == name)


def _data(world=None, person: str | None = None, **changes) -> dict:
    """A valid declaration of 2017 (面授, 2 days, 12 hours), for `person` when an organisation declares."""
    data = dict(
        study_form_code=_form("面授"), course_type="professional", course_name=COURSE, institution_name="",
        location="学习地点", content="学习内容", note="", start_on=date(OPEN, 3, 1), end_on=date(OPEN, 3, 2),
        exam_result="pass", declared_hours="12", days="2", year=OPEN,
    )
    if person is not None:
        data.update(id_number=row(world, Person, person).id_number, name=person)
    data.update(changes)
    return data


def _saved(world, record: Record) -> tuple:
    """What a declaration wrote, read back: whose, by whom, in which state, and every value of the form."""
    db.session.flush()
    db.session.refresh(record)
    org = world.keys[Organisation].get
    return (
        world.keys[Person][record.person_id], record.source, record.status, org(record.declared_by_org_id),
        record.reviewer_org_id, record.course_type, record.course_name, record.study_form_code, record.start_on,
        record.end_on, record.days, record.exam_result, record.declared_hours, record.year,
        record.institution_name, org(record.institution_org_id), record.location, record.content, record.note,
        record.approved_hours,
    )


def _expected(person: str, source: str, by: str | None, status=DRAFT, **changes) -> tuple:
    values = dict(
        course_type="professional", course_name=COURSE, study_form_code=_form("面授"), start_on=date(OPEN, 3, 1),
        end_on=date(OPEN, 3, 2), days=Decimal("2"), exam_result="pass", declared_hours=Decimal("12"), year=OPEN,
        institution_name=None, institution_org=None, location="学习地点", content="学习内容", note=None,
    )
    values.update(changes)
    return (person, source, status, by, None, *values.values(), None)


def _count(course: str = COURSE) -> int:
    return db.session.scalar(select(func.count()).select_from(Record).where(Record.course_name == course))


def _refused(call, field: str, message: str) -> None:
    with pytest.raises(FieldError) as error:
        call()
    assert (error.value.field, str(error.value)) == (field, message)


# ---- who declares at all -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,change,message",
    [
        ("p1", {"person_id": None}, "请先完善个人基本信息，再申报继续教育记录"),  # an account without its person
        ("unit_gz1", {"org_id": None}, NO_DECLARING),
        ("multi_gz1", {}, NO_DECLARING),  # its unit's role holds no 继续教育记录申报
        ("inst_gz", {}, NO_DECLARING),  # not yet approved: no module
        ("hr_gz", {}, NO_DECLARING),  # Guangdong's HR employs nobody
        ("nobody", {}, NO_DECLARING),
    ],
)
def test_who_may_not_declare(app, world, who, change, message):
    with acting(app):
        actor = dataclasses.replace(world.actors[who], **change)
        with pytest.raises(WorkflowError) as error:
            save_record(None, actor, **_data(world, "pe_gz1_ok"))
        assert str(error.value) == message
        with pytest.raises(WorkflowError) as error:
            declarer(actor)
        assert str(error.value) == message
        assert _count() == 0


def test_nobody_signed_in_declares_nothing(app, world):
    with acting(app):
        with pytest.raises(WorkflowError) as error:
            save_record(None, None, **_data())
        assert str(error.value) == NO_DECLARING


# ---- whom an organisation declares for ---------------------------------------------------------


@pytest.mark.parametrize(
    "who,people",
    [
        # a unit: its confirmed people — not pe_gz1_wait (pending there), nobody of another unit
        ("unit_gz1", {"pe_gz1_ok", "pe_gz1_b", "pe_going"}),
        ("unit_sz", {"pe_sz_ok", "pe_moved", "pe_sz_none"}),
        # a role of the unit without the declaration module: the same people (the SELECT asks no module)
        ("multi_gz2", {"pe_gz2_ok"}),
        # an institution: the 报名成功 of its own plans' classes — not who applied, was refused or
        # cancelled, not the students of a department's class (pe_gz2_ok)
        ("inst_p", {"pe_sz_ok", "pe_moved"}),
        # an institution in Guangdong employs nobody: pe_odd, confirmed at it (old data), is not declared
        ("inst_gz", set()),
        # 神谕省, every organisation employs: an institution's own staff, an HR's, an industry department's
        ("inst_oc", {"pe_inst_oc_ok"}),
        ("hr_oc", {"pe_hr_oc_ok"}),
        ("ind_o", {"pe_ind_o_ok"}),
        ("unit_oc", {"pe_unit_oc_ok"}),
    ],
)
def test_whom_an_organisation_declares_for(app, world, who, people):
    """Run 10's `declarable_people` (all "no tests")."""
    with acting(app):
        actor = world.actors[who]
        assert visible_keys(world, Person, Person.id.in_(declarable_people(actor))) == people


@pytest.mark.parametrize(
    "who,person,message",
    [
        ("unit_gz1", "pe_gz1_wait", NOT_STAFF),  # waits for the unit's 确认
        ("unit_gz1", "pe_gz2_ok", NOT_STAFF),  # another unit's
        ("unit_gz1", "pe_sz_ok", NOT_STAFF),
        ("hr_oc", "pe_hr_oc_wait", NOT_STAFF),  # an employing HR: its confirmed staff only
        ("inst_p", "pe_gz1_ok", NOT_STUDENT),  # applied to its class, not yet 报名成功
        ("inst_p", "pe_gz2_ok", NOT_STUDENT),  # refused by it; 报名成功 at a department's class
        ("inst_p", "pe_p_ok", NOT_STUDENT),  # cancelled
    ],
)
def test_an_organisation_declares_only_for_its_people(app, world, who, person, message):
    """Run 10's `_person`: the ID number must be one of `declarable_people`; nothing is saved."""
    with acting(app):
        data = _data(world, person)
        _refused(lambda: save_record(None, world.actors[who], **data), "id_number", message)
        assert _count() == 0


@pytest.mark.parametrize(
    "who,person,source",
    [
        ("unit_gz1", "pe_gz1_ok", RecordSource.UNIT),
        ("inst_p", "pe_sz_ok", RecordSource.INSTITUTION),
        ("inst_p", "pe_moved", RecordSource.INSTITUTION),
        ("inst_oc", "pe_inst_oc_ok", RecordSource.INSTITUTION),  # its own staff, where it employs
        ("hr_oc", "pe_hr_oc_ok", RecordSource.UNIT),  # an employer's declaration
        ("ind_o", "pe_ind_o_ok", RecordSource.UNIT),
    ],
)
def test_an_organisation_declares_a_draft_for_its_person(app, world, who, person, source):
    """The ID number is read trimmed and upper-cased, the name trimmed; the draft is the organisation's."""
    with acting(app):
        actor = world.actors[who]
        id_number = row(world, Person, person).id_number
        record = save_record(None, actor, **_data(id_number=f"  {id_number.lower()} ", name=f" {person} "))
        by = world.keys[Organisation][actor.org_id]
        assert _saved(world, record) == _expected(person, source, by)
        assert _count() == 1


def test_a_person_declares_for_themselves_whatever_number_is_typed(app, world):
    with acting(app):
        other = row(world, Person, "pe_sz_ok")
        record = save_record(None, world.actors["p1"], **_data(id_number=other.id_number, name=other.name))
        assert _saved(world, record) == _expected("pe_gz1_ok", RecordSource.PERSON, None)


@pytest.mark.parametrize(
    "typed,field,message",
    [
        ({"id_number": "  "}, "id_number", "请填写公民身份号码"),
        ({"id_number": None}, "id_number", "请填写公民身份号码"),
        ({"name": " "}, "name", "请填写姓名"),
        ({"name": None}, "name", "请填写姓名"),
        ({"name": "pe_gz1_b"}, "name", "姓名与公民身份号码不符"),  # the unit's other person's name
    ],
)
def test_an_organisations_declaration_names_the_person_exactly(app, world, typed, field, message):
    with acting(app):
        data = _data(world, "pe_gz1_ok", **typed)
        _refused(lambda: save_record(None, world.actors["unit_gz1"], **data), field, message)
        assert _count() == 0


# ---- what a declaration holds (clean) ----------------------------------------------------------


LONG = "长" * 101


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"study_form_code": "99"}, "study_form_code", "请选择学习形式"),
        ({"study_form_code": None}, "study_form_code", "请选择学习形式"),
        ({"course_type": "other"}, "course_type", "请选择科目类型"),
        ({"course_name": "  "}, "course_name", "请填写课程名称"),
        ({"course_name": None}, "course_name", "请填写课程名称"),
        ({"course_name": LONG}, "course_name", "课程名称限100字"),
        ({"institution_name": LONG}, "institution_name", "施教机构名称限100字"),
        ({"location": LONG}, "location", "学习地点限100字"),
        ({"content": LONG}, "content", "学习内容限100字"),
        ({"note": LONG}, "note", "备注限100字"),
        ({"start_on": None}, "start_on", "请填写学习开始时间"),
        ({"end_on": "2017-03-02"}, "end_on", "请填写学习结束时间"),
        ({"end_on": date(OPEN, 2, 28)}, "end_on", "学习结束时间不能早于学习开始时间"),
        ({"end_on": beijing_today() + timedelta(days=1), "year": beijing_today().year}, "end_on",
         "学习结束时间不能晚于今天：只能申报已完成的学习"),
        ({"exam_result": "good"}, "exam_result", "请选择考核结果"),
        ({"declared_hours": " "}, "declared_hours", "请填写拟申报学时"),
        ({"declared_hours": None}, "declared_hours", "请填写拟申报学时"),
        ({"declared_hours": "1.25"}, "declared_hours", "拟申报学时须为数字，最多一位小数"),
        ({"declared_hours": "1e1"}, "declared_hours", "拟申报学时须为数字，最多一位小数"),
        ({"declared_hours": "0.4"}, "declared_hours", "拟申报学时须在0.5至999.9之间"),
        ({"days": ""}, "days", "请填写参训天数"),
        ({"days": "0.4"}, "days", "参训天数须在0.5至365之间"),
        ({"days": "365.1"}, "days", "参训天数须在0.5至365之间"),
        ({"days": "2", "declared_hours": "12.1"}, "declared_hours", "拟申报学时不能超过参训天数×6（12学时）"),
        ({"year": "二〇一七"}, "year", "请选择申报年度"),
        ({"year": None}, "year", "请选择申报年度"),
        ({"year": OPEN - 1}, "year", "申报年度须在学习开始时间与学习结束时间的年份之间"),
        ({"year": OPEN + 1}, "year", "申报年度须在学习开始时间与学习结束时间的年份之间"),
    ],
)
def test_a_declaration_with_a_wrong_field_is_refused(app, world, changes, field, message):
    """Run 10's `clean`, `_decimal`, `_choice` (all "no tests"): the first wrong field, its message."""
    with acting(app):
        data = _data(**changes)
        _refused(lambda: save_record(None, world.actors["p1"], **data), field, message)
        assert _count() == 0


@pytest.mark.parametrize(
    "changes,stored",
    [
        # the bounds themselves: 100 characters, end = start, 0.5 and 365 days, hours = 6 × days
        ({"course_name": "长" * 100, "note": "注" * 100, "institution_name": "机" * 100},
         {"course_name": "长" * 100, "note": "注" * 100, "institution_name": "机" * 100}),
        ({"end_on": date(OPEN, 3, 1)}, {"end_on": date(OPEN, 3, 1)}),
        ({"days": "0.5", "declared_hours": "0.5"}, {"days": Decimal("0.5"), "declared_hours": Decimal("0.5")}),
        ({"days": "365", "declared_hours": "999.9"}, {"days": Decimal("365"), "declared_hours": Decimal("999.9")}),
        ({"days": " 2 ", "declared_hours": " 12 ", "course_name": "  or_declared ", "year": str(OPEN)}, {}),
        # a study over new year is declared for either year
        ({"start_on": date(OPEN - 1, 12, 30), "year": OPEN - 1},
         {"start_on": date(OPEN - 1, 12, 30), "year": OPEN - 1}),
        ({"start_on": date(OPEN - 1, 12, 30)}, {"start_on": date(OPEN - 1, 12, 30)}),
        # the forms that leave fields out store them empty, whatever was typed
        ({"study_form_code": "网络培训", "location": "不该有"}, {"study_form_code": "网络培训", "location": None}),
        ({"study_form_code": "学术论文", "days": "不是数字", "exam_result": "不是选项", "location": "不该有",
          "declared_hours": "40"},
         {"study_form_code": "学术论文", "days": None, "exam_result": None, "location": None,
          "declared_hours": Decimal("40")}),
        ({"study_form_code": "学历教育", "days": "0", "declared_hours": "100"},
         {"study_form_code": "学历教育", "days": None, "declared_hours": Decimal("100")}),
        ({"exam_result": "fail", "course_type": "elective"}, {"exam_result": "fail", "course_type": "elective"}),
    ],
)
def test_a_declaration_at_the_bounds_is_saved_as_typed(app, world, changes, stored):
    """The forms are named by their dictionary names (the table `HIDDEN_BY_FORM` reads)."""
    with acting(app):
        if "study_form_code" in changes:
            changes = {**changes, "study_form_code": _form(changes["study_form_code"])}
            stored = {**stored, "study_form_code": changes["study_form_code"]}
        record = save_record(None, world.actors["p1"], **_data(**changes))
        assert _saved(world, record) == _expected("pe_gz1_ok", RecordSource.PERSON, None, **stored)


def test_the_end_of_a_study_may_be_today(app, world):
    today = beijing_today()
    with acting(app):
        record = save_record(None, world.actors["p1"], **_data(start_on=today, end_on=today, year=today.year))
        db.session.refresh(record)
        assert (record.end_on, record.year, record.status) == (today, today.year, DRAFT)


def test_a_registered_institution_is_named_by_its_row(app, world):
    """施教机构名称 of an approved, active institution names it; one still waiting does not."""
    with acting(app):
        actor = world.actors["p1"]
        named = save_record(None, actor, **_data(institution_name="or_inst_p"))
        waiting = save_record(None, actor, **_data(institution_name="or_inst_gz", course_name="or_waiting"))
        outside = save_record(None, actor, **_data(institution_name="某大学", course_name="or_outside"))
        assert [(r.institution_name, world.keys[Organisation].get(r.institution_org_id))
                for r in (named, waiting, outside)] == [("or_inst_p", "or_inst_p"), ("or_inst_gz", None), ("某大学", None)]
        # a name two registered institutions share names neither
        _institution("or_inst_p")
        shared = save_record(None, actor, **_data(institution_name="or_inst_p", course_name="or_shared"))
        assert (shared.institution_name, shared.institution_org_id) == ("or_inst_p", None)


def test_the_same_course_is_declared_once_per_person(app, world):
    """Same person, 课程名称 and 学习开始时间: refused (whoever declared the first); another person's or
    another start is a declaration of its own; a draft saved again is no duplicate of itself."""
    with acting(app):
        first = save_record(None, world.actors["p1"], **_data())
        _refused(lambda: save_record(None, world.actors["unit_gz1"], **_data(world, "pe_gz1_ok")),
                 "course_name", DUPLICATE)
        assert _count() == 1
        save_record(None, world.actors["unit_gz1"], **_data(world, "pe_gz1_b"))
        later = save_record(None, world.actors["p1"], **_data(start_on=date(OPEN, 3, 2)))
        again = save_record(first, world.actors["p1"], **_data(note="再保存"))
        assert (again.id, again.note, _count()) == (first.id, "再保存", 3)
        # an edit that makes one draft the other's duplicate: refused, the other draft is no part of "itself"
        _refused(lambda: save_record(later, world.actors["p1"], **_data()), "course_name", DUPLICATE)
        db.session.refresh(later)
        assert later.start_on == date(OPEN, 3, 2)


# ---- 保存 of an existing declaration: only its declarer, only while 草稿 / 已退回 --------------------


def _new(world, person: str, course: str, *, source, status=DRAFT, by=None, year=OPEN, reviewer=None) -> Record:
    record = Record(
        person_id=world.ids[person], course_type="professional", course_name=course, start_on=date(year, 3, 1),
        end_on=date(year, 3, 2), declared_hours=Decimal("6"), days=Decimal("1"), year=year, source=source,
        status=status, study_form_code="01", exam_result="pass",
        declared_by_org_id=world.ids[by] if by else None, reviewer_org_id=world.ids[reviewer] if reviewer else None,
    )
    db.session.add(record)
    db.session.flush()
    return record


@pytest.mark.parametrize(
    "key,who,person,message",
    [
        ("rc_p1_draft", "p2", None, NOT_DECLARER),  # another person's draft
        ("rc_p1_draft", "unit_gz1", "pe_gz1_ok", NOT_DECLARER),  # its person's own draft
        ("rc_p2_inst_draft", "inst_oc", None, NOT_DECLARER),  # another institution's
        ("rc_p2_inst_draft", "unit_sz", "pe_sz_ok", NOT_DECLARER),  # its person's, declared by an institution
        ("rc_hr_oc_draft", "unit_oc", None, NOT_DECLARER),  # another employer's, same source
        ("rc_p1_draft", "hr_gz", None, NO_DECLARING),
        ("rc_p1_self", "p1", None, READ_ONLY),  # its own, sent (待审核)
        ("rc_p2_inst_draft", "inst_p", "pe_sz_ok", None),  # its own draft: saved
        ("rc_p2_inst", "inst_p", "pe_sz_ok", None),  # its own, returned: saved
        ("rc_p1_draft", "p1", None, None),
    ],
)
def test_only_the_declarer_saves_a_draft_or_returned_declaration(app, world, key, who, person, message):
    """Run 10's `_require_editable` (7 "no tests"); nothing changes when refused."""
    with acting(app):
        record = row(world, Record, key)
        before = (record.status, record.course_name, record.year, record.declared_by_org_id)
        data = _data(world, person) if person else _data()
        if message is None:
            save_record(record, world.actors[who], **data)
            db.session.refresh(record)
            assert (record.status, record.course_name, record.year, record.declared_by_org_id, record.id) == (
                before[0], COURSE, OPEN, before[3], world.ids[key])
            return
        with pytest.raises(WorkflowError) as error:
            save_record(record, world.actors[who], **data)
        assert str(error.value) == message
        db.session.refresh(record)
        assert (record.status, record.course_name, record.year, record.declared_by_org_id) == before


def test_an_edit_keeps_who_declared_and_changes_every_field(app, world):
    with acting(app):
        record = row(world, Record, "rc_p2_inst_draft")
        save_record(record, world.actors["inst_p"], **_data(
            world, "pe_moved", note="改", study_form_code="02", location="不该有", institution_name="or_inst_p"))
        assert _saved(world, record) == _expected(
            "pe_moved", RecordSource.INSTITUTION, "or_inst_p", note="改", study_form_code="02", location=None,
            institution_name="or_inst_p", institution_org="or_inst_p")


@pytest.mark.parametrize(
    "key,who,message",
    [
        ("rc_p2_inst_draft", "unit_sz", NOT_DECLARER),  # its person's, declared by the institution
        ("rc_p2_inst_draft", "inst_oc", NOT_DECLARER),
        ("rc_p1_draft", "p2", NOT_DECLARER),
        ("rc_p1_draft", "unit_gz1", NOT_DECLARER),  # its person's own draft: the person sends it
        ("rc_hr_oc_draft", "ind_o", NOT_DECLARER),
        ("rc_p1_draft", "hr_gz", NO_DECLARING),
    ],
)
def test_only_the_declarer_sends_a_draft(app, world, key, who, message):
    """送审 asks the declarer (`_require_own`) before anything: the draft stays a draft, unrouted."""
    with acting(app):
        record = row(world, Record, key)
        with pytest.raises(WorkflowError) as error:
            submit_record(record, world.actors[who])
        assert str(error.value) == message
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id, record.submitted_at) == (DRAFT, None, None)


@pytest.mark.parametrize(
    "key,who,message,status,reviewer",
    [
        ("rc_p2_inst_draft", "inst_p", "已送审，审核单位：or_unit_sz", PENDING, "or_unit_sz"),
        ("rc_p1_draft", "p1", "已送审，审核单位：or_unit_gz1", PENDING, "or_unit_gz1"),
        ("rc_hr_oc_draft", "hr_oc", "已确认，学时已认定", APPROVED, None),  # its own staff: its 确认 is the chain
    ],
)
def test_the_declarer_sends_its_draft(app, world, key, who, message, status, reviewer):
    """(The draft moved to 2017 first: the world's 2026 closes on the demo's 31 January 2027.)"""
    with acting(app):
        record = row(world, Record, key)
        record.year, record.start_on, record.end_on = OPEN, date(OPEN, 3, 1), date(OPEN, 3, 1)
        assert submit_record(record, world.actors[who]) == message
        db.session.refresh(record)
        assert (record.status, world.keys[Organisation].get(record.reviewer_org_id)) == (status, reviewer)


# ---- 删除: only the declarer's draft -------------------------------------------------------------


@pytest.mark.parametrize(
    "key,who,message",
    [
        ("rc_p2_inst_draft", "inst_oc", NOT_DECLARER),
        ("rc_p2_inst_draft", "unit_sz", NOT_DECLARER),  # the draft is about its person
        ("rc_p1_draft", "p2", NOT_DECLARER),
        ("rc_p1_draft", "unit_gz1", NOT_DECLARER),
        ("rc_hr_oc_draft", "ind_o", NOT_DECLARER),
        ("rc_p1_draft", "hr_gz", NO_DECLARING),
        ("rc_p1_self", "p1", "当前状态为“待审核”，只有草稿可以删除"),
        ("rc_p2_inst", "inst_p", "当前状态为“已退回”，只有草稿可以删除"),
    ],
)
def test_only_the_declarers_draft_is_deleted(app, world, key, who, message):
    """Run 10's `delete_record` (20 "no tests")."""
    with acting(app):
        record = row(world, Record, key)
        before = record.status
        with pytest.raises(WorkflowError) as error:
            delete_record(record, world.actors[who])
        assert str(error.value) == message
        db.session.expire_all()
        assert row(world, Record, key).status == before


@pytest.mark.parametrize("key,who", [("rc_p2_inst_draft", "inst_p"), ("rc_p1_draft", "p1"),
                                     ("rc_hr_oc_draft", "hr_oc")])
def test_the_declarer_deletes_its_draft_with_its_attachments(app, world, key, who):
    with acting(app):
        record_id = world.ids[key]
        delete_record(row(world, Record, key), world.actors[who])
        db.session.expire_all()
        assert db.session.get(Record, record_id) is None
        assert db.session.scalars(
            select(Attachment.original_name).where(Attachment.owner_type == "record", Attachment.owner_id == record_id)
        ).all() == []
        assert db.session.get(Attachment, world.ids["at_rc_p1_self"]) is not None  # another record's stays


# ---- 录入截止: a year whose deadline has passed is no longer declared or sent --------------------------


CLOSED, ON_THE_DAY = 2019, 2018
CLOSED_MESSAGE = "2019年度继续教育记录的录入已于2020年3月15日截止，不能再申报该年度的记录"


def _deadlines(world) -> None:
    """2019 closed on 15 March 2020 for 广州 (every series) and for 深圳's 甲 系列 only; 2018 closes
    for 广州 today (Beijing's day). Other regions and years have no 学时要求: open."""
    rule = dict(total_hours=90, min_public_hours=0, min_professional_hours=60, min_elective_hours=0)
    db.session.add_all([
        HourRequirement(year=CLOSED, region_code="440100", entry_deadline=date(2020, 3, 15), **rule),
        HourRequirement(year=CLOSED, region_code="440300", series_id=world.ids["orc_a"],
                        entry_deadline=date(2020, 3, 15), **rule),
        HourRequirement(year=ON_THE_DAY, region_code="440100", entry_deadline=beijing_today(), **rule),
    ])
    db.session.flush()


def _in(year: int, **changes) -> dict:
    return dict(start_on=date(year, 3, 1), end_on=date(year, 3, 2), year=year, **changes)


def test_the_deadline_of_the_persons_region_and_series(app, world):
    """Run 10's `closed_year_refusal` (7 survived): the 学时要求 of the unit's region (a county of 广州
    under 广州's rule) and of the person's series; another region's does not apply, nor another series'."""
    with acting(app):
        _deadlines(world)
        a, b = world.ids["orc_a"], world.ids["orc_b"]
        assert [
            closed_year_refusal(CLOSED, "440106", None), closed_year_refusal(CLOSED, "440106", b),
            closed_year_refusal(CLOSED, "440305", a), closed_year_refusal(CLOSED, "440305", b),
            closed_year_refusal(CLOSED, "440305", None), closed_year_refusal(CLOSED, None, a),
            closed_year_refusal(ON_THE_DAY, "440106", a), closed_year_refusal(OPEN, "440106", a),
        ] == [CLOSED_MESSAGE, CLOSED_MESSAGE, CLOSED_MESSAGE, None, None, None, None, None]


@pytest.mark.parametrize(
    "who,person",
    [
        ("p1", None),  # 广州 unit 1's person
        ("unit_gz1", "pe_gz1_b"),  # of the other series: 广州's rule has none
        ("p2", None),  # 深圳, 甲 系列: 深圳's 甲 rule
        ("inst_p", "pe_moved"),  # an institution's student of 深圳, 甲
    ],
)
def test_a_closed_year_is_not_declared(app, world, who, person):
    """Run 10's `_refuse_closed_year` (20 survived): refused naming the deadline, nothing saved."""
    with acting(app):
        _deadlines(world)
        data = _data(world, person, **_in(CLOSED)) if person else _data(**_in(CLOSED))
        _refused(lambda: save_record(None, world.actors[who], **data), "year", CLOSED_MESSAGE)
        assert _count() == 0


@pytest.mark.parametrize(
    "who,person,year",
    [
        ("unit_sz", "pe_sz_none", CLOSED),  # 深圳, no series: neither 广州's rule nor 深圳's 甲 one
        ("unit_sz", "pe_sz_ok", CLOSED - 2),  # another year
        ("p1", None, ON_THE_DAY),  # the deadline is today: still open
        ("p1", None, OPEN),
    ],
)
def test_another_regions_or_series_deadline_does_not_close_the_year(app, world, who, person, year):
    with acting(app):
        _deadlines(world)
        data = _data(world, person, **_in(year)) if person else _data(**_in(year))
        record = save_record(None, world.actors[who], **data)
        db.session.refresh(record)
        assert (record.year, record.status, _count()) == (year, DRAFT, 1)


def test_a_draft_is_not_moved_into_a_closed_year_nor_kept_there(app, world):
    """An edit of a draft (of an open year, or one written into the closed year before it closed) is
    refused for the closed year; so is an edit moving a returned record into it."""
    with acting(app):
        _deadlines(world)
        p1 = world.actors["p1"]
        draft = row(world, Record, "rc_p1_draft")
        old_draft = _new(world, "pe_gz1_ok", "or_old_draft", source=RecordSource.PERSON, year=CLOSED)
        back = _new(world, "pe_gz1_ok", "or_back", source=RecordSource.PERSON, status=RETURNED,
                    reviewer="or_unit_gz1")
        for record, name in ((draft, "rc_p1_draft"), (old_draft, "or_old_draft"), (back, "or_back")):
            year = record.year
            _refused(lambda: save_record(record, p1, **_data(course_name=name, **_in(CLOSED))), "year", CLOSED_MESSAGE)
            db.session.refresh(record)
            assert record.year == year


def test_a_returned_record_of_a_closed_year_is_corrected_and_sent_again(app, world):
    """The 退回 exception: entered in time, returned for correction — saved and sent for the same year."""
    with acting(app):
        _deadlines(world)
        p1 = world.actors["p1"]
        back = _new(world, "pe_gz1_ok", "or_back", source=RecordSource.PERSON, status=RETURNED, year=CLOSED,
                    reviewer="or_unit_gz1")
        save_record(back, p1, **_data(course_name="or_back", note="补充证明", **_in(CLOSED)))
        assert submit_record(back, p1) == "已送审，审核单位：or_unit_gz1"
        db.session.refresh(back)
        assert (back.status, back.year, back.note, back.reviewer_org_id) == (
            PENDING, CLOSED, "补充证明", world.ids["or_unit_gz1"])


@pytest.mark.parametrize("who,person,by", [("p1", "pe_gz1_ok", None), ("unit_sz", "pe_sz_ok", "or_unit_sz")])
def test_a_draft_of_a_closed_year_is_not_sent(app, world, who, person, by):
    """Run 10's `submit_record` 10, 15, 16: 送审 asks the deadline of the record's own year; the refusal is
    a ReviewError with the deadline, the draft stays a draft and no 审批流程 row is written."""
    with acting(app):
        _deadlines(world)
        source = RecordSource.PERSON if by is None else RecordSource.UNIT
        draft = _new(world, person, "or_old_draft", source=source, year=CLOSED, by=by)
        with pytest.raises(ReviewError) as error:
            submit_record(draft, world.actors[who])
        assert str(error.value) == CLOSED_MESSAGE
        db.session.refresh(draft)
        assert (draft.status, draft.reviewer_org_id, draft.submitted_at) == (DRAFT, None, None)
        assert db.session.scalar(select(func.count()).select_from(ReviewLog).where(
            ReviewLog.object_type == "record", ReviewLog.object_id == draft.id)) == 0
        # the same draft in an open year is sent
        draft.year, draft.start_on, draft.end_on = OPEN, date(OPEN, 3, 1), date(OPEN, 3, 2)
        submit_record(draft, world.actors[who])
        db.session.refresh(draft)
        assert draft.status == (PENDING if by is None else APPROVED)


# ---- a returned 结业 record goes back to the organisation that ran the class ---------------------


def test_a_returned_record_of_a_class_is_on_its_organisers_declaration_screen(app, world):
    """Run 10's `_returned_from_class` 2: rc_moved_class (结业 of inst_p's class), returned by 深圳 unit,
    joins inst_p's declarations; inst_p corrects it — its 施教机构 stays the class's — and sends it again.
    While it waited it was on no declaration screen."""
    with acting(app):
        inst = world.actors["inst_p"]
        assert visible_keys(world, Record, declared_by(inst)) == {"rc_p2_inst", "rc_p2_inst_draft"}
        record = row(world, Record, "rc_moved_class")
        record.status, record.institution_org_id = RETURNED, world.ids["or_inst_p"]
        db.session.flush()
        assert visible_keys(world, Record, declared_by(inst)) == {"rc_p2_inst", "rc_p2_inst_draft", "rc_moved_class"}
        assert visible_keys(world, Record, declared_by(world.actors["unit_sz"])) == set()

        save_record(record, inst, **_data(world, "pe_moved", course_name="rc_moved_class", institution_name="某学院"))
        db.session.refresh(record)
        assert (record.source, record.institution_name, world.keys[Organisation][record.institution_org_id]) == (
            RecordSource.CLASS, "某学院", "or_inst_p")
        assert submit_record(record, inst) == "已送审，审核单位：or_unit_sz"
        db.session.refresh(record)
        assert (record.status, record.reviewer_org_id) == (PENDING, world.ids["or_unit_sz"])


# ---- 批量申报 ---------------------------------------------------------------------------------------


def _line(world, person: str, name: str | None = None) -> str:
    return f"{row(world, Person, person).id_number} {name or person}"


def test_a_batch_declares_the_students_and_skips_the_others_with_the_reason(app, world):
    with acting(app):
        ids = {key: row(world, Person, key).id_number for key in ("pe_sz_ok", "pe_moved", "pe_gz1_ok", "pe_p_ok")}
        people = "\n".join([
            _line(world, "pe_sz_ok"), "", f"{ids['pe_moved'].lower()},pe_moved", _line(world, "pe_gz1_ok"),
            _line(world, "pe_p_ok", "别人"),
        ])
        outcome = declare_many(world.actors["inst_p"], people, **_data())
        assert [r for r, _ in outcome.done] == [(ids["pe_sz_ok"], "pe_sz_ok"), (ids["pe_moved"].lower(), "pe_moved")]
        assert outcome.skipped == [
            (f"pe_gz1_ok（{ids['pe_gz1_ok']}）", NOT_STUDENT), (f"别人（{ids['pe_p_ok']}）", NOT_STUDENT),
        ]
        records = [record for _, record in outcome.done]
        assert [_saved(world, r) for r in records] == [
            _expected("pe_sz_ok", RecordSource.INSTITUTION, "or_inst_p"),
            _expected("pe_moved", RecordSource.INSTITUTION, "or_inst_p"),
        ]
        assert _count() == 2


def test_a_batch_of_a_unit_declares_its_confirmed_people_only(app, world):
    with acting(app):
        people = "\n".join(_line(world, p) for p in ("pe_gz1_wait", "pe_gz1_b", "pe_gz2_ok"))
        outcome = declare_many(world.actors["unit_gz1"], people, **_data())
        assert [world.keys[Person][r.person_id] for _, r in outcome.done] == ["pe_gz1_b"]
        assert [reason for _, reason in outcome.skipped] == [NOT_STAFF, NOT_STAFF]
        assert _count() == 1


@pytest.mark.parametrize(
    "who,people,changes,error,message",
    [
        ("p1", "x y", {}, WorkflowError, "个人不能批量申报"),
        ("hr_gz", "x y", {}, WorkflowError, NO_DECLARING),
        ("inst_p", "x y", {"course_name": ""}, FieldError, "请填写课程名称"),  # the course first
        ("inst_p", "x y", {"declared_hours": "13"}, FieldError, "拟申报学时不能超过参训天数×6（12学时）"),
        ("inst_p", " \n ", {}, FieldError, "请填写至少一位学员"),
        ("inst_p", None, {}, FieldError, "请填写至少一位学员"),
        ("inst_p", "a b\nORCP1 某 人", {}, FieldError, "第2位学员应为“公民身份号码 姓名”：ORCP1 某 人"),
        ("inst_p", "\n".join(f"ORCX{n} 某" for n in range(201)), {}, FieldError, "一次最多申报200位学员"),
    ],
)
def test_a_batch_refused_as_a_whole_saves_nothing(app, world, who, people, changes, error, message):
    with acting(app):
        with pytest.raises(error) as refused:
            declare_many(world.actors[who], people, **_data(**changes))
        assert str(refused.value) == message
        assert _count() == 0


def test_a_batch_of_two_hundred_is_read(app, world):
    """200 lines is the limit, not over it: each line is tried (here none is a student)."""
    with acting(app):
        outcome = declare_many(world.actors["inst_p"], "\n".join(f"ORCX{n} 某" for n in range(200)), **_data())
        assert (len(outcome.done), len(outcome.skipped), outcome.skipped[0]) == (0, 200, ("某（ORCX0）", NOT_STUDENT))


# ---- 认定学时 (_granted) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hours,message",
    [
        ("abc", "认定学时须为数字，最多一位小数"),
        ("5.55", "认定学时须为数字，最多一位小数"),
        ("0.4", "认定学时不能少于0.5学时；不予认定请选择不同意"),
        ("0", "认定学时不能少于0.5学时；不予认定请选择不同意"),
        ("6.1", "认定学时不能超过拟申报学时（6.0学时）"),
    ],
)
def test_granted_hours_outside_their_bounds_are_refused(app, world, hours, message):
    """Run 10's `_granted` 5: 0.5 up to 拟申报学时 (6 for rc_p1_self); the record still waits."""
    with acting(app):
        record = row(world, Record, "rc_p1_self")
        with pytest.raises(ReviewError) as error:
            decide(record, ReviewResult.APPROVE, None, hours, world.actors["unit_gz1"])
        assert str(error.value) == message
        db.session.refresh(record)
        assert (record.status, record.approved_hours) == (PENDING, None)


@pytest.mark.parametrize(
    "hours,before,granted",
    [("0.5", None, "0.5"), (" 6 ", None, "6"), (None, None, "6"), ("", None, "6"), ("  ", Decimal("5"), "5"),
     (None, Decimal("4.5"), "4.5"), ("3", Decimal("4.5"), "3")],
)
def test_granted_hours_within_their_bounds_are_set(app, world, hours, before, granted):
    """Typed hours win; else the figure of the step before; else 拟申报学时."""
    with acting(app):
        record = row(world, Record, "rc_p1_self")
        record.approved_hours = before
        db.session.flush()
        decide(record, ReviewResult.APPROVE, None, hours, world.actors["unit_gz1"])
        db.session.refresh(record)
        assert (record.status, record.approved_hours) == (APPROVED, Decimal(granted))


# ---- what is written down, and the form's helpers --------------------------------------------------


def test_a_declaration_its_edit_and_its_deletion_are_audited(app, world):
    """添加 is logged as 新增, 保存 as 修改, 删除 with its attachments, each naming the course."""
    with acting(app):
        p1, inst = world.actors["p1"], world.actors["inst_p"]
        with Trail() as added:
            record = save_record(None, p1, **_data())
        with Trail() as saved:
            save_record(record, p1, **_data(course_name="or_renamed"))
        with Trail() as deleted:
            delete_record(row(world, Record, "rc_p2_inst_draft"), inst)
        key = str(record.id)
        assert [a[:4] for a in added.audit + saved.audit + deleted.audit] == [
            ("create", "record", key, "继续教育记录：or_declared"),
            ("update", "record", key, "继续教育记录：or_renamed"),
            ("delete", "attachment", str(world.ids["at_rc_p2_draft"]), "删除附件：at_rc_p2_draft"),
            ("delete", "record", str(world.ids["rc_p2_inst_draft"]), "删除继续教育记录：rc_p2_inst_draft"),
        ]


def _institution(name: str, **columns) -> Organisation:
    """A province-level institution of this name (approved and active unless `columns` say otherwise)."""
    columns = {"status": APPROVED, **columns}
    institution = Organisation(kind=OrgKind.INSTITUTION, name=name, code=f"ORCN{next(_codes):04d}",
                               level=RegionLevel.PROVINCE, region_code="440000", **columns)
    db.session.add(institution)
    db.session.flush()
    return institution


_codes = count()


def test_the_institution_names_offered_while_typing(app, world):
    """Registered (approved, active) institutions containing the text, in name order, ten at most;
    nothing for an empty text, one over 100 characters or with a control character; % is a character."""
    with acting(app):
        assert institution_names(" or_inst ") == ["or_inst_oc", "or_inst_p"]  # not or_inst_gz, pending
        row(world, Organisation, "or_inst_oc").active = False
        _institution("or_inst_ 停用", active=False)
        _institution("or_inst_ 退回", status=RETURNED)
        assert institution_names("or_inst") == ["or_inst_p"]
        for n in range(11):
            _institution(f"or_inst_{n:02d}")
        assert institution_names("or_inst") == [f"or_inst_{n:02d}" for n in range(10)]
        exact = _institution("院" * 100)
        assert institution_names("院" * 100) == [exact.name]
        assert [institution_names(t) for t in ("", None, "   ", "院" * 101, "or_inst\x01", "%", "院%")] == [[]] * 7
        _institution("院\x01")  # old data: a control character is offered for nothing, not even itself
        assert institution_names("院\x01") == []


def test_the_fields_each_study_form_leaves_out(app, world):
    with acting(app):
        form = {name: code for code, name in dictionary_choices(DictionaryCategory.STUDY_FORM)}
        assert hidden_by_code() == {
            form["网络培训"]: ["location"], form["学术论文"]: ["days", "exam_result", "location"],
            form["学历教育"]: ["days"],
        }
        assert [hidden_fields(c) for c in (form["面授"], form["学历教育"], None, "99")] == [
            frozenset(), frozenset({"days"}), frozenset(), frozenset()]


@pytest.mark.parametrize(
    "text,rows",
    [
        ("A1 甲\n\n  B2,乙 \nC3，丙\nD4、丁\nE5\t戊", [("A1", "甲"), ("B2", "乙"), ("C3", "丙"), ("D4", "丁"), ("E5", "戊")]),
        ("\n".join(f"X{n} 某" for n in range(200)), [(f"X{n}", "某") for n in range(200)]),
    ],
)
def test_the_lines_of_a_batch(app, world, text, rows):
    assert people_lines(text) == rows


@pytest.mark.parametrize(
    "text,message",
    [
        ("A1 甲\nB2", "第2位学员应为“公民身份号码 姓名”：B2"),
        ("A1 甲 乙", "第1位学员应为“公民身份号码 姓名”：A1 甲 乙"),
        ("A1 " + "名" * 50 + " 又", "第1位学员应为“公民身份号码 姓名”：A1 " + "名" * 37),
        ("\n \n", "请填写至少一位学员"),
        ("\n".join(f"X{n} 某" for n in range(201)), "一次最多申报200位学员"),
    ],
)
def test_a_wrong_batch_line_is_named(app, world, text, message):
    _refused(lambda: people_lines(text), "people", message)
