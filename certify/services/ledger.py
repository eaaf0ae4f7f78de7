"""Checking that the block table (holdings, balances) agrees with the append-only ledger."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from certify.core.ledger import Event, ReplayError, Segment, differences, replay
from certify.core.serials import Block
from certify.models.registry import CreditBlock, LedgerEvent, Retirement
from footprint.platform.db import db


def check() -> list[str]:
    """Every inconsistency found; an empty list means the registry is consistent."""
    events = (
        Event(e.issuance_id, e.kind, Block(e.number_start, e.number_end), e.to_id, e.reference_id)
        for e in db.session.scalars(select(LedgerEvent).order_by(LedgerEvent.id))
    )
    try:
        expected = replay(events)
    except ReplayError as error:
        return [f"ledger: {error}"]
    actual: dict[int, list[Segment]] = defaultdict(list)
    for block in db.session.scalars(select(CreditBlock)):
        actual[block.issuance_id].append(
            Segment(
                Block(block.number_start, block.number_end), block.holder_id, block.retirement_id
            )
        )
    problems = differences(expected, actual)
    retired: dict[int, int] = defaultdict(int)
    for segments in expected.values():
        for segment in segments:
            if segment.retirement is not None:
                retired[segment.retirement] += segment.block.count
    for retirement in db.session.scalars(select(Retirement)):
        if retired.get(retirement.id) != retirement.quantity:
            problems.append(
                f"retirement {retirement.id}: records {retirement.quantity} credits,"
                f" the ledger {retired.get(retirement.id, 0)}"
            )
    return problems
