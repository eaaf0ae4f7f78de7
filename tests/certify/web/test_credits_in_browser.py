"""Retiring credits in the workspace, on a phone, with JavaScript off."""

from __future__ import annotations

import pytest

from tests.certify.builders import HOLDER, serial
from tests.conftest import assert_accessible, assert_fits, screenshot
from tests.people import add_person, sign_in_browser

EMAIL = "keeper@wulingyuan.example"


@pytest.mark.no_script
def test_an_operator_retires_credits_on_a_phone(live_server, phone, app, registry):
    add_person(app, EMAIL, organisation=HOLDER)
    sign_in_browser(phone, live_server, "/workspace/credits", EMAIL)
    phone.get_by_role("link", name="注销或转让这些信用").first.click()
    assert phone.locator("#retire-serial_start").input_value() == serial(1)
    phone.locator("#retire-serial_end").fill(serial(12))
    phone.locator("#retire-beneficiary").fill("天子山庄")
    phone.locator("#retire-purpose").fill("抵消 2024 年排放")
    phone.get_by_role("button", name="注销", exact=True).click()
    assert "已为 天子山庄 注销 12 个信用。" in phone.locator("main").inner_text()
    assert_fits(phone)
    screenshot(phone, "workspace-credits")


def test_the_credits_page_is_accessible(live_server, phone, app, registry):
    add_person(app, EMAIL, organisation=HOLDER)
    sign_in_browser(phone, live_server, "/workspace/credits", EMAIL)
    assert_accessible(phone)
    phone.get_by_role("button", name="注销", exact=True).click()
    assert_accessible(phone)
