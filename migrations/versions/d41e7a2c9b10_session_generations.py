"""session generations: signing out ends every earlier session of the user

Revision ID: d41e7a2c9b10
Revises: f26cfacbe243
Create Date: 2026-12-02 03:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd41e7a2c9b10'
down_revision = 'f26cfacbe243'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade():
    # Not recreated, for the same reason as c3d1a9e5f2b0's downgrade.
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('session_generation')
