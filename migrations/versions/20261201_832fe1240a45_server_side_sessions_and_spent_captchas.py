"""server-side sessions and spent captchas

user_session: one row per signed-in browser, keyed by the SHA-256 of the cookie's random token; logout
deletes it, a password change outdates it (password_version). used_captcha: the nonce of every checked
captcha until it would have expired anyway, so a captcha cookie replayed is refused.

Revision ID: 832fe1240a45
Revises: 65f88b453829
Create Date: 2026-12-01 15:11:04.537274

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '832fe1240a45'
down_revision = '65f88b453829'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('used_captcha',
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('nonce', name=op.f('pk_used_captcha'))
    )
    with op.batch_alter_table('used_captcha', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_used_captcha_expires_at'), ['expires_at'], unique=False)

    op.create_table('user_session',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('password_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_session_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_user_session'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))

    op.drop_table('user_session')
    with op.batch_alter_table('used_captcha', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_used_captcha_expires_at'))

    op.drop_table('used_captcha')
