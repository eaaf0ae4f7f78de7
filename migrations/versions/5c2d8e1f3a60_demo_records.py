"""demo records: what the demo made, under stable keys

Revision ID: 5c2d8e1f3a60
Revises: 4e7b1c9d2a85
Create Date: 2026-12-03 09:30:00.000000

`flask demo` matched what it had made by display names, so that a renamed venue got a
second set of retired credits and a second certificate; it now keeps each record's id
under a key of its own.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5c2d8e1f3a60'
down_revision = '4e7b1c9d2a85'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('demo_records',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_demo_records'))
    )


def downgrade():
    op.drop_table('demo_records')
