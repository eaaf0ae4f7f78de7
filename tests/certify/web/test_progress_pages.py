"""The progress dashboard at /progress, and each year's signed report as JSON and PDF."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from certify.services import progress
from footprint.platform.pdf.text import tonnes
from tests.certify.builders import LAST_YEAR

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def page(client, query: str = "") -> str:
    response = client.get(f"/progress{query}", headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found, name
    return found.group(1).strip()


def test_the_dashboard_says_helpfully_that_nothing_is_verified_yet(client):
    chinese = page(client)
    assert "尚无经核证的数据" in chinese and 'href="/guide"' in chinese
    english = page(client, "?lang=en")
    assert "Nothing verified yet" in english
    assert "once an accredited verifier has verified" in english
    assert "<svg" not in english and "<table" not in english


def test_a_certificate_issued_or_suspended_after_the_page_was_served_is_shown_at_once(
    client, certification
):
    assert "Nothing verified yet" in page(client, "?lang=en")
    issued = certification.issued()
    assert figure(page(client, "?lang=en"), "scenic_areas_certified") == "1"
    certification.ok(issued["id"], "suspend", certification.admin, reason="Meters under review.")
    assert figure(page(client, "?lang=en"), "scenic_areas_certified") == "0"


def test_the_registers_are_one_click_away_and_the_basis_is_stated(client, issued):
    for html in (page(client), page(client, "?lang=en")):
        assert 'href="/certified"' in html and 'href="/registry/retirements"' in html
    assert "数据仅来自经核证的排放清单和已颁发的证书与标签" in page(client, "?lang=zh")
    assert "Figures come only from verified inventories and issued" in page(client, "?lang=en")


def test_the_dashboard_shows_the_figures_the_service_computes(app, client, issued):
    with app.app_context():
        (period,) = progress.periods()
    html = page(client, "?lang=en")
    assert f"Latest year: {LAST_YEAR}" in html
    assert figure(html, "gross_market_tco2e") == tonnes(period.gross_market_tco2e)
    assert figure(html, "gross_location_tco2e") == tonnes(period.gross_location_tco2e)
    assert figure(html, "net_tco2e") == tonnes(period.net_tco2e)
    assert figure(html, "credits_retired_tco2e") == "60"
    assert figure(html, "scenic_areas_certified") == "1"
    per_visitor = period.per_visitor_kgco2e.quantize(Decimal("0.001"), ROUND_HALF_UP)
    assert figure(html, "per_visitor_kgco2e") == f"{per_visitor:,}"
    assert figure(html, "per_room_night_kgco2e") == "—"
    row = re.search(rf'<tr data-year="{LAST_YEAR}">(.*?)</tr>', html, re.DOTALL).group(1)
    assert tonnes(period.net_tco2e) in row and tonnes(period.gross_location_tco2e) in row
    assert f'href="/progress/{LAST_YEAR}.pdf"' in html
    assert f'href="/progress/{LAST_YEAR}.json"' in html


def test_the_charts_are_inline_svg_the_policy_allows_each_with_its_table(client, issued):
    html = page(client)
    charts = re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)
    assert len(charts) == 2  # emissions; per visitor (no inventory reports room-nights)
    for chart in charts:
        assert ' style="' not in chart and "<?xml" not in chart and "DOCTYPE" not in chart
        assert 'role="img"' in chart and 'width="100%"' in chart
        labelled = re.search(r'aria-labelledby="([^"]+) ([^"]+)"', chart).groups()
        for ident in labelled:
            assert f'id="{ident}"' in chart
    assert html.index("<svg") < html.index('<table class="stack" id="emissions">')
    assert "历年排放、注销碳汇与净排放" in charts[0]  # the chart's title is in the page's language
    assert "progress.css" in html


def test_the_page_is_in_chinese_by_default_and_in_english_when_asked(client, issued):
    chinese = page(client)
    assert '<html lang="zh-CN">' in chinese and "碳中和进展" in chinese and "净排放" in chinese
    english = page(client, "?lang=en")
    assert '<html lang="en">' in english and "Carbon-neutral progress" in english
    assert "净排放" not in english.split('<main id="main">', 1)[1]


def test_the_signed_json_of_a_year_is_served_with_its_signature(client, issued):
    response = client.get(f"/progress/{LAST_YEAR}.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.json
    assert set(body) == {"content", "signature", "fingerprint"}
    assert body["content"]["year"] == LAST_YEAR
    assert body["content"]["as_of"] == date.today().isoformat()
    assert body["signature"]["alg"] == "EdDSA"
    assert body["signature"]["sha256"] == progress.content_sha256(body["content"])


def test_a_year_without_data_is_not_found_as_json_pdf_or_page(client, issued):
    for suffix in ("json", "pdf"):
        assert client.get(f"/progress/{LAST_YEAR - 3}.{suffix}").status_code == 404
    browser = client.get(f"/progress/{LAST_YEAR - 3}.pdf", headers=BROWSER)
    assert browser.status_code == 404 and browser.mimetype == "text/html"
