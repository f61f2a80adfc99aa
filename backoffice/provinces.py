"""The rules of the province an organisation or person belongs to (issue 13, docs/provinces.md).

`rules_for(region_code)` is the one door: every routing function (person joining, plan review, record
chain, HR registration) and the menu's names read it. A region's province is its code's first two digits
+ '0000'. A province without a `ProvinceRule` row works as the Guangdong manuals say (today's flows), so
a deployment with no rows behaves as before. Rows are read once per request (cached on `g`).
"""
from dataclasses import dataclass

from flask import g, has_app_context
from sqlalchemy import or_, select

from .extensions import db
from .labels import OrgKind, PersonJoin, PlanReviewer, RecordChain, Vocabulary
from .models import Organisation, ProvinceRule


EVERY_ORG_KIND = (OrgKind.UNIT, OrgKind.HR, OrgKind.INDUSTRY, OrgKind.INSTITUTION)


@dataclass(frozen=True)
class Rules:
    province_code: str
    person_join: str = PersonJoin.UNIT_CONFIRMS
    plan_reviewer: str = PlanReviewer.INDUSTRY_OF_SERIES
    record_chain: str = RecordChain.UNIT
    hr_self_registration: bool = False
    vocabulary: str = Vocabulary.GUANGDONG
    every_org_employs: bool = False

    @property
    def registration_review(self) -> bool:
        """Henan: a person's registration waits for the chosen unit's 审核注册人员 before they may sign in."""
        return self.person_join == PersonJoin.REGISTRATION_REVIEW

    @property
    def employer_kinds(self) -> tuple[str, ...]:
        """The organisation kinds that have professionals of their own here: units everywhere; Henan also
        HR, industry departments and 继续教育基地 (002: 审核注册人员, 人员调转 in every chapter)."""
        return EVERY_ORG_KIND if self.every_org_employs else (OrgKind.UNIT,)

    def speak(self, text: str, code: str | None = None) -> str:
        """`text` (a screen or to-do name, `code` its module or to-do code) in this province's words."""
        return speak(text, self.vocabulary, code)


def province_of(region_code: str | None) -> str:
    return f"{region_code[:2]}0000" if region_code and len(region_code) >= 2 else ""


def _cache() -> dict:
    if not has_app_context():
        return {}
    if "province_rules" not in g:
        g.province_rules = {}
    return g.province_rules


def rules_for(region_code: str | None) -> Rules:
    """The rules of the province `region_code` lies in (the defaults when it has no row)."""
    province = province_of(region_code)
    cache = _cache()
    if province not in cache:
        row = db.session.scalar(select(ProvinceRule).where(ProvinceRule.region_code == province)) if province else None
        cache[province] = Rules(province) if row is None else Rules(
            province, row.person_join, row.plan_reviewer, row.record_chain, row.hr_self_registration, row.vocabulary,
            row.every_org_employs,
        )
    return cache[province]


def forget() -> None:
    """Drop this request's cached rows (after 系统管理员 changes one)."""
    _cache().clear()


# ---- vocabulary (docs/glossary.md: the Guangdong term and the Henan one) --------------------------

#: a Henan screen or to-do whose name is not the Guangdong one with terms swapped (002's own names)
HENAN_NAMES = {
    "person_confirm": "审核注册人员",
    "record_declare": "学时学分申报",
    "record_review": "学时学分审批",
    "plan_apply": "培训计划申报",
    "plan_review": "审核培训计划申报",
    "people_to_confirm": "注册人员待审核",
    "records_to_recognise": "学时学分待审批",
    "plans": "培训计划申报待审核",
}

#: Guangdong term → Henan term, longest first so a longer term is swapped before a part of it
HENAN_TERMS = (
    ("继续教育记录申报", "学时学分申报"),
    ("继续教育记录认定", "学时学分审批"),
    ("行业主管部门", "主管部门"),
    ("施教机构", "继续教育基地"),
    ("法人单位", "用人单位"),
)

VOCABULARIES = {
    Vocabulary.GUANGDONG: ({}, ()),
    Vocabulary.HENAN: (HENAN_NAMES, HENAN_TERMS),
}


def speak(text: str, vocabulary: str, code: str | None = None) -> str:
    names, terms = VOCABULARIES.get(vocabulary, ({}, ()))
    if code in names:
        return names[code]
    for ours, theirs in terms:
        text = text.replace(ours, theirs)
    return text


def for_actor(actor) -> Rules:
    """The rules of the acting organisation's province (a person: their unit's); defaults for system roles."""
    return rules_for(getattr(actor, "rules_region", None))


# ---- who employs professionals (issue 13 item 2) ------------------------------------------------


def employs(org) -> bool:
    """Whether this organisation may have professionals of its own (be a person's 工作单位): a unit
    always; HR, industry departments and institutions where their province's rule says so."""
    return org is not None and org.kind in rules_for(org.region_code).employer_kinds


def _employing_provinces() -> list[str]:
    cache = _cache()
    if "employing" not in cache:
        cache["employing"] = list(db.session.scalars(
            select(ProvinceRule.region_code).where(ProvinceRule.every_org_employs.is_(True))
        ))
    return cache["employing"]


def employer_condition():
    """`employs` as SQL on Organisation (a person's 工作单位 choices, transfer targets): units, and every
    organisation of a province whose rule has every organisation employ."""
    return or_(
        Organisation.kind == OrgKind.UNIT,
        *(Organisation.region_code.between(code, f"{code[:2]}9999") for code in _employing_provinces()),
    )
