"""`GET /api/v1/verify/{token}` as docs/api.md defines it, and offline verification."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from certify import offline
from certify.core.signing import (
    b64url_decode,
    b64url_encode,
    document_token,
    generate_key,
    verify_detached,
    verify_sign_off,
    verifying_key_from_jwk,
)
from certify.services import keys, verification
from tests.certify.builders import SCENIC_AREA


def scan(client, token: str) -> dict:
    response = client.get(f"/api/v1/verify/{token}")
    assert response.status_code == 200, response.json
    return response.json


def test_a_valid_certificate_scans_valid_with_its_facts_and_pdf(client, certificate):
    body = scan(client, certificate["token"])
    assert body["status"] == "valid" and body["kind"] == "certificate"
    assert body["id"] == certificate["id"] and body["number"] == certificate["number"]
    assert body["subject"] == "Wulingyuan Scenic Area 武陵源风景名胜区"
    assert body["verifier"] == "Hunan Carbon Verification Centre"
    assert body["credits_tco2e"] == 60
    assert body["pdf_url"] == certificate["pdf_url"]
    named = json.loads(b64url_decode(certificate["token"].split(".")[0]))["kid"]
    assert len(named) == 8 and body["kid"].startswith(named) and len(body["kid"]) == 43


def test_a_certificates_token_states_what_it_certifies_and_stays_scannable(certificate):
    payload = json.loads(b64url_decode(certificate["token"].split(".")[1]))
    assert set(payload) == {"k", "id", "iat", "f"}
    attested = certificate["content"]["attestation"]["content"]
    assert payload["f"] == {
        "n": certificate["number"],
        "s": "Wulingyuan Scenic Area 武陵源风景名胜区",
        "ps": attested["period"]["start"],
        "pe": attested["period"]["end"],
        "t": attested["emissions_tco2e"]["total"],
        "cr": "60",
        "net": str(Decimal(attested["emissions_tco2e"]["total"]) - 60),
        "u": certificate["valid_until"],
    }
    assert len(certificate["token"]) < 640


def test_a_token_printed_before_facts_were_added_still_verifies(app, client, certificate):
    with app.app_context():
        small = document_token(
            "certificate", certificate["id"], datetime.now(UTC), keys.store().active()
        )
    body = scan(client, small)
    assert body["status"] == "valid" and body["number"] == certificate["number"]


def tampered_payload(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["id"] += 1
    forged = b64url_encode(json.dumps(claims, separators=(",", ":")).encode())
    return f"{header}.{forged}.{signature}"


def resigned_with_a_foreign_key(token: str) -> str:
    kid = json.loads(b64url_decode(token.split(".")[0]))["kid"]
    impostor = generate_key(kid, now=datetime.now(UTC) - timedelta(days=1))
    return document_token("certificate", 1, datetime.now(UTC), impostor)


@pytest.mark.parametrize(
    "forge",
    [
        tampered_payload,
        resigned_with_a_foreign_key,
        lambda token: token[:-5],
        lambda token: token.rsplit(".", 1)[0] + ".",
        lambda token: ".".join(token.split(".")[:2]),
        lambda token: b64url_encode(b'{"alg":"none","kid":"x"}') + "." + token.split(".")[1] + ".",
        lambda token: "garbage",
    ],
)
def test_a_forged_truncated_or_resigned_token_is_invalid(client, certificate, forge):
    body = scan(client, forge(certificate["token"]))
    assert body["status"] == "invalid" and body["reason"]
    assert "pdf_url" not in body


def non_ascii_payload(token: str) -> str:
    header, payload, signature = token.split(".")
    return f"{header}.{payload[:-1]}é.{signature}"


def test_a_token_with_a_non_ascii_payload_is_invalid_on_the_api_the_page_and_offline(
    client, certificate, tmp_path, capsys
):
    """Hole: a non-ASCII character in the payload part answered 500, and the offline
    command blamed the key set."""
    token = non_ascii_payload(certificate["token"])
    body = scan(client, token)
    assert body["status"] == "invalid" and "payload" in body["reason"]
    page = client.get(f"/v/{token}")
    assert page.status_code == 200 and "无效" in page.get_data(as_text=True)
    saved = tmp_path / "keys.json"
    saved.write_text(json.dumps(client.get("/api/v1/keys").json), encoding="utf-8")
    assert offline.main([token, "--jwks", str(saved)]) == 1
    assert json.loads(capsys.readouterr().out)["signature"] == "invalid"


def test_a_well_signed_token_for_a_document_we_do_not_hold_is_unknown(app, client, certificate):
    with app.app_context():
        token = document_token("certificate", 999_999, datetime.now(UTC), keys.store().active())
    body = scan(client, token)
    assert body["status"] == "unknown" and body["kind"] == "certificate"
    assert "pdf_url" not in body


def page_of(client, token: str, lang: str) -> str:
    return client.get(f"/v/{token}?lang={lang}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("action", "english", "chinese"),
    [("suspend", "Suspended on {}", "已于 {} 暂停"), ("revoke", "Revoked on {}", "已于 {} 撤销")],
)
def test_a_suspended_or_revoked_certificates_page_says_since_when_and_why(
    client, certification, issued, certificate, action, english, chinese
):
    certification.ok(issued["id"], action, certification.admin, reason="Under review.")
    today = datetime.now(UTC).date().isoformat()
    page = page_of(client, certificate["token"], "en")
    assert english.format(today) in page and "Reason:" in page and "Under review." in page
    assert "Was valid until" in page and "<dt>Valid until</dt>" not in page
    page = page_of(client, certificate["token"], "zh")
    assert chinese.format(today) in page and "原因：" in page and "原有效期至" in page
    assert "<dt>有效期至</dt>" not in page


def test_a_certificates_page_links_to_the_offset_report_that_spent_its_credits(client, certificate):
    page = page_of(client, certificate["token"], "en")
    assert "<dt>Valid until</dt>" in page
    link = re.search(r'<a href="(/offsets/claims/\d+)">Offset report</a>', page)
    assert link, "no link to the offset report"
    report = client.get(link[1] + "?lang=en").get_data(as_text=True)
    assert "Qualifies" in report and SCENIC_AREA["name"] in report


def test_after_its_validity_a_certificate_scans_expired(app, certificate):
    later = datetime.fromisoformat(certificate["valid_until"]).replace(tzinfo=UTC) + timedelta(2)
    with app.app_context():
        assert verification.verify(certificate["token"], now=later)["status"] == "expired"


def test_tokens_signed_before_a_key_rotation_still_verify(app, client, certificate):
    published = len(client.get("/api/v1/keys").json["keys"])
    with app.app_context():
        keys.store().rotate()
    assert scan(client, certificate["token"])["status"] == "valid"
    # the new key, under its kid and its short kid
    assert len(client.get("/api/v1/keys").json["keys"]) == published + 2


def test_a_third_party_verifies_the_token_offline_from_the_saved_key_set(
    client, certificate, tmp_path, capsys
):
    saved = tmp_path / "keys.json"
    saved.write_text(json.dumps(client.get("/api/v1/keys").json), encoding="utf-8")
    assert offline.main([certificate["token"], "--jwks", str(saved)]) == 0
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["signature"] == "valid" and verdict["id"] == certificate["id"]
    assert offline.main([tampered_payload(certificate["token"]), "--jwks", str(saved)]) == 1


def test_the_certificate_signatures_verify_against_the_published_keys(client, certificate):
    district = [verifying_key_from_jwk(k) for k in client.get("/api/v1/keys").json["keys"]]
    assert verify_detached(certificate["content"], certificate["signature"], district)
    verifiers = [
        verifying_key_from_jwk(k) for k in client.get("/api/v1/keys/verifiers").json["keys"]
    ]
    assert verify_sign_off(
        certificate["content"]["attestation"],
        certificate["content"]["verifier_signature"],
        verifiers,
    )
    forged = {**certificate["content"], "valid_until": "2099-12-31"}
    assert not verify_detached(forged, certificate["signature"], district)
