"""All tables, importable from one place (Alembic and the app factory import this package)."""
from .account import User
from .audit import Attachment, AuditLog, ReviewLog
from .org import Department, Membership, OrgChange, Organisation, OrgRole, membership_role
from .person import Person
from .reference import DictionaryItem, ProfessionalSeries, Region, dictionary_choices, subtree_bounds

__all__ = [
    "Attachment",
    "AuditLog",
    "Department",
    "DictionaryItem",
    "Membership",
    "OrgChange",
    "OrgRole",
    "Organisation",
    "Person",
    "ProfessionalSeries",
    "Region",
    "ReviewLog",
    "User",
    "dictionary_choices",
    "membership_role",
    "subtree_bounds",
]
