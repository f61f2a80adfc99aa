"""The scope rules of DESIGN §4, written out by hand for every table and every identity of the oracle's
world (tests/oracle/world.py). Nothing here asks the policy what it should see: each set below is
what a person reading DESIGN §4 and the world's rows expects. Widening a rule adds a key to some set,
narrowing one removes a key; either fails `test_visible_rows_are_exactly_the_expected_ones`.
"""
import pytest
from sqlalchemy import false, select

from backoffice.extensions import db
from backoffice.models import (
    AnnualReport,
    Attachment,
    Attendance,
    AttendanceSession,
    AuditLog,
    Catalogue,
    Certificate,
    ClassSubject,
    Course,
    Enrolment,
    Plan,
    Qualification,
    Record,
    TrainingClass,
    Department,
    DictionaryItem,
    HourRequirement,
    LegacyCertificate,
    LegacyPerson,
    LegacyRecord,
    LegacyUnit,
    ProvinceRule,
    Dishonesty,
    Membership,
    OrgChange,
    Organisation,
    OrgRole,
    Person,
    PersonChange,
    PersonYearHours,
    ProfessionalSeries,
    Region,
    ReviewLog,
    Teacher,
    Transfer,
    UsedCaptcha,
    User,
    UserSession,
)
from backoffice.policy import visible
from world import IDENTITIES, row, visible_keys

NONE: frozenset = frozenset()


def _s(text: str) -> frozenset:
    return frozenset(text.split())


# ---- organisations: HR its region subtree, industry its series' departments in its region, every
# other organisation itself, a person the unit they belong to (or wait for) -----------------------
ORGS_P = _s("or_hr_p or_ind_p_a or_ind_p_b or_unit_p or_inst_p")
ORGS_GZ = _s(
    "or_hr_gz or_ind_gz_a or_ind_gz_b or_unit_gz1 or_unit_gz2 or_unit_gz_new or_unit_gz_ret "
    "or_unit_gz_draft or_unit_gz_up or_inst_gz"
)
ORGS_SZ = _s("or_hr_sz or_ind_sz_a or_unit_sz or_ind_sz_none")
ALL_ORGS = ORGS_P | ORGS_GZ | ORGS_SZ
# 神谕省 (490000), where every organisation employs, and its 神谕市 (490100)
ORGS_O = _s("or_hr_o or_ind_o")
ORGS_OC = _s("or_hr_oc or_unit_oc or_inst_oc")

ORGANISATION = {
    "admin": ALL_ORGS | ORGS_O | ORGS_OC,
    "helpdesk": ALL_ORGS | ORGS_O | ORGS_OC,
    "hr_p": ALL_ORGS,
    "hr_o": ORGS_O | ORGS_OC,
    "hr_oc": ORGS_OC,
    "ind_o": _s("or_ind_o"),
    "unit_oc": _s("or_unit_oc"),
    "inst_oc": _s("or_inst_oc"),
    "hr_gz": ORGS_GZ,
    "hr_sz": ORGS_SZ,
    "ind_p": _s("or_ind_p_a or_ind_gz_a or_ind_sz_a"),
    "ind_gz": _s("or_ind_gz_a"),
    "ind_none": _s("or_ind_sz_none"),  # the departments of no series in 深圳: itself
    "unit_gz1": _s("or_unit_gz1"),
    "unit_sz": _s("or_unit_sz"),
    "multi_gz1": _s("or_unit_gz1"),
    "multi_gz2": _s("or_unit_gz2"),
    "inst_p": _s("or_inst_p"),
    "inst_gz": _s("or_inst_gz"),
    "p1": _s("or_unit_gz1"),
    "p2": _s("or_unit_sz"),
    "nobody": NONE,
}

# ---- 经办 bindings: the helpdesk all of them, an organisation its own (every state) -----------
GZ1_MEMBERS = _s("u_unit_gz1@or_unit_gz1 u_multi@or_unit_gz1 u_pend@or_unit_gz1 u_gone@or_unit_gz1")
MEMBERSHIP = {
    "admin": NONE,
    "helpdesk": GZ1_MEMBERS | _s(
        "u_hr_p@or_hr_p u_hr_gz@or_hr_gz u_hr_sz@or_hr_sz u_ind_p@or_ind_p_a u_ind_gz@or_ind_gz_a "
        "u_unit_gz2@or_unit_gz2 u_unit_sz@or_unit_sz u_inst_p@or_inst_p u_inst_gz@or_inst_gz "
        "u_multi@or_unit_gz2 u_off@or_unit_sz u_off@or_hr_gz "
        "u_hr_o@or_hr_o u_hr_oc@or_hr_oc u_ind_o@or_ind_o u_unit_oc@or_unit_oc u_inst_oc@or_inst_oc "
        "u_ind_none@or_ind_sz_none"
    ),
    "hr_p": _s("u_hr_p@or_hr_p"),
    "hr_gz": _s("u_hr_gz@or_hr_gz u_off@or_hr_gz"),
    "hr_sz": _s("u_hr_sz@or_hr_sz"),
    "ind_p": _s("u_ind_p@or_ind_p_a"),
    "ind_gz": _s("u_ind_gz@or_ind_gz_a"),
    "ind_none": _s("u_ind_none@or_ind_sz_none"),
    "unit_gz1": GZ1_MEMBERS,
    "unit_sz": _s("u_unit_sz@or_unit_sz u_off@or_unit_sz"),
    "multi_gz1": GZ1_MEMBERS,
    "multi_gz2": _s("u_unit_gz2@or_unit_gz2 u_multi@or_unit_gz2"),
    "inst_p": _s("u_inst_p@or_inst_p"),
    "inst_gz": _s("u_inst_gz@or_inst_gz"),
    "p1": NONE,
    "p2": NONE,
    "nobody": NONE,
    "hr_o": _s("u_hr_o@or_hr_o"),
    "hr_oc": _s("u_hr_oc@or_hr_oc"),
    "ind_o": _s("u_ind_o@or_ind_o"),
    "unit_oc": _s("u_unit_oc@or_unit_oc"),
    "inst_oc": _s("u_inst_oc@or_inst_oc"),
}

ONLY_ORGS = dict.fromkeys(IDENTITIES, NONE)

ORG_ROLE = {
    **ONLY_ORGS,
    "hr_gz": _s("ro_hr_gz"),
    "unit_gz1": _s("ro_gz1_staff"),
    "multi_gz1": _s("ro_gz1_staff"),
    "multi_gz2": _s("ro_gz2_staff"),
}

# ---- 修改单位信息: the organisation's own requests and those routed to it for review ---------------
ORG_CHANGE = {
    **ONLY_ORGS,
    "admin": _s("oc_gz1 oc_gz2_draft oc_ind_gz oc_sz"),
    "hr_p": _s("oc_sz"),
    "hr_gz": _s("oc_gz1 oc_gz2_draft"),
    "ind_p": _s("oc_ind_gz"),
    "ind_gz": _s("oc_ind_gz"),
    "unit_gz1": _s("oc_gz1"),
    "unit_sz": _s("oc_sz"),
    "multi_gz1": _s("oc_gz1"),
    "multi_gz2": _s("oc_gz2_draft"),
}

DEPARTMENT = {
    **ONLY_ORGS,
    "hr_gz": _s("de_hr_gz"),
    "unit_gz1": _s("de_gz1_top de_gz1_sub"),
    "multi_gz1": _s("de_gz1_top de_gz1_sub"),
    "multi_gz2": _s("de_gz2"),
}

# ---- accounts: admin and helpdesk all; an organisation the accounts ever bound to it; anyone else
# their own account only -------------------------------------------------------------------------
ALL_USERS = _s(
    "u_admin u_help u_hr_p u_hr_gz u_hr_sz u_ind_p u_ind_gz u_unit_gz1 u_unit_gz2 u_unit_sz u_multi "
    "u_inst_p u_inst_gz u_p1 u_p2 u_pend u_gone u_off u_nobody u_lone u_hr_o u_hr_oc u_ind_o u_unit_oc u_inst_oc "
    "u_ind_none"
)
GZ1_ACCOUNTS = _s("u_unit_gz1 u_multi u_pend u_gone")
USER = {
    "admin": ALL_USERS,
    "helpdesk": ALL_USERS,
    "hr_p": _s("u_hr_p"),
    "hr_gz": _s("u_hr_gz u_off"),
    "hr_sz": _s("u_hr_sz"),
    "ind_p": _s("u_ind_p"),
    "ind_gz": _s("u_ind_gz"),
    "ind_none": _s("u_ind_none"),
    "unit_gz1": GZ1_ACCOUNTS,
    "unit_sz": _s("u_unit_sz u_off"),
    "multi_gz1": GZ1_ACCOUNTS,
    "multi_gz2": _s("u_unit_gz2 u_multi"),
    "inst_p": _s("u_inst_p"),
    "inst_gz": _s("u_inst_gz"),
    "p1": _s("u_p1"),
    "p2": _s("u_p2"),
    "nobody": _s("u_nobody"),
    "hr_o": _s("u_hr_o"),
    "hr_oc": _s("u_hr_oc"),
    "ind_o": _s("u_ind_o"),
    "unit_oc": _s("u_unit_oc"),
    "inst_oc": _s("u_inst_oc"),
}

# ---- people: a unit whoever is bound to it (any state); HR the people of units in its region;
# industry those of its series among them; a person themself. Nobody sees people without a unit
# (released, refused, never bound) except through their own account. ----------------------------
GZ1_PEOPLE = _s("pe_gz1_ok pe_gz1_b pe_gz1_wait pe_going")
GZ2_PEOPLE = _s("pe_gz2_ok pe_gz2_wait")
SZ_PEOPLE = _s("pe_sz_ok pe_moved pe_rebound pe_sz_none")  # pe_sz_none: of no series
PERSON = {
    **ONLY_ORGS,
    "hr_p": GZ1_PEOPLE | GZ2_PEOPLE | SZ_PEOPLE | _s("pe_p_ok"),
    "hr_gz": GZ1_PEOPLE | GZ2_PEOPLE,
    "hr_sz": SZ_PEOPLE,
    "ind_p": _s("pe_gz1_ok pe_gz1_wait pe_going pe_gz2_ok pe_sz_ok pe_moved pe_rebound pe_p_ok"),
    "ind_gz": _s("pe_gz1_ok pe_gz1_wait pe_going pe_gz2_ok"),
    "unit_gz1": GZ1_PEOPLE,
    "unit_sz": SZ_PEOPLE,
    "multi_gz1": GZ1_PEOPLE,
    "multi_gz2": GZ2_PEOPLE,
    "p1": _s("pe_gz1_ok"),
    "p2": _s("pe_sz_ok"),
    # 神谕省 (every organisation employs): each employer its own staff, whatever their state; HR the people
    # of every employer of its region (itself included), industry its own staff and the people of its
    # series of every employer of its region
    "hr_o": _s("pe_hr_oc_ok pe_hr_oc_wait pe_ind_o_ok pe_unit_oc_ok pe_unit_oc_wait pe_inst_oc_ok"),
    "hr_oc": _s("pe_hr_oc_ok pe_hr_oc_wait pe_unit_oc_ok pe_unit_oc_wait pe_inst_oc_ok"),
    "ind_o": _s("pe_ind_o_ok pe_hr_oc_wait pe_unit_oc_ok pe_inst_oc_ok"),
    "unit_oc": _s("pe_unit_oc_ok pe_unit_oc_wait"),
    "inst_oc": _s("pe_inst_oc_ok"),
}

# ---- 审核人员信息修改: the unit it was routed to keeps it, even after the person left; the person ----
GZ1_CHANGES = _s("pc_gz1_wait pc_gz1_done pc_rebound pc_moved")
PERSON_CHANGE = {
    **ONLY_ORGS,
    "admin": GZ1_CHANGES | _s("pc_sz pc_hr_oc pc_unit_oc"),
    "hr_oc": _s("pc_hr_oc"),  # an HR employer reviews its own staff's requests (not its region's)
    "unit_oc": _s("pc_unit_oc"),
    "unit_gz1": GZ1_CHANGES,
    "unit_sz": _s("pc_sz"),
    "multi_gz1": GZ1_CHANGES,
    "p1": _s("pc_gz1_wait"),
    "p2": _s("pc_sz"),
}

# ---- 人员调转: both sides; HR when either side is a unit of its region; the person moved ---------
TRANSFER = {
    **ONLY_ORGS,
    "admin": _s("tr_wait tr_done tr_refused tr_cancelled tr_odd tr_hr_oc_out tr_ind_o_in"),
    # 神谕省: HR every transfer touching an employer of its region; an employer both its sides
    "hr_o": _s("tr_hr_oc_out tr_ind_o_in"),
    "hr_oc": _s("tr_hr_oc_out tr_ind_o_in"),
    "ind_o": _s("tr_ind_o_in"),
    "unit_oc": _s("tr_hr_oc_out tr_ind_o_in"),
    "hr_p": _s("tr_wait tr_done tr_refused tr_cancelled tr_odd"),
    "hr_gz": _s("tr_wait tr_done tr_refused"),
    "hr_sz": _s("tr_done tr_refused tr_cancelled tr_odd"),
    "unit_gz1": _s("tr_wait tr_done"),
    "unit_sz": _s("tr_done tr_refused tr_cancelled tr_odd"),
    "multi_gz1": _s("tr_wait tr_done"),
    "multi_gz2": _s("tr_wait tr_refused"),
    "p2": _s("tr_cancelled"),
}

TEACHER = {
    **ONLY_ORGS,
    "admin": _s("te_gz1 te_sz te_inst_p te_ind_gz te_ind_p"),
    "ind_p": _s("te_ind_p"),
    "ind_gz": _s("te_ind_gz"),
    "unit_gz1": _s("te_gz1"),
    "unit_sz": _s("te_sz"),
    "multi_gz1": _s("te_gz1"),
    "inst_p": _s("te_inst_p"),
}

# ---- 失信信息: a person the entries about them; an organisation what it recorded and what is about
# itself; HR also what is about any organisation of its region ---------------------------------
DISHONESTY = {
    **ONLY_ORGS,
    "admin": _s("di_p1 di_sz_person di_gz2 di_sz di_inst_p di_gz_moved"),
    "hr_p": _s("di_gz2 di_sz di_inst_p di_gz_moved"),
    "hr_gz": _s("di_gz2 di_gz_moved"),
    "hr_sz": _s("di_sz di_gz_moved"),
    "unit_gz1": _s("di_p1"),
    "unit_sz": _s("di_sz_person di_sz di_gz_moved"),
    "multi_gz1": _s("di_p1"),
    "multi_gz2": _s("di_gz2"),
    "inst_p": _s("di_inst_p"),
    "p1": _s("di_p1"),
    "p2": _s("di_sz_person"),
}

# ---- history: HR reads the AuditLog of its region, the admin all of it; an organisation the review
# steps it took -------------------------------------------------------------------------------
AUDIT_LOG = {
    **ONLY_ORGS,
    "admin": _s("al_tianhe al_gz al_nanshan al_p al_none"),
    "hr_p": _s("al_tianhe al_gz al_nanshan al_p"),
    "hr_gz": _s("al_tianhe al_gz"),
    "hr_sz": _s("al_nanshan"),
}
REVIEW_LOG = {
    **ONLY_ORGS,
    "admin": _s("rl_hr_gz rl_gz1 rl_hr_p rl_person"),
    "hr_p": _s("rl_hr_p"),
    "hr_gz": _s("rl_hr_gz"),
    "unit_gz1": _s("rl_gz1"),
    "multi_gz1": _s("rl_gz1"),
}

# ---- attachments: whoever sees the owning organisation, change request, catalogue, qualification, plan,
# annual report or record; a person only their own records' documents; never the helpdesk; an owner kind
# no rule names only the admin. at_rc_p1_self belongs to rc_p1_self (pe_gz1_ok's, waiting at 广州 unit 1),
# at_rc_p2_draft to rc_p2_inst_draft (the province institution's draft about pe_sz_ok) -------------------
ATTACHMENT = {
    **ONLY_ORGS,
    "admin": _s(
        "at_gz1 at_sz at_ind_sz at_oc_gz1 at_oc_sz at_person at_ca_a_pub at_ca_a_draft at_qu_gz_a at_qu_p_b "
        "at_pl_gz1_draft at_pl_inst_p at_pl_ind_p at_ar_p_pending at_ar_gz_draft at_rc_p1_self at_rc_p2_draft"
    ),
    "hr_p": _s(
        "at_gz1 at_sz at_ind_sz at_oc_sz at_ca_a_pub at_qu_gz_a at_pl_inst_p at_pl_ind_p at_ar_p_pending "
        "at_rc_p1_self"
    ),
    "hr_gz": _s("at_gz1 at_oc_gz1 at_ca_a_pub at_qu_gz_a at_rc_p1_self"),
    "hr_sz": _s("at_sz at_ind_sz at_ca_a_pub"),
    "ind_p": _s("at_ind_sz at_ca_a_pub at_ca_a_draft at_pl_inst_p at_pl_ind_p at_rc_p1_self"),
    "ind_gz": _s("at_ca_a_pub at_qu_gz_a at_rc_p1_self"),
    "unit_gz1": _s("at_gz1 at_oc_gz1 at_ca_a_pub at_pl_gz1_draft at_rc_p1_self"),
    "unit_sz": _s("at_sz at_oc_sz at_ca_a_pub"),
    "multi_gz1": _s("at_gz1 at_oc_gz1 at_ca_a_pub at_pl_gz1_draft at_rc_p1_self"),
    "multi_gz2": _s("at_ca_a_pub"),
    "inst_p": _s("at_ca_a_pub at_qu_p_b at_pl_inst_p at_ar_p_pending at_rc_p2_draft"),
    "inst_gz": _s("at_ca_a_pub at_qu_gz_a at_ar_gz_draft"),
    "p1": _s("at_rc_p1_self"),  # not at_person: a person reads only their records' documents
    "p2": _s("at_rc_p2_draft"),
    # 神谕省's organisations: only what every organisation reads, the published catalogue's
    **dict.fromkeys(("hr_o", "hr_oc", "ind_o", "unit_oc", "inst_oc"), _s("at_ca_a_pub")),
    "ind_none": _s("at_ca_a_pub"),  # likewise for the department of no series
}

# ==== the training chain (docs/training.md "Scope"; DESIGN §4: the owner, whoever a row is routed to,
# industry its region ∩ series, HR its region; drafts stay with their owner; the helpdesk, a person
# and an unknown kind see no catalogue, qualification, plan or class) =============================
ORG_IDENTITIES = ("hr_p", "hr_gz", "hr_sz", "ind_p", "ind_gz", "unit_gz1", "unit_sz", "multi_gz1", "multi_gz2",
                  "inst_p", "inst_gz", "hr_o", "hr_oc", "ind_o", "unit_oc", "inst_oc", "ind_none")

# ---- 专业课目录: a published catalogue is read by every organisation (plans choose from it), a draft
# only by the department keeping it --------------------------------------------------------------
CATALOGUES_PUBLISHED = _s("ca_a_pub ca_b_pub")
CATALOGUE = {
    **ONLY_ORGS,
    **dict.fromkeys(ORG_IDENTITIES, CATALOGUES_PUBLISHED),
    "admin": _s("ca_a_pub ca_a_draft ca_b_pub ca_b_draft"),
    "ind_p": CATALOGUES_PUBLISHED | _s("ca_a_draft"),
}

# ---- 专业课: whoever sees the catalogue; a withdrawn (撤回) course stays readable ------------------
COURSES_PUBLISHED = _s("co_a co_a_gone co_b co_b_gone")
COURSE = {
    **ONLY_ORGS,
    **dict.fromkeys(ORG_IDENTITIES, COURSES_PUBLISHED),
    "admin": _s("co_a co_a_gone co_a_next co_b co_b_gone co_b_next"),
    "ind_p": COURSES_PUBLISHED | _s("co_a_next"),
}

# ---- 专业培训资格: the institution its own (drafts too), the department it is routed to, HR the
# institutions of its region once submitted. An industry department sees no other application of its
# series (docs/training.md: there is no query screen for them) ----------------------------------
QUALIFICATION = {
    **ONLY_ORGS,
    "admin": _s("qu_p_a qu_p_b qu_gz_a qu_gz_b qu_oc_b"),
    "hr_p": _s("qu_p_a qu_gz_a qu_gz_b"),
    "hr_gz": _s("qu_gz_a qu_gz_b"),
    "ind_gz": _s("qu_gz_a"),
    "inst_p": _s("qu_p_a qu_p_b"),
    "inst_gz": _s("qu_gz_a qu_gz_b"),
    # 神谕市's institution, approved for 乙: itself and the HR of its region; 神谕省's 甲 department not
    "inst_oc": _s("qu_oc_b"),
    "hr_o": _s("qu_oc_b"),
    "hr_oc": _s("qu_oc_b"),
}

# ---- 专业课计划: the owner's (drafts too), those routed to the organisation, and once submitted an
# industry department's region ∩ series and an HR organisation's region --------------------------
GZ1_PLANS = _s("pl_gz1_draft pl_gz1_wait pl_gz1_ok pl_gz1_b_ret")
PLAN = {
    **ONLY_ORGS,
    "admin": GZ1_PLANS | _s(
        "pl_gz2_hr pl_sz_wait pl_sz_closed pl_p_b_ok pl_inst_p_draft pl_inst_p_wait pl_inst_p_ok pl_inst_gz_ret "
        "pl_ind_gz_draft pl_ind_gz_wait pl_ind_p_ok pl_inst_p_moved"
    ),
    "hr_p": _s(
        "pl_gz1_wait pl_gz1_ok pl_gz1_b_ret pl_gz2_hr pl_sz_wait pl_sz_closed pl_p_b_ok pl_inst_p_wait "
        "pl_inst_p_ok pl_inst_gz_ret pl_ind_gz_wait pl_ind_p_ok pl_inst_p_moved"
    ),
    # pl_inst_p_moved: routed to it, though its owner is no longer in 广州
    "hr_gz": _s("pl_gz1_wait pl_gz1_ok pl_gz1_b_ret pl_gz2_hr pl_inst_gz_ret pl_ind_gz_wait pl_inst_p_moved"),
    "hr_sz": _s("pl_sz_wait pl_sz_closed"),
    "ind_p": _s(
        "pl_gz1_wait pl_gz1_ok pl_sz_wait pl_sz_closed pl_inst_p_wait pl_inst_p_ok pl_inst_gz_ret pl_ind_gz_wait "
        "pl_ind_p_ok pl_inst_p_moved"
    ),
    "ind_gz": _s("pl_gz1_wait pl_gz1_ok pl_inst_gz_ret pl_ind_gz_draft pl_ind_gz_wait"),
    "unit_gz1": GZ1_PLANS,
    "multi_gz1": GZ1_PLANS,
    "multi_gz2": _s("pl_gz2_hr"),
    "unit_sz": _s("pl_sz_wait pl_sz_closed"),
    "inst_p": _s("pl_inst_p_draft pl_inst_p_wait pl_inst_p_ok pl_inst_p_moved"),
    "inst_gz": _s("pl_inst_gz_ret"),
}

# ---- 培训班 and their 培训科目: whoever sees the plan ----------------------------------------------
GZ1_CLASSES = _s("cl_gz1_wait cl_gz1_open cl_gz1_cancel")
PROVINCE_CLASSES = GZ1_CLASSES | _s("cl_sz_wait cl_inst_p_enrol cl_inst_p_done cl_ind_gz_wait cl_ind_p_enrol")
TRAINING_CLASS = {
    **ONLY_ORGS,
    "admin": PROVINCE_CLASSES | _s("cl_gz1_draft"),
    "hr_p": PROVINCE_CLASSES,
    "hr_gz": GZ1_CLASSES | _s("cl_ind_gz_wait"),
    "hr_sz": _s("cl_sz_wait"),
    "ind_p": PROVINCE_CLASSES,
    "ind_gz": GZ1_CLASSES | _s("cl_ind_gz_wait"),
    "unit_gz1": GZ1_CLASSES | _s("cl_gz1_draft"),
    "multi_gz1": GZ1_CLASSES | _s("cl_gz1_draft"),
    "unit_sz": _s("cl_sz_wait"),
    "inst_p": _s("cl_inst_p_enrol cl_inst_p_done"),
    # a person: the classes open to applications (接受报名, of an approved plan of an institution or an
    # industry department) and the classes they have an enrolment in, whatever its state
    "p1": _s("cl_inst_p_enrol cl_ind_p_enrol cl_gz1_open"),
    "p2": _s("cl_inst_p_enrol cl_ind_p_enrol"),
}
CLASS_SUBJECT = {
    **ONLY_ORGS,
    "admin": _s("su_gz1_draft su_gz1_open su_inst_p"),
    "hr_p": _s("su_gz1_open su_inst_p"),
    "hr_gz": _s("su_gz1_open"),
    "ind_p": _s("su_gz1_open su_inst_p"),
    "ind_gz": _s("su_gz1_open"),
    "unit_gz1": _s("su_gz1_draft su_gz1_open"),
    "multi_gz1": _s("su_gz1_draft su_gz1_open"),
    "inst_p": _s("su_inst_p"),
    "p1": _s("su_gz1_open su_inst_p"),
    "p2": _s("su_inst_p"),
}

# ---- 报名: the person their own; the class owner its roster; a unit its people's, wherever they
# enrol (a person waiting for the unit's 确认 included, as in PERSON); HR and industry the rosters of
# the classes they see, HR also the enrolments of its region's people; where every organisation employs
# (神谕省) any employer its staff's, wherever they enrol -------------------------------------------------
ALL_ENROLMENTS = _s(
    "en_gz1_unit en_p1_self en_p2_self en_gz2_refused en_released en_moved_pass en_p_cancelled en_gz2_ind "
    "en_p2_refused en_ind_o_staff"
)
GZ1_ENROLMENTS = _s("en_gz1_unit en_p1_self")
SZ_ENROLMENTS = _s("en_p2_self en_moved_pass en_p2_refused")
ENROLMENT = {
    **ONLY_ORGS,
    "admin": ALL_ENROLMENTS,
    "hr_p": ALL_ENROLMENTS,
    "hr_gz": GZ1_ENROLMENTS | _s("en_gz2_refused en_gz2_ind"),
    "hr_sz": SZ_ENROLMENTS,
    "ind_p": ALL_ENROLMENTS,
    "ind_gz": _s("en_gz1_unit"),
    "unit_gz1": GZ1_ENROLMENTS,
    "multi_gz1": GZ1_ENROLMENTS,
    "multi_gz2": _s("en_gz2_refused en_gz2_ind"),
    "unit_sz": SZ_ENROLMENTS,
    "inst_p": _s("en_p1_self en_p2_self en_gz2_refused en_released en_moved_pass en_p_cancelled en_ind_o_staff"),
    "p1": GZ1_ENROLMENTS,
    "p2": _s("en_p2_self en_p2_refused"),
    # en_ind_o_staff, in a 广东 class: 神谕省's HR (a person employed in its region) and the department
    # employing them; not 神谕市's HR (the department sits at the province)
    "hr_o": _s("en_ind_o_staff"),
    "ind_o": _s("en_ind_o_staff"),
}

# ---- 考勤 sessions: whoever sees the class; a person only the sessions of the classes they are
# enrolled in (报名成功: 扫码签到 marks "an enrolled person", DESIGN §3) — not where their application
# waits, was refused or was cancelled ------------------------------------------------------------
ALL_SESSIONS = _s("as_gz1 as_inst_p as_inst_p_done as_ind_p")
ATTENDANCE_SESSION = {
    **ONLY_ORGS,
    "admin": ALL_SESSIONS,
    "hr_p": ALL_SESSIONS,
    "hr_gz": _s("as_gz1"),
    "ind_p": ALL_SESSIONS,
    "ind_gz": _s("as_gz1"),
    "unit_gz1": _s("as_gz1"),
    "multi_gz1": _s("as_gz1"),
    "inst_p": _s("as_inst_p as_inst_p_done"),
    "p1": _s("as_gz1"),
    "p2": _s("as_inst_p"),
}

# ---- 考勤 marks: whoever sees the enrolment ----------------------------------------------------
ALL_MARKS = _s("mk_gz1 mk_p2 mk_moved mk_cancelled mk_gz2_ind")
ATTENDANCE = {
    **ONLY_ORGS,
    "admin": ALL_MARKS,
    "hr_p": ALL_MARKS,
    "hr_gz": _s("mk_gz1 mk_gz2_ind"),
    "hr_sz": _s("mk_p2 mk_moved"),
    "ind_p": ALL_MARKS,
    "ind_gz": _s("mk_gz1"),
    "unit_gz1": _s("mk_gz1"),
    "multi_gz1": _s("mk_gz1"),
    "multi_gz2": _s("mk_gz2_ind"),
    "unit_sz": _s("mk_p2 mk_moved"),
    "inst_p": _s("mk_p2 mk_moved mk_cancelled"),
    "p1": _s("mk_gz1"),
    "p2": _s("mk_p2"),
}

# ---- 继续教育记录: the person every record about them (an institution's draft too); an organisation
# what it declared or must review; once declared (申报, not 草稿), a unit its people's and HR its region's
# people's: a draft is read by its writer and the person, never by the unit or HR before it is
# declared. An industry department (004 §1.7.1 继续教育记录查询) the declared records of the people of its
# 专业系列 employed in its region — where they work now, like HR: rc_moved_old follows pe_moved to 深圳 ---
RECORD = {
    **ONLY_ORGS,
    "admin": _s(
        "rc_p1_self rc_p1_draft rc_gz1_b_import rc_going_unit rc_moved_old rc_moved_class rc_p2_inst "
        "rc_p2_inst_draft rc_gz2_unit rc_p_hr rc_released rc_hr_oc_staff rc_ind_o_self rc_unit_oc_hr "
        "rc_inst_oc_staff rc_hr_oc_draft rc_ind_o_draft rc_moved_hr rc_ind_o_import rc_gz1_wait_import "
        "rc_inst_oc_import rc_sz_none"
    ),
    # 神谕省: what an organisation declared or must review, and the declared records of its own staff (HR:
    # of every employer's people in its region; 神谕省's industry department is at 490000, outside 神谕市)
    "hr_o": _s("rc_hr_oc_staff rc_ind_o_self rc_unit_oc_hr rc_inst_oc_staff rc_ind_o_import rc_inst_oc_import"),
    "hr_oc": _s("rc_hr_oc_staff rc_unit_oc_hr rc_inst_oc_staff rc_hr_oc_draft rc_inst_oc_import"),  # its own draft, not hr_o's
    # its own staff member's record waiting at it, and its series (甲) among the employers of 神谕省: the
    # unit's and the institution's staff; not the city HR's staff member of 乙
    "ind_o": _s("rc_ind_o_self rc_unit_oc_hr rc_inst_oc_staff rc_ind_o_draft rc_ind_o_import rc_inst_oc_import"),
    "unit_oc": _s("rc_unit_oc_hr"),
    "inst_oc": _s("rc_inst_oc_staff rc_inst_oc_import"),
    "hr_p": _s(
        "rc_p1_self rc_gz1_b_import rc_going_unit rc_moved_old rc_moved_class rc_p2_inst rc_gz2_unit rc_p_hr "
        "rc_moved_hr rc_gz1_wait_import rc_sz_none"
    ),
    # rc_moved_hr: routed to it, though pe_moved now works in 深圳
    "hr_gz": _s("rc_p1_self rc_gz1_b_import rc_going_unit rc_gz2_unit rc_moved_hr rc_gz1_wait_import"),
    "hr_sz": _s("rc_moved_old rc_moved_class rc_p2_inst rc_moved_hr rc_sz_none"),
    # series 甲 in 广东: not pe_gz1_b's (乙), no draft, not pe_released's (employed nowhere)
    "ind_p": _s(
        "rc_p1_self rc_going_unit rc_moved_old rc_moved_class rc_p2_inst rc_gz2_unit rc_p_hr rc_moved_hr "
        "rc_gz1_wait_import"
    ),
    # series 甲 in 广州: pe_moved now works in 深圳
    "ind_gz": _s("rc_p1_self rc_going_unit rc_gz2_unit rc_gz1_wait_import"),
    # gz1 keeps what it declared for someone who has since moved to 深圳
    "unit_gz1": _s("rc_p1_self rc_gz1_b_import rc_going_unit rc_moved_old rc_gz1_wait_import"),
    "multi_gz1": _s("rc_p1_self rc_gz1_b_import rc_going_unit rc_moved_old rc_gz1_wait_import"),
    "multi_gz2": _s("rc_gz2_unit"),
    "unit_sz": _s("rc_moved_old rc_moved_class rc_p2_inst rc_moved_hr rc_sz_none"),
    "inst_p": _s("rc_moved_class rc_p2_inst rc_p2_inst_draft"),
    "p1": _s("rc_p1_self rc_p1_draft"),
    "p2": _s("rc_p2_inst rc_p2_inst_draft"),
}

# ---- 继续教育证书: a certificate follows its holder — whoever may see the person sees it (every status:
# 已作废 and 已撤销 stay on record); the admin all; no institution, no helpdesk. A holder who left every
# unit keeps their certificate, seen by themselves and the admin only -------------------------------
CERTIFICATE = {
    **ONLY_ORGS,
    "admin": _s("20250000000001 20250000000002 20250000000003 20250000000004"),
    "hr_p": _s("20250000000001 20250000000002 20250000000003"),
    "hr_gz": _s("20250000000001 20250000000002"),
    "hr_sz": _s("20250000000003"),
    "ind_p": _s("20250000000001 20250000000002 20250000000003"),
    "ind_gz": _s("20250000000001 20250000000002"),
    "unit_gz1": _s("20250000000001"),
    "multi_gz1": _s("20250000000001"),
    "multi_gz2": _s("20250000000002"),
    "unit_sz": _s("20250000000003"),
    "p1": _s("20250000000001"),
    "p2": _s("20250000000003"),
}

# ---- 年度报告: the institution its own (drafts too); HR the reports of institutions in its region once
# 申报ed, and any routed to it; the admin all; nobody else (no unit, industry, person or helpdesk) ----
ANNUAL_REPORT = {
    **ONLY_ORGS,
    "admin": _s("ar_p_pending ar_p_draft ar_gz_approved ar_gz_returned ar_gz_draft ar_gz_up ar_p_moved"),
    "hr_p": _s("ar_p_pending ar_gz_approved ar_gz_returned ar_gz_up ar_p_moved"),
    # ar_p_moved: routed to it, though its institution is no longer in 广州
    "hr_gz": _s("ar_gz_approved ar_gz_returned ar_gz_up ar_p_moved"),
    "inst_p": _s("ar_p_pending ar_p_draft ar_p_moved"),
    "inst_gz": _s("ar_gz_approved ar_gz_returned ar_gz_draft ar_gz_up"),
}

# ---- 旧系统数据: an old unit is seen by the unit bound to it and by HR of that unit's region; an old
# person by the unit bound to their old unit (its history), by the unit their linked person belongs to
# now (their history follows them), by HR for either in its region, and by the linked person; records
# and certificates as their old person. An unbound old unit and its unlinked people: the admin only.
# No industry department, institution or helpdesk -------------------------------------------------
LEGACY_UNIT = {
    **ONLY_ORGS,
    "admin": _s("lu_gz1 lu_sz lu_free"),
    "hr_p": _s("lu_gz1 lu_sz"),
    "hr_gz": _s("lu_gz1"),
    "hr_sz": _s("lu_sz"),
    "unit_gz1": _s("lu_gz1"),
    "multi_gz1": _s("lu_gz1"),
    "unit_sz": _s("lu_sz"),
}
LEGACY_PERSON = {
    **ONLY_ORGS,
    "admin": _s("lp_gz1_p1 lp_gz1_old lp_moved lp_sz lp_free lp_free_linked"),
    "hr_p": _s("lp_gz1_p1 lp_gz1_old lp_moved lp_sz lp_free_linked"),
    "hr_gz": _s("lp_gz1_p1 lp_gz1_old lp_moved lp_free_linked"),
    "hr_sz": _s("lp_sz lp_moved"),
    "unit_gz1": _s("lp_gz1_p1 lp_gz1_old lp_moved"),
    "multi_gz1": _s("lp_gz1_p1 lp_gz1_old lp_moved"),
    "multi_gz2": _s("lp_free_linked"),
    "unit_sz": _s("lp_sz lp_moved"),
    "p1": _s("lp_gz1_p1"),
    "p2": _s("lp_sz"),
}


def _of_people(prefix: str) -> dict:
    return {who: frozenset(f"{prefix}_{key}" for key in keys) for who, keys in LEGACY_PERSON.items()}


LEGACY_RECORD = _of_people("lr")
LEGACY_CERTIFICATE = _of_people("lc")

# ---- reference data: every signed-in identity reads it (forms need it) -----------------------
EVERYONE = dict.fromkeys(IDENTITIES)
REGION = {name: _s("rg_oracle") for name in EVERYONE}
SERIES = {name: _s("orc_a orc_b") for name in EVERYONE}
DICTIONARY = {name: _s("orc_dict") for name in EVERYONE}
HOUR_REQUIREMENT = {name: _s("orc_hours") for name in EVERYONE}  # everyone may know their year's rule
# 省份规则: the 系统管理员's screen alone; routing reads the rows itself (provinces.rules_for)
PROVINCE_RULE = {**dict.fromkeys(IDENTITIES, NONE), "admin": _s("orc_rule")}

# ---- sign-in bookkeeping (auth/sessions.py, captchas): no rule, read by no screen -------------
NOBODY = dict.fromkeys(IDENTITIES, NONE)

EXPECTED = {
    Organisation: ORGANISATION,
    Membership: MEMBERSHIP,
    OrgRole: ORG_ROLE,
    OrgChange: ORG_CHANGE,
    Department: DEPARTMENT,
    User: USER,
    Person: PERSON,
    PersonChange: PERSON_CHANGE,
    Transfer: TRANSFER,
    Teacher: TEACHER,
    Dishonesty: DISHONESTY,
    AuditLog: AUDIT_LOG,
    ReviewLog: REVIEW_LOG,
    Attachment: ATTACHMENT,
    Catalogue: CATALOGUE,
    Course: COURSE,
    Qualification: QUALIFICATION,
    Plan: PLAN,
    TrainingClass: TRAINING_CLASS,
    ClassSubject: CLASS_SUBJECT,
    Enrolment: ENROLMENT,
    AttendanceSession: ATTENDANCE_SESSION,
    Attendance: ATTENDANCE,
    Record: RECORD,
    Certificate: CERTIFICATE,
    AnnualReport: ANNUAL_REPORT,
    LegacyUnit: LEGACY_UNIT,
    LegacyPerson: LEGACY_PERSON,
    LegacyRecord: LEGACY_RECORD,
    LegacyCertificate: LEGACY_CERTIFICATE,
    Region: REGION,
    ProfessionalSeries: SERIES,
    DictionaryItem: DICTIONARY,
    HourRequirement: HOUR_REQUIREMENT,
    ProvinceRule: PROVINCE_RULE,
    UserSession: NOBODY,
    UsedCaptcha: NOBODY,
    PersonYearHours: NOBODY,
}
CASES = [(model, who) for model in EXPECTED for who in IDENTITIES]


def test_the_oracle_covers_every_table_and_identity(world):
    """A table added tomorrow is closed (default deny) and fails here until its expectations are written."""
    mapped = {mapper.class_ for mapper in db.Model.registry.mappers}
    assert mapped == set(EXPECTED)
    assert set(world.keys) == set(EXPECTED)
    for model, table in EXPECTED.items():
        assert set(table) == set(IDENTITIES), model.__name__
        named = set().union(*table.values())
        assert named <= set(world.keys[model].values()), (model.__name__, named - set(world.keys[model].values()))


@pytest.mark.parametrize("model,who", CASES, ids=[f"{m.__name__}-{w}" for m, w in CASES])
def test_visible_rows_are_exactly_the_expected_ones(app, world, model, who):
    with app.app_context():
        seen = visible_keys(world, model, visible(model, world.actors[who]))
    expected = EXPECTED[model][who]
    assert seen == expected, f"too wide: {sorted(seen - expected)}; too narrow: {sorted(expected - seen)}"


@pytest.mark.parametrize("model", list(EXPECTED), ids=lambda m: m.__name__)
def test_no_actor_sees_nothing(app, world, model):
    with app.app_context():
        assert visible_keys(world, model, visible(model, None)) == set()
        assert str(visible(model, None)) == str(false())


def test_a_table_without_a_rule_is_visible_to_nobody(app, world, monkeypatch):
    """Default deny: with its rule taken away, a table shows the admin (who sees every person change)
    nothing at all, and so does a class the policy never heard of."""
    from backoffice.policy import scope

    monkeypatch.delitem(scope._RULES, PersonChange)
    with app.app_context():
        admin = world.actors["admin"]
        assert visible_keys(world, PersonChange, visible(PersonChange, admin)) == set()
        assert str(visible(PersonChange, admin)) == str(false())
        assert str(visible(type("Unknown", (), {}), admin)) == str(false())


@pytest.mark.parametrize("few", [0, 1, 10_000], ids=["walk", "one-person", "people-first"])
@pytest.mark.parametrize("who", ["ind_p", "ind_gz", "ind_o", "ind_none"])
def test_an_industry_departments_records_are_the_same_whatever_the_series_width(app, world, monkeypatch, few, who):
    """records_of_series picks its SQL shape by how many people the series has (a correlated EXISTS for a
    common series, the people first for a rare one); the world's series are small, so force each shape."""
    from backoffice.policy import scope

    monkeypatch.setattr(scope, "FEW_SERIES_PEOPLE", few)
    with app.app_context():
        seen = visible_keys(world, Record, visible(Record, world.actors[who]))
    assert seen == RECORD[who]


def test_the_screens_narrowing_helpers_select_nothing_without_an_actor(app, world):
    """The conditions screens use instead of visible() (their own staff, their own transfers, 学时审验's and
    the queries' records) are, like visible(), closed when nobody acts — and for an identity they do not
    fit: the helpdesk has no staff, transfers or records of its own."""
    from backoffice.policy import Actor
    from backoffice.policy.scope import (
        own_transfers, records_of_region, records_of_series, records_of_unit_people, staff_of,
    )

    with app.app_context():
        for actor in (None, world.actors["helpdesk"]):
            assert visible_keys(world, Person, staff_of(actor)) == set()
            assert visible_keys(world, Transfer, own_transfers(actor)) == set()
            for helper in (records_of_region, records_of_series, records_of_unit_people):
                assert visible_keys(world, Record, helper(actor)) == set(), helper.__name__
        # 学时审验's records are an HR's, 继续教育记录查询's an industry department's: a unit has neither
        assert visible_keys(world, Record, records_of_region(world.actors["unit_gz1"])) == set()
        assert visible_keys(world, Record, records_of_series(world.actors["unit_gz1"])) == set()
        # nor an institution naming a series (广州's, 甲), nor a department without one
        assert visible_keys(world, Record, records_of_series(world.actors["inst_gz"])) == set()
        ind = world.actors["ind_gz"]
        seriesless = Actor(user_id=ind.user_id, kind=ind.kind, label=ind.label, org_id=ind.org_id,
                           region_code=ind.region_code, region_level=ind.region_level, series_id=None)
        assert visible_keys(world, Record, records_of_series(seriesless)) == set()
        # and each opens for the identity it is for
        assert visible_keys(world, Person, staff_of(world.actors["unit_sz"])) == SZ_PEOPLE
        assert visible_keys(world, Transfer, own_transfers(world.actors["unit_gz1"])) == _s("tr_wait tr_done")
        assert visible_keys(world, Record, records_of_unit_people(world.actors["unit_gz1"])) == _s(
            "rc_p1_self rc_p1_draft rc_gz1_b_import rc_going_unit")  # not rc_gz1_wait_import: not yet confirmed


@pytest.mark.parametrize("few", [0, 10_000], ids=["walk", "people-first"])
def test_an_industry_department_of_no_series_reads_nobody_by_series(app, world, monkeypatch, few):
    """继续教育记录查询 and its 姓名 search start from `records_of_series` and `series_people`: 深圳's department of
    no 专业系列 (ind_none) reads nobody's records or people by them — not those of 深圳 unit's pe_sz_none, of no
    series either. 广州's 甲 department reads its series employed in 广州 now, drafts included (the screen
    leaves those out): not pe_gz1_b (乙), not pe_moved (now in 深圳), not pe_odd (at an institution)."""
    from backoffice.policy import scope

    monkeypatch.setattr(scope, "FEW_SERIES_PEOPLE", few)
    with app.app_context():
        nobody = world.actors["ind_none"]
        assert visible_keys(world, Record, scope.records_of_series(nobody)) == set()
        assert visible_keys(world, Person, scope.series_people(nobody)) == set()
        ind_gz = world.actors["ind_gz"]
        assert visible_keys(world, Person, scope.series_people(ind_gz)) == _s("pe_gz1_ok pe_gz1_wait pe_going pe_gz2_ok")
        assert visible_keys(world, Record, scope.records_of_series(ind_gz)) == _s(
            "rc_p1_self rc_p1_draft rc_going_unit rc_gz2_unit rc_gz1_wait_import")


def test_series_people_are_nobody_for_anyone_but_an_industry_department(app, world):
    """The people 继续教育记录查询's 姓名 search starts from: closed, like the other narrowing helpers, when
    nobody acts and for the helpdesk, a unit, and an institution naming a series (广州's, 甲)."""
    from backoffice.policy.scope import series_people

    with app.app_context():
        assert visible_keys(world, Person, series_people(None)) == set()
        for who in ("helpdesk", "unit_gz1", "inst_gz"):
            assert visible_keys(world, Person, series_people(world.actors[who])) == set(), who


def test_a_county_hr_sees_its_own_countys_people_records_and_log(app, world):
    """The world has no county HR, and several rules take another SQL shape for a county (the unit index
    instead of a walk): a 天河区 HR department, made here and acting as build_actor would make it,
    reaches exactly 天河区's — 广州 unit 1's people (or_unit_gz_new and or_unit_gz_up have none)."""
    from backoffice.labels import ActorKind, ApplicationStatus, OrgKind, RegionLevel
    from backoffice.policy import Actor
    from backoffice.policy.scope import records_of_region
    from world import acting

    with acting(app):
        county = Organisation(kind=OrgKind.HR, name="天河区人社局", code="ORC9TIANHE0000000", level=RegionLevel.COUNTY,
                              region_code="440106", status=ApplicationStatus.APPROVED)
        db.session.add(county)
        db.session.flush()
        hr = Actor(user_id=world.ids["u_hr_gz"], kind=ActorKind.HR, label="天河区人社局", org_id=county.id,
                   region_code="440106", region_level=RegionLevel.COUNTY, rules_region="440106", is_super_admin=True)
        assert visible_keys(world, Person, visible(Person, hr)) == GZ1_PEOPLE
        assert visible_keys(world, Record, records_of_region(hr)) == _s(
            "rc_p1_self rc_p1_draft rc_gz1_b_import rc_going_unit rc_gz1_wait_import"
        )  # 学时审验 leaves out all but 已通过 itself
        assert visible_keys(world, Record, visible(Record, hr)) == _s(
            "rc_p1_self rc_gz1_b_import rc_going_unit rc_gz1_wait_import")
        assert visible_keys(world, AuditLog, visible(AuditLog, hr)) == _s("al_tianhe")
        assert visible_keys(world, Organisation, visible(Organisation, hr)) == _s(
            "or_unit_gz1 or_unit_gz_new or_unit_gz_up")
        assert visible_keys(world, Transfer, visible(Transfer, hr)) == _s("tr_wait tr_done")


def test_an_industry_departments_series_is_counted_once_at_most(app, world):
    """A page builds the record scope several times (list, pager, details, attachments): the series'
    people are counted once at most (on the first build, or not at all while an earlier count is kept)."""
    from sqlalchemy import event

    counts = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "count(" in statement.lower():
            counts.append(statement)

    with app.app_context():
        engine = db.session.get_bind()
        event.listen(engine, "before_cursor_execute", record)
        try:
            for _ in range(3):
                assert visible_keys(world, Record, visible(Record, world.actors["ind_p"])) == RECORD["ind_p"]
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert len(counts) <= 1, counts


def test_a_person_sees_only_classes_open_to_applications_of_approved_institution_or_department_plans(app, world):
    """Two classes taking applications that a person must not see: one of a unit's approved plan (a unit's
    classes are internal) and one of an institution's plan still waiting for review. Made here: in the
    world every 接受报名 class is of an approved institution or department plan."""
    from backoffice.labels import ClassStatus
    from world import acting

    with acting(app):
        for name, plan in (("cl_gz1_internal", "pl_gz1_ok"), ("cl_inst_p_unapproved", "pl_inst_p_wait")):
            template = row(world, TrainingClass, "cl_inst_p_enrol")
            db.session.add(TrainingClass(
                plan_id=world.ids[plan], name=name, planned_open_on=template.planned_open_on,
                study_form_code="01", study_start_on=template.study_start_on, study_end_on=template.study_end_on,
                capacity=30, head_teacher_id=template.head_teacher_id, exam_type_code="02", location="学习地点",
                schedule="时间安排", status=ClassStatus.ENROLLING,
            ))
        db.session.flush()
        for who in ("p1", "p2"):
            names = set(db.session.scalars(
                select(TrainingClass.name).where(visible(TrainingClass, world.actors[who]), TrainingClass.name.like("cl_%"))
            ))
            assert names == TRAINING_CLASS[who], who


def test_a_person_reads_no_other_documents_than_their_records(app, world):
    """An organisation's and a plan's attachment whose owner id happens to be the id of p1's own record:
    still not p1's (ids of different tables coincide)."""
    from world import acting

    with acting(app):
        record_id = world.ids["rc_p1_self"]
        for owner_type in ("organisation", "plan"):
            db.session.add(Attachment(owner_type=owner_type, owner_id=record_id, original_name=f"at_same_id_{owner_type}",
                                      stored_name=f"oracle-same-{owner_type}", content_type="application/pdf", size=1))
        db.session.flush()
        names = set(db.session.scalars(select(Attachment.original_name).where(
            visible(Attachment, world.actors["p1"]), Attachment.original_name.like("at_%"))))
        assert names == {"at_rc_p1_self"}
