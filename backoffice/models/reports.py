"""年度报告 (DESIGN §2 AnnualReport; 002 年审报告管理): an institution's report of one year, reviewed by
the HR organisation of its region through the review engine. One report per institution and year."""
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import ApplicationStatus
from .base import Timestamps, in_choices
from .org import Organisation
from .training import YEAR_RANGE


class AnnualReport(Timestamps, db.Model):
    __tablename__ = "annual_report"
    __table_args__ = (
        UniqueConstraint("institution_id", "year"),
        in_choices("status", ApplicationStatus),
        CheckConstraint(f"year {YEAR_RANGE}", name="year_range"),
        Index("ix_annual_report_reviewer_status", "reviewer_org_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    year: Mapped[int] = mapped_column(Integer)  # 年度
    name: Mapped[str] = mapped_column(String(100))  # 报告名称
    note: Mapped[str | None] = mapped_column(String(500))  # 备注
    status: Mapped[str] = mapped_column(String(10), default=ApplicationStatus.DRAFT)
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)

    institution: Mapped[Organisation] = relationship(foreign_keys=[institution_id])
    reviewer_org: Mapped[Organisation | None] = relationship(foreign_keys=[reviewer_org_id])

    def __str__(self) -> str:
        return self.name or ""
