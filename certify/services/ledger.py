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


def check(anchor: str | None = None) -> list[str]:
    """Every inconsistency found; an empty list means the registry is consistent. With
    ``anchor`` (a head hash kept elsewhere), the ledger must still contain it.

    The ledger is read once: its chain is verified as it streams by, and what the
    replay and the cross-checks need is kept on the way."""
    events: list[Event] = []
    referenced: dict[str, dict[int, LedgerEvent]] = {"retire": {}, "transfer": {}}

    def entries() -> Iterator[chain.Entry]:
        query = select(LedgerEvent).order_by(LedgerEvent.sequence)
        for row in db.session.scalars(query.execution_options(yield_per=1000)):
            block = Block(row.number_start, row.number_end)
            events.append(Event(row.issuance_id, row.kind, block, row.to_id, row.reference_id))
            if row.kind in referenced and row.reference_id is not None:
                referenced[row.kind][row.reference_id] = row
            yield row.entry()

    report = chain.verify(entries(), anchor=anchor)
    if not report.ok:
        return [f"ledger: chain broken at event {report.first_bad_sequence}: {report.reason}"]
    try:
        expected = replay(events)
    except ReplayError as error:
        return [f"ledger: {error}"]
    actual: dict[int, list[Segment]] = defaultdict(list)
    for block in db.session.scalars(select(CreditBlock)):
        actual[block.issuance_id].append(
            Segment(
                Block(block.number_start, block.number_end),
                block.holder_id,
                block.retirement_id,
                block.status == "cancelled",
            )
        )
    return (
        differences(expected, actual)
        + _retirements(referenced["retire"])
        + _transfers(referenced["transfer"])
    )


def head() -> str:
    """The newest event's hash (`chain.GENESIS` for an empty ledger): keep it elsewhere,
    as an anchor for later checks."""
    last = db.session.scalar(select(LedgerEvent.hash).order_by(LedgerEvent.sequence.desc()))
    return last or chain.GENESIS


def _retirements(events: dict[int, LedgerEvent]) -> list[str]:
    """Each retirement states what its ledger event sealed: range, quantity, holder and,
    where the event recorded them, beneficiary and purpose."""
    problems = []
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


def _transfers(events: dict[int, LedgerEvent]) -> list[str]:
    """Each transfer is one the ledger records, with the same range and parties."""
    problems = []
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
