"""statistics index holds 学习结束时间: ix_record_year_status_person gains end_on, so the year's approved hours
as of a 统计时间 are read from the index alone (issue 12 item 6)

继续教育综合统计 always passes an as-of date (`end_on <= :as_of`); without end_on in the index every one of
the year's records was fetched from the table (SQLite: SEARCH … USING INDEX instead of COVERING INDEX).

Revision ID: c3d9e7a1f250
Revises: dd0e1826632a
Create Date: 2026-12-01 22:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c3d9e7a1f250'
down_revision = 'dd0e1826632a'
branch_labels = None
depends_on = None

BEFORE = ['year', 'status', 'person_id', 'course_type', 'approved_hours']


def upgrade():
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_index('ix_record_year_status_person')
        batch_op.create_index('ix_record_year_status_person', [*BEFORE, 'end_on'], unique=False)


def downgrade():
    with op.batch_alter_table('record', schema=None) as batch_op:
        batch_op.drop_index('ix_record_year_status_person')
        batch_op.create_index('ix_record_year_status_person', BEFORE, unique=False)
