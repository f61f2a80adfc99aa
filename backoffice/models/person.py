"""专业技术人员. The people issue extends this; the fields here are the ones scope and the demo need."""
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import BindingStatus, Sex, TitleLevel
from .base import Timestamps, in_choices
from .org import Organisation
from .reference import ProfessionalSeries


class Person(Timestamps, db.Model):
    __tablename__ = "person"
    __table_args__ = (
        in_choices("sex", Sex),
        in_choices("title_level", TitleLevel),
        in_choices("binding_status", BindingStatus),
        # A unit's screens list its people by binding state.
        Index("ix_person_unit_binding", "unit_id", "binding_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    name: Mapped[str] = mapped_column(String(50), index=True)
    sex: Mapped[str] = mapped_column(String(2))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)  # 公民身份号码
    ethnicity_code: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[date | None] = mapped_column(Date)
    education_code: Mapped[str | None] = mapped_column(String(20))
    degree_code: Mapped[str | None] = mapped_column(String(20))
    major: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(50))  # 专业技术任职资格
    title_level: Mapped[str | None] = mapped_column(String(12))
    title_obtained_on: Mapped[date | None] = mapped_column(Date)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("professional_series.id"), index=True)
    specialty: Mapped[str | None] = mapped_column(String(50))  # 从事专业
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    binding_status: Mapped[str | None] = mapped_column(String(10))

    unit: Mapped[Organisation | None] = relationship()
    series: Mapped[ProfessionalSeries | None] = relationship()
    user: Mapped["User | None"] = relationship()  # noqa: F821

    def __str__(self) -> str:
        return self.name
