"""Permission modules: the menu entries a role can grant. A view names its module; nothing else decides.

An organisation's super admin gets every module of its kind; other members get the union of their
roles' modules, cut down to the kind's. Until the organisation's application is approved it sees only
the application screens.
"""
from dataclasses import dataclass

from ..labels import ActorKind, RegionLevel

ORG_KINDS = (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.UNIT, ActorKind.INSTITUTION)
# Kinds that register themselves and apply for their role; HR organisations are set up by the admin.
APPLYING_KINDS = (ActorKind.INDUSTRY, ActorKind.UNIT, ActorKind.INSTITUTION)
# Kinds that employ professionals besides units, where their province's rule says so (Henan, issue 13
# item 2). An institution declares hours on 学员成绩申报 (its students and its staff), so the employer's own
# declaration screens are HR's and industry departments' only.
EMPLOYERS = (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.INSTITUTION)
DECLARING_EMPLOYERS = (ActorKind.HR, ActorKind.INDUSTRY)


@dataclass(frozen=True)
class Module:
    code: str
    label: str
    kinds: tuple[str, ...]
    pending_ok: bool = False  # usable while the organisation's application is not yet approved
    super_admin_only: bool = False  # never granted through a role (manual 002: 超级管理员可…)
    province_only: bool = False  # only organisations of 隶属关系 省级 (004 §1.3.1: 本功能只有省级主管部门才有)
    # only where the organisation's province rule (provinces.Rules) has this flag set, e.g. Henan's
    # hr_self_registration for 审核人社部门 (docs/provinces.md)
    rule: str | None = None
    # an employer's screen (its own staff: 审核注册人员, 人员调转, 学时学分申报…): the kinds besides `kinds`
    # that hold it where their province's rule has every organisation employ (issue 13 item 2)
    staff: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> bool:
        return kind in self.all_kinds

    @property
    def all_kinds(self) -> tuple[str, ...]:
        """Every kind that may hold it somewhere (`kinds`, and `staff` where they employ)."""
        return tuple(dict.fromkeys((*self.kinds, *self.staff)))


MODULES: dict[str, Module] = {
    m.code: m
    for m in [
        # 系统管理员
        Module("dictionaries", "字典管理", (ActorKind.ADMIN,)),
        Module("regions", "行政区划", (ActorKind.ADMIN,)),
        Module("series", "专业系列", (ActorKind.ADMIN,)),
        Module("hour_requirements", "学时要求", (ActorKind.ADMIN,)),
        Module("province_rules", "省份规则", (ActorKind.ADMIN,)),
        Module("audit_log", "操作日志", (ActorKind.ADMIN, ActorKind.HR)),
        # 运维 / 客服
        Module("accounts", "账号查询", (ActorKind.HELPDESK,)),
        Module("bindings", "经办绑定", (ActorKind.HELPDESK,)),
        # every organisation
        Module("org_application", "角色申请", APPLYING_KINDS, pending_ok=True),
        # a city or county HR department that registered itself (Henan, 002 审核人社部门)
        Module("hr_application", "角色申请", (ActorKind.HR,), pending_ok=True, rule="hr_self_registration"),
        Module("org_profile", "单位信息维护", ORG_KINDS),
        Module("org_members", "单位经办人员", ORG_KINDS, super_admin_only=True),
        Module("org_roles", "角色管理", ORG_KINDS, super_admin_only=True),
        Module("org_departments", "内设部门", ORG_KINDS),
        # reviews of organisations (DESIGN §3 routing)
        Module("review_units", "审核法人单位", (ActorKind.HR,)),
        Module("review_institutions", "审核施教机构", (ActorKind.HR,)),
        Module("review_industries", "审核行业主管部门", (ActorKind.HR,)),
        Module("review_hr", "审核人社部门", (ActorKind.HR,), rule="hr_self_registration"),
        Module("review_sub_industries", "下级行业主管部门信息审核", (ActorKind.INDUSTRY,)),
        Module("review_org_changes", "审核机构信息修改", (ActorKind.HR, ActorKind.INDUSTRY)),
        # oversight
        Module("oversee_hr", "管理下级人社部门", (ActorKind.HR,)),
        Module("oversee_industries", "管理行业主管部门", (ActorKind.HR, ActorKind.INDUSTRY)),
        Module("oversee_units", "管理法人单位", (ActorKind.HR,)),
        Module("oversee_institutions", "管理施教机构", (ActorKind.HR,)),
        # people (manual 000 §1.5, 002 用人单位角色)
        Module("person_confirm", "专业技术人员信息确认", (ActorKind.UNIT,), staff=EMPLOYERS),
        Module("person_maintain", "专业技术人员信息维护", (ActorKind.UNIT,), staff=EMPLOYERS),
        Module("person_changes", "审核人员信息修改", (ActorKind.UNIT,), staff=EMPLOYERS),
        Module("person_import", "批量导入", (ActorKind.UNIT,), staff=EMPLOYERS),
        Module("transfer_out", "人员调出", (ActorKind.UNIT,), staff=EMPLOYERS),
        Module("transfer_in", "人员调入", (ActorKind.UNIT,), staff=EMPLOYERS),
        Module("transfer_log", "调转记录", (ActorKind.UNIT,), staff=EMPLOYERS),
        Module("person_query", "专业技术人员信息查询", (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.UNIT), staff=EMPLOYERS),
        # 师资 and 信用 (000 §1.7–1.8, 004 §1.6)
        Module("teachers", "师资信息维护", (ActorKind.UNIT, ActorKind.INSTITUTION, ActorKind.INDUSTRY)),
        Module("dishonesty_entry", "失信信息录入", (ActorKind.UNIT, ActorKind.HR)),
        Module("dishonesty_org", "单位失信信息查看", (ActorKind.UNIT, ActorKind.INSTITUTION)),
        # the person's own screens (003)
        Module("my_profile", "人员基本信息维护", (ActorKind.PERSON,)),
        Module("my_dishonesty", "失信信息查看", (ActorKind.PERSON,)),
        # training (000 §1.3–1.4, 004 §1.3–1.5.2)
        Module("catalogue_publish", "专业课目录指南发布", (ActorKind.INDUSTRY,), province_only=True),
        Module("qualification_apply", "施教机构专业培训资格申请", (ActorKind.INSTITUTION,)),
        Module("qualification_review", "施教机构专业培训资格审核", (ActorKind.INDUSTRY,)),
        Module("plan_apply", "专业课计划申报", (ActorKind.UNIT, ActorKind.INSTITUTION)),
        Module("plan_filing", "专业课计划备案", (ActorKind.INDUSTRY,)),
        Module("plan_review", "专业课计划审核", (ActorKind.INDUSTRY, ActorKind.HR)),
        Module("plan_query", "专业课计划查询", ORG_KINDS),
        Module("class_setup", "培训班设置", (ActorKind.UNIT, ActorKind.INSTITUTION, ActorKind.INDUSTRY)),
        # enrolment and the class queries (000 §1.4.3, 003 §3.3.2–3.3.3, 004 §1.7.3)
        Module("class_enrol", "培训班人员录入", (ActorKind.UNIT,)),
        Module("enrol_confirm", "培训班报名确认", (ActorKind.INSTITUTION, ActorKind.INDUSTRY)),
        Module("class_apply", "培训班报名申请", (ActorKind.PERSON,)),
        Module("my_classes", "培训班情况查看", (ActorKind.PERSON,)),
        Module("class_query_industry", "施教机构培训班查询", (ActorKind.INDUSTRY,)),
        Module("class_query_hr", "培训班查询", (ActorKind.HR,)),
        # 004 §1.7.1: its series' people's declared records in its region
        Module("record_query_industry", "继续教育记录查询", (ActorKind.INDUSTRY,)),
        Module("class_attendance", "培训班考勤设置", (ActorKind.UNIT, ActorKind.INSTITUTION, ActorKind.INDUSTRY)),
        Module("class_results", "学员成绩管理", (ActorKind.UNIT, ActorKind.INSTITUTION, ActorKind.INDUSTRY)),
        # records (000 §1.6.1, §1.6.3; 003 §3.3.1; 002 学员成绩申报, 学时学分审批)
        Module("record_declare", "继续教育记录申报", (ActorKind.UNIT, ActorKind.PERSON), staff=DECLARING_EMPLOYERS),
        Module("record_score_declare", "学员成绩申报", (ActorKind.INSTITUTION,)),
        Module("record_review", "继续教育记录认定", (ActorKind.UNIT, ActorKind.HR), staff=EMPLOYERS),
        # 学时学分审验 (002; issue 11 item 3)
        Module("record_check", "学时学分审验", (ActorKind.HR,)),
        # progress (002 申报进度查询 / 年度完成情况 / 单位申报记录, 000 §1.9.2; issue 11 item 4)
        Module("record_progress", "申报进度查询", (ActorKind.PERSON,)),
        Module("record_years", "年度完成情况", (ActorKind.PERSON,)),
        Module("record_unit_declared", "单位申报记录", (ActorKind.UNIT,), staff=DECLARING_EMPLOYERS),
        Module("record_query", "继续教育培训记录查询", (ActorKind.UNIT,), staff=EMPLOYERS),
        Module("record_import", "继续教育记录批量申报", (ActorKind.UNIT,), staff=DECLARING_EMPLOYERS),
        # certificates (000 §1.6.4, 002 电子证书查询打印, 003 §3.3.4)
        Module("certificate_print", "继续教育证书打印", (ActorKind.UNIT, ActorKind.HR, ActorKind.INDUSTRY)),
        Module("my_certificates", "继续教育证书打印", (ActorKind.PERSON,)),
        # 年度报告 (002 年审报告管理, 审核继续教育基地年度报告)
        Module("annual_report", "年度报告管理", (ActorKind.INSTITUTION,)),
        Module("annual_report_review", "审核继续教育基地年度报告", (ActorKind.HR,)),
        # 查询统计 (000 §1.9, 002 继续教育综合统计)
        Module("statistics", "继续教育综合统计", (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.UNIT)),
        Module("hours_by_type", "学时分类统计", (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.UNIT)),
        Module("review_backlog", "审核积压统计", (ActorKind.HR, ActorKind.INDUSTRY)),
        Module("plan_statistics", "培训计划统计",
               (ActorKind.HR, ActorKind.INDUSTRY, ActorKind.INSTITUTION, ActorKind.UNIT)),
        # 学时预警 (issue 11 item 11, DESIGN §3 deadline early warning)
        Module("hours_shortfall", "学时未达标人员", (ActorKind.HR, ActorKind.UNIT)),
        Module("unit_hours_compliance", "单位学时达标情况", (ActorKind.HR,)),
        # 旧系统数据 (000 §1.10 历史数据绑定, §1.11 历史数据管理; issue 11 item 9)
        Module("legacy_bind", "历史信息绑定", (ActorKind.UNIT,)),
        Module("legacy_records", "历史继续教育记录查询", (ActorKind.UNIT, ActorKind.HR, ActorKind.PERSON)),
        Module("legacy_certificates", "历史证书查询/打印", (ActorKind.UNIT, ActorKind.HR, ActorKind.PERSON)),
    ]
}


def modules_of_kind(kind: str, level: str | None = None) -> list[Module]:
    """The modules of a kind; given the organisation's 隶属关系, without those it is not of."""
    return [
        m for m in MODULES.values()
        if m.of_kind(kind) and (level is None or not m.province_only or level == RegionLevel.PROVINCE)
    ]


def modules_for(
    kind: str,
    *,
    is_super_admin: bool = False,
    granted: set[str] | None = None,
    org_approved: bool = True,
    level: str | None = None,
) -> frozenset[str]:
    """The module codes an actor of this kind (and 隶属关系 `level`, for organisations) may use."""
    if kind not in ORG_KINDS:
        return frozenset(m.code for m in modules_of_kind(kind))
    # an organisation whose level is not known is not treated as province level
    of_kind = modules_of_kind(kind, level or "")
    if not org_approved:
        return frozenset(m.code for m in of_kind if m.pending_ok)
    if is_super_admin:
        return frozenset(m.code for m in of_kind)
    granted = granted or set()
    return frozenset(m.code for m in of_kind if m.code in granted and not m.super_admin_only)


def by_rule(module: Module, rules, kind: str | None) -> bool:
    """Whether the organisation's province rules let an organisation of `kind` hold `module`."""
    if module.rule and not getattr(rules, module.rule):
        return False
    if kind in module.staff and kind not in module.kinds:
        return kind in rules.employer_kinds
    return True


def by_rules(modules: frozenset[str], rules, kind: str | None = None) -> frozenset[str]:
    """Leave out the modules whose province rule is off for this organisation's province: a rule flag
    (`Module.rule`), and an employer's screens for a kind that does not employ there (`Module.staff`)."""
    return frozenset(code for code in modules if by_rule(MODULES[code], rules, kind))


def grantable_modules(kind: str) -> list[Module]:
    """The modules a super admin can put into a role (角色管理)."""
    return [m for m in modules_of_kind(kind) if not m.super_admin_only]
