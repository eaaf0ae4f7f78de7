"""The application's key stores: the district's signing keys, and verifiers' old ones.

The district's store (``KEY_STORE``, default ``instance/keys``) signs document tokens and
certificates. Verifiers used to have a store of their own under ``verifiers/{user id}``
inside it, which signed their sign-offs on the server. Those keys are retired for new
sign-offs (a verifier now signs with a key the server never holds, see
`certify.services.verifier_keys`); their public halves are still read here, so the
documents they signed off keep verifying.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

from certify.core.signing import VerifyingKey
from certify.keystore import ACTIVE, INDEX, KeyStore, KeyStoreError
from footprint.accounts.models import User
from footprint.platform.checks import Check

VERIFIERS = "verifiers"
_verifying: dict[str, tuple[tuple[int, int], dict[str, VerifyingKey]]] = {}


def store() -> KeyStore:
    """The configured store (``KEY_STORE``, default ``instance/keys``)."""
    return KeyStore(current_app.config["KEY_STORE"], current_app.config["KEY_STORE_PASSPHRASE"])


def ensure_signing_key() -> list[str]:
    """The district's active signing key, created in the store if it has none (after every
    ``db upgrade``, `footprint.platform.upgrade`: a fresh install publishes its key set
    before the first document is issued). Says which."""
    key_store = store()
    had = any(record.status == ACTIVE for record in key_store.records())
    key = key_store.active()
    return [f"signing key {key.kid}: {'active' if had else 'created'}"]


def signing_key_check() -> Check:
    """`footprint.platform.checks`: the store is readable, safe, and has an active key."""
    try:
        active = [r.kid for r in store().records() if r.status == ACTIVE]
    except KeyStoreError as error:
        return Check("keys", False, f"the key store cannot be used: {error}")
    if not active:
        return Check("keys", False, "no active signing key: run db upgrade (or keys rotate)")
    return Check("keys", True, f"active signing key {active[0]}")


def verifier_store(user: User) -> KeyStore:
    """The store that held ``user``'s server-side sign-off keys (read-only since)."""
    return KeyStore(
        Path(current_app.config["KEY_STORE"]) / VERIFIERS / str(user.id),
        current_app.config["KEY_STORE_PASSPHRASE"],
    )


def _index_version(key_store: KeyStore) -> tuple[int, int]:
    """Changes whenever the index is rewritten (it is replaced by a rename)."""
    try:
        info = os.stat(key_store.path / INDEX)
    except FileNotFoundError:
        return 0, 0
    return info.st_ino, info.st_mtime_ns


def verifying_keys(key_store: KeyStore | None = None) -> dict[str, VerifyingKey]:
    """The store's public keys by kid, re-read only when its index changes on disk
    (verification reads them on every request)."""
    key_store = key_store or store()
    version = _index_version(key_store)
    cached = _verifying.get(str(key_store.path))
    if cached is None or cached[0] != version:
        cached = version, key_store.verifying_keys()
        _verifying[str(key_store.path)] = cached
    return cached[1]


def server_held_verifier_keys() -> list[VerifyingKey]:
    """Every verifier's old server-held public keys, for the documents they signed off."""
    base = Path(current_app.config["KEY_STORE"]) / VERIFIERS
    keys: list[VerifyingKey] = []
    if base.is_dir():
        for directory in sorted(base.iterdir()):
            keys.extend(KeyStore(directory).verifying_keys().values())
    return keys
