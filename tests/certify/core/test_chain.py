"""The audit log's hash chain: linking, and every kind of tampering found where it happened."""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.core.chain import (
    GENESIS,
    ChainReport,
    Entry,
    Fault,
    canonical,
    link,
    verify,
)

START = datetime(2025, 3, 1, 8, 30, tzinfo=UTC)
STATES = ["draft", "submitted", "in_review", "changes_requested", "resubmitted", "approved"]


def entries(n: int, start: Entry | None = None) -> Iterator[Entry]:
    """``n`` entries of one application's history, made one at a time."""
    previous = start
    for i in range(n):
        before = None if i == 0 else {"state": STATES[(i - 1) % len(STATES)]}
        previous = link(
            previous,
            at=START + timedelta(minutes=i),
            actor=f"user:{i % 3 + 1}",
            action="transition",
            subject="application:12",
            before=before,
            after={"state": STATES[i % len(STATES)]},
        )
        yield previous


def chain(n: int) -> list[Entry]:
    return list(entries(n))


def broken(at: int, reason: Fault, count: int | None = None) -> tuple:
    """What a report says of a chain that holds up to sequence ``at`` − 1."""
    return (False, at - 1 if count is None else count, at, reason)


def summary(report: ChainReport) -> tuple:
    return report.ok, report.count, report.first_bad_sequence, report.reason


# --- canonical JSON ------------------------------------------------------------------


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_text_as_utf8():
    fields = {"b": [1, 2.5, None, True], "a": "武陵源 景区", "c": {"z": 1, "y": {}}}
    assert canonical(fields) == (
        '{"a":"武陵源 景区","b":[1,2.5,null,true],"c":{"y":{},"z":1}}'.encode()
    )


def test_canonical_json_writes_times_in_utc_with_microseconds_and_z():
    beijing = timezone(timedelta(hours=8))
    assert canonical({"at": datetime(2025, 3, 1, 16, 30, tzinfo=beijing)}) == (
        b'{"at":"2025-03-01T08:30:00.000000Z"}'
    )
    assert canonical({"at": datetime(2025, 3, 1, 8, 30, 0, 7, tzinfo=UTC)}) == (
        b'{"at":"2025-03-01T08:30:00.000007Z"}'
    )


def test_canonical_json_writes_dates_decimals_and_tuples_as_json_would_store_them():
    assert canonical({"d": date(2024, 12, 31), "q": Decimal("105.50"), "t": (1, "x")}) == (
        b'{"d":"2024-12-31","q":"105.50","t":[1,"x"]}'
    )


@pytest.mark.parametrize(
    "value",
    [
        datetime(2025, 3, 1, 8, 30),
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        {1, 2},
        {1: "numeric key"},
        object(),
    ],
)
def test_canonical_json_refuses_what_has_no_single_json_form(value):
    with pytest.raises((TypeError, ValueError)):
        canonical({"value": value})


# --- linking -------------------------------------------------------------------------


def test_the_first_entry_is_number_one_and_links_to_genesis():
    first = next(entries(1))
    assert (first.sequence, first.previous_hash) == (1, GENESIS)
    assert GENESIS == "0" * 64


def test_an_entrys_hash_is_the_sha256_of_the_previous_hash_and_its_canonical_fields():
    first, second = chain(2)
    for entry, previous_hash in ((first, GENESIS), (second, first.hash)):
        expected = hashlib.sha256(
            previous_hash.encode()
            + canonical(
                {
                    "sequence": entry.sequence,
                    "at": entry.at,
                    "actor": entry.actor,
                    "action": entry.action,
                    "subject": entry.subject,
                    "before": entry.before,
                    "after": entry.after,
                }
            )
        ).hexdigest()
        assert entry.hash == expected
    assert second.previous_hash == first.hash and second.sequence == 2


def test_linking_stores_the_time_in_utc_and_the_states_in_canonical_form():
    beijing = timezone(timedelta(hours=8))
    before = {"period_end": date(2024, 12, 31), "tco2e": Decimal("12.5"), "ids": (3, 4)}
    entry = link(
        None,
        at=datetime(2025, 3, 1, 16, 30, tzinfo=beijing),
        actor="user:1",
        action="submit",
        subject="application:12",
        before=before,
        after=None,
    )
    assert entry.at == START and entry.at.tzinfo is UTC
    assert entry.before == {"period_end": "2024-12-31", "tco2e": "12.5", "ids": [3, 4]}


def test_changing_the_callers_dict_after_linking_does_not_change_the_entry():
    after = {"state": "submitted"}
    entry = link(
        None,
        at=START,
        actor="user:1",
        action="submit",
        subject="application:12",
        before=None,
        after=after,
    )
    after["state"] = "approved"
    assert entry.after == {"state": "submitted"}
    assert verify([entry]).ok


def test_an_entry_reloaded_as_stored_verifies():
    first, second = chain(2)
    reloaded = [
        dataclasses.replace(
            e,
            at=datetime.fromisoformat(e.at.isoformat()),
            before=None if e.before is None else dict(e.before),
        )
        for e in (first, second)
    ]
    assert verify(reloaded).ok


def test_linking_a_time_without_a_timezone_is_refused():
    with pytest.raises(ValueError, match="no timezone"):
        link(
            None, at=datetime(2025, 3, 1), actor="user:1", action="submit", subject="application:12"
        )


def test_an_entry_needs_a_timezone_aware_time():
    first = next(entries(1))
    with pytest.raises(ValueError, match="timezone-aware"):
        dataclasses.replace(first, at=datetime(2025, 3, 1))


def test_linking_with_the_next_sequence_given_explicitly_is_the_same_as_leaving_it_out():
    first = next(entries(1))
    kwargs = {"at": START, "actor": "user:2", "action": "start_review", "subject": "application:12"}
    assert link(first, sequence=2, **kwargs) == link(first, **kwargs)


@pytest.mark.parametrize("sequence", [1, 3, 0])
def test_linking_with_any_other_sequence_is_refused(sequence):
    first = next(entries(1))
    with pytest.raises(ValueError, match="must be 2"):
        link(
            first,
            sequence=sequence,
            at=START,
            actor="user:2",
            action="start_review",
            subject="application:12",
        )


# --- verifying -----------------------------------------------------------------------


def test_an_empty_chain_is_ok():
    assert verify([]) == ChainReport(
        ok=True, count=0, first_bad_sequence=None, reason=None, head=GENESIS
    )


def test_an_intact_chain_is_ok_and_reports_its_head():
    log = chain(7)
    assert verify(log) == ChainReport(ok=True, count=7, head=log[-1].hash)
    assert verify(iter(log)).ok


TAMPERINGS = {
    "sequence": (lambda e: e.sequence + 10, Fault.SEQUENCE_GAP),
    "at": (lambda e: e.at + timedelta(microseconds=1), Fault.HASH_MISMATCH),
    "actor": (lambda e: "user:99", Fault.HASH_MISMATCH),
    "action": (lambda e: "approve", Fault.HASH_MISMATCH),
    "subject": (lambda e: "application:13", Fault.HASH_MISMATCH),
    "before": (lambda e: {**(e.before or {}), "note": "edited"}, Fault.HASH_MISMATCH),
    "after": (lambda e: {**e.after, "note": "edited"}, Fault.HASH_MISMATCH),
    "previous_hash": (lambda e: "1" * 64, Fault.BROKEN_LINK),
    "hash": (lambda e: hashlib.sha256(b"forged").hexdigest(), Fault.HASH_MISMATCH),
}


@pytest.mark.parametrize("position", range(5))
@pytest.mark.parametrize("field", TAMPERINGS)
def test_tampering_with_any_field_of_any_entry_is_found_at_that_entry(field, position):
    log = chain(5)
    change, fault = TAMPERINGS[field]
    tampered = change(log[position])
    assert tampered != getattr(log[position], field)
    log[position] = dataclasses.replace(log[position], **{field: tampered})
    assert summary(verify(log)) == broken(position + 1, fault)


def test_clearing_the_before_state_is_tampering():
    log = chain(3)
    log[1] = dataclasses.replace(log[1], before=None)
    assert summary(verify(log)) == broken(2, Fault.HASH_MISMATCH)


def test_an_entry_whose_fields_cannot_be_hashed_is_a_hash_mismatch():
    log = chain(3)
    log[1] = dataclasses.replace(log[1], after={"state": {"a", "set"}})
    assert summary(verify(log)) == broken(2, Fault.HASH_MISMATCH)


@pytest.mark.parametrize("position", range(5))
def test_deleting_an_entry_is_a_gap_at_its_sequence(position):
    log = chain(6)
    del log[position]
    assert summary(verify(log)) == broken(position + 1, Fault.SEQUENCE_GAP)


@pytest.mark.parametrize("position", range(5))
def test_swapping_two_entries_is_a_gap_where_the_first_should_be(position):
    log = chain(6)
    log[position], log[position + 1] = log[position + 1], log[position]
    assert summary(verify(log)) == broken(position + 1, Fault.SEQUENCE_GAP)


@pytest.mark.parametrize("position", range(5))
def test_swapping_two_entries_and_their_numbers_is_a_broken_link(position):
    log = chain(6)
    first, second = log[position], log[position + 1]
    log[position] = dataclasses.replace(second, sequence=first.sequence)
    log[position + 1] = dataclasses.replace(first, sequence=second.sequence)
    assert summary(verify(log)) == broken(position + 1, Fault.BROKEN_LINK)


@pytest.mark.parametrize("position", range(6))
def test_inserting_a_copy_of_an_entry_is_a_gap_where_it_was_slipped_in(position):
    log = chain(6)
    log.insert(position + 1, log[position])
    assert summary(verify(log)) == broken(position + 2, Fault.SEQUENCE_GAP)


@pytest.mark.parametrize("position", range(5))
def test_inserting_a_well_forged_entry_breaks_the_chain_at_the_entry_it_displaces(position):
    log = chain(6)
    forged = link(
        log[position],
        at=START,
        actor="user:66",
        action="approve",
        subject="application:12",
        before=None,
        after={"state": "approved"},
    )
    log.insert(position + 1, forged)
    assert summary(verify(log)) == broken(position + 3, Fault.SEQUENCE_GAP)


def test_dropping_the_newest_entries_needs_an_anchor_to_be_found():
    log = chain(6)
    anchor = verify(log).head
    assert verify(log[:4]).ok
    report = verify(log[:4], anchor=anchor)
    assert summary(report) == broken(5, Fault.ANCHOR_MISSING, count=4)
    assert report.head == log[3].hash


def test_rewriting_the_whole_tail_needs_an_anchor_to_be_found():
    log = chain(6)
    anchor = log[4].hash
    rewritten = log[:2]
    for old in log[2:]:
        rewritten.append(
            link(
                rewritten[-1],
                at=old.at,
                actor="user:66",
                action=old.action,
                subject=old.subject,
                before=old.before,
                after=old.after,
            )
        )
    assert verify(rewritten).ok
    assert summary(verify(rewritten, anchor=anchor)) == broken(7, Fault.ANCHOR_MISSING, 6)


def test_an_anchor_from_earlier_in_a_chain_that_has_grown_is_ok():
    log = chain(6)
    assert verify(log, anchor=log[2].hash) == ChainReport(ok=True, count=6, head=log[-1].hash)


def test_an_empty_chain_with_an_anchor_is_missing_it():
    assert summary(verify([], anchor="a" * 64)) == broken(1, Fault.ANCHOR_MISSING)


def test_a_chain_that_does_not_start_at_genesis_is_a_broken_link():
    log = chain(4)
    assert summary(verify(log[:1] + list(entries(2, start=log[2])))) == (
        broken(2, Fault.SEQUENCE_GAP)
    )
    renumbered = [dataclasses.replace(e, sequence=e.sequence - 2) for e in log[2:]]
    assert summary(verify(renumbered)) == broken(1, Fault.BROKEN_LINK)


@given(st.data(), st.integers(1, 12))
def test_any_single_tampering_is_found_at_the_entry_tampered_with(data, length):
    log = chain(length)
    position = data.draw(st.integers(0, length - 1), label="position")
    field = data.draw(st.sampled_from(sorted(TAMPERINGS)), label="field")
    change, fault = TAMPERINGS[field]
    tampered = change(log[position])
    assert tampered != getattr(log[position], field)
    log[position] = dataclasses.replace(log[position], **{field: tampered})
    assert summary(verify(log)) == broken(position + 1, fault)


@pytest.mark.slow
def test_a_long_chain_verifies_in_constant_memory():
    """Python's allocated blocks, sampled as 100,000 entries stream by, do not grow.

    Keeping even one small object per entry would add ~90,000 blocks; the allowance
    leaves room only for the interpreter's own caches. (Cheaper than tracemalloc.)
    """
    n, every = 100_000, 10_000
    blocks: list[int] = []

    def watched() -> Iterator[Entry]:
        for entry in entries(n):
            if entry.sequence % every == 0:
                blocks.append(sys.getallocatedblocks())
            yield entry

    report = verify(watched())
    assert report.ok and report.count == n
    assert len(blocks) == n // every
    assert max(blocks) - blocks[0] < 1_000, f"allocated blocks grew: {blocks}"
