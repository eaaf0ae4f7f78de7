"""JWS compact tokens signed with EdDSA, and the short document tokens of QR codes."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature

from certify.core.signing.canonical import (
    MAX_SAFE_INTEGER,
    b64url_decode,
    b64url_encode,
    canonical_json,
    is_int,
    show,
)
from certify.core.signing.keys import (
    ALG,
    EPOCH,
    MICROS,
    Keys,
    SigningKey,
    VerifyingKey,
    aware,
    in_use,
    jwks,
    key_map,
    seconds,
)

TYP = "JWT"
"""The ``typ`` of tokens made before `SHORT_KID_LENGTH`; still read, no longer written."""
SHORT_KID_LENGTH = 8
"""A token names its key by the first 8 characters (48 bits) of its kid, not all 43 of
the thumbprint: a label's QR code is then small enough to scan (issue 15). The JWK Set
lists each key under both (`key_set`), so that any JOSE library finds it by either."""
MAX_TOKEN_LENGTH = 2048
CLOCK_SKEW = timedelta(minutes=5)
"""How far in the future a token's ``iat`` (or ``nbf``) may be, for clocks that differ."""
KIND_CODES = {"certificate": "c", "label": "l"}
"""The document kinds a document token names, and their one-letter codes."""
FACT_CODES = {
    "number": "n",
    "subject": "s",
    "period_start": "ps",
    "period_end": "pe",
    "total_tco2e": "t",
    "credits_tco2e": "cr",
    "net_tco2e": "net",
    "valid_until": "u",
}
"""What a certificate's token may state of it, for an inspector with no network, and the
short member names that keep the QR small; every value is text."""
HEADER_MEMBERS = frozenset({"alg", "kid", "typ"})
TIME_CLAIMS = ("iat", "nbf", "exp")
SIGNATURE_BYTES = 64

_KINDS = {code: kind for kind, code in KIND_CODES.items()}
_FACTS = {code: name for name, code in FACT_CODES.items()}
_DOCUMENT_CLAIMS = frozenset({"k", "id", "iat"})
_SKEW = CLOCK_SKEW // timedelta(seconds=1)


class InvalidToken(ValueError):
    """A token is malformed, badly signed, or not acceptable; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- tokens (JWS compact serialization) ----------------------------------------------


def short_kid(kid: str) -> str:
    """How a token names the key ``kid``."""
    return kid[:SHORT_KID_LENGTH]


def key_set(keys: Iterable[VerifyingKey | SigningKey]) -> dict[str, list[dict[str, str]]]:
    """The JWK Set of keys that sign tokens: each key under its kid, and again under its
    `short_kid` (tokens made since name it so; those made before, by its kid)."""
    listed = [*keys]
    short = [
        replace(key, kid=short_kid(key.kid)) for key in listed if short_kid(key.kid) != key.kid
    ]
    return jwks([*listed, *short])


def _key_named(found: Mapping[str, VerifyingKey], kid: str) -> VerifyingKey:
    """The key a token's header names: by its kid (tokens made before `SHORT_KID_LENGTH`),
    or by its `short_kid`, which must name one key only."""
    if kid in found:
        return found[kid]
    named = [key for full, key in found.items() if short_kid(full) == kid]
    if len(named) > 1:
        raise InvalidToken(f"kid {show(kid)} names more than one key")
    if not named:
        raise InvalidToken(f"unknown kid {show(kid)}")
    return named[0]


def sign_token(payload: Mapping[str, Any], key: SigningKey) -> str:
    """The JWS of ``payload`` signed with ``key``.

    Refuses (`ValueError`) a payload with no canonical JSON, time claims that are not
    whole seconds, an ``iat`` outside the key's period of use, and a token longer than
    `MAX_TOKEN_LENGTH`: all things `verify_token` would refuse.
    """
    if not isinstance(payload, Mapping):
        raise ValueError("a token's payload must be an object")
    for claim in TIME_CLAIMS:
        if claim in payload and not is_int(payload[claim]):
            raise ValueError(f"{claim} must be whole seconds since the epoch")
    body = canonical_json(payload)
    if "iat" in payload and not in_use(key, payload["iat"] * MICROS):
        raise ValueError(f"key {key.kid} is not in use at iat {payload['iat']}")
    header = canonical_json({"alg": ALG, "kid": short_kid(key.kid)})
    signing_input = f"{b64url_encode(header)}.{b64url_encode(body)}"
    signature = key.private_key.sign(signing_input.encode("ascii"))
    token = f"{signing_input}.{b64url_encode(signature)}"
    if len(token) > MAX_TOKEN_LENGTH:
        raise ValueError(f"the token would be {len(token)} characters, over {MAX_TOKEN_LENGTH}")
    return token


def _decode_json(part: str, name: str) -> Any:
    try:
        raw = b64url_decode(part)
    except ValueError:
        raise InvalidToken(f"the {name} is not base64url without padding") from None
    try:
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise InvalidToken(f"the {name} is not JSON") from None
    try:
        canonical = canonical_json(value)
    except ValueError:
        canonical = None
    if canonical != raw:
        raise InvalidToken(f"the {name} is not canonical JSON")
    if not isinstance(value, dict):
        raise InvalidToken(f"the {name} must be a JSON object")
    return value


def _check_header(header: dict[str, Any]) -> str:
    for name in header:
        if name not in HEADER_MEMBERS:
            raise InvalidToken(f"unexpected header member {show(name)}")
    if header.get("alg") != ALG:
        raise InvalidToken(f"alg must be {ALG}, not {show(header.get('alg'))}")
    if header.get("typ", TYP) != TYP:
        raise InvalidToken(f"typ must be {TYP}, not {show(header.get('typ'))}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("the header names no kid")
    return kid


def _check_times(payload: dict[str, Any], key: VerifyingKey, now: int) -> None:
    for claim in TIME_CLAIMS:
        if claim in payload and not is_int(payload[claim]):
            raise InvalidToken(f"{claim} must be whole seconds since the epoch")
    iat = payload.get("iat")
    if iat is not None and iat > now + _SKEW:
        raise InvalidToken("the token was issued in the future")
    if "nbf" in payload and payload["nbf"] > now + _SKEW:
        raise InvalidToken("the token is not valid yet")
    if "exp" in payload and now >= payload["exp"] + _SKEW:
        raise InvalidToken("the token has expired")
    when = iat if iat is not None else now
    if not in_use(key, when * MICROS):
        moment = "its iat" if iat is not None else "the time of verification"
        raise InvalidToken(f"key {key.kid} was not in use at {moment}")


def _verify(token: str, keys: Keys, at: datetime | None) -> tuple[VerifyingKey, dict[str, Any]]:
    found = key_map(keys)
    now = seconds(datetime.now(UTC) if at is None else aware(at, "at"))
    if not isinstance(token, str):
        raise InvalidToken("a token must be text")
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken(f"the token is longer than {MAX_TOKEN_LENGTH} characters")
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("a token has three parts separated by dots")
    header_part, payload_part, signature_part = parts
    header = _decode_json(header_part, "header")
    try:
        b64url_decode(payload_part)  # its text is what is signed: it must be base64url first
    except ValueError:
        raise InvalidToken("the payload is not base64url without padding") from None
    key = _key_named(found, _check_header(header))
    try:
        signature = b64url_decode(signature_part)
    except ValueError:
        raise InvalidToken("the signature is not base64url without padding") from None
    if len(signature) != SIGNATURE_BYTES:
        raise InvalidToken(f"the signature must be {SIGNATURE_BYTES} bytes")
    try:
        key.public_key.verify(signature, f"{header_part}.{payload_part}".encode("ascii"))
    except InvalidSignature:
        raise InvalidToken("the signature does not match") from None
    payload = _decode_json(payload_part, "payload")
    _check_times(payload, key, now)
    return key, payload


def verify_token(token: str, keys: Keys, at: datetime | None = None) -> dict[str, Any]:
    """The payload of a token signed by one of ``keys``, or `InvalidToken` saying why.

    ``keys`` maps kids to keys, or lists keys; ``at`` is the time of verification
    (default: now). See the `certify.core.signing` docstring for what is checked.
    """
    return _verify(token, keys, at)[1]


# --- document tokens -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentToken:
    """What a verified document token says: which document, when, under which key, and
    (a certificate's, since tokens carry them) the facts it states."""

    kind: str
    document_id: int
    issued_at: datetime
    kid: str
    facts: Mapping[str, str] | None = None
    """By `FACT_CODES` name; None for a token that names the document only."""


def document_token(
    kind: str,
    document_id: int,
    issued_at: datetime,
    key: SigningKey,
    *,
    facts: Mapping[str, str] | None = None,
) -> str:
    """The token for the QR code of a certificate or label.

    ``issued_at`` is when the token is made (normally now), not the document's own date:
    it must fall in the key's period of use, so a document older than the key gets a
    token dated now. It is kept to the second. ``facts`` (names of `FACT_CODES`, text
    values) go in the payload's ``f`` member, so that the QR itself shows what the
    document states; without them the token stays as small as a label's QR needs.
    """
    if kind not in KIND_CODES:
        raise ValueError(f"kind must be one of {', '.join(KIND_CODES)}, not {show(kind)}")
    if not is_int(document_id) or not 1 <= document_id <= MAX_SAFE_INTEGER:
        raise ValueError(f"document id must be a positive whole number, not {show(document_id)}")
    iat = seconds(aware(issued_at, "issued_at"))
    payload: dict[str, Any] = {"k": KIND_CODES[kind], "id": document_id, "iat": iat}
    if facts is not None:
        unknown = [name for name in facts if name not in FACT_CODES]
        if unknown or not all(isinstance(value, str) for value in facts.values()):
            raise ValueError(f"facts must be text, named among {', '.join(FACT_CODES)}")
        payload["f"] = {FACT_CODES[name]: value for name, value in facts.items()}
    return sign_token(payload, key)


def _facts(claimed: Any) -> dict[str, str]:
    if not isinstance(claimed, dict) or not claimed:
        raise InvalidToken("the facts (f) must be a non-empty object")
    facts = {}
    for code, value in claimed.items():
        if code not in _FACTS:
            raise InvalidToken(f"unknown fact {show(code)}")
        if not isinstance(value, str):
            raise InvalidToken(f"the fact {show(code)} must be text")
        facts[_FACTS[code]] = value
    return facts


def read_document_token(token: str, keys: Keys, at: datetime | None = None) -> DocumentToken:
    """The document a token names, once `verify_token` accepts it; else `InvalidToken`.

    Both forms are read: the small one (``k``, ``id``, ``iat``), as on every token
    printed before facts were added, and the same with the facts in ``f``."""
    key, payload = _verify(token, keys, at)
    if set(payload) not in (_DOCUMENT_CLAIMS, _DOCUMENT_CLAIMS | {"f"}):
        raise InvalidToken("not a document token: the payload must be k, id, iat (and f)")
    kind = _KINDS.get(payload["k"]) if isinstance(payload["k"], str) else None
    if kind is None:
        raise InvalidToken(f"unknown document kind {show(payload['k'])}")
    if not is_int(payload["id"]) or payload["id"] < 1:
        raise InvalidToken("the document id must be a positive whole number")
    return DocumentToken(
        kind,
        payload["id"],
        EPOCH + timedelta(seconds=payload["iat"]),
        key.kid,
        _facts(payload["f"]) if "f" in payload else None,
    )
