"""Reference data the 系统管理员 maintains: regions, 专业系列 and the small dictionaries."""
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import DictionaryCategory, RegionLevel
from .base import in_choices


class Region(db.Model):
    """A GB/T 2260 administrative division. Codes are six digits; a subtree is a contiguous code range."""

    __tablename__ = "region"
    __table_args__ = (in_choices("level", RegionLevel),)

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    level: Mapped[str] = mapped_column(String(10))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped["Region | None"] = relationship(remote_side=[code])

    @property
    def bounds(self) -> tuple[str, str]:
        return subtree_bounds(self.code, self.level)

    @property
    def full_name(self) -> str:
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    def __str__(self) -> str:
        return self.name


def subtree_bounds(code: str, level: str) -> tuple[str, str]:
    """The inclusive code range of a region and everything below it.

    440000 (province) → 440000..449999; 440100 (city) → 440100..440199; a county is itself.
    A plain range keeps "everything in my region" an index range scan on any database.
    """
    keep = {RegionLevel.PROVINCE: 2, RegionLevel.CITY: 4}.get(level, 6)
    return code[:keep] + "0" * (6 - keep), code[:keep] + "9" * (6 - keep)


class ProfessionalSeries(db.Model):
    """专业系列, e.g. 高等学校教师, 卫生技术人员."""

    __tablename__ = "professional_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


class DictionaryItem(db.Model):
    """One entry of a small editable dictionary (民族, 学历, 学位, 单位性质, 学习形式, 考试类型…)."""

    __tablename__ = "dictionary_item"
    __table_args__ = (
        UniqueConstraint("category", "code"),
        in_choices("category", DictionaryCategory),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(30))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __str__(self) -> str:
        return self.name


def dictionary_choices(category: str) -> list[tuple[str, str]]:
    """(code, name) of the active entries of one dictionary, in their display order."""
    rows = db.session.execute(
        db.select(DictionaryItem.code, DictionaryItem.name)
        .where(DictionaryItem.category == category, DictionaryItem.active.is_(True))
        .order_by(DictionaryItem.sort, DictionaryItem.code)
    )
    return [(code, name) for code, name in rows]
