"""Checking the registry against its ledger: the ledger's hash chain holds, and the
block table (holdings, balances), the retirements and the transfers agree with it.

`flask registry check` prints every problem found, saying what broke where; each kind of
change made behind the service's back shows up as one: an event changed, removed or
slipped in breaks the chain; a block, retirement or transfer changed without its event
disagrees with the replayed ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select

from certify.core import chain
from certify.core.ledger import Event, ReplayError, Segment, differences, replay
from certify.core.serials import Block
from certify.models.registry import CreditBlock, LedgerEvent, Retirement, Transfer
from footprint.platform.db import db


def _events() -> Iterator[LedgerEvent]:
    query = select(LedgerEvent).order_by(LedgerEvent.sequence)
    yield from db.session.scalars(query.execution_options(yield_per=1000))


def check(anchor: str | None = None) -> list[str]:
    """Every inconsistency found; an empty list means the registry is consistent. With
    ``anchor`` (a head hash kept elsewhere), the ledger must still contain it."""
    report = chain.verify((event.entry() for event in _events()), anchor=anchor)
    if not report.ok:
        return [f"ledger: chain broken at event {report.first_bad_sequence}: {report.reason}"]
    events = (
        Event(e.issuance_id, e.kind, Block(e.number_start, e.number_end), e.to_id, e.reference_id)
        for e in _events()
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
    return differences(expected, actual) + _retirements() + _transfers()


def head() -> str:
    """The newest event's hash (`chain.GENESIS` for an empty ledger): keep it elsewhere,
    as an anchor for later checks."""
    last = db.session.scalar(select(LedgerEvent.hash).order_by(LedgerEvent.sequence.desc()))
    return last or chain.GENESIS


def _by_reference(kind: str) -> dict[int, LedgerEvent]:
    return {
        event.reference_id: event
        for event in db.session.scalars(select(LedgerEvent).where(LedgerEvent.kind == kind))
        if event.reference_id is not None
    }


def _retirements() -> list[str]:
    """Each retirement states what its ledger event sealed: range, quantity, holder and,
    where the event recorded them, beneficiary and purpose."""
    events, problems = _by_reference("retire"), []
    for retirement in db.session.scalars(select(Retirement).order_by(Retirement.id)):
        event = events.get(retirement.id)
        if event is None:
            problems.append(f"retirement {retirement.id}: no ledger event retires it")
            continue
        sealed = {
            "quantity": event.quantity,
            "number_start": event.number_start,
            "number_end": event.number_end,
            "organisation_id": event.from_id,
            **{k: event.detail[k] for k in ("beneficiary", "purpose") if k in event.detail},
        }
        for name, value in sealed.items():
            if getattr(retirement, name) != value:
                problems.append(
                    f"retirement {retirement.id}: records {name} {getattr(retirement, name)!r},"
                    f" the ledger {value!r}"
                )
    return problems


def _transfers() -> list[str]:
    """Each transfer is one the ledger records, with the same range and parties."""
    events, problems = _by_reference("transfer"), []
    for transfer in db.session.scalars(select(Transfer).order_by(Transfer.id)):
        event = events.pop(transfer.id, None)
        if event is None:
            problems.append(f"transfer {transfer.id}: no ledger event records it")
            continue
        stated = (transfer.number_start, transfer.number_end, transfer.from_id, transfer.to_id)
        sealed = (event.number_start, event.number_end, event.from_id, event.to_id)
        if stated != sealed:
            problems.append(f"transfer {transfer.id}: records {stated}, the ledger {sealed}")
    problems += [f"ledger event {e.sequence}: transfer {r} is missing" for r, e in events.items()]
    return problems
