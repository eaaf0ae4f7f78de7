"""The audit log's hash chain: every entry seals the one before it.

Each workflow transition is appended to one log as an `Entry`: who (``actor``) did what
(``action``) to which ``subject`` (e.g. ``application:12``) and when (``at``, UTC), with
the subject as it was ``before`` and ``after``. An entry's hash is::

    sha256(previous_hash + canonical(fields)).hexdigest()

where ``previous_hash`` is the hash of the entry before (`GENESIS` for the first) and the
fields are all the others but ``hash``, the sequence number included, so entries cannot
be reordered or renumbered unnoticed. Sequences run 1, 2, 3... with no gaps.

`verify` streams a chain in constant memory and reports the first place it does not
hold. A chain shows that no entry was changed, removed or slipped in *among* the others;
it cannot show that the newest entries were not dropped, or that the whole tail was not
rewritten with fresh hashes. For that, keep a recent hash (the report's ``head``)
somewhere else and pass it back as ``anchor``: the chain must still contain it.

``before`` and ``after`` should hold plain JSON values; `link` stores them in the
canonical form it hashes (dates and times as ISO strings, Decimals as strings, tuples as
lists), which is also the form to store: reloaded as stored, they hash the same.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64
"""The previous hash of the first entry."""
FIRST_SEQUENCE = 1


def _utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"time {moment.isoformat()} has no timezone; times must be UTC")
    return moment.astimezone(UTC)


def _timestamp(moment: datetime) -> str:
    return _utc(moment).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def plain(value: Any) -> Any:
    """``value`` as plain JSON values, converted as the module docstring says."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        if not (math.isfinite(value) if isinstance(value, float) else value.is_finite()):
            raise ValueError(f"{value!r} has no JSON form")
        return value if isinstance(value, float) else str(value)
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("only text keys have one canonical JSON form")
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    raise TypeError(f"a {type(value).__name__} has no canonical JSON form")


def canonical(fields: Mapping[str, Any]) -> bytes:
    """``fields`` as canonical JSON: keys sorted, no whitespace, UTF-8, times as ``…Z``.

    Raises TypeError or ValueError for what has no single JSON form (sets, non-text
    keys, NaN, times without a timezone).
    """
    return json.dumps(
        plain(fields), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _fields(
    sequence: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> dict[str, Any]:
    return {
        "sequence": sequence,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "before": before,
        "after": after,
    }


def _digest(previous_hash: str, fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(previous_hash.encode("utf-8") + canonical(fields)).hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One audit-log entry; make them with `link`, which computes the hashes."""

    sequence: int
    at: datetime
    actor: str
    action: str
    subject: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    previous_hash: str
    hash: str

    def __post_init__(self) -> None:
        if not isinstance(self.at, datetime) or self.at.utcoffset() is None:
            raise ValueError(f"entry {self.sequence}: its time must be timezone-aware (UTC)")

    def fields(self) -> dict[str, Any]:
        """What the hash seals besides the previous hash: every field but the two hashes."""
        return _fields(
            self.sequence, self.at, self.actor, self.action, self.subject, self.before, self.after
        )


def link(
    previous: Entry | None,
    *,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    sequence: int | None = None,
) -> Entry:
    """The entry that follows ``previous`` (None: the first entry of the chain).

    ``sequence`` defaults to the next one; given, it must be that one (a ValueError
    otherwise), so `link` never makes a chain that `verify` rejects.
    """
    expected = FIRST_SEQUENCE if previous is None else previous.sequence + 1
    if sequence is None:
        sequence = expected
    elif sequence != expected:
        raise ValueError(f"the entry after {expected - 1} must be {expected}, not {sequence}")
    previous_hash = GENESIS if previous is None else previous.hash
    at = _utc(at)
    before = None if before is None else plain(before)
    after = None if after is None else plain(after)
    fields = _fields(sequence, at, actor, action, subject, before, after)
    return Entry(**fields, previous_hash=previous_hash, hash=_digest(previous_hash, fields))


class Fault(StrEnum):
    """Why a chain does not hold."""

    HASH_MISMATCH = "hash mismatch"
    """The entry's fields (or its hash) were changed: its hash does not seal them."""
    BROKEN_LINK = "broken link"
    """The entry's previous hash is not the hash of the entry before it."""
    SEQUENCE_GAP = "sequence gap"
    """The entry is not the next in sequence: one is missing, moved or slipped in."""
    ANCHOR_MISSING = "anchor missing"
    """The chain ends without the anchor hash: entries were dropped or rewritten."""


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What `verify` found.

    ``count``: the entries that verified (all of them when ``ok``); ``head``: the hash of
    the last of those (`GENESIS` if none). ``first_bad_sequence``: the sequence number at
    which the chain stops holding — the number the first failing entry should have had
    (for a gap, the missing one; for a missing anchor, the one after the last entry).
    """

    ok: bool
    count: int
    first_bad_sequence: int | None = None
    reason: Fault | None = None
    head: str = GENESIS


def _fault(entry: Entry, sequence: int, previous_hash: str) -> Fault | None:
    if entry.sequence != sequence:
        return Fault.SEQUENCE_GAP
    if entry.previous_hash != previous_hash:
        return Fault.BROKEN_LINK
    try:
        sealed = _digest(previous_hash, entry.fields())
    except (TypeError, ValueError):
        return Fault.HASH_MISMATCH
    return None if sealed == entry.hash else Fault.HASH_MISMATCH


def verify(entries: Iterable[Entry], *, anchor: str | None = None) -> ChainReport:
    """Check a whole chain, first entry first, holding one entry at a time.

    An empty chain is ok (unless an ``anchor`` is given). With ``anchor`` — a hash kept
    elsewhere from an earlier head — the chain must also contain that hash.
    """
    count, head, anchored = 0, GENESIS, anchor is None
    for entry in entries:
        sequence = FIRST_SEQUENCE + count
        fault = _fault(entry, sequence, head)
        if fault is not None:
            return ChainReport(False, count, sequence, fault, head)
        count, head = count + 1, entry.hash
        anchored = anchored or head == anchor
    if not anchored:
        return ChainReport(False, count, FIRST_SEQUENCE + count, Fault.ANCHOR_MISSING, head)
    return ChainReport(True, count, head=head)
