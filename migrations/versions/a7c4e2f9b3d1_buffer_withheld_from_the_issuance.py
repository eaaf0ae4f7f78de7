"""buffer withheld from the issuance: serial blocks may be cancelled

Revision ID: a7c4e2f9b3d1
Revises: e5a9c3f1d7b2
Create Date: 2026-12-02 06:00:00.000000

Issuances made before this gave the buffer pool its share on top of the verified
quantity (3,000 verified: 3,000 to the holder and 300 more to the pool), so the pool's
credits had no removal behind them. The guide withholds the pool's share from the
verified quantity. Serials already issued keep their numbers; what can be corrected is
corrected by cancelling as many of the holder's credits as the pool received — the
holder's highest serials still active in its hands — each cancellation a ``cancel``
event in the ledger's chain. Where the holder has already transferred or retired too
many, the shortfall is stated in the ledger event (or, if nothing was left to cancel, in
the activity log).
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

from certify.core.ledger import Record

# revision identifiers, used by Alembic.
revision = 'a7c4e2f9b3d1'
down_revision = 'e5a9c3f1d7b2'
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)
REASON = (
    "buffer withheld from the verified quantity: the pool's share had been issued on top "
    "of it (migration a7c4e2f9b3d1)"
)


def _status_constraint(statuses, width):
    with op.batch_alter_table('credit_blocks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_credit_blocks_status'), type_='check')
        batch_op.alter_column('status', type_=sa.String(length=width))
        batch_op.create_check_constraint(
            batch_op.f('ck_credit_blocks_status'),
            "status IN (%s)" % ", ".join(f"'{s}'" for s in statuses),
        )


def _head(connection):
    row = connection.execute(sa.text(
        "SELECT at, actor_id, kind, issuance_id, number_start, number_end, quantity, from_id, "
        "to_id, reference_id, detail, sequence, previous_hash, hash FROM ledger_events "
        "ORDER BY sequence DESC LIMIT 1").columns(at=AT, detail=sa.JSON)).first()
    if row is None:
        return None
    at = row.at.replace(tzinfo=UTC) if row.at.tzinfo is None else row.at
    detail = row.detail or {}
    return Record(
        at=at, actor_id=row.actor_id, kind=row.kind, issuance_id=row.issuance_id,
        number_start=row.number_start, number_end=row.number_end, quantity=row.quantity,
        from_id=row.from_id, to_id=row.to_id, reference_id=row.reference_id, detail=detail,
    ).stored(sequence=row.sequence, previous_hash=row.previous_hash, hash=row.hash)


def _append(connection, previous, record):
    entry = record.link(previous)
    connection.execute(
        sa.text(
            "INSERT INTO ledger_events (sequence, previous_hash, hash, at, actor_id, kind, "
            "issuance_id, number_start, number_end, quantity, from_id, to_id, reference_id, "
            "detail) VALUES (:sequence, :previous_hash, :hash, :at, NULL, :kind, :issuance, "
            ":start, :end, :quantity, :from_id, NULL, :reference, :detail)"
        ).bindparams(sa.bindparam("at", type_=AT), sa.bindparam("detail", type_=sa.JSON)),
        {
            "sequence": entry.sequence, "previous_hash": entry.previous_hash,
            "hash": entry.hash, "at": record.at, "kind": record.kind,
            "issuance": record.issuance_id, "start": record.number_start,
            "end": record.number_end, "quantity": record.quantity, "from_id": record.from_id,
            "reference": record.reference_id,
            "detail": dict(record.detail),
        },
    )
    return entry


def _cancel_surplus(connection, issuance, previous):
    """Cancel up to ``buffer_quantity`` of the holder's active credits, highest first."""
    holder_end = issuance.number_end - issuance.buffer_quantity
    holder = connection.execute(sa.text(
        "SELECT to_id FROM ledger_events WHERE issuance_id = :i AND kind = 'issue' "
        "ORDER BY sequence LIMIT 1"), {"i": issuance.id}).scalar()
    blocks = connection.execute(sa.text(
        "SELECT id, number_start, number_end FROM credit_blocks WHERE issuance_id = :i "
        "AND holder_id = :h AND status = 'active' AND number_end <= :e "
        "ORDER BY number_start DESC"), {"i": issuance.id, "h": holder, "e": holder_end}).all()
    wanted = issuance.buffer_quantity
    cancelled = []
    for block in blocks:
        if wanted == 0:
            break
        take = min(wanted, block.number_end - block.number_start + 1)
        start = block.number_end - take + 1
        if start == block.number_start:
            connection.execute(sa.text(
                "UPDATE credit_blocks SET status = 'cancelled', version = version + 1 "
                "WHERE id = :id"), {"id": block.id})
        else:
            connection.execute(sa.text(
                "UPDATE credit_blocks SET number_end = :end, version = version + 1 "
                "WHERE id = :id"), {"id": block.id, "end": start - 1})
            connection.execute(sa.text(
                "INSERT INTO credit_blocks (issuance_id, number_start, number_end, holder_id, "
                "status, version) VALUES (:i, :s, :e, :h, 'cancelled', 1)"),
                {"i": issuance.id, "s": start, "e": block.number_end, "h": holder})
        wanted -= take
        cancelled.append((start, block.number_end))
    prefix = f"{issuance.programme}-{issuance.code}-{issuance.vintage}-"
    for index, (start, end) in enumerate(cancelled):
        detail = {
            "serial_start": f"{prefix}{start:09d}", "serial_end": f"{prefix}{end:09d}",
            "reason": REASON,
        }
        if wanted and index == len(cancelled) - 1:
            detail["shortfall"] = wanted
        previous = _append(connection, previous, Record(
            at=datetime.now(UTC), actor_id=None, kind="cancel", issuance_id=issuance.id,
            number_start=start, number_end=end, quantity=end - start + 1, from_id=holder,
            reference_id=issuance.id, detail=detail,
        ))
    if wanted and not cancelled:
        connection.execute(
            sa.text("INSERT INTO audit_events (at, actor_id, action, entity, entity_id, detail) "
                    "VALUES (:at, NULL, 'issuance.buffer_uncorrected', 'issuance', :id, :d)"
                    ).bindparams(sa.bindparam("at", type_=AT), sa.bindparam("d", type_=sa.JSON)),
            {"at": datetime.now(UTC), "id": str(issuance.id),
             "d": {"shortfall": wanted, "reason": REASON}},
        )
    return previous


def upgrade():
    _status_constraint(("active", "retired", "cancelled"), 16)
    connection = op.get_bind()
    surplus = connection.execute(sa.text(
        "SELECT i.id, i.programme, i.vintage, i.number_start, i.number_end, "
        "i.buffer_quantity, p.code FROM issuances i JOIN projects p ON p.id = i.project_id "
        "WHERE i.buffer_quantity > 0 "
        "AND i.number_end - i.number_start + 1 = i.quantity + i.buffer_quantity "
        "ORDER BY i.id")).all()
    previous = _head(connection) if surplus else None
    for issuance in surplus:
        previous = _cancel_surplus(connection, issuance, previous)


def downgrade():
    connection = op.get_bind()
    if connection.execute(sa.text(
            "SELECT count(*) FROM credit_blocks WHERE status = 'cancelled'")).scalar():
        raise RuntimeError(
            "cancelled credits are recorded in the append-only ledger and cannot be restored")
    _status_constraint(("active", "retired"), 8)
