"""A verifier makes their key in the browser (WebCrypto, IndexedDB), registers it, signs
off an application with it; the certificate issues and verifies against the JWKS."""

from __future__ import annotations

from certify.core.signing import verify_sign_off, verifying_key_from_jwk
from footprint.accounts.users import set_password, user_by_email
from footprint.platform.db import db
from tests.conftest import assert_accessible, screenshot
from tests.people import sign_in_browser


def test_a_verifier_signs_off_with_a_key_made_in_the_browser(
    live_server, phone, app, client, certification
):
    c = certification
    number = c.under_review()
    with app.app_context():
        set_password(user_by_email(c.verifier_email), password="correct horse battery")
        db.session.commit()
    sign_in_browser(phone, live_server, "/account", c.verifier_email)
    phone.get_by_role("link", name="您用于签署的签名密钥").click()
    phone.get_by_role("button", name="在本浏览器中生成新密钥并登记").click()
    phone.wait_for_load_state("networkidle")
    registered = phone.locator("#active-fingerprint code").inner_text()
    phone.locator("#browser-fingerprint").filter(has_text=registered).wait_for()
    assert_accessible(phone)
    screenshot(phone, "review-keys")
    keys = client.get("/api/v1/verifiers/keys", headers=c.verifier).json
    assert [k["registered_through"] for k in keys] == ["browser"]
    assert keys[0]["fingerprint"] == registered

    phone.goto(f"{live_server}/review/applications/{number}/sign-off")
    phone.get_by_label("结论").fill("未发现重大错报。")
    phone.get_by_role("button", name="准备签署").click()
    phone.get_by_role("button", name="用本浏览器中的密钥签名并批准").click()
    phone.wait_for_url(f"{live_server}/review/applications/{number}/signed")
    assert "已用您自己的密钥记录" in phone.locator("main").inner_text()

    issued = c.ok(number, "issue", c.admin)
    certificate = client.get(f"/api/v1/certificates/{issued['certificate_id']}").json
    assert certificate["status"] == "valid"
    signature = certificate["content"]["verifier_signature"]
    assert signature["kid"] == keys[0]["kid"] and "jws" in signature
    verifiers = [
        verifying_key_from_jwk(k) for k in client.get("/api/v1/keys/verifiers").json["keys"]
    ]
    assert verify_sign_off(certificate["content"]["attestation"], signature, verifiers)
    assert client.get(f"/api/v1/verify/{certificate['token']}").json["status"] == "valid"
