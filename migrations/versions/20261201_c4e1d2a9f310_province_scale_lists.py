"""province-scale lists: person.name in the "C" collation on PostgreSQL, so 姓名（前缀） search is a range
of the name-ordered index ix_person_name_scope (the planner walked that index filtering LIKE: 3.5 s at a
million people) and the varchar_pattern_ops index it no longer needs goes (SQLite compares bytes
already); record (declared_by_org_id, id) so a declarer's records are walked newest first.

Revision ID: c4e1d2a9f310
Revises: c4d1e7a90b13
Create Date: 2026-12-01 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e1d2a9f310'
down_revision = 'c4d1e7a90b13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.create_index("ix_record_declarer_newest", ["declared_by_org_id", "id"], unique=False)
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_person_name_prefix", table_name="person")
    # rebuilds ix_person_name_scope in the new collation
    op.alter_column("person", "name", type_=sa.String(50, collation="C"), existing_nullable=False)


def downgrade():
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_index("ix_record_declarer_newest")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column("person", "name", type_=sa.String(50), existing_nullable=False)
    op.create_index("ix_person_name_prefix", "person", ["name"], postgresql_ops={"name": "varchar_pattern_ops"})
