"""certificates: 继续教育证书 with numbers never reused and at most one 有效 per person-year (issue 11 item 6)

Revision ID: b8c45225f68c
Revises: 547f8dc99395
Create Date: 2026-12-01 19:06:37.884368

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8c45225f68c'
down_revision = '547f8dc99395'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('holder_name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('series_name', sa.String(length=100), nullable=True),
    sa.Column('public_courses', sa.Integer(), nullable=False),
    sa.Column('public_hours', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('professional_courses', sa.Integer(), nullable=False),
    sa.Column('professional_hours', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('elective_courses', sa.Integer(), nullable=False),
    sa.Column('elective_hours', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('total_hours', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issuer_name', sa.String(length=100), nullable=False),
    sa.Column('issued_by_org_id', sa.Integer(), nullable=True),
    sa.Column('issued_by_user_id', sa.Integer(), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.String(length=200), nullable=True),
    sa.Column('revoked_by_org_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('valid', 'void', 'revoked')", name=op.f('ck_certificate_status_valid')),
    sa.ForeignKeyConstraint(['issued_by_org_id'], ['organisation.id'], name=op.f('fk_certificate_issued_by_org_id_organisation')),
    sa.ForeignKeyConstraint(['issued_by_user_id'], ['user_account.id'], name=op.f('fk_certificate_issued_by_user_id_user_account')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_certificate_person_id_person')),
    sa.ForeignKeyConstraint(['revoked_by_org_id'], ['organisation.id'], name=op.f('fk_certificate_revoked_by_org_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('number', name=op.f('uq_certificate_number'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_person_year', ['person_id', 'year'], unique=False)
        batch_op.create_index('ux_certificate_valid_person_year', ['person_id', 'year'], unique=True, sqlite_where=sa.text("status = 'valid'"), postgresql_where=sa.text("status = 'valid'"))



def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index('ux_certificate_valid_person_year', sqlite_where=sa.text("status = 'valid'"), postgresql_where=sa.text("status = 'valid'"))
        batch_op.drop_index('ix_certificate_person_year')

    op.drop_table('certificate')
