"""The attendance workflows' guards (workflows/attendance.py, 培训班考勤设置 and 扫码签到), called straight
like test_guards_training.py.

- `check_owner`: only the organisation running the class (`classes_run_by`: its own *approved* plan's
  class), holding 培训班考勤设置, keeps its attendance, and changes it only while the class 开班 or 接受报名.
  The refused identity is, where one exists, one that *sees* the class and its sessions (广州's and the
  province's 甲 departments hold the module for their own classes), so the guard and not the scope stops it;
- `save_marks`: only the class's 报名成功 enrolees, only the four marks;
- `add_session`: a date inside the class's study time, an end after the start (to the minute), one
  session per class, date and start — the boundaries accepted and refused;
- `check_in`: only a person acting as themselves, 报名成功 in the class, while it runs, inside the
  window (15 minutes before the start until the end, Beijing time), once;
- `session_id_of`: only a token we signed, holding a session id in 1 … 2³¹−1;
- 成绩录入 (workflows/results.py) reads the same `check_owner`: only the owner, only enrolees, 成绩 0–100
  with one decimal at most.

Run 10 found no oracle test reaching the module (579 mutants, all "no tests").
The calls run inside `acting(app)`: rolled back at its end, so the module's world stays as built.
"""
import dataclasses
from contextlib import contextmanager
from collections import Counter
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from backoffice.extensions import db
from backoffice.labels import AttendanceMark, AuditAction, ClassStatus, EnrolmentSource, EnrolmentStatus
from backoffice.models import Attendance, AttendanceSession, AuditLog, Enrolment, TrainingClass, User
from backoffice.workflows import WorkflowError
from backoffice.workflows.attendance import (
    CheckInRefused,
    add_session,
    attendance_of,
    check_in,
    checkin_token,
    counts_by_session,
    delete_session,
    mark_all_present,
    marks_of,
    rates,
    roster,
    save_marks,
    session_id_of,
    sessions_of,
)
from backoffice.workflows.results import save_results
from world import acting, row

NOT_OURS = "该培训班不属于本单位"
NO_MODULE = "您没有管理该培训班的权限"
STRANGERS = "提交的学员不是该培训班报名成功的学员，请刷新页面后重试"
NOT_ENROLLED = "您不是该培训班报名成功的学员，不能签到"
BAD_TOKEN = "签到二维码无效：请重新扫描培训现场的二维码"
FORGED = "签到二维码无效：链接不完整或已被修改，请重新扫描培训现场的二维码"
PRESENT, ABSENT, LATE, LEAVE = AttendanceMark.PRESENT, AttendanceMark.ABSENT, AttendanceMark.LATE, AttendanceMark.LEAVE
DAY = date(2026, 3, 11)  # the classes' 学习开始时间; they end 2026-03-13


def _enrol(world, cls: str, person: str, status: str = EnrolmentStatus.ENROLLED) -> Enrolment:
    """An extra enrolment made straight with the model (no workflow)."""
    new = Enrolment(class_id=world.ids[cls], person_id=world.ids[person], source=EnrolmentSource.UNIT, status=status)
    db.session.add(new)
    db.session.flush()
    return new


def _sessions(world, cls: str) -> list[tuple]:
    return [(s.on_date, s.starts_at, s.ends_at) for s in sessions_of(world.ids[cls])]


def _marks(session_id: int) -> dict[int, tuple]:
    """enrolment id → (mark, by scan, marked by, checked in) in this session, read afresh."""
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session_id)
                              .execution_options(populate_existing=True))
    return {r.enrolment_id: (r.mark, r.by_scan, r.marked_by_id, r.checked_in_at) for r in rows}


def _logs(object_type: str, object_id: int) -> list[tuple]:
    rows = db.session.scalars(select(AuditLog).where(
        AuditLog.object_type == object_type, AuditLog.object_id == str(object_id)).order_by(AuditLog.id))
    return [(r.action, r.summary, r.before, r.after) for r in rows]


def _user(world, identity: str) -> int:
    return world.actors[identity].user_id


@contextmanager
def _raises(message: str):
    """The block raises WorkflowError with exactly this message (a `match=` search would also pass a
    message wrapped in other text)."""
    with pytest.raises(WorkflowError) as caught:
        yield
    assert str(caught.value) == message


# ---- check_owner: only the organisation running the class, only while it runs -------------------


OUTSIDERS = [
    # 广州's 甲 department sees cl_gz1_open and its session (it reviewed the plan) and keeps attendance
    # of its own classes: not of this one
    ("ind_gz", "as_gz1", NOT_OURS),
    ("ind_p", "as_gz1", NOT_OURS),
    # the province's 甲 department sees the institution's class and session
    ("ind_p", "as_inst_p", NOT_OURS),
    ("inst_p", "as_gz1", NOT_OURS),
    ("unit_sz", "as_gz1", NOT_OURS),
    ("unit_gz1", "as_inst_p", NOT_OURS),
    # 广州 unit 1's own class, through a role without 培训班考勤设置; HR queries, keeps no attendance
    ("multi_gz1", "as_gz1", NO_MODULE),
    ("hr_gz", "as_gz1", NO_MODULE),
    ("p1", "as_gz1", NO_MODULE),
    ("admin", "as_gz1", NO_MODULE),
    ("nobody", "as_gz1", NO_MODULE),
]


def _owner_calls(world, session: AttendanceSession, actor):
    training_class = db.session.get(TrainingClass, session.class_id)
    enrolee = roster(training_class.id)[0].id
    return [
        lambda: add_session(training_class, DAY, time(14), time(16), actor),
        lambda: delete_session(session, actor),
        lambda: save_marks(session, {enrolee: ABSENT}, actor),
        lambda: mark_all_present(session, actor),
    ]


@pytest.mark.parametrize("who,key,message", OUTSIDERS)
def test_only_the_organisation_running_the_class_keeps_its_attendance(app, world, who, key, message):
    """Each of 录入考勤, 删除考勤, 考勤录入 and 设置普通考勤 is refused, nothing written; the owner's
    same 录入 goes through."""
    with acting(app):
        session = row(world, AttendanceSession, key)
        cls = world.keys[TrainingClass][session.class_id]
        before_sessions, before_marks = _sessions(world, cls), _marks(session.id)
        extra = _enrol(world, cls, "pe_gz1_b")  # an enrolee without a mark: 设置普通考勤 would mark them
        for call in _owner_calls(world, session, world.actors[who]):
            with _raises(message):
                call()
        assert (_sessions(world, cls), _marks(session.id)) == (before_sessions, before_marks)

        owner = {"as_gz1": "unit_gz1", "as_inst_p": "inst_p"}[key]
        assert mark_all_present(session, world.actors[owner]) == 1
        assert _marks(session.id)[extra.id][:3] == (PRESENT, False, _user(world, owner))


def test_no_actor_and_an_actor_of_no_organisation_keep_no_attendance(app, world):
    """`actor is None` and `actor.org_id is None` each refuse with the permission message on their own."""
    with acting(app):
        session = row(world, AttendanceSession, "as_gz1")
        orphan = dataclasses.replace(world.actors["unit_gz1"], org_id=None)
        for actor in (None, orphan):
            for call in _owner_calls(world, session, actor):
                with _raises(NO_MODULE):
                    call()
        assert _sessions(world, "cl_gz1_open") == [(DAY, time(9), time(12))]


@pytest.mark.parametrize("cls", ["cl_gz1_draft", "cl_gz1_wait"])
def test_a_class_of_a_plan_not_approved_is_run_by_nobody(app, world, cls):
    """广州 unit 1's own classes, of its draft and waiting plans: `classes_run_by` holds approved plans only."""
    with acting(app):
        training_class = row(world, TrainingClass, cls)
        training_class.status = ClassStatus.OPEN
        db.session.flush()
        with _raises(NOT_OURS):
            add_session(training_class, DAY, time(9), time(12), world.actors["unit_gz1"])
        assert _sessions(world, cls) == []


@pytest.mark.parametrize(
    "status,label",
    [(ClassStatus.CANCELLED, "取消"), (ClassStatus.FINISHED, "结业"), (ClassStatus.NOT_STARTED, "未开班")],
)
def test_attendance_changes_only_while_the_class_runs(app, world, status, label):
    with acting(app):
        session = row(world, AttendanceSession, "as_gz1")
        training_class = row(world, TrainingClass, "cl_gz1_open")
        training_class.status = status
        db.session.flush()
        before = _marks(session.id)
        message = f"培训班当前状态为“{label}”，只有开班或接受报名的培训班才能录入"
        for call in _owner_calls(world, session, world.actors["unit_gz1"]):
            with _raises(message):
                call()
        assert (_sessions(world, "cl_gz1_open"), _marks(session.id)) == ([(DAY, time(9), time(12))], before)


@pytest.mark.parametrize("status", [ClassStatus.OPEN, ClassStatus.ENROLLING])
def test_attendance_is_kept_while_the_class_is_open_or_enrolling(app, world, status):
    with acting(app):
        training_class = row(world, TrainingClass, "cl_gz1_open")
        training_class.status = status
        db.session.flush()
        add_session(training_class, DAY, time(14), time(16), world.actors["unit_gz1"])
        assert _sessions(world, "cl_gz1_open") == [(DAY, time(9), time(12)), (DAY, time(14), time(16))]


def test_results_read_the_owner_without_the_attendance_state_rule(app, world):
    """成绩录入 asks `check_owner(changing=False)` and says its own state rule: a finished class of the
    institution is refused as 成绩, an outsider who sees it as not its own."""
    with acting(app):
        finished = row(world, TrainingClass, "cl_inst_p_done")
        enrolee = row(world, Enrolment, "en_moved_pass")
        with _raises(NOT_OURS):
            save_results(finished, {enrolee.id: ("80", None)}, world.actors["ind_p"])
        with _raises("培训班当前状态为“结业”，只有开班或接受报名的培训班才能录入成绩"):
            save_results(finished, {enrolee.id: ("80", None)}, world.actors["inst_p"])


@pytest.mark.parametrize("who,message", [("ind_p", NOT_OURS), ("unit_gz1", NOT_OURS), ("hr_gz", NO_MODULE)])
def test_only_the_owner_records_results(app, world, who, message):
    """成绩录入 goes through the same owner check: the province's 甲 department sees the institution's
    class and its enrolees and records nothing there; the institution does."""
    with acting(app):
        target = row(world, TrainingClass, "cl_inst_p_enrol")
        enrolee = row(world, Enrolment, "en_p2_self")
        with _raises(message):
            save_results(target, {enrolee.id: ("80", "pass")}, world.actors[who])
        db.session.refresh(enrolee)
        assert (enrolee.score, enrolee.result) == (None, None)
        assert save_results(target, {enrolee.id: ("80", "pass")}, world.actors["inst_p"]) == 1
        db.session.refresh(enrolee)
        assert (enrolee.score, enrolee.result) == (Decimal("80.0"), "pass")


@pytest.mark.parametrize("key", ["en_p1_self", "en_gz1_unit"])  # applied to this class; enrolled in another
def test_results_only_for_the_class_enrolees(app, world, key):
    with acting(app):
        target = row(world, TrainingClass, "cl_inst_p_enrol")
        enrolee, stranger = row(world, Enrolment, "en_p2_self"), row(world, Enrolment, key)
        with _raises(STRANGERS):
            save_results(target, {enrolee.id: ("80", None), stranger.id: ("80", None)}, world.actors["inst_p"])
        for enrolment in (enrolee, stranger):
            db.session.refresh(enrolment)
            assert enrolment.score is None


@pytest.mark.parametrize(
    "score,stored",
    [("0", Decimal("0.0")), ("100", Decimal("100.0")), ("99.9", Decimal("99.9")), ("-0", Decimal("0.0")),
     ("", None), ("-0.1", "refused"), ("100.1", "refused"), ("100.05", "refused"), ("80.25", "refused"),
     ("abc", "refused"), ("NaN", "refused")],
)
def test_a_score_is_0_to_100_with_one_decimal(app, world, score, stored):
    with acting(app):
        target = row(world, TrainingClass, "cl_inst_p_enrol")
        enrolee = row(world, Enrolment, "en_p2_self")
        if stored == "refused":
            with _raises("成绩应为0至100之间的数字，最多一位小数"):
                save_results(target, {enrolee.id: (score, None)}, world.actors["inst_p"])
            db.session.refresh(enrolee)
            assert enrolee.score is None
        else:
            assert save_results(target, {enrolee.id: (score, None)}, world.actors["inst_p"]) == (stored is not None)
            db.session.refresh(enrolee)
            assert enrolee.score == stored


# ---- 录入考勤: the session's date, times and uniqueness -------------------------------------------


@pytest.mark.parametrize(
    "on_date,starts,ends",
    [(None, time(14), time(16)), (DAY, None, time(16)), (DAY, time(14), None)],
)
def test_a_session_needs_its_date_and_both_times(app, world, on_date, starts, ends):
    with acting(app):
        with _raises("请填写考勤日期、开始时间和结束时间"):
            add_session(row(world, TrainingClass, "cl_gz1_open"), on_date, starts, ends, world.actors["unit_gz1"])
        assert _sessions(world, "cl_gz1_open") == [(DAY, time(9), time(12))]


@pytest.mark.parametrize(
    "on_date,accepted",
    [(date(2026, 3, 10), False), (date(2026, 3, 11), True), (date(2026, 3, 13), True), (date(2026, 3, 14), False)],
)
def test_a_session_falls_inside_the_study_time(app, world, on_date, accepted):
    """学习时间 2026-03-11 … 2026-03-13, both ends included."""
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        if accepted:
            add_session(target, on_date, time(14), time(16), world.actors["unit_gz1"])
            assert (on_date, time(14), time(16)) in _sessions(world, "cl_gz1_open")
        else:
            with _raises("考勤日期须在培训班学习时间内（2026-03-11 至 2026-03-13）"):
                add_session(target, on_date, time(14), time(16), world.actors["unit_gz1"])
            assert _sessions(world, "cl_gz1_open") == [(DAY, time(9), time(12))]


@pytest.mark.parametrize(
    "starts,ends,stored",
    [
        (time(14), time(14), None),
        (time(14), time(13, 59), None),
        (time(14, 0, 10), time(14, 0, 50), None),  # the same minute: seconds are not kept
        (time(14), time(14, 1), (time(14), time(14, 1))),
        (time(14, 0, 30, 5), time(15, 59, 59), (time(14), time(15, 59))),
    ],
)
def test_a_session_ends_after_it_starts_to_the_minute(app, world, starts, ends, stored):
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        if stored is None:
            with _raises("结束时间须晚于开始时间"):
                add_session(target, DAY, starts, ends, world.actors["unit_gz1"])
            assert _sessions(world, "cl_gz1_open") == [(DAY, time(9), time(12))]
        else:
            made = add_session(target, DAY, starts, ends, world.actors["unit_gz1"])
            assert (made.class_id, made.on_date, made.starts_at, made.ends_at) == (target.id, DAY, *stored)
            assert _sessions(world, "cl_gz1_open") == [(DAY, time(9), time(12)), (DAY, *stored)]


def test_one_session_per_class_date_and_start(app, world):
    """as_gz1 is 2026-03-11 09:00: the same start (to the minute) is refused; another start that day,
    the same start another day, and the same start in another class are accepted."""
    with acting(app):
        target = row(world, TrainingClass, "cl_gz1_open")
        unit = world.actors["unit_gz1"]
        for starts in (time(9), time(9, 0, 40)):
            with _raises("2026-03-11 09:00 开始的考勤已录入"):
                add_session(target, DAY, starts, time(11), unit)
        assert _sessions(world, "cl_gz1_open") == [(DAY, time(9), time(12))]
        add_session(target, DAY, time(9, 1), time(11), unit)
        add_session(target, date(2026, 3, 12), time(9), time(11), unit)
        add_session(row(world, TrainingClass, "cl_inst_p_enrol"), date(2026, 3, 12), time(9), time(11),
                    world.actors["inst_p"])
        assert _sessions(world, "cl_gz1_open") == [
            (DAY, time(9), time(12)), (DAY, time(9, 1), time(11)), (date(2026, 3, 12), time(9), time(11))]


def test_adding_a_session_logs_it(app, world):
    with acting(app):
        made = add_session(row(world, TrainingClass, "cl_gz1_open"), date(2026, 3, 12), time(14), time(16),
                           world.actors["unit_gz1"])
        assert [log[:2] for log in _logs("attendance_session", made.id)] == [
            (AuditAction.ATTENDANCE, "录入考勤：cl_gz1_open 2026-03-12 14:00-16:00")]


# ---- 删除考勤: the session and its marks, nothing else ---------------------------------------------


def test_deleting_a_session_takes_its_marks_only(app, world):
    with acting(app):
        session = row(world, AttendanceSession, "as_gz1")
        mark = row(world, Attendance, "mk_gz1")
        delete_session(session, world.actors["unit_gz1"])
        assert _sessions(world, "cl_gz1_open") == []
        assert db.session.scalar(select(func.count()).select_from(Attendance).where(Attendance.id == mark.id)) == 0
        assert _marks(world.ids["as_inst_p"]) != {} and _sessions(world, "cl_inst_p_enrol") == [
            (DAY, time(9), time(12))]
        # the mark goes by the workflow (logged under the deletion), not only by the database's cascade
        assert [log[:2] for log in _logs("attendance", mark.id) if log[0] != AuditAction.CREATE] == [
            (AuditAction.ATTENDANCE, "删除考勤：cl_gz1_open 2026-03-11 09:00-12:00")]
        logs = _logs("attendance_session", world.ids["as_gz1"])
        assert [log[:2] for log in logs if log[0] != AuditAction.CREATE] == [
            (AuditAction.ATTENDANCE, "删除考勤：cl_gz1_open 2026-03-11 09:00-12:00")]


# ---- 考勤录入: only the class's 报名成功 enrolees, only the four marks ------------------------------


@pytest.mark.parametrize(
    "cls,person,status",
    [
        ("cl_inst_p_enrol", "pe_gz1_b", EnrolmentStatus.ENROLLED),  # enrolled, in another class
        ("cl_gz1_open", "pe_gz1_b", EnrolmentStatus.CANCELLED),  # of this class, no longer an enrolee
        ("cl_gz1_open", "pe_gz1_b", EnrolmentStatus.APPLIED),
        ("cl_gz1_open", "pe_gz1_b", EnrolmentStatus.REFUSED),
    ],
)
def test_marks_only_for_the_class_enrolees(app, world, cls, person, status):
    with acting(app):
        session = row(world, AttendanceSession, "as_gz1")
        stranger = _enrol(world, cls, person, status)
        before = _marks(session.id)
        with _raises(STRANGERS):
            save_marks(session, {world.ids["en_gz1_unit"]: ABSENT, stranger.id: PRESENT}, world.actors["unit_gz1"])
        assert _marks(session.id) == before


@pytest.mark.parametrize("mark", ["bogus", "", "出勤", "PRESENT"])
def test_only_the_four_marks_are_entered(app, world, mark):
    with acting(app):
        session = row(world, AttendanceSession, "as_gz1")
        before = _marks(session.id)
        with _raises("考勤结果无效"):
            save_marks(session, {world.ids["en_gz1_unit"]: mark}, world.actors["unit_gz1"])
        assert _marks(session.id) == before


def test_the_grid_adds_changes_and_removes_marks(app, world):
    """Counts what changed: a new mark, a different mark, a removed mark; the same mark, or no mark
    removed again, is no change. Each entered mark is the operator's, not a scan."""
    with acting(app):
        session = row(world, AttendanceSession, "as_gz1")
        unit, user = world.actors["unit_gz1"], _user(world, "unit_gz1")
        old, new = world.ids["en_gz1_unit"], _enrol(world, "cl_gz1_open", "pe_gz1_b").id
        checked_in = _marks(session.id)[old][3]
        assert save_marks(session, {old: PRESENT, new: LATE}, unit) == 1
        assert _marks(session.id) == {old: (PRESENT, False, None, checked_in), new: (LATE, False, user, None)}
        assert save_marks(session, {old: ABSENT, new: LATE}, unit) == 1
        assert _marks(session.id) == {old: (ABSENT, False, user, checked_in), new: (LATE, False, user, None)}
        assert save_marks(session, {new: LEAVE, old: None}, unit) == 2
        assert _marks(session.id) == {new: (LEAVE, False, user, None)}
        assert save_marks(session, {old: None}, unit) == 0
        assert save_marks(session, {}, unit) == 0
        assert _marks(session.id) == {new: (LEAVE, False, user, None)}
        summaries = db.session.scalars(select(AuditLog.summary).where(
            AuditLog.object_type == "attendance", AuditLog.action == AuditAction.ATTENDANCE)).all()
        assert set(summaries) == {"考勤录入：cl_gz1_open 2026-03-11 09:00-12:00"} and len(summaries) == 1 + 1 + 2


def test_correcting_a_scanned_mark_makes_it_the_operators(app, world):
    """mk_p2 was scanned (迟到, by scan): the institution corrects it to 出勤; the check-in time stays."""
    with acting(app):
        session = row(world, AttendanceSession, "as_inst_p")
        enrolee = world.ids["en_p2_self"]
        (mark, by_scan, _, checked_in), = [_marks(session.id)[enrolee]]
        assert (mark, by_scan) == (LATE, True)
        assert save_marks(session, {enrolee: PRESENT}, world.actors["inst_p"]) == 1
        assert _marks(session.id) == {enrolee: (PRESENT, False, _user(world, "inst_p"), checked_in)}


# ---- 设置普通考勤: 出勤 for the enrolees without a mark, the others kept -----------------------------


def test_marking_all_present_keeps_entered_marks(app, world):
    """as_inst_p: en_p2_self's scanned 迟到 stays; en_p1_self only applied (not on the roster); a new
    enrolee gets 出勤, once."""
    with acting(app):
        session = row(world, AttendanceSession, "as_inst_p")
        inst = world.actors["inst_p"]
        before = _marks(session.id)
        assert mark_all_present(session, inst) == 0
        assert _marks(session.id) == before
        new = _enrol(world, "cl_inst_p_enrol", "pe_gz1_b").id
        assert mark_all_present(session, inst) == 1
        assert _marks(session.id) == before | {new: (PRESENT, False, _user(world, "inst_p"), None)}
        assert mark_all_present(session, inst) == 0
        logs = db.session.scalars(select(AuditLog.summary).where(
            AuditLog.object_type == "attendance", AuditLog.action == AuditAction.ATTENDANCE)).all()
        assert logs == ["设置普通考勤：cl_inst_p_enrol 2026-03-11 09:00-12:00，1人出勤"]


# ---- what the screens read -----------------------------------------------------------------------


def test_roster_sessions_and_marks_of_a_class(app, world):
    with acting(app):
        # by name, not by 身份证号 (pe_p_ok's sorts after pe_sz_ok's)
        extra = _enrol(world, "cl_inst_p_enrol", "pe_p_ok")
        _enrol(world, "cl_inst_p_enrol", "pe_gz1_wait", EnrolmentStatus.CANCELLED)
        assert [e.person.name for e in roster(world.ids["cl_inst_p_enrol"])] == ["pe_p_ok", "pe_sz_ok"]
        assert [e.id for e in roster(world.ids["cl_inst_p_enrol"])] == [extra.id, world.ids["en_p2_self"]]
        add_session(row(world, TrainingClass, "cl_inst_p_enrol"), date(2026, 3, 12), time(8), time(9),
                    world.actors["inst_p"])
        add_session(row(world, TrainingClass, "cl_inst_p_enrol"), DAY, time(10), time(11), world.actors["inst_p"])
        assert _sessions(world, "cl_inst_p_enrol") == [
            (DAY, time(9), time(12)), (DAY, time(10), time(11)), (date(2026, 3, 12), time(8), time(9))]
        assert marks_of(world.ids["as_inst_p"]) == {world.ids["en_p2_self"]: row(world, Attendance, "mk_p2")}
        assert counts_by_session(world.ids["cl_inst_p_done"]) == {world.ids["as_inst_p_done"]: (2, 2)}
        save_marks(row(world, AttendanceSession, "as_inst_p"), {extra.id: ABSENT}, world.actors["inst_p"])
        assert counts_by_session(world.ids["cl_inst_p_enrol"]) == {world.ids["as_inst_p"]: (2, 1)}


def test_rates_count_attended_over_the_class_sessions(app, world):
    """出勤率 = (出勤 + 迟到) ÷ sessions; 请假 and 缺勤 are not attended; no session reads —."""
    with acting(app):
        enrolling = row(world, TrainingClass, "cl_inst_p_enrol")
        (only,) = rates(enrolling)
        assert (only.enrolment.id, only.counts, only.sessions, only.attended, only.unmarked, only.rate) == (
            world.ids["en_p2_self"], Counter({LATE: 1}), 1, 1, 0, "100.0%")
        (leave,) = rates(row(world, TrainingClass, "cl_ind_p_enrol"))
        assert (leave.counts, leave.attended, leave.unmarked, leave.rate) == (Counter({LEAVE: 1}), 0, 0, "0.0%")

        extra = _enrol(world, "cl_inst_p_enrol", "pe_gz1_b")
        inst = world.actors["inst_p"]
        second = add_session(enrolling, date(2026, 3, 12), time(9), time(12), inst)
        add_session(enrolling, date(2026, 3, 13), time(9), time(12), inst)
        save_marks(second, {extra.id: PRESENT, world.ids["en_p2_self"]: PRESENT}, inst)
        save_marks(row(world, AttendanceSession, "as_inst_p"), {extra.id: ABSENT}, inst)
        got = {r.enrolment.id: (r.counts, r.sessions, r.attended, r.unmarked, r.rate) for r in rates(enrolling)}
        assert got == {
            world.ids["en_p2_self"]: (Counter({LATE: 1, PRESENT: 1}), 3, 2, 1, "66.7%"),
            extra.id: (Counter({ABSENT: 1, PRESENT: 1}), 3, 1, 1, "33.3%"),
        }

        waiting = _enrol(world, "cl_gz1_wait", "pe_gz1_b")
        (none,) = rates(row(world, TrainingClass, "cl_gz1_wait"))
        assert (none.enrolment.id, none.sessions, none.attended, none.unmarked, none.rate) == (waiting.id, 0, 0, 0, "—")


def test_attendance_of_each_enrolment(app, world):
    """(attended, sessions of its class) per enrolment, whatever its status."""
    with acting(app):
        assert attendance_of([]) == {}
        keys = ["en_p2_self", "en_gz2_ind", "en_p1_self", "en_gz1_unit", "en_moved_pass", "en_p_cancelled",
                "en_ind_o_staff"]
        waiting = _enrol(world, "cl_gz1_wait", "pe_gz1_b")
        got = attendance_of([world.ids[k] for k in keys] + [waiting.id])
        assert got == {
            world.ids["en_p2_self"]: (1, 1), world.ids["en_gz2_ind"]: (0, 1), world.ids["en_p1_self"]: (0, 1),
            world.ids["en_gz1_unit"]: (1, 1), world.ids["en_moved_pass"]: (1, 1),
            world.ids["en_p_cancelled"]: (0, 1), world.ids["en_ind_o_staff"]: (0, 1), waiting.id: (0, 0),
        }


# ---- 扫码签到: the person themselves, enrolled, while the class runs, inside the window, once --------


def _enrol_p1(world) -> Enrolment:
    """p1's application to the institution's class, confirmed: p1 is now on as_inst_p's roster, unmarked."""
    enrolment = row(world, Enrolment, "en_p1_self")
    enrolment.status = EnrolmentStatus.ENROLLED
    db.session.flush()
    return enrolment


def _refused(session_id, actor, now=None) -> tuple:
    with pytest.raises(CheckInRefused) as refusal:
        check_in(session_id, actor, now)
    return refusal.value.status, str(refusal.value)


SCAN_AS_PERSON = "扫码签到须以专业技术人员个人身份登录：请退出后用本人的个人账号登录，或切换为个人身份后重新扫码"


@pytest.mark.parametrize(
    "who", ["unit_gz1", "inst_p", "admin", "nobody", None, "p1_without_person", "p1_acting_for_a_unit"])
def test_only_a_person_acting_as_themselves_checks_in(app, world, who):
    """p1 is 报名成功 in cl_inst_p_enrol and scans inside the window: refused unless acting as the person
    (an identity of a unit's kind carrying p1's person id included)."""
    with acting(app):
        enrolment = _enrol_p1(world)
        p1 = world.actors["p1"]
        actor = {
            None: None,
            "p1_without_person": dataclasses.replace(p1, person_id=None),
            "p1_acting_for_a_unit": dataclasses.replace(world.actors["unit_gz1"], person_id=p1.person_id),
        }.get(who, world.actors[who] if who in world.actors else None)
        session = world.ids["as_inst_p"]
        assert _refused(session, actor, datetime(2026, 3, 11, 10)) == (403, SCAN_AS_PERSON)
        assert enrolment.id not in _marks(session)
        assert check_in(session, p1, datetime(2026, 3, 11, 10)).again is False


def test_a_missing_session_is_not_found(app, world):
    with acting(app):
        assert _refused(2**31 - 1, world.actors["p1"], datetime(2026, 3, 11, 10)) == (
            404, "该考勤场次不存在或已被删除")


@pytest.mark.parametrize(
    "who,key",
    [
        ("p1", "as_inst_p"),  # applied, not yet confirmed
        ("p1", "as_ind_p"),  # never enrolled
        ("p2", "as_gz1"),  # another unit's internal class
        ("p2", "as_ind_p"),  # refused by that class
    ],
)
def test_only_an_enrolee_of_the_class_checks_in(app, world, who, key):
    with acting(app):
        before = _marks(world.ids[key])
        assert _refused(world.ids[key], world.actors[who], datetime(2026, 3, 11, 10)) == (403, NOT_ENROLLED)
        assert _marks(world.ids[key]) == before


@pytest.mark.parametrize(
    "status,label", [(ClassStatus.FINISHED, "结业"), (ClassStatus.CANCELLED, "取消"), (ClassStatus.NOT_STARTED, "未开班")]
)
def test_no_check_in_while_the_class_does_not_run(app, world, status, label):
    with acting(app):
        enrolment = _enrol_p1(world)
        row(world, TrainingClass, "cl_inst_p_enrol").status = status
        db.session.flush()
        assert _refused(world.ids["as_inst_p"], world.actors["p1"], datetime(2026, 3, 11, 10)) == (
            403, f"培训班当前状态为“{label}”，不能签到")
        assert enrolment.id not in _marks(world.ids["as_inst_p"])


@pytest.mark.parametrize(
    "now,refusal",
    [
        (datetime(2026, 3, 11, 8, 44, 59), "签到尚未开始：本场签到时间为 2026-03-11 08:45 至 12:00"),
        (datetime(2026, 3, 11, 8, 45), None),
        (datetime(2026, 3, 11, 12, 0), None),
        (datetime(2026, 3, 11, 12, 0, 1),
         "本场签到已结束（签到时间为 2026-03-11 08:45 至 12:00），请联系培训班负责人登记考勤"),
        (datetime(2026, 3, 10, 10), "签到尚未开始：本场签到时间为 2026-03-11 08:45 至 12:00"),
        (None, "本场签到已结束（签到时间为 2026-03-11 08:45 至 12:00），请联系培训班负责人登记考勤"),  # now: long after
    ],
)
def test_the_check_in_window(app, world, now, refusal):
    """From 15 minutes before 09:00 until 12:00 (Beijing time), both ends included; stored as UTC."""
    with acting(app):
        enrolment = _enrol_p1(world)
        session = world.ids["as_inst_p"]
        if refusal is not None:
            assert _refused(session, world.actors["p1"], now) == (403, refusal)
            assert enrolment.id not in _marks(session)
            return
        done = check_in(session, world.actors["p1"], now)
        utc = now.replace(hour=now.hour - 8)
        assert (done.session.id, done.training_class.id, done.at, done.again) == (
            session, world.ids["cl_inst_p_enrol"], utc, False)
        assert _marks(session)[enrolment.id] == (PRESENT, True, _user(world, "p1"), utc)
        mark_id = db.session.scalar(select(Attendance.id).where(
            Attendance.session_id == session, Attendance.enrolment_id == enrolment.id))
        assert [log[:2] for log in _logs("attendance", mark_id)] == [
            (AuditAction.CHECK_IN, "扫码签到：cl_inst_p_enrol 2026-03-11 09:00-12:00")]


def test_a_second_scan_changes_nothing(app, world):
    """p2 scanned as_inst_p already (mk_p2): told so, whenever, the mark as it was."""
    with acting(app):
        session = world.ids["as_inst_p"]
        before = _marks(session)
        for now in (datetime(2026, 3, 11, 10), datetime(2026, 3, 20, 10), None):
            done = check_in(session, world.actors["p2"], now)
            assert (done.again, done.at) == (True, before[world.ids["en_p2_self"]][3])
        assert _marks(session) == before

        enrolment = _enrol_p1(world)
        first = check_in(session, world.actors["p1"], datetime(2026, 3, 11, 9))
        again = check_in(session, world.actors["p1"], datetime(2026, 3, 11, 11))
        assert (first.again, again.again, again.at) == (False, True, datetime(2026, 3, 11, 1))
        assert _marks(session)[enrolment.id] == (PRESENT, True, _user(world, "p1"), datetime(2026, 3, 11, 1))


def test_a_scan_replaces_the_operators_mark(app, world):
    """The institution marked p1 缺勤 before the scan: the scan's 出勤 replaces it, logged as 扫码签到."""
    with acting(app):
        enrolment = _enrol_p1(world)
        session = row(world, AttendanceSession, "as_inst_p")
        save_marks(session, {enrolment.id: ABSENT}, world.actors["inst_p"])
        mark_id = db.session.scalar(select(Attendance.id).where(
            Attendance.session_id == session.id, Attendance.enrolment_id == enrolment.id))
        done = check_in(session.id, world.actors["p1"], datetime(2026, 3, 11, 10, 30))
        assert (done.again, done.at) == (False, datetime(2026, 3, 11, 2, 30))
        assert _marks(session.id)[enrolment.id] == (PRESENT, True, _user(world, "p1"), datetime(2026, 3, 11, 2, 30))
        assert [log for log in _logs("attendance", mark_id) if log[0] == AuditAction.CHECK_IN] == [(
            AuditAction.CHECK_IN, "扫码签到：cl_inst_p_enrol 2026-03-11 09:00-12:00", {"mark": ABSENT},
            {"mark": PRESENT, "by_scan": True})]


# ---- the check-in link: only a token we signed, holding a session id ------------------------------


def _signed(app, data) -> str:
    return URLSafeSerializer(app.config["SECRET_KEY"], salt="attendance.checkin").dumps(data)


def test_a_session_token_reads_back_its_session(app, world):
    with acting(app):
        session = row(world, AttendanceSession, "as_inst_p")
        assert session_id_of(checkin_token(session)) == session.id
        assert session_id_of(_signed(app, {"s": 1})) == 1
        assert session_id_of(_signed(app, {"s": 2**31 - 1})) == 2**31 - 1


@pytest.mark.parametrize("data", [{"s": 0}, {"s": -1}, {"s": 2**31}, {"s": True}, {"s": "5"}, {"x": 5}, [5], 5, None])
def test_a_signed_token_without_a_session_id_is_refused(app, world, data):
    with acting(app):
        with pytest.raises(CheckInRefused) as refusal:
            session_id_of(_signed(app, data))
        assert (refusal.value.status, str(refusal.value)) == (400, BAD_TOKEN)


def test_a_token_we_did_not_sign_is_refused(app, world):
    with acting(app):
        real = checkin_token(row(world, AttendanceSession, "as_inst_p"))
        forged = [
            "", None, "garbage", real[:-1] + ("A" if real[-1] != "A" else "B"),
            URLSafeSerializer(app.config["SECRET_KEY"], salt="other").dumps({"s": 1}),
            URLSafeSerializer("not-our-key", salt="attendance.checkin").dumps({"s": 1}),
        ]
        for token in forged:
            with pytest.raises(CheckInRefused) as refusal:
                session_id_of(token)
            assert (refusal.value.status, str(refusal.value)) == (400, FORGED)


@pytest.mark.parametrize("scanned", [False, True])
def test_a_scan_that_loses_the_race_reads_what_came_first(app, world, scanned):
    """The unique (session, enrolee) decides a race: a mark written after the scan looked (simulated: pending,
    unseen with autoflush off, flushed when the scan's savepoint opens) makes the scan's insert clash. A
    scan that came first is reported as one (again); the owner's unscanned mark refuses the scan (409)."""
    with acting(app):
        enrolment = _enrol_p1(world)
        session = world.ids["as_inst_p"]
        earlier = datetime(2026, 3, 11, 1, 5)
        db.session.add(Attendance(session_id=session, enrolment_id=enrolment.id, mark=PRESENT if scanned else ABSENT,
                                  by_scan=scanned, checked_in_at=earlier if scanned else None))
        with db.session.no_autoflush:
            if scanned:
                done = check_in(session, world.actors["p1"], datetime(2026, 3, 11, 10))
                assert (done.again, done.at) == (True, earlier)
            else:
                assert _refused(session, world.actors["p1"], datetime(2026, 3, 11, 10)) == (
                    409, "签到未能保存，请稍后重新扫码")
        assert _marks(session)[enrolment.id] == (
            (PRESENT, True, None, earlier) if scanned else (ABSENT, False, None, None))
