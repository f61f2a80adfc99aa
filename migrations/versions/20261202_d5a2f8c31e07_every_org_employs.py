"""province rule every_org_employs: whether HR, industry departments and institutions have professionals of
their own (Henan, manual 002: 审核注册人员, 人员调转, 学时学分申报 in every chapter) or only units employ
(Guangdong). Existing rows keep today's behaviour (否) until the 系统管理员 changes them on 省份规则.

Revision ID: d5a2f8c31e07
Revises: c4e1d2a9f310
Create Date: 2026-12-02 02:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a2f8c31e07'
down_revision = 'c4e1d2a9f310'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("province_rule", schema=None) as batch_op:
        batch_op.add_column(sa.Column("every_org_employs", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("province_rule", schema=None) as batch_op:
        batch_op.drop_column("every_org_employs")
