"""A reviewer's queue in its order: ix_record_reviewer_queue (reviewer_org_id, status, submitted_at, id)
replaces ix_record_reviewer_status (reviewer_org_id, status), its prefix. 记录审核 opens on 待审核, the most
recently submitted first; with the state held to one value the list orders by (submitted_at, id) alone
(ReviewView), which this index gives, so a page of a long queue is read from the index instead of the
whole queue being gathered and sorted for every page. The counts per reviewer and state, and the oldest
waiting record of a reviewer, are read from it as before.

Revision ID: f3c8a1d5e7b9
Revises: e2b7c4f9a8d1
Create Date: 2026-12-03 12:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f3c8a1d5e7b9'
down_revision = 'e2b7c4f9a8d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_record_reviewer_queue", "record", ["reviewer_org_id", "status", "submitted_at", "id"],
                    unique=False)
    op.drop_index("ix_record_reviewer_status", table_name="record")


def downgrade():
    op.create_index("ix_record_reviewer_status", "record", ["reviewer_org_id", "status"], unique=False)
    op.drop_index("ix_record_reviewer_queue", table_name="record")
