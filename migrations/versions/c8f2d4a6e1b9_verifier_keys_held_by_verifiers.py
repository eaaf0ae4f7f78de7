"""verifier keys held by verifiers: registered public keys and the pending sign-off

Revision ID: c8f2d4a6e1b9
Revises: a7c4e2f9b3d1
Create Date: 2026-12-02 12:00:00.000000

A verifier signs off with a key of their own (in their browser, or their own tool):
the server keeps only its public JWK, by thumbprint, one active per verifier. The
attestation prepared for them to sign waits on the application until the signature
comes back.
"""
from alembic import op
import sqlalchemy as sa

import footprint.platform.db

# revision identifiers, used by Alembic.
revision = 'c8f2d4a6e1b9'
down_revision = 'a7c4e2f9b3d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('verifier_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('jwk', sa.JSON(), nullable=False),
    sa.Column('registered_through', sa.String(length=16), nullable=False),
    sa.Column('registered_at', footprint.platform.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('retired_at', footprint.platform.db.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("registered_through IN ('browser', 'api')", name=op.f('ck_verifier_keys_registered_through')),
    sa.CheckConstraint('retired_at IS NULL OR registered_at <= retired_at', name=op.f('ck_verifier_keys_period')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_verifier_keys_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verifier_keys')),
    sa.UniqueConstraint('kid', name=op.f('uq_verifier_keys_kid'))
    )
    with op.batch_alter_table('verifier_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verifier_keys_user_id'), ['user_id'], unique=False)
        batch_op.create_index(
            'uq_verifier_keys_active_user', ['user_id'], unique=True,
            sqlite_where=sa.text('retired_at IS NULL'),
            postgresql_where=sa.text('retired_at IS NULL'),
        )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_sign_off', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('pending_sign_off')
    with op.batch_alter_table('verifier_keys', schema=None) as batch_op:
        batch_op.drop_index('uq_verifier_keys_active_user')
        batch_op.drop_index(batch_op.f('ix_verifier_keys_user_id'))
    op.drop_table('verifier_keys')
