"""evidence attached to applications

Revision ID: 4e7b1c9d2a85
Revises: 9b3e6d2a4c17
Create Date: 2026-12-02 15:40:00.000000

The files an operator attaches to an application for the verifier to check it against
(meter readings, invoices, logs, certificate records): stored whole in the database, so
that every app node serves them, with the media type sniffed from their content, their
size and SHA-256, and optionally the guide criterion each supports.
"""
from alembic import op
import sqlalchemy as sa

import footprint.platform.db

# revision identifiers, used by Alembic.
revision = '4e7b1c9d2a85'
down_revision = '9b3e6d2a4c17'
branch_labels = None
depends_on = None

MEDIA_TYPES = (
    "'application/pdf', 'image/png', 'image/jpeg', 'text/csv', "
    "'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'"
)


def upgrade():
    op.create_table('evidence_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('criterion_id', sa.String(length=40), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', footprint.platform.db.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint(f'media_type IN ({MEDIA_TYPES})', name=op.f('ck_evidence_documents_media_type')),
    sa.CheckConstraint('size > 0', name=op.f('ck_evidence_documents_size')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_evidence_documents_application_id_applications')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_evidence_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_documents'))
    )
    with op.batch_alter_table('evidence_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_documents_application_id'), ['application_id'], unique=False)


def downgrade():
    with op.batch_alter_table('evidence_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_documents_application_id'))
    op.drop_table('evidence_documents')
