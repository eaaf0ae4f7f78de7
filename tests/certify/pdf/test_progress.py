"""The annual progress report as printed: from its signed content alone, on as many pages
as its certificates need, the same bytes every time, every glyph embedded."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from certify.core.signing import fingerprint, generate_key, sign_detached
from certify.pdf.progress import render_progress_report
from certify.services.progress import DocumentLine, InventoryFigures, Progress, disclosure, tally
from tests.certify.pdf.tools import fonts, pages, text

YEAR = 2025
URLS = {"json_url": "http://localhost:5000/progress/2025.json", "keys_url": "http://x/keys"}
METHOD = {
    "guides": [{"version": 1, "title_zh": "指南", "title_en": "Guide", "checksum": "ab" * 32}],
    "datasets": [{"code": "CN-2024", "title_zh": "中国默认因子", "title_en": "China defaults"}],
    "accounting": "GHG Protocol",
}


def inventory(number: int, year: int) -> InventoryFigures:
    return InventoryFigures(
        inventory_id=number,
        venue_id=number % 40,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        dataset="CN-2024",
        location_kg=Decimal(41000 + number),
        market_kg=Decimal(43000 + number),
        visitors=Decimal(100000),
        room_nights=None,
    )


def certificate(figures: InventoryFigures, status: str) -> DocumentLine:
    return DocumentLine(
        kind="certificate",
        id=figures.inventory_id,
        number=f"SC-2026-{figures.inventory_id:06d}",
        status=status,
        year=figures.year,
        subject=f"景区{figures.inventory_id} Scenic area {figures.inventory_id}",
        subject_kind="scenic_area",
        subject_id=figures.venue_id,
        inventory_id=figures.inventory_id,
        organisation="Wulingyuan Scenic Area Administration",
        period_start=figures.period_start,
        period_end=figures.period_end,
        total_tco2e=figures.market_kg / 1000,
        credits_tco2e=50,
        valid_until=date(2027, 12, 31),
        guide_version=1,
        dataset="CN-2024",
    )


def signed_report(certificates: int, status: str = "valid") -> dict:
    inventories = [inventory(n, YEAR) for n in range(1, certificates + 1)]
    inventories += [inventory(1000 + n, YEAR - 1) for n in range(3)]
    documents = [certificate(f, status) for f in inventories if f.year == YEAR]
    state = Progress(tally(inventories=inventories, documents=documents), documents, inventories)
    content = disclosure(
        year=YEAR,
        state=state,
        as_of=date(2026, 3, 1),
        issuer={"zh": "武陵源区碳办", "en": "Wulingyuan District Carbon Office"},
        method=METHOD,
    )
    key = generate_key(now=datetime(2026, 1, 1, tzinfo=UTC))
    return {
        "content": content,
        "signature": sign_detached(content, key),
        "fingerprint": fingerprint(key),
    }


@pytest.fixture
def write(tmp_path: Path):
    def written(report: dict, name: str = "report.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(render_progress_report(report, **URLS))
        return path

    return written


def test_a_long_list_of_certificates_runs_on_to_further_pages_with_its_headers(write):
    report = signed_report(60)
    path = write(report)
    assert pages(path) >= 3
    printed = text(path, "-raw")
    for n in (1, 30, 60):
        assert f"SC-2026-{n:06d}" in printed
    assert printed.count("编号") >= 3  # the certificates' headers, on every page they run on
    assert f"第 {pages(path)} 页 Page {pages(path)}" in printed
    assert "2024" in printed and "2025" in printed  # the series of the years


def test_the_same_signed_report_prints_the_same_bytes(write):
    report = signed_report(3)
    assert write(report, "a.pdf").read_bytes() == write(report, "b.pdf").read_bytes()


def test_every_font_is_embedded_so_chinese_shows_in_any_viewer(write):
    assert all(row.embedded and row.unicode for row in fonts(write(signed_report(3))))


def test_a_revoked_certificate_is_listed_as_such_and_said_not_to_count(write):
    report = signed_report(2, status="revoked")
    assert report["content"]["figures"]["credits_retired_tco2e"] == 0
    printed = text(write(report), "-raw")
    assert "已撤销 Revoked" in printed
    assert "count toward neither the certified" in printed.replace("\n", " ")


def test_the_reader_is_told_where_to_check_the_signature(write):
    report = signed_report(1)
    printed = text(write(report), "-raw").replace("\n", "")
    assert report["signature"]["sha256"] in printed
    assert URLS["json_url"] in printed and URLS["keys_url"] in printed
    assert report["fingerprint"] in printed
