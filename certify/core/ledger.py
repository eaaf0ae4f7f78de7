"""Replaying the registry ledger: what every serial's holder and status must be.

The ledger is the registry's record of truth; the block table is the fast index of
it. Replaying issue, buffer, transfer and retire events in order gives, per issuance,
the segments (range, holder, retirement) the block table must hold; `check` compares.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from certify.core.serials import Block


@dataclass(frozen=True, slots=True)
class Segment:
    block: Block
    holder: int
    retirement: int | None = None


@dataclass(frozen=True, slots=True)
class Event:
    issuance: int
    kind: str  # issue | buffer | transfer | retire
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
        if segment.retirement is not None:
            raise ReplayError(f"issuance {event.issuance}: {event.kind} of retired serials")
        out += [Segment(piece, segment.holder) for piece in segment.block.subtract(event.block)]
        if event.kind == "transfer":
            assert event.to is not None
            out.append(Segment(inside, event.to))
        elif event.kind == "retire":
            out.append(Segment(inside, segment.holder, event.reference))
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
            and last.block.end + 1 == segment.block.start
        ):
            joined[-1] = Segment(
                Block(last.block.start, segment.block.end), last.holder, last.retirement
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
