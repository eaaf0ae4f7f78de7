"""The registry ledger: its events sealed in a hash chain, and replaying them into what
every serial's holder and status must be.

The ledger is the registry's record of truth; the block table is the fast index of
it. Each event is a `Record` whose every field is sealed into a hash chain, as the
audit log's entries are (`certify.core.chain`): changing, removing or slipping in an
event breaks the chain. Replaying issue, buffer, transfer, retire and cancel events in
order gives, per issuance, the segments (range, holder, retirement, cancelled) the block
table must hold; `certify.services.ledger.check` compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from certify.core import chain
from certify.core.serials import Block


@dataclass(frozen=True, slots=True)
class Record:
    """What one ledger event states; all of it is sealed by the event's hash."""

    at: datetime
    actor_id: int | None
    kind: str
    issuance_id: int
    number_start: int
    number_end: int
    quantity: int
    from_id: int | None = None
    to_id: int | None = None
    reference_id: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    """Whatever else the event reports: serial strings, a retirement's beneficiary and
    purpose."""

    def _sealed(self) -> dict[str, Any]:
        return {
            "actor": "system" if self.actor_id is None else f"user:{self.actor_id}",
            "action": self.kind,
            "subject": f"issuance:{self.issuance_id}",
            "after": chain.plain(
                {
                    "number_start": self.number_start,
                    "number_end": self.number_end,
                    "quantity": self.quantity,
                    "from_id": self.from_id,
                    "to_id": self.to_id,
                    "reference_id": self.reference_id,
                    "detail": dict(self.detail),
                }
            ),
        }

    def link(self, previous: chain.Entry | None) -> chain.Entry:
        """This event as the entry that follows ``previous`` in the ledger's chain."""
        return chain.link(previous, at=self.at, **self._sealed())

    def stored(self, *, sequence: int, previous_hash: str, hash: str) -> chain.Entry:
        """This event as stored with its place and hashes, for `chain.verify`."""
        return chain.Entry(
            sequence=sequence,
            at=self.at,
            before=None,
            previous_hash=previous_hash,
            hash=hash,
            **self._sealed(),
        )


@dataclass(frozen=True, slots=True)
class Segment:
    block: Block
    holder: int
    retirement: int | None = None
    cancelled: bool = False
    """Taken out of circulation with no retirement (credits issued with no removal
    behind them): never transferred, retired or counted again."""


@dataclass(frozen=True, slots=True)
class Event:
    issuance: int
    kind: str  # issue | buffer | transfer | retire | cancel
    block: Block
    to: int | None = None
    reference: int | None = None


class ReplayError(ValueError):
    """The ledger itself is inconsistent (e.g. a retirement of serials never issued)."""


def _apply(segments: list[Segment], event: Event) -> list[Segment]:
    if event.kind in ("issue", "buffer"):
        if any(s.block.overlaps(event.block) for s in segments):
            raise ReplayError(f"issuance {event.issuance}: serials issued twice")
        assert event.to is not None
        return [*segments, Segment(event.block, event.to)]
    covered = sum(
        s.block.intersection(event.block).count for s in segments if s.block.overlaps(event.block)
    )
    if covered != event.block.count:
        raise ReplayError(f"issuance {event.issuance}: {event.kind} of serials never issued")
    out: list[Segment] = []
    for segment in segments:
        inside = segment.block.intersection(event.block)
        if inside is None:
            out.append(segment)
            continue
        if segment.retirement is not None or segment.cancelled:
            state = "retired" if segment.retirement is not None else "cancelled"
            raise ReplayError(f"issuance {event.issuance}: {event.kind} of {state} serials")
        out += [Segment(piece, segment.holder) for piece in segment.block.subtract(event.block)]
        if event.kind == "transfer":
            assert event.to is not None
            out.append(Segment(inside, event.to))
        elif event.kind == "retire":
            out.append(Segment(inside, segment.holder, event.reference))
        elif event.kind == "cancel":
            out.append(Segment(inside, segment.holder, cancelled=True))
        else:
            raise ReplayError(f"unknown event kind {event.kind!r}")
    return out


def normalise(segments: Iterable[Segment]) -> list[Segment]:
    """Sorted, with adjacent segments of the same holder and retirement joined."""
    joined: list[Segment] = []
    for segment in sorted(segments, key=lambda s: s.block.start):
        last = joined[-1] if joined else None
        if (
            last
            and last.holder == segment.holder
            and last.retirement == segment.retirement
            and last.cancelled == segment.cancelled
            and last.block.end + 1 == segment.block.start
        ):
            joined[-1] = Segment(
                Block(last.block.start, segment.block.end),
                last.holder,
                last.retirement,
                last.cancelled,
            )
        else:
            joined.append(segment)
    return joined


def replay(events: Iterable[Event]) -> dict[int, list[Segment]]:
    state: dict[int, list[Segment]] = {}
    for event in events:
        state[event.issuance] = _apply(state.get(event.issuance, []), event)
    return {issuance: normalise(segments) for issuance, segments in state.items()}


def differences(
    expected: Mapping[int, list[Segment]], actual: Mapping[int, list[Segment]]
) -> list[str]:
    """Human-readable differences between the replayed ledger and the block table."""
    problems = []
    for issuance in sorted(set(expected) | set(actual)):
        want, have = expected.get(issuance, []), normalise(actual.get(issuance, []))
        if want != have:
            problems.append(f"issuance {issuance}: ledger says {want}, blocks say {have}")
    return problems
