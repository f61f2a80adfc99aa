"""record (declared_by_org_id, id) becomes (declared_by_org_id, id, source, status): a declaration list's
scope (`declarations.declared_by`: its own source, or a 结业 record sent back) is checked inside the
index, so 记录申报's deep pages skip rows in the index alone. Without the two columns PostgreSQL fetched
every one of an institution's 40,000 records and sorted them: page 200 28 ms of SQL, now 0.6 ms.

Revision ID: b7e2c9d4a1f5
Revises: a3c5e8f1d962
Create Date: 2026-12-03 08:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7e2c9d4a1f5'
down_revision = 'a3c5e8f1d962'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_record_declarer_newest", table_name="record")
    op.create_index("ix_record_declarer_newest", "record", ["declared_by_org_id", "id", "source", "status"],
                    unique=False)


def downgrade():
    op.drop_index("ix_record_declarer_newest", table_name="record")
    op.create_index("ix_record_declarer_newest", "record", ["declared_by_org_id", "id"], unique=False)
