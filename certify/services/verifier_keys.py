"""Verifiers' own signing keys: registering their public halves, and finding them again.

A verifier's private key stays with the verifier (non-extractable in their browser, or
in their own tool): the service holds only the public JWK, by its RFC 7638 thumbprint.
A verifier has at most one active key; registering another retires it for new
sign-offs, while the sign-offs it made keep verifying. Every registration is a
certification decision, appended to the audit chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from certify.core import signing
from certify.core.signing import (
    InvalidJwk,
    VerifyingKey,
    fingerprint,
    public_key_from_jwk,
    thumbprint,
)
from certify.models.verifiers import VerifierKey
from certify.services import audit_chain, keys
from footprint.accounts.models import Role, User
from footprint.platform.db import begin_exclusive, db, utcnow
from footprint.platform.problems import Problem, invalid

THROUGH = ("browser", "api")
"""How a key may be registered: from the verifier's key page, or through the API."""


def verifying_key(key: VerifierKey) -> VerifyingKey:
    """The registered key as a verifying key, with its period of use."""
    return VerifyingKey(key.kid, public_key_from_jwk(key.jwk), key.registered_at, key.retired_at)


def fingerprint_of(key: VerifierKey) -> str:
    """The key's fingerprint for people (``"3F2A 9C01 77B0 12DE"``)."""
    return fingerprint(verifying_key(key))


def register(*, user: User, jwk: Mapping[str, Any], through: str) -> VerifierKey:
    """Register ``jwk`` as ``user``'s active key, retiring the one before (verifiers only).

    422 naming the faulty ``jwk`` member for anything but a public Ed25519 key (a
    private ``d`` above all: a private key must never be sent), 409 if it is registered
    already.
    """
    if user.role != Role.VERIFIER:
        raise Problem(403, "Only verifiers register signing keys.")
    if through not in THROUGH:
        raise ValueError(f"registered through {through!r}, not one of {THROUGH}")
    try:
        public_key = public_key_from_jwk(jwk)
    except InvalidJwk as error:
        raise invalid(f"jwk.{error.member}" if error.member else "jwk", str(error)) from None
    kid = thumbprint(public_key)
    begin_exclusive()
    if db.session.scalar(select(VerifierKey.id).where(VerifierKey.kid == kid)) is not None:
        raise Problem(409, f"the key {kid} is registered already", errors={"jwk": ["registered"]})
    previous = active(user=user)
    now = utcnow()
    if previous is not None:
        previous.retired_at = now
        db.session.flush()
    key = VerifierKey(
        user_id=user.id,
        kid=kid,
        jwk={"kty": "OKP", "crv": "Ed25519", "x": jwk["x"]},
        registered_through=through,
        registered_at=now,
    )
    db.session.add(key)
    db.session.flush()
    audit_chain.append(
        user,
        action="verifier_key.registered",
        subject=f"verifier:{user.id}",
        before=None if previous is None else {"active_kid": previous.kid},
        after={"active_kid": kid, "fingerprint": fingerprint(public_key), "through": through},
    )
    db.session.commit()
    return key


def active(*, user: User) -> VerifierKey | None:
    """The key that signs ``user``'s new sign-offs, if they registered one."""
    return db.session.scalar(
        select(VerifierKey).where(VerifierKey.user_id == user.id, VerifierKey.retired_at.is_(None))
    )


def of_user(*, user: User) -> list[VerifierKey]:
    """Every key ``user`` registered, newest first."""
    return list(
        db.session.scalars(
            select(VerifierKey)
            .where(VerifierKey.user_id == user.id)
            .order_by(VerifierKey.id.desc())
        )
    )


def verifying_keys(*, user: User) -> dict[str, VerifyingKey]:
    """Every key ``user`` registered, retired ones too, as verifying keys by kid."""
    return {key.kid: verifying_key(key) for key in of_user(user=user)}


def sign_off_keys(*, user: User) -> dict[str, VerifyingKey]:
    """Every key that may have signed ``user``'s sign-offs: registered ones (retired
    too) and the server-held keys of before."""
    registered = verifying_keys(user=user)
    return {**keys.verifying_keys(keys.verifier_store(user)), **registered}


def jwks() -> dict[str, list[dict[str, str]]]:
    """Every verifier's public keys as one JWK Set: the old server-held ones, then each
    registered key, oldest first (retired ones too, so old sign-offs verify)."""
    rows = db.session.scalars(select(VerifierKey).order_by(VerifierKey.id))
    return signing.jwks([*keys.server_held_verifier_keys(), *map(verifying_key, rows)])
