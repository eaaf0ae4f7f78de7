"""The annual progress report PDF (`/progress/{year}.pdf`) against a bare page in the same font.

In one process, on one CPU core, in interleaved rounds (as `bench.pdf` measures the
certificate): a bare reportlab A4 page with one line in the registered CJK font, and the
report of a district five years in, rendered from its signed content: the figures, the
column chart and table of the years, a dozen certificates and labels, the method and
the signature block (two pages). The content is built by the service's own pure parts
(`certify.services.progress.tally` and ``disclosure``) and signed with a fixed key, so no
database is needed.

``ok``: the report's median is at most `TARGET_RATIO` times the bare page's.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.core import one_core
from bench.pdf import _medians, bare_page
from certify.core.signing import SigningKey, fingerprint, sign_detached, thumbprint
from certify.pdf.progress import render_progress_report
from certify.services.progress import DocumentLine, InventoryFigures, Progress, disclosure, tally
from footprint.platform.pdf.fonts import cjk_fonts

TARGET_RATIO = 10.0
ROUNDS = 5
PER_ROUND = 20
YEARS = range(2021, 2026)
VENUES = ("武陵源风景名胜区", "天子山索道", "百龙天梯", "黄龙洞", "溪布街酒店")
BASE = "http://localhost:5000"


def _inventories() -> list[InventoryFigures]:
    rnd = random.Random(2025)
    rows = []
    for number, year in enumerate(YEARS):
        for venue, _ in enumerate(VENUES):
            market = Decimal(rnd.randrange(30_000_000, 90_000_000)) * (20 - number) / 20_000
            rows.append(
                InventoryFigures(
                    inventory_id=len(rows) + 1,
                    venue_id=venue + 1,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    dataset="CN-2024",
                    location_kg=market * Decimal("0.93"),
                    market_kg=market,
                    visitors=Decimal(rnd.randrange(200_000, 2_000_000)),
                    room_nights=Decimal(rnd.randrange(5_000, 50_000)) if venue == 4 else None,
                )
            )
    return rows


def _documents(inventories: list[InventoryFigures]) -> list[DocumentLine]:
    lines = []
    for figures in inventories:
        if figures.year < 2024:
            continue
        name = VENUES[figures.venue_id - 1]
        lines.append(
            DocumentLine(
                kind="certificate",
                id=figures.inventory_id,
                number=f"SC-{figures.year + 1}-{figures.inventory_id:06d}",
                status="revoked" if figures.inventory_id % 7 == 0 else "valid",
                year=figures.year,
                subject=f"{name} Wulingyuan",
                subject_en=name,
                subject_kind="scenic_area" if figures.venue_id == 1 else "venue",
                subject_id=figures.venue_id,
                inventory_id=figures.inventory_id,
                organisation="Wulingyuan Scenic Area Administration",
                period_start=figures.period_start,
                period_end=figures.period_end,
                total_tco2e=(figures.market_kg / 1000).quantize(Decimal("0.001")),
                credits_tco2e=int(figures.market_kg / 1000) + 5,
                valid_until=date(figures.year + 2, 12, 31),
                guide_version=1,
                dataset="CN-2024",
            )
        )
    return lines


def example_report(year: int = YEARS[-1]) -> dict[str, Any]:
    """The signed report of ``year`` for five venues over five years, signed with a key
    made from a fixed seed."""
    inventories = _inventories()
    documents = _documents(inventories)
    state = Progress(tally(inventories=inventories, documents=documents), documents, inventories)
    content = disclosure(
        year=year,
        state=state,
        as_of=date(year + 1, 3, 1),
        issuer={
            "zh": "武陵源区碳达峰碳中和工作领导小组办公室",
            "en": "Wulingyuan District Carbon Office",
        },
        method={
            "guides": [
                {
                    "version": 1,
                    "title_zh": "碳中和景区实施指南",
                    "title_en": "Carbon-Neutral Scenic Area Implementation Guide",
                    "checksum": "0" * 64,
                }
            ],
            "datasets": [
                {
                    "code": "CN-2024",
                    "title_zh": "中国/湖南默认排放因子",
                    "title_en": "China defaults",
                }
            ],
            "accounting": "GHG Protocol",
        },
    )
    private = Ed25519PrivateKey.from_private_bytes(random.Random(11).randbytes(32))
    key = SigningKey(thumbprint(private.public_key()), private, datetime(2024, 1, 1, tzinfo=UTC))
    return {
        "content": content,
        "signature": sign_detached(content, key),
        "fingerprint": fingerprint(key),
    }


def run(rounds: int = ROUNDS, per_round: int = PER_ROUND) -> dict[str, Any]:
    """The figures, and ``ok``."""
    fonts = cjk_fonts()
    report = example_report()
    urls = {"json_url": f"{BASE}/progress/2025.json", "keys_url": f"{BASE}/api/v1/keys"}
    with one_core() as pinning:
        medians = _medians(
            {
                "bare_page": lambda: bare_page(fonts.regular),
                "progress_report": lambda: render_progress_report(report, **urls),
            },
            rounds,
            per_round,
        )
    ratio = round(medians["progress_report"] / medians["bare_page"], 2)
    return {
        "cpu": pinning,
        "font": str(fonts.source.path),
        "rounds": rounds,
        "runs_per_round": per_round,
        "bare_page_ms": medians["bare_page"],
        "progress_report_ms": medians["progress_report"],
        "progress_report_over_bare": ratio,
        "progress_report_bytes": len(render_progress_report(report, **urls)),
        "documents": len(report["content"]["documents"]),
        "target_ratio": TARGET_RATIO,
        "ok": ratio <= TARGET_RATIO,
    }
