"""All tables, importable from one place (Alembic and the app factory import this package)."""
from .account import User
from .audit import Attachment, AuditLog, ReviewLog
from .org import Department, Membership, OrgChange, Organisation, OrgRole, membership_role
from .credit import Dishonesty
from .person import Person, PersonChange, Transfer
from .session import UsedCaptcha, UserSession
from .reference import DictionaryItem, ProfessionalSeries, Region, dictionary_choices, subtree_bounds
from .teaching import Teacher
from .training import Catalogue, ClassSubject, Course, Plan, Qualification, TrainingClass, class_teacher
from .learning import Attendance, AttendanceSession, Enrolment, Record
from .hours import HourRequirement, PersonYearHours
from .certificates import Certificate
from .reports import AnnualReport
from .legacy import LegacyCertificate, LegacyPerson, LegacyRecord, LegacyUnit
from .province import ProvinceRule

__all__ = [
    "AnnualReport",
    "Attachment",
    "Attendance",
    "AttendanceSession",
    "Catalogue",
    "Certificate",
    "ClassSubject",
    "Course",
    "Enrolment",
    "HourRequirement",
    "LegacyCertificate",
    "LegacyPerson",
    "LegacyRecord",
    "LegacyUnit",
    "Plan",
    "ProvinceRule",
    "Qualification",
    "Record",
    "TrainingClass",
    "class_teacher",
    "AuditLog",
    "Department",
    "DictionaryItem",
    "Dishonesty",
    "Membership",
    "OrgChange",
    "OrgRole",
    "Organisation",
    "Person",
    "PersonChange",
    "PersonYearHours",
    "ProfessionalSeries",
    "Region",
    "ReviewLog",
    "Teacher",
    "Transfer",
    "UsedCaptcha",
    "User",
    "UserSession",
    "dictionary_choices",
    "membership_role",
    "subtree_bounds",
]
