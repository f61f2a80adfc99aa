"""legacy data: the old system's units, people, records (<=2017) and certificates, bound to current units and people (issue 11 item 9)

Revision ID: dd0e1826632a
Revises: a17c52e9bad6
Create Date: 2026-12-01 21:55:47.504461

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'dd0e1826632a'
down_revision = 'a17c52e9bad6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legacy_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('bound_unit_id', sa.Integer(), nullable=True),
    sa.Column('bound_at', sa.DateTime(), nullable=True),
    sa.Column('bound_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['bound_by_user_id'], ['user_account.id'], name=op.f('fk_legacy_unit_bound_by_user_id_user_account')),
    sa.ForeignKeyConstraint(['bound_unit_id'], ['organisation.id'], name=op.f('fk_legacy_unit_bound_unit_id_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legacy_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_legacy_unit_code'))
    )
    with op.batch_alter_table('legacy_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legacy_unit_bound_unit_id'), ['bound_unit_id'], unique=False)
        batch_op.create_index('ix_legacy_unit_name', ['name'], unique=False)

    op.create_table('legacy_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('legacy_unit_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['legacy_unit_id'], ['legacy_unit.id'], name=op.f('fk_legacy_person_legacy_unit_id_legacy_unit')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_legacy_person_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legacy_person')),
    sa.UniqueConstraint('id_number', name=op.f('uq_legacy_person_id_number'))
    )
    with op.batch_alter_table('legacy_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legacy_person_legacy_unit_id'), ['legacy_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legacy_person_person_id'), ['person_id'], unique=False)

    op.create_table('legacy_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('legacy_person_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_legacy_certificate_hours_not_negative')),
    sa.CheckConstraint('year BETWEEN 1980 AND 2017', name=op.f('ck_legacy_certificate_year_range')),
    sa.ForeignKeyConstraint(['legacy_person_id'], ['legacy_person.id'], name=op.f('fk_legacy_certificate_legacy_person_id_legacy_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legacy_certificate')),
    sa.UniqueConstraint('number', name=op.f('uq_legacy_certificate_number'))
    )
    with op.batch_alter_table('legacy_certificate', schema=None) as batch_op:
        batch_op.create_index('ix_legacy_certificate_person_year', ['legacy_person_id', 'year'], unique=False)

    op.create_table('legacy_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('legacy_person_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('course_type', sa.String(length=12), nullable=False),
    sa.Column('course_name', sa.String(length=100), nullable=False),
    sa.Column('hours', sa.Numeric(precision=6, scale=1), nullable=False),
    sa.Column('institution_name', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint("course_type IN ('public', 'professional', 'elective')", name=op.f('ck_legacy_record_course_type_valid')),
    sa.CheckConstraint('hours >= 0', name=op.f('ck_legacy_record_hours_not_negative')),
    sa.CheckConstraint('year BETWEEN 1980 AND 2017', name=op.f('ck_legacy_record_year_range')),
    sa.ForeignKeyConstraint(['legacy_person_id'], ['legacy_person.id'], name=op.f('fk_legacy_record_legacy_person_id_legacy_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legacy_record')),
    sa.UniqueConstraint('legacy_person_id', 'year', 'course_type', 'course_name', name=op.f('uq_legacy_record_legacy_person_id_year_course_type_course_name'))
    )
    with op.batch_alter_table('legacy_record', schema=None) as batch_op:
        batch_op.create_index('ix_legacy_record_year', ['year'], unique=False)



def downgrade():
    with op.batch_alter_table('legacy_record', schema=None) as batch_op:
        batch_op.drop_index('ix_legacy_record_year')

    op.drop_table('legacy_record')
    with op.batch_alter_table('legacy_certificate', schema=None) as batch_op:
        batch_op.drop_index('ix_legacy_certificate_person_year')

    op.drop_table('legacy_certificate')
    with op.batch_alter_table('legacy_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legacy_person_person_id'))
        batch_op.drop_index(batch_op.f('ix_legacy_person_legacy_unit_id'))

    op.drop_table('legacy_person')
    with op.batch_alter_table('legacy_unit', schema=None) as batch_op:
        batch_op.drop_index('ix_legacy_unit_name')
        batch_op.drop_index(batch_op.f('ix_legacy_unit_bound_unit_id'))

    op.drop_table('legacy_unit')
