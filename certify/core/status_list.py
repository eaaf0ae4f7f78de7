"""Status lists: which issued documents are revoked or suspended, as signed bitstrings.

In the spirit of the W3C Bitstring Status List: one bit a document, at the document's
index (its id), the first index the left-most bit of the first byte; set means the
status applies. The bitstring is at least `MIN_BITS` long (so one list says nothing
about how many documents there are, W3C's herd-privacy floor), GZIP-compressed and
base64url-encoded with the multibase prefix ``u``. A list is plain JSON content signed
by the district with a detached Ed25519 signature (`certify.core.signing`), so an
inspector with a cached copy and the published keys checks a document's status with no
network, knowing how old the copy is.

Pure: standard library only, like the offline verifier that reads it.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from certify.core.signing.canonical import b64url_decode, b64url_encode

MIN_BITS = 131_072
"""16 KiB of bits: W3C's minimum, which compresses to a few dozen bytes when sparse."""
PURPOSES = ("revocation", "suspension")
MULTIBASE_BASE64URL = "u"
MAX_ENCODED_BYTES = 1 << 20
"""A list larger than this, compressed, is refused rather than inflated."""


class StatusListError(ValueError):
    """A status list is malformed or says nothing of what was asked."""


def encode(indexes: Iterable[int], *, size: int = MIN_BITS) -> str:
    """The encoded bitstring with the bits at ``indexes`` set, ``size`` bits or more
    (rounded up to whole bytes, and to hold the largest index)."""
    wanted = sorted(set(indexes))
    if wanted and wanted[0] < 0:
        raise ValueError("indexes are whole numbers from 0")
    bits = max(size, MIN_BITS, (wanted[-1] + 1) if wanted else 0)
    bitstring = bytearray((bits + 7) // 8)
    for index in wanted:
        bitstring[index // 8] |= 0x80 >> (index % 8)
    return MULTIBASE_BASE64URL + b64url_encode(gzip.compress(bytes(bitstring), mtime=0))


def decode(encoded: str) -> bytes:
    """The bitstring of an encoded list, or `StatusListError`."""
    if not isinstance(encoded, str) or not encoded.startswith(MULTIBASE_BASE64URL):
        raise StatusListError("an encoded list is base64url text with the multibase prefix u")
    if len(encoded) > MAX_ENCODED_BYTES:
        raise StatusListError("the encoded list is too large")
    try:
        return gzip.decompress(b64url_decode(encoded[1:]))
    except (ValueError, OSError, EOFError) as error:
        raise StatusListError(f"the encoded list does not decode: {error}") from None


def is_set(bitstring: bytes, index: int) -> bool:
    """Whether the bit at ``index`` is set; an index past the end is `StatusListError`."""
    if not 0 <= index < len(bitstring) * 8:
        raise StatusListError(f"index {index} is outside the list of {len(bitstring) * 8}")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def content(
    *, issuer: str, issued_at: datetime, valid_until: datetime, lists: Mapping[str, Any]
) -> dict[str, Any]:
    """The list's content to sign: ``lists`` maps a document kind to, per purpose, the
    indexes whose bit is set."""
    return {
        "type": "BitstringStatusList",
        "issuer": issuer,
        "issued_at": issued_at.isoformat(timespec="seconds"),
        "valid_until": valid_until.isoformat(timespec="seconds"),
        "lists": {
            kind: {purpose: encode(by_purpose.get(purpose, ())) for purpose in PURPOSES}
            for kind, by_purpose in lists.items()
        },
    }


def status(listed: Mapping[str, Any], *, kind: str, index: int) -> str | None:
    """``revoked``, ``suspended`` or None (neither) for a document in a list's content."""
    lists = listed.get("lists")
    by_purpose = lists.get(kind) if isinstance(lists, Mapping) else None
    if not isinstance(by_purpose, Mapping):
        raise StatusListError(f"the list says nothing of {kind} documents")
    for purpose, answer in (("revocation", "revoked"), ("suspension", "suspended")):
        if purpose not in by_purpose:
            raise StatusListError(f"the list has no {purpose} bits for {kind} documents")
        if is_set(decode(by_purpose[purpose]), index):
            return answer
    return None
