"""培训班考勤设置 (000 §1.4.2) and 扫码签到 (DESIGN §3, beyond the seeds).

The owner of a class (the organisation whose approved plan it belongs to) keeps its attendance while the
class 开班 or 接受报名:

- 录入考勤: a session (考勤场次) on a date inside the class's 学习开始时间…学习结束时间, with a start and an end
  time (end after start); one per class, date and start time. Deleting a session deletes its marks.
- marks: one per 报名成功 enrolee and session (出勤 / 缺勤 / 迟到 / 请假), entered in one grid; a blank
  choice removes the mark. 设置普通考勤 marks 出勤 every enrolee who has no mark yet in that session —
  marks already entered or scanned are kept, so it can be pressed after corrections without undoing them.
- 考勤查看: per enrolee the count of each mark and the 出勤率 = (出勤 + 迟到) ÷ the class's sessions; a
  session without a mark for the person counts as not attended (未登记).

扫码签到: each session has a signed link (itsdangerous, salt "attendance.checkin", the session id inside).
It is valid from 15 minutes before the session starts until it ends, Beijing time, read from the session
row at the moment of the scan, so moving a session moves its window. A person acting as themselves who
is a 报名成功 enrolee of the class gets 出勤 with `checked_in_at` and `by_scan` once; a later scan changes
nothing (one conditional UPDATE on `checked_in_at IS NULL`, the unique (session, enrolment) for the
insert). A mark the owner entered before the scan is replaced by the scan's 出勤; the owner can still
correct any mark afterwards (the check-in time stays as the fact it is).

Functions flush, never commit.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import audit
from ..clock import beijing_now, utc_of
from ..extensions import db
from ..labels import ActorKind, AttendanceMark, AuditAction, ClassStatus, EnrolmentStatus
from ..models import Attendance, AttendanceSession, Enrolment, Person, TrainingClass
from ..policy import Actor, visible
from ..policy.scope import classes_run_by
from . import WorkflowError

MODULE = "class_attendance"
OPEN_STATES = (ClassStatus.OPEN, ClassStatus.ENROLLING)
EARLY = timedelta(minutes=15)  # the check-in link opens this long before the session starts
TOKEN_SALT = "attendance.checkin"
ATTENDED = (AttendanceMark.PRESENT, AttendanceMark.LATE)


# ---- the owner's side ----------------------------------------------------------------------------


def check_owner(training_class: TrainingClass, actor: Actor, module: str = MODULE, *, changing: bool = True) -> None:
    """The acting organisation runs this class (its approved plan) and, to change anything, the class
    is 开班 or 接受报名."""
    if actor is None or actor.org_id is None or not actor.can_use(module):
        raise WorkflowError("您没有管理该培训班的权限")
    owned = db.session.scalar(select(func.count()).where(TrainingClass.id == training_class.id,
                                                         TrainingClass.id.in_(classes_run_by(actor))))
    if not owned:
        raise WorkflowError("该培训班不属于本单位")
    if changing and training_class.status not in OPEN_STATES:
        raise WorkflowError(
            f"培训班当前状态为“{ClassStatus.label(training_class.status)}”，只有开班或接受报名的培训班才能录入"
        )


def roster(class_id: int) -> list[Enrolment]:
    """The class's 报名成功 enrolees, by name, with their person loaded."""
    return list(
        db.session.scalars(
            select(Enrolment)
            .join(Person, Person.id == Enrolment.person_id)
            .options(joinedload(Enrolment.person))
            .where(Enrolment.class_id == class_id, Enrolment.status == EnrolmentStatus.ENROLLED)
            .order_by(Person.name, Person.id_number)
        )
    )


def sessions_of(class_id: int) -> list[AttendanceSession]:
    return list(
        db.session.scalars(
            select(AttendanceSession)
            .where(AttendanceSession.class_id == class_id)
            .order_by(AttendanceSession.on_date, AttendanceSession.starts_at, AttendanceSession.id)
        )
    )


def add_session(training_class: TrainingClass, on_date: date, starts_at: time, ends_at: time, actor: Actor) -> AttendanceSession:
    """录入考勤: a session inside the class's dates, ending after it starts."""
    check_owner(training_class, actor)
    if on_date is None or starts_at is None or ends_at is None:
        raise WorkflowError("请填写考勤日期、开始时间和结束时间")
    if not training_class.study_start_on <= on_date <= training_class.study_end_on:
        raise WorkflowError(
            f"考勤日期须在培训班学习时间内（{training_class.study_start_on:%Y-%m-%d} 至 {training_class.study_end_on:%Y-%m-%d}）"
        )
    starts_at, ends_at = starts_at.replace(second=0, microsecond=0), ends_at.replace(second=0, microsecond=0)
    if ends_at <= starts_at:
        raise WorkflowError("结束时间须晚于开始时间")
    clash = db.session.scalar(
        select(AttendanceSession.id).where(
            AttendanceSession.class_id == training_class.id, AttendanceSession.on_date == on_date,
            AttendanceSession.starts_at == starts_at,
        )
    )
    if clash is not None:
        raise WorkflowError(f"{on_date:%Y-%m-%d} {starts_at:%H:%M} 开始的考勤已录入")
    row = AttendanceSession(class_id=training_class.id, on_date=on_date, starts_at=starts_at, ends_at=ends_at)
    with audit.audit_as(AuditAction.ATTENDANCE, f"录入考勤：{training_class.name} {on_date:%Y-%m-%d} {starts_at:%H:%M}-{ends_at:%H:%M}"):
        db.session.add(row)
        db.session.flush()
    return row


def delete_session(session: AttendanceSession, actor: Actor) -> None:
    """A session entered by mistake goes with its marks."""
    training_class = db.session.get(TrainingClass, session.class_id)
    check_owner(training_class, actor)
    with audit.audit_as(AuditAction.ATTENDANCE, f"删除考勤：{training_class.name} {session}"):
        for mark in db.session.scalars(select(Attendance).where(Attendance.session_id == session.id)):
            db.session.delete(mark)
        db.session.delete(session)
        db.session.flush()


def counts_by_session(class_id: int) -> dict[int, tuple[int, int]]:
    """session id → (marks entered, of which by scan) for the class's sessions, in one query."""
    rows = db.session.execute(
        select(Attendance.session_id, func.count(), func.count(Attendance.checked_in_at))
        .where(Attendance.session_id.in_(select(AttendanceSession.id).where(AttendanceSession.class_id == class_id)))
        .group_by(Attendance.session_id)
    )
    return {session_id: (marked, scanned) for session_id, marked, scanned in rows}


def marks_of(session_id: int) -> dict[int, Attendance]:
    """enrolment id → its mark in this session."""
    rows = db.session.scalars(select(Attendance).where(Attendance.session_id == session_id))
    return {row.enrolment_id: row for row in rows}


def save_marks(session: AttendanceSession, wanted: dict[int, str | None], actor: Actor) -> int:
    """The grid: the mark of each enrolee (None removes it). Returns how many marks changed."""
    training_class = db.session.get(TrainingClass, session.class_id)
    check_owner(training_class, actor)
    enrolled = {e.id for e in roster(training_class.id)}
    strangers = set(wanted) - enrolled
    if strangers:
        raise WorkflowError("提交的学员不是该培训班报名成功的学员，请刷新页面后重试")
    allowed = set(AttendanceMark.values())
    current = marks_of(session.id)
    changed = 0
    with audit.audit_as(AuditAction.ATTENDANCE, f"考勤录入：{training_class.name} {session}"):
        for enrolment_id, mark in wanted.items():
            if mark is not None and mark not in allowed:
                raise WorkflowError("考勤结果无效")
            row = current.get(enrolment_id)
            if mark is None:
                if row is not None:
                    db.session.delete(row)
                    changed += 1
            elif row is None:
                db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment_id, mark=mark,
                                          by_scan=False, marked_by_id=actor.user_id))
                changed += 1
            elif row.mark != mark:
                row.mark, row.by_scan, row.marked_by_id = mark, False, actor.user_id
                changed += 1
        db.session.flush()
    return changed


def mark_all_present(session: AttendanceSession, actor: Actor) -> int:
    """设置普通考勤: 出勤 for every enrolee without a mark in this session. Returns how many were marked."""
    training_class = db.session.get(TrainingClass, session.class_id)
    check_owner(training_class, actor)
    current = marks_of(session.id)
    missing = [e for e in roster(training_class.id) if e.id not in current]
    if missing:
        with audit.audit_as(AuditAction.ATTENDANCE, f"设置普通考勤：{training_class.name} {session}，{len(missing)}人出勤"):
            for enrolment in missing:
                db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id,
                                          mark=AttendanceMark.PRESENT, by_scan=False, marked_by_id=actor.user_id))
            db.session.flush()
    return len(missing)


@dataclass
class Rate:
    """考勤查看: one enrolee's marks over the class's sessions."""

    enrolment: Enrolment
    counts: Counter
    sessions: int

    @property
    def unmarked(self) -> int:
        return self.sessions - sum(self.counts.values())

    @property
    def attended(self) -> int:
        return sum(self.counts[m] for m in ATTENDED)

    @property
    def rate(self) -> str:
        """出勤率 as people read it: 75.0%; — while the class has no session."""
        if not self.sessions:
            return "—"
        return f"{self.attended * 100 / self.sessions:.1f}%"


def rates(training_class: TrainingClass) -> list[Rate]:
    """Every 报名成功 enrolee's attendance, counted in SQL (one query for all marks)."""
    sessions = db.session.scalar(
        select(func.count()).select_from(AttendanceSession).where(AttendanceSession.class_id == training_class.id)
    )
    counts: dict[int, Counter] = {}
    rows = db.session.execute(
        select(Attendance.enrolment_id, Attendance.mark, func.count())
        .where(Attendance.session_id.in_(select(AttendanceSession.id).where(AttendanceSession.class_id == training_class.id)))
        .group_by(Attendance.enrolment_id, Attendance.mark)
    )
    for enrolment_id, mark, n in rows:
        counts.setdefault(enrolment_id, Counter())[mark] = n
    return [Rate(e, counts.get(e.id, Counter()), sessions) for e in roster(training_class.id)]


def attendance_of(enrolment_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(sessions attended — 出勤 or 迟到, sessions of the class) of each enrolment: two GROUP BYs, whatever the
    number of enrolments (the person's 培训班情况查看)."""
    if not enrolment_ids:
        return {}
    sessions = dict(db.session.execute(
        select(Enrolment.id, func.count(AttendanceSession.id))
        .outerjoin(AttendanceSession, AttendanceSession.class_id == Enrolment.class_id)
        .where(Enrolment.id.in_(enrolment_ids))
        .group_by(Enrolment.id)
    ).all())
    attended = dict(db.session.execute(
        select(Attendance.enrolment_id, func.count())
        .where(Attendance.enrolment_id.in_(enrolment_ids), Attendance.mark.in_(ATTENDED))
        .group_by(Attendance.enrolment_id)
    ).all())
    return {i: (attended.get(i, 0), sessions.get(i, 0)) for i in enrolment_ids}


# ---- 扫码签到 --------------------------------------------------------------------------------------


class CheckInRefused(WorkflowError):
    """A scan that cannot mark anyone; `status` is the HTTP status of the refusal page."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def checkin_token(session: AttendanceSession) -> str:
    """The signed part of a session's check-in link."""
    return _serializer().dumps({"s": session.id})


def session_id_of(token: str) -> int:
    """The session a token was signed for; CheckInRefused(400) for anything not signed by us."""
    try:
        data = _serializer().loads(token or "")
    except BadSignature:
        raise CheckInRefused("签到二维码无效：链接不完整或已被修改，请重新扫描培训现场的二维码", 400) from None
    session_id = data.get("s") if isinstance(data, dict) else None
    if not isinstance(session_id, int) or isinstance(session_id, bool) or not 0 < session_id < 2**31:
        raise CheckInRefused("签到二维码无效：请重新扫描培训现场的二维码", 400)
    return session_id


def window(session: AttendanceSession) -> tuple[datetime, datetime]:
    """When the check-in link works: 15 minutes before the start until the end (Beijing time)."""
    return (datetime.combine(session.on_date, session.starts_at) - EARLY,
            datetime.combine(session.on_date, session.ends_at))


def window_text(session: AttendanceSession) -> str:
    opens, closes = window(session)
    return f"{opens:%Y-%m-%d %H:%M} 至 {closes:%H:%M}"


@dataclass
class CheckIn:
    session: AttendanceSession
    training_class: TrainingClass
    at: datetime  # naive UTC, as stored
    again: bool  # already checked in: nothing changed


def check_in(session_id: int, actor: Actor, now: datetime | None = None) -> CheckIn:
    """Mark the acting person 出勤 in this session once, by scan. Refusals carry their HTTP status."""
    if actor is None or actor.kind != ActorKind.PERSON or actor.person_id is None:
        raise CheckInRefused("扫码签到须以专业技术人员个人身份登录：请退出后用本人的个人账号登录，或切换为个人身份后重新扫码")
    session = db.session.get(AttendanceSession, session_id)
    if session is None:
        raise CheckInRefused("该考勤场次不存在或已被删除", 404)
    mine = db.session.scalar(
        select(AttendanceSession.id).where(AttendanceSession.id == session_id, visible(AttendanceSession, actor))
    )
    enrolment = db.session.scalar(
        select(Enrolment).where(
            Enrolment.class_id == session.class_id, Enrolment.person_id == actor.person_id,
            Enrolment.status == EnrolmentStatus.ENROLLED,
        )
    ) if mine is not None else None
    if enrolment is None:
        raise CheckInRefused("您不是该培训班报名成功的学员，不能签到")
    training_class = db.session.get(TrainingClass, session.class_id)
    if training_class.status not in OPEN_STATES:
        raise CheckInRefused(f"培训班当前状态为“{ClassStatus.label(training_class.status)}”，不能签到")
    existing = db.session.scalar(
        select(Attendance).where(Attendance.session_id == session.id, Attendance.enrolment_id == enrolment.id)
    )
    if existing is not None and existing.checked_in_at is not None:
        return CheckIn(session, training_class, existing.checked_in_at, again=True)
    now = now or beijing_now()
    opens, closes = window(session)
    if now < opens:
        raise CheckInRefused(f"签到尚未开始：本场签到时间为 {window_text(session)}")
    if now > closes:
        raise CheckInRefused(f"本场签到已结束（签到时间为 {window_text(session)}），请联系培训班负责人登记考勤")
    at = utc_of(now)  # stored as UTC, one clock
    summary = f"扫码签到：{training_class.name} {session}"
    if existing is not None:
        changed = db.session.execute(
            update(Attendance)
            .where(Attendance.id == existing.id, Attendance.checked_in_at.is_(None))
            .values(mark=AttendanceMark.PRESENT, checked_in_at=at, by_scan=True, marked_by_id=actor.user_id)
            .execution_options(synchronize_session=False)
        ).rowcount
        if changed == 1:
            audit.record(AuditAction.CHECK_IN, obj=existing, summary=summary,
                         before={"mark": existing.mark}, after={"mark": AttendanceMark.PRESENT, "by_scan": True})
            return CheckIn(session, training_class, at, again=False)
    else:
        try:
            with audit.audit_as(AuditAction.CHECK_IN, summary), db.session.begin_nested():
                db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id, mark=AttendanceMark.PRESENT,
                                          checked_in_at=at, by_scan=True, marked_by_id=actor.user_id))
            return CheckIn(session, training_class, at, again=False)
        except IntegrityError:
            pass  # a simultaneous scan or the owner's save came first: read what is there now
    first = db.session.scalar(
        select(Attendance).where(Attendance.session_id == session.id, Attendance.enrolment_id == enrolment.id)
        .execution_options(populate_existing=True)
    )
    if first is not None and first.checked_in_at is not None:
        return CheckIn(session, training_class, first.checked_in_at, again=True)
    raise CheckInRefused("签到未能保存，请稍后重新扫码", 409)

