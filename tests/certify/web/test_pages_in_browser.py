"""The registry's public page in a real browser, on a phone-sized screen."""

from __future__ import annotations

from tests.certify.builders import serial


def test_a_visitor_finds_a_retirement_by_beneficiary_on_a_phone(
    client, registry, live_server, page
):
    client.post(
        "/api/v1/registry/retirements",
        headers=registry.holder,
        json={
            "serial_start": serial(1),
            "serial_end": serial(12),
            "beneficiary": "Huangshizhai Scenic Spot 黄石寨景区",
            "purpose": "2026 neutrality",
        },
    )
    client.post(
        "/api/v1/registry/retirements",
        headers=registry.holder,
        json={
            "serial_start": serial(13),
            "serial_end": serial(14),
            "beneficiary": "Tianzi Mountain 天子山",
            "purpose": "2026 neutrality",
        },
    )
    page.goto(f"{live_server}/registry/retirements")
    assert page.locator("tbody tr").count() == 2
    page.fill("input[name=q]", "黄石寨")
    page.click("button[type=submit]")
    page.wait_for_url("**q=*")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert "Huangshizhai" in rows.first.inner_text()
    assert serial(1) in rows.first.inner_text()
    # on a phone each row is a card: the labels are shown, the table header is not
    assert not page.locator("thead").is_visible()
