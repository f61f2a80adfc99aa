"""Organisations (人社 / 行业主管 / 法人单位 / 施教机构), their operators and the roles they grant."""
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import ApplicationStatus, CodeType, DictionaryCategory, MembershipStatus, OrgKind, RegionLevel
from .base import Timestamps, in_choices, related
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
        # Review screens and the 工作台's queues: "what of kind K waits for my organisation, in my
        # region, since when" — covering, so counting 10,000 waiting applications reads only the index.
        Index(
            "ix_organisation_review_queue", "reviewer_org_id", "status", "kind", "region_code", "submitted_at"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100), index=True)
    code_type: Mapped[str] = mapped_column(String(10), default=CodeType.USCC)
    code: Mapped[str] = mapped_column(String(18))
    nature_code: Mapped[str | None] = mapped_column(String(20), info={"dictionary": DictionaryCategory.ORG_NATURE})
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
    # Set when the application is 送审: who must review it (DESIGN §3 routing) and when.
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # 移除权限: HR can revoke an organisation's access without deleting its history.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    inactive_reason: Mapped[str | None] = mapped_column(String(200))

    # Loaded where shown (lists state it in list_eager): joined on every organisation load it cost
    # 5–12 ms per request at 10,000 organisations (STACK-NOTES); most loads need only region_code.
    region: Mapped[Region] = relationship()
    parent: Mapped["Organisation | None"] = relationship(
        remote_side=[id], foreign_keys=[parent_id]
    )
    hr_org: Mapped["Organisation | None"] = relationship(
        remote_side=[id], foreign_keys=[hr_org_id]
    )
    reviewer_org: Mapped["Organisation | None"] = relationship(
        remote_side=[id], foreign_keys=[reviewer_org_id]
    )
    series: Mapped[ProfessionalSeries | None] = relationship()
    super_admins: Mapped[list["Membership"]] = relationship(
        primaryjoin=lambda: and_(
            Membership.org_id == Organisation.id,
            Membership.is_super_admin.is_(True),
            Membership.status == MembershipStatus.ACTIVE,
        ),
        viewonly=True,
    )

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
        # What a helpdesk 撤销 remembers so that 恢复 returns exactly there; only while revoked.
        CheckConstraint(
            "status_before_revoke IS NULL OR (status = 'disabled'"
            " AND status_before_revoke IN ('pending', 'active', 'disabled'))",
            name="revoked_state_valid",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=MembershipStatus.PENDING)
    is_super_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by helpdesk 撤销 (status then 已禁用): the status to return to on 恢复. NULL for a binding its
    # own organisation disabled (禁用), which only the organisation re-enables (启用).
    status_before_revoke: Mapped[str | None] = mapped_column(String(10))

    user: Mapped["User"] = relationship(back_populates="memberships")  # noqa: F821
    org: Mapped[Organisation] = relationship()
    roles: Mapped[list["OrgRole"]] = relationship(secondary=membership_role)

    def __str__(self) -> str:
        return f"{related(self, 'org') or '单位'} / {related(self, 'user') or '经办人'}"


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


class OrgChange(Timestamps, db.Model):
    """修改单位信息 / 更换上级部门: a requested change of code or superior, applied when the superior approves."""

    __tablename__ = "org_change"
    __table_args__ = (
        in_choices("status", ApplicationStatus),
        in_choices("code_type", CodeType),
        Index("ix_org_change_reviewer_status", "reviewer_org_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    code_type: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(18))
    superior_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    reason: Mapped[str | None] = mapped_column(String(200))
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=ApplicationStatus.PENDING)
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    org: Mapped[Organisation] = relationship(foreign_keys=[org_id])
    superior: Mapped[Organisation | None] = relationship(foreign_keys=[superior_id])
    reviewer_org: Mapped[Organisation | None] = relationship(foreign_keys=[reviewer_org_id])

    def __str__(self) -> str:
        return f"{related(self, 'org') or '单位'}的信息修改"


class Department(Timestamps, db.Model):
    """内设部门: an organisation's own tree of departments."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("org_id", "parent_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    sort: Mapped[int] = mapped_column(Integer, default=0)
    depth: Mapped[int] = mapped_column(Integer, default=0)  # 0 = top level; kept by the workflow
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    org: Mapped[Organisation] = relationship()
    parent: Mapped["Department | None"] = relationship(remote_side=[id])

    def __str__(self) -> str:
        return self.name
