"""继续教育证书 (DESIGN §2 Certificate): one person-year's verified hours under a number anyone can check.

The figures are written when the certificate is issued, so a printed certificate and `/verify/<number>`
always agree with each other, whatever happens to the records later (重新生成证书并打印 issues a new
number and voids the old one). A number is never reused: the column is unique and rows are never
deleted. At most one
certificate of a person-year is 有效 at a time (a partial unique index).
"""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import CertificateStatus
from .base import in_choices, utcnow
from .org import Organisation
from .person import Person

HOURS = Numeric(6, 1)


class Certificate(db.Model):
    __tablename__ = "certificate"
    __table_args__ = (
        in_choices("status", CertificateStatus),
        # one 有效 certificate per person-year, whichever worker issues it
        Index(
            "ux_certificate_valid_person_year", "person_id", "year", unique=True,
            sqlite_where=text("status = 'valid'"), postgresql_where=text("status = 'valid'"),
        ),
        Index("ix_certificate_person_year", "person_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # 继续教育证书号
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    year: Mapped[int] = mapped_column(Integer)  # 培训年度
    # the holder and the figures as issued
    holder_name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    series_name: Mapped[str | None] = mapped_column(String(100))  # 专业系列
    public_courses: Mapped[int] = mapped_column(Integer, default=0)  # 公需科目 门数
    public_hours: Mapped[Decimal] = mapped_column(HOURS, default=Decimal(0))
    professional_courses: Mapped[int] = mapped_column(Integer, default=0)
    professional_hours: Mapped[Decimal] = mapped_column(HOURS, default=Decimal(0))
    elective_courses: Mapped[int] = mapped_column(Integer, default=0)  # 个人选修科目
    elective_hours: Mapped[Decimal] = mapped_column(HOURS, default=Decimal(0))
    total_hours: Mapped[Decimal] = mapped_column(HOURS, default=Decimal(0))
    passed: Mapped[bool] = mapped_column(Boolean)  # 年度验证 通过
    status: Mapped[str] = mapped_column(String(10), default=CertificateStatus.VALID)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issuer_name: Mapped[str] = mapped_column(String(100))  # 发证机关: the province's HR department
    issued_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))  # who printed it
    issued_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)  # 已作废: replaced by a new number
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)  # 已撤销 by HR
    revoked_reason: Mapped[str | None] = mapped_column(String(200))
    revoked_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))

    person: Mapped[Person] = relationship()
    issued_by_org: Mapped[Organisation | None] = relationship(foreign_keys=[issued_by_org_id])

    def __str__(self) -> str:
        return f"{self.holder_name} {self.year}年继续教育证书（{self.number}）"
