"""guide versions published by the district

Revision ID: 9b3e6d2a4c17
Revises: c8f2d4a6e1b9
Create Date: 2026-12-02 14:30:00.000000

A guide version after the bundled ones (guides/versions/*.toml) is published through
the district's pages and stored whole, so that every app node reads it: its document,
checksum, titles and date. The version number is the key; a published version is never
changed (guides.store refuses a number that exists).
"""
from alembic import op
import sqlalchemy as sa

import footprint.platform.db

# revision identifiers, used by Alembic.
revision = '9b3e6d2a4c17'
down_revision = 'c8f2d4a6e1b9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('guide_versions',
    sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('title_zh', sa.String(length=300), nullable=False),
    sa.Column('title_en', sa.String(length=300), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.Column('published_at', footprint.platform.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_guide_versions_published_by_id_users')),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_guide_versions'))
    )


def downgrade():
    op.drop_table('guide_versions')
