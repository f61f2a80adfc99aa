"""旧系统数据 (DESIGN §2 Legacy*; 000 §1.10–1.11): what the old system knew, loaded by `flask import-legacy`.

Four tables, each with the old system's natural key (so a re-import updates instead of duplicating):

- LegacyUnit (旧系统单位) — old name + old code (the key). `bound_unit_id` is the current 法人单位 that
  proved it is this old unit (历史信息绑定); one current unit per old unit, never two.
- LegacyPerson (旧系统学员) — name + ID number (the key) + the old unit. `person_id` is the current
  person with the same ID number, linked when the old unit is bound (by that unit, among its own people).
- LegacyRecord (历史继续教育记录) — one learning activity up to 2017; key: person + year + 科目类型 + 课程名称.
- LegacyCertificate (历史证书) — number (the key), year, hours of one old person.

Who sees a row is decided by `policy/scope.py` from the two bindings only.
"""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import CourseType
from .base import Timestamps, in_choices
from .org import Organisation
from .person import Person

#: The old system holds records up to and including this year (000 §1.11.1: 2017 年及 17 年以前).
LAST_LEGACY_YEAR = 2017
FIRST_LEGACY_YEAR = 1980
HOURS = Numeric(6, 1)


class LegacyUnit(Timestamps, db.Model):
    __tablename__ = "legacy_unit"
    __table_args__ = (Index("ix_legacy_unit_name", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)  # 旧系统单位代码
    name: Mapped[str] = mapped_column(String(100))  # 旧系统单位名称
    bound_unit_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    bound_at: Mapped[datetime | None] = mapped_column(DateTime)
    bound_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    bound_unit: Mapped[Organisation | None] = relationship()

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class LegacyPerson(Timestamps, db.Model):
    __tablename__ = "legacy_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)  # 身份证
    name: Mapped[str] = mapped_column(String(50))  # 姓名
    legacy_unit_id: Mapped[int] = mapped_column(ForeignKey("legacy_unit.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)

    legacy_unit: Mapped[LegacyUnit] = relationship()
    person: Mapped[Person | None] = relationship()

    def __str__(self) -> str:
        return self.name


class LegacyRecord(Timestamps, db.Model):
    __tablename__ = "legacy_record"
    __table_args__ = (
        UniqueConstraint("legacy_person_id", "year", "course_type", "course_name"),
        in_choices("course_type", CourseType),
        CheckConstraint(f"year BETWEEN {FIRST_LEGACY_YEAR} AND {LAST_LEGACY_YEAR}", name="year_range"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        Index("ix_legacy_record_year", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    legacy_person_id: Mapped[int] = mapped_column(ForeignKey("legacy_person.id"))
    year: Mapped[int] = mapped_column(Integer)  # 年度
    course_type: Mapped[str] = mapped_column(String(12))  # 科目类型
    course_name: Mapped[str] = mapped_column(String(100))  # 课程名称
    hours: Mapped[Decimal] = mapped_column(HOURS)  # 学时
    institution_name: Mapped[str | None] = mapped_column(String(100))  # 施教机构名称

    legacy_person: Mapped[LegacyPerson] = relationship()

    def __str__(self) -> str:
        return f"{self.year}年 {self.course_name}"


class LegacyCertificate(Timestamps, db.Model):
    __tablename__ = "legacy_certificate"
    __table_args__ = (
        CheckConstraint(f"year BETWEEN {FIRST_LEGACY_YEAR} AND {LAST_LEGACY_YEAR}", name="year_range"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
        Index("ix_legacy_certificate_person_year", "legacy_person_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # 证书编号
    legacy_person_id: Mapped[int] = mapped_column(ForeignKey("legacy_person.id"))
    year: Mapped[int] = mapped_column(Integer)  # 年度
    hours: Mapped[Decimal] = mapped_column(HOURS)  # 总学时

    legacy_person: Mapped[LegacyPerson] = relationship()

    def __str__(self) -> str:
        return f"历史证书（{self.number}）"
