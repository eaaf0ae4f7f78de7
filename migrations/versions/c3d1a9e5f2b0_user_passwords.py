"""user passwords for signing in to the web pages

Revision ID: c3d1a9e5f2b0
Revises: 744652307dd5
Create Date: 2026-11-25 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d1a9e5f2b0'
down_revision = '744652307dd5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_hash', sa.String(length=200), nullable=True))


def downgrade():
    # Not recreated: on SQLite, copying and dropping "users" would break the foreign keys of
    # every table that refers to it. SQLite >= 3.35 drops a plain column in place.
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('password_hash')
