"""The enrolment workflows' guards (workflows/enrolments.py, issue 10 item 5), called straight like
test_guards_training.py: who may enter whom into which class, who applies, who cancels an application,
who confirms or refuses it — each refusal by an identity that must be refused (where one exists, one
that *sees* the row through its scope, so the guard and not the scope stops it) beside the same call by
the identity that may make it, with the rows it writes.

- `_owned_class` (录入, 取消录入, 确认, 拒绝): the class is of an *approved* plan of the acting organisation,
  which holds the screen's module;
- `enter`: only the unit's own *confirmed* people, only while the class 接受报名 or 开班, a seat free;
- `apply` / `cancel_application`: only the person acting as themselves, only their own application;
- `decide`: only the organisation owning the class, approve and refuse alike.

Run 10 found no oracle test reaching the module (398 mutants, all "no tests").
The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
Batches go through `each_row` (one savepoint per row), as the screens' actions do.
"""
import dataclasses
import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import AuditAction, ClassStatus, EnrolmentSource, EnrolmentStatus, ExamResult
from backoffice.models import AuditLog, Enrolment, Person, TrainingClass
from backoffice.workflows import WorkflowError, each_row
from backoffice.workflows.enrolments import apply, cancel_application, decide, enter, open_to_people, withdraw
from world import acting, row

NOT_OURS = "该培训班不属于本单位"
NOT_APPROVED = "专业课计划审核通过后才能报名"
NOT_OWN_PERSON = "只能录入本单位已确认的专业技术人员"
NOT_MINE = "只能取消本人的报名"
ONLY_PEOPLE = "只有专业技术人员本人才能报名"


def _enrolment(world, cls: str, person: str, status: str, result: str | None = None) -> Enrolment:
    """An extra enrolment made straight with the model (no workflow, no seat)."""
    new = Enrolment(class_id=world.ids[cls], person_id=world.ids[person], source=EnrolmentSource.SELF,
                    status=status, result=result)
    db.session.add(new)
    db.session.flush()
    return new


def _new_class(world, plan: str, status: str) -> TrainingClass:
    new = TrainingClass(
        plan_id=world.ids[plan], name="or_extra_class", planned_open_on=date(2026, 3, 11), study_form_code="01",
        study_start_on=date(2026, 3, 11), study_end_on=date(2026, 3, 12), capacity=30,
        head_teacher_id=world.ids["te_inst_p"], exam_type_code="02", location="地点", schedule="安排", status=status,
    )
    db.session.add(new)
    db.session.flush()
    return new


def _of(world, cls: str, person: str) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(
        Enrolment.class_id == world.ids[cls], Enrolment.person_id == world.ids[person]))


def _state(enrolment: Enrolment) -> tuple:
    db.session.refresh(enrolment)
    return enrolment.status, enrolment.decided_at is not None


def _seats(training_class: TrainingClass) -> int:
    db.session.refresh(training_class)
    return training_class.enrolled_count


def _count(training_class: TrainingClass) -> int:
    return db.session.scalar(select(func.count()).select_from(Enrolment).where(Enrolment.class_id == training_class.id))


def _logs(enrolment: Enrolment) -> list[tuple]:
    """The 报名 rows of the 操作日志 written by the workflow itself (conditional UPDATEs), oldest first."""
    rows = db.session.scalars(select(AuditLog).where(
        AuditLog.object_type == "enrolment", AuditLog.object_id == str(enrolment.id),
        AuditLog.action == AuditAction.ENROLMENT).order_by(AuditLog.id))
    return [(r.summary, r.before, r.after) for r in rows]


# ---- _owned_class: the class of an approved plan of the acting organisation, with the screen's module ----


@pytest.mark.parametrize(
    "who,cls,message",
    [
        # 深圳's unit holds 培训班人员录入, but 广州 unit 1's class is not its own
        ("unit_sz", "cl_gz1_open", NOT_OURS),
        # its own unit's class, through a role without 培训班人员录入
        ("multi_gz1", "cl_gz1_open", "您没有录入培训班人员的权限"),
        # an institution or a department confirms applications, it enters nobody
        ("inst_p", "cl_inst_p_enrol", "您没有录入培训班人员的权限"),
        ("p1", "cl_gz1_open", "您没有录入培训班人员的权限"),
        ("admin", "cl_gz1_open", "您没有录入培训班人员的权限"),
        # its own classes, but of a plan still a draft or waiting for review
        ("unit_gz1", "cl_gz1_draft", NOT_APPROVED),
        ("unit_gz1", "cl_gz1_wait", NOT_APPROVED),
    ],
)
def test_only_the_owner_of_an_approved_plan_enters_people(app, world, who, cls, message):
    """`_owned_class` for 录入: refused before anything is written; the owner enters the same person."""
    with acting(app):
        target = row(world, TrainingClass, cls)
        person = row(world, Person, "pe_gz1_b")  # 广州 unit 1's confirmed person
        before = _seats(target)
        with pytest.raises(WorkflowError, match=re.escape(message)):
            enter(target, person, world.actors[who])
        assert _of(world, cls, "pe_gz1_b") is None and _seats(target) == before

        entered = enter(row(world, TrainingClass, "cl_gz1_open"), person, world.actors["unit_gz1"])
        assert (entered.status, entered.source, entered.entered_by_org_id) == (
            EnrolmentStatus.ENROLLED, EnrolmentSource.UNIT, world.ids["or_unit_gz1"])


def test_no_actor_and_an_actor_of_no_organisation_are_refused(app, world):
    """`actor is None` and `actor.org_id is None` each refuse on their own: an identity holding the
    module but acting for no organisation is no class's owner."""
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        person = row(world, Person, "pe_gz1_b")
        orphan = dataclasses.replace(world.actors["unit_gz1"], org_id=None)
        for actor in (None, orphan):
            with pytest.raises(WorkflowError, match=re.escape("您没有录入培训班人员的权限")):
                enter(target, person, actor)
            with pytest.raises(WorkflowError, match=re.escape("您没有取消录入的权限")):
                withdraw(row(world, Enrolment, "en_gz1_unit"), actor)
        confirm_orphan = dataclasses.replace(world.actors["inst_p"], org_id=None)
        for actor in (None, confirm_orphan):
            with pytest.raises(WorkflowError, match=re.escape("您没有确认报名的权限")):
                decide(row(world, Enrolment, "en_p1_self"), True, actor)
        assert _seats(target) == 1 and _of(world, "cl_gz1_open", "pe_gz1_b") is None
        assert _state(row(world, Enrolment, "en_gz1_unit")) == (EnrolmentStatus.ENROLLED, False)
        assert _state(row(world, Enrolment, "en_p1_self")) == (EnrolmentStatus.APPLIED, False)


# ---- enter: only the unit's own confirmed people, while the class takes enrolees, a seat free -----


@pytest.mark.parametrize(
    "person",
    [
        "pe_gz1_wait",  # 广州 unit 1's, not yet confirmed
        "pe_gz2_ok",  # confirmed, of 广州 unit 2
        "pe_sz_ok",  # confirmed, of 深圳's unit
        "pe_released",  # released by every unit
    ],
)
def test_a_unit_enters_only_its_own_confirmed_people(app, world, person):
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        who = row(world, Person, person)
        with pytest.raises(WorkflowError, match=re.escape(NOT_OWN_PERSON)):
            enter(target, who, world.actors["unit_gz1"])
        assert _of(world, "cl_gz1_open", person) is None and _seats(target) == 1


def test_entering_writes_one_enrolment_and_takes_one_seat(app, world):
    """The happy path: 报名成功 at once, by the unit, decided now, the class's count one up."""
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        person = row(world, Person, "pe_going")
        entered = enter(target, person, world.actors["unit_gz1"])
        db.session.refresh(entered)
        assert (entered.class_id, entered.person_id, entered.status, entered.source, entered.entered_by_org_id,
                entered.decided_at is not None, entered.applied_at is not None, entered.score, entered.result) == (
            target.id, world.ids["pe_going"], EnrolmentStatus.ENROLLED, EnrolmentSource.UNIT,
            world.ids["or_unit_gz1"], True, True, None, None)
        assert _seats(target) == 2
        assert _count(target) == 2


@pytest.mark.parametrize(
    "status,message",
    [
        (ClassStatus.CANCELLED, "当前班级状态为“取消”，只有“接受报名”或“开班”的培训班才能录入"),
        (ClassStatus.FINISHED, "当前班级状态为“结业”，只有“接受报名”或“开班”的培训班才能录入"),
        (ClassStatus.NOT_STARTED, "当前班级状态为“未开班”，只有“接受报名”或“开班”的培训班才能录入"),
        (ClassStatus.ENROLLING, None),
        (ClassStatus.OPEN, None),
    ],
)
def test_a_unit_enters_only_while_the_class_takes_enrolees(app, world, status, message):
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        target.status = status
        db.session.flush()
        person = row(world, Person, "pe_gz1_b")
        if message is None:
            assert enter(target, person, world.actors["unit_gz1"]).status == EnrolmentStatus.ENROLLED
            assert _seats(target) == 2
        else:
            with pytest.raises(WorkflowError, match=re.escape(message)):
                enter(target, person, world.actors["unit_gz1"])
            assert _of(world, "cl_gz1_open", "pe_gz1_b") is None and _seats(target) == 1


def test_the_last_seat_goes_once(app, world):
    """计划招生人数 2, one enrolled: the second is entered (count == capacity is reached, not passed), the
    third refused, its savepoint rolled back."""
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        target.capacity = 2
        db.session.flush()
        unit = world.actors["unit_gz1"]
        outcome = each_row(["pe_gz1_b", "pe_going"], lambda key: enter(target, row(world, Person, key), unit))
        assert [key for key, _ in outcome.done] == ["pe_gz1_b"]
        assert outcome.skipped == [("pe_going", "培训班已满（计划招生人数2人），不能再报名")]
        assert _seats(target) == 2 and _of(world, "cl_gz1_open", "pe_going") is None


def test_a_person_already_in_the_class_is_not_entered_twice(app, world):
    """pe_gz1_ok is 报名成功 in cl_gz1_open: refused, and the seat the attempt took is given back with
    its savepoint (one row per person and class)."""
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        person = row(world, Enrolment, "en_gz1_unit").person
        outcome = each_row([person], lambda p: enter(target, p, world.actors["unit_gz1"]))
        assert (outcome.done, outcome.skipped) == ([], [("pe_gz1_ok", "已在该培训班中（报名成功）")])
        assert _seats(target) == 1
        assert _state(row(world, Enrolment, "en_gz1_unit")) == (EnrolmentStatus.ENROLLED, False)


@pytest.mark.parametrize("ended", [EnrolmentStatus.CANCELLED, EnrolmentStatus.REFUSED])
def test_an_ended_enrolment_is_started_again_in_the_same_row(app, world, ended):
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        old = _enrolment(world, "cl_gz1_open", "pe_gz1_b", ended, ExamResult.FAIL)
        old.score = Decimal("55")
        db.session.flush()
        entered = enter(target, old.person, world.actors["unit_gz1"])
        assert entered.id == old.id
        db.session.refresh(old)
        assert (old.status, old.source, old.entered_by_org_id, old.result, old.score, old.decided_at is not None) == (
            EnrolmentStatus.ENROLLED, EnrolmentSource.UNIT, world.ids["or_unit_gz1"], None, None, True)
        assert _seats(target) == 2
        assert _logs(old) == [("录入：cl_gz1_open：pe_gz1_b", {"status": ended}, {"status": EnrolmentStatus.ENROLLED})]


# ---- 取消 (录入): the owner, while the class takes enrolees, no result yet --------------------------


@pytest.mark.parametrize(
    "who,message",
    [("unit_sz", NOT_OURS), ("multi_gz1", "您没有取消录入的权限"), ("ind_gz", "您没有取消录入的权限"),
     ("inst_p", "您没有取消录入的权限")],
)
def test_only_the_owner_withdraws_an_enrolee(app, world, who, message):
    """ind_gz and multi_gz1 see en_gz1_unit; neither takes it out of the class."""
    with acting(app):
        enrolment = row(world, Enrolment, "en_gz1_unit")
        target = row(world, TrainingClass, "cl_gz1_open")
        with pytest.raises(WorkflowError, match=re.escape(message)):
            withdraw(enrolment, world.actors[who])
        assert _state(enrolment) == (EnrolmentStatus.ENROLLED, False) and _seats(target) == 1

        withdraw(enrolment, world.actors["unit_gz1"])
        assert _state(enrolment) == (EnrolmentStatus.CANCELLED, True) and _seats(target) == 0
        assert _logs(enrolment) == [("取消录入：cl_gz1_open：pe_gz1_ok", {"status": EnrolmentStatus.ENROLLED},
                                     {"status": EnrolmentStatus.CANCELLED})]


def test_a_batch_withdraws_only_from_the_units_own_classes(app, world):
    """取消 of the unit's screen with the id of an enrolee of the institution's class posted: skipped."""
    with acting(app):
        own, other = row(world, Enrolment, "en_gz1_unit"), row(world, Enrolment, "en_p2_self")
        outcome = each_row([other, own], lambda e: withdraw(e, world.actors["unit_gz1"]), label=lambda e: e.id)
        assert ([e.id for e, _ in outcome.done], outcome.skipped) == ([own.id], [(other.id, NOT_OURS)])
        assert _state(own) == (EnrolmentStatus.CANCELLED, True)
        assert _state(other) == (EnrolmentStatus.ENROLLED, False)
        seats = [_seats(row(world, TrainingClass, key)) for key in ("cl_gz1_open", "cl_inst_p_enrol")]
        assert seats == [0, 1]


def test_withdrawing_from_a_class_of_a_plan_not_approved_is_refused(app, world):
    with acting(app):
        enrolment = _enrolment(world, "cl_gz1_wait", "pe_gz1_b", EnrolmentStatus.ENROLLED)
        with pytest.raises(WorkflowError, match=re.escape(NOT_APPROVED)):
            withdraw(enrolment, world.actors["unit_gz1"])
        assert _state(enrolment) == (EnrolmentStatus.ENROLLED, False)


@pytest.mark.parametrize(
    "status,result,enrolment_status,message",
    [
        (ClassStatus.FINISHED, None, EnrolmentStatus.ENROLLED,
         "当前班级状态为“结业”，只有“接受报名”或“开班”的培训班才能取消录入"),
        (ClassStatus.OPEN, ExamResult.PASS, EnrolmentStatus.ENROLLED, "已录入考核结果，不能取消"),
        (ClassStatus.OPEN, None, EnrolmentStatus.CANCELLED, "当前报名状态为“已取消”，不能取消"),
        (ClassStatus.ENROLLING, None, EnrolmentStatus.APPLIED, "当前报名状态为“已报名待确认”，不能取消"),
    ],
)
def test_an_enrolee_is_withdrawn_only_while_the_class_runs_and_without_a_result(
        app, world, status, result, enrolment_status, message):
    with acting(app):
        enrolment = row(world, Enrolment, "en_gz1_unit")
        target = row(world, TrainingClass, "cl_gz1_open")
        enrolment.result, enrolment.status, target.status = result, enrolment_status, status
        db.session.flush()
        with pytest.raises(WorkflowError, match=re.escape(message)):
            withdraw(enrolment, world.actors["unit_gz1"])
        assert _state(enrolment) == (enrolment_status, False) and _seats(target) == 1


def test_withdrawing_while_enrolling_gives_the_seat_back(app, world):
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        target.status = ClassStatus.ENROLLING
        db.session.flush()
        withdraw(row(world, Enrolment, "en_gz1_unit"), world.actors["unit_gz1"])
        assert _state(row(world, Enrolment, "en_gz1_unit")) == (EnrolmentStatus.CANCELLED, True)
        assert _seats(target) == 0


# ---- 报名: the person themselves, a class of an institution or department, 接受报名, not full ----------


@pytest.mark.parametrize("who", ["unit_gz1", "inst_p", "ind_p", "hr_gz", "admin", "nobody"])
def test_only_a_person_applies(app, world, who):
    with acting(app):
        target = row(world, TrainingClass, "cl_ind_p_enrol")
        with pytest.raises(WorkflowError, match=re.escape(ONLY_PEOPLE)):
            apply(target, world.actors[who])
        assert _seats(target) == 1 and _count(target) == 2


def test_a_person_without_a_person_record_or_the_screen_does_not_apply(app, world):
    """`person_id is None` and `can_use` each refuse on their own, and so does no actor."""
    with acting(app):
        target = row(world, TrainingClass, "cl_ind_p_enrol")
        p1 = world.actors["p1"]
        for actor in (None, dataclasses.replace(p1, person_id=None), dataclasses.replace(p1, modules=frozenset())):
            with pytest.raises(WorkflowError, match=re.escape(ONLY_PEOPLE)):
                apply(target, actor)
        assert _of(world, "cl_ind_p_enrol", "pe_gz1_ok") is None


def test_applying_writes_one_application_of_the_person(app, world):
    """p1 applies to the province department's class: 已报名待确认, by themselves, no seat taken."""
    with acting(app):
        target = row(world, TrainingClass, "cl_ind_p_enrol")
        applied = apply(target, world.actors["p1"])
        db.session.refresh(applied)
        assert (applied.class_id, applied.person_id, applied.status, applied.source, applied.entered_by_org_id,
                applied.decided_at, applied.applied_at is not None) == (
            target.id, world.ids["pe_gz1_ok"], EnrolmentStatus.APPLIED, EnrolmentSource.SELF, None, None, True)
        assert _seats(target) == 1


def test_a_refused_person_applies_again_in_the_same_row(app, world):
    """p2 was refused by cl_ind_p_enrol (en_p2_refused): the same row waits again, logged as 重新报名."""
    with acting(app):
        old = row(world, Enrolment, "en_p2_refused")
        applied = apply(row(world, TrainingClass, "cl_ind_p_enrol"), world.actors["p2"])
        assert applied.id == old.id
        assert _state(old) == (EnrolmentStatus.APPLIED, False)
        assert _logs(old) == [("重新报名：cl_ind_p_enrol：pe_sz_ok", {"status": EnrolmentStatus.REFUSED},
                               {"status": EnrolmentStatus.APPLIED})]


def test_a_waiting_or_enrolled_person_does_not_apply_again(app, world):
    with acting(app):
        target = row(world, TrainingClass, "cl_inst_p_enrol")
        with pytest.raises(WorkflowError, match=re.escape("已在该培训班中（已报名待确认）")):
            apply(target, world.actors["p1"])
        with pytest.raises(WorkflowError, match=re.escape("已在该培训班中（报名成功）")):
            apply(target, world.actors["p2"])
        assert _state(row(world, Enrolment, "en_p1_self")) == (EnrolmentStatus.APPLIED, False)
        assert _state(row(world, Enrolment, "en_p2_self")) == (EnrolmentStatus.ENROLLED, False)


def _apply_message(label: str) -> str:
    return f"当前班级状态为“{label}”，只有“接受报名”的施教机构培训班才能报名"


def test_people_apply_only_to_open_classes_of_institutions_and_departments(app, world):
    """A unit's class is internal even while 接受报名; an institution's class of a plan still waiting
    for review, finished or already 开班 takes no application; the institution's and the department's
    classes 接受报名 do."""
    with acting(app):
        p1 = world.actors["p1"]
        unit_class = row(world, TrainingClass, "cl_gz1_open")
        unit_class.status = ClassStatus.ENROLLING
        waiting = _new_class(world, "pl_inst_p_wait", ClassStatus.ENROLLING)
        started = row(world, TrainingClass, "cl_inst_p_enrol")
        db.session.flush()
        refused = [
            (unit_class, _apply_message("接受报名")),
            (waiting, _apply_message("接受报名")),
            (row(world, TrainingClass, "cl_inst_p_done"), _apply_message("结业")),
        ]
        for target, message in refused:
            assert open_to_people(target) is False
            with pytest.raises(WorkflowError, match=re.escape(message)):
                apply(target, p1)
        assert _of(world, "cl_inst_p_done", "pe_gz1_ok") is None
        assert db.session.scalar(select(Enrolment.id).where(Enrolment.class_id == waiting.id)) is None

        started.status = ClassStatus.OPEN
        db.session.flush()
        assert open_to_people(started) is False
        with pytest.raises(WorkflowError, match=re.escape(_apply_message("开班"))):
            apply(started, world.actors["p2"])  # p2 is enrolled there: the class state answers first
        started.status = ClassStatus.ENROLLING
        db.session.flush()
        assert open_to_people(started) is True
        assert open_to_people(row(world, TrainingClass, "cl_ind_p_enrol")) is True
        assert apply(row(world, TrainingClass, "cl_ind_p_enrol"), p1).status == EnrolmentStatus.APPLIED


@pytest.mark.parametrize("capacity,full", [(1, True), (2, False)])
def test_a_full_class_takes_no_application(app, world, capacity, full):
    """cl_ind_p_enrol has one enrolee: with 1 seat it is full, with 2 it takes the application."""
    with acting(app):
        target = row(world, TrainingClass, "cl_ind_p_enrol")
        target.capacity = capacity
        db.session.flush()
        if full:
            with pytest.raises(WorkflowError, match=re.escape("培训班已满（计划招生人数1人），不能再报名")):
                apply(target, world.actors["p1"])
            assert _of(world, "cl_ind_p_enrol", "pe_gz1_ok") is None
        else:
            assert apply(target, world.actors["p1"]).status == EnrolmentStatus.APPLIED
        assert _seats(target) == 1


# ---- 取消报名: only the person's own application, only while it waits ------------------------------


@pytest.mark.parametrize("who", ["p2", "unit_gz1", "inst_p", "hr_gz", "admin"])
def test_only_the_person_cancels_their_application(app, world, who):
    """en_p1_self is p1's: 广州 unit 1, HR and the institution see it, p2 is another person."""
    with acting(app):
        enrolment = row(world, Enrolment, "en_p1_self")
        with pytest.raises(WorkflowError, match=re.escape(NOT_MINE)):
            cancel_application(enrolment, world.actors[who])
        assert _state(enrolment) == (EnrolmentStatus.APPLIED, False)

        cancel_application(enrolment, world.actors["p1"])
        assert _state(enrolment) == (EnrolmentStatus.CANCELLED, True)
        assert _logs(enrolment) == [("取消报名：cl_inst_p_enrol：pe_gz1_ok", {"status": EnrolmentStatus.APPLIED},
                                     {"status": EnrolmentStatus.CANCELLED})]


def test_no_actor_cancels_nothing(app, world):
    with acting(app):
        enrolment = row(world, Enrolment, "en_p1_self")
        with pytest.raises(WorkflowError, match=re.escape(NOT_MINE)):
            cancel_application(enrolment, None)
        assert _state(enrolment) == (EnrolmentStatus.APPLIED, False)


def test_cancelling_in_a_batch_skips_the_others_applications(app, world):
    """取消报名 of the person's screen: p1's own application goes, p2's (a stranger's id posted) stays."""
    with acting(app):
        mine, other = row(world, Enrolment, "en_p1_self"), row(world, Enrolment, "en_released")
        outcome = each_row([other, mine], lambda e: cancel_application(e, world.actors["p1"]), label=lambda e: e.id)
        assert [e.id for e, _ in outcome.done] == [mine.id]
        assert outcome.skipped == [(other.id, NOT_MINE)]
        assert _state(mine) == (EnrolmentStatus.CANCELLED, True)
        assert _state(other) == (EnrolmentStatus.APPLIED, False)


@pytest.mark.parametrize("key,label", [("en_p2_self", "报名成功"), ("en_p2_refused", "已拒绝")])
def test_only_a_waiting_application_is_cancelled(app, world, key, label):
    with acting(app):
        enrolment = row(world, Enrolment, key)
        before = enrolment.status
        with pytest.raises(WorkflowError, match=re.escape(
                f"当前报名状态为“{label}”，只有“已报名待确认”的报名才能取消")):
            cancel_application(enrolment, world.actors["p2"])
        assert _state(enrolment) == (before, False)


# ---- 确认 / 拒绝: only the organisation owning the class -------------------------------------------


@pytest.mark.parametrize(
    "who,accept,message",
    [
        # the province's 甲 department sees en_p1_self (it queries the institution's class) and holds
        # 培训班报名确认 for its own classes: not this one
        ("ind_p", True, NOT_OURS),
        ("ind_p", False, NOT_OURS),
        ("inst_oc", True, NOT_OURS),
        # 广州 unit 1 and HR see it (their person), neither holds 培训班报名确认
        ("unit_gz1", True, "您没有确认报名的权限"),
        ("unit_gz1", False, "您没有拒绝报名的权限"),
        ("hr_gz", False, "您没有拒绝报名的权限"),
        ("p1", True, "您没有确认报名的权限"),
    ],
)
def test_only_the_owner_decides_an_application(app, world, who, accept, message):
    with acting(app):
        enrolment = row(world, Enrolment, "en_p1_self")
        target = row(world, TrainingClass, "cl_inst_p_enrol")
        with pytest.raises(WorkflowError, match=re.escape(message)):
            decide(enrolment, accept, world.actors[who])
        assert _state(enrolment) == (EnrolmentStatus.APPLIED, False) and _seats(target) == 1

        decide(enrolment, accept, world.actors["inst_p"])
        expected = EnrolmentStatus.ENROLLED if accept else EnrolmentStatus.REFUSED
        assert _state(enrolment) == (expected, True)
        assert _seats(target) == (2 if accept else 1)
        verb = "确认" if accept else "拒绝"
        assert _logs(enrolment) == [(f"报名{verb}：cl_inst_p_enrol：pe_gz1_ok", {"status": EnrolmentStatus.APPLIED},
                                     {"status": expected})]


@pytest.mark.parametrize("accept", [True, False])
def test_a_batch_decides_only_the_owners_applications(app, world, accept):
    """确认 / 拒绝 of the department's screen with ids of another organisation's class posted: the
    department's own application is decided, the institution's skipped, unchanged."""
    with acting(app):
        own = _enrolment(world, "cl_ind_p_enrol", "pe_gz1_ok", EnrolmentStatus.APPLIED)
        other = row(world, Enrolment, "en_p1_self")
        outcome = each_row([other, own], lambda e: decide(e, accept, world.actors["ind_p"]), label=lambda e: e.id)
        assert [e.id for e, _ in outcome.done] == [own.id]
        assert outcome.skipped == [(other.id, NOT_OURS)]
        assert _state(other) == (EnrolmentStatus.APPLIED, False)
        assert _state(own) == (EnrolmentStatus.ENROLLED if accept else EnrolmentStatus.REFUSED, True)
        assert _seats(row(world, TrainingClass, "cl_ind_p_enrol")) == (2 if accept else 1)
        assert _seats(row(world, TrainingClass, "cl_inst_p_enrol")) == 1


def test_an_application_to_a_class_of_a_plan_not_approved_is_not_decided(app, world):
    with acting(app):
        waiting = _new_class(world, "pl_inst_p_wait", ClassStatus.ENROLLING)
        enrolment = _enrolment(world, "cl_inst_p_enrol", "pe_gz1_b", EnrolmentStatus.APPLIED)
        enrolment.class_id = waiting.id
        db.session.flush()
        with pytest.raises(WorkflowError, match=re.escape(NOT_APPROVED)):
            decide(enrolment, False, world.actors["inst_p"])
        assert _state(enrolment) == (EnrolmentStatus.APPLIED, False)


@pytest.mark.parametrize(
    "key,accept,message",
    [
        ("en_p2_self", True, "当前报名状态为“报名成功”，只有“已报名待确认”的报名才能确认"),
        ("en_gz2_refused", True, "当前报名状态为“已拒绝”，只有“已报名待确认”的报名才能确认"),
        ("en_p2_self", False, "当前报名状态为“报名成功”，只有“已报名待确认”的报名才能拒绝"),
    ],
)
def test_only_a_waiting_application_is_decided(app, world, key, accept, message):
    with acting(app):
        enrolment = row(world, Enrolment, key)
        before = enrolment.status
        with pytest.raises(WorkflowError, match=re.escape(message)):
            decide(enrolment, accept, world.actors["inst_p"])
        assert _state(enrolment) == (before, False)
        assert _seats(row(world, TrainingClass, "cl_inst_p_enrol")) == 1


def test_confirming_needs_a_seat_and_a_class_taking_enrolees(app, world):
    """The status change and the seat are one savepoint: a full class, or one 结业, refuses the 确认 and
    the application still waits; 拒绝 needs neither."""
    with acting(app):
        target = row(world, TrainingClass, "cl_inst_p_enrol")
        target.capacity = 1
        finished = _enrolment(world, "cl_inst_p_done", "pe_gz1_ok", EnrolmentStatus.APPLIED)
        waiting = row(world, Enrolment, "en_p1_self")
        inst = world.actors["inst_p"]
        outcome = each_row([waiting, finished], lambda e: decide(e, True, inst), label=lambda e: e.id)
        assert outcome.done == []
        assert outcome.skipped == [
            (waiting.id, "培训班已满（计划招生人数1人），不能再报名"),
            (finished.id, "当前班级状态为“结业”，只有“接受报名”或“开班”的培训班才能报名"),
        ]
        assert _state(waiting) == (EnrolmentStatus.APPLIED, False)
        assert _state(finished) == (EnrolmentStatus.APPLIED, False)
        assert _seats(target) == 1

        target.capacity = 2
        db.session.flush()
        decide(waiting, True, inst)
        decide(finished, False, inst)
        assert _state(waiting) == (EnrolmentStatus.ENROLLED, True) and _seats(target) == 2
        assert _state(finished) == (EnrolmentStatus.REFUSED, True)
