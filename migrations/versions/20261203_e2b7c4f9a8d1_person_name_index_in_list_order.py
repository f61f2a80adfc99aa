"""person lists in their own order from the index on PostgreSQL: ix_person_name_scope becomes (name, id,
unit_id, series_id) there. The lists order by (name, id), the id keeping a page's rows in one place; with
the index on (name, unit_id, series_id) PostgreSQL walked names and sorted each run of them again by id
(an incremental sort reading twice a page's rows: a province HR's 信息查询 page 500 24 → 11 ms, page 1's
execution 1.0 → 0.4 ms). SQLite keeps (name, unit_id, series_id): there, an index that gives the whole
order makes the planner walk names for a rare 专业系列 too (1 → 45 ms), where it now takes the series
index and sorts its few people; its pages of a region are as fast either way (docs/performance.md).

Revision ID: e2b7c4f9a8d1
Revises: d9a4e1f6c3b7
Create Date: 2026-12-03 11:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e2b7c4f9a8d1'
down_revision = 'd9a4e1f6c3b7'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_person_name_scope", table_name="person")
        op.create_index("ix_person_name_scope", "person", ["name", "id", "unit_id", "series_id"], unique=False)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_person_name_scope", table_name="person")
        op.create_index("ix_person_name_scope", "person", ["name", "unit_id", "series_id"], unique=False)
