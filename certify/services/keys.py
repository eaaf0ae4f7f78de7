"""The application's key store: where signing keys live, as configured."""

from __future__ import annotations

from flask import current_app

from certify.keystore import KeyStore


def store() -> KeyStore:
    """The configured store (``KEY_STORE``, default ``instance/keys``)."""
    return KeyStore(current_app.config["KEY_STORE"], current_app.config["KEY_STORE_PASSPHRASE"])
