"""What happens in and after a class (DESIGN §2): 报名 (Enrolment), 考勤 (AttendanceSession, Attendance)
and the 继续教育记录 (Record) that 结业 creates for each 合格 enrolee.

The tables come with the training schema so the chain is designed once; their screens are issue 10's
items 5–9 (see docs/training.md).
"""
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import (
    ApplicationStatus,
    AttendanceMark,
    CourseType,
    EnrolmentSource,
    EnrolmentStatus,
    ExamResult,
    RecordSource,
)
from .base import Timestamps, in_choices, related, utcnow
from .org import Organisation
from .person import Person
from .training import YEAR_RANGE, TrainingClass


class Enrolment(Timestamps, db.Model):
    """A person in a class: entered by their unit (单位录入) or applied for (个人报名), then 成绩 and
    考核结果. One per person and class."""

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("class_id", "person_id"),
        in_choices("source", EnrolmentSource),
        in_choices("status", EnrolmentStatus),
        in_choices("result", ExamResult),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
        # the class's roster by state; 结业 asks "does any enrolee lack a result?"
        Index("ix_enrolment_class_status", "class_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    source: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=EnrolmentStatus.APPLIED)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # 成绩
    result: Mapped[str | None] = mapped_column(String(10))  # 考核结果
    applied_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # 报名日期
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    entered_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))

    training_class: Mapped[TrainingClass] = relationship()
    person: Mapped[Person] = relationship()

    def __str__(self) -> str:
        person = related(self, "person")  # no lazy load while the audit hook names the row
        return person.name if person else "学员"


class AttendanceSession(db.Model):
    """录入考勤: one sitting of a class; 扫码签到 is open only inside its window."""

    __tablename__ = "attendance_session"
    __table_args__ = (
        UniqueConstraint("class_id", "on_date", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="times_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id"))
    on_date: Mapped[date] = mapped_column(Date)  # 考勤日期
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    training_class: Mapped[TrainingClass] = relationship()

    def __str__(self) -> str:
        return f"{self.on_date} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class Attendance(db.Model):
    """One enrolee's mark for one session; a repeated scan finds the row and changes nothing."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id"),
        in_choices("mark", AttendanceMark),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("attendance_session.id", ondelete="CASCADE"))
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    mark: Mapped[str] = mapped_column(String(10))
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    by_scan: Mapped[bool] = mapped_column(Boolean, default=False)  # 扫码签到 rather than 录入
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    session: Mapped[AttendanceSession] = relationship()
    enrolment: Mapped[Enrolment] = relationship()

    def __str__(self) -> str:
        enrolment = related(self, "enrolment")
        return f"{enrolment or '学员'}：{AttendanceMark.label(self.mark)}"


#: 学时审验's queue: approved and not yet checked (ix_record_to_check's condition, as SQL)
TO_CHECK = "status = 'approved' AND checked_hours IS NULL"


class Record(Timestamps, db.Model):
    """继续教育记录 (DESIGN §2): one learning activity of one person, with the hours claimed and granted.

    Declared by the person, their unit or an institution, imported, migrated — or created by 结业 from an
    enrolment, which it then names (unique: 结业 can never create a record twice).
    """

    __tablename__ = "record"
    __table_args__ = (
        in_choices("course_type", CourseType),
        in_choices("source", RecordSource),
        in_choices("status", ApplicationStatus),
        in_choices("exam_result", ExamResult),
        CheckConstraint(f"year {YEAR_RANGE}", name="year_range"),
        CheckConstraint("end_on >= start_on", name="dates_in_order"),
        CheckConstraint("declared_hours > 0", name="declared_hours_positive"),
        CheckConstraint(
            "(approved_hours IS NULL OR approved_hours >= 0) AND (checked_hours IS NULL OR checked_hours >= 0)",
            name="granted_hours_not_negative",
        ),
        # A record from 结业 names its enrolment; no other record does.
        CheckConstraint(
            "(source = 'class' AND enrolment_id IS NOT NULL) OR (source <> 'class' AND enrolment_id IS NULL)",
            name="enrolment_iff_class",
        ),
        # a person's year (hours and certificates)
        Index("ix_record_person_year", "person_id", "year"),
        # 年度验证 and 综合统计: a year's approved hours per person and 科目类型, read from the index alone
        # (end_on too: the statistics count the studies ended by their 统计时间).
        Index("ix_record_year_status_person", "year", "status", "person_id", "course_type", "approved_hours",
              "end_on"),
        # a reviewer's queue (记录审核 on 待审核) in its order, most recently submitted first, a page read
        # from the index; its counts per state too
        Index("ix_record_reviewer_queue", "reviewer_org_id", "status", "submitted_at", "id"),
        Index("ix_record_declarer_status", "declared_by_org_id", "status"),
        # 记录申报 / 单位申报记录 list what an organisation declared newest first: an institution's
        # 40,000 records are walked from the newest, not all fetched and sorted, and the declaration
        # scope's source and status are read from the index too, so a deep page skips index entries
        # only (page 200: 28 → 0.6 ms of SQL on PostgreSQL; docs/performance.md).
        Index("ix_record_declarer_newest", "declared_by_org_id", "id", "source", "status"),
        # 学时审验 opens on the region's 已通过, 未审验 records newest first. The newest records of a
        # province are its waiting ones (declared, not yet decided): walking the primary key skipped
        # 200,000 of them before the first approved one (25 ms at a million people); this index holds
        # exactly the queue (0.2 ms). Its condition is written literally by the view (RecordCheckView.scope),
        # or neither database would match it.
        Index("ix_record_to_check", "id", sqlite_where=text(TO_CHECK), postgresql_where=text(TO_CHECK)),
        # 000 §1.6.1: the same course starting the same day is declared once per person. Records of
        # 结业 are left out: a class must finish even if someone declared the course by hand before
        # (the declaration workflow refuses that clash with a message, over every source).
        Index(
            "ux_record_declared_once", "person_id", "course_name", "start_on", unique=True,
            sqlite_where=text("source <> 'class'"), postgresql_where=text("source <> 'class'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    course_type: Mapped[str] = mapped_column(String(12))  # 科目类型
    course_name: Mapped[str] = mapped_column(String(100))  # 课程名称
    study_form_code: Mapped[str | None] = mapped_column(String(20))  # 学习形式
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    days: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))  # 参训天数
    exam_result: Mapped[str | None] = mapped_column(String(10))  # 考核结果
    declared_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))  # 拟申报学时
    checked_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # 审核学时
    approved_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))  # 认定学时
    institution_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    institution_name: Mapped[str | None] = mapped_column(String(100))  # 施教机构, when not in the system
    year: Mapped[int] = mapped_column(Integer)  # 申报年度
    location: Mapped[str | None] = mapped_column(String(100))  # 学习地点
    content: Mapped[str | None] = mapped_column(String(100))  # 学习内容
    note: Mapped[str | None] = mapped_column(String(100))  # 备注
    source: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default=ApplicationStatus.DRAFT)
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    #: the step of its chain (workflows/record_routing.py) a 待审核 record waits at
    review_step: Mapped[str | None] = mapped_column(String(20))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    declared_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id"), unique=True)

    person: Mapped[Person] = relationship()
    institution_org: Mapped[Organisation | None] = relationship(foreign_keys=[institution_org_id])
    reviewer_org: Mapped[Organisation | None] = relationship(foreign_keys=[reviewer_org_id])
    declared_by_org: Mapped[Organisation | None] = relationship(foreign_keys=[declared_by_org_id])
    enrolment: Mapped[Enrolment | None] = relationship()

    def __str__(self) -> str:
        return f"{self.person.name if self.person else ''}：{self.course_name}"
