"""Public pages served again from memory while their data version has not moved."""

from __future__ import annotations

import pytest

from footprint.platform import page_cache


@pytest.fixture
def renders() -> list[str]:
    return []


def served(app, renders: list[str], version: object, path: str = "/calculator?lang=en"):
    def render() -> str:
        renders.append(path)
        return f"<p>rendered {len(renders)}</p>"

    with app.test_request_context(path):
        app.preprocess_request()
        return page_cache.page(version, render)


def test_a_page_is_rendered_once_while_its_version_stands(app, renders):
    first = served(app, renders, ("v", 1))
    again = served(app, renders, ("v", 1))
    assert len(renders) == 1 and again.get_data() == first.get_data() == b"<p>rendered 1</p>"
    moved = served(app, renders, ("v", 2))
    assert len(renders) == 2 and moved.get_data() == b"<p>rendered 2</p>"


def test_each_language_and_address_is_a_page_of_its_own(app, renders):
    served(app, renders, 1, "/calculator?lang=en")
    served(app, renders, 1, "/calculator?lang=zh")
    served(app, renders, 1, "/calculator?lang=en&t=2")
    assert len(renders) == 3


def test_the_oldest_page_goes_first_when_the_cache_is_full(app, renders, monkeypatch):
    monkeypatch.setattr(page_cache, "SIZE", 2)
    for path in ("/a", "/b", "/a", "/c", "/a", "/b"):
        served(app, renders, 1, path)
    assert renders == ["/a", "/b", "/c", "/b"]  # /a was used last, so /b left first


def test_a_kept_page_has_a_strong_etag_and_must_be_revalidated(app, renders):
    response = served(app, renders, 1)
    etag, weak = response.get_etag()
    assert etag and not weak and response.cache_control.no_cache


def test_a_browser_that_has_the_page_gets_a_304_until_the_data_moves(client):
    first = client.get("/calculator?lang=en", headers={"Accept": "text/html"})
    assert first.status_code == 200 and first.headers["ETag"]
    conditional = {"Accept": "text/html", "If-None-Match": first.headers["ETag"]}
    again = client.get("/calculator?lang=en", headers=conditional)
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get("/calculator?lang=zh", headers=conditional).status_code == 200
