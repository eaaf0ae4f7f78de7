"""The service's signing keys on disk: one private key file per kid and an index.

A key store is a directory that only its owner may enter (mode 0700)::

    keys.json        the index: each key's kid, public key, dates and status
    {kid}.pem        the private key, PKCS#8 PEM, mode 0600; encrypted with
                     KEY_STORE_PASSPHRASE when the store is given one
    .lock            taken while a key is added, so workers agree on the active key

The index (mode 0600 as well) lists every key the service has signed with: the
``active`` one signs; ``retired`` ones (``not_after`` set when they were rotated out)
stay so that tokens and certificates they signed still verify. Each entry also holds the
public key ``x`` (base64url), so verification and the public JWK Set read the index only
and never touch a private key.

Every load checks the directory, the index and each key file: they must belong to the
user running the service and be closed to group and others, and files may not be
symbolic links; otherwise `KeyStoreError` says what to fix. Nothing is loosened or
repaired silently. Files are written whole to a temporary file and renamed into place.

Callers say where the store is: `store_path` and `store_passphrase` read the
``KEY_STORE`` (default ``instance/keys``, relative to the working directory) and
``KEY_STORE_PASSPHRASE`` variables; `KeyStore.from_environ` does both. Private keys
leave this module only inside `SigningKey` objects.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from certify.core.signing import (
    SigningKey,
    VerifyingKey,
    b64url_decode,
    b64url_encode,
    generate_key,
    key_set,
)

ENV_PATH = "KEY_STORE"
ENV_PASSPHRASE = "KEY_STORE_PASSPHRASE"
DEFAULT_PATH = Path("instance") / "keys"
INDEX = "keys.json"
LOCK = ".lock"
FORMAT = 1
ACTIVE, RETIRED = "active", "retired"
DIRECTORY_MODE, FILE_MODE = 0o700, 0o600
_FIELDS = frozenset({"kid", "x", "created_at", "not_before", "not_after", "status"})


class KeyStoreError(Exception):
    """The key store cannot be used as it is: unsafe permissions, damage, a wrong passphrase."""


def store_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the key store is: ``KEY_STORE``, or ``instance/keys``."""
    environ = os.environ if environ is None else environ
    return Path(environ.get(ENV_PATH) or DEFAULT_PATH)


def store_passphrase(environ: Mapping[str, str] | None = None) -> bytes | None:
    """The passphrase of the key files: ``KEY_STORE_PASSPHRASE``, None if unset or empty."""
    environ = os.environ if environ is None else environ
    value = environ.get(ENV_PASSPHRASE)
    return value.encode("utf-8") if value else None


def _time(value: Any, name: str, kid: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise KeyStoreError(f"{INDEX}: {name} of key {kid} is not a date and time") from None
    if moment.utcoffset() is None:
        raise KeyStoreError(f"{INDEX}: {name} of key {kid} has no time zone")
    return moment


@dataclass(frozen=True, slots=True)
class KeyRecord:
    """One key as the index lists it; its private half is in ``{kid}.pem``."""

    kid: str
    x: str
    created_at: datetime
    not_before: datetime
    not_after: datetime | None
    status: str

    @property
    def verifying_key(self) -> VerifyingKey:
        """The public key with its period of use."""
        raw = b64url_decode(self.x)
        return VerifyingKey(
            self.kid, Ed25519PublicKey.from_public_bytes(raw), self.not_before, self.not_after
        )

    def to_json(self) -> dict[str, str | None]:
        """The index entry."""
        return {
            "kid": self.kid,
            "x": self.x,
            "created_at": self.created_at.isoformat(),
            "not_before": self.not_before.isoformat(),
            "not_after": self.not_after.isoformat() if self.not_after else None,
            "status": self.status,
        }

    @classmethod
    def from_json(cls, entry: object) -> KeyRecord:
        """The record of an index entry, checked; `KeyStoreError` if it is damaged."""
        if not isinstance(entry, dict) or set(entry) != _FIELDS:
            raise KeyStoreError(f"{INDEX}: each key needs exactly {', '.join(sorted(_FIELDS))}")
        kid, x, status = entry["kid"], entry["x"], entry["status"]
        if not (isinstance(kid, str) and isinstance(x, str) and isinstance(status, str)):
            raise KeyStoreError(f"{INDEX}: kid, x and status must be text")
        not_after = entry["not_after"]
        record = cls(
            kid,
            x,
            _time(entry["created_at"], "created_at", kid),
            _time(entry["not_before"], "not_before", kid),
            None if not_after is None else _time(not_after, "not_after", kid),
            status,
        )
        if record.status not in (ACTIVE, RETIRED):
            raise KeyStoreError(
                f"{INDEX}: key {kid} has status {record.status!r}, not {ACTIVE!r} or {RETIRED!r}"
            )
        if (record.status == ACTIVE) != (record.not_after is None):
            raise KeyStoreError(f"{INDEX}: key {kid} must have not_after exactly when retired")
        try:
            _ = record.verifying_key  # checks kid, x and the dates
        except (TypeError, ValueError) as error:
            raise KeyStoreError(f"{INDEX}: key {kid}: {error}") from None
        return record


def _check(info: os.stat_result, path: Path, what: str) -> None:
    if info.st_uid != os.geteuid():
        raise KeyStoreError(
            f"{what} {path} belongs to uid {info.st_uid}, not to this user "
            f"(uid {os.geteuid()}); the key store must be the service's own"
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        wanted = DIRECTORY_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
        raise KeyStoreError(
            f"{what} {path} is open to group or others (mode {mode:o}); "
            f"refusing to use it: chmod {wanted:o} {path}, and replace its "
            "keys if others may have read them"
        )


class KeyStore:
    """The signing keys in directory ``path`` (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], passphrase: str | bytes | None = None) -> None:
        self.path = Path(path)
        self._passphrase = (
            passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
        ) or None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> KeyStore:
        """The store that ``KEY_STORE`` and ``KEY_STORE_PASSPHRASE`` name."""
        return cls(store_path(environ), store_passphrase(environ))

    # --- reading ---------------------------------------------------------------------

    def _check_directory(self) -> bool:
        """Whether the store exists; `KeyStoreError` if it is not safe to use."""
        try:
            info = os.stat(self.path)
        except FileNotFoundError:
            return False
        if not stat.S_ISDIR(info.st_mode):
            raise KeyStoreError(f"key store {self.path} is not a directory")
        _check(info, self.path, "key store")
        return True

    def _read(self, name: str, what: str) -> bytes:
        path = self.path / name
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            raise KeyStoreError(f"{what} {path} is missing") from None
        except OSError as error:
            raise KeyStoreError(
                f"{what} {path} cannot be opened (a symbolic link?): {error.strerror}"
            ) from None
        with open(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise KeyStoreError(f"{what} {path} is not a regular file")
            _check(info, path, what)
            return file.read()

    def _check_key_file(self, kid: str) -> None:
        path = self.path / f"{kid}.pem"
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            raise KeyStoreError(f"the private key of {kid} ({path}) is missing") from None
        if not stat.S_ISREG(info.st_mode):
            raise KeyStoreError(f"key file {path} is not a regular file (a symbolic link?)")
        _check(info, path, "key file")

    def records(self) -> list[KeyRecord]:
        """Every key in the index, oldest first, after checking the store; [] if none."""
        if not self._check_directory() or not (self.path / INDEX).exists():
            return []
        try:
            index = json.loads(self._read(INDEX, "key index"))
        except ValueError:
            raise KeyStoreError(f"key index {self.path / INDEX} is not JSON") from None
        if (
            not isinstance(index, dict)
            or index.get("format") != FORMAT
            or not isinstance(index.get("keys"), list)
        ):
            raise KeyStoreError(f"key index {self.path / INDEX} is not a format-{FORMAT} index")
        records = [KeyRecord.from_json(entry) for entry in index["keys"]]
        kids = [record.kid for record in records]
        if len(set(kids)) != len(kids):
            raise KeyStoreError(f"{INDEX} lists a kid twice")
        if sum(record.status == ACTIVE for record in records) > 1:
            raise KeyStoreError(f"{INDEX} has more than one active key")
        for record in records:
            self._check_key_file(record.kid)
        return records

    def _signing_key(self, record: KeyRecord) -> SigningKey:
        path = self.path / f"{record.kid}.pem"
        data = self._read(path.name, "key file")
        try:
            private_key = serialization.load_pem_private_key(data, password=self._passphrase)
        except TypeError:
            problem = (
                "is encrypted: set KEY_STORE_PASSPHRASE"
                if self._passphrase is None
                else "is not encrypted, yet a passphrase is set"
            )
            raise KeyStoreError(f"key file {path} {problem}") from None
        except ValueError:
            raise KeyStoreError(
                f"key file {path} cannot be read: a wrong passphrase, or not a PEM private key"
            ) from None
        if not isinstance(private_key, Ed25519PrivateKey):
            raise KeyStoreError(f"key file {path} does not hold an Ed25519 key")
        key = SigningKey(record.kid, private_key, record.not_before, record.not_after)
        if key.verifying_key.public_key != record.verifying_key.public_key:
            raise KeyStoreError(f"key file {path} does not match its entry in {INDEX}")
        return key

    def verifying_keys(self) -> dict[str, VerifyingKey]:
        """Every key by kid, retired ones included, so that old signatures still verify."""
        return {record.kid: record.verifying_key for record in self.records()}

    def public_jwks(self) -> dict[str, list[dict[str, str]]]:
        """The JWK Set of every key, for ``GET /api/v1/keys``: public members only, each
        key under its kid and its short kid (`certify.core.signing.key_set`)."""
        return key_set(self.verifying_keys().values())

    # --- writing ---------------------------------------------------------------------

    def _make_directory(self) -> None:
        """Make the store, and any missing parent, private (a verifier's store lies
        inside the service's, which may not exist yet)."""
        for directory in [*reversed(self.path.parents), self.path]:
            try:
                os.mkdir(directory, DIRECTORY_MODE)
            except FileExistsError:
                continue
            os.chmod(directory, DIRECTORY_MODE)  # whatever the umask took away
        self._check_directory()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self._make_directory()
        fd = os.open(
            self.path / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE
        )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _write(self, name: str, data: bytes, *, replace: bool) -> None:
        final = self.path / name
        if not replace and os.path.lexists(final):
            raise KeyStoreError(f"{final} already exists")
        temporary = self.path / f".{name}.{secrets.token_hex(8)}.tmp"
        fd = os.open(
            temporary,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
            FILE_MODE,
        )
        try:
            with open(fd, "wb") as file:
                os.fchmod(file.fileno(), FILE_MODE)  # whatever the umask took away
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        directory = os.open(self.path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def _add(self, records: list[KeyRecord], now: datetime) -> SigningKey:
        """Retire the active key at ``now`` and make a new one active; under the lock."""
        key = generate_key(now=now)
        if any(record.kid == key.kid for record in records):
            raise KeyStoreError(f"key {key.kid} is already in the store")
        encryption = (
            serialization.BestAvailableEncryption(self._passphrase)
            if self._passphrase
            else serialization.NoEncryption()
        )
        pem = key.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
        self._write(f"{key.kid}.pem", pem, replace=False)
        kept = [
            record
            if record.status != ACTIVE
            else KeyRecord(record.kid, record.x, record.created_at, record.not_before, now, RETIRED)
            for record in records
        ]
        public = key.verifying_key.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        kept.append(KeyRecord(key.kid, b64url_encode(public), now, now, None, ACTIVE))
        index = {"format": FORMAT, "keys": [record.to_json() for record in kept]}
        self._write(INDEX, json.dumps(index, indent=2).encode("utf-8") + b"\n", replace=True)
        return key

    @staticmethod
    def _now(now: datetime | None) -> datetime:
        moment = datetime.now(UTC) if now is None else now
        if not isinstance(moment, datetime) or moment.utcoffset() is None:
            raise ValueError(f"now must be a datetime with a time zone, not {moment!r}")
        return moment

    def active(self, now: datetime | None = None) -> SigningKey:
        """The key that signs now; the first call on an empty store creates it at ``now``."""
        for record in self.records():
            if record.status == ACTIVE:
                return self._signing_key(record)
        with self._locked():
            records = self.records()
            for record in records:
                if record.status == ACTIVE:
                    return self._signing_key(record)
            return self._add(records, self._now(now))

    def rotate(self, now: datetime | None = None) -> SigningKey:
        """A new active key from ``now``; the previous one retires at ``now`` but stays."""
        moment = self._now(now)
        with self._locked():
            records = self.records()
            for record in records:
                if record.status == ACTIVE and moment < record.not_before:
                    raise KeyStoreError(
                        f"cannot rotate at {moment.isoformat()}: key "
                        f"{record.kid} is in use only from "
                        f"{record.not_before.isoformat()}"
                    )
            return self._add(records, moment)
