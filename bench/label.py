"""Product carbon labels: one label PDF against a bare page, print sheets, and memory.

In one process, on one CPU core, in interleaved rounds (as `bench.pdf`):

- per label size, a label as `render_label` makes it, each run a different label with
  its own verification URL (a real token under a fixed key; the pool is larger than the
  QR caches, so every QR code is made anew), against a bare reportlab page of the same
  size with the same font and one line of text (the floor: canvas, font subset, file);
- 1,000 labels of 40 × 30 mm on A4 sheets with cut marks, written to a temporary file
  (best of `SHEET_REPEATS`; 1,000 different URLs cycle through the QR caches' 256, so
  every QR code is made anew here too);
- the peak RSS of a fresh process (``python -m bench.label --child N``, its own
  ``ru_maxrss`` from ``os.wait4``) that writes N labels on sheets from a generator, for
  one sheet, 1,000 and 10,000 labels, with its resident memory after the first page and
  after the last (the peak comes at the end, with the font subset); and for contrast
  10,000 labels through a plain reportlab canvas, which keeps every page until it saves;
- that each size's QR code reads back (pdftoppm + zbarimg, QR only) at 600 dpi, and the
  lowest of `SCAN_DPIS` from which it reads at every higher one;
- how many codes of one print sheet of 40 × 30 labels zbarimg reads at each of
  `SHEET_DPIS`, with the QR version and error correction they take. (Tokens of the form
  printed before issue 15 — the whole thumbprint as ``kid``, ``typ`` — made URLs of
  264+ characters, which a label no longer takes: then zbarimg read 6–7 codes of 10 at
  150 dpi.)

``ok``: every size's median is at most `TARGET_LABEL_MS`, 1,000 labels take at most
`TARGET_SHEET_SECONDS`, the peak RSS for 10,000 labels is at most `FLAT_RSS_GROWTH` above
that for 1,000, the QR codes read back at 600 dpi, and every code of the sheet, of a
version at most `certify.pdf.label.QR_VERSION`, at 150 dpi.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from reportlab.lib import rl_accel
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bench.core import one_core
from bench.pdf import _medians
from certify.core.signing import SigningKey, document_token, thumbprint
from certify.pdf import label, sheets
from certify.pdf.label import SIZES, LabelContent, render_label
from certify.pdf.qr import encode, strongest_level
from certify.pdf.sheets import render_sheets
from footprint.platform.pdf.fonts import cjk_fonts

TARGET_LABEL_MS = 4.0
TARGET_SHEET_SECONDS = 2.0
FLAT_RSS_GROWTH = 0.10
SHEET_LABELS = 1_000
RSS_LABELS = (32, 1_000, 10_000)
SHEET_SIZE = "40x30"
SHEET_REPEATS = 3
ROUNDS = 5
PER_ROUND = 40
URL_POOL = 600
"""Labels per size, more than `certify.pdf.qr.CACHED_URLS`: no label finds its QR code
cached."""
SCAN_DPIS = (72, 80, 90, 100, 105, 110, 115, 120, 130, 150, 200, 300, 600)
SHEET_DPIS = (150, 200, 300)
LEVELS = {ERROR_CORRECT_L: "L", ERROR_CORRECT_M: "M", ERROR_CORRECT_Q: "Q", ERROR_CORRECT_H: "H"}
ROOT = Path(__file__).resolve().parents[1]


def urls(count: int, seed: int = 2026) -> Iterator[str]:
    """Verification URLs of labels: real tokens under a fixed key, one per label id."""
    private = Ed25519PrivateKey.from_private_bytes(random.Random(seed).randbytes(32))
    key = SigningKey(thumbprint(private.public_key()), private, datetime(2024, 1, 1, tzinfo=UTC))
    issued = datetime(2026, 3, 1, 9, tzinfo=UTC)
    for n in range(1, count + 1):
        token = document_token("label", n, issued + timedelta(seconds=n), key)
        yield f"https://carbon.wulingyuan.example/v/{token}"


def contents(count: int) -> Iterator[LabelContent]:
    """``count`` labels of a batch of tea, each with its own number and URL."""
    for n, url in enumerate(urls(count), 1):
        yield LabelContent(
            number=f"CL-2026-{n:06d}",
            product_name_zh="武陵源莓茶",
            product_name_en="Wulingyuan Vine Tea",
            figure=Decimal("1.85"),
            functional_unit_zh="每袋（250克）",
            functional_unit_en="per 250 g pack",
            boundary="cradle_to_gate",
            valid_until=date(2027, 2, 28),
            verification_url=url,
        )


def bare_page(font: str, size: tuple[float, float]) -> bytes:
    """A page of ``size`` with one line in ``font``, as `render_label` makes its canvas."""
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=size,
        pageCompression=int(label.COMPRESS),
        invariant=True,
        initialFontName=font,
    )
    canvas.setFont(font, 6)
    canvas.drawString(4, size[1] - 10, "碳足迹 Carbon footprint")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cycle(pool: list[LabelContent], size: str) -> Any:
    position = 0

    def render() -> bytes:
        nonlocal position
        position = (position + 1) % len(pool)
        return render_label(pool[position], size)

    return render


def _sheets(pool: list[LabelContent], path: Path) -> float:
    start = time.perf_counter()
    with path.open("wb") as out:
        render_sheets(pool, SHEET_SIZE, out)
    return time.perf_counter() - start


def _rss_mib() -> float | None:
    """This process's resident memory now (Linux /proc), MiB."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
    return round(int(kib) / 1024, 1)


def _child(count: int, size: str, path: str, plain: bool) -> dict[str, Any]:
    """Write ``count`` labels on sheets (from a generator); what was written, and the
    resident memory after the first page and after the last (before the file is closed)."""
    start = time.perf_counter()
    pages = 0
    rss: list[float | None] = []

    def page(_: int) -> None:
        nonlocal pages
        pages += 1
        if pages == 1:
            rss.append(_rss_mib())

    with open(path, "wb") as out:
        if plain:  # reportlab as it comes: every page kept until save
            spec = label.label_size(size)
            layout = sheets.sheet_layout(spec)
            canvas = Canvas(
                out,
                pagesize=A4,
                pageCompression=1,
                invariant=True,
                initialFontName=cjk_fonts().regular,
            )
            for n, content in enumerate(contents(count)):
                x, y, _, _ = layout.labels[n % layout.per_page]
                label.draw_label(canvas, content, spec, x, y)
                if n % layout.per_page == layout.per_page - 1 or n == count - 1:
                    canvas.showPage()
                    page(n + 1)
            canvas.save()
        else:
            render_sheets(contents(count), size, out, on_page=page)
        rss.append(_rss_mib())
    return {
        "labels": count,
        "pages": pages,
        "seconds": round(time.perf_counter() - start, 3),
        "bytes": os.path.getsize(path),
        "rss_after_first_page_mib": rss[0],
        "rss_at_end_mib": rss[-1],
    }


def peak_rss(count: int, folder: Path, *, plain: bool = False) -> dict[str, Any]:
    """A fresh process writes ``count`` labels on sheets: what it wrote and its peak RSS."""
    path = folder / f"sheets-{count}.pdf"
    command = [sys.executable, "-m", "bench.label", "--child", str(count), SHEET_SIZE, str(path)]
    if plain:
        command.append("--plain")
    with (folder / "child.out").open("w+") as stdout:
        process = subprocess.Popen(command, cwd=ROOT, stdout=stdout)
        _, status, usage = os.wait4(process.pid, 0)
        stdout.seek(0)
        output = stdout.read()
    path.unlink(missing_ok=True)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"label: the child writing {count} labels failed: {output}")
    return {**json.loads(output), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def _reads(pdf: Path, dpi: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-singlefile", str(pdf), f"{folder}/page"],
            check=True,
            timeout=60,
        )
        return subprocess.run(
            ["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", f"{folder}/page.pgm"],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.strip()


def decoding(content: LabelContent, size: str, folder: Path) -> dict[str, Any]:
    """Whether the label's QR code reads back at 600 dpi, and from which dpi it always does."""
    missing = [tool for tool in ("pdftoppm", "zbarimg") if shutil.which(tool) is None]
    if missing:
        return {
            "decodes_at_600_dpi": False,
            "lowest_dpi": None,
            "error": f"not installed: {', '.join(missing)} (apt-get install poppler-utils "
            f"zbar-tools)",
        }
    pdf = folder / f"label-{size}.pdf"
    pdf.write_bytes(render_label(content, size))
    read = {dpi: _reads(pdf, dpi) == content.verification_url for dpi in SCAN_DPIS}
    lowest = None
    for dpi in reversed(SCAN_DPIS):
        if not read[dpi]:
            break
        lowest = dpi
    return {
        "decodes_at_600_dpi": read[600],
        "lowest_dpi": lowest,
        "failed_dpis": [dpi for dpi, ok in read.items() if not ok],
    }


def sheet_reading(labels: list[LabelContent], folder: Path) -> dict[str, Any]:
    """One sheet of 40 × 30 labels: the QR code its URLs take, and how many of its codes
    zbarimg reads back at each of `SHEET_DPIS`."""
    layout = sheets.sheet_layout(SHEET_SIZE)
    labels = labels[: layout.per_page]
    pdf = folder / "sheet-read.pdf"
    with pdf.open("wb") as out:
        render_sheets(labels, SHEET_SIZE, out)
    url = labels[0].verification_url
    level = strongest_level(url, label.QR_VERSION)
    expected = {content.verification_url for content in labels}
    return {
        "url_length": len(url),
        "qr_version": encode(url, level).version,
        "qr_level": LEVELS[level],
        "codes": len(labels),
        "read": {dpi: len(expected & set(_reads(pdf, dpi).splitlines())) for dpi in SHEET_DPIS},
    }


def run(rounds: int = ROUNDS, per_round: int = PER_ROUND) -> dict[str, Any]:
    """The figures, and ``ok``; a short summary on stderr."""
    fonts = cjk_fonts()
    pool = list(contents(max(URL_POOL * len(SIZES), SHEET_LABELS)))
    with one_core() as pinning:
        cases: dict[str, Any] = {}
        for n, (name, spec) in enumerate(SIZES.items()):
            cases[f"bare_{name}"] = lambda size=(spec.width, spec.height): bare_page(
                fonts.regular, size
            )
            # each size its own labels: no QR code is found in the cache
            cases[f"label_{name}"] = _cycle(pool[n * URL_POOL : (n + 1) * URL_POOL], name)
        medians = _medians(cases, rounds, per_round)
        with tempfile.TemporaryDirectory(prefix="label-bench-") as name:
            folder = Path(name)
            sheet_runs = [
                _sheets(pool[:SHEET_LABELS], folder / "sheets.pdf") for _ in range(SHEET_REPEATS)
            ]
            sheet_bytes = (folder / "sheets.pdf").stat().st_size
    with tempfile.TemporaryDirectory(prefix="label-bench-") as name:
        folder = Path(name)
        memory = [peak_rss(count, folder) for count in RSS_LABELS]
        plain = peak_rss(RSS_LABELS[-1], folder, plain=True)
        decoded = {size: decoding(pool[0], size, folder) for size in SIZES}
        sheet_read = sheet_reading(pool, folder)
    by_count = {run["labels"]: run for run in memory}
    growth = (by_count[10_000]["peak_rss_mib"] - by_count[1_000]["peak_rss_mib"]) / by_count[1_000][
        "peak_rss_mib"
    ]
    sizes = {
        name: {
            "label_ms": medians[f"label_{name}"],
            "bare_page_ms": medians[f"bare_{name}"],
            "label_over_bare": round(medians[f"label_{name}"] / medians[f"bare_{name}"], 2),
            "label_bytes": len(render_label(pool[0], name)),
            **decoded[name],
        }
        for name in SIZES
    }
    seconds = min(sheet_runs)
    ok = (
        all(
            size["label_ms"] <= TARGET_LABEL_MS and size["decodes_at_600_dpi"]
            for size in sizes.values()
        )
        and seconds <= TARGET_SHEET_SECONDS
        and growth <= FLAT_RSS_GROWTH
        and sheet_read["qr_version"] <= label.QR_VERSION
        and sheet_read["read"][min(SHEET_DPIS)] == sheet_read["codes"]
    )
    result = {
        "cpu": pinning,
        "rl_accel": bool(rl_accel._c_funcs),
        "font": str(fonts.source.path),
        "rounds": rounds,
        "runs_per_round": per_round,
        "url_length": len(pool[0].verification_url),
        "sizes": sizes,
        "sheet_size": SHEET_SIZE,
        "sheet_labels": SHEET_LABELS,
        "sheet_labels_per_page": sheets.sheet_layout(SHEET_SIZE).per_page,
        "sheet_seconds": round(seconds, 3),
        "sheet_all_seconds": [round(s, 3) for s in sheet_runs],
        "sheet_bytes": sheet_bytes,
        "sheet_read": sheet_read,
        "memory": memory,
        "rss_growth_1000_to_10000": round(growth, 3),
        "plain_reportlab_10000": plain,
        "target_label_ms": TARGET_LABEL_MS,
        "target_sheet_seconds": TARGET_SHEET_SECONDS,
        "target_rss_growth": FLAT_RSS_GROWTH,
        "ok": ok,
    }
    print("\n".join(summary(result)), file=sys.stderr)
    return result


def summary(result: dict[str, Any]) -> list[str]:
    """The figures in a few lines."""
    lines = []
    for name, size in result["sizes"].items():
        lines.append(
            f"label  {name} mm: {size['label_ms']} ms median (new URL each) vs bare "
            f"page {size['bare_page_ms']} ms: ×{size['label_over_bare']} (target ≤ "
            f"{result['target_label_ms']} ms); QR reads at 600 dpi "
            f"{size['decodes_at_600_dpi']}, from {size['lowest_dpi']} dpi up"
        )
    lines.append(
        f"       {result['sheet_labels']:,} labels of {result['sheet_size']} on sheets "
        f"({result['sheet_labels_per_page']} a page): {result['sheet_seconds']} s "
        f"(target ≤ {result['target_sheet_seconds']} s), "
        f"{result['sheet_bytes'] / 2**20:.1f} MiB"
    )
    read = result["sheet_read"]
    counts = ", ".join(
        f"{count}/{read['codes']} at {dpi} dpi" for dpi, count in read["read"].items()
    )
    lines.append(
        f"       one sheet ({read['url_length']}-char URLs, QR v{read['qr_version']}-"
        f"{read['qr_level']}): zbarimg read {counts}"
    )
    rss = ", ".join(
        f"{run['labels']:,}: {run['peak_rss_mib']} MiB (after page 1 "
        f"{run['rss_after_first_page_mib']}, at the end {run['rss_at_end_mib']})"
        for run in result["memory"]
    )
    plain = result["plain_reportlab_10000"]
    lines.append(
        f"       peak RSS {rss}; growth 1,000 → 10,000 "
        f"{result['rss_growth_1000_to_10000']:.1%} (≤ {result['target_rss_growth']:.0%})"
        f"; a plain reportlab canvas: {plain['peak_rss_mib']} MiB for 10,000: "
        f"{'ok' if result['ok'] else 'MISSED'}"
    )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.label", description=__doc__)
    parser.add_argument(
        "--child",
        nargs=3,
        metavar=("COUNT", "SIZE", "PATH"),
        help="write COUNT labels of SIZE on sheets to PATH and report (for RSS)",
    )
    parser.add_argument(
        "--plain", action="store_true", help="with --child: through a plain reportlab canvas"
    )
    options = parser.parse_args(argv)
    if options.child:
        count, size, path = options.child
        print(json.dumps(_child(int(count), size, path, options.plain)))
        return 0
    result = run()
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
