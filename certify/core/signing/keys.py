"""Ed25519 keys: their periods of use, thumbprints, fingerprints and public JWKs.

Also the helpers the token and detached-signature modules need: `Keys` and `key_map`
for the keys a verification may use, `in_use` for a key's period of use, and the time
helpers `aware`, `seconds` and `EPOCH`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from certify.core.signing.canonical import b64url_decode, b64url_encode, canonical_json, show

ALG = "EdDSA"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PUBLIC_KEY_BYTES = 32
MICROS = 1_000_000
"""Microseconds in a second: `in_use` takes a moment in microseconds since `EPOCH`."""

_KID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def seconds(moment: datetime) -> int:
    """Whole seconds since the epoch, rounded down, as in ``iat``."""
    return (moment - EPOCH) // timedelta(seconds=1)


def aware(moment: object, name: str) -> datetime:
    """``moment`` if it is a datetime with a time zone; else a `ValueError` naming it."""
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a datetime with a time zone, not {show(moment)}")
    return moment


def _check_key(key: VerifyingKey | SigningKey) -> None:
    """Refuse (`ValueError`) a key whose kid, period of use or Ed25519 half is not right."""
    if not isinstance(key.kid, str) or not _KID.fullmatch(key.kid):
        raise ValueError(f"kid {show(key.kid)} must be 1–64 base64url characters")
    start = aware(key.not_before, "not_before")
    if key.not_after is not None and aware(key.not_after, "not_after") < start:
        raise ValueError("not_after comes before not_before")
    if isinstance(key, VerifyingKey) and not isinstance(key.public_key, Ed25519PublicKey):
        raise ValueError("a verifying key must be an Ed25519 public key")
    if isinstance(key, SigningKey) and not isinstance(key.private_key, Ed25519PrivateKey):
        raise ValueError("a signing key must be an Ed25519 private key")


def in_use(key: VerifyingKey | SigningKey, micros: int) -> bool:
    """Whether ``key`` is in use ``micros`` microseconds after `EPOCH`.

    ``not_before`` counts from the start of its second (see `VerifyingKey.valid_at`).
    """
    start = _micros(key.not_before) // MICROS * MICROS
    return start <= micros and (key.not_after is None or micros < _micros(key.not_after))


@dataclass(frozen=True, slots=True)
class VerifyingKey:
    """A public key that checks signatures made while it was in use."""

    kid: str
    public_key: Ed25519PublicKey = field(hash=False)
    not_before: datetime
    not_after: datetime | None = None

    def __post_init__(self) -> None:
        _check_key(self)

    def valid_at(self, moment: datetime) -> bool:
        """Whether the key was in use at ``moment``: not_before ≤ moment < not_after.

        ``not_before`` counts from the start of its second, since an ``iat`` is the issue
        time rounded down to the second.
        """
        return in_use(self, _micros(aware(moment, "moment")))


@dataclass(frozen=True, slots=True, eq=False)
class SigningKey:
    """A private key that signs, while in use; `verifying_key` is its public half.

    Its repr leaves the private key out, and two signing keys are equal only if they are
    the same object.
    """

    kid: str
    private_key: Ed25519PrivateKey = field(repr=False)
    not_before: datetime
    not_after: datetime | None = None

    @property
    def verifying_key(self) -> VerifyingKey:
        """The public half, with the same kid and period of use."""
        return VerifyingKey(
            self.kid, self.private_key.public_key(), self.not_before, self.not_after
        )

    def __post_init__(self) -> None:
        _check_key(self)

    def valid_at(self, moment: datetime) -> bool:
        """Whether the key is in use at ``moment`` (see `VerifyingKey.valid_at`)."""
        return in_use(self, _micros(aware(moment, "moment")))


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
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


def generate_key(kid: str | None = None, *, now: datetime) -> SigningKey:
    """A new Ed25519 key in use from ``now``; its kid defaults to its JWK thumbprint."""
    private_key = Ed25519PrivateKey.generate()
    return SigningKey(
        kid if kid is not None else thumbprint(private_key.public_key()),
        private_key,
        aware(now, "now"),
    )


def public_jwk(key: VerifyingKey | SigningKey) -> dict[str, str]:
    """The public JWK (RFC 8037 ``OKP``/``Ed25519``) of a key; never its private part."""
    if not isinstance(key, VerifyingKey | SigningKey):
        raise TypeError(f"not a key: {type(key).__name__}")
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url_encode(_raw(key)),
        "kid": key.kid,
        "use": "sig",
        "alg": ALG,
    }


def jwks(keys: Iterable[VerifyingKey | SigningKey]) -> dict[str, list[dict[str, str]]]:
    """A JWK Set (RFC 7517 §5) of the keys' public JWKs, in the order given."""
    found = [public_jwk(key) for key in keys]
    kids = [jwk["kid"] for jwk in found]
    if len(set(kids)) != len(kids):
        raise ValueError("two keys of a JWK Set share a kid")
    return {"keys": found}


class InvalidJwk(ValueError):
    """A JWK that is not a public Ed25519 signing key; ``member`` names the faulty member."""

    def __init__(self, member: str, message: str) -> None:
        super().__init__(message)
        self.member = member


def public_key_from_jwk(jwk: Mapping[str, Any]) -> Ed25519PublicKey:
    """The Ed25519 public key of a JWK, checked strictly (`InvalidJwk`, a `ValueError`).

    It must be ``kty`` OKP, ``crv`` Ed25519, with a 32-byte ``x`` in canonical base64url;
    ``use``, ``alg`` and ``key_ops`` must allow EdDSA signatures if present; a private
    ``d`` is refused. Other members are ignored (RFC 7517 §4).
    """
    if not isinstance(jwk, Mapping):
        raise InvalidJwk("", "a JWK must be a JSON object")
    if "d" in jwk:
        raise InvalidJwk("d", "this JWK holds a private key ('d'); only public JWKs are taken")
    for member, wanted in (("kty", "OKP"), ("crv", "Ed25519")):
        if jwk.get(member) != wanted:
            raise InvalidJwk(
                member,
                "not an Ed25519 key: kty must be 'OKP' and crv 'Ed25519', not "
                f"{show(jwk.get('kty'))} and {show(jwk.get('crv'))}",
            )
    if jwk.get("use", "sig") != "sig":
        raise InvalidJwk("use", f"use must be 'sig', not {show(jwk.get('use'))}")
    if jwk.get("alg", ALG) != ALG:
        raise InvalidJwk("alg", f"alg must be {ALG!r}, not {show(jwk.get('alg'))}")
    ops = jwk.get("key_ops", ["verify"])
    if not isinstance(ops, list) or "verify" not in ops:
        raise InvalidJwk("key_ops", f"key_ops must include 'verify', not {show(ops)}")
    try:
        raw = b64url_decode(jwk.get("x"))
    except ValueError:
        raise InvalidJwk("x", "x must be the public key in base64url without padding") from None
    if len(raw) != PUBLIC_KEY_BYTES:
        raise InvalidJwk("x", f"x must be {PUBLIC_KEY_BYTES} bytes, not {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def verifying_key_from_jwk(
    jwk: Mapping[str, Any], *, not_before: datetime = EPOCH, not_after: datetime | None = None
) -> VerifyingKey:
    """The verifying key of a public Ed25519 JWK with a kid (see `public_key_from_jwk`).

    A JWK carries no period of use: give it as ``not_before``/``not_after`` (default:
    always).
    """
    public_key = public_key_from_jwk(jwk)
    return VerifyingKey(jwk.get("kid"), public_key, not_before, not_after)


Keys = Mapping[str, VerifyingKey] | Iterable[VerifyingKey]
"""The keys a verification may use: by kid, or listed (each kid at most once)."""


def key_map(keys: Keys) -> dict[str, VerifyingKey]:
    """``keys`` by kid, checked: each a `VerifyingKey`, under its own kid, and no kid twice.

    Anything but a verifying key is a `TypeError`; a misfiled or shared kid a `ValueError`.
    """
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
