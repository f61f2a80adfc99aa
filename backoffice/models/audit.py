"""History: the business 审批流程 (ReviewLog) and the technical, append-only AuditLog."""
from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import ReviewResult
from .base import in_choices, utcnow
from .org import Organisation

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit key for a big log.
LogId = BigInteger().with_variant(Integer(), "sqlite")


class ReviewLog(db.Model):
    """One review event of any reviewable object, shown as the 审批流程 table on its details page."""

    __tablename__ = "review_log"
    __table_args__ = (
        in_choices("result", ReviewResult),
        Index("ix_review_log_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(LogId, primary_key=True)
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(50))  # 审核环节
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    reviewer_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    result: Mapped[str] = mapped_column(String(10))
    opinion: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    reviewer_org: Mapped[Organisation | None] = relationship()
    reviewer_user: Mapped["User | None"] = relationship()  # noqa: F821


class AuditLog(db.Model):
    """Append-only: who did what, acting for which organisation, from where, with before/after."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_object", "object_type", "object_id"),
        # 操作日志 lists newest first, the later row first within one instant (`AuditLogView`): the
        # whole order is in the index, so rows sharing a timestamp — a bulk load's, a migration's —
        # are not gathered and sorted before the page (PostgreSQL: 10,000 tied rows, 17 ms).
        Index("ix_audit_log_created_at", "created_at", "id"),
        # HR reads the log of its region, newest first.
        Index("ix_audit_log_region_time", "region_code", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(LogId, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # The acting organisation's region, copied so a region's log is one index range.
    region_code: Mapped[str | None] = mapped_column(String(6))
    ip: Mapped[str | None] = mapped_column(String(45))
    action: Mapped[str] = mapped_column(String(30))
    object_type: Mapped[str | None] = mapped_column(String(30))
    object_id: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str | None] = mapped_column(String(200))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped["User | None"] = relationship()  # noqa: F821
    org: Mapped[Organisation | None] = relationship()


class Attachment(db.Model):
    """An uploaded file. Stored under a random name outside static; served only through a scope check."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(30))
    owner_id: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    uploaded_by: Mapped["User | None"] = relationship()  # noqa: F821

    def __str__(self) -> str:
        return self.original_name  # what the 操作日志 names (never SQLAlchemy's repr)
