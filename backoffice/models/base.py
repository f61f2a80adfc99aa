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


def only_on_its_database(dialect_name: str):
    """Alembic `include_object`: leave out what the models declare for another database only
    (`.ddl_if(dialect=...)`), so autogenerate and the schema check compare like with like."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        ddl_if = getattr(obj, "_ddl_if", None)
        return ddl_if is None or ddl_if.dialect in (None, dialect_name)

    return include
