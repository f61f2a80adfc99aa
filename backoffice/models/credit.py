"""失信信息: entries about a person (recorded by their unit) or an organisation (recorded by HR)."""
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import SubjectType
from .base import Timestamps, in_choices, related
from .org import Organisation
from .person import Person


class Dishonesty(Timestamps, db.Model):
    __tablename__ = "dishonesty"
    __table_args__ = (
        in_choices("subject_type", SubjectType),
        # Exactly the subject its type names.
        CheckConstraint(
            "(subject_type = 'person' AND person_id IS NOT NULL AND subject_org_id IS NULL) OR "
            "(subject_type = 'org' AND subject_org_id IS NOT NULL AND person_id IS NULL)",
            name="subject_matches_type",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(10))  # 失信人类型
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    subject_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    content: Mapped[str] = mapped_column(Text)  # 失信内容, ≤500
    recorded_by_org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped[Person | None] = relationship()
    subject_org: Mapped[Organisation | None] = relationship(foreign_keys=[subject_org_id])
    recorded_by_org: Mapped[Organisation] = relationship(foreign_keys=[recorded_by_org_id])
    recorded_by_user: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def subject_name(self) -> str:
        return str(related(self, "person") or related(self, "subject_org") or "")

    def __str__(self) -> str:
        return f"失信信息：{self.subject_name}"
