"""Public keys as a JWK Set, rotation, and verifying a token offline from a saved set."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from certify import offline
from certify.core.signing import document_token
from certify.services import keys


def test_rotation_adds_a_key_and_old_tokens_still_verify_offline(app, client, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    with app.app_context():
        old = keys.store().active()
        token = document_token("certificate", 42, datetime.now(UTC), old)
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0 and "active key" in result.output
    jwks = client.get("/api/v1/keys").json
    kids = [k["kid"] for k in jwks["keys"]]
    assert old.kid in kids and len(kids) >= 2
    assert all("d" not in k and k["alg"] == "EdDSA" for k in jwks["keys"])
    saved = tmp_path / "keys.json"
    saved.write_text(json.dumps(jwks))
    assert offline.main([token, "--jwks", str(saved)]) == 0
    verdict = offline.verify(token, jwks)
    assert verdict["signature"] == "valid" and verdict["kind"] == "certificate"
    assert verdict["id"] == 42 and verdict["kid"] == old.kid
    assert "retired" in runner.invoke(args=["keys", "list"]).output


def test_a_forged_or_truncated_token_is_invalid_offline(app, client):
    with app.app_context():
        token = document_token("label", 7, datetime.now(UTC), keys.store().active())
    jwks = client.get("/api/v1/keys").json
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload[:-2]}AA.{signature}"
    assert offline.verify(forged, jwks)["signature"] == "invalid"
    assert offline.verify(token[:-5], jwks)["signature"] == "invalid"
    assert offline.verify("not.a.token", jwks)["signature"] == "invalid"
