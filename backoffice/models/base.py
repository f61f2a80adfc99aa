"""Column helpers shared by the model modules."""
from datetime import datetime, timezone

from sqlalchemy import CheckConstraint, DateTime, func
from sqlalchemy.orm import Mapped, mapped_column

from ..labels import Choices


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def in_choices(column: str, choices: type[Choices], name: str | None = None) -> CheckConstraint:
    """CHECK that a state column stays inside its closed set (named for the naming convention)."""
    return CheckConstraint(choices.sql_in(column), name=name or f"{column}_valid")


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, server_default=func.now()
    )
