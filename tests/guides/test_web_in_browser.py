"""The guide page in a real browser."""


def test_the_guide_page_renders_its_chinese_title(live_server, page):
    page.goto(f"{live_server}/guide")
    assert "碳中和景区实施指南" in page.locator("h1").inner_text()
