"""the greenhouse gases a factor states

Revision ID: 1f4a7c2e9d35
Revises: 5c2d8e1f3a60
Create Date: 2026-12-04 04:00:00.000000

A fuel-combustion factor of the second edition is CO2e of three gases (CO2, and CH4 and
N2O from IPCC 2006 defaults × AR6 GWP-100): each factor record keeps the kg of each gas
per unit, so that results report the gases of each line. Empty for every factor stored
before (a kgCO2 factor is all CO2; the others are known only as CO2e).
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '1f4a7c2e9d35'
down_revision = '5c2d8e1f3a60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('factors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gases', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('factors', schema=None) as batch_op:
        batch_op.drop_column('gases')
