"""The annual progress report as PDF: bilingual, the year's figures, and a printed hash and
signature that anyone can check against the served JSON and the published keys."""

from __future__ import annotations

import base64
import hashlib
import re
from decimal import Decimal
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from certify.core.signing import canonical_json
from footprint.platform.pdf.text import tonnes
from tests.certify.builders import LAST_YEAR
from tests.certify.pdf.tools import text


def report(client, tmp_path: Path) -> tuple[str, dict]:
    """The year's PDF as poppler reads it (one line per line, in reading order), and the
    signed JSON served beside it."""
    pdf = client.get(f"/progress/{LAST_YEAR}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "no-cache"
    path = tmp_path / "progress.pdf"
    path.write_bytes(pdf.data)
    return text(path, "-raw"), client.get(f"/progress/{LAST_YEAR}.json").json


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_report_states_the_years_figures_in_chinese_and_english(client, issued, tmp_path):
    printed, signed = report(client, tmp_path)
    figures = signed["content"]["figures"]
    assert f"{LAST_YEAR}年度碳中和进展报告" in printed
    assert f"Carbon-neutral progress report {LAST_YEAR}" in printed
    for zh, en in (
        ("获证景区", "Certified scenic areas"),
        ("排放总量（基于市场）", "Gross emissions, market-based"),
        ("注销林业碳汇", "Forest-sink credits retired"),
        ("净排放", "Net emissions"),
    ):
        assert zh in printed and en in printed
    for name in ("gross_location_tco2e", "gross_market_tco2e", "net_tco2e"):
        assert tonnes(Decimal(figures[name])) in printed, name
    assert "仅来自经核证的排放清单" in printed and "only from verified inventories" in printed


def test_the_report_lists_the_years_certificates_with_status_and_the_method(
    client, issued, tmp_path
):
    printed, signed = report(client, tmp_path)
    (document,) = signed["content"]["documents"]
    assert document["number"] in printed
    assert "有效 Valid" in printed
    assert "CN-2024" in printed and "实施指南 Guide" in printed


def test_the_printed_hash_is_of_the_served_content_and_the_signature_verifies(
    client, issued, tmp_path
):
    printed, signed = report(client, tmp_path)
    digest = hashlib.sha256(canonical_json(signed["content"])).hexdigest()
    assert signed["signature"]["sha256"] == digest
    assert digest in printed.replace("\n", "")
    signature = signed["signature"]
    assert signature["signature"] in re.sub(r"\s", "", printed)
    assert signature["kid"] in printed.replace("\n", "")
    (key,) = [k for k in client.get("/api/v1/keys").json["keys"] if k["kid"] == signature["kid"]]
    public = Ed25519PublicKey.from_public_bytes(b64url(key["x"]))
    public.verify(b64url(signature["signature"]), canonical_json(signed["content"]))
