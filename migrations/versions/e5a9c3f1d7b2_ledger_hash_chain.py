"""ledger hash chain: every event sealed, retirements' beneficiary and purpose recorded

Revision ID: e5a9c3f1d7b2
Revises: d41e7a2c9b10
Create Date: 2026-12-02 03:30:00.000000

Existing events are chained in the order they were written, and the retire events get
the beneficiary and purpose of their retirement as it stands now (what can be recorded
of the past). The append-only triggers are lifted for that, and only for that.
"""
import json
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

from certify.core.ledger import Record

# revision identifiers, used by Alembic.
revision = 'e5a9c3f1d7b2'
down_revision = 'd41e7a2c9b10'
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER ledger_events_append_only_{verb.lower()} BEFORE {verb} ON ledger_events "
    "BEGIN SELECT RAISE(ABORT, 'ledger_events is append-only'); END"
    for verb in ("UPDATE", "DELETE")
]
POSTGRES_TRIGGER = [
    "CREATE FUNCTION ledger_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'ledger_events is append-only'; END $$",
    "CREATE TRIGGER ledger_events_append_only BEFORE UPDATE OR DELETE ON ledger_events "
    "FOR EACH ROW EXECUTE FUNCTION ledger_events_append_only()",
]


def _postgres():
    return op.get_bind().dialect.name == "postgresql"


def _create_triggers():
    for statement in POSTGRES_TRIGGER if _postgres() else SQLITE_TRIGGERS:
        op.execute(statement)


def _drop_triggers():
    if _postgres():
        op.execute("DROP TRIGGER ledger_events_append_only ON ledger_events")
        op.execute("DROP FUNCTION ledger_events_append_only()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER ledger_events_append_only_{verb}")


def _utc(value):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _backfill():
    connection = op.get_bind()
    retirements = {
        row.id: {"beneficiary": row.beneficiary, "purpose": row.purpose}
        for row in connection.execute(sa.text("SELECT id, beneficiary, purpose FROM retirements"))
    }
    rows = connection.execute(sa.text(
        "SELECT id, at, actor_id, kind, issuance_id, number_start, number_end, quantity, "
        "from_id, to_id, reference_id, detail FROM ledger_events ORDER BY id")).all()
    previous = None
    for row in rows:
        detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail or "{}")
        if row.kind == "retire" and row.reference_id in retirements:
            detail = {**detail, **retirements[row.reference_id]}
        entry = Record(
            at=_utc(row.at), actor_id=row.actor_id, kind=row.kind, issuance_id=row.issuance_id,
            number_start=row.number_start, number_end=row.number_end, quantity=row.quantity,
            from_id=row.from_id, to_id=row.to_id, reference_id=row.reference_id, detail=detail,
        ).link(previous)
        connection.execute(
            sa.text("UPDATE ledger_events SET sequence = :sequence, previous_hash = :previous, "
                    "hash = :hash, detail = :detail WHERE id = :id"),
            {"sequence": entry.sequence, "previous": entry.previous_hash, "hash": entry.hash,
             "detail": json.dumps(detail, ensure_ascii=False), "id": row.id},
        )
        previous = entry


def upgrade():
    _drop_triggers()
    with op.batch_alter_table('ledger_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table('ledger_events', schema=None) as batch_op:
        batch_op.alter_column('sequence', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('previous_hash', existing_type=sa.String(length=64),
                              nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_ledger_events_sequence'), ['sequence'])
        batch_op.create_unique_constraint(batch_op.f('uq_ledger_events_hash'), ['hash'])
    _create_triggers()


def downgrade():
    _drop_triggers()
    with op.batch_alter_table('ledger_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_ledger_events_hash'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_ledger_events_sequence'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('previous_hash')
        batch_op.drop_column('sequence')
    _create_triggers()
