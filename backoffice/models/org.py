"""Organisations (人社 / 行业主管 / 法人单位 / 施教机构), their operators and the roles they grant."""
from sqlalchemy import JSON, Boolean, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import ApplicationStatus, CodeType, MembershipStatus, OrgKind, RegionLevel
from .base import Timestamps, in_choices
from .reference import ProfessionalSeries, Region


class Organisation(Timestamps, db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        UniqueConstraint("kind", "code"),
        in_choices("kind", OrgKind),
        in_choices("level", RegionLevel),
        in_choices("code_type", CodeType),
        in_choices("status", ApplicationStatus),
        # Scope queries: "every organisation of kind K in my region range".
        Index("ix_organisation_kind_region", "kind", "region_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100), index=True)
    code_type: Mapped[str] = mapped_column(String(10), default=CodeType.USCC)
    code: Mapped[str] = mapped_column(String(18))
    nature_code: Mapped[str | None] = mapped_column(String(20))  # dictionary org_nature
    level: Mapped[str] = mapped_column(String(10))  # 隶属关系
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    hr_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("professional_series.id"), index=True)

    legal_rep: Mapped[str | None] = mapped_column(String(50))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    office_phone: Mapped[str | None] = mapped_column(String(20))
    mobile: Mapped[str | None] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(6))
    address: Mapped[str | None] = mapped_column(String(100))
    profile: Mapped[str | None] = mapped_column(Text)  # 职能简介, ≤500 enforced by forms

    status: Mapped[str] = mapped_column(String(10), default=ApplicationStatus.DRAFT, index=True)
    # 移除权限: HR can revoke an organisation's access without deleting its history.
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    region: Mapped[Region] = relationship(lazy="joined", innerjoin=True)
    parent: Mapped["Organisation | None"] = relationship(
        remote_side=[id], foreign_keys=[parent_id]
    )
    hr_org: Mapped["Organisation | None"] = relationship(
        remote_side=[id], foreign_keys=[hr_org_id]
    )
    series: Mapped[ProfessionalSeries | None] = relationship()

    @property
    def is_approved(self) -> bool:
        return self.status == ApplicationStatus.APPROVED and self.active

    def __str__(self) -> str:
        return self.name


membership_role = Table(
    "membership_role",
    db.metadata,
    Column("membership_id", ForeignKey("membership.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("org_role.id", ondelete="CASCADE"), primary_key=True),
)


class Membership(Timestamps, db.Model):
    """A personal account's 经办 binding to an organisation."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "org_id"),
        in_choices("status", MembershipStatus),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=MembershipStatus.PENDING)
    is_super_admin: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped["User"] = relationship(back_populates="memberships")  # noqa: F821
    org: Mapped[Organisation] = relationship()
    roles: Mapped[list["OrgRole"]] = relationship(secondary=membership_role)

    def __str__(self) -> str:
        return f"{self.org} / {self.user}"


class OrgRole(Timestamps, db.Model):
    """角色: a named set of permission modules an organisation's super admin grants to members."""

    __tablename__ = "org_role"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    modules: Mapped[list[str]] = mapped_column(JSON, default=list)

    org: Mapped[Organisation] = relationship()

    def __str__(self) -> str:
        return self.name
