"""省份规则 (issue 13, docs/provinces.md): one row per province saying how that province works.

One deployment serves Guangdong and Henan, whose manuals differ in who reviews what and in the names on
the screens. Each difference is a column with a closed set of choices; routing functions and the menu
read the row through `backoffice.provinces.rules_for`, never a province code in an `if`.
"""
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..labels import PersonJoin, PlanReviewer, RecordChain, Vocabulary
from .base import Timestamps, in_choices
from .reference import Region


class ProvinceRule(Timestamps, db.Model):
    __tablename__ = "province_rule"
    __table_args__ = (
        # a province's code ends in 0000 (GB/T 2260); a city or county has no rules of its own
        CheckConstraint("region_code LIKE '__0000'", name="province_code"),
        in_choices("person_join", PersonJoin),
        in_choices("plan_reviewer", PlanReviewer),
        in_choices("record_chain", RecordChain),
        in_choices("vocabulary", Vocabulary),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"), unique=True)  # 省份
    person_join: Mapped[str] = mapped_column(String(30), default=PersonJoin.UNIT_CONFIRMS)  # 人员加入单位
    plan_reviewer: Mapped[str] = mapped_column(String(30), default=PlanReviewer.INDUSTRY_OF_SERIES)  # 专业课计划审核
    record_chain: Mapped[str] = mapped_column(String(30), default=RecordChain.UNIT)  # 继续教育记录审核
    hr_self_registration: Mapped[bool] = mapped_column(Boolean, default=False)  # 下级人社部门自行注册
    vocabulary: Mapped[str] = mapped_column(String(20), default=Vocabulary.GUANGDONG)  # 界面用语
    # 河南: 人社部门、主管部门和继续教育基地也有本单位的专业技术人员 (002 审核注册人员、人员调转…)
    every_org_employs: Mapped[bool] = mapped_column(Boolean, default=False)  # 各类机构均可有本单位人员

    region: Mapped[Region] = relationship()

    def __str__(self) -> str:
        return f"{self.region.name if self.region else self.region_code}规则"
