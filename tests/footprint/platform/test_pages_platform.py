"""What every page stands on: its language, error pages for browsers, security headers,
and message catalogues with every string in Chinese."""

from __future__ import annotations

import pytest

from footprint.platform import catalogues, headers

PAGE = "/no-such-page"
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def html_lang(response) -> str:
    text = response.get_data(as_text=True)
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_pages_are_in_chinese_unless_the_browser_prefers_english(client):
    assert html_lang(client.get(PAGE, headers=BROWSER)) == "zh-CN"
    english = client.get(PAGE, headers={**BROWSER, "Accept-Language": "en-GB,en;q=0.9"})
    assert html_lang(english) == "en" and "Page not found" in english.get_data(as_text=True)
    chinese = client.get(PAGE, headers={**BROWSER, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert "找不到该页面" in chinese.get_data(as_text=True)


def test_the_language_asked_for_is_remembered_in_a_cookie(client):
    asked = client.get(PAGE + "?lang=en", headers=BROWSER)
    assert html_lang(asked) == "en" and "lang=en" in asked.headers["Set-Cookie"]
    later = client.get(PAGE, headers={**BROWSER, "Accept-Language": "zh-CN"})
    assert html_lang(later) == "en"
    assert html_lang(client.get(PAGE + "?lang=zh", headers=BROWSER)) == "zh-CN"


def test_a_page_tells_caches_its_language_follows_the_browser_and_the_cookie(client):
    vary = client.get("/calculator", headers=BROWSER).vary
    assert "Accept-Language" in vary and "Cookie" in vary


def test_every_page_links_to_itself_in_the_other_language(client):
    text = client.get(PAGE + "?a=1", headers=BROWSER).get_data(as_text=True)
    assert 'href="/no-such-page?a=1&amp;lang=en"' in text and ">English<" in text


@pytest.mark.parametrize(
    ("path", "status"), [("/no-such-page", 404), ("/api/v1/keys", 405), ("/guide", 405)]
)
def test_a_browser_gets_an_error_page_with_a_way_home(client, path, status):
    response = (
        client.post(path, headers=BROWSER) if status == 405 else client.get(path, headers=BROWSER)
    )
    if path.startswith("/api/"):
        assert response.mimetype == "application/problem+json"
        return
    assert response.status_code == status and response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "<title>" in text and 'href="/"' in text


def test_api_clients_keep_problem_json(client):
    response = client.get(PAGE, headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.get(PAGE).mimetype == "application/problem+json"


def test_every_response_carries_the_security_headers_and_a_strict_policy(client):
    response = client.get(PAGE, headers=BROWSER)
    for name, value in headers.HEADERS.items():
        assert response.headers[name] == value
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_https_only_is_asked_for_when_the_public_address_is_https(app, client, monkeypatch):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://carbon.wulingyuan.example")
    for path in ("/healthz", PAGE, "/api/v1/factors/datasets"):
        assert client.get(path).headers["Strict-Transport-Security"] == headers.HSTS


def test_no_page_template_has_inline_script_or_style():
    for template in (catalogues.ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<style" not in text and " style=" not in text, template
        assert "<script>" not in text, template


@pytest.mark.parametrize("folder", catalogues.catalogues(), ids=catalogues.name)
def test_every_page_string_has_its_chinese_and_the_compiled_catalogue_is_current(folder):
    assert catalogues.problems(folder) == []
