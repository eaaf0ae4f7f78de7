"""Signatures on certificates and labels: canonical JSON, Ed25519 keys, JWS tokens.

Pure: no Flask, no database, no files (the keys on disk are `certify.keystore`'s).

**Canonical JSON** (`canonical_json`) follows RFC 8785 (JCS): UTF-8, object members
sorted by the UTF-16 code units of their names, no whitespace, strings escaped as
ECMAScript's ``JSON.stringify`` does (``\\" \\\\ \\b \\t \\n \\f \\r``, other controls as
``\\u00xx``, everything else literal). It takes only what has one unambiguous text:

- ``None``, ``bool``, ``str`` (valid Unicode: no lone surrogates), ``list`` and ``tuple``
  (both become arrays), and mappings with ``str`` keys;
- ``int`` within ±(2**53 − 1), the integers every JSON reader (RFC 7493, I-JSON) and
  JCS's IEEE-754 number form hold exactly;
- ``Decimal`` as a JSON *string* of its plain decimal text with no exponent and no
  trailing zeros (``Decimal("12.500")`` → ``"12.5"``, ``Decimal("1E+2")`` → ``"100"``,
  ``-0`` → ``"0"``). Equal numbers give equal bytes, so a quantity read back from a
  ``NUMERIC(12, 3)`` column verifies against the ``Decimal("12.5")`` that was signed.
  The text is a string, so ``Decimal("1.5")`` and ``"1.5"`` sign alike: the content's
  schema, not the signature, says which fields are numbers.

Everything else is refused with a `ValueError` naming where in the value it is: every
``float`` (NaN and ±Infinity included; exact decimals go as ``Decimal``), non-finite
Decimals, non-text keys, other types, and nesting deeper than `MAX_DEPTH`.

**Keys** are Ed25519. A key's ``kid`` is 1–64 base64url characters (by default the RFC
7638 JWK thumbprint of its public key); it is in use from ``not_before`` until
``not_after`` (None while it is the active key). Public keys are published as JWKs (RFC
7517, RFC 8037) with standard members only. `fingerprint` is for people: the first 16
hex digits of SHA-256 over the raw 32-byte public key, uppercase, in groups of four
(``"3F2A 9C01 77B0 12DE"``), to read aloud or compare against a printed certificate.

**Tokens** are JWS compact serializations (RFC 7515) signed with EdDSA (RFC 8037):
``BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature)`` where header and
payload are canonical JSON and the header is ``{"alg":"EdDSA","kid":…,"typ":"JWT"}``.
Any JOSE library verifies them from the published JWK Set. `verify_token` is stricter
than such a library: it refuses any other header member or alg, padded or non-canonical
base64url, and a header or payload that is not exactly its own canonical JSON, so each
token has exactly one spelling. Time claims are whole seconds: the key must have been
in use at ``iat`` (at the moment of verification if there is none), ``iat`` may not be
more than `CLOCK_SKEW` in the future, and ``exp``/``nbf`` are honoured if present.
Whether a key or a document has been revoked is not this module's business.

Document tokens, for the QR codes of certificates and labels, carry only
``{"k": "c" | "l", "id": 123, "iat": 1732400000}`` so they stay short (about 240
characters with a thumbprint kid).

**Detached signatures** (`sign_detached`) sign the canonical JSON of an object, such as
a certificate's content or a verifier's sign-off, and are kept beside it as a record
``{"kid", "alg": "EdDSA", "signature", "sha256"}``. Anyone can check one with plain
Ed25519 over the canonical bytes. Such bytes start with ``{`` and a JWS signing input
never does, so one signature cannot pass for the other.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ALG = "EdDSA"
TYP = "JWT"
MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 32
MAX_DECIMAL_EXPONENT = 100
MAX_TOKEN_LENGTH = 2048
CLOCK_SKEW = timedelta(minutes=5)
"""How far in the future a token's ``iat`` (or ``nbf``) may be, for clocks that differ."""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KIND_CODES = {"certificate": "c", "label": "l"}
"""The document kinds a document token names, and their one-letter codes."""
HEADER_MEMBERS = frozenset({"alg", "kid", "typ"})
TIME_CLAIMS = ("iat", "nbf", "exp")
SIGNATURE_BYTES = 64
PUBLIC_KEY_BYTES = 32

_KID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_ESCAPED = re.compile(r'["\\\x00-\x1f]')
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
            "\r": "\\r"}
_KINDS = {code: kind for kind, code in KIND_CODES.items()}
_SKEW = CLOCK_SKEW // timedelta(seconds=1)
_MICROS = 1_000_000


class InvalidToken(ValueError):
    """A token is malformed, badly signed, or not acceptable; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _show(value: object, limit: int = 24) -> str:
    """``value`` quoted for a message, cut short if long (inputs may be anything)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- canonical JSON ------------------------------------------------------------------


def _utf16(text: str, where: str) -> bytes:
    try:
        return text.encode("utf-16-be")
    except UnicodeEncodeError:
        raise ValueError(f"{where}: text must be valid Unicode, not hold a lone "
                         "surrogate") from None


def _string(text: str, where: str) -> str:
    _utf16(text, where)
    return '"' + _ESCAPED.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text) + '"'


def _decimal_text(value: Decimal, where: str) -> str:
    if not value.is_finite():
        raise ValueError(f"{where}: Decimal {value} is not a finite number")
    if value.is_zero():
        return "0"
    if abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise ValueError(f"{where}: Decimal {_show(value)} is beyond 10**±"
                         f"{MAX_DECIMAL_EXPONENT}")
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _write(value: object, out: list[str], where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {MAX_DEPTH}")
    if value is None:
        out.append("null")
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise ValueError(f"{where}: integer {_show(value)} is beyond ±(2**53 − 1)")
        out.append(str(int(value)))
    elif isinstance(value, str):
        out.append(_string(value, where))
    elif isinstance(value, Decimal):
        out.append(_string(_decimal_text(value, where), where))
    elif isinstance(value, float):
        raise ValueError(f"{where}: {value!r} is a float; use an int or a Decimal")
    elif isinstance(value, Mapping):
        members = []
        for key in value:
            if not isinstance(key, str):
                raise ValueError(f"{where}: object keys must be text, not {_show(key)}")
            members.append((_utf16(key, where), key))
        members.sort(key=lambda member: member[0])
        out.append("{")
        for i, (_, key) in enumerate(members):
            if i:
                out.append(",")
            out.append(_string(key, where))
            out.append(":")
            _write(value[key], out, f"{where}[{_show(key)}]", depth + 1)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out, f"{where}[{i}]", depth + 1)
        out.append("]")
    else:
        raise ValueError(f"{where}: {type(value).__name__} has no canonical JSON form")


def canonical_json(value: object) -> bytes:
    """The RFC 8785 canonical JSON of ``value`` as UTF-8 (see the module docstring)."""
    out: list[str] = []
    _write(value, out, "$", 0)
    return "".join(out).encode("utf-8")


# --- base64url -----------------------------------------------------------------------


def b64url_encode(data: bytes) -> str:
    """``data`` in base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The bytes of unpadded base64url ``text``; refuses any other spelling of them.

    Padding, ``+``/``/``, whitespace and unused low bits that are not zero are all
    refused (`ValueError`), so no two texts decode to the same bytes.
    """
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url without padding")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url_encode(data) != text:
        raise ValueError("not the canonical base64url of its bytes (stray bits at the end)")
    return data


# --- keys ----------------------------------------------------------------------------


def _micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _seconds(moment: datetime) -> int:
    """Whole seconds since the epoch, rounded down, as in ``iat``."""
    return (moment - EPOCH) // timedelta(seconds=1)


def _aware(moment: object, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a datetime with a time zone, not {_show(moment)}")
    return moment


def _check_key_fields(kid: object, not_before: object, not_after: object) -> None:
    if not isinstance(kid, str) or not _KID.fullmatch(kid):
        raise ValueError(f"kid {_show(kid)} must be 1–64 base64url characters")
    start = _aware(not_before, "not_before")
    if not_after is not None and _aware(not_after, "not_after") < start:
        raise ValueError("not_after comes before not_before")


def _in_use(key: VerifyingKey | SigningKey, micros: int) -> bool:
    start = _micros(key.not_before) // _MICROS * _MICROS
    return start <= micros and (key.not_after is None or micros < _micros(key.not_after))


@dataclass(frozen=True, slots=True)
class VerifyingKey:
    """A public key that checks signatures made while it was in use."""

    kid: str
    public_key: Ed25519PublicKey = field(hash=False)
    not_before: datetime
    not_after: datetime | None = None

    def __post_init__(self) -> None:
        _check_key_fields(self.kid, self.not_before, self.not_after)
        if not isinstance(self.public_key, Ed25519PublicKey):
            raise ValueError("a verifying key must be an Ed25519 public key")

    def valid_at(self, moment: datetime) -> bool:
        """Whether the key was in use at ``moment``: not_before ≤ moment < not_after.

        ``not_before`` counts from the start of its second, since an ``iat`` is the issue
        time rounded down to the second.
        """
        return _in_use(self, _micros(_aware(moment, "moment")))


@dataclass(frozen=True, slots=True, eq=False)
class SigningKey:
    """A private key that signs, while in use; `verifying_key` is its public half."""

    kid: str
    private_key: Ed25519PrivateKey = field(repr=False)
    not_before: datetime
    not_after: datetime | None = None

    def __post_init__(self) -> None:
        _check_key_fields(self.kid, self.not_before, self.not_after)
        if not isinstance(self.private_key, Ed25519PrivateKey):
            raise ValueError("a signing key must be an Ed25519 private key")

    @property
    def verifying_key(self) -> VerifyingKey:
        """The public half, with the same kid and period of use."""
        return VerifyingKey(self.kid, self.private_key.public_key(), self.not_before,
                            self.not_after)

    def valid_at(self, moment: datetime) -> bool:
        """Whether the key is in use at ``moment`` (see `VerifyingKey.valid_at`)."""
        return _in_use(self, _micros(_aware(moment, "moment")))


def _public(key: Ed25519PublicKey | VerifyingKey | SigningKey) -> Ed25519PublicKey:
    if isinstance(key, SigningKey):
        return key.private_key.public_key()
    if isinstance(key, VerifyingKey):
        return key.public_key
    if isinstance(key, Ed25519PublicKey):
        return key
    raise TypeError(f"not an Ed25519 key: {type(key).__name__}")


def _raw(key: Ed25519PublicKey | VerifyingKey | SigningKey) -> bytes:
    return _public(key).public_bytes(Encoding.Raw, PublicFormat.Raw)


def thumbprint(key: Ed25519PublicKey | VerifyingKey | SigningKey) -> str:
    """The RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": b64url_encode(_raw(key))}
    return b64url_encode(hashlib.sha256(canonical_json(members)).digest())


def fingerprint(key: Ed25519PublicKey | VerifyingKey | SigningKey) -> str:
    """The public key's fingerprint for people, e.g. ``"3F2A 9C01 77B0 12DE"``.

    The first 16 hex digits (64 bits) of SHA-256 over the raw 32-byte public key,
    uppercase, in four groups of four.
    """
    digits = hashlib.sha256(_raw(key)).hexdigest()[:16].upper()
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


def generate_key(kid: str | None = None, *, now: datetime) -> SigningKey:
    """A new Ed25519 key in use from ``now``; its kid defaults to its JWK thumbprint."""
    private_key = Ed25519PrivateKey.generate()
    return SigningKey(kid if kid is not None else thumbprint(private_key.public_key()),
                      private_key, _aware(now, "now"))


def public_jwk(key: VerifyingKey | SigningKey) -> dict[str, str]:
    """The public JWK (RFC 8037 ``OKP``/``Ed25519``) of a key; never its private part."""
    if not isinstance(key, VerifyingKey | SigningKey):
        raise TypeError(f"not a key: {type(key).__name__}")
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(_raw(key)), "kid": key.kid,
            "use": "sig", "alg": ALG}


def jwks(keys: Iterable[VerifyingKey | SigningKey]) -> dict[str, list[dict[str, str]]]:
    """A JWK Set (RFC 7517 §5) of the keys' public JWKs, in the order given."""
    found = [public_jwk(key) for key in keys]
    kids = [jwk["kid"] for jwk in found]
    if len(set(kids)) != len(kids):
        raise ValueError("two keys of a JWK Set share a kid")
    return {"keys": found}


def verifying_key_from_jwk(jwk: Mapping[str, Any], *, not_before: datetime = EPOCH,
                           not_after: datetime | None = None) -> VerifyingKey:
    """The verifying key of a public Ed25519 JWK, checked strictly (`ValueError`).

    It must be ``kty`` OKP, ``crv`` Ed25519, with a 32-byte ``x`` in canonical base64url
    and a kid; ``use``, ``alg`` and ``key_ops`` must allow EdDSA signatures if present;
    a private ``d`` is refused. Other members are ignored (RFC 7517 §4). A JWK carries no
    period of use: give it as ``not_before``/``not_after`` (default: always).
    """
    if not isinstance(jwk, Mapping):
        raise ValueError("a JWK must be a JSON object")
    if "d" in jwk:
        raise ValueError("this JWK holds a private key ('d'); only public JWKs are taken")
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise ValueError("not an Ed25519 key: kty must be 'OKP' and crv 'Ed25519', not "
                         f"{_show(jwk.get('kty'))} and {_show(jwk.get('crv'))}")
    if jwk.get("use", "sig") != "sig":
        raise ValueError(f"use must be 'sig', not {_show(jwk.get('use'))}")
    if jwk.get("alg", ALG) != ALG:
        raise ValueError(f"alg must be {ALG!r}, not {_show(jwk.get('alg'))}")
    ops = jwk.get("key_ops", ["verify"])
    if not isinstance(ops, list) or "verify" not in ops:
        raise ValueError(f"key_ops must include 'verify', not {_show(ops)}")
    try:
        raw = b64url_decode(jwk.get("x"))
    except ValueError:
        raise ValueError("x must be the public key in base64url without padding") from None
    if len(raw) != PUBLIC_KEY_BYTES:
        raise ValueError(f"x must be {PUBLIC_KEY_BYTES} bytes, not {len(raw)}")
    return VerifyingKey(jwk.get("kid"), Ed25519PublicKey.from_public_bytes(raw), not_before,
                        not_after)


Keys = Mapping[str, VerifyingKey] | Iterable[VerifyingKey]
"""The keys a verification may use: by kid, or listed (each kid at most once)."""


def _key_map(keys: Keys) -> dict[str, VerifyingKey]:
    found: dict[str, VerifyingKey] = {}
    pairs = keys.items() if isinstance(keys, Mapping) else ((None, key) for key in keys)
    for name, key in pairs:
        if not isinstance(key, VerifyingKey):
            raise TypeError(f"not a VerifyingKey: {type(key).__name__}")
        if name is not None and name != key.kid:
            raise ValueError(f"keys[{name!r}] holds the key with kid {key.kid!r}")
        if key.kid in found:
            raise ValueError(f"two keys share kid {key.kid!r}")
        found[key.kid] = key
    return found


# --- tokens (JWS compact serialization) ----------------------------------------------


def sign_token(payload: Mapping[str, Any], key: SigningKey) -> str:
    """The JWS of ``payload`` signed with ``key``.

    Refuses (`ValueError`) a payload with no canonical JSON, time claims that are not
    whole seconds, an ``iat`` outside the key's period of use, and a token longer than
    `MAX_TOKEN_LENGTH`: all things `verify_token` would refuse.
    """
    if not isinstance(payload, Mapping):
        raise ValueError("a token's payload must be an object")
    for claim in TIME_CLAIMS:
        if claim in payload and not _is_int(payload[claim]):
            raise ValueError(f"{claim} must be whole seconds since the epoch")
    body = canonical_json(payload)
    if "iat" in payload and not _in_use(key, payload["iat"] * _MICROS):
        raise ValueError(f"key {key.kid} is not in use at iat {payload['iat']}")
    header = canonical_json({"alg": ALG, "kid": key.kid, "typ": TYP})
    signing_input = f"{b64url_encode(header)}.{b64url_encode(body)}"
    signature = key.private_key.sign(signing_input.encode("ascii"))
    token = f"{signing_input}.{b64url_encode(signature)}"
    if len(token) > MAX_TOKEN_LENGTH:
        raise ValueError(f"the token would be {len(token)} characters, over "
                         f"{MAX_TOKEN_LENGTH}")
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
            raise InvalidToken(f"unexpected header member {_show(name)}")
    if header.get("alg") != ALG:
        raise InvalidToken(f"alg must be {ALG}, not {_show(header.get('alg'))}")
    if header.get("typ", TYP) != TYP:
        raise InvalidToken(f"typ must be {TYP}, not {_show(header.get('typ'))}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise InvalidToken("the header names no kid")
    return kid


def _check_times(payload: dict[str, Any], key: VerifyingKey, now: int) -> None:
    for claim in TIME_CLAIMS:
        if claim in payload and not _is_int(payload[claim]):
            raise InvalidToken(f"{claim} must be whole seconds since the epoch")
    iat = payload.get("iat")
    if iat is not None and iat > now + _SKEW:
        raise InvalidToken("the token was issued in the future")
    if "nbf" in payload and payload["nbf"] > now + _SKEW:
        raise InvalidToken("the token is not valid yet")
    if "exp" in payload and now >= payload["exp"] + _SKEW:
        raise InvalidToken("the token has expired")
    when = iat if iat is not None else now
    if not _in_use(key, when * _MICROS):
        moment = "its iat" if iat is not None else "the time of verification"
        raise InvalidToken(f"key {key.kid} was not in use at {moment}")


def _verify(token: str, keys: Keys, at: datetime | None) -> tuple[dict[str, Any], dict[str, Any]]:
    found = _key_map(keys)
    now = _seconds(datetime.now(UTC) if at is None else _aware(at, "at"))
    if not isinstance(token, str):
        raise InvalidToken("a token must be text")
    if len(token) > MAX_TOKEN_LENGTH:
        raise InvalidToken(f"the token is longer than {MAX_TOKEN_LENGTH} characters")
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("a token has three parts separated by dots")
    header_part, payload_part, signature_part = parts
    header = _decode_json(header_part, "header")
    kid = _check_header(header)
    key = found.get(kid)
    if key is None:
        raise InvalidToken(f"unknown kid {_show(kid)}")
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
    return header, payload


def verify_token(token: str, keys: Keys, at: datetime | None = None) -> dict[str, Any]:
    """The payload of a token signed by one of ``keys``, or `InvalidToken` saying why.

    ``keys`` maps kids to keys, or lists keys; ``at`` is the time of verification
    (default: now). See the module docstring for what is checked.
    """
    return _verify(token, keys, at)[1]


# --- document tokens -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentToken:
    """What a verified document token says: which document, when, under which key."""

    kind: str
    document_id: int
    issued_at: datetime
    kid: str


def document_token(kind: str, document_id: int, issued_at: datetime, key: SigningKey) -> str:
    """The token for the QR code of a certificate or label.

    ``issued_at`` is when the token is made (normally now), not the document's own date:
    it must fall in the key's period of use, so a document older than the key gets a
    token dated now. It is kept to the second.
    """
    if kind not in KIND_CODES:
        raise ValueError(f"kind must be one of {', '.join(KIND_CODES)}, not {_show(kind)}")
    if not _is_int(document_id) or not 1 <= document_id <= MAX_SAFE_INTEGER:
        raise ValueError(f"document id must be a positive whole number, not {_show(document_id)}")
    iat = _seconds(_aware(issued_at, "issued_at"))
    return sign_token({"k": KIND_CODES[kind], "id": document_id, "iat": iat}, key)


def read_document_token(token: str, keys: Keys, at: datetime | None = None) -> DocumentToken:
    """The document a token names, once `verify_token` accepts it; else `InvalidToken`."""
    header, payload = _verify(token, keys, at)
    if set(payload) != {"k", "id", "iat"}:
        raise InvalidToken("not a document token: the payload must be exactly k, id, iat")
    kind = _KINDS.get(payload["k"]) if isinstance(payload["k"], str) else None
    if kind is None:
        raise InvalidToken(f"unknown document kind {_show(payload['k'])}")
    if not _is_int(payload["id"]) or payload["id"] < 1:
        raise InvalidToken("the document id must be a positive whole number")
    return DocumentToken(kind, payload["id"], EPOCH + timedelta(seconds=payload["iat"]),
                         header["kid"])


# --- detached signatures -------------------------------------------------------------


def _content_bytes(content: Mapping[str, Any]) -> bytes:
    if not isinstance(content, Mapping):
        raise ValueError("signed content must be an object")
    return canonical_json(content)


def sign_detached(content: Mapping[str, Any], key: SigningKey) -> dict[str, str]:
    """A signature record over the canonical JSON of ``content``, to keep beside it.

    ``{"kid", "alg": "EdDSA", "signature": base64url Ed25519 signature, "sha256": hex
    digest of the canonical bytes}``. Content with no canonical form is a `ValueError`.
    """
    body = _content_bytes(content)
    return {"kid": key.kid, "alg": ALG, "signature": b64url_encode(key.private_key.sign(body)),
            "sha256": hashlib.sha256(body).hexdigest()}


def verify_detached(content: Mapping[str, Any], record: Mapping[str, Any], keys: Keys) -> bool:
    """Whether ``record`` is a good signature by one of ``keys`` over ``content``.

    A malformed record is simply False. When the content says it was signed (an issue
    date, say) is for the caller to hold against the key's period of use.
    """
    found = _key_map(keys)
    body = _content_bytes(content)
    if not isinstance(record, Mapping) or record.get("alg") != ALG:
        return False
    kid = record.get("kid")
    key = found.get(kid) if isinstance(kid, str) else None
    if key is None or record.get("sha256") != hashlib.sha256(body).hexdigest():
        return False
    try:
        signature = b64url_decode(record.get("signature"))
        key.public_key.verify(signature, body)
    except (ValueError, InvalidSignature):
        return False
    return True
