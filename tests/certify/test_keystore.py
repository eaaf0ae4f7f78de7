"""The key store on disk: first key, rotation, permissions, passphrases, damage."""

from __future__ import annotations

import json
import os
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from certify import keystore
from certify.core.signing import (
    InvalidToken,
    document_token,
    read_document_token,
    sign_token,
    verify_token,
)
from certify.keystore import KeyStore, KeyStoreError, store_passphrase, store_path

T0 = datetime(2024, 11, 1, 9, 0, 0, 250_000, tzinfo=UTC)
T1 = datetime(2025, 5, 1, 9, 0, 0, 750_000, tzinfo=UTC)
LATER = datetime(2026, 1, 1, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "instance" / "keys"


@pytest.fixture
def store(path: Path) -> KeyStore:
    return KeyStore(path)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


# --- first key -----------------------------------------------------------------------


def test_the_first_active_call_creates_a_private_directory_and_key(store, path, loose_umask):
    key = store.active(now=T0)
    assert mode(path) == 0o700
    assert mode(path / f"{key.kid}.pem") == 0o600
    assert mode(path / "keys.json") == 0o600
    assert key.not_before == T0 and key.not_after is None
    assert (path / f"{key.kid}.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")


def test_the_active_key_stays_the_same_across_calls_and_store_objects(store, path):
    key = store.active(now=T0)
    assert store.active(now=T1).kid == key.kid
    again = KeyStore(path).active()
    assert again.kid == key.kid and again.not_before == T0
    assert again.verifying_key == key.verifying_key


def test_the_index_lists_each_key_with_its_dates_status_and_public_key(store, path):
    key = store.active(now=T0)
    index = json.loads((path / "keys.json").read_text())
    assert index == {
        "format": 1,
        "keys": [
            {
                "kid": key.kid,
                "x": store.public_jwks()["keys"][0]["x"],
                "created_at": T0.isoformat(),
                "not_before": T0.isoformat(),
                "not_after": None,
                "status": "active",
            }
        ],
    }


def test_an_empty_store_has_no_keys_and_is_not_created_by_reading(store, path):
    assert store.verifying_keys() == {}
    assert store.public_jwks() == {"keys": []}
    assert store.records() == []
    assert not path.exists()


def test_workers_starting_together_agree_on_one_first_key(path):
    barrier = threading.Barrier(8)
    kids: list[str] = []

    def start() -> None:
        barrier.wait()
        kids.append(KeyStore(path).active().kid)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(kids) == 8 and len(set(kids)) == 1
    assert len(KeyStore(path).records()) == 1
    assert sorted(p.name for p in path.glob("*.pem")) == [f"{kids[0]}.pem"]


# --- rotation ------------------------------------------------------------------------


def test_rotation_retires_the_old_key_and_keeps_it_for_verification(store, path):
    old = store.active(now=T0)
    new = store.rotate(T1)
    assert new.kid != old.kid
    assert store.active().kid == new.kid
    records = {record.kid: record for record in store.records()}
    assert (records[old.kid].status, records[old.kid].not_after) == ("retired", T1)
    assert (records[new.kid].status, records[new.kid].not_before) == ("active", T1)
    assert set(store.verifying_keys()) == {old.kid, new.kid}
    listed = {jwk["kid"] for jwk in KeyStore(path).public_jwks()["keys"]}
    assert listed == {old.kid, new.kid, old.kid[:8], new.kid[:8]}


def test_a_token_signed_before_rotation_still_verifies_and_new_tokens_use_the_new_kid(store):
    old = store.active(now=T0)
    before = document_token("certificate", 1, T1 - timedelta(microseconds=1), old)
    store.rotate(T1)
    after = document_token("certificate", 2, T1, store.active())
    keys = store.verifying_keys()
    assert read_document_token(before, keys, at=LATER).kid == old.kid
    assert read_document_token(after, keys, at=LATER).kid != old.kid
    assert read_document_token(after, keys, at=LATER).kid == store.active().kid


def test_a_token_the_retired_key_signs_after_rotation_does_not_verify(store):
    stale = store.active(now=T0)
    store.rotate(T1)
    token = sign_token({"iat": int(T1.timestamp()) + 60}, stale)
    with pytest.raises(InvalidToken, match="not in use at its iat"):
        verify_token(token, store.verifying_keys(), at=LATER)


def test_rotating_twice_keeps_every_key_and_one_active(store):
    store.active(now=T0)
    store.rotate(T1)
    store.rotate(LATER)
    statuses = [record.status for record in store.records()]
    assert statuses == ["retired", "retired", "active"]
    assert len(store.verifying_keys()) == 3


def test_rotating_an_empty_store_makes_its_first_key(store):
    key = store.rotate(T0)
    assert store.active().kid == key.kid


def test_rotating_to_before_the_active_key_began_is_refused(store):
    store.active(now=T1)
    with pytest.raises(KeyStoreError, match="cannot rotate"):
        store.rotate(T0)
    with pytest.raises(ValueError, match="time zone"):
        store.rotate(datetime(2026, 1, 1))


def test_the_public_jwks_hold_no_private_member(store):
    store.active(now=T0)
    store.rotate(T1)
    for jwk in store.public_jwks()["keys"]:
        assert "d" not in jwk and jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519"


# --- permissions ---------------------------------------------------------------------


@pytest.mark.parametrize("bits", [0o004, 0o040, 0o002, 0o020])
def test_a_key_file_open_to_group_or_others_makes_loading_fail(store, path, bits):
    key = store.active(now=T0)
    pem = path / f"{key.kid}.pem"
    os.chmod(pem, 0o600 | bits)
    for load in (store.active, store.verifying_keys, store.public_jwks, KeyStore(path).active):
        with pytest.raises(KeyStoreError, match=r"open to group or others .* chmod 600"):
            load()


def test_a_directory_open_to_group_or_others_makes_loading_fail(store, path):
    store.active(now=T0)
    os.chmod(path, 0o755)
    with pytest.raises(KeyStoreError, match=r"key store .* open to group or others.*chmod 700"):
        store.verifying_keys()
    with pytest.raises(KeyStoreError, match="open to group or others"):
        store.rotate(T1)


def test_an_existing_loose_directory_is_refused_not_repaired(path):
    path.mkdir(parents=True, mode=0o777)
    os.chmod(path, 0o777)
    with pytest.raises(KeyStoreError, match="open to group or others"):
        KeyStore(path).active()
    assert mode(path) == 0o777
    assert list(path.iterdir()) == []


def test_an_index_open_to_others_makes_loading_fail(store, path):
    store.active(now=T0)
    os.chmod(path / "keys.json", 0o644)
    with pytest.raises(KeyStoreError, match=r"key index .* open to group or others"):
        store.verifying_keys()


def test_a_store_owned_by_another_user_is_refused(store, path, monkeypatch):
    store.active(now=T0)
    owner = os.stat(path).st_uid
    monkeypatch.setattr(keystore.os, "geteuid", lambda: owner + 1)
    with pytest.raises(KeyStoreError, match=r"belongs to uid .* not to this user"):
        store.verifying_keys()


def test_a_symbolic_link_in_place_of_a_key_file_is_refused(store, path, tmp_path):
    key = store.active(now=T0)
    pem = path / f"{key.kid}.pem"
    elsewhere = tmp_path / "elsewhere.pem"
    pem.rename(elsewhere)
    pem.symlink_to(elsewhere)
    with pytest.raises(KeyStoreError, match="not a regular file"):
        store.active()


def test_a_store_path_that_is_a_file_is_refused(path):
    path.parent.mkdir(parents=True)
    path.write_text("not a directory")
    with pytest.raises(KeyStoreError, match="not a directory"):
        KeyStore(path).verifying_keys()


# --- passphrases ---------------------------------------------------------------------


def test_with_a_passphrase_keys_are_encrypted_on_disk(path):
    key = KeyStore(path, passphrase="correct horse").active(now=T0)
    pem = (path / f"{key.kid}.pem").read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert KeyStore(path, passphrase=b"correct horse").active().kid == key.kid


def test_an_encrypted_store_needs_its_passphrase_to_sign_but_not_to_verify(path):
    key = KeyStore(path, passphrase="correct horse").active(now=T0)
    with pytest.raises(KeyStoreError, match="is encrypted: set KEY_STORE_PASSPHRASE"):
        KeyStore(path).active()
    with pytest.raises(KeyStoreError, match="wrong passphrase"):
        KeyStore(path, passphrase="wrong horse").active()
    assert set(KeyStore(path).verifying_keys()) == {key.kid}


def test_a_passphrase_for_unencrypted_keys_is_reported(store, path):
    store.active(now=T0)
    with pytest.raises(KeyStoreError, match="not encrypted, yet a passphrase is set"):
        KeyStore(path, passphrase="late").active()


def test_the_store_path_and_passphrase_come_from_the_environment(tmp_path):
    assert store_path({}) == Path("instance") / "keys"
    assert store_path({"KEY_STORE": str(tmp_path)}) == tmp_path
    assert store_passphrase({}) is None
    assert store_passphrase({"KEY_STORE_PASSPHRASE": ""}) is None
    assert store_passphrase({"KEY_STORE_PASSPHRASE": "口令"}) == "口令".encode()
    store = KeyStore.from_environ({"KEY_STORE": str(tmp_path / "k"), "KEY_STORE_PASSPHRASE": "p"})
    key = store.active(now=T0)
    assert (tmp_path / "k" / f"{key.kid}.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED")


# --- damage --------------------------------------------------------------------------


def edit_index(path: Path, change) -> None:
    index = json.loads((path / "keys.json").read_text())
    change(index)
    (path / "keys.json").write_text(json.dumps(index))


def test_a_key_file_that_does_not_match_the_index_is_refused(store, path):
    store.active(now=T0)
    other = KeyStore(path.parent / "other")
    other.active(now=T0)
    other_x = other.public_jwks()["keys"][0]["x"]
    edit_index(path, lambda index: index["keys"][0].update(x=other_x))
    with pytest.raises(KeyStoreError, match="does not match its entry"):
        store.active()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda index: index.update(format=2), "format-1 index"),
        (lambda index: index["keys"][0].update(status="revoked"), "status 'revoked'"),
        (
            lambda index: index["keys"][0].update(not_after="2025-01-01T00:00:00+00:00"),
            "not_after exactly when retired",
        ),
        (lambda index: index["keys"][0].update(not_before="2024-11-01T09:00:00"), "no time zone"),
        (lambda index: index["keys"][0].update(created_at="yesterday"), "not a date"),
        (lambda index: index["keys"][0].update(kid="../../etc/passwd"), "kid"),
        (lambda index: index["keys"][0].update(kid=7), "must be text"),
        (lambda index: index["keys"][0].update(x="AAAA"), "32 bytes|public key"),
        (lambda index: index["keys"][0].pop("x"), "exactly"),
        (lambda index: index["keys"].append(dict(index["keys"][0])), "kid twice"),
    ],
)
def test_a_damaged_index_is_refused(store, path, change, message):
    store.active(now=T0)
    edit_index(path, change)
    with pytest.raises(KeyStoreError, match=message):
        store.verifying_keys()


def test_an_index_that_is_not_json_is_refused(store, path):
    store.active(now=T0)
    (path / "keys.json").write_text("{")
    with pytest.raises(KeyStoreError, match="not JSON"):
        store.verifying_keys()


def test_a_missing_key_file_is_refused(store, path):
    key = store.active(now=T0)
    (path / f"{key.kid}.pem").unlink()
    with pytest.raises(KeyStoreError, match="is missing"):
        store.verifying_keys()


def test_no_temporary_files_are_left_behind(store, path):
    store.active(now=T0)
    store.rotate(T1)
    names = sorted(p.name for p in path.iterdir())
    assert [name for name in names if name.endswith(".tmp")] == []
    assert len([name for name in names if name.endswith(".pem")]) == 2
