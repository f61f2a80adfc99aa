"""province rules: a row per province saying how it works — person joining, plan reviewer, record chain,
HR self-registration and the screen vocabulary (issue 13, docs/provinces.md)

Revision ID: c4d1e7a90b13
Revises: c3d9e7a1f250
Create Date: 2026-12-01 22:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4d1e7a90b13'
down_revision = 'c3d9e7a1f250'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('province_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('person_join', sa.String(length=30), nullable=False),
    sa.Column('plan_reviewer', sa.String(length=30), nullable=False),
    sa.Column('record_chain', sa.String(length=30), nullable=False),
    sa.Column('hr_self_registration', sa.Boolean(), nullable=False),
    sa.Column('vocabulary', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("person_join IN ('unit_confirms', 'registration_review')", name=op.f('ck_province_rule_person_join_valid')),
    sa.CheckConstraint("plan_reviewer IN ('industry_of_series', 'hr_of_region')", name=op.f('ck_province_rule_plan_reviewer_valid')),
    sa.CheckConstraint("record_chain IN ('unit', 'unit_then_hr')", name=op.f('ck_province_rule_record_chain_valid')),
    sa.CheckConstraint("region_code LIKE '__0000'", name=op.f('ck_province_rule_province_code')),
    sa.CheckConstraint("vocabulary IN ('guangdong', 'henan')", name=op.f('ck_province_rule_vocabulary_valid')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_province_rule_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province_rule')),
    sa.UniqueConstraint('region_code', name=op.f('uq_province_rule_region_code'))
    )


def downgrade():
    op.drop_table('province_rule')
