"""person name indexes for province-scale lists: (name, unit_id, series_id) so a region-wide list walks
names and checks the scope inside the index; a varchar_pattern_ops index on PostgreSQL for 姓名（前缀）
search whatever the collation (SQLite's byte-range prefix uses the first)

Revision ID: 5c1e0a7d9b21
Revises: 832fe1240a45
Create Date: 2026-12-01 16:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1e0a7d9b21'
down_revision = '832fe1240a45'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name")
        batch_op.create_index("ix_person_name_scope", ["name", "unit_id", "series_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_person_name_prefix", "person", ["name"], postgresql_ops={"name": "varchar_pattern_ops"}
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_person_name_prefix", table_name="person")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name_scope")
        batch_op.create_index("ix_person_name", ["name"], unique=False)
