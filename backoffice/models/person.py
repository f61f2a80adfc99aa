"""专业技术人员, the key-field changes they ask their unit to approve, and 人员调转."""
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import ApplicationStatus, BindingStatus, DictionaryCategory, Sex, TitleLevel, TransferStatus
from .base import Timestamps, in_choices, related
from .org import Department, Organisation
from .reference import ProfessionalSeries


#: 姓名 compares by code point on both databases: SQLite's BINARY, PostgreSQL's "C". Under a linguistic
#: collation PostgreSQL can neither turn `LIKE '袁%'` into a range of the name-ordered index nor trust
#: a range to be a prefix; it walked that index in name order filtering every row (3.5 s at a million
#: people, docs/performance.md). Code point order is the order the lists already had on a C.UTF-8 database.
NAME = String(50).with_variant(String(50, collation="C"), "postgresql")


class Person(Timestamps, db.Model):
    __tablename__ = "person"
    __table_args__ = (
        in_choices("sex", Sex),
        in_choices("title_level", TitleLevel),
        in_choices("binding_status", BindingStatus),
        # A unit's screens list its people by binding state. The rest are what 继续教育综合统计 reads of
        # every counted person (registered by the 统计时间, 专业系列 for the requirement, 资格级别), so it
        # walks a region's people from this index alone, in table order (docs/statistics.md).
        Index("ix_person_unit_counted", "unit_id", "binding_status", "created_at", "series_id", "title_level"),
        # Province and city lists walk this in name order (policy.scope.people_of_units) and read the
        # scope's columns from it without touching the table: page 500 skips 10,000 index entries only.
        # 姓名（前缀） search is a range of the same index: on PostgreSQL the column's collation is "C"
        # (NAME above), so `LIKE 'term%'` becomes an index range there as it does under SQLite's BINARY.
        # On PostgreSQL the id follows the name, as the lists order by (name, id): without it PostgreSQL
        # sorted each run of a name again by id (an incremental sort; page 500 of a province 24 → 11 ms).
        # Not on SQLite: given an index in the whole order, its planner walks names for a rare 专业系列
        # too (1 → 45 ms), where it takes the series index and sorts the few (docs/performance.md).
        Index("ix_person_name_scope", "name", "unit_id", "series_id").ddl_if(dialect="sqlite"),
        Index("ix_person_name_scope", "name", "id", "unit_id", "series_id").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), unique=True)
    name: Mapped[str] = mapped_column(NAME)
    sex: Mapped[str] = mapped_column(String(2))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)  # 公民身份号码
    ethnicity_code: Mapped[str | None] = mapped_column(String(20), info={"dictionary": DictionaryCategory.ETHNICITY})
    birth_date: Mapped[date | None] = mapped_column(Date)
    native_place: Mapped[str | None] = mapped_column(String(50))  # 籍贯
    education_code: Mapped[str | None] = mapped_column(String(20), info={"dictionary": DictionaryCategory.EDUCATION})  # 最高学历
    degree_code: Mapped[str | None] = mapped_column(String(20), info={"dictionary": DictionaryCategory.DEGREE})  # 最高学位
    major: Mapped[str | None] = mapped_column(String(50))  # 所学专业
    school: Mapped[str | None] = mapped_column(String(50))  # 毕业院校
    graduated_on: Mapped[date | None] = mapped_column(Date)  # 毕业时间
    work_started_on: Mapped[date | None] = mapped_column(Date)  # 参加工作时间
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(50))  # 专业技术任职资格
    title_level: Mapped[str | None] = mapped_column(String(12), index=True)
    title_obtained_on: Mapped[date | None] = mapped_column(Date)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("professional_series.id"), index=True)
    specialty: Mapped[str | None] = mapped_column(String(50))  # 从事专业
    postcode: Mapped[str | None] = mapped_column(String(6))
    address: Mapped[str | None] = mapped_column(String(100))  # 通信地址
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"), index=True)
    binding_status: Mapped[str | None] = mapped_column(String(10))
    # First confirmed by a unit: from then on 姓名 and 公民身份号码 never change.
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)

    unit: Mapped[Organisation | None] = relationship()
    department: Mapped[Department | None] = relationship()
    series: Mapped[ProfessionalSeries | None] = relationship()
    user: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def is_confirmed(self) -> bool:
        return self.binding_status == BindingStatus.CONFIRMED

    def __str__(self) -> str:
        return self.name


class PersonChange(Timestamps, db.Model):
    """审核人员信息修改: key fields a confirmed person asked to change; applied when their unit approves."""

    __tablename__ = "person_change"
    __table_args__ = (
        in_choices("status", ApplicationStatus),
        Index("ix_person_change_reviewer_status", "reviewer_org_id", "status"),
        # One request waits at a time (the workflow says so politely; this holds under races).
        Index(
            "uq_person_change_pending", "person_id", unique=True,
            sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    before: Mapped[dict] = mapped_column(JSON, default=dict)  # field → value, only the changed fields
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=ApplicationStatus.PENDING)
    # The unit the person belonged to when asking: it reviews, and it alone keeps seeing this row.
    reviewer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped[Person] = relationship()
    reviewer_org: Mapped[Organisation | None] = relationship()

    def __str__(self) -> str:
        return f"{related(self, 'person') or '专业技术人员'}的信息修改"


class Transfer(Timestamps, db.Model):
    """人员调转: the sending unit asks (调出), the receiving unit confirms or refuses (调入)."""

    __tablename__ = "transfer"
    __table_args__ = (
        in_choices("status", TransferStatus),
        Index("ix_transfer_to_status", "to_unit_id", "status"),
        Index("ix_transfer_from_status", "from_unit_id", "status"),
        # A person has at most one transfer waiting.
        Index(
            "uq_transfer_pending_person", "person_id", unique=True,
            sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    from_unit_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[str] = mapped_column(String(10), default=TransferStatus.PENDING)
    reason: Mapped[str | None] = mapped_column(String(200))  # 调出说明
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    opinion: Mapped[str | None] = mapped_column(String(200))  # 调入意见

    person: Mapped[Person] = relationship()
    from_unit: Mapped[Organisation] = relationship(foreign_keys=[from_unit_id])
    to_unit: Mapped[Organisation] = relationship(foreign_keys=[to_unit_id])

    def __str__(self) -> str:
        return f"{related(self, 'person') or '专业技术人员'}的调转"
