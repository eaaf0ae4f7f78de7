"""A tourist works out a trip's footprint on a phone, in a real browser: with JavaScript
(the result follows as they type) and without it (a plain form), in either language."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.conftest import assert_accessible, assert_fits, screenshot

TIMEOUT = 10_000
TRIP = {"transport": [{"mode": "high_speed_rail", "distance_km": 351}], "travellers": 2}


def api_total(live_server: str, body: dict) -> str:
    request = urllib.request.Request(
        f"{live_server}/api/v1/footprints/trips",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return str(json.load(response)["total_kgco2e"])


def fill_trip(phone) -> None:
    phone.fill("#t", "2")
    phone.select_option("#o0", "CSS-ZJW")


@pytest.mark.no_script
def test_without_javascript_the_form_computes_the_apis_total(live_server, phone):
    phone.goto(f"{live_server}/calculator?lang=en")
    phone.fill("#t", "2")
    phone.select_option("#m0", "high_speed_rail")
    phone.fill("#d0", "351")
    phone.click("button.calculate")
    total = phone.locator("[data-total-kg]")
    total.wait_for(timeout=TIMEOUT)
    assert total.get_attribute("data-total-kg") == api_total(live_server, TRIP)
    assert_fits(phone)
    screenshot(phone, "calculator-no-script")


def test_with_javascript_the_result_follows_the_form_and_the_link_reproduces_it(live_server, phone):
    phone.goto(f"{live_server}/calculator?lang=en")
    fill_trip(phone)
    assert phone.input_value("#d0") == "351" and phone.input_value("#m0") == "high_speed_rail"
    total = phone.locator("[data-total-kg]")
    total.wait_for(timeout=TIMEOUT)
    assert total.get_attribute("data-total-kg") == api_total(live_server, TRIP)
    phone.fill("#t", "3")
    expected = api_total(live_server, {**TRIP, "travellers": 3})
    phone.wait_for_function(
        f"() => document.querySelector('[data-total-kg]')?.dataset.totalKg === '{expected}'",
        timeout=TIMEOUT,
    )
    assert "t=3" in phone.url
    phone.goto(live_server + phone.locator("a.share").get_attribute("href"))
    assert phone.locator("[data-total-kg]").get_attribute("data-total-kg") == expected
    assert_fits(phone)
    assert_accessible(phone)
    screenshot(phone, "calculator")


def test_the_tourist_switches_to_english_and_back(live_server, phone):
    phone.goto(f"{live_server}/calculator")
    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    assert phone.locator("h1").inner_text() == "您的行程碳足迹"
    phone.click("a.lang")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.locator("h1").inner_text() == "Your trip's carbon footprint"
    phone.goto(f"{live_server}/calculator")  # remembered
    assert phone.locator("html").get_attribute("lang") == "en"
    assert_accessible(phone)
