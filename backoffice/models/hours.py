"""学时要求 (DESIGN §2 HourRequirement): the rule a person-year's approved hours are verified against.

Rules differ by province and change over time (the national rule: ≥ 90 a year, 专业科目 generally two
thirds; Guangdong sources give 72 = 18 + 42 + 12 and 90 = 30 + 42 + 18), so they are rows, not code.
A row is national (no region), for a region (and everything below it), or for a region and one 专业系列;
`backoffice/hours.py` picks the most specific row that applies to a person-year.
"""
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Timestamps
from .reference import ProfessionalSeries, Region
from .training import YEAR_RANGE

MAX_HOURS = 1000  # a year has 8760 hours; no province asks for more than a few hundred


class HourRequirement(Timestamps, db.Model):
    __tablename__ = "hour_requirement"
    __table_args__ = (
        CheckConstraint(f"year {YEAR_RANGE}", name="year_range"),
        CheckConstraint(f"total_hours > 0 AND total_hours <= {MAX_HOURS}", name="total_range"),
        CheckConstraint(
            "min_public_hours >= 0 AND min_professional_hours >= 0 AND min_elective_hours >= 0",
            name="minimums_not_negative",
        ),
        CheckConstraint(
            "min_public_hours + min_professional_hours + min_elective_hours <= total_hours",
            name="minimums_within_total",
        ),
        # A series rule is always a region's rule: "national, per series" is not a level of the lookup.
        CheckConstraint("series_id IS NULL OR region_code IS NOT NULL", name="series_needs_region"),
        # One row per (year, region, series) at each of the three levels (NULLs never collide in a
        # plain unique constraint, hence the two partial indexes for the levels that leave one out).
        UniqueConstraint("year", "region_code", "series_id"),
        Index(
            "uq_hour_requirement_national", "year", unique=True,
            sqlite_where=text("region_code IS NULL"), postgresql_where=text("region_code IS NULL"),
        ),
        Index(
            "uq_hour_requirement_region", "year", "region_code", unique=True,
            sqlite_where=text("series_id IS NULL"), postgresql_where=text("series_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)  # 年度
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))  # 适用地区 (NULL: 全国)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("professional_series.id"))  # 适用专业系列
    total_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))  # 年度总学时
    min_public_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1), default=Decimal(0))  # 公需科目最低学时
    min_professional_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1), default=Decimal(0))  # 专业科目最低学时
    min_elective_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1), default=Decimal(0))  # 选修科目最低学时
    # 学时录入截止日期: the year's records are accepted until this day (e.g. 31 January of the next year)
    entry_deadline: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))  # 依据

    region: Mapped[Region | None] = relationship()
    series: Mapped[ProfessionalSeries | None] = relationship()

    def __str__(self) -> str:
        return f"{self.year}年度学时要求"


class PersonYearHours(db.Model):
    """A person-year's approved hours (issue 12 item 6): the 已通过 records of one person and 申报年度 summed per
    科目类型 at their 认定学时, and the latest 学习结束时间 among them. A row exists while the person-year has
    an approved record.

    Never written by the application: triggers on `record` (migration `e7b3a41c9d20`) recount a person-year
    in the statement that changes any of its records, whatever path that is (认定, 撤销, 审验, 结业, imports,
    raw SQL), so the figure is the recount in every committed state. `backoffice/hours.py` checks
    that (`hours.summary_mismatches`, `flask hours-summary`) and rebuilds it; `hours.year_hours` reads it.
    """

    __tablename__ = "person_year_hours"
    __table_args__ = (
        # 继续教育综合统计 reads a year's rows as of a 统计时间 from this index alone (both databases), in
        # person order, so SQLite then looks the people up in their table's order (docs/statistics.md)
        Index("ix_person_year_hours_year_person", "year", "person_id", "last_end_on", "public_hours",
              "professional_hours", "elective_hours"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_hours: Mapped[Decimal] = mapped_column(Numeric(7, 1))
    professional_hours: Mapped[Decimal] = mapped_column(Numeric(7, 1))
    elective_hours: Mapped[Decimal] = mapped_column(Numeric(7, 1))
    last_end_on: Mapped[date] = mapped_column(Date)
