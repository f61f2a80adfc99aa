"""annual reports: an institution's 年度报告, one per year, reviewed by the HR of its region (issue 11 item 10)

Revision ID: a17c52e9bad6
Revises: b8c45225f68c
Create Date: 2026-12-01 20:07:15.520098

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a17c52e9bad6'
down_revision = 'b8c45225f68c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annual_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reviewer_org_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'pending', 'approved', 'returned', 'closed')", name=op.f('ck_annual_report_status_valid')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_annual_report_year_range')),
    sa.ForeignKeyConstraint(['institution_id'], ['organisation.id'], name=op.f('fk_annual_report_institution_id_organisation')),
    sa.ForeignKeyConstraint(['reviewer_org_id'], ['organisation.id'], name=op.f('fk_annual_report_reviewer_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_report')),
    sa.UniqueConstraint('institution_id', 'year', name=op.f('uq_annual_report_institution_id_year'))
    )
    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.create_index('ix_annual_report_reviewer_status', ['reviewer_org_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('annual_report', schema=None) as batch_op:
        batch_op.drop_index('ix_annual_report_reviewer_status')

    op.drop_table('annual_report')
