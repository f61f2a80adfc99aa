"""操作日志 newest first with the later row first within one instant: (created_at, id) and (region_code,
created_at, id) replace (created_at) and (region_code, created_at), so the whole order of the list is
read from an index. Rows sharing a timestamp (a bulk load's) were gathered and sorted by id before the
first page: 17 ms at 10,000 tied rows on PostgreSQL.

Revision ID: d9a4e1f6c3b7
Revises: c8f3d0e5b2a6
Create Date: 2026-12-03 09:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd9a4e1f6c3b7'
down_revision = 'c8f3d0e5b2a6'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_audit_log_created_at", table_name="audit_log")
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at", "id"], unique=False)
    op.drop_index("ix_audit_log_region_time", table_name="audit_log")
    op.create_index("ix_audit_log_region_time", "audit_log", ["region_code", "created_at", "id"], unique=False)


def downgrade():
    op.drop_index("ix_audit_log_region_time", table_name="audit_log")
    op.create_index("ix_audit_log_region_time", "audit_log", ["region_code", "created_at"], unique=False)
    op.drop_index("ix_audit_log_created_at", table_name="audit_log")
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"], unique=False)
