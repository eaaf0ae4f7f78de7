"""PDF certificates: a full certificate against a bare page in the same font, and QR codes.

In one process, on one CPU core, in interleaved rounds so that a slow spell hits every
measurement alike:

- a bare reportlab A4 page with one line in the registered CJK font (the floor: canvas,
  font subset, file), and a full certificate, as it is re-rendered (its QR code cached)
  and as a new certificate (QR caches emptied every time), uncompressed (the default)
  and compressed;
- the QR symbol of the same verification URL by ``qrcode`` as it comes (scoring all
  eight masks), by ``qrcode`` with the mask fixed, and by `certify.pdf.qr` (which still
  chooses the best of eight), and that the last two agree module for module;
- that the certificate's QR code reads back: rendered at 150 dpi by pdftoppm, read by
  zbarimg (both from Debian; without them the check fails).

``ok``: a certificate's median is at most `TARGET_CERTIFICATE_MS`, and the QR checks hold.
"""

from __future__ import annotations

import io
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import qrcode
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from qrcode import util
from reportlab.lib import rl_accel
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bench.core import one_core
from certify.core.signing import SigningKey, document_token, thumbprint
from certify.pdf import qr
from certify.pdf.certificate import CertificateContent, RetiredCreditsLine, render_certificate
from footprint.platform.pdf.fonts import cjk_fonts

TARGET_CERTIFICATE_MS = 8.0
ROUNDS = 5
PER_ROUND = 40
QR_PER_ROUND = 4
DECODE_DPI = 150


def example_url() -> str:
    """A real certificate token under a fixed key, behind the development server's /v/."""
    private = Ed25519PrivateKey.from_private_bytes(random.Random(2025).randbytes(32))
    key = SigningKey(thumbprint(private.public_key()), private, datetime(2024, 1, 1, tzinfo=UTC))
    token = document_token("certificate", 4711, datetime(2025, 2, 1, 9, tzinfo=UTC), key)
    return f"http://localhost:5000/v/{token}"


def example_content(url: str) -> CertificateContent:
    """A scenic area's certificate with two blocks of retired credits."""
    registry = "Wulingyuan Carbon Registry"
    return CertificateContent(
        number="WLY-CN-2025-0007",
        subject_name_zh="武陵源风景名胜区",
        subject_name_en="Wulingyuan Scenic and Historic Interest Area",
        subject_kind="scenic_area",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        boundary_zh="景区管理处直接运营的游客中心、环保客运车队、索道与观光电梯、污水处理设施及"
        "办公场所；包括游客在景区内的交通排放。",
        boundary_en="Visitor centres, the eco-bus fleet, cableways and sightseeing lifts, "
        "wastewater treatment and offices operated by the Administration, including "
        "visitors' travel within the area.",
        scope1=Decimal("1234.5675"),
        scope2_location=Decimal("3456.789"),
        scope2_market=Decimal("2100.25"),
        scope3=Decimal("5678.9"),
        reductions_tco2e=Decimal("812.4"),
        credits=(
            RetiredCreditsLine(
                registry,
                "Suoxiyu Afforestation 索溪峪造林碳汇",
                "CCER",
                2023,
                "WLY-SXY01-2023-000000001",
                "WLY-SXY01-2023-000006000",
                6000,
            ),
            RetiredCreditsLine(
                registry,
                "Tianzi Mountain Forest Management 天子山森林经营碳汇",
                "CCER",
                2024,
                "WLY-TZS02-2024-000000101",
                "WLY-TZS02-2024-000003200",
                3100,
            ),
        ),
        guide_version=2,
        guide_title_zh="武陵源景区碳中和评价指南",
        guide_title_en="Wulingyuan Scenic Area Carbon Neutrality Guide",
        verifier_organisation="湖南省低碳认证中心 Hunan Low-Carbon Certification Centre",
        verifier_person="张伟 Zhang Wei",
        signature_kid="mG6Qm0v3Yc2pOq3d3aKJ2b7m3WkQf1yXoZr8nT4sVhE",
        signature_fingerprint="8ED9 D839 F70E 69D6",
        issued_on=date(2025, 2, 1),
        valid_until=date(2026, 1, 31),
        verification_url=url,
    )


def bare_page(font: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=0, invariant=True, initialFontName=font)
    canvas.setFont(font, 12)
    canvas.drawString(72, 760, "碳中和证书 Carbon Neutrality Certificate")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _qrcode(url: str, mask: int | None) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=qr.ERROR_CORRECTION, border=qr.QUIET_ZONE, mask_pattern=mask
    )
    code.add_data(util.QRData(url.encode("utf-8"), mode=util.MODE_8BIT_BYTE))
    code.make(fit=True)
    return code


def _new_symbol(url: str) -> qr.QrCode:
    qr.encode.cache_clear()
    return qr.encode(url)


def _new_certificate(content: CertificateContent) -> bytes:
    qr.encode.cache_clear()
    qr._path.cache_clear()
    return render_certificate(content)


def _medians(
    cases: dict[str, Callable[[], object]], rounds: int, per_round: int
) -> dict[str, float]:
    """Median milliseconds of each case, its runs spread over interleaved rounds."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for case in cases.values():  # warm-up
        for _ in range(max(per_round // 4, 1)):
            case()
    for _ in range(rounds):
        for name, case in cases.items():
            for _ in range(per_round):
                start = time.perf_counter()
                case()
                samples[name].append(time.perf_counter() - start)
    return {name: round(statistics.median(times) * 1000, 4) for name, times in samples.items()}


def decodes(pdf: bytes, expected: str) -> tuple[bool, str]:
    """Whether page 1 at `DECODE_DPI` reads back as exactly ``expected``, and what was read."""
    missing = [tool for tool in ("pdftoppm", "zbarimg") if shutil.which(tool) is None]
    if missing:
        return (
            False,
            f"not installed: {', '.join(missing)} (apt-get install poppler-utils zbar-tools)",
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "certificate.pdf"
        path.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(DECODE_DPI),
                "-gray",
                "-singlefile",
                "-f",
                "1",
                "-l",
                "1",
                str(path),
                f"{folder}/page",
            ],
            check=True,
            timeout=60,
        )
        read = subprocess.run(
            ["zbarimg", "--raw", "-q", f"{folder}/page.pgm"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()
    return read == expected, read


def run(rounds: int = ROUNDS, per_round: int = PER_ROUND) -> dict[str, Any]:
    """The figures, and ``ok``."""
    fonts = cjk_fonts()
    url = example_url()
    content = example_content(url)
    symbol = qr.encode(url)
    reference = _qrcode(url, None)
    same_symbol = (
        tuple(
            "".join("1" if m else "0" for m in row[qr.QUIET_ZONE : -qr.QUIET_ZONE])
            for row in reference.get_matrix()[qr.QUIET_ZONE : -qr.QUIET_ZONE]
        )
        == symbol.rows
    )
    with one_core() as pinning:
        pages = _medians(
            {
                "bare_page": lambda: bare_page(fonts.regular),
                "certificate": lambda: render_certificate(content),
                "certificate_new_url": lambda: _new_certificate(content),
                "certificate_compressed": lambda: render_certificate(content, compress=True),
            },
            rounds,
            per_round,
        )
        codes = _medians(
            {
                "qrcode_default": lambda: _qrcode(url, None),
                "qrcode_fixed_mask": lambda: _qrcode(url, symbol.mask),
                "fast": lambda: _new_symbol(url),
                "fast_cached": lambda: qr.encode(url),
            },
            rounds,
            QR_PER_ROUND * per_round // 10,
        )
    certificate = render_certificate(content)
    readable, read = decodes(certificate, url)
    mask_choice = codes["qrcode_default"] - codes["qrcode_fixed_mask"]
    return {
        "cpu": pinning,
        "rl_accel": bool(rl_accel._c_funcs),
        "font": str(fonts.source.path),
        "rounds": rounds,
        "runs_per_round": per_round,
        "bare_page_ms": pages["bare_page"],
        "certificate_ms": pages["certificate"],
        "certificate_new_url_ms": pages["certificate_new_url"],
        "certificate_compressed_ms": pages["certificate_compressed"],
        "certificate_over_bare": round(pages["certificate"] / pages["bare_page"], 2),
        "certificate_bytes": len(certificate),
        "certificate_compressed_bytes": len(render_certificate(content, compress=True)),
        "url_length": len(url),
        "qr_version": symbol.version,
        "qr_mask": symbol.mask,
        "qrcode_default_ms": codes["qrcode_default"],
        "qrcode_fixed_mask_ms": codes["qrcode_fixed_mask"],
        "qrcode_mask_choice_ms": round(mask_choice, 3),
        "qrcode_mask_choice_share": round(mask_choice / codes["qrcode_default"], 2),
        "qr_fast_ms": codes["fast"],
        "qr_fast_cached_ms": codes["fast_cached"],
        "qrcode_default_over_fast": round(codes["qrcode_default"] / codes["fast"], 1),
        "qr_same_symbol_as_qrcode": same_symbol,
        "qr_decodes_at_150_dpi": readable,
        "qr_read": read if not readable else None,
        "target_certificate_ms": TARGET_CERTIFICATE_MS,
        "ok": pages["certificate"] <= TARGET_CERTIFICATE_MS and readable and same_symbol,
    }
