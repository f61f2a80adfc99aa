"""师资: the teachers an organisation keeps for its classes (class models join them here later)."""
from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import Sex
from .base import Timestamps, in_choices
from .org import Organisation


class Teacher(Timestamps, db.Model):
    __tablename__ = "teacher"
    __table_args__ = (
        UniqueConstraint("org_id", "id_number"),
        in_choices("sex", Sex),
        # Class forms offer "the enabled teachers of my organisation".
        Index("ix_teacher_org_active", "org_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(String(50))
    sex: Mapped[str] = mapped_column(String(2))
    id_number: Mapped[str] = mapped_column(String(18))  # 公民身份号码
    title: Mapped[str] = mapped_column(String(50))  # 专业技术资格
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(100))
    courses: Mapped[str] = mapped_column(Text)  # 可以教授课程, ≤500
    intro: Mapped[str] = mapped_column(Text)  # 教师简介, ≤1000
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # 启用 / 禁用

    org: Mapped[Organisation] = relationship()

    def __str__(self) -> str:
        return self.name
