"""The API docs page in a real browser: Swagger UI served by the app itself."""


def test_the_api_docs_page_loads_swagger_ui_from_the_app(live_server, page):
    page.goto(f"{live_server}/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/footprints/trips" in p for p in paths)
