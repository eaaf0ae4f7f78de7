"""Product carbon labels as PDF: one label at its printed size.

A label states a product's carbon footprint per functional unit, in Chinese and English:
the "碳足迹 Carbon footprint" heading with the label number, the figure in kg CO₂e, the
functional unit, the system boundary, the date it is valid until, and the QR code of its
verification URL, as large as the label's height allows with its quiet zone kept. On the
larger sizes the product's name is printed too (on a 40 × 30 mm label there is no room:
the label sits on the product, and the QR code names it).

`SIZES` holds the label formats as data (`LabelSize`: the page size and the type sizes),
so that the one drawing function, `draw_label`, serves every size: `label_layout` works
out where each line and the QR code go for a size, once. `render_label` makes a one-page
PDF exactly the label's size; `certify.pdf.sheets` puts many on A4 print sheets.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from types import MappingProxyType
from typing import BinaryIO, Literal

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from certify.pdf.qr import QrStyle, draw_qr, strongest_level
from footprint.platform.pdf.drawing import GREEN, GREY, INK, RED, Pen
from footprint.platform.pdf.fonts import cjk_fonts
from footprint.platform.pdf.text import fit, width

__all__ = [
    "BOUNDARIES",
    "SIZES",
    "Boundary",
    "LabelContent",
    "LabelLayout",
    "LabelSize",
    "draw_label",
    "label_layout",
    "label_size",
    "render_label",
]

COMPRESS = False
"""One label's streams uncompressed (as the certificate's): about 36 KB (19 KB deflated),
and about 1 ms faster (deflating the font subset and the QR code)."""

Boundary = Literal["cradle_to_gate", "cradle_to_grave"]
BOUNDARIES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "cradle_to_gate": ("从摇篮到大门", "Cradle-to-gate"),
        "cradle_to_grave": ("从摇篮到坟墓", "Cradle-to-grave"),
    }
)
HEADING_ZH, HEADING_EN = "碳足迹", "Carbon footprint"
HEADING_EN_SIZE = 0.82
"""The English heading's size, of the Chinese one's."""
UNIT = "kg CO₂e"
"""The font (WenQuanYi Zen Hei) has the subscript two, U+2082."""
VALID_UNTIL = "有效期至 Valid until"
MAX_URL_LENGTH = 256
"""The verification URL's limit. A real one is about 200 characters (the public base URL,
``/v/`` and a label's token of 178); up to 230 fit a QR code of `QR_VERSION` (at level L),
so that the modules of a 40 × 30 mm label stay 0.4 mm or more; up to 256, version 10."""
QR_VERSION = 9
"""The largest QR version a label's URL is made to fit, at the strongest error correction
that allows it (`certify.pdf.qr.strongest_level`): zbar reads every code of a sheet of
40 × 30 mm labels rendered at 150 dpi."""
QR_QUIET_ZONE = 3
"""Light modules around a label's QR code inside its box. With the box's inset from the
label's edge (`LabelSize.qr_inset_mm`, 0.8 mm or more: two modules of 0.41 mm on a
40 × 30 mm label) the code has the 4 light modules ISO/IEC 18004 asks for to the label's
edge, and the one module a side given to the symbol instead reads better (zbar at 150
dpi: every code of a sheet, against 29 of 32 with 4 modules in the box)."""

"""The certificate's colours."""


def _text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be non-empty text, not {value!r}")


@dataclass(frozen=True)
class LabelContent:
    """Everything printed on one label; ``status_note`` (say ``"已撤销 REVOKED"``) is
    stamped across it when set, i.e. when the label is not valid."""

    number: str
    product_name_zh: str
    product_name_en: str
    figure: Decimal
    """kg CO₂e per functional unit, printed as given (``Decimal("1.850")`` as 1.850)."""
    functional_unit_zh: str
    functional_unit_en: str
    boundary: Boundary
    valid_until: date
    verification_url: str
    """What the QR code holds: ``https://host/v/`` and the label's token."""
    status_note: str | None = None

    def __post_init__(self) -> None:
        for name in (
            "number",
            "product_name_zh",
            "product_name_en",
            "functional_unit_zh",
            "functional_unit_en",
            "verification_url",
        ):
            _text(name, getattr(self, name))
        figure = self.figure
        if isinstance(figure, bool) or not isinstance(figure, Decimal) or not figure.is_finite():
            raise ValueError(
                f"figure must be a finite Decimal (kg CO2e per functional unit), not {figure!r}"
            )
        if figure <= 0:
            raise ValueError(f"figure must be more than zero kg CO2e, not {figure}")
        if self.boundary not in BOUNDARIES:
            raise ValueError(
                f"boundary must be one of {', '.join(BOUNDARIES)}, not {self.boundary!r}"
            )
        if not isinstance(self.valid_until, date) or isinstance(self.valid_until, datetime):
            raise ValueError(f"valid_until must be a date, not {self.valid_until!r}")
        url = self.verification_url
        if not url.startswith(("https://", "http://")) or len(url) > MAX_URL_LENGTH:
            raise ValueError(
                f"verification_url must be an http(s) URL of at most "
                f"{MAX_URL_LENGTH} characters, not {url[:60]!r}"
                f"{'…' if len(url) > 60 else ''} ({len(url)} characters)"
            )
        if self.status_note is not None:
            _text("status_note", self.status_note)


@dataclass(frozen=True)
class LabelSize:
    """A label format: its size, and the type sizes (points) and margins that suit it."""

    name: str
    width_mm: float
    height_mm: float
    margin_mm: float
    """From the label's edge to the text."""
    qr_inset_mm: float
    """From the label's right and bottom edges to the QR code's quiet zone."""
    heading: float
    figure: float
    text: float
    """The Chinese lines; English lines are `text_en`."""
    text_en: float
    small: float
    """The label number and "valid until"."""
    names: bool
    """Whether the product's name is printed."""

    @property
    def width(self) -> float:
        """In points."""
        return self.width_mm * mm

    @property
    def height(self) -> float:
        """In points."""
        return self.height_mm * mm


SIZES: Mapping[str, LabelSize] = MappingProxyType(
    {
        size.name: size
        for size in (
            LabelSize(
                "40x30",
                40,
                30,
                margin_mm=1.5,
                qr_inset_mm=0.8,
                heading=6.5,
                figure=15,
                text=5,
                text_en=4.5,
                small=4.2,
                names=False,
            ),
            LabelSize(
                "60x40",
                60,
                40,
                margin_mm=2,
                qr_inset_mm=1,
                heading=8.5,
                figure=21,
                text=6.2,
                text_en=5.4,
                small=5,
                names=True,
            ),
        )
    }
)


def label_size(size: str | LabelSize) -> LabelSize:
    """``size`` as a `LabelSize`: one of `SIZES` by name, or a `LabelSize` as it is."""
    if isinstance(size, LabelSize):
        return size
    if isinstance(size, str) and size in SIZES:
        return SIZES[size]
    raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")


# --- one label ---------------------------------------------------------------------------

Line = Literal[
    "name_zh",
    "name_en",
    "figure",
    "unit",
    "functional_unit_zh",
    "functional_unit_en",
    "boundary_zh",
    "boundary_en",
    "valid_label",
    "valid_date",
]

_ASCENT, _DESCENT, _LEAD = 0.8, 0.2, 0.14
"""Of the font size: the font's ascent and descent, and the space between two lines."""


@dataclass(frozen=True)
class LabelLayout:
    """Where everything goes on a label of one size, in points from its lower left corner."""

    size: LabelSize
    heading_baseline: float
    heading_en_x: float
    number_width: float
    """The room for the label number, right-aligned on the heading's line."""
    rule_y: float
    column_left: float
    column_width: float
    """The text column, left of the QR code (its quiet zone and a gap)."""
    qr: tuple[float, float, float]
    """x, y and width (= height) of the QR code, quiet zone included."""
    lines: tuple[tuple[Line, float, float], ...]
    """Each line of the column: what it is, its baseline and its font size."""


_BLOCKS: tuple[tuple[Line, ...], ...] = (
    ("figure", "unit"),
    ("functional_unit_zh", "functional_unit_en"),
    ("boundary_zh", "boundary_en"),
    ("valid_label", "valid_date"),
)


def _font_size(size: LabelSize, line: Line) -> float:
    if line == "figure":
        return size.figure
    if line in ("unit", "name_zh", "functional_unit_zh", "boundary_zh", "valid_date"):
        return size.text
    if line == "valid_label":
        return size.small
    return size.text_en


@functools.cache
def label_layout(size: LabelSize) -> LabelLayout:
    """The layout of a label of ``size``: the heading across the top, the QR code below it
    at the right down to the bottom, and the text column at the left, its blocks spread
    evenly over the QR code's height. ``ValueError`` if the column does not fit."""
    margin, inset = size.margin_mm * mm, size.qr_inset_mm * mm
    heading_baseline = size.height - margin - _ASCENT * size.heading
    rule_y = heading_baseline - _DESCENT * size.heading - 0.6 * mm
    qr_width = rule_y - 0.5 * mm - inset
    qr = (size.width - inset - qr_width, inset, qr_width)
    column_width = qr[0] - 0.6 * mm - margin
    blocks = ((("name_zh", "name_en"),) if size.names else ()) + _BLOCKS
    top, bottom = rule_y - 1.1 * mm, margin
    needed = 0.0
    for block in blocks:  # the height of each block's lines, baseline to baseline
        sizes = [_font_size(size, line) for line in block]
        needed += _ASCENT * sizes[0] + _DESCENT * sizes[-1]
        needed += sum(_DESCENT * a + (_ASCENT + _LEAD) * b for a, b in pairwise(sizes))
    spare = (top - bottom) - needed
    if spare < 0:
        raise ValueError(
            f"the text of a {size.name} label does not fit beside its QR code: "
            f"{-spare:.1f} pt too tall"
        )
    gap = spare / (len(blocks) - 1)
    lines: list[tuple[Line, float, float]] = []
    y = top
    for block in blocks:
        previous = None
        for line in block:
            font_size = _font_size(size, line)
            if previous is None:
                y -= _ASCENT * font_size
            else:
                y -= _DESCENT * previous + (_ASCENT + _LEAD) * font_size
            lines.append((line, y, font_size))
            previous = font_size
        y -= _DESCENT * font_size + gap
    font = cjk_fonts().regular
    heading_en_x = margin + width(HEADING_ZH, font, size.heading) + 0.35 * size.heading
    number_left = heading_en_x + width(HEADING_EN, font, size.heading * HEADING_EN_SIZE) + 1.5 * mm
    return LabelLayout(
        size,
        heading_baseline,
        heading_en_x,
        size.width - margin - number_left,
        rule_y,
        margin,
        column_width,
        qr,
        tuple(lines),
    )


SHRINK = MappingProxyType({"figure": 0.45, "name": 0.7, "other": 0.7})
"""How far a line may be shrunk to fit its width, as a share of its font size: a name is
then cut short with an ellipsis; any other text, which must be printed whole, is refused."""


@functools.lru_cache(maxsize=4096)
def _fitted(text: str, font: str, size: float, limit: float, field: str) -> tuple[str, float]:
    """``text`` within ``limit`` points at ``size`` or smaller (cached: a batch repeats its
    texts); a name cut short if need be, other text refused when it would be too small."""
    if field.startswith("product_name"):
        return fit(text, font, size, limit, size * SHRINK["name"])
    wide = width(text, font, size)
    if wide <= limit:
        return text, size
    smallest = SHRINK["figure" if field == "figure" else "other"]
    if limit / wide < smallest:
        raise ValueError(
            f"{field} {text!r} is too long to print: it needs {wide / limit:.1f} "
            f"times the room, and may be shrunk to {smallest:.0%} at most"
        )
    return text, size * limit / wide


def _figure(figure: Decimal) -> str:
    """The figure as attested, with thousands separators: ``1,234.5``, ``0.012``."""
    return f"{figure:,f}"


def _line_text(content: LabelContent, line: Line) -> str:
    if line == "name_zh":
        return content.product_name_zh
    if line == "name_en":  # a name given once for both languages is printed once
        return "" if content.product_name_en == content.product_name_zh else content.product_name_en
    if line == "figure":
        return _figure(content.figure)
    if line == "unit":
        return UNIT
    if line == "functional_unit_zh":
        return content.functional_unit_zh
    if line == "functional_unit_en":
        return content.functional_unit_en
    if line == "boundary_zh":
        return BOUNDARIES[content.boundary][0]
    if line == "boundary_en":
        return BOUNDARIES[content.boundary][1]
    if line == "valid_label":
        return VALID_UNTIL
    return content.valid_until.isoformat()


_FIELDS: Mapping[Line, str] = MappingProxyType(
    {
        "name_zh": "product_name_zh",
        "name_en": "product_name_en",
        "figure": "figure",
        "unit": "unit",
        "functional_unit_zh": "functional_unit_zh",
        "functional_unit_en": "functional_unit_en",
        "boundary_zh": "boundary",
        "boundary_en": "boundary",
        "valid_label": "valid_until",
        "valid_date": "valid_until",
    }
)
"""The content field each line shows, for errors."""

_STYLE: Mapping[Line, tuple[bool, Color]] = MappingProxyType(
    {
        "name_zh": (True, INK),
        "name_en": (False, INK),
        "figure": (True, GREEN),
        "unit": (True, GREEN),
        "functional_unit_zh": (False, INK),
        "functional_unit_en": (False, GREY),
        "boundary_zh": (False, INK),
        "boundary_en": (False, GREY),
        "valid_label": (False, GREY),
        "valid_date": (True, INK),
    }
)
"""Bold or not, and the colour, of each line."""


def draw_label(
    canvas: Canvas, content: LabelContent, size: str | LabelSize, x: float, y: float
) -> None:
    """Draw one label with its lower left corner at (x, y) on ``canvas``.

    ``ValueError``, before anything is drawn, if the number, the figure or a functional
    unit is too long for the size even in smaller type (a product name is cut short)."""
    layout = label_layout(label_size(size))
    spec = layout.size
    font = cjk_fonts().regular
    limit = layout.column_width
    try:
        number = _fitted(content.number, font, spec.small, layout.number_width, "number")
        column = []
        for line, line_y, font_size in layout.lines:
            text = _line_text(content, line)
            if text:
                column.append((line, line_y, *_fitted(text, font, font_size, limit, _FIELDS[line])))
    except ValueError as error:
        raise ValueError(f"on a {spec.name} label, {error}") from None
    canvas.saveState()
    canvas.translate(x, y)
    pen = label_pen(canvas)
    left, right, baseline = (
        layout.column_left,
        spec.width - layout.column_left,
        layout.heading_baseline,
    )
    pen.text(left, baseline, HEADING_ZH, spec.heading, bold=True, colour=GREEN)
    pen.text(
        layout.heading_en_x, baseline, HEADING_EN, spec.heading * HEADING_EN_SIZE, colour=GREEN
    )
    pen.text(right, baseline, *number, colour=GREY, align="right")
    pen.rule(left, layout.rule_y, right, thickness=0.5)
    for line, line_y, text, font_size in column:
        bold, colour = _STYLE[line]
        pen.text(left, line_y, text, font_size, bold=bold, colour=colour)
    url = content.verification_url
    style = QrStyle(strongest_level(url, QR_VERSION), QR_QUIET_ZONE)
    draw_qr(canvas, url, *layout.qr, style)
    if content.status_note:
        _stamp(canvas, font, spec, content.status_note)
    canvas.restoreState()


def _stamp(canvas: Canvas, font: str, size: LabelSize, note: str) -> None:
    """The status note across the middle of the label, translucent red in a box.

    Horizontal, so that text extraction reads it as one line; translucent, so that the
    QR code under it still reads (to the verification page, which says the same)."""
    text_size = min(size.height * 0.2, 0.78 * size.width / max(width(note, font, 1), 1))
    wide = width(note, font, text_size)
    middle_x, middle_y = size.width / 2, size.height * 0.45
    canvas.saveState()
    canvas.setStrokeColor(RED, alpha=0.55)
    canvas.setLineWidth(max(size.height / 60, 0.8))
    canvas.roundRect(
        middle_x - wide / 2 - 1.5 * mm,
        middle_y - text_size * 0.6,
        wide + 3 * mm,
        text_size * 1.45,
        1 * mm,
    )
    canvas.setFillColor(RED, alpha=0.4)
    canvas.setFont(font, text_size)
    canvas.drawCentredString(middle_x, middle_y - text_size * 0.27, note)
    canvas.restoreState()


def label_pen(canvas: Canvas) -> Pen:
    """Labels set every line in the regular face, as `label_layout` measures it; bold is
    synthetic even where a bold face is configured."""
    return Pen(canvas, cjk_fonts().single_face())


def label_canvas(out: BinaryIO, pagesize: tuple[float, float], compress: bool) -> Canvas:
    """A canvas for labels: deterministic, in the CJK font."""
    return Canvas(
        out,
        pagesize=pagesize,
        pageCompression=int(compress),
        invariant=True,
        initialFontName=cjk_fonts().regular,
        initialFontSize=6,
    )


def render_label(
    content: LabelContent, size: str | LabelSize, *, compress: bool = COMPRESS
) -> bytes:
    """One label as a one-page PDF exactly its size (deterministic: the same content gives
    the same bytes); ``compress`` deflates its streams, for a smaller file."""
    spec = label_size(size)
    buffer = io.BytesIO()
    canvas = label_canvas(buffer, (spec.width, spec.height), compress)
    canvas.setTitle(f"碳足迹标签 Carbon label {content.number}")
    canvas.setSubject(f"{content.product_name_zh} {content.product_name_en}")
    draw_label(canvas, content, spec, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
