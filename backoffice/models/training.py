"""The training chain up to the class (DESIGN §2): 专业课目录 and its courses, 施教机构专业培训资格,
专业课计划 and their 培训班 with teachers and subjects. Enrolment, attendance and records: learning.py.

Every state column has a CHECK (`in_choices`), every limit the manuals give is a CHECK too, and every
list filter and "what waits for my organisation" query has an index.
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import ApplicationStatus, CatalogueStatus, ClassStatus, CourseType
from .base import Timestamps, in_choices
from .org import Organisation
from .reference import ProfessionalSeries
from .teaching import Teacher

#: 一天6学时 (000 §1.3.1): the default and the most a plan may claim per training day
HOURS_PER_DAY = 6
YEAR_RANGE = "BETWEEN 2000 AND 2100"


class Catalogue(Timestamps, db.Model):
    """专业课目录: a province-level industry department's courses of one 专业系列 and year."""

    __tablename__ = "catalogue"
    __table_args__ = (
        UniqueConstraint("org_id", "series_id", "year"),
        in_choices("status", CatalogueStatus),
        CheckConstraint(f"year {YEAR_RANGE}", name="year_range"),
        # 选择专业课程: the published catalogues of a series, newest year first.
        Index("ix_catalogue_series_status_year", "series_id", "status", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("professional_series.id"))
    year: Mapped[int] = mapped_column(Integer)
    declared_on: Mapped[date] = mapped_column(Date)  # 申报日期
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))  # 经办人
    status: Mapped[str] = mapped_column(String(10), default=CatalogueStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    org: Mapped[Organisation] = relationship()
    series: Mapped[ProfessionalSeries] = relationship()
    operator: Mapped["User | None"] = relationship()  # noqa: F821
    courses: Mapped[list["Course"]] = relationship(
        back_populates="catalogue", order_by="Course.id", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        return self.status == CatalogueStatus.PUBLISHED

    def __str__(self) -> str:
        return f"{self.year}年{self.series.name if self.series else ''}专业课目录"


class Course(Timestamps, db.Model):
    """专业课: what a plan is filed for. Read-only once its catalogue is published; 撤回 (withdrawn)
    only while no plan uses it."""

    __tablename__ = "course"
    __table_args__ = (UniqueConstraint("catalogue_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalogue_id: Mapped[int] = mapped_column(ForeignKey("catalogue.id"))
    name: Mapped[str] = mapped_column(String(100))  # 专业课名称
    content: Mapped[str] = mapped_column(Text)  # 学习内容, ≤1000
    note: Mapped[str | None] = mapped_column(String(500))  # 备注
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)

    catalogue: Mapped[Catalogue] = relationship(back_populates="courses")

    def __str__(self) -> str:
        return self.name


class Qualification(Timestamps, db.Model):
    """施教机构专业培训资格: an institution may file plans only for the 专业系列 it holds one for."""

    __tablename__ = "qualification"
    __table_args__ = (
        UniqueConstraint("institution_id", "series_id"),
        in_choices("status", ApplicationStatus),
        Index("ix_qualification_reviewer_status", "reviewer_org_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    series_id: Mapped[int] = mapped_column(ForeignKey("professional_series.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(500))  # 申请说明
    status: Mapped[str] = mapped_column(String(10), default=ApplicationStatus.DRAFT)
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)

    institution: Mapped[Organisation] = relationship(foreign_keys=[institution_id])
    series: Mapped[ProfessionalSeries] = relationship()
    reviewer_org: Mapped[Organisation | None] = relationship(foreign_keys=[reviewer_org_id])

    def __str__(self) -> str:
        return f"{self.institution.name if self.institution else ''}（{self.series.name if self.series else ''}）"


class Plan(Timestamps, db.Model):
    """专业课计划 (000 §1.3.1): filed by a unit, an institution or an industry department (备案), reviewed
    through workflows.review, read-only from 送审 on."""

    __tablename__ = "plan"
    __table_args__ = (
        in_choices("status", ApplicationStatus),
        in_choices("course_type", CourseType),
        CheckConstraint(f"year {YEAR_RANGE}", name="year_range"),
        CheckConstraint("days > 0 AND days <= 365", name="days_range"),
        CheckConstraint(f"hours > 0 AND hours <= days * {HOURS_PER_DAY}", name="hours_range"),
        CheckConstraint("sessions BETWEEN 1 AND 99", name="sessions_range"),
        CheckConstraint("end_on >= start_on", name="dates_in_order"),
        Index("ix_plan_owner_year", "owner_org_id", "year"),
        Index("ix_plan_reviewer_status", "reviewer_org_id", "status"),
        # industry departments' query screen: their series, then the owner's region
        Index("ix_plan_series_status", "series_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    # The course's series, copied when the course is chosen: scope and routing read it directly.
    series_id: Mapped[int] = mapped_column(ForeignKey("professional_series.id"))
    # 科目类型: 专业课 for every plan made from the 专业课目录; kept for Henan's 公需/专业 plans.
    course_type: Mapped[str] = mapped_column(String(12), default=CourseType.PROFESSIONAL)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))  # 培训计划名称
    days: Mapped[Decimal] = mapped_column(Numeric(4, 1))  # 培训天数
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))  # 继续教育学时
    sessions: Mapped[int] = mapped_column(Integer)  # 拟办期数
    start_on: Mapped[date] = mapped_column(Date)  # 计划开始时间
    end_on: Mapped[date] = mapped_column(Date)  # 计划完成时间
    content: Mapped[str] = mapped_column(String(500))  # 培训内容
    audience: Mapped[str] = mapped_column(String(500))  # 培训对象
    note: Mapped[str | None] = mapped_column(String(500))  # 备注
    status: Mapped[str] = mapped_column(String(10), default=ApplicationStatus.DRAFT)
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    owner_org: Mapped[Organisation] = relationship(foreign_keys=[owner_org_id])
    reviewer_org: Mapped[Organisation | None] = relationship(foreign_keys=[reviewer_org_id])
    course: Mapped[Course] = relationship()
    series: Mapped[ProfessionalSeries] = relationship()
    classes: Mapped[list["TrainingClass"]] = relationship(
        back_populates="plan", order_by="TrainingClass.id", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.name


class_teacher = Table(
    "class_teacher",
    db.metadata,
    Column("class_id", ForeignKey("training_class.id", ondelete="CASCADE"), primary_key=True),
    # No cascade: a teacher a class names cannot be deleted (workflows.teachers.delete_teacher).
    Column("teacher_id", ForeignKey("teacher.id"), primary_key=True, index=True),
)


class TrainingClass(Timestamps, db.Model):
    """培训班: one run of an approved plan. Its status moves are workflows.classes.MOVES."""

    __tablename__ = "training_class"
    __table_args__ = (
        in_choices("status", ClassStatus),
        CheckConstraint("capacity BETWEEN 1 AND 10000", name="capacity_range"),
        # The seat counter of a race-safe enrolment: never negative, never above 计划招生人数.
        CheckConstraint("enrolled_count >= 0 AND enrolled_count <= capacity", name="enrolled_within_capacity"),
        CheckConstraint("study_end_on >= study_start_on", name="dates_in_order"),
        Index("ix_training_class_plan_status", "plan_id", "status"),
        # 培训班报名申请: the classes that 接受报名, soonest first.
        Index("ix_training_class_status_open", "status", "planned_open_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    name: Mapped[str] = mapped_column(String(100))  # 培训班名称
    planned_open_on: Mapped[date] = mapped_column(Date)  # 计划开班时间
    study_form_code: Mapped[str] = mapped_column(String(20))  # 学习形式 (dictionary study_form)
    study_start_on: Mapped[date] = mapped_column(Date)
    study_end_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)  # 计划招生人数
    head_teacher_id: Mapped[int] = mapped_column(ForeignKey("teacher.id"), index=True)  # 班主任
    exam_type_code: Mapped[str] = mapped_column(String(20))  # 考试类型 (dictionary exam_type)
    location: Mapped[str] = mapped_column(String(500))  # 学习地点
    schedule: Mapped[str] = mapped_column(String(500))  # 课程具体时间安排
    status: Mapped[str] = mapped_column(String(12), default=ClassStatus.NOT_STARTED)
    status_note: Mapped[str | None] = mapped_column(String(50))  # 说明 of the last status move
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    enrolled_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    plan: Mapped[Plan] = relationship(back_populates="classes")
    head_teacher: Mapped[Teacher] = relationship()
    teachers: Mapped[list[Teacher]] = relationship(secondary=class_teacher, order_by=Teacher.name)
    subjects: Mapped[list["ClassSubject"]] = relationship(
        back_populates="training_class", order_by="ClassSubject.sort", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.name


class ClassSubject(db.Model):
    """培训科目: the subjects a class teaches, in order."""

    __tablename__ = "class_subject"
    __table_args__ = (UniqueConstraint("class_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    sort: Mapped[int] = mapped_column(Integer, default=0)

    training_class: Mapped[TrainingClass] = relationship(back_populates="subjects")

    def __str__(self) -> str:
        return self.name
