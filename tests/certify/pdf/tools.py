"""Reading PDFs back as a person's viewer would: poppler-utils and zbar-tools from Debian.

A missing tool fails the test that needs it, naming the package: these checks are what
prove the certificate is legible, so they are never skipped (CI installs the tools).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGES = {
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "pdfinfo": "poppler-utils",
    "zbarimg": "zbar-tools",
}


def run(tool: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run ``tool`` (failing the test, with what to install, if it is missing)."""
    if shutil.which(tool) is None:
        pytest.fail(
            f"{tool} is not installed: `apt-get install {PACKAGES[tool]}` (.ci/run installs it)",
            pytrace=False,
        )
    return subprocess.run([tool, *arguments], capture_output=True, check=check, timeout=120)


def text(pdf: Path, *options: str) -> str:
    """The text poppler extracts, as copy and paste or search would see it."""
    return run("pdftotext", *options, str(pdf), "-").stdout.decode("utf-8")


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool
    unicode: bool


def fonts(pdf: Path) -> list[FontRow]:
    """``pdffonts``' table: every font the file uses."""
    lines = run("pdffonts", str(pdf)).stdout.decode().splitlines()[2:]
    rows = []
    for line in lines:
        fields = line.split()
        # name, type (one or two words), encoding, emb, sub, uni, object, generation
        emb, sub, uni = fields[-5:-2]
        rows.append(
            FontRow(fields[0], " ".join(fields[1:-6]), emb == "yes", sub == "yes", uni == "yes")
        )
    return rows


def decode_qr_pages(pdf: Path, dpi: int) -> list[str]:
    """What zbar reads from each page rendered at ``dpi``: one text per symbol, page order."""
    with tempfile.TemporaryDirectory() as folder:
        run("pdftoppm", "-r", str(dpi), "-gray", str(pdf), f"{folder}/page")
        pages = sorted(Path(folder).glob("page-*.pgm"))
        result = run("zbarimg", "--raw", "-q", *map(str, pages), check=False)
    return result.stdout.decode("utf-8").splitlines()


@dataclass(frozen=True)
class Gray:
    """An 8-bit grey image: 0 is black."""

    width: int
    height: int
    pixels: bytes

    def dark(self, threshold: int = 128) -> int:
        return sum(1 for value in self.pixels if value < threshold)

    def columns(self, start: int, stop: int) -> bytes:
        return b"".join(
            self.pixels[r * self.width + start : r * self.width + stop] for r in range(self.height)
        )


def parse_pgm(data: bytes) -> Gray:
    match = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert match, "not a binary PGM"
    width, height, depth = map(int, match.groups())
    assert depth == 255
    pixels = data[match.end() : match.end() + width * height]
    assert len(pixels) == width * height
    return Gray(width, height, pixels)


def crop(pdf: Path, dpi: int, box: tuple[float, float, float, float]) -> Gray:
    """The region (x, y from the top left, width, height in points) rendered in grey."""
    scale = dpi / 72
    x, y, w, h = (round(value * scale) for value in box)
    rendered = run(
        "pdftoppm",
        "-r",
        str(dpi),
        "-gray",
        "-singlefile",
        "-f",
        "1",
        "-l",
        "1",
        "-x",
        str(x),
        "-y",
        str(y),
        "-W",
        str(w),
        "-H",
        str(h),
        str(pdf),
    )
    return parse_pgm(rendered.stdout)


def word_box(pdf: Path, word: str) -> tuple[float, float, float, float]:
    """Where poppler finds ``word`` on page 1: x, y from the top left, width, height."""
    html = text(pdf, "-bbox", "-f", "1", "-l", "1")
    for match in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
        r'yMax="([\d.]+)">(.*?)</word>',
        html,
    ):
        if match.group(5) == word:
            x0, y0, x1, y1 = map(float, match.groups()[:4])
            return x0, y0, x1 - x0, y1 - y0
    raise AssertionError(f"{word!r} is not a word of the page's text")


def qr_codes(pdf: Path, dpi: int, page: int = 1) -> list[str]:
    """The QR codes zbar reads on ``page`` rendered at ``dpi`` (QR only: no false
    one-dimensional barcodes in the text), one per symbol."""
    image = run(
        "pdftoppm",
        "-r",
        str(dpi),
        "-gray",
        "-singlefile",
        "-f",
        str(page),
        "-l",
        str(page),
        str(pdf),
    ).stdout
    pgm = pdf.with_suffix(f".{page}.pgm")
    pgm.write_bytes(image)
    read = run("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(pgm), check=False)
    return read.stdout.decode("utf-8").splitlines()


def page_size(pdf: Path) -> tuple[float, float]:
    info = run("pdfinfo", str(pdf)).stdout.decode()
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return float(found.group(1)), float(found.group(2))


def pages(pdf: Path) -> int:
    info = run("pdfinfo", str(pdf)).stdout.decode()
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found, info
    return int(found.group(1))


def words(pdf: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """Each word poppler finds on ``page``: text, x0, y0, x1, y1 in points from the top left."""
    html = text(pdf, "-bbox", "-f", str(page), "-l", str(page))
    return [
        (match.group(5), *map(float, match.groups()[:4]))
        for match in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
            r'yMax="([\d.]+)">(.*?)</word>',
            html,
        )
    ]
