"""person name prefix index: 姓名（前缀） search served by an index on PostgreSQL whatever its collation
(SQLite's byte-range prefix uses the existing ix_person_name)

Revision ID: 5c1e0a7d9b21
Revises: 65f88b453829
Create Date: 2026-12-01 16:05:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1e0a7d9b21'
down_revision = '65f88b453829'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_person_name_prefix", "person", ["name"], postgresql_ops={"name": "varchar_pattern_ops"}
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_person_name_prefix", table_name="person")
