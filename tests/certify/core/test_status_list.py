"""Status lists as W3C's Bitstring Status List lays them out: one bit a document."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from certify.core import status_list
from certify.core.signing import b64url_decode

NOW = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


def test_the_first_index_is_the_left_most_bit_of_the_first_byte():
    bitstring = gzip.decompress(b64url_decode(status_list.encode([0, 9])[1:]))
    assert bitstring[:2] == bytes([0b1000_0000, 0b0100_0000])


def test_a_list_is_never_shorter_than_the_herd_privacy_floor_and_grows_to_hold_its_indexes():
    assert len(status_list.decode(status_list.encode([]))) * 8 == status_list.MIN_BITS
    large = status_list.decode(status_list.encode([status_list.MIN_BITS + 3]))
    assert status_list.is_set(large, status_list.MIN_BITS + 3)


def test_a_sparse_list_is_small_once_compressed():
    assert len(status_list.encode(range(1, 2000, 97))) < 200


def test_set_bits_read_back_and_no_others():
    bitstring = status_list.decode(status_list.encode([3, 17, 4096]))
    assert [i for i in range(5000) if status_list.is_set(bitstring, i)] == [3, 17, 4096]


def test_encoding_is_deterministic():
    assert status_list.encode([5, 1]) == status_list.encode([1, 5, 5])


@pytest.mark.parametrize("encoded", ["", "zAAAA", "u!!!", "u" + "A" * 40, 7])
def test_what_is_not_an_encoded_list_is_refused(encoded):
    with pytest.raises(status_list.StatusListError):
        status_list.decode(encoded)


def test_an_index_outside_the_list_is_refused():
    with pytest.raises(status_list.StatusListError, match="outside"):
        status_list.is_set(status_list.decode(status_list.encode([])), status_list.MIN_BITS)


def test_a_document_is_revoked_suspended_or_neither():
    listed = status_list.content(
        issuer="https://carbon.example",
        issued_at=NOW,
        valid_until=NOW,
        lists={"certificate": {"revocation": [2], "suspension": [3]}, "label": {}},
    )
    assert listed["issued_at"] == "2026-12-02T08:00:00+00:00"
    assert status_list.status(listed, kind="certificate", index=2) == "revoked"
    assert status_list.status(listed, kind="certificate", index=3) == "suspended"
    assert status_list.status(listed, kind="certificate", index=4) is None
    assert status_list.status(listed, kind="label", index=2) is None
    with pytest.raises(status_list.StatusListError, match="nothing of"):
        status_list.status(listed, kind="receipt", index=2)
