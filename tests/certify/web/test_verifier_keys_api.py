"""A verifier's own key: registering its public JWK, signing off with it, verifying offline."""

from __future__ import annotations

import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certify import offline
from certify.core.signing import b64url_encode, sign_detached, sign_signing_input
from certify.models.applications import Application
from certify.services import keys
from footprint.accounts.models import User
from footprint.platform.db import db


def test_a_verifier_registers_a_key_and_a_new_one_retires_it(client, certification):
    c = certification
    first = c.register_key()
    assert first.status_code == 201, first.json
    assert first.json["active"] and first.json["registered_through"] == "api"
    assert len(first.json["fingerprint"]) == 19
    second = c.register_key(Ed25519PrivateKey.generate())
    assert second.status_code == 201
    listed = client.get("/api/v1/verifiers/keys", headers=c.verifier).json
    assert [k["kid"] for k in listed] == [second.json["kid"], first.json["kid"]]
    assert [k["active"] for k in listed] == [True, False]
    assert c.register_key().status_code == 409, "a key is registered once"
    jwks = client.get("/api/v1/keys/verifiers").json["keys"]
    assert {first.json["kid"], second.json["kid"]} <= {k["kid"] for k in jwks}


def test_a_jwk_with_a_private_part_is_refused(client, certification):
    c = certification
    jwk = {**c.public_jwk(), "d": b64url_encode(b"\0" * 32)}
    refused = client.post("/api/v1/verifiers/keys", json={"jwk": jwk}, headers=c.verifier)
    assert refused.status_code == 422 and "jwk.d" in refused.json["errors"]
    for member, wrong in (("kty", "RSA"), ("crv", "P-256"), ("x", "AAAA")):
        bad = {**c.public_jwk(), member: wrong}
        refused = client.post("/api/v1/verifiers/keys", json={"jwk": bad}, headers=c.verifier)
        assert refused.status_code == 422 and f"jwk.{member}" in refused.json["errors"]


def test_only_verifiers_register_keys(client, certification):
    c = certification
    body = {"jwk": c.public_jwk()}
    assert client.post("/api/v1/verifiers/keys", json=body, headers=c.operator).status_code == 403


def test_the_prepared_sign_off_is_what_the_certificate_carries(client, certification):
    c = certification
    number = c.under_review()
    prepared = c.prepare(number)
    assert prepared.status_code == 200, prepared.json
    body = prepared.json
    assert body["signing_input"] == f"{body['protected']}.{body['payload']}"
    approved = c.ok(
        number, "approve", c.verifier, jws=sign_signing_input(body["signing_input"], c.verifier_key)
    )
    assert approved["sign_off"]["attestation"] == body["attestation"]
    assert approved["sign_off"]["signature"]["kid"] == body["kid"]
    issued = c.ok(number, "issue", c.admin)
    certificate = client.get(f"/api/v1/certificates/{issued['certificate_id']}").json
    assert certificate["content"]["attestation"] == body["attestation"]
    assert certificate["content"]["verifier_signature"]["kid"] == body["kid"]


def test_approving_without_a_jws_is_refused(certification):
    c = certification
    number = c.under_review()
    refused = c.act(number, "approve", c.verifier)
    assert refused.status_code == 422 and "jws" in refused.json["errors"]
    assert "server-held" in refused.json["detail"]


def test_a_signature_by_another_key_is_refused(certification):
    c = certification
    number = c.under_review()
    prepared = c.prepare(number).json
    jws = sign_signing_input(prepared["signing_input"], Ed25519PrivateKey.generate())
    refused = c.act(number, "approve", c.verifier, jws=jws)
    assert refused.status_code == 422 and "jws" in refused.json["errors"]


def test_a_retired_key_signs_no_new_sign_off(certification):
    c = certification
    number = c.under_review()
    prepared = c.prepare(number).json
    assert c.register_key(Ed25519PrivateKey.generate()).status_code == 201
    jws = sign_signing_input(prepared["signing_input"], c.verifier_key)
    refused = c.act(number, "approve", c.verifier, jws=jws)
    assert refused.status_code == 422 and "jws" in refused.json["errors"]


def test_approving_needs_a_prepared_sign_off_of_the_content_as_it_stands(
    app, client, certification
):
    c = certification
    number = c.under_review()
    c.register_key()
    jws = "e30..AAAA"
    assert c.act(number, "approve", c.verifier, jws=jws).status_code == 409
    prepared = c.prepare(number).json
    client.put(
        f"/api/v1/applications/{number}/criteria/P-1",
        json={"outcome": "not_applicable", "findings": "No plan needed."},
        headers=c.verifier,
    )
    moved = c.act(
        number,
        "approve",
        c.verifier,
        jws=sign_signing_input(prepared["signing_input"], c.verifier_key),
    )
    assert moved.status_code == 409 and "prepare it again" in moved.json["detail"]


def test_preparing_needs_a_registered_key_and_the_assigned_verifier(client, certification):
    c = certification
    number = c.under_review()
    response = client.post(
        f"/api/v1/applications/{number}/sign-off",
        json={"statement": {"assurance_level": "limited", "conclusion": "Fine."}},
        headers=c.verifier,
    )
    assert response.status_code == 409 and "register" in response.json["detail"]


def test_a_certificate_signed_off_with_a_browser_key_verifies_offline(
    client, certificate, tmp_path, capsys
):
    saved = {
        "keys.json": client.get("/api/v1/keys").json,
        "verifiers.json": client.get("/api/v1/keys/verifiers").json,
        "certificate.json": certificate,
    }
    for name, body in saved.items():
        (tmp_path / name).write_text(json.dumps(body), encoding="utf-8")
    arguments = [
        certificate["token"],
        "--jwks",
        str(tmp_path / "keys.json"),
        "--document",
        str(tmp_path / "certificate.json"),
        "--verifier-jwks",
        str(tmp_path / "verifiers.json"),
    ]
    assert offline.main(arguments) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["sign_off"]["signature"] == "valid"
    assert verdict["sign_off"]["form"] == "detached JWS"
    forged = {**certificate, "content": {**certificate["content"], "verifier_fingerprint": "x"}}
    (tmp_path / "certificate.json").write_text(json.dumps(forged), encoding="utf-8")
    assert offline.main(arguments) == 1


def test_documents_signed_with_a_server_held_key_keep_verifying(app, client, certification):
    c = certification
    approved = c.approved()
    with app.app_context():
        application = db.session.get(Application, approved["id"])
        verifier = db.session.get(User, application.verifier_id)
        old_key = keys.verifier_store(verifier).active()
        attestation = application.sign_off["attestation"]
        application.sign_off = {
            **application.sign_off,
            "signature": sign_detached(attestation, old_key),
        }
        db.session.commit()
    issued = c.ok(approved["id"], "issue", c.admin)
    certificate = client.get(f"/api/v1/certificates/{issued['certificate_id']}").json
    assert "signature" in certificate["content"]["verifier_signature"]
    jwks = client.get("/api/v1/keys/verifiers").json["keys"]
    assert old_key.kid in {k["kid"] for k in jwks}
    scan = client.get(f"/api/v1/verify/{certificate['token']}").json
    assert scan["status"] == "valid"
