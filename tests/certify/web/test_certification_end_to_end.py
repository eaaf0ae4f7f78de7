"""The whole journey through the API: operator → verifier → certificate → scan → revoke → scan."""

from __future__ import annotations

from certify.core.signing import read_document_token, verifying_key_from_jwk


def token_of(url: str) -> str:
    return url.rsplit("/v/", 1)[1]


def test_an_operator_is_certified_and_a_revoked_certificate_never_scans_valid(
    client, certification
):
    c = certification
    application = c.apply()
    number = application["id"]
    assert application["state"] == "draft"
    assert application["guide_version"] == 1

    submitted = c.ok(number, "submit", c.operator)
    assert submitted["state"] == "submitted"
    assert c.assign(number).status_code == 200
    in_review = c.ok(number, "start_review", c.verifier)
    automatic = {
        line["criterion_id"]: line["outcome"]
        for line in in_review["checklist"]
        if line["check"] == "automatic"
    }
    assert set(automatic.values()) == {"pass"}, in_review["checklist"]

    early = c.sign_off(number, {"assurance_level": "limited", "conclusion": "ok"})
    assert early.status_code == 409
    assert "judgement" in early.json["detail"]

    c.judge_all(number)
    approved = c.signed_off(
        number, {"assurance_level": "limited", "conclusion": "No material misstatement."}
    )
    assert approved["state"] == "approved"
    assert approved["sign_off"]["signature"]["alg"] == "EdDSA"
    assert "jws" in approved["sign_off"]["signature"]

    issued = c.ok(number, "issue", c.admin)
    assert issued["state"] == "issued"
    certificate = client.get(f"/api/v1/certificates/{issued['certificate_id']}").json
    assert certificate["status"] == "valid"
    token = token_of(certificate["verification_url"])

    scan = client.get(f"/api/v1/verify/{token}").json
    assert scan["status"] == "valid" and scan["kind"] == "certificate"
    assert scan["pdf_url"].endswith(f"/api/v1/certificates/{certificate['id']}/pdf")
    pdf = client.get(f"/api/v1/certificates/{certificate['id']}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    jwks = client.get("/api/v1/keys").json
    keys = [verifying_key_from_jwk(jwk) for jwk in jwks["keys"]]
    assert read_document_token(token, keys).document_id == certificate["id"]

    revoked = c.ok(number, "revoke", c.admin, reason="Credits were counted twice.")
    assert revoked["state"] == "revoked"
    scan = client.get(f"/api/v1/verify/{token}").json
    assert scan["status"] == "revoked"
    assert scan["reason"] == "Credits were counted twice."


def test_the_public_register_lists_certificates_and_labels_with_their_status(
    client, certification, labelling
):
    issued = certification.issued()
    certificate = client.get(f"/api/v1/certificates/{issued['certificate_id']}").json
    certification.ok(issued["id"], "suspend", certification.admin, reason="Under review.")
    page = client.get("/certified").get_data(as_text=True)
    assert certificate["number"] in page and ">已暂停" in page
    assert "Under review." in page and f"/v/{certificate['token']}" in page
    assert "武陵源碳中和景区计划为" in page, "the register says what the programme is"
    english = client.get("/certified?lang=en").get_data(as_text=True)
    assert ">Suspended" in english
    assert "The Wulingyuan carbon-neutral programme certifies" in english
    label = client.get(f"/api/v1/labels/{labelling.issued()['label_id']}").json
    labels_page = client.get("/certified?kind=label&lang=zh").get_data(as_text=True)
    assert label["number"] in labels_page and ">有效" in labels_page
