"""The page a phone opens when it scans a certificate's QR code, in a real browser.

The certificate's own `verification_url` starts with PUBLIC_BASE_URL, which is not the
live server, so the page is opened at the live server with the certificate's token.
"""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import expect

from certify.core.signing import document_token, generate_key
from tests.certify.builders import SCENIC_AREA

TIMEOUT = 5_000
"""Milliseconds: the pages are rendered by the server, there is nothing to wait for."""
REASON = (
    "Credits were counted twice, see https://registry.example/retirements/"
    + "0" * 60
    + " 碳信用被重复计算。"
)
"""With a long unbroken URL, which must wrap rather than widen the page."""


def open_verification(page, live_server: str, token: str):
    """Open /v/{token} on the live server; the status element."""
    response = page.goto(f"{live_server}/v/{token}", timeout=TIMEOUT)
    assert response is not None and response.status == 200
    status = page.get_by_role("status")
    expect(status).to_be_visible(timeout=TIMEOUT)
    return status


def assert_fits_the_phone(page) -> None:
    scroll_width, inner_width = page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, "the page scrolls sideways on a phone"


def test_a_valid_certificate_scans_valid_in_chinese_and_english_on_a_phone(
    live_server, page, certificate
):
    status = open_verification(page, live_server, certificate["token"])
    expect(status).to_have_attribute("data-status", "valid", timeout=TIMEOUT)
    expect(status).to_contain_text("有效", timeout=TIMEOUT)
    expect(status).to_contain_text("Valid", timeout=TIMEOUT)
    expect(page.get_by_text(SCENIC_AREA["name"]).first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator("h1")).to_contain_text(certificate["number"], timeout=TIMEOUT)
    pdf = page.locator("a.pdf")
    expect(pdf).to_be_visible(timeout=TIMEOUT)
    assert pdf.get_attribute("href") == certificate["pdf_url"]
    assert "原因" not in page.inner_text("main")
    assert_fits_the_phone(page)


def test_a_revoked_certificate_scans_revoked_with_the_reason(
    live_server, page, certification, issued, certificate
):
    status = open_verification(page, live_server, certificate["token"])
    expect(status).to_have_attribute("data-status", "valid", timeout=TIMEOUT)

    certification.ok(issued["id"], "revoke", certification.admin, reason=REASON)
    page.reload(timeout=TIMEOUT)

    expect(status).to_have_attribute("data-status", "revoked", timeout=TIMEOUT)
    expect(status).to_contain_text("已撤销", timeout=TIMEOUT)
    expect(status).to_contain_text("Revoked", timeout=TIMEOUT)
    assert "有效" not in status.inner_text()
    expect(page.get_by_text(REASON)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(SCENIC_AREA["name"]).first).to_be_visible(timeout=TIMEOUT)
    assert_fits_the_phone(page)


def test_a_garbage_token_scans_invalid(live_server, page):
    status = open_verification(page, live_server, "abc.def.ghi")
    expect(status).to_have_attribute("data-status", "invalid", timeout=TIMEOUT)
    expect(status).to_contain_text("无效", timeout=TIMEOUT)
    expect(status).to_contain_text("Invalid", timeout=TIMEOUT)
    assert page.locator("a.pdf").count() == 0
    assert_fits_the_phone(page)


def test_a_token_signed_by_a_foreign_key_scans_invalid(live_server, page, certificate):
    now = datetime.now(UTC)
    forged = document_token("certificate", certificate["id"], now, generate_key(now=now))
    status = open_verification(page, live_server, forged)
    expect(status).to_have_attribute("data-status", "invalid", timeout=TIMEOUT)
    expect(status).to_contain_text("无效", timeout=TIMEOUT)
    assert page.get_by_text(SCENIC_AREA["name"]).count() == 0
    assert page.locator("a.pdf").count() == 0
    assert_fits_the_phone(page)


def test_a_scanned_tea_label_shows_its_figure_stages_and_published_range_on_a_phone(
    client, live_server, page, labelling
):
    issued = labelling.issued()
    label = client.get(f"/api/v1/labels/{issued['label_id']}").json
    figure = label["content"]["attestation"]["content"]["kgco2e_per_unit"]
    status = open_verification(page, live_server, label["token"])
    expect(status).to_have_attribute("data-status", "valid", timeout=TIMEOUT)
    expect(page.locator("[data-figure]")).to_contain_text(figure, timeout=TIMEOUT)
    expect(page.locator("[data-stage]")).to_have_count(3, timeout=TIMEOUT)
    expect(page.locator("[data-position]")).to_have_attribute(
        "data-position", "within", timeout=TIMEOUT
    )
    expect(page.get_by_text("per 250 g pack")).to_be_visible(timeout=TIMEOUT)
    assert_fits_the_phone(page)
