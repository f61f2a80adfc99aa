"""The oracle's world: rows of every table with a scope rule, in every state, built straight with the
models (no HTTP, no workflow) so the policy under test has no say in what exists.

Every row has a natural key: a name, login or code where the table has one, otherwise a text column
written for the purpose (a transfer's reason, a log's summary…). `World.keys[Model]` maps the ids
built here to those keys; the tests compare only these rows, so the demo data can change freely.

The organisations live in the demo's regions: 广东省 (440000, where province-level organisations
sit), 广州市 (440100; 天河区 440106) and 深圳市 (440300; 南山区 440305). Industry departments and people
use two series of their own (甲/乙), so no demo row shares an industry scope with them.

The training chain (issue 10) runs through the same organisations: catalogues of the province's 甲 and 乙
departments, qualifications of both institutions, plans of units, institutions and industry
departments routed to industry or HR, their classes, enrolments, attendance and records. Tables whose
rows hold no text of their own (catalogue, enrolment, session, mark) are keyed by the world's label for
their unique columns — (department, series, year), (class, person), (class, day), (session, enrolment).
"""
import os
from contextlib import contextmanager
from dataclasses import dataclass, field

from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import inspect, select, update

from backoffice.extensions import db
from backoffice.labels import (
    ApplicationStatus,
    AttendanceMark,
    BindingStatus,
    CertificateStatus,
    CatalogueStatus,
    ClassStatus,
    EnrolmentSource,
    EnrolmentStatus,
    ExamResult,
    RecordSource,
    MembershipStatus,
    OrgKind,
    RegionLevel,
    ReviewResult,
    SubjectType,
    SystemRole,
    TransferStatus,
)
from backoffice.models import (
    Attachment,
    Attendance,
    AnnualReport,
    AttendanceSession,
    AuditLog,
    Catalogue,
    Certificate,
    ClassSubject,
    Course,
    Enrolment,
    Plan,
    ProvinceRule,
    Qualification,
    Record,
    TrainingClass,
    Department,
    DictionaryItem,
    Dishonesty,
    HourRequirement,
    LegacyCertificate,
    LegacyPerson,
    LegacyRecord,
    LegacyUnit,
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
from backoffice.models.base import utcnow
from backoffice.policy import Actor, available_contexts, build_actor

P, GZ, TIANHE, SZ, NANSHAN = "440000", "440100", "440106", "440300", "440305"
O, OC = "490000", "490100"  # 神谕省 and 神谕市: every organisation employs there
PROVINCE, CITY, COUNTY = RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY
A, B = "orc_a", "orc_b"  # the two 专业系列 of the world
PENDING, APPROVED, RETURNED, DRAFT, CLOSED = (
    ApplicationStatus.PENDING, ApplicationStatus.APPROVED, ApplicationStatus.RETURNED,
    ApplicationStatus.DRAFT, ApplicationStatus.CLOSED,
)

# key, kind, level (隶属关系), region, series, application status, reviewer, parent
ORGS = [
    ("or_hr_p", OrgKind.HR, PROVINCE, P, None, APPROVED, None, None),
    ("or_hr_gz", OrgKind.HR, CITY, GZ, None, APPROVED, "or_hr_p", "or_hr_p"),
    ("or_hr_sz", OrgKind.HR, CITY, SZ, None, APPROVED, "or_hr_p", "or_hr_p"),
    ("or_ind_p_a", OrgKind.INDUSTRY, PROVINCE, P, A, APPROVED, "or_hr_p", None),
    ("or_ind_p_b", OrgKind.INDUSTRY, PROVINCE, P, B, PENDING, "or_hr_p", None),
    ("or_ind_gz_a", OrgKind.INDUSTRY, CITY, GZ, A, APPROVED, "or_ind_p_a", "or_ind_p_a"),
    ("or_ind_gz_b", OrgKind.INDUSTRY, CITY, GZ, B, RETURNED, "or_ind_p_b", "or_ind_p_b"),
    ("or_ind_sz_a", OrgKind.INDUSTRY, CITY, SZ, A, PENDING, "or_ind_p_a", "or_ind_p_a"),
    ("or_unit_gz1", OrgKind.UNIT, COUNTY, TIANHE, None, APPROVED, "or_hr_gz", None),
    ("or_unit_gz2", OrgKind.UNIT, CITY, GZ, None, APPROVED, "or_hr_gz", None),
    ("or_unit_gz_new", OrgKind.UNIT, COUNTY, TIANHE, None, PENDING, "or_hr_gz", None),
    ("or_unit_gz_ret", OrgKind.UNIT, CITY, GZ, None, RETURNED, "or_hr_gz", None),
    # once routed to the city HR, then edited back to a draft: a draft is never on a review screen
    ("or_unit_gz_draft", OrgKind.UNIT, CITY, GZ, None, DRAFT, "or_hr_gz", None),
    # in 广州 but routed to the province (registered while the city HR was not yet approved)
    ("or_unit_gz_up", OrgKind.UNIT, COUNTY, TIANHE, None, PENDING, "or_hr_p", None),
    ("or_unit_sz", OrgKind.UNIT, COUNTY, NANSHAN, None, APPROVED, "or_hr_sz", None),
    ("or_unit_p", OrgKind.UNIT, PROVINCE, P, None, APPROVED, "or_hr_p", None),
    ("or_inst_p", OrgKind.INSTITUTION, PROVINCE, P, None, APPROVED, "or_hr_p", None),
    # an institution that names a series (its training qualification): still no industry department
    ("or_inst_gz", OrgKind.INSTITUTION, CITY, GZ, A, PENDING, "or_hr_gz", None),
    # 神谕省 (490000) works by Henan's rule that every organisation employs (`orc_rule`, issue 13 item 2):
    # its HR departments, industry department and institution have people of their own
    ("or_hr_o", OrgKind.HR, PROVINCE, O, None, APPROVED, None, None),
    ("or_hr_oc", OrgKind.HR, CITY, OC, None, APPROVED, "or_hr_o", "or_hr_o"),
    ("or_ind_o", OrgKind.INDUSTRY, PROVINCE, O, A, APPROVED, "or_hr_o", None),
    ("or_unit_oc", OrgKind.UNIT, CITY, OC, None, APPROVED, "or_hr_oc", None),
    ("or_inst_oc", OrgKind.INSTITUTION, CITY, OC, None, APPROVED, "or_hr_oc", None),
    # 深圳's industry department without a 专业系列 (nothing in the schema requires one; approved, routed to
    # nobody now): it reads the records and people of no series, least of all of people without one
    ("or_ind_sz_none", OrgKind.INDUSTRY, CITY, SZ, None, APPROVED, None, None),
]

# login, system role
USERS = [
    ("u_admin", SystemRole.ADMIN), ("u_help", SystemRole.HELPDESK),
    ("u_hr_p", None), ("u_hr_gz", None), ("u_hr_sz", None), ("u_ind_p", None), ("u_ind_gz", None),
    ("u_unit_gz1", None), ("u_unit_gz2", None), ("u_unit_sz", None), ("u_multi", None),
    ("u_inst_p", None), ("u_inst_gz", None), ("u_p1", None), ("u_p2", None),
    ("u_pend", None), ("u_gone", None), ("u_off", None), ("u_nobody", None), ("u_lone", None),
    ("u_hr_o", None), ("u_hr_oc", None), ("u_ind_o", None), ("u_unit_oc", None), ("u_inst_oc", None),
    ("u_ind_none", None),
]

# login, organisation, status, super admin, roles
MEMBERSHIPS = [
    ("u_hr_p", "or_hr_p", MembershipStatus.ACTIVE, True, []),
    ("u_hr_gz", "or_hr_gz", MembershipStatus.ACTIVE, True, []),
    ("u_hr_sz", "or_hr_sz", MembershipStatus.ACTIVE, True, []),
    ("u_ind_p", "or_ind_p_a", MembershipStatus.ACTIVE, True, []),
    ("u_ind_gz", "or_ind_gz_a", MembershipStatus.ACTIVE, True, []),
    ("u_unit_gz1", "or_unit_gz1", MembershipStatus.ACTIVE, True, []),
    ("u_unit_gz2", "or_unit_gz2", MembershipStatus.ACTIVE, True, []),
    ("u_unit_sz", "or_unit_sz", MembershipStatus.ACTIVE, True, []),
    ("u_inst_p", "or_inst_p", MembershipStatus.ACTIVE, True, []),
    ("u_inst_gz", "or_inst_gz", MembershipStatus.ACTIVE, True, []),
    ("u_hr_o", "or_hr_o", MembershipStatus.ACTIVE, True, []),
    ("u_hr_oc", "or_hr_oc", MembershipStatus.ACTIVE, True, []),
    ("u_ind_o", "or_ind_o", MembershipStatus.ACTIVE, True, []),
    ("u_unit_oc", "or_unit_oc", MembershipStatus.ACTIVE, True, []),
    ("u_inst_oc", "or_inst_oc", MembershipStatus.ACTIVE, True, []),
    ("u_ind_none", "or_ind_sz_none", MembershipStatus.ACTIVE, True, []),
    # one account, two units: an ordinary member of each, holding a role there
    ("u_multi", "or_unit_gz1", MembershipStatus.ACTIVE, False, ["ro_gz1_staff"]),
    ("u_multi", "or_unit_gz2", MembershipStatus.ACTIVE, False, ["ro_gz2_staff"]),
    ("u_pend", "or_unit_gz1", MembershipStatus.PENDING, False, []),
    ("u_gone", "or_unit_gz1", MembershipStatus.REMOVED, False, []),
    ("u_off", "or_unit_sz", MembershipStatus.DISABLED, False, []),
    ("u_off", "or_hr_gz", MembershipStatus.REFUSED, False, []),
]

# name, organisation, modules
ROLES = [
    # 信息维护, 调出 and 信息查询 but no 信息确认: the member's screens are not the super admin's
    ("ro_gz1_staff", "or_unit_gz1", ["person_maintain", "transfer_out", "person_query", "dishonesty_entry"]),
    ("ro_gz2_staff", "or_unit_gz2", ["person_confirm", "transfer_in", "person_changes", "teachers"]),
    ("ro_hr_gz", "or_hr_gz", ["person_query"]),
]

# name, unit, binding, series, account
PERSONS = [
    ("pe_gz1_ok", "or_unit_gz1", BindingStatus.CONFIRMED, A, "u_p1"),
    ("pe_gz1_b", "or_unit_gz1", BindingStatus.CONFIRMED, B, None),
    ("pe_gz1_wait", "or_unit_gz1", BindingStatus.PENDING, A, None),
    ("pe_going", "or_unit_gz1", BindingStatus.CONFIRMED, A, None),  # a transfer to gz2 waits
    ("pe_gz2_ok", "or_unit_gz2", BindingStatus.CONFIRMED, A, None),
    ("pe_gz2_wait", "or_unit_gz2", BindingStatus.PENDING, B, None),
    ("pe_sz_ok", "or_unit_sz", BindingStatus.CONFIRMED, A, "u_p2"),
    ("pe_moved", "or_unit_sz", BindingStatus.CONFIRMED, A, None),  # transferred gz1 → sz
    ("pe_rebound", "or_unit_sz", BindingStatus.PENDING, A, None),  # helpdesk re-bound gz1 → sz
    ("pe_p_ok", "or_unit_p", BindingStatus.CONFIRMED, A, None),
    ("pe_released", None, BindingStatus.RELEASED, A, None),
    ("pe_refused", None, BindingStatus.REFUSED, A, None),
    ("pe_none", None, None, None, None),  # recorded, never bound
    # bound to an organisation that is no 法人单位 (old data): in no HR's or industry's people
    ("pe_odd", "or_inst_gz", BindingStatus.CONFIRMED, A, None),
    # 神谕省's staff: of the city HR (one confirmed, one who registered choosing it and waits), of the
    # province's industry department (of the other series), of a unit and of an institution
    ("pe_hr_oc_ok", "or_hr_oc", BindingStatus.CONFIRMED, B, None),
    ("pe_hr_oc_wait", "or_hr_oc", BindingStatus.PENDING, A, None),
    ("pe_ind_o_ok", "or_ind_o", BindingStatus.CONFIRMED, B, None),
    ("pe_unit_oc_ok", "or_unit_oc", BindingStatus.CONFIRMED, A, None),
    ("pe_unit_oc_wait", "or_unit_oc", BindingStatus.PENDING, B, None),
    ("pe_inst_oc_ok", "or_inst_oc", BindingStatus.CONFIRMED, A, None),
    ("pe_sz_none", "or_unit_sz", BindingStatus.CONFIRMED, None, None),  # 深圳 unit's, of no 专业系列
]

# key (stored in `after`), person, status, reviewing unit
PERSON_CHANGES = [
    ("pc_gz1_wait", "pe_gz1_ok", PENDING, "or_unit_gz1"),
    ("pc_gz1_done", "pe_gz1_b", APPROVED, "or_unit_gz1"),
    ("pc_rebound", "pe_rebound", PENDING, "or_unit_gz1"),  # asked before the helpdesk moved them
    ("pc_moved", "pe_moved", CLOSED, "or_unit_gz1"),  # closed by the transfer
    ("pc_sz", "pe_sz_ok", RETURNED, "or_unit_sz"),
    ("pc_hr_oc", "pe_hr_oc_ok", PENDING, "or_hr_oc"),  # an HR reviews its own staff's 信息修改
    ("pc_unit_oc", "pe_unit_oc_ok", PENDING, "or_unit_oc"),
]

# key (the 调出说明), person, from, to, status
TRANSFERS = [
    ("tr_wait", "pe_going", "or_unit_gz1", "or_unit_gz2", TransferStatus.PENDING),
    ("tr_done", "pe_moved", "or_unit_gz1", "or_unit_sz", TransferStatus.ACCEPTED),
    ("tr_refused", "pe_gz2_ok", "or_unit_gz2", "or_unit_sz", TransferStatus.REFUSED),
    ("tr_cancelled", "pe_sz_ok", "or_unit_sz", "or_unit_p", TransferStatus.CANCELLED),
    # from an organisation that is no 法人单位 (old data): 广州 HR's region, but not one of its units
    ("tr_odd", "pe_odd", "or_inst_gz", "or_unit_sz", TransferStatus.REFUSED),
    ("tr_hr_oc_out", "pe_hr_oc_ok", "or_hr_oc", "or_unit_oc", TransferStatus.PENDING),  # an HR's staff to a unit
    ("tr_ind_o_in", "pe_unit_oc_ok", "or_unit_oc", "or_ind_o", TransferStatus.REFUSED),  # refused by the department
]

# key (the reason), organisation, status, reviewer
ORG_CHANGES = [
    ("oc_gz1", "or_unit_gz1", PENDING, "or_hr_gz"),
    ("oc_gz2_draft", "or_unit_gz2", DRAFT, "or_hr_gz"),
    ("oc_ind_gz", "or_ind_gz_a", APPROVED, "or_ind_p_a"),
    ("oc_sz", "or_unit_sz", RETURNED, "or_hr_p"),
]

# name, department's organisation, parent
DEPARTMENTS = [
    ("de_gz1_top", "or_unit_gz1", None),
    ("de_gz1_sub", "or_unit_gz1", "de_gz1_top"),
    ("de_gz2", "or_unit_gz2", None),
    ("de_hr_gz", "or_hr_gz", None),
]

TEACHERS = [
    ("te_gz1", "or_unit_gz1"), ("te_sz", "or_unit_sz"), ("te_inst_p", "or_inst_p"), ("te_ind_gz", "or_ind_gz_a"),
    ("te_ind_p", "or_ind_p_a"),
]

# content, person subject, organisation subject, recorded by
DISHONESTY = [
    ("di_p1", "pe_gz1_ok", None, "or_unit_gz1"),
    ("di_sz_person", "pe_sz_ok", None, "or_unit_sz"),
    ("di_gz2", None, "or_unit_gz2", "or_hr_gz"),
    ("di_sz", None, "or_unit_sz", "or_hr_p"),
    ("di_inst_p", None, "or_inst_p", "or_hr_p"),
    # 广州 HR recorded it about a unit then in 广州, which has since moved to 深圳: still its entry
    ("di_gz_moved", None, "or_unit_sz", "or_hr_gz"),
]

# summary, region of the acting organisation
AUDIT = [("al_tianhe", TIANHE), ("al_gz", GZ), ("al_nanshan", NANSHAN), ("al_p", P), ("al_none", None)]

# opinion, reviewing organisation
REVIEWS = [("rl_hr_gz", "or_hr_gz"), ("rl_gz1", "or_unit_gz1"), ("rl_hr_p", "or_hr_p"), ("rl_person", None)]

# ---- the training chain (issue 10): 专业课目录 → 资格 → 计划 → 培训班 → 报名 / 考勤 → 继续教育记录 ----------

# key, department, series, year, status (one catalogue per department, series and year)
CATALOGUES = [
    ("ca_a_pub", "or_ind_p_a", A, 2026, CatalogueStatus.PUBLISHED),
    ("ca_a_draft", "or_ind_p_a", A, 2027, CatalogueStatus.DRAFT),
    ("ca_b_pub", "or_ind_p_b", B, 2026, CatalogueStatus.PUBLISHED),
    ("ca_b_draft", "or_ind_p_b", B, 2027, CatalogueStatus.DRAFT),
]

# 专业课名称, catalogue, withdrawn (撤回)
COURSES = [
    ("co_a", "ca_a_pub", False), ("co_a_gone", "ca_a_pub", True), ("co_a_next", "ca_a_draft", False),
    ("co_b", "ca_b_pub", False), ("co_b_gone", "ca_b_pub", True), ("co_b_next", "ca_b_draft", False),
]

# key (申请说明), institution, series, status, reviewer
QUALIFICATIONS = [
    ("qu_p_a", "or_inst_p", A, APPROVED, None),  # province level: approved at 送审, nobody reviews it
    ("qu_p_b", "or_inst_p", B, DRAFT, None),
    ("qu_gz_a", "or_inst_gz", A, PENDING, "or_ind_gz_a"),
    ("qu_gz_b", "or_inst_gz", B, RETURNED, "or_ind_p_b"),  # 广州's 乙 department is not approved: the province's
    # 神谕市's institution, approved for 乙 (no 乙 department reviews in 神谕省 now): counted by no 甲 department
    ("qu_oc_b", "or_inst_oc", B, APPROVED, None),
]

# 培训计划名称, owner, course, status, reviewer
PLANS = [
    ("pl_gz1_draft", "or_unit_gz1", "co_a", DRAFT, None),
    ("pl_gz1_wait", "or_unit_gz1", "co_a", PENDING, "or_ind_gz_a"),
    ("pl_gz1_ok", "or_unit_gz1", "co_a", APPROVED, "or_ind_gz_a"),
    ("pl_gz1_b_ret", "or_unit_gz1", "co_b", RETURNED, "or_ind_p_b"),
    ("pl_gz2_hr", "or_unit_gz2", "co_b", PENDING, "or_hr_gz"),  # sent to HR by a province rule (省份规则 plan_reviewer)
    ("pl_sz_wait", "or_unit_sz", "co_a", PENDING, "or_ind_p_a"),  # 深圳's 甲 department is not approved
    ("pl_sz_closed", "or_unit_sz", "co_a", CLOSED, "or_ind_p_a"),
    ("pl_p_b_ok", "or_unit_p", "co_b", APPROVED, "or_ind_p_b"),
    ("pl_inst_p_draft", "or_inst_p", "co_a", DRAFT, None),
    ("pl_inst_p_wait", "or_inst_p", "co_a", PENDING, "or_ind_p_a"),
    ("pl_inst_p_ok", "or_inst_p", "co_a", APPROVED, "or_ind_p_a"),
    ("pl_inst_gz_ret", "or_inst_gz", "co_a", RETURNED, "or_ind_gz_a"),
    ("pl_ind_gz_draft", "or_ind_gz_a", "co_a", DRAFT, None),  # 备案
    ("pl_ind_gz_wait", "or_ind_gz_a", "co_a", PENDING, "or_ind_p_a"),  # 备案: the department of its series above
    ("pl_ind_p_ok", "or_ind_p_a", "co_a", APPROVED, "or_hr_p"),  # a province department's 备案: its HR
    # sent to 广州 HR by a province rule while the institution was registered in 广州; it has since moved up to
    # the province, outside 广州 HR's region: the HR it was routed to still reviews it
    ("pl_inst_p_moved", "or_inst_p", "co_a", PENDING, "or_hr_gz"),
]

# 培训班名称, plan, status, 班主任 (also its 授课教师, class_teacher), 培训科目
CLASSES = [
    ("cl_gz1_draft", "pl_gz1_draft", ClassStatus.NOT_STARTED, "te_gz1", ["su_gz1_draft"]),
    ("cl_gz1_wait", "pl_gz1_wait", ClassStatus.NOT_STARTED, "te_gz1", []),
    ("cl_gz1_open", "pl_gz1_ok", ClassStatus.OPEN, "te_gz1", ["su_gz1_open"]),
    ("cl_gz1_cancel", "pl_gz1_ok", ClassStatus.CANCELLED, "te_gz1", []),
    ("cl_sz_wait", "pl_sz_wait", ClassStatus.NOT_STARTED, "te_sz", []),
    ("cl_inst_p_enrol", "pl_inst_p_ok", ClassStatus.ENROLLING, "te_inst_p", ["su_inst_p"]),
    ("cl_inst_p_done", "pl_inst_p_ok", ClassStatus.FINISHED, "te_inst_p", []),
    ("cl_ind_gz_wait", "pl_ind_gz_wait", ClassStatus.NOT_STARTED, "te_ind_gz", []),
    ("cl_ind_p_enrol", "pl_ind_p_ok", ClassStatus.ENROLLING, "te_ind_p", []),
]

# key, class, person, source, status, 考核结果, entered by
ENROLMENTS = [
    # a unit's own person in its internal class
    ("en_gz1_unit", "cl_gz1_open", "pe_gz1_ok", EnrolmentSource.UNIT, EnrolmentStatus.ENROLLED, None, "or_unit_gz1"),
    # people who applied themselves to an institution's class: waiting, confirmed, refused, without a unit
    ("en_p1_self", "cl_inst_p_enrol", "pe_gz1_ok", EnrolmentSource.SELF, EnrolmentStatus.APPLIED, None, None),
    ("en_p2_self", "cl_inst_p_enrol", "pe_sz_ok", EnrolmentSource.SELF, EnrolmentStatus.ENROLLED, None, None),
    ("en_gz2_refused", "cl_inst_p_enrol", "pe_gz2_ok", EnrolmentSource.SELF, EnrolmentStatus.REFUSED, None, None),
    ("en_released", "cl_inst_p_enrol", "pe_released", EnrolmentSource.SELF, EnrolmentStatus.APPLIED, None, None),
    # a unit's person entered into an institution's class, which has finished; one who cancelled
    ("en_moved_pass", "cl_inst_p_done", "pe_moved", EnrolmentSource.UNIT, EnrolmentStatus.ENROLLED, ExamResult.PASS,
     "or_unit_sz"),
    ("en_p_cancelled", "cl_inst_p_done", "pe_p_ok", EnrolmentSource.SELF, EnrolmentStatus.CANCELLED, None, None),
    # the province department's class: a 广州 person enrolled, a 深圳 person refused
    ("en_gz2_ind", "cl_ind_p_enrol", "pe_gz2_ok", EnrolmentSource.SELF, EnrolmentStatus.ENROLLED, None, None),
    ("en_p2_refused", "cl_ind_p_enrol", "pe_sz_ok", EnrolmentSource.SELF, EnrolmentStatus.REFUSED, None, None),
    # 神谕省's industry department's own staff member applied to the 广东 institution's open class
    ("en_ind_o_staff", "cl_inst_p_enrol", "pe_ind_o_ok", EnrolmentSource.SELF, EnrolmentStatus.APPLIED, None, None),
]

# key, class, 考勤日期 (day of its study time)
SESSIONS = [("as_gz1", "cl_gz1_open", 0), ("as_inst_p", "cl_inst_p_enrol", 0), ("as_inst_p_done", "cl_inst_p_done", 0),
            ("as_ind_p", "cl_ind_p_enrol", 1)]

# key, session, enrolment, mark
MARKS = [
    ("mk_gz1", "as_gz1", "en_gz1_unit", AttendanceMark.PRESENT),
    ("mk_p2", "as_inst_p", "en_p2_self", AttendanceMark.LATE),
    ("mk_moved", "as_inst_p_done", "en_moved_pass", AttendanceMark.PRESENT),
    ("mk_cancelled", "as_inst_p_done", "en_p_cancelled", AttendanceMark.ABSENT),
    ("mk_gz2_ind", "as_ind_p", "en_gz2_ind", AttendanceMark.LEAVE),
]

# 课程名称 (the key), person, source, status, reviewer, declared by, enrolment
# number (the natural key), holder, status
CERTIFICATES = [
    ("20250000000001", "pe_gz1_ok", CertificateStatus.VALID),
    ("20250000000002", "pe_gz2_ok", CertificateStatus.VOID),
    ("20250000000003", "pe_sz_ok", CertificateStatus.REVOKED),
    ("20250000000004", "pe_released", CertificateStatus.VALID),  # its holder has left every unit
]

RECORDS = [
    ("rc_p1_self", "pe_gz1_ok", RecordSource.PERSON, PENDING, "or_unit_gz1", None, None),
    ("rc_p1_draft", "pe_gz1_ok", RecordSource.PERSON, DRAFT, None, None, None),  # not yet 申报
    ("rc_gz1_b_import", "pe_gz1_b", RecordSource.IMPORT, APPROVED, None, None, None),
    ("rc_going_unit", "pe_going", RecordSource.UNIT, APPROVED, "or_unit_gz1", "or_unit_gz1", None),
    ("rc_moved_old", "pe_moved", RecordSource.UNIT, APPROVED, "or_unit_gz1", "or_unit_gz1", None),  # before 调出
    ("rc_moved_class", "pe_moved", RecordSource.CLASS, PENDING, "or_unit_sz", "or_inst_p", "en_moved_pass"),
    ("rc_p2_inst", "pe_sz_ok", RecordSource.INSTITUTION, RETURNED, "or_unit_sz", "or_inst_p", None),
    ("rc_p2_inst_draft", "pe_sz_ok", RecordSource.INSTITUTION, DRAFT, None, "or_inst_p", None),  # not yet 申报
    ("rc_gz2_unit", "pe_gz2_ok", RecordSource.UNIT, APPROVED, "or_unit_gz2", "or_unit_gz2", None),
    ("rc_p_hr", "pe_p_ok", RecordSource.PERSON, PENDING, "or_hr_p", None, None),  # a chain that adds HR
    ("rc_released", "pe_released", RecordSource.LEGACY, APPROVED, None, None, None),
    # 神谕省: the city HR declared for its own staff (its 确认 ends the chain); the industry department's staff
    # member's own record waits at the department; the unit approved one, it waits at the region's HR; the
    # institution approved its staff member's
    ("rc_hr_oc_staff", "pe_hr_oc_ok", RecordSource.UNIT, APPROVED, "or_hr_oc", "or_hr_oc", None),
    ("rc_ind_o_self", "pe_ind_o_ok", RecordSource.PERSON, PENDING, "or_ind_o", None, None),
    ("rc_unit_oc_hr", "pe_unit_oc_ok", RecordSource.PERSON, PENDING, "or_hr_oc", None, None),
    ("rc_inst_oc_staff", "pe_inst_oc_ok", RecordSource.PERSON, APPROVED, "or_inst_oc", None, None),
    # drafts the city HR and the industry department write for their own staff: their writers' only
    ("rc_hr_oc_draft", "pe_hr_oc_ok", RecordSource.UNIT, DRAFT, None, "or_hr_oc", None),
    ("rc_ind_o_draft", "pe_ind_o_ok", RecordSource.UNIT, DRAFT, None, "or_ind_o", None),
    # pe_moved's own record, passed on to 广州 HR (a chain that adds HR) before he moved to 深圳: 广州 HR
    # still reviews it, though he is no longer one of its region's people
    ("rc_moved_hr", "pe_moved", RecordSource.PERSON, PENDING, "or_hr_gz", None, None),
    # imported (已通过, nobody declared or reviews it): of 神谕省's industry department's staff member (乙, not
    # its series: it sees the record as their employer), and of a person still waiting for 广州 unit 1
    ("rc_ind_o_import", "pe_ind_o_ok", RecordSource.IMPORT, APPROVED, None, None, None),
    ("rc_gz1_wait_import", "pe_gz1_wait", RecordSource.IMPORT, APPROVED, None, None, None),
    # and of 神谕市's institution's staff member: the institution sees it as their employer, not as its own
    ("rc_inst_oc_import", "pe_inst_oc_ok", RecordSource.IMPORT, APPROVED, None, None, None),
    # of 深圳 unit's staff member of no 专业系列: the unit's and HR's, never an industry department's (not
    # even or_ind_sz_none, itself of no series)
    ("rc_sz_none", "pe_sz_none", RecordSource.IMPORT, APPROVED, None, None, None),
]

# original name, owner type, owner key
ATTACHMENTS = [
    ("at_gz1", "organisation", "or_unit_gz1"),
    ("at_sz", "organisation", "or_unit_sz"),
    ("at_ind_sz", "organisation", "or_ind_sz_a"),
    ("at_oc_gz1", "org_change", "oc_gz1"),
    ("at_oc_sz", "org_change", "oc_sz"),
    ("at_person", "person", "pe_gz1_ok"),  # a kind of owner no rule names yet: nobody but the admin
    # the training chain's documents: whoever sees the catalogue, qualification or plan
    ("at_ca_a_pub", "catalogue", "ca_a_pub"),
    ("at_ca_a_draft", "catalogue", "ca_a_draft"),
    ("at_qu_gz_a", "qualification", "qu_gz_a"),
    ("at_qu_p_b", "qualification", "qu_p_b"),
    ("at_pl_gz1_draft", "plan", "pl_gz1_draft"),
    ("at_pl_inst_p", "plan", "pl_inst_p_ok"),
    ("at_pl_ind_p", "plan", "pl_ind_p_ok"),
    # 年度报告: whoever sees the report
    ("at_ar_p_pending", "annual_report", "ar_p_pending"),
    ("at_ar_gz_draft", "annual_report", "ar_gz_draft"),
    # 继续教育记录: whoever sees the record, the person it is about among them (a draft: its writer and the person)
    ("at_rc_p1_self", "record", "rc_p1_self"),
    ("at_rc_p2_draft", "record", "rc_p2_inst_draft"),
]

# 年度报告 (issue 11 item 10): 报告名称 (the key), institution, year, status, reviewer
ANNUAL_REPORTS = [
    ("ar_p_pending", "or_inst_p", 2025, PENDING, "or_hr_p"),
    ("ar_p_draft", "or_inst_p", 2026, DRAFT, None),  # not yet 申报: its institution only
    ("ar_gz_approved", "or_inst_gz", 2024, APPROVED, "or_hr_gz"),
    ("ar_gz_returned", "or_inst_gz", 2023, RETURNED, "or_hr_gz"),
    ("ar_gz_draft", "or_inst_gz", 2025, DRAFT, None),
    # in 广州 but routed to the province (filed while the city HR was not yet approved)
    ("ar_gz_up", "or_inst_gz", 2022, PENDING, "or_hr_p"),
    # filed while the province's institution was registered in 广州, routed to 广州 HR, which keeps it
    # after the institution moved up to the province (outside 广州 HR's region)
    ("ar_p_moved", "or_inst_p", 2024, PENDING, "or_hr_gz"),
]

# ---- 旧系统数据 (issue 11 item 9): old units bound (or not) to current units, old people linked (or not) --

# 旧系统单位名称 (the key; the code is it upper-case, as imports store codes), the current unit bound to it
LEGACY_UNITS = [("lu_gz1", "or_unit_gz1"), ("lu_sz", "or_unit_sz"), ("lu_free", None)]

# 姓名 (the key), old unit, the current person linked to them; each has one record (课程名称 lr_<key>)
# and one certificate (number lc_<key>)
LEGACY_PEOPLE = [
    ("lp_gz1_p1", "lu_gz1", "pe_gz1_ok"),
    ("lp_gz1_old", "lu_gz1", None),  # in no current unit: only the bound unit's history
    ("lp_moved", "lu_gz1", "pe_moved"),  # now at 深圳: gz1's history and sz's person
    ("lp_sz", "lu_sz", "pe_sz_ok"),
    ("lp_free", "lu_free", None),  # an old unit nobody bound: the admin's only
    ("lp_free_linked", "lu_free", "pe_gz2_ok"),  # unbound old unit, linked person: the person's unit sees it
]

# identity → (login, organisation to act as, or None for the account's only context)
IDENTITIES = {
    "admin": ("u_admin", None),
    "helpdesk": ("u_help", None),
    "hr_p": ("u_hr_p", None),
    "hr_gz": ("u_hr_gz", None),
    "hr_sz": ("u_hr_sz", None),
    "ind_p": ("u_ind_p", None),
    "ind_gz": ("u_ind_gz", None),
    "unit_gz1": ("u_unit_gz1", None),
    "unit_sz": ("u_unit_sz", None),
    "multi_gz1": ("u_multi", "or_unit_gz1"),
    "multi_gz2": ("u_multi", "or_unit_gz2"),
    "inst_p": ("u_inst_p", None),
    "inst_gz": ("u_inst_gz", None),
    "p1": ("u_p1", None),
    "p2": ("u_p2", None),
    "nobody": ("u_nobody", None),  # signed in, acting as a kind no rule knows
    # 神谕省, where every organisation employs (Henan's rule)
    "hr_o": ("u_hr_o", None),
    "hr_oc": ("u_hr_oc", None),
    "ind_o": ("u_ind_o", None),
    "unit_oc": ("u_unit_oc", None),
    "inst_oc": ("u_inst_oc", None),
    # 深圳's industry department without a 专业系列
    "ind_none": ("u_ind_none", None),
}
#: the identities of 神谕省 (every organisation employs there)
EMPLOYING_IDENTITIES = ("hr_o", "hr_oc", "ind_o", "unit_oc", "inst_oc")


class Actors:
    """`world.actors["hr_gz"]`: the identity resolved through `build_actor` (inside an app context).

    Under mutmut (`MUTANT_UNDER_TEST` set) it is resolved again at each use, so a test calls the
    policy's actor code itself and mutmut counts it among the tests of `build_actor`; a cache would
    credit only the test that filled it. Otherwise the first resolution of each identity is kept for
    the module (tests restore the world, so it stays right), which saves most of the oracle's time."""

    def __init__(self, world: "World"):
        self.world = world

    def __getitem__(self, name: str) -> Actor:
        login, org = IDENTITIES[name]
        if "MUTANT_UNDER_TEST" in os.environ:
            return _actor(self.world, login, org)
        cache = self.world.resolved
        if name not in cache:
            cache[name] = _actor(self.world, login, org)
        return cache[name]

    def __iter__(self):
        return iter(IDENTITIES)

    def __len__(self) -> int:
        return len(IDENTITIES)


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)  # natural key → id, every table
    keys: dict[type, dict] = field(default_factory=dict)  # model → {id: natural key}
    resolved: dict[str, Actor] = field(default_factory=dict)  # see Actors

    @property
    def actors(self) -> Actors:
        return Actors(self)

    def add(self, model, key: str, row) -> None:
        self.ids[key] = inspect(row).identity[0]
        self.keys.setdefault(model, {})[self.ids[key]] = key


def _flush(world: World, model, rows: list[tuple[str, object]]) -> None:
    db.session.add_all([row for _, row in rows])
    db.session.flush()
    for key, row in rows:
        world.add(model, key, row)


def build() -> World:
    """Build the world inside the caller's rolled-back transaction and resolve its actors."""
    w = World()
    now = utcnow()
    _flush(w, Region, [("rg_oracle", Region(code="449901", name="神谕区", level=COUNTY, parent_code=P))])
    _flush(w, ProfessionalSeries, [
        (A, ProfessionalSeries(code=A, name="神谕甲系列")), (B, ProfessionalSeries(code=B, name="神谕乙系列")),
    ])
    _flush(w, DictionaryItem, [("orc_dict", DictionaryItem(category="ethnicity", code="orc_dict", name="神谕族"))])
    _flush(w, HourRequirement, [("orc_hours", HourRequirement(
        year=2099, region_code="449901", total_hours=90, min_public_hours=0, min_professional_hours=60,
        min_elective_hours=0, entry_deadline=date(2100, 1, 31)))])
    db.session.add(Region(code=O, name="神谕省", level=PROVINCE))
    db.session.add(Region(code=OC, name="神谕市", level=CITY, parent_code=O))
    # The world's records are of 2026, whose 录入截止 in the demo (31 January of the next year) would refuse
    # every 送审 from February 2027: the world keeps its year open whatever the date.
    db.session.execute(
        update(HourRequirement).where(HourRequirement.year == 2026).values(entry_deadline=date(2100, 1, 31))
    )
    _flush(w, ProvinceRule, [("orc_rule", ProvinceRule(region_code=O, every_org_employs=True))])

    orgs = {}
    for n, (key, kind, level, region, series, status, _, _) in enumerate(ORGS):
        orgs[key] = Organisation(
            kind=kind, name=key, code=f"ORC{n:015d}", level=level, region_code=region,
            series_id=w.ids[series] if series else None, status=status,
            submitted_at=None if status == DRAFT else now,
        )
    _flush(w, Organisation, list(orgs.items()))
    for key, _, _, _, _, _, reviewer, parent in ORGS:
        orgs[key].reviewer_org_id = w.ids[reviewer] if reviewer else None
        orgs[key].parent_id = w.ids[parent] if parent else None
    db.session.flush()

    users = {
        login: User(login=login, password_hash="!", real_name=login, id_number=f"ORCU{n:04d}", system_role=role)
        for n, (login, role) in enumerate(USERS)
    }
    _flush(w, User, list(users.items()))
    _flush(w, OrgRole, [(name, OrgRole(org_id=w.ids[org], name=name, modules=mods)) for name, org, mods in ROLES])
    roles = {name: db.session.get(OrgRole, w.ids[name]) for name, _, _ in ROLES}
    _flush(w, Membership, [
        (f"{login}@{org}", Membership(
            user_id=w.ids[login], org_id=w.ids[org], status=status, is_super_admin=chief,
            roles=[roles[r] for r in held],
        ))
        for login, org, status, chief, held in MEMBERSHIPS
    ])
    depts: dict[str, Department] = {}
    for name, org, parent in DEPARTMENTS:
        depts[name] = Department(org_id=w.ids[org], name=name, depth=1 if parent else 0)
        _flush(w, Department, [(name, depts[name])])
        depts[name].parent_id = w.ids[parent] if parent else None
    db.session.flush()

    _flush(w, Person, [
        (name, Person(
            name=name, sex="女", id_number=f"ORCP{n:014d}", unit_id=w.ids[unit] if unit else None,
            binding_status=binding, series_id=w.ids[series] if series else None,
            user_id=w.ids[login] if login else None,
            confirmed_at=now if binding in (BindingStatus.CONFIRMED, BindingStatus.RELEASED) else None,
        ))
        for n, (name, unit, binding, series, login) in enumerate(PERSONS)
    ])
    _flush(w, PersonChange, [
        (key, PersonChange(
            person_id=w.ids[person], before={"specialty": ""}, after={"specialty": key}, status=status,
            reviewer_org_id=w.ids[unit], submitted_at=now,
        ))
        for key, person, status, unit in PERSON_CHANGES
    ])
    _flush(w, Transfer, [
        (key, Transfer(person_id=w.ids[p], from_unit_id=w.ids[f], to_unit_id=w.ids[t], status=s, reason=key))
        for key, p, f, t, s in TRANSFERS
    ])
    _flush(w, OrgChange, [
        (key, OrgChange(
            org_id=w.ids[org], code_type="uscc", code="ORCCHANGE", reason=key, status=status,
            reviewer_org_id=w.ids[reviewer], submitted_at=None if status == DRAFT else now,
        ))
        for key, org, status, reviewer in ORG_CHANGES
    ])
    _flush(w, Teacher, [
        (name, Teacher(
            org_id=w.ids[org], name=name, sex="男", id_number=f"ORCT{n:014d}", title="讲师",
            phone="020-12345678", email="t@example.cn", courses="课程", intro="简介",
        ))
        for n, (name, org) in enumerate(TEACHERS)
    ])
    _flush(w, Dishonesty, [
        (key, Dishonesty(
            subject_type=SubjectType.PERSON if person else SubjectType.ORG,
            person_id=w.ids[person] if person else None, subject_org_id=w.ids[org] if org else None,
            content=key, recorded_by_org_id=w.ids[by],
        ))
        for key, person, org, by in DISHONESTY
    ])
    _flush(w, AuditLog, [(key, AuditLog(action="update", region_code=region, summary=key)) for key, region in AUDIT])
    _flush(w, ReviewLog, [
        (key, ReviewLog(
            object_type="organisation", object_id=0, step="审核", reviewer_org_id=w.ids[org] if org else None,
            result=ReviewResult.APPROVE, opinion=key,
        ))
        for key, org in REVIEWS
    ])
    _build_training(w, now)
    _flush(w, AnnualReport, [
        (name, AnnualReport(
            institution_id=w.ids[inst], year=year, name=name, status=status,
            reviewer_org_id=w.ids[reviewer] if reviewer else None, submitted_at=None if status == DRAFT else now,
        ))
        for name, inst, year, status, reviewer in ANNUAL_REPORTS
    ])
    _flush(w, Attachment, [
        (key, Attachment(
            owner_type=owner_type, owner_id=w.ids[owner], original_name=key, stored_name=f"oracle-{key}",
            content_type="application/pdf", size=1,
        ))
        for key, owner_type, owner in ATTACHMENTS
    ])
    _flush(w, LegacyUnit, [
        (key, LegacyUnit(code=key.upper(), name=key, bound_unit_id=w.ids[unit] if unit else None,
                         bound_at=now if unit else None))
        for key, unit in LEGACY_UNITS
    ])
    _flush(w, LegacyPerson, [
        (key, LegacyPerson(name=key, id_number=f"ORCL{n:014d}", legacy_unit_id=w.ids[unit],
                           person_id=w.ids[person] if person else None))
        for n, (key, unit, person) in enumerate(LEGACY_PEOPLE)
    ])
    _flush(w, LegacyRecord, [
        (f"lr_{key}", LegacyRecord(legacy_person_id=w.ids[key], year=2016, course_type="public",
                                   course_name=f"lr_{key}", hours=Decimal("12")))
        for key, _, _ in LEGACY_PEOPLE
    ])
    _flush(w, LegacyCertificate, [
        (f"lc_{key}", LegacyCertificate(legacy_person_id=w.ids[key], year=2016, number=f"lc_{key}",
                                        hours=Decimal("72")))
        for key, _, _ in LEGACY_PEOPLE
    ])
    # sign-in bookkeeping: no rule, so nobody's to see (the key is the row's own)
    later = now + timedelta(hours=1)
    _flush(w, UserSession, [
        ("ses_gz1", UserSession(token_hash="ses_gz1", user_id=w.ids["u_unit_gz1"], password_version=0,
                                created_at=now, expires_at=later)),
    ])
    _flush(w, UsedCaptcha, [("cap_used", UsedCaptcha(nonce="cap_used", expires_at=later))])
    for name in IDENTITIES:  # every identity resolves (the world is complete)
        w.actors[name]
    # Inside the test's outer transaction this only releases the session's savepoint: the rows
    # outlive this app context and vanish with the outer rollback.
    db.session.commit()
    return w


def _build_training(w: World, now) -> None:
    """The training chain, straight with the models (no workflow: routing and checks are not asked)."""
    year_start = date(2026, 3, 1)
    _flush(w, Catalogue, [
        (key, Catalogue(
            org_id=w.ids[org], series_id=w.ids[series], year=year, declared_on=year_start, status=status,
            published_at=now if status == CatalogueStatus.PUBLISHED else None,
        ))
        for key, org, series, year, status in CATALOGUES
    ])
    _flush(w, Course, [
        (name, Course(
            catalogue_id=w.ids[catalogue], name=name, content="学习内容", withdrawn=gone,
            withdrawn_at=now if gone else None,
        ))
        for name, catalogue, gone in COURSES
    ])
    _flush(w, Qualification, [
        (key, Qualification(
            institution_id=w.ids[inst], series_id=w.ids[series], note=key, status=status,
            reviewer_org_id=w.ids[reviewer] if reviewer else None, submitted_at=None if status == DRAFT else now,
        ))
        for key, inst, series, status, reviewer in QUALIFICATIONS
    ])
    series_of_catalogue = {key: series for key, _, series, _, _ in CATALOGUES}
    series_of_course = {name: series_of_catalogue[catalogue] for name, catalogue, _ in COURSES}
    _flush(w, Plan, [
        (name, Plan(
            owner_org_id=w.ids[owner], course_id=w.ids[course], series_id=w.ids[series_of_course[course]],
            year=2026, name=name, days=Decimal("2"), hours=Decimal("12"), sessions=3,
            start_on=year_start, end_on=year_start + timedelta(days=90), content="培训内容", audience="培训对象",
            status=status, reviewer_org_id=w.ids[reviewer] if reviewer else None,
            submitted_at=None if status == DRAFT else now,
        ))
        for name, owner, course, status, reviewer in PLANS
    ])
    teachers = {name: db.session.get(Teacher, w.ids[name]) for name, _ in TEACHERS}
    _flush(w, TrainingClass, [
        (name, TrainingClass(
            plan_id=w.ids[plan], name=name, planned_open_on=year_start + timedelta(days=10),
            study_form_code="01", study_start_on=year_start + timedelta(days=10),
            study_end_on=year_start + timedelta(days=12), capacity=30, head_teacher_id=w.ids[teacher],
            teachers=[teachers[teacher]], exam_type_code="02", location="学习地点", schedule="时间安排",
            status=status, enrolled_count=sum(
                1 for _, c, _, _, s, _, _ in ENROLMENTS if c == name and s == EnrolmentStatus.ENROLLED
            ),
        ))
        for name, plan, status, teacher, _ in CLASSES
    ])
    _flush(w, ClassSubject, [
        (subject, ClassSubject(class_id=w.ids[name], name=subject, sort=n))
        for name, _, _, _, subjects in CLASSES for n, subject in enumerate(subjects)
    ])
    _flush(w, Enrolment, [
        (key, Enrolment(
            class_id=w.ids[cls], person_id=w.ids[person], source=source, status=status, result=result,
            score=Decimal("90") if result else None, applied_at=now,
            entered_by_org_id=w.ids[by] if by else None,
        ))
        for key, cls, person, source, status, result, by in ENROLMENTS
    ])
    _flush(w, AttendanceSession, [
        (key, AttendanceSession(
            class_id=w.ids[cls], on_date=year_start + timedelta(days=10 + day), starts_at=time(9), ends_at=time(12),
        ))
        for key, cls, day in SESSIONS
    ])
    _flush(w, Attendance, [
        (key, Attendance(
            session_id=w.ids[session], enrolment_id=w.ids[enrolment], mark=mark,
            by_scan=mark == AttendanceMark.LATE, checked_in_at=now,
        ))
        for key, session, enrolment, mark in MARKS
    ])
    _flush(w, Record, [
        (name, Record(
            person_id=w.ids[person], course_type="professional", course_name=name, start_on=year_start,
            end_on=year_start, declared_hours=Decimal("6"), year=2026, source=source, status=status,
            reviewer_org_id=w.ids[reviewer] if reviewer else None, submitted_at=None if status == DRAFT else now,
            declared_by_org_id=w.ids[by] if by else None, enrolment_id=w.ids[enrolment] if enrolment else None,
        ))
        for name, person, source, status, reviewer, by, enrolment in RECORDS
    ])
    # 人员年度学时: the record triggers' rows of the approved ones (no rule: nobody's to see), keyed by person
    people = w.keys[Person]
    for row in db.session.scalars(select(PersonYearHours).where(PersonYearHours.person_id.in_(list(people)))):
        w.add(PersonYearHours, f"pyh_{people[row.person_id]}", row)
    _flush(w, Certificate, [
        (number, Certificate(
            number=number, person_id=w.ids[person], year=2025, holder_name=person, id_number="ORC000000000000000",
            total_hours=Decimal("90"), passed=True, status=status, issuer_name="神谕人社厅",
        ))
        for number, person, status in CERTIFICATES
    ])


def _actor(w: World, login: str, org: str | None) -> Actor:
    user = db.session.get(User, w.ids[login])
    if login == "u_nobody":
        return Actor(user_id=user.id, kind="nobody", label="无规则的身份")
    contexts = available_contexts(user)
    if org is None:
        assert len(contexts) == 1, (login, contexts)
        key = contexts[0].key
    else:
        key = next(c.key for c in contexts if c.label.startswith(org))
    actor = build_actor(user, key)
    assert actor is not None, login
    return actor


def visible_keys(world: World, model, condition) -> set[str]:
    """The world's rows of `model` selected by a SQL condition, by natural key."""
    pk = inspect(model).primary_key[0]
    ids = db.session.scalars(select(pk).where(condition, pk.in_(list(world.keys[model]))))
    return {world.keys[model][i] for i in ids}


@contextmanager
def acting(app):
    """For guard tests: an app context whose changes are never committed (rolled back at its end),
    so the module's world stays as built."""
    with app.app_context():
        yield
        db.session.rollback()


def row(world: World, model, key: str):
    return db.session.get(model, world.ids[key])
