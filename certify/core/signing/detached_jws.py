"""Detached JWS (RFC 7515 appendix F): a signature made elsewhere over bytes known here.

A verifier signs their sign-off with a key that never leaves their browser or tool. The
service prepares the attestation and tells them exactly what to sign: the *signing
input* ``protected "." payload``, where ``protected`` is the base64url of the canonical
header ``{"alg":"EdDSA","kid":…}`` and ``payload`` the base64url of the attestation's
canonical JSON. The signature comes back as a detached JWS, ``protected ".." signature``
(the payload left out, since both sides hold it), and is kept as a record
``{"kid", "alg": "EdDSA", "jws", "sha256"}`` beside the attestation.

`verify_sign_off` checks a sign-off of either form: this one, or the earlier
server-made `certify.core.signing.detached` record (``"signature"`` instead of
``"jws"``), so documents signed off before keep verifying.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certify.core.signing.canonical import b64url_decode, b64url_encode, canonical_json
from certify.core.signing.detached import verify_detached
from certify.core.signing.keys import ALG, Keys, key_map

MAX_HEADER_LENGTH = 256
"""Far more than ``{"alg":"EdDSA","kid":…}`` with a 64-character kid ever takes."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """What a signer is given: the header and payload in base64url, and what to sign."""

    protected: str
    payload: str

    @property
    def signing_input(self) -> str:
        """``protected "." payload``: the ASCII text whose bytes are signed."""
        return f"{self.protected}.{self.payload}"


class InvalidJws(ValueError):
    """A detached JWS is malformed or does not verify; ``field`` names what is wrong."""


def protected_header(kid: str) -> str:
    """The base64url of the canonical protected header ``{"alg":"EdDSA","kid":kid}``."""
    return b64url_encode(canonical_json({"alg": ALG, "kid": kid}))


def prepare(content: Mapping[str, Any], *, kid: str) -> Prepared:
    """The protected header and payload a signer with key ``kid`` signs over ``content``."""
    if not isinstance(content, Mapping):
        raise ValueError("signed content must be an object")
    return Prepared(protected_header(kid), b64url_encode(canonical_json(content)))


def sign_signing_input(signing_input: str, private_key: Ed25519PrivateKey) -> str:
    """The detached JWS a signer's own tool returns for a prepared ``signing_input``."""
    protected, _, _ = signing_input.partition(".")
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{protected}..{b64url_encode(signature)}"


def read_detached(jws: object) -> tuple[str, bytes]:
    """The kid and signature of a detached JWS ``protected ".." signature``.

    The header must be exactly `protected_header` of its kid: alg EdDSA, no other
    member, canonical JSON, canonical base64url. Anything else is an `InvalidJws`.
    """
    parts = jws.split(".") if isinstance(jws, str) else []
    if len(parts) != 3 or parts[1]:
        raise InvalidJws("a detached JWS is protected..signature, with no payload")
    protected, _, signature = parts
    if len(protected) > MAX_HEADER_LENGTH:
        raise InvalidJws(f"the header is longer than {MAX_HEADER_LENGTH} characters")
    try:
        header = json.loads(b64url_decode(protected))
        kid = header.get("kid") if isinstance(header, dict) else None
        raw = b64url_decode(signature)
    except ValueError:
        raise InvalidJws("the header and signature must be base64url without padding") from None
    if not isinstance(header, dict) or header.get("alg") != ALG:
        raise InvalidJws(f"the header's alg must be {ALG!r}")
    if not isinstance(kid, str) or protected != protected_header(kid):
        raise InvalidJws('the header must be exactly {"alg":"EdDSA","kid":…} in canonical JSON')
    return kid, raw


def verify_detached_jws(content: Mapping[str, Any], jws: str, keys: Keys) -> str:
    """The kid of the key among ``keys`` whose detached ``jws`` signs ``content``.

    An `InvalidJws` says why not: malformed, an unknown kid, or a bad signature.
    """
    kid, signature = read_detached(jws)
    key = key_map(keys).get(kid)
    if key is None:
        raise InvalidJws(f"kid {kid!r} is not a key that may sign this")
    signing_input = prepare(content, kid=kid).signing_input.encode("ascii")
    try:
        key.public_key.verify(signature, signing_input)
    except InvalidSignature:
        raise InvalidJws("the signature does not verify against the prepared content") from None
    return kid


def jws_record(content: Mapping[str, Any], jws: str, *, kid: str) -> dict[str, str]:
    """The signature record kept beside ``content``: its form says it is a detached JWS."""
    return {
        "kid": kid,
        "alg": ALG,
        "jws": jws,
        "sha256": hashlib.sha256(canonical_json(content)).hexdigest(),
    }


def verify_sign_off(content: Mapping[str, Any], record: Mapping[str, Any], keys: Keys) -> bool:
    """Whether ``record`` (a detached JWS record, or a `verify_detached` one) signs
    ``content`` with one of ``keys``; a malformed record is simply False."""
    if not isinstance(record, Mapping) or "jws" not in record:
        return verify_detached(content, record, keys)
    if record.get("alg") != ALG:
        return False
    if record.get("sha256") != hashlib.sha256(canonical_json(content)).hexdigest():
        return False
    try:
        kid = verify_detached_jws(content, record["jws"], keys)
    except InvalidJws:
        return False
    return kid == record.get("kid")
