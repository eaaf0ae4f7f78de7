"""The operators' workspace in a real browser, on a phone-sized screen, in Chinese."""

from __future__ import annotations

import pytest

from tests.conftest import assert_accessible, assert_fits, screenshot
from tests.people import PASSWORD, add_person

EMAIL = "keeper@tianzi.example"


@pytest.fixture
def keeper(app):
    add_person(app, EMAIL, organisation="Tianzi Hotel")


@pytest.mark.no_script
def test_an_operator_registers_and_renames_a_venue_on_a_phone_without_javascript(
    live_server, phone, keeper
):
    phone.goto(f"{live_server}/workspace")
    phone.get_by_label("邮箱").fill(EMAIL)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server}/workspace")
    phone.get_by_role("link", name="登记场所").click()
    phone.get_by_label("名称").fill("天子山庄")
    phone.get_by_role("button", name="保存").click()
    assert "此项为必填。" in phone.locator("#kind-error").inner_text()
    assert phone.get_by_label("名称").input_value() == "天子山庄"
    assert_fits(phone)
    screenshot(phone, "workspace-venue-form-errors")
    phone.get_by_label("类型").select_option("hotel")
    phone.get_by_role("button", name="保存").click()
    assert phone.locator("h1").inner_text() == "天子山庄"
    phone.get_by_role("link", name="编辑场所").click()
    phone.get_by_label("名称").fill("天子山大酒店")
    phone.get_by_role("button", name="保存").click()
    assert phone.locator("h1").inner_text() == "天子山大酒店"
    assert_fits(phone)


def test_the_workspace_pages_are_accessible(live_server, phone, keeper):
    phone.goto(f"{live_server}/workspace/venues/new")
    phone.get_by_label("邮箱").fill(EMAIL)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server}/workspace/venues/new")
    assert_accessible(phone)
    phone.get_by_role("button", name="保存").click()
    assert_accessible(phone)
    phone.get_by_label("名称").fill("天子山庄")
    phone.get_by_label("类型").select_option("hotel")
    phone.get_by_role("button", name="保存").click()
    assert_accessible(phone)
    phone.goto(f"{live_server}/workspace")
    assert_accessible(phone)
    screenshot(phone, "workspace-home")
