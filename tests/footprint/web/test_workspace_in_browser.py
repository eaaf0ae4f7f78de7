"""The operators' workspace in a real browser, on a phone-sized screen, in Chinese."""

from __future__ import annotations

import pytest

from tests.conftest import assert_accessible, assert_fits, screenshot
from tests.people import add_person, sign_in_browser

EMAIL = "keeper@tianzi.example"


@pytest.fixture
def keeper(app):
    add_person(app, EMAIL, organisation="Tianzi Hotel")


@pytest.mark.no_script
def test_an_operator_registers_and_renames_a_venue_on_a_phone_without_javascript(
    live_server, phone, keeper
):
    sign_in_browser(phone, live_server, "/workspace", EMAIL)
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
    sign_in_browser(phone, live_server, "/workspace/venues/new", EMAIL)
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


def test_an_operator_enters_an_inventory_by_form_and_another_by_csv_on_a_phone(
    live_server, phone, keeper, tmp_path
):
    sign_in_browser(phone, live_server, "/workspace/venues/new", EMAIL)
    phone.get_by_label("名称").fill("天子山庄")
    phone.get_by_label("类型").select_option("hotel")
    phone.get_by_role("button", name="保存").click()
    phone.get_by_role("link", name="填报排放清单").click()
    form = phone.locator("form").nth(0)
    form.get_by_label("起始日").fill("2024-01-01")
    form.get_by_label("截止日").fill("2024-12-31")
    phone.locator("#k0").select_option("grid_electricity")
    phone.locator("#q0").fill("800")
    phone.locator("#u0").fill("MWh")
    assert_accessible(phone)
    form.get_by_role("button", name="保存排放清单").click()
    assert "排放清单 2024-01-01 – 2024-12-31" in phone.locator("h1").inner_text()
    assert_fits(phone)
    assert_accessible(phone)
    screenshot(phone, "workspace-inventory")
    phone.go_back()
    lines = tmp_path / "lines.csv"

    def upload(text: str) -> None:
        lines.write_text(text)
        form = phone.locator("form").nth(1)
        form.get_by_label("起始日").fill("2025-01-01")
        form.get_by_label("截止日").fill("2025-12-31")
        form.get_by_label("CSV 文件").set_input_files(str(lines))
        form.get_by_role("button", name="检查并预览").click()

    upload("kind,key,quantity,unit\ngrid_electricity,,700,MWh\nfuel,diesel,ten,L\n")
    assert "第 3 行，quantity 列" in phone.locator("main").inner_text()
    assert_accessible(phone)
    phone.go_back()
    upload("kind,key,quantity,unit\ngrid_electricity,,700,MWh\nfuel,diesel,10,L\n")
    assert "所有行均无误" in phone.locator("main").inner_text()
    assert_fits(phone)
    screenshot(phone, "workspace-csv-preview")
    phone.get_by_role("button", name="保存排放清单").click()
    assert "排放清单 2025-01-01 – 2025-12-31" in phone.locator("h1").inner_text()
