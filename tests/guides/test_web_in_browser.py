"""The guide page in a real browser, on the narrowest phone."""

from tests.conftest import assert_accessible, assert_fits


def test_the_guide_page_renders_its_chinese_title_and_fits_the_phone(live_server, phone):
    phone.goto(f"{live_server}/guide")
    assert "碳中和景区实施指南" in phone.locator("h1").inner_text()
    assert phone.locator(".checksum code").is_visible()
    assert not phone.locator("thead").first.is_visible(), "on a phone each criterion is a card"
    assert_fits(phone)
    assert_accessible(phone)
