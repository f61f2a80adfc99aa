"""Screens that narrow a table's scope further, written out by hand like the rules themselves: who may
open each screen at all, and exactly which of the world's rows its list (`get_query`) and its row
count (`get_count_query`, what the pager shows) hold for them.

A screen whose narrowing is dropped (信息维护 without its confirmed-only filter, a review screen
without "routed to me", 调入 without "to me") lists a row it must not; a screen given to an identity
whose menu should not have it is caught by the first assertion.
"""
import pytest
from flask import g
from sqlalchemy import inspect

from backoffice.views import scoped_views
from test_scope_oracle import (
    AUDIT_LOG,
    DEPARTMENT,
    LEGACY_CERTIFICATE,
    LEGACY_RECORD,
    MEMBERSHIP,
    ORG_ROLE,
    PERSON,
    PLAN,
    TRANSFER,
    USER,
    _s,
)
from world import EMPLOYING_IDENTITIES, IDENTITIES

NONE: frozenset = frozenset()
EVERY_ORG_KIND = ("hr_p", "hr_gz", "hr_sz", "ind_p", "ind_gz", "unit_gz1", "unit_sz", "inst_p", "ind_none")
OWN_ORG = {
    "hr_p": _s("or_hr_p"), "hr_gz": _s("or_hr_gz"), "hr_sz": _s("or_hr_sz"), "ind_p": _s("or_ind_p_a"),
    "ind_gz": _s("or_ind_gz_a"), "unit_gz1": _s("or_unit_gz1"), "unit_sz": _s("or_unit_sz"),
    "inst_p": _s("or_inst_p"), "inst_gz": _s("or_inst_gz"), "ind_none": _s("or_ind_sz_none"),
}


def _rule(table, *who):
    return {name: table[name] for name in who}


# endpoint → {identity allowed to open it: the world's rows it lists}
SCREENS = {
    # 系统管理员
    "dictionary": {"admin": _s("orc_dict")},
    "region": {"admin": _s("rg_oracle")},
    "series": {"admin": _s("orc_a orc_b")},
    "hour_requirements": {"admin": _s("orc_hours")},
    "province_rules": {"admin": _s("orc_rule")},
    "audit_log": _rule(AUDIT_LOG, "admin", "hr_p", "hr_gz", "hr_sz"),
    # 运维 / 客服
    "accounts": _rule(USER, "helpdesk"),
    "bindings": _rule(MEMBERSHIP, "helpdesk"),
    # the acting organisation itself; an organisation still waiting for approval has only 角色申请
    "org_application": _rule(OWN_ORG, "ind_p", "ind_gz", "unit_gz1", "unit_sz", "inst_p", "inst_gz", "ind_none"),
    "org_profile": _rule(OWN_ORG, *EVERY_ORG_KIND),
    # Henan's self-registered HR departments (hr_self_registration): the world's province (440000) keeps
    # Guangdong's rule, so no identity of it holds these two (tests/orgs/test_hr_registration.py)
    "hr_application": {},
    "review_hr": {},
    # super admins only (an ordinary member's roles cannot grant these two)
    "org_members": _rule(MEMBERSHIP, *EVERY_ORG_KIND),
    "org_roles": _rule(ORG_ROLE, *EVERY_ORG_KIND),
    "org_departments": _rule(DEPARTMENT, *EVERY_ORG_KIND),
    # review screens: routed to me, never a draft
    "review_units": {
        "hr_p": _s("or_unit_gz_up or_unit_p"),
        "hr_gz": _s("or_unit_gz1 or_unit_gz2 or_unit_gz_new or_unit_gz_ret"),
        "hr_sz": _s("or_unit_sz"),
    },
    "review_institutions": {"hr_p": _s("or_inst_p"), "hr_gz": _s("or_inst_gz"), "hr_sz": NONE},
    "review_industries": {"hr_p": _s("or_ind_p_a or_ind_p_b"), "hr_gz": NONE, "hr_sz": NONE},
    "review_sub_industries": {"ind_p": _s("or_ind_gz_a or_ind_sz_a"), "ind_gz": NONE, "ind_none": NONE},
    "review_org_changes": {
        "hr_p": _s("oc_sz"), "hr_gz": _s("oc_gz1"), "hr_sz": NONE, "ind_p": _s("oc_ind_gz"), "ind_gz": NONE,
        "ind_none": NONE,
    },
    # oversight: one kind, inside the region, never the acting organisation itself
    "oversee_hr": {"hr_p": _s("or_hr_gz or_hr_sz"), "hr_gz": NONE, "hr_sz": NONE},
    "oversee_industries": {
        "hr_p": _s("or_ind_p_a or_ind_p_b or_ind_gz_a or_ind_gz_b or_ind_sz_a or_ind_sz_none"),
        "hr_gz": _s("or_ind_gz_a or_ind_gz_b"),
        "hr_sz": _s("or_ind_sz_a or_ind_sz_none"),
        "ind_p": _s("or_ind_gz_a or_ind_sz_a"),
        "ind_gz": NONE,
        "ind_none": NONE,  # itself is never on it, and no department shares its (missing) series
    },
    "oversee_units": {
        "hr_p": _s(
            "or_unit_gz1 or_unit_gz2 or_unit_gz_new or_unit_gz_ret or_unit_gz_draft or_unit_gz_up "
            "or_unit_sz or_unit_p"
        ),
        "hr_gz": _s("or_unit_gz1 or_unit_gz2 or_unit_gz_new or_unit_gz_ret or_unit_gz_draft or_unit_gz_up"),
        "hr_sz": _s("or_unit_sz"),
    },
    "oversee_institutions": {"hr_p": _s("or_inst_p or_inst_gz"), "hr_gz": _s("or_inst_gz"), "hr_sz": NONE},
    # people: 信息确认 lists who waits, 信息维护 the confirmed members, 信息查询 everyone in scope
    "person_confirm": {
        "unit_gz1": _s("pe_gz1_wait"), "unit_sz": _s("pe_rebound"), "multi_gz2": _s("pe_gz2_wait"),
    },
    "person_maintain": {
        "unit_gz1": _s("pe_gz1_ok pe_gz1_b pe_going"),
        "unit_sz": _s("pe_sz_ok pe_moved pe_sz_none"),
        "multi_gz1": _s("pe_gz1_ok pe_gz1_b pe_going"),
    },
    "person_changes": {
        "unit_gz1": _s("pc_gz1_wait pc_gz1_done pc_rebound pc_moved"), "unit_sz": _s("pc_sz"), "multi_gz2": NONE,
    },
    "person_query": _rule(
        PERSON, "hr_p", "hr_gz", "hr_sz", "ind_p", "ind_gz", "unit_gz1", "unit_sz", "multi_gz1", "ind_none"),
    "my_profile": {"p1": _s("pe_gz1_ok"), "p2": _s("pe_sz_ok")},
    # 人员调转: 调出 lists what I sent, 调入 what was sent to me, 调转记录 both
    "transfer_out": {
        "unit_gz1": _s("tr_wait tr_done"), "unit_sz": _s("tr_cancelled"), "multi_gz1": _s("tr_wait tr_done"),
    },
    "transfer_in": {"unit_gz1": NONE, "unit_sz": _s("tr_done tr_refused tr_odd"), "multi_gz2": _s("tr_wait")},
    "transfer_log": _rule(TRANSFER, "unit_gz1", "unit_sz"),
    "teachers": {
        "ind_p": _s("te_ind_p"), "ind_gz": _s("te_ind_gz"), "unit_gz1": _s("te_gz1"), "unit_sz": _s("te_sz"),
        "inst_p": _s("te_inst_p"), "multi_gz2": NONE, "ind_none": NONE,
    },
    # 失信: 录入 what I recorded, 单位失信信息查看 what is about my organisation, the person's own
    "dishonesty_entry": {
        "hr_p": _s("di_sz di_inst_p"), "hr_gz": _s("di_gz2 di_gz_moved"), "hr_sz": NONE,
        "unit_gz1": _s("di_p1"), "unit_sz": _s("di_sz_person"), "multi_gz1": _s("di_p1"),
    },
    "dishonesty_org": {"unit_gz1": NONE, "unit_sz": _s("di_sz di_gz_moved"), "inst_p": _s("di_inst_p")},
    "my_dishonesty": {"p1": _s("di_p1"), "p2": _s("di_sz_person")},
    # ---- training (docs/training.md "Screens"): an organisation still waiting for approval (inst_gz)
    # and a member whose roles do not grant the module (multi_*) open none of them
    # 专业课目录指南发布: a province-level department's own catalogues, drafts too; a city one has no menu
    "catalogue_publish": {"ind_p": _s("ca_a_pub ca_a_draft")},
    # 资格申请: the institution's own applications; 资格审核: routed to me, never a draft
    "qualification_apply": {"inst_p": _s("qu_p_a qu_p_b")},
    "qualification_review": {"ind_p": NONE, "ind_gz": _s("qu_gz_a"), "ind_none": NONE},
    # 申报 (unit, institution) and 备案 (industry): the organisation's own plans, drafts too
    "plan_apply": {
        "unit_gz1": _s("pl_gz1_draft pl_gz1_wait pl_gz1_ok pl_gz1_b_ret"),
        "unit_sz": _s("pl_sz_wait pl_sz_closed"),
        "inst_p": _s("pl_inst_p_draft pl_inst_p_wait pl_inst_p_ok pl_inst_p_moved"),
    },
    "plan_filing": {"ind_p": _s("pl_ind_p_ok"), "ind_gz": _s("pl_ind_gz_draft pl_ind_gz_wait"), "ind_none": NONE},
    # 计划审核: routed to me (reviewed ones stay), never a draft; HR receives the province's 备案 and
    # what a province rule sends it
    "plan_review": {
        "hr_p": _s("pl_ind_p_ok"),
        "hr_gz": _s("pl_gz2_hr pl_inst_p_moved"),
        "hr_sz": NONE,
        "ind_p": _s("pl_sz_wait pl_sz_closed pl_inst_p_wait pl_inst_p_ok pl_ind_gz_wait"),
        "ind_gz": _s("pl_gz1_wait pl_gz1_ok pl_inst_gz_ret"),
        "ind_none": NONE,
    },
    # 计划查询: every plan in scope
    "plan_query": _rule(PLAN, *EVERY_ORG_KIND),
    # 培训班设置: the classes of the organisation's own approved plans only
    "class_setup": {
        "ind_p": _s("cl_ind_p_enrol"),
        "ind_gz": NONE,
        "ind_none": NONE,
        "unit_gz1": _s("cl_gz1_open cl_gz1_cancel"),
        "unit_sz": NONE,
        "inst_p": _s("cl_inst_p_enrol cl_inst_p_done"),
    },
    # 培训班考勤设置 and 学员成绩管理: the classes the organisation runs, as 培训班设置 (every status: a
    # finished or cancelled class's attendance and results are read-only, not hidden)
    "class_attendance": {
        "ind_p": _s("cl_ind_p_enrol"), "ind_gz": NONE, "ind_none": NONE, "unit_gz1": _s("cl_gz1_open cl_gz1_cancel"), "unit_sz": NONE,
        "inst_p": _s("cl_inst_p_enrol cl_inst_p_done"),
    },
    "class_results": {
        "ind_p": _s("cl_ind_p_enrol"), "ind_gz": NONE, "ind_none": NONE, "unit_gz1": _s("cl_gz1_open cl_gz1_cancel"), "unit_sz": NONE,
        "inst_p": _s("cl_inst_p_enrol cl_inst_p_done"),
    },
    # 继续教育记录申报: what the acting unit (or person) declared itself, drafts too; 学员成绩申报: what the
    # institution declared; 认定: records routed to the acting organisation, never a draft
    "record_declare": {
        "unit_gz1": _s("rc_going_unit rc_moved_old"), "unit_sz": NONE,
        "p1": _s("rc_p1_self rc_p1_draft"), "p2": NONE,
    },
    "record_score_declare": {"inst_p": _s("rc_p2_inst rc_p2_inst_draft")},
    "record_review": {
        "unit_gz1": _s("rc_p1_self rc_going_unit rc_moved_old"), "unit_sz": _s("rc_moved_class rc_p2_inst"),
        "hr_p": _s("rc_p_hr"), "hr_gz": _s("rc_moved_hr"), "hr_sz": NONE,
    },
    # 学时学分审验: 已通过 records of people confirmed at a unit of the HR's region (rc_released: no unit)
    "record_check": {
        "hr_p": _s("rc_gz1_b_import rc_going_unit rc_moved_old rc_gz2_unit rc_gz1_wait_import rc_sz_none"),
        "hr_gz": _s("rc_gz1_b_import rc_going_unit rc_gz2_unit rc_gz1_wait_import"),
        "hr_sz": _s("rc_moved_old rc_sz_none"),
    },
    # 申报进度查询: every record about the person, whoever declared it; 单位申报记录: what the unit declared
    # (every state); 继续教育培训记录查询: 已通过 records of the unit's confirmed people
    "record_progress": {"p1": _s("rc_p1_self rc_p1_draft"), "p2": _s("rc_p2_inst rc_p2_inst_draft")},
    "record_unit_declared": {"unit_gz1": _s("rc_going_unit rc_moved_old"), "unit_sz": NONE},
    "record_query": {"unit_gz1": _s("rc_gz1_b_import rc_going_unit"), "unit_sz": _s("rc_moved_old rc_sz_none")},
    # 培训班人员录入: the unit's classes of approved plans that take enrolees (接受报名, 开班); its two tabs
    # list nothing until a class is chosen (?class_id=, tested in tests/training/test_enrolment.py)
    "class_enrol": {"unit_gz1": _s("cl_gz1_open"), "unit_sz": NONE},
    "class_enrol_people": {"unit_gz1": NONE, "unit_sz": NONE},
    "class_enrol_entered": {"unit_gz1": NONE, "unit_sz": NONE},
    # 培训班报名确认: applications to the acting organisation's own classes, in every state
    "enrol_confirm": {
        "inst_p": _s("en_p1_self en_p2_self en_gz2_refused en_released en_moved_pass en_p_cancelled en_ind_o_staff"),
        "ind_p": _s("en_gz2_ind en_p2_refused"),
        "ind_gz": NONE,
        "ind_none": NONE,
    },
    # the person: 报名申请 the classes taking applications; 培训班情况查看 their own enrolments
    "class_apply": {"p1": _s("cl_inst_p_enrol cl_ind_p_enrol"), "p2": _s("cl_inst_p_enrol cl_ind_p_enrol")},
    "my_classes": {"p1": _s("en_gz1_unit en_p1_self"), "p2": _s("en_p2_self en_p2_refused")},
    # 施教机构培训班查询: institutions' classes of approved plans the department sees; 培训班查询: every
    # approved plan's classes in HR's region
    "class_query_industry": {"ind_p": _s("cl_inst_p_enrol cl_inst_p_done"), "ind_gz": NONE, "ind_none": NONE},
    # 继续教育记录查询 (004 §1.7.1): declared records of the people of the department's series (甲) employed in
    # its region now — not pe_gz1_b's (乙), no draft, not pe_released's (employed nowhere); for 广州 not
    # pe_moved's (now in 深圳)
    "record_query_industry": {
        "ind_p": _s(
            "rc_p1_self rc_going_unit rc_moved_old rc_moved_class rc_p2_inst rc_gz2_unit rc_p_hr rc_moved_hr "
            "rc_gz1_wait_import"
        ),
        "ind_gz": _s("rc_p1_self rc_going_unit rc_gz2_unit rc_gz1_wait_import"),
        # of no series: nobody's, not rc_sz_none (深圳's person of no series either)
        "ind_none": NONE,
    },
    # 年度报告管理: the institution's own reports, drafts too (the 广州 institution's application still waits,
    # so it holds no such module); 审核继续教育基地年度报告: reports routed to the acting HR, never a draft
    "annual_report": {"inst_p": _s("ar_p_pending ar_p_draft ar_p_moved")},
    "annual_report_review": {
        "hr_p": _s("ar_p_pending ar_gz_up"), "hr_gz": _s("ar_gz_approved ar_gz_returned ar_p_moved"), "hr_sz": NONE,
    },
    # 历史数据管理: the table's scope, for units, HR and people (no narrowing of their own)
    "legacy_records": _rule(LEGACY_RECORD, "hr_p", "hr_gz", "hr_sz", "unit_gz1", "unit_sz", "p1", "p2"),
    "legacy_certificates": _rule(LEGACY_CERTIFICATE, "hr_p", "hr_gz", "hr_sz", "unit_gz1", "unit_sz", "p1", "p2"),
    "class_query_hr": {
        "hr_p": _s("cl_gz1_open cl_gz1_cancel cl_inst_p_enrol cl_inst_p_done cl_ind_p_enrol"),
        "hr_gz": _s("cl_gz1_open cl_gz1_cancel"),
        "hr_sz": NONE,
    },
}


def _views(app):
    return {view.endpoint: view for view in scoped_views(app.extensions["backoffice_admin"])}


def test_every_screen_is_in_the_oracle(app, world):
    assert set(_views(app)) == set(SCREENS)


# 神谕省's identities (every organisation employs) are checked on the employer screens below
GUANGDONG_IDENTITIES = [who for who in IDENTITIES if who not in EMPLOYING_IDENTITIES]
CASES = [(endpoint, who) for endpoint in SCREENS for who in GUANGDONG_IDENTITIES]


def _check_screen(app, world, endpoint, who, table) -> None:
    """Who may open the screen, and exactly which of the world's rows its list and its pager's count hold."""
    view = _views(app)[endpoint]
    allowed = table[endpoint]
    with app.test_request_context():
        actor = g.actor = world.actors[who]
        assert actor.can_use(view.module) == (who in allowed), f"{who} may open {endpoint}: {who in allowed}"
        if who not in allowed:
            return
    model = view.model
    keys = world.keys[model]
    pk = inspect(model).primary_key[0]
    with app.test_request_context():
        g.actor = actor
        listed = {keys[inspect(row).identity[0]] for row in view.get_query().filter(pk.in_(list(keys)))}
        counted = view.get_count_query().filter(pk.in_(list(keys))).scalar()
    expected = allowed[who]
    assert listed == expected, f"too wide: {sorted(listed - expected)}; too narrow: {sorted(expected - listed)}"
    assert counted == len(expected), "the pager's count differs from the list"


@pytest.mark.parametrize("endpoint,who", CASES, ids=[f"{e}-{w}" for e, w in CASES])
def test_each_screen_lists_exactly_the_expected_rows(app, world, endpoint, who):
    _check_screen(app, world, endpoint, who, SCREENS)


# ---- 神谕省, where every organisation employs (issue 13 item 2): the employer screens of each kind ----
# Each lists the acting organisation's own staff and what concerns them, never its region's people (an HR
# sees those on 信息查询 only). An institution declares on 学员成绩申报, so it has no 学时学分申报 of its own.
EMPLOYER_SCREENS = {
    "person_confirm": {
        "hr_o": NONE, "hr_oc": _s("pe_hr_oc_wait"), "ind_o": NONE, "unit_oc": _s("pe_unit_oc_wait"), "inst_oc": NONE,
    },
    "person_maintain": {
        "hr_o": NONE, "hr_oc": _s("pe_hr_oc_ok"), "ind_o": _s("pe_ind_o_ok"), "unit_oc": _s("pe_unit_oc_ok"),
        "inst_oc": _s("pe_inst_oc_ok"),
    },
    "person_changes": {"hr_o": NONE, "hr_oc": _s("pc_hr_oc"), "ind_o": NONE, "unit_oc": _s("pc_unit_oc"), "inst_oc": NONE},
    "person_query": _rule(PERSON, *EMPLOYING_IDENTITIES),
    "transfer_out": {"hr_o": NONE, "hr_oc": _s("tr_hr_oc_out"), "ind_o": NONE, "unit_oc": _s("tr_ind_o_in"), "inst_oc": NONE},
    "transfer_in": {"hr_o": NONE, "hr_oc": NONE, "ind_o": _s("tr_ind_o_in"), "unit_oc": _s("tr_hr_oc_out"), "inst_oc": NONE},
    "transfer_log": {
        "hr_o": NONE, "hr_oc": _s("tr_hr_oc_out"), "ind_o": _s("tr_ind_o_in"), "unit_oc": _s("tr_hr_oc_out tr_ind_o_in"),
        "inst_oc": NONE,
    },
    "record_declare": {"hr_o": NONE, "hr_oc": _s("rc_hr_oc_staff rc_hr_oc_draft"), "ind_o": _s("rc_ind_o_draft"), "unit_oc": NONE},
    "record_review": {
        "hr_o": NONE, "hr_oc": _s("rc_hr_oc_staff rc_unit_oc_hr"), "ind_o": _s("rc_ind_o_self"), "unit_oc": NONE,
        "inst_oc": _s("rc_inst_oc_staff"),
    },
    "record_unit_declared": {
        "hr_o": NONE, "hr_oc": _s("rc_hr_oc_staff rc_hr_oc_draft"), "ind_o": _s("rc_ind_o_draft"), "unit_oc": NONE,
    },
    "record_query": {
        "hr_o": NONE, "hr_oc": _s("rc_hr_oc_staff"), "ind_o": _s("rc_ind_o_import"), "unit_oc": NONE,
        "inst_oc": _s("rc_inst_oc_staff rc_inst_oc_import"),
    },
}
# not an employer screen, but 神谕省's industry department employs: its own staff member's record (of 乙,
# waiting at it for 审批) is on 学时学分审批, not here; here its series among the region's employers' people
EMPLOYER_SCREENS["record_query_industry"] = {"ind_o": _s("rc_unit_oc_hr rc_inst_oc_staff rc_inst_oc_import")}
EMPLOYER_CASES = [(endpoint, who) for endpoint in EMPLOYER_SCREENS for who in EMPLOYING_IDENTITIES]


@pytest.mark.parametrize("endpoint,who", EMPLOYER_CASES, ids=[f"{e}-{w}" for e, w in EMPLOYER_CASES])
def test_each_employer_screen_lists_exactly_the_own_staffs_rows(app, world, endpoint, who):
    _check_screen(app, world, endpoint, who, EMPLOYER_SCREENS)
