"""The progress dashboard in a real browser on the narrowest phone the pages are made for."""

from __future__ import annotations

from tests.certify.builders import LAST_YEAR
from tests.conftest import assert_accessible, assert_fits, screenshot


def test_the_dashboard_fits_a_360_px_phone_and_shows_its_chart(browser, live_server, issued):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/progress")
        chart = page.locator("svg.chart").first
        chart.scroll_into_view_if_needed()
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 250 and box["height"] > 100  # scaled to the screen, not collapsed
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
        columns = page.locator("svg.chart").first.locator("rect")
        assert columns.count() >= 3  # legend swatches and this year's columns, drawn
        fill = columns.first.evaluate("node => getComputedStyle(node).fill")
        assert fill not in ("rgb(0, 0, 0)", "none")  # the colours survived the CSP
        assert_fits(page)
        assert not page.locator("#emissions thead").is_visible()  # rows are cards on a phone
        assert str(LAST_YEAR) in page.locator("#emissions tbody").inner_text()
        assert_accessible(page)
        screenshot(page, "progress-dashboard-360")
    finally:
        context.close()
