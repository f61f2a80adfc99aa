"""结业 and 取消 of a class (workflows/classes.py: `move_class`, `_guards`, `_has_enrolee`, `_why_not`,
`move_many`) and the 继续教育记录 a 结业 writes (workflows/records.py: `records_from_class`), called straight like
test_guards_training.py.

What is guarded:
- 取消: refused once any enrolee has a 考核结果 (合格 or 不合格): the hours of a class that was held must not
  vanish with it.
- 结业: refused while an application is still 已报名待确认, while no enrolee is 报名成功, and while a 报名成功
  enrolee has no 考核结果; 结业 and 取消 are final.
- The records of a 结业: one per 报名成功 enrolee with 合格, nobody else's; the class owner is their 施教机构 and
  declarer; a unit's own class grants the hours at once (no reviewer), any other class sends each record to
  the person's unit — only while the person is confirmed there — or to nobody.

Run 10 found no oracle test that finished a class or cancelled one with a result (`move_class` 45/46,
`_guards` 22/23/25, `_has_enrolee` 1, `move_many` 12/14, and records.py whole). The enrolees' results are
saved through `results.save_results` and applications decided through `enrolments.decide`, as the class
owner does. The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
"""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.labels import (
    ApplicationStatus,
    AuditAction,
    ClassStatus,
    EnrolmentSource,
    EnrolmentStatus,
    ExamResult,
    RecordSource,
    ReviewResult,
)
from backoffice.models import AuditLog, Enrolment, Person, Record, ReviewLog, TrainingClass
from backoffice.models.base import utcnow
from backoffice.workflows import WorkflowError
from backoffice.workflows.classes import move_class, move_many
from backoffice.workflows.enrolments import decide, enter, withdraw
from backoffice.workflows.records import OWN_CLASS_OPINION
from backoffice.workflows.results import save_results
from world import acting, row

NO_CANCEL = "培训班已有学员录入了考核结果，不能取消"
NO_ENROLEE = "培训班没有报名成功的学员，不能结业；如不再举办请取消"
NO_RESULT = "尚有学员未录入考核结果，请先录入全部学员的成绩/考核结果后再结业"
PASS, FAIL = ExamResult.PASS, ExamResult.FAIL


def _refused(call, message: str) -> None:
    """The call raises WorkflowError with exactly this message."""
    with pytest.raises(WorkflowError) as caught:
        call()
    assert str(caught.value) == message


def _grade(world, class_key: str, owner: str, results: dict[str, str | None]) -> None:
    """The class owner saves a 考核结果 (or none) for each named enrolment."""
    training_class = row(world, TrainingClass, class_key)
    save_results(
        training_class, {world.ids[key]: (None, result) for key, result in results.items()}, world.actors[owner]
    )


def _records_of(world, class_key: str) -> dict[str, Record]:
    """The records born of the class's enrolments, by the person's key."""
    records = db.session.scalars(
        select(Record).join(Enrolment, Enrolment.id == Record.enrolment_id)
        .where(Enrolment.class_id == world.ids[class_key])
    )
    return {world.keys[Person][r.person_id]: r for r in records}


def _state(world, class_key: str) -> tuple:
    training_class = row(world, TrainingClass, class_key)
    db.session.refresh(training_class)
    return training_class.status, training_class.status_note, len(_records_of(world, class_key))


def _steps(record: Record) -> list[tuple]:
    return [tuple(r) for r in db.session.execute(
        select(ReviewLog.step, ReviewLog.result, ReviewLog.reviewer_org_id, ReviewLog.reviewer_user_id,
               ReviewLog.opinion)
        .where(ReviewLog.object_type == "record", ReviewLog.object_id == record.id)
        .order_by(ReviewLog.id)
    )]


# ---- 取消: not once a result is recorded ---------------------------------------------------------


@pytest.mark.parametrize("result", [PASS, FAIL])
def test_a_class_with_a_recorded_result_is_not_cancelled(app, world, result):
    """cl_gz1_open's only enrolee gets a 考核结果 (even 不合格): 取消 is refused, one or in a batch, the class
    still 开班; with the result taken back, the owner cancels it. (Run 10's `move_class` 45/46, `_guards`
    22/23/25 and `_has_enrolee` 1: the cancel guard dropped or never holding.)"""
    with acting(app):
        owner = world.actors["unit_gz1"]
        target = row(world, TrainingClass, "cl_gz1_open")
        _grade(world, "cl_gz1_open", "unit_gz1", {"en_gz1_unit": result})
        _refused(lambda: move_class(target, "cancel", "说明", owner), NO_CANCEL)
        outcome = move_many([target], "cancel", "说明", owner)
        assert (outcome.done, outcome.skipped) == ([], [("cl_gz1_open", NO_CANCEL)])
        assert _state(world, "cl_gz1_open") == (ClassStatus.OPEN, None, 0)

        _grade(world, "cl_gz1_open", "unit_gz1", {"en_gz1_unit": None})
        assert move_class(target, "cancel", "不再举办", owner) == 0
        assert _state(world, "cl_gz1_open") == (ClassStatus.CANCELLED, "不再举办", 0)


# ---- 结业: every application decided, someone enrolled, every enrolee graded -------------------------


def test_finish_waits_for_every_application_to_be_decided(app, world):
    """cl_inst_p_enrol's one 报名成功 enrolee (en_p2_self) is graded, but three applications still wait
    (en_p1_self, en_released, en_ind_o_staff): 结业 is refused and writes nothing; once the institution has
    refused them, 结业 writes the one record."""
    with acting(app):
        owner = world.actors["inst_p"]
        target = row(world, TrainingClass, "cl_inst_p_enrol")
        _grade(world, "cl_inst_p_enrol", "inst_p", {"en_p2_self": PASS})
        _refused(lambda: move_class(target, "finish", None, owner), "尚有3人报名待确认，请先确认或拒绝后再结业")
        assert _state(world, "cl_inst_p_enrol") == (ClassStatus.ENROLLING, None, 0)

        for key in ("en_p1_self", "en_released", "en_ind_o_staff"):
            decide(row(world, Enrolment, key), False, owner)
        assert move_class(target, "finish", "考核完成", owner) == 1
        assert _state(world, "cl_inst_p_enrol") == (ClassStatus.FINISHED, "考核完成", 1)
        assert set(_records_of(world, "cl_inst_p_enrol")) == {"pe_sz_ok"}


def test_finish_needs_an_enrolee_who_enrolled(app, world):
    """cl_gz1_open's only enrolee is withdrawn (已取消, no result): no 报名成功 enrolee, 结业 refused; the unit
    enters another of its people, grades them, and finishes."""
    with acting(app):
        owner = world.actors["unit_gz1"]
        target = row(world, TrainingClass, "cl_gz1_open")
        withdraw(row(world, Enrolment, "en_gz1_unit"), owner)
        _refused(lambda: move_class(target, "finish", None, owner), NO_ENROLEE)
        assert _state(world, "cl_gz1_open") == (ClassStatus.OPEN, None, 0)

        entered = enter(target, row(world, Person, "pe_gz1_b"), owner)
        save_results(target, {entered.id: (Decimal("80"), PASS)}, owner)
        assert move_class(target, "finish", None, owner) == 1
        assert set(_records_of(world, "cl_gz1_open")) == {"pe_gz1_b"}


def test_finish_needs_a_result_for_every_enrolee(app, world):
    """cl_ind_p_enrol: one 报名成功 enrolee (en_gz2_ind) without a result, one refused applicant (no result
    either, and none needed): refused until en_gz2_ind is graded; a 不合格 enrolee finishes the class and
    yields no record."""
    with acting(app):
        owner = world.actors["ind_p"]
        target = row(world, TrainingClass, "cl_ind_p_enrol")
        _refused(lambda: move_class(target, "finish", None, owner), NO_RESULT)
        assert _state(world, "cl_ind_p_enrol") == (ClassStatus.ENROLLING, None, 0)

        _grade(world, "cl_ind_p_enrol", "ind_p", {"en_gz2_ind": FAIL})
        assert move_class(target, "finish", None, owner) == 0
        assert _state(world, "cl_ind_p_enrol") == (ClassStatus.FINISHED, None, 0)


@pytest.mark.parametrize(
    "key,code,status",
    [
        ("cl_inst_p_done", "finish", "结业"),
        ("cl_inst_p_done", "cancel", "结业"),
        ("cl_gz1_cancel", "finish", "取消"),
        ("cl_gz1_cancel", "cancel", "取消"),
    ],
)
def test_a_finished_or_cancelled_class_moves_no_more(app, world, key, code, status):
    """结业 and 取消 are final: its owner is told the class's state, and nothing is written."""
    with acting(app):
        owner = world.actors["inst_p" if key == "cl_inst_p_done" else "unit_gz1"]
        target = row(world, TrainingClass, key)
        before = _state(world, key)
        label = {"finish": "结业", "cancel": "取消"}[code]
        _refused(lambda: move_class(target, code, None, owner), f"当前班级状态为“{status}”，不能{label}")
        assert _state(world, key) == before


# ---- the records of a 结业 --------------------------------------------------------------------------


def _expected(world, person: str, enrolment: str, owner: str, plan: str, klass: str) -> dict:
    """What every record of a world class carries (all world plans: 2 days, 12 hours, course co_a)."""
    return dict(
        person=person, enrolment_id=world.ids[enrolment], course_type="professional", course_name="co_a",
        study_form_code="01", start_on=date(2026, 3, 11), end_on=date(2026, 3, 13), days=Decimal("2"),
        exam_result=PASS, declared_hours=Decimal("12"), institution_org_id=world.ids[owner],
        declared_by_org_id=world.ids[owner], year=2026, location="学习地点", content=plan,
        source=RecordSource.CLASS,
    )


def _seen(world, record: Record) -> dict:
    columns = ("enrolment_id", "course_type", "course_name", "study_form_code", "start_on", "end_on", "days",
               "exam_result", "declared_hours", "institution_org_id", "declared_by_org_id", "year", "location",
               "content", "source")
    return {"person": world.keys[Person][record.person_id]} | {c: getattr(record, c) for c in columns}


@pytest.mark.parametrize("outsider,message", [
    ("ind_gz", "该培训班不属于本单位"),  # the plan's reviewer sees the class
    ("unit_sz", "该培训班不属于本单位"),
    ("multi_gz1", "您没有设置培训班状态的权限"),  # its own unit, no 培训班设置 among its roles
])
def test_a_units_own_class_grants_the_hours_at_once(app, world, outsider, message):
    """The unit finishes its own graded class (nobody else may): one record for its 合格 enrolee, 审核通过
    with 认定学时 = the plan's hours, no reviewer and no step to go, declared by the unit as 施教机构;
    its 审批流程 holds the 结业 and the recognition, both by the operator who pressed 结业."""
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        _grade(world, "cl_gz1_open", "unit_gz1", {"en_gz1_unit": PASS})
        _refused(lambda: move_class(target, "finish", None, world.actors[outsider]), message)
        assert _state(world, "cl_gz1_open") == (ClassStatus.OPEN, None, 0)

        assert move_class(target, "finish", "考核完成", world.actors["unit_gz1"]) == 1
        assert _state(world, "cl_gz1_open") == (ClassStatus.FINISHED, "考核完成", 1)
        [record] = _records_of(world, "cl_gz1_open").values()
        assert _seen(world, record) == _expected(
            world, "pe_gz1_ok", "en_gz1_unit", "or_unit_gz1", "pl_gz1_ok", "cl_gz1_open")
        assert (record.status, record.approved_hours, record.reviewer_org_id, record.review_step) == (
            ApplicationStatus.APPROVED, Decimal("12"), None, None)
        assert record.submitted_at is not None
        unit, user = world.ids["or_unit_gz1"], world.ids["u_unit_gz1"]
        assert _steps(record) == [
            ("培训班结业", ReviewResult.SUBMIT, unit, user, "cl_gz1_open"),
            ("继续教育记录认定", ReviewResult.APPROVE, unit, user, OWN_CLASS_OPINION),
        ]
        logged = db.session.scalars(select(AuditLog.summary).where(
            AuditLog.action == AuditAction.CLASS_STATUS, AuditLog.object_type == "training_class",
            AuditLog.object_id == str(target.id),
        )).all()
        assert logged == ["结业：cl_gz1_open，生成继续教育记录1条"]


def test_an_institutions_class_sends_each_record_to_the_persons_confirmed_unit(app, world):
    """cl_inst_p_enrol, every application confirmed, one more (pe_gz1_wait, still waiting for 广州 unit 1's
    确认) added: five 报名成功 enrolees, four 合格. Each 合格 one has a record, 待审核 at the unit step, routed to
    the unit the person is *confirmed* at: 深圳's for pe_sz_ok, 广州 unit 1's for pe_gz1_ok, nobody for
    pe_released (no unit) and pe_gz1_wait (bound, not confirmed). The 不合格 enrolee and the refused applicant
    (a 合格 left on the refused row: the records' own 报名成功 condition keeps it out) have none."""
    with acting(app):
        owner = world.actors["inst_p"]
        target = row(world, TrainingClass, "cl_inst_p_enrol")
        waiting = Enrolment(
            class_id=target.id, person_id=world.ids["pe_gz1_wait"], source=EnrolmentSource.SELF,
            status=EnrolmentStatus.APPLIED, applied_at=utcnow(),
        )
        db.session.add(waiting)
        db.session.flush()
        for key in ("en_p1_self", "en_released", "en_ind_o_staff"):
            decide(row(world, Enrolment, key), True, owner)
        decide(waiting, True, owner)
        _grade(world, "cl_inst_p_enrol", "inst_p", {
            "en_p2_self": PASS, "en_p1_self": PASS, "en_released": PASS, "en_ind_o_staff": FAIL,
        })
        save_results(target, {waiting.id: (None, PASS)}, owner)
        row(world, Enrolment, "en_gz2_refused").result = PASS
        db.session.flush()

        assert move_class(target, "finish", None, owner) == 4
        records = _records_of(world, "cl_inst_p_enrol")
        reviewers = {"pe_sz_ok": "or_unit_sz", "pe_gz1_ok": "or_unit_gz1", "pe_released": None, "pe_gz1_wait": None}
        assert set(records) == set(reviewers)
        enrolments = {"pe_sz_ok": "en_p2_self", "pe_gz1_ok": "en_p1_self", "pe_released": "en_released"}
        inst, user = world.ids["or_inst_p"], world.ids["u_inst_p"]
        for person, reviewer in reviewers.items():
            record = records[person]
            expected = _expected(world, person, "en_p2_self", "or_inst_p", "pl_inst_p_ok", "cl_inst_p_enrol")
            expected["enrolment_id"] = world.ids[enrolments[person]] if person in enrolments else waiting.id
            assert _seen(world, record) == expected
            assert (record.status, record.approved_hours, record.reviewer_org_id, record.review_step) == (
                ApplicationStatus.PENDING, None, world.ids[reviewer] if reviewer else None, "unit"), person
            assert _steps(record) == [("培训班结业", ReviewResult.SUBMIT, inst, user, "cl_inst_p_enrol")]


def test_an_industry_departments_class_is_recognised_by_the_persons_unit(app, world):
    """The province's 甲 department runs cl_ind_p_enrol: its 合格 enrolee's record waits for 认定 at 广州 unit 2,
    where pe_gz2_ok is confirmed, declared by the department as 施教机构; a 学习地点 longer than a record
    holds is cut to its first 100 characters."""
    with acting(app):
        owner = world.actors["ind_p"]
        target = row(world, TrainingClass, "cl_ind_p_enrol")
        target.location = "地" * 120
        db.session.flush()
        _grade(world, "cl_ind_p_enrol", "ind_p", {"en_gz2_ind": PASS})
        assert move_class(target, "finish", None, owner) == 1
        [record] = _records_of(world, "cl_ind_p_enrol").values()
        expected = _expected(world, "pe_gz2_ok", "en_gz2_ind", "or_ind_p_a", "pl_ind_p_ok", "cl_ind_p_enrol")
        assert _seen(world, record) == expected | {"location": "地" * 100}
        assert (record.status, record.approved_hours, record.reviewer_org_id, record.review_step) == (
            ApplicationStatus.PENDING, None, world.ids["or_unit_gz2"], "unit")


# ---- 批量: each class on its own --------------------------------------------------------------------


def test_a_batch_finishes_the_classes_it_may_and_skips_the_rest(app, world):
    """unit_gz1 finishes three of its classes at once: the graded cl_gz1_open is finished (its one record
    counted in `done`), the class of a draft plan and the cancelled class are skipped with their reasons.
    (Run 10's `move_many` 12/14: the move or the actor lost on the way, every row refused.)"""
    with acting(app):
        owner = world.actors["unit_gz1"]
        _grade(world, "cl_gz1_open", "unit_gz1", {"en_gz1_unit": PASS})
        rows = [row(world, TrainingClass, key) for key in ("cl_gz1_draft", "cl_gz1_open", "cl_gz1_cancel")]
        outcome = move_many(rows, "finish", "考核完成", owner)
        assert [(str(r), created) for r, created in outcome.done] == [("cl_gz1_open", 1)]
        assert outcome.skipped == [
            ("cl_gz1_draft", "专业课计划审核通过后才能设置班级状态"),
            ("cl_gz1_cancel", "当前班级状态为“取消”，不能结业"),
        ]
        assert _state(world, "cl_gz1_open") == (ClassStatus.FINISHED, "考核完成", 1)
        assert _state(world, "cl_gz1_draft") == (ClassStatus.NOT_STARTED, None, 0)


def test_a_batch_with_a_bad_move_or_note_moves_nothing(app, world):
    with acting(app):
        owner = world.actors["unit_gz1"]
        target = row(world, TrainingClass, "cl_gz1_open")
        _refused(lambda: move_many([target], "reopen", None, owner), "请选择班级状态")
        _refused(lambda: move_many([target], "cancel", "说" * 51, owner), "说明请控制在50字之内")
        assert _state(world, "cl_gz1_open") == (ClassStatus.OPEN, None, 0)

        outcome = move_many([target], "cancel", "说" * 50, owner)
        assert [(str(r), created) for r, created in outcome.done] == [("cl_gz1_open", 0)]
        assert _state(world, "cl_gz1_open") == (ClassStatus.CANCELLED, "说" * 50, 0)
