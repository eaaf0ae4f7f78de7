"""Text for printed documents: quantities, dates, and lines fitted to a width.

Widths are measured in the registered font (`footprint.platform.pdf.fonts`). Chinese may break
between any two characters; other text breaks at spaces, or anywhere within a word too
long for a line (URLs, tokens).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from reportlab.pdfbase.pdfmetrics import stringWidth

TONNES_PLACES = Decimal("0.001")
"""Quantities in tCO2e are printed with three decimals (kilograms), rounded half up once."""

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# A break may come after a space, or before or after any CJK character or full-width
# punctuation; everything else (a word, a URL) is kept whole while it fits.
_PIECES = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff"
    r"\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+"
)


def tonnes(value: Decimal) -> str:
    """``Decimal("12345.6785")`` → ``"12,345.679"``."""
    return f"{value.quantize(TONNES_PLACES, rounding=ROUND_HALF_UP):,}"


def count(value: int) -> str:
    """An integer with thousands separators."""
    return f"{value:,}"


def zh_date(day: date) -> str:
    """``2024年1月31日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def en_date(day: date) -> str:
    """``31 January 2024``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def width(text: str, font: str, size: float) -> float:
    """The advance width of ``text`` in points."""
    return stringWidth(text, font, size)


def wrap(text: str, font: str, size: float, limit: float) -> list[str]:
    """``text`` broken into lines no wider than ``limit`` points (at least one line)."""
    lines: list[str] = []
    line = ""
    for piece in _PIECES.findall(text):
        if width(line + piece.rstrip(), font, size) <= limit:
            line += piece
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = piece.lstrip()
        while width(line.rstrip(), font, size) > limit and len(line) > 1:
            cut = _longest_prefix(line, font, size, limit)
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def _longest_prefix(text: str, font: str, size: float, limit: float) -> int:
    """How many characters of ``text`` fit in ``limit`` points (at least one)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if width(text[:middle], font, size) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def fit(text: str, font: str, size: float, limit: float, smallest: float) -> tuple[str, float]:
    """``text`` on one line within ``limit`` points: at ``size``, or smaller down to
    ``smallest``, or at ``smallest`` cut short with an ellipsis."""
    wide = width(text, font, size)
    if wide <= limit:
        return text, size
    smaller = size * limit / wide
    if smaller >= smallest:
        return text, smaller
    cut = _longest_prefix(text, font, smallest, limit - width("…", font, smallest))
    return text[:cut].rstrip() + "…", smallest
