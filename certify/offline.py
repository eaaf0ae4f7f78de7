"""Verify a document token offline, from a saved JWK Set — for third parties.

    python -m certify.offline TOKEN --jwks keys.json

``keys.json`` is a saved copy of ``GET /api/v1/keys``. The check is the signature, the
form of the token and the key it names; whether the document has since been revoked
or suspended only the service can say (``GET /api/v1/verify/TOKEN``). Needs only the
``cryptography`` package: no database, no network.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from certify.core.signing import InvalidToken, read_document_token, verifying_key_from_jwk


def verify(token: str, jwks: dict[str, object]) -> dict[str, object]:
    """The verdict on ``token`` against the key set ``jwks``."""
    keys = jwks.get("keys")
    if not isinstance(keys, list):
        raise ValueError("not a JWK Set: no 'keys' list")
    verifying = [verifying_key_from_jwk(jwk) for jwk in keys]
    try:
        document = read_document_token(token.strip(), verifying)
    except InvalidToken as error:
        return {"signature": "invalid", "reason": error.reason}
    return {
        "signature": "valid",
        "kind": document.kind,
        "id": document.document_id,
        "kid": document.kid,
        "issued_at": document.issued_at.isoformat(),
        "note": "revocation and suspension are checked online only",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m certify.offline",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("token")
    parser.add_argument("--jwks", type=Path, required=True, help="saved GET /api/v1/keys")
    options = parser.parse_args(argv)
    try:
        verdict = verify(options.token, json.loads(options.jwks.read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        print(f"cannot read the key set: {error}", file=sys.stderr)
        return 2
    print(json.dumps(verdict, ensure_ascii=False, indent=2))
    return 0 if verdict["signature"] == "valid" else 1


if __name__ == "__main__":
    sys.exit(main())
