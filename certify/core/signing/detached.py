"""Detached signatures: an Ed25519 signature record kept beside the object it signs."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature

from certify.core.signing.canonical import b64url_decode, b64url_encode, canonical_json
from certify.core.signing.keys import ALG, Keys, SigningKey, key_map


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
    return {
        "kid": key.kid,
        "alg": ALG,
        "signature": b64url_encode(key.private_key.sign(body)),
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def verify_detached(content: Mapping[str, Any], record: Mapping[str, Any], keys: Keys) -> bool:
    """Whether ``record`` is a good signature by one of ``keys`` over ``content``.

    A malformed record is simply False. When the content says it was signed (an issue
    date, say) is for the caller to hold against the key's period of use.
    """
    found = key_map(keys)
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
