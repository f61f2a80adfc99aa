"""Helpers of the oversight tests: find organisations, read flashed messages."""
from sqlalchemy import select

from backoffice.extensions import db
from backoffice.models import AuditLog, Organisation
from pages import list_table  # noqa: F401  (re-exported to the tests)

UNITS = "/admin/oversee_units"


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Organisation.id).where(Organisation.name == name))


def org_state(app, name: str) -> tuple[bool, str | None]:
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        return org.active, org.inactive_reason


def audit_rows(app, action: str) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))
        return [(row.object_id, row.summary) for row in rows]

