"""Verify a document token offline, from saved copies — for inspectors and third parties.

    python -m certify.offline TOKEN --jwks keys.json [--status-list list.json]
        [--document certificate.json --verifier-jwks verifiers.json]

``keys.json`` is a saved copy of ``GET /api/v1/keys``; ``list.json`` of
``GET /api/v1/status-list``. The token's signature, form and key are checked, and a
certificate's token shows what it certifies (number, subject, period, total, credits,
net, valid until), as signed. With a status list (itself checked against the keys), the
answer says whether the document was revoked or suspended when the list was made, and
how old the list is; a list past its ``valid_until`` is stale: fetch a new one. Without
one, revocation and suspension are unknown offline. With a saved document (``GET
/api/v1/certificates/{id}`` or ``/labels/{id}``) and the verifiers' keys (``GET
/api/v1/keys/verifiers``), the verifier's own sign-off is checked too, whichever form it
has (a detached JWS by a key the verifier holds, or a server-held key's record of
before), and the document must be the token's and signed by the district. Needs only
the ``cryptography`` package: no database, no network.

Exit status: 0 for a valid document (or, with no list given, a good signature whose
status is unknown offline), 1 for anything else, 2 when a saved file cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from certify.core import status_list
from certify.core.signing import (
    DocumentToken,
    InvalidToken,
    VerifyingKey,
    read_document_token,
    short_kid,
    verify_detached,
    verify_sign_off,
    verifying_key_from_jwk,
)

UNKNOWN_OFFLINE = "unknown offline"


def _keys(jwks: Mapping[str, Any]) -> list[VerifyingKey]:
    """The set's keys; one listed under its kid and again under its short kid
    (`certify.core.signing.key_set`) once, under its kid, which the verdict then names."""
    keys = jwks.get("keys")
    if not isinstance(keys, list):
        raise ValueError("not a JWK Set: no 'keys' list")
    named = [(jwk.get("kid"), jwk.get("x")) if isinstance(jwk, Mapping) else () for jwk in keys]
    again = {  # (short kid, x) of every key listed under a longer kid
        (short_kid(kid), x)
        for kid, x in filter(None, named)
        if isinstance(kid, str) and short_kid(kid) != kid
    }
    return [
        verifying_key_from_jwk(jwk)
        for jwk, pair in zip(keys, named, strict=True)
        if pair not in again
    ]


def _age(seconds: int) -> str:
    days, rest = divmod(max(seconds, 0), 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    return f"{days} d {hours} h {minutes} min" if days else f"{hours} h {minutes} min"


def _listed(
    document: DocumentToken, listed: Mapping[str, Any], keys: list[VerifyingKey], now: datetime
) -> dict[str, Any]:
    """What a saved status list says of ``document``, and how much to trust it."""
    content, signature = listed.get("content"), listed.get("signature")
    if not isinstance(content, Mapping) or not isinstance(signature, Mapping):
        raise status_list.StatusListError("not a status list: no content and signature")
    if not verify_detached(content, signature, keys):
        return {"signature": "invalid", "reason": "the list is not signed by these keys"}
    try:
        issued = datetime.fromisoformat(content["issued_at"])
        valid_until = datetime.fromisoformat(content["valid_until"])
    except (KeyError, TypeError, ValueError):
        raise status_list.StatusListError(
            "the list has no readable issued_at and valid_until"
        ) from None
    age = int((now - issued).total_seconds())
    found = status_list.status(content, kind=document.kind, index=document.document_id)
    return {
        "signature": "valid",
        "issued_at": issued.isoformat(),
        "age": _age(age),
        "age_seconds": age,
        "stale": now > valid_until,
        "says": found or "neither revoked nor suspended",
        **(
            {"note": "the token is newer than the list: fetch a new list"}
            if document.issued_at > issued
            else {}
        ),
    }


def signed_off(
    document: DocumentToken,
    saved: Mapping[str, Any],
    keys: list[VerifyingKey],
    verifier_jwks: Mapping[str, Any],
) -> dict[str, Any]:
    """What a saved document says of its verifier's sign-off, checked: the document must
    be the token's and signed by the district, and the sign-off by a verifier's key."""
    content, signature = saved.get("content"), saved.get("signature")
    if not isinstance(content, Mapping) or not isinstance(signature, Mapping):
        return {"signature": "invalid", "reason": "not a saved document: no content"}
    if saved.get("id") != document.document_id or not verify_detached(content, signature, keys):
        return {"signature": "invalid", "reason": "not the token's document, signed"}
    record = content.get("verifier_signature")
    attestation = content.get("attestation")
    if not isinstance(record, Mapping) or not isinstance(attestation, Mapping):
        return {"signature": "invalid", "reason": "the document has no sign-off"}
    good = verify_sign_off(attestation, record, _keys(verifier_jwks))
    return {
        "signature": "valid" if good else "invalid",
        "kid": record.get("kid"),
        "form": "detached JWS" if "jws" in record else "server-held key",
        "fingerprint": content.get("verifier_fingerprint"),
    }


def verify(
    token: str,
    jwks: Mapping[str, Any],
    listed: Mapping[str, Any] | None = None,
    *,
    now: datetime | None = None,
    saved: Mapping[str, Any] | None = None,
    verifier_jwks: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The verdict on ``token`` against the key set ``jwks`` and, if given, a status list,
    and a saved document's sign-off against ``verifier_jwks``."""
    now = now or datetime.now(UTC)
    keys = _keys(jwks)
    try:
        document = read_document_token(token.strip(), keys, at=now)
    except InvalidToken as error:
        return {"signature": "invalid", "status": "invalid", "reason": error.reason}
    verdict: dict[str, Any] = {
        "signature": "valid",
        "kind": document.kind,
        "id": document.document_id,
        "kid": document.kid,
        "issued_at": document.issued_at.isoformat(),
    }
    if document.facts:
        verdict["facts"] = dict(document.facts)
    if saved is not None and verifier_jwks is not None:
        verdict["sign_off"] = checked_off = signed_off(document, saved, keys, verifier_jwks)
        if checked_off["signature"] != "valid":
            return {**verdict, "status": "invalid", "reason": "the sign-off does not verify"}
    expired = bool(document.facts) and now.date() > date.fromisoformat(
        document.facts.get("valid_until", "9999-12-31")
    )
    if listed is None:
        verdict["status"] = "expired" if expired else UNKNOWN_OFFLINE
        verdict["note"] = "revocation and suspension: pass --status-list, or check online"
        return verdict
    verdict["status_list"] = checked = _listed(document, listed, keys, now)
    if checked["signature"] != "valid":
        verdict["status"] = UNKNOWN_OFFLINE
    elif checked["says"] in ("revoked", "suspended"):
        verdict["status"] = checked["says"]
    else:
        verdict["status"] = "expired" if expired else "valid"
    return verdict


class Unreadable(Exception):
    """A saved file cannot be read; the message says which and why."""


def _read(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Unreadable(f"cannot read the {what}: {error}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m certify.offline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("token")
    parser.add_argument("--jwks", type=Path, required=True, help="saved GET /api/v1/keys")
    parser.add_argument("--status-list", type=Path, help="saved GET /api/v1/status-list")
    parser.add_argument("--document", type=Path, help="saved GET /api/v1/certificates/{id}")
    parser.add_argument("--verifier-jwks", type=Path, help="saved GET /api/v1/keys/verifiers")
    options = parser.parse_args(argv)
    if (options.document is None) != (options.verifier_jwks is None):
        parser.error("--document and --verifier-jwks go together")
    try:
        jwks = _read(options.jwks, "key set")
        listed = None if options.status_list is None else _read(options.status_list, "list")
        saved = None if options.document is None else _read(options.document, "document")
        verifier_jwks = (
            None if options.verifier_jwks is None else _read(options.verifier_jwks, "key set")
        )
        verdict = verify(options.token, jwks, listed, saved=saved, verifier_jwks=verifier_jwks)
    except Unreadable as error:
        print(error, file=sys.stderr)
        return 2
    except status_list.StatusListError as error:
        print(f"cannot read the status list: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"cannot read the key set: {error}", file=sys.stderr)
        return 2
    print(json.dumps(verdict, ensure_ascii=False, indent=2))
    unchecked = listed is None and verdict["status"] == UNKNOWN_OFFLINE
    return 0 if verdict["status"] == "valid" or unchecked else 1


if __name__ == "__main__":
    sys.exit(main())
