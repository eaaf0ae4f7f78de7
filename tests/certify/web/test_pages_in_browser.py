"""The registry's public page in a real browser, on a phone-sized screen."""

from __future__ import annotations

from tests.certify.builders import serial
from tests.conftest import assert_accessible, assert_fits


def test_a_visitor_finds_a_retirement_by_beneficiary_on_a_phone(
    client, registry, live_server, phone
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
    phone.goto(f"{live_server}/registry/retirements")
    assert phone.locator("tbody tr").count() == 2
    phone.get_by_label("受益方").fill("黄石寨")
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_url("**q=*")
    rows = phone.locator("tbody tr")
    assert rows.count() == 1
    assert "Huangshizhai" in rows.first.inner_text()
    assert serial(1) in rows.first.inner_text()
    # on a phone each row is a card: the labels are shown, the table header is not
    assert not phone.locator("thead").is_visible()
    label = "getComputedStyle(document.querySelector('tbody td'), '::before').content"
    assert phone.evaluate(label) == '"注销时间"'
    assert_fits(phone)
    assert_accessible(phone)


def test_a_mistyped_serial_is_said_beside_the_search_on_a_phone(live_server, phone):
    phone.goto(f"{live_server}/registry/retirements?serial=nonsense&lang=en")
    assert phone.get_by_label("Serial").get_attribute("aria-invalid") == "true"
    assert "nonsense is not a serial" in phone.locator("#serial-error").inner_text()
    assert_fits(phone)
