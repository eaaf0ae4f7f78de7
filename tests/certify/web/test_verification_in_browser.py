"""The page a phone opens when it scans a certificate's QR code, in a real browser.

The certificate's own `verification_url` starts with PUBLIC_BASE_URL, which is not the
live server, so the page is opened at the live server with the certificate's token.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from certify.core.signing import document_token, generate_key
from tests.certify.builders import SCENIC_AREA
from tests.conftest import assert_accessible, assert_fits

TIMEOUT = 5_000
"""Milliseconds: the pages are rendered by the server, there is nothing to wait for."""
REASON = (
    "Credits were counted twice, see https://registry.example/retirements/"
    + "0" * 60
    + " 碳信用被重复计算。"
)
"""With a long unbroken URL, which must wrap rather than widen the page."""


def open_verification(page, live_server: str, token: str, lang: str = "zh"):
    """Open /v/{token} on the live server, in ``lang``; the status element."""
    response = page.goto(f"{live_server}/v/{token}?lang={lang}", timeout=TIMEOUT)
    assert response is not None and response.status == 200
    status = page.get_by_role("status")
    expect(status).to_be_visible(timeout=TIMEOUT)
    return status


def test_a_valid_certificate_scans_valid_on_a_phone_and_links_its_offset_report(
    live_server, phone, certificate
):
    status = open_verification(phone, live_server, certificate["token"])
    expect(status).to_have_attribute("data-status", "valid", timeout=TIMEOUT)
    expect(status).to_contain_text("有效", timeout=TIMEOUT)
    expect(phone.get_by_text(SCENIC_AREA["name"]).first).to_be_visible(timeout=TIMEOUT)
    expect(phone.locator("h1")).to_contain_text(certificate["number"], timeout=TIMEOUT)
    pdf = phone.locator("a.pdf")
    expect(pdf).to_be_visible(timeout=TIMEOUT)
    assert pdf.get_attribute("href") == certificate["pdf_url"]
    assert "原因" not in phone.inner_text("main")
    assert_fits(phone)
    assert_accessible(phone)

    phone.get_by_role("link", name="抵消核验报告").click()
    expect(phone.locator("h1")).to_contain_text("碳抵消核验报告", timeout=TIMEOUT)
    expect(phone.locator(".verdict")).to_contain_text("符合要求", timeout=TIMEOUT)
    assert not phone.locator("thead").is_visible(), "on a phone each rule is a card"
    assert_fits(phone)
    assert_accessible(phone)

    status = open_verification(phone, live_server, certificate["token"], "en")
    expect(status).to_contain_text("Valid", timeout=TIMEOUT)


def test_a_revoked_certificate_scans_revoked_with_when_and_why(
    live_server, phone, certification, issued, certificate
):
    status = open_verification(phone, live_server, certificate["token"])
    expect(status).to_have_attribute("data-status", "valid", timeout=TIMEOUT)

    certification.ok(issued["id"], "revoke", certification.admin, reason=REASON)
    today = datetime.now(UTC).date().isoformat()
    phone.reload(timeout=TIMEOUT)

    expect(status).to_have_attribute("data-status", "revoked", timeout=TIMEOUT)
    expect(status).to_contain_text("已撤销", timeout=TIMEOUT)
    expect(status).to_contain_text(f"已于 {today} 撤销", timeout=TIMEOUT)
    assert "有效" not in status.inner_text()
    expect(phone.get_by_text(REASON)).to_be_visible(timeout=TIMEOUT)
    expect(phone.get_by_text("原有效期至")).to_be_visible(timeout=TIMEOUT)
    expect(phone.get_by_text(SCENIC_AREA["name"]).first).to_be_visible(timeout=TIMEOUT)
    assert_fits(phone)
    assert_accessible(phone)

    status = open_verification(phone, live_server, certificate["token"], "en")
    expect(status).to_contain_text(f"Revoked on {today}", timeout=TIMEOUT)
    expect(phone.get_by_text("Was valid until")).to_be_visible(timeout=TIMEOUT)
    assert "Valid" not in status.inner_text()


@pytest.mark.parametrize(("lang", "word"), [("zh", "无效"), ("en", "Invalid")])
def test_a_garbage_token_scans_invalid(live_server, phone, lang, word):
    status = open_verification(phone, live_server, "abc.def.ghi", lang)
    expect(status).to_have_attribute("data-status", "invalid", timeout=TIMEOUT)
    expect(status).to_contain_text(word, timeout=TIMEOUT)
    assert phone.locator("a.pdf").count() == 0
    assert_fits(phone)


def test_a_token_signed_by_a_foreign_key_scans_invalid(live_server, phone, certificate):
    now = datetime.now(UTC)
    forged = document_token("certificate", certificate["id"], now, generate_key(now=now))
    status = open_verification(phone, live_server, forged)
    expect(status).to_have_attribute("data-status", "invalid", timeout=TIMEOUT)
    expect(status).to_contain_text("无效", timeout=TIMEOUT)
    assert phone.get_by_text(SCENIC_AREA["name"]).count() == 0
    assert phone.locator("a.pdf").count() == 0
    assert_fits(phone)


@pytest.mark.no_script
def test_a_scanned_tea_label_shows_its_figure_stages_and_published_range_on_a_phone(
    client, live_server, phone, labelling
):
    issued = labelling.issued()
    label = client.get(f"/api/v1/labels/{issued['label_id']}").json
    figure = label["content"]["attestation"]["content"]["kgco2e_per_unit"]
    status = open_verification(phone, live_server, label["token"], "en")
    expect(status).to_have_attribute("data-status", "valid", timeout=TIMEOUT)
    expect(phone.locator("[data-figure]")).to_contain_text(figure, timeout=TIMEOUT)
    expect(phone.locator("[data-stage]")).to_have_count(3, timeout=TIMEOUT)
    for bar in phone.locator("[data-stage] .bar").all():
        assert bar.bounding_box()["width"] > 0, "a stage's bar is not drawn"
    expect(phone.locator("[data-position]")).to_have_attribute(
        "data-position", "within", timeout=TIMEOUT
    )
    expect(phone.get_by_text("per 250 g pack")).to_be_visible(timeout=TIMEOUT)
    assert_fits(phone)
    open_verification(phone, live_server, label["token"])
    expect(phone.get_by_text("每袋（250克）")).to_be_visible(timeout=TIMEOUT)
    assert_fits(phone)
