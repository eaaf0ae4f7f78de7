"""Applying for certification in the workspace, in a real browser on a phone."""

from __future__ import annotations

import pytest

from tests.certify.builders import HOLDER, SCENIC_AREA, inventory_body
from tests.conftest import assert_accessible, assert_fits, screenshot
from tests.people import add_person, sign_in_browser

EMAIL = "keeper@wulingyuan.example"


@pytest.mark.no_script
def test_an_operator_applies_on_a_phone_without_javascript(
    live_server, phone, app, client, registry
):
    area = client.post("/api/v1/venues", json=SCENIC_AREA, headers=registry.holder).json
    client.post(
        f"/api/v1/venues/{area['id']}/inventories", json=inventory_body(), headers=registry.holder
    )
    add_person(app, EMAIL, organisation=HOLDER)
    sign_in_browser(phone, live_server, "/workspace/applications", EMAIL)
    phone.get_by_role("link", name="发起申请").click()
    phone.get_by_label("边界（中文）").fill("武陵源核心景区，含游客中心与环保车。")
    phone.get_by_role("button", name="保存").click()
    assert (
        "此项为必填" in phone.locator("main").inner_text()
        or "required" in phone.locator("main").inner_text()
    )
    assert (
        phone.get_by_label("边界（中文）").input_value() == "武陵源核心景区，含游客中心与环保车。"
    )
    assert_fits(phone)
    screenshot(phone, "workspace-application-errors")
    phone.get_by_label("边界（英文）").fill("The Wulingyuan core scenic area.")
    phone.get_by_label("基准期：起始日").fill("2019-01-01")
    phone.get_by_label("基准期：截止日").fill("2019-12-31")
    phone.get_by_label("基准年排放（吨二氧化碳当量）").fill("120")
    phone.get_by_label("目标 1：年份").fill("2030")
    phone.get_by_label("目标 1：减排对象").select_option("visitors")
    phone.get_by_label("目标 1：减排比例（%）").fill("40")
    phone.get_by_label("措施 1", exact=True).fill("环保车电动化")
    phone.get_by_label("措施 1：责任部门").fill("交通部门")
    phone.get_by_label("措施 1：完成期限").fill("2027-06-30")
    phone.get_by_label("抵消策略").fill("武陵源林业碳汇")
    phone.get_by_label("进展的公布方式").fill("每年在景区网站公布。")
    phone.get_by_role("button", name="保存").click()
    assert "申请：" in phone.locator("h1").inner_text()
    assert "指南核查清单" in phone.locator("main").inner_text()
    assert_fits(phone)
    screenshot(phone, "workspace-application")


def test_the_application_pages_are_accessible(live_server, phone, app, client, registry):
    area = client.post("/api/v1/venues", json=SCENIC_AREA, headers=registry.holder).json
    client.post(
        f"/api/v1/venues/{area['id']}/inventories", json=inventory_body(), headers=registry.holder
    )
    add_person(app, EMAIL, organisation=HOLDER)
    sign_in_browser(phone, live_server, "/workspace/applications", EMAIL)
    assert_accessible(phone)
    phone.get_by_role("link", name="发起申请").click()
    assert_accessible(phone)
    phone.get_by_role("button", name="保存").click()
    assert_accessible(phone)
