"""Product carbon labels as PDF: one label at its printed size, or print sheets of many.

A label states a product's carbon footprint per functional unit, in Chinese and English:
the "碳足迹 Carbon footprint" heading with the label number, the figure in kg CO₂e, the
functional unit, the system boundary, the date it is valid until, and the QR code of its
verification URL, as large as the label's height allows with its quiet zone kept. On the
larger sizes the product's name is printed too (on a 40 × 30 mm label there is no room:
the label sits on the product, and the QR code names it).

`SIZES` holds the label formats as data (`LabelSize`: the page size and the type sizes),
so that the one drawing function, `draw_label`, serves every size: `label_layout` works
out where each line and the QR code go for a size, once. `render_label` makes a one-page
PDF exactly the label's size; `render_sheets` puts labels for a production batch on A4
sheets in a grid with cut marks at every label's corners (`sheet_layout`, a pure function
that the drawing and the tests share) and writes the PDF to a file as it goes.

Memory stays flat however large the batch: reportlab's document keeps every page (its
drawing commands: some 14 KB a label, mostly the QR code) until it is saved, and then
builds the whole file in memory. `render_sheets` gives the canvas a document
(`_StreamingDocument`) that writes each page, and its content stream, to the output as
soon as the canvas finishes it and keeps only the object's number and offset; the font
subset, the page tree and the cross-reference table follow at the end. So the result is
one multi-page PDF, as a print shop wants it, with the CJK font subset embedded once.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from types import MappingProxyType
from typing import BinaryIO, Literal

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from certify.pdf.fonts import cjk_fonts
from certify.pdf.qr import draw_qr
from certify.pdf.text import fit, width

__all__ = ["BOUNDARIES", "SIZES", "Boundary", "LabelContent", "LabelLayout", "LabelSize",
           "SheetLayout", "draw_label", "label_layout", "label_size", "render_label",
           "render_sheets", "sheet_layout"]

COMPRESS = False
"""One label's streams uncompressed (as the certificate's): about 36 KB (19 KB deflated),
and about 1 ms faster (deflating the font subset and the QR code)."""
SHEET_COMPRESS = True
"""Print sheets deflated: about 3.5 KB a label instead of 16 KB, for some 0.3 ms a label
(1,000 labels: 2.5 MB)."""

Boundary = Literal["cradle_to_gate", "cradle_to_grave"]
BOUNDARIES: Mapping[str, tuple[str, str]] = MappingProxyType({
    "cradle_to_gate": ("从摇篮到大门", "Cradle-to-gate"),
    "cradle_to_grave": ("从摇篮到坟墓", "Cradle-to-grave"),
})
HEADING_ZH, HEADING_EN = "碳足迹", "Carbon footprint"
HEADING_EN_SIZE = 0.82
"""The English heading's size, of the Chinese one's."""
UNIT = "kg CO₂e"
"""The font (WenQuanYi Zen Hei) has the subscript two, U+2082."""
VALID_UNTIL = "有效期至 Valid until"
MAX_URL_LENGTH = 320
"""The verification URL's limit: a QR code of version 13 at most (a real URL of about 270
characters needs version 12), so its modules stay 0.3 mm or more on a 40 × 30 mm label."""

INK = Color(0.12, 0.14, 0.13)
GREY = Color(0.38, 0.40, 0.39)
GREEN = Color(0.09, 0.38, 0.24)
RED = Color(0.78, 0.08, 0.08)
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
        for name in ("number", "product_name_zh", "product_name_en", "functional_unit_zh",
                     "functional_unit_en", "verification_url"):
            _text(name, getattr(self, name))
        figure = self.figure
        if isinstance(figure, bool) or not isinstance(figure, Decimal) or not figure.is_finite():
            raise ValueError(f"figure must be a finite Decimal (kg CO2e per functional unit), "
                             f"not {figure!r}")
        if figure <= 0:
            raise ValueError(f"figure must be more than zero kg CO2e, not {figure}")
        if self.boundary not in BOUNDARIES:
            raise ValueError(f"boundary must be one of {', '.join(BOUNDARIES)}, "
                             f"not {self.boundary!r}")
        if not isinstance(self.valid_until, date) or isinstance(self.valid_until, datetime):
            raise ValueError(f"valid_until must be a date, not {self.valid_until!r}")
        url = self.verification_url
        if not url.startswith(("https://", "http://")) or len(url) > MAX_URL_LENGTH:
            raise ValueError(f"verification_url must be an http(s) URL of at most "
                             f"{MAX_URL_LENGTH} characters, not {url[:60]!r}"
                             f"{'…' if len(url) > 60 else ''} ({len(url)} characters)")
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


SIZES: Mapping[str, LabelSize] = MappingProxyType({size.name: size for size in (
    LabelSize("40x30", 40, 30, margin_mm=1.5, qr_inset_mm=0.8, heading=6.5, figure=15,
              text=5, text_en=4.5, small=4.2, names=False),
    LabelSize("60x40", 60, 40, margin_mm=2, qr_inset_mm=1, heading=8.5, figure=21,
              text=6.2, text_en=5.4, small=5, names=True),
)})


def label_size(size: str | LabelSize) -> LabelSize:
    """``size`` as a `LabelSize`: one of `SIZES` by name, or a `LabelSize` as it is."""
    if isinstance(size, LabelSize):
        return size
    if isinstance(size, str) and size in SIZES:
        return SIZES[size]
    raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")


# --- one label ---------------------------------------------------------------------------

Line = Literal["name_zh", "name_en", "figure", "unit", "functional_unit_zh",
               "functional_unit_en", "boundary_zh", "boundary_en", "valid_label", "valid_date"]

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
    ("figure", "unit"), ("functional_unit_zh", "functional_unit_en"),
    ("boundary_zh", "boundary_en"), ("valid_label", "valid_date"))


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
        raise ValueError(f"the text of a {size.name} label does not fit beside its QR code: "
                         f"{-spare:.1f} pt too tall")
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
    return LabelLayout(size, heading_baseline, heading_en_x, size.width - margin - number_left,
                       rule_y, margin, column_width, qr, tuple(lines))


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
        raise ValueError(f"{field} {text!r} is too long to print: it needs {wide / limit:.1f} "
                         f"times the room, and may be shrunk to {smallest:.0%} at most")
    return text, size * limit / wide


def _figure(figure: Decimal) -> str:
    """The figure as attested, with thousands separators: ``1,234.5``, ``0.012``."""
    return f"{figure:,f}"


def _line_text(content: LabelContent, line: Line) -> str:
    if line == "name_zh":
        return content.product_name_zh
    if line == "name_en":  # a name given once for both languages is printed once
        return "" if content.product_name_en == content.product_name_zh \
            else content.product_name_en
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


_FIELDS: Mapping[Line, str] = MappingProxyType({
    "name_zh": "product_name_zh", "name_en": "product_name_en", "figure": "figure",
    "unit": "unit", "functional_unit_zh": "functional_unit_zh",
    "functional_unit_en": "functional_unit_en", "boundary_zh": "boundary",
    "boundary_en": "boundary", "valid_label": "valid_until", "valid_date": "valid_until"})
"""The content field each line shows, for errors."""

_STYLE: Mapping[Line, tuple[bool, Color]] = MappingProxyType({
    "name_zh": (True, INK), "name_en": (False, INK), "figure": (True, GREEN),
    "unit": (True, GREEN), "functional_unit_zh": (False, INK),
    "functional_unit_en": (False, GREY), "boundary_zh": (False, INK),
    "boundary_en": (False, GREY), "valid_label": (False, GREY), "valid_date": (True, INK)})
"""Bold or not, and the colour, of each line."""


def _write(canvas: Canvas, font: str, x: float, y: float, text: str, size: float,
           colour: Color, *, bold: bool = False, align: str = "left") -> None:
    canvas.setFont(font, size)
    canvas.setFillColor(colour)
    mode = None
    if bold:  # the font has no bold face: fill, then stroke the outline
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(size / 32)
        mode = 2
    if align == "left":
        canvas.drawString(x, y, text, mode=mode)
    elif align == "right":
        canvas.drawRightString(x, y, text, mode=mode)
    else:
        canvas.drawCentredString(x, y, text, mode=mode)


def draw_label(canvas: Canvas, content: LabelContent, size: str | LabelSize, x: float,
               y: float) -> None:
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
                column.append((line, line_y,
                               *_fitted(text, font, font_size, limit, _FIELDS[line])))
    except ValueError as error:
        raise ValueError(f"on a {spec.name} label, {error}") from None
    canvas.saveState()
    canvas.translate(x, y)
    left, right, baseline = layout.column_left, spec.width - layout.column_left, \
        layout.heading_baseline
    _write(canvas, font, left, baseline, HEADING_ZH, spec.heading, GREEN, bold=True)
    _write(canvas, font, layout.heading_en_x, baseline, HEADING_EN, spec.heading * HEADING_EN_SIZE,
           GREEN)
    _write(canvas, font, right, baseline, *number, GREY, align="right")
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(0.5)
    canvas.line(left, layout.rule_y, right, layout.rule_y)
    for line, line_y, text, font_size in column:
        bold, colour = _STYLE[line]
        _write(canvas, font, left, line_y, text, font_size, colour, bold=bold)
    draw_qr(canvas, content.verification_url, *layout.qr)
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
    canvas.roundRect(middle_x - wide / 2 - 1.5 * mm, middle_y - text_size * 0.6,
                     wide + 3 * mm, text_size * 1.45, 1 * mm)
    canvas.setFillColor(RED, alpha=0.4)
    canvas.setFont(font, text_size)
    canvas.drawCentredString(middle_x, middle_y - text_size * 0.27, note)
    canvas.restoreState()


def _canvas(out: BinaryIO, pagesize: tuple[float, float], compress: bool) -> Canvas:
    return Canvas(out, pagesize=pagesize, pageCompression=int(compress), invariant=True,
                  initialFontName=cjk_fonts().regular, initialFontSize=6)


def render_label(content: LabelContent, size: str | LabelSize, *,
                 compress: bool = COMPRESS) -> bytes:
    """One label as a one-page PDF exactly its size (deterministic: the same content gives
    the same bytes); ``compress`` deflates its streams, for a smaller file."""
    spec = label_size(size)
    buffer = io.BytesIO()
    canvas = _canvas(buffer, (spec.width, spec.height), compress)
    canvas.setTitle(f"碳足迹标签 Carbon label {content.number}")
    canvas.setSubject(f"{content.product_name_zh} {content.product_name_en}")
    draw_label(canvas, content, spec, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- print sheets ------------------------------------------------------------------------

SHEET = A4
SHEET_GAP = 5 * mm
"""Between neighbouring labels, across and down: the cut marks lie in these gaps."""
SHEET_MIN_MARGIN = 10 * mm
"""Around the grid: room for the outer cut marks, the printer's unprintable edge and the
sheet's footer."""
MARK_OFFSET = 0.75 * mm
"""From a label's corner to the start of its marks, so a slightly shifted cut leaves no
mark on the label."""
MARK_CLEARANCE = 0.25 * mm
"""Between the marks of two neighbouring labels, which meet in the middle of their gap."""
OUTER_MARK = 3.5 * mm
"""The length of a mark into the sheet's margin (inner marks fill half their gap)."""
MARK_WIDTH = 0.25
FOOTER_BASELINE = 4.5 * mm
FOOTER_SIZE = 5.5

Rect = tuple[float, float, float, float]
"""x, y of the lower left corner, width, height: points, from the page's lower left."""
Segment = tuple[float, float, float, float]
"""x1, y1, x2, y2."""


@dataclass(frozen=True)
class SheetLayout:
    """The labels of one A4 sheet and their cut marks."""

    size: LabelSize
    columns: int
    rows: int
    labels: tuple[Rect, ...]
    """In the order they are filled: rows from the top, each from left to right."""
    marks: tuple[Segment, ...]
    """Two at each corner of each label: along its edges, outward, outside every label."""

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


@functools.lru_cache(maxsize=64)
def sheet_layout(size: str | LabelSize, count: int | None = None) -> SheetLayout:
    """The first ``count`` labels (all that fit, by default) of an A4 sheet of ``size``
    labels, in a grid centred on the page, and the cut marks at their corners."""
    spec = label_size(size)
    page_width, page_height = SHEET
    columns = int((page_width - 2 * SHEET_MIN_MARGIN + SHEET_GAP) // (spec.width + SHEET_GAP))
    rows = int((page_height - 2 * SHEET_MIN_MARGIN + SHEET_GAP) // (spec.height + SHEET_GAP))
    per_page = columns * rows
    if per_page < 1:
        raise ValueError(f"a {spec.name} label does not fit on an A4 sheet")
    if count is None:
        count = per_page
    if not 0 <= count <= per_page:
        raise ValueError(f"count must be 0 to {per_page} for {spec.name} labels, not {count}")
    grid_width = columns * spec.width + (columns - 1) * SHEET_GAP
    grid_height = rows * spec.height + (rows - 1) * SHEET_GAP
    left = (page_width - grid_width) / 2
    top = (page_height + grid_height) / 2
    inner = SHEET_GAP / 2 - MARK_OFFSET - MARK_CLEARANCE
    labels: list[Rect] = []
    marks: list[Segment] = []
    for index in range(count):
        row, column = divmod(index, columns)
        x = left + column * (spec.width + SHEET_GAP)
        y = top - row * (spec.height + SHEET_GAP) - spec.height
        labels.append((x, y, spec.width, spec.height))
        # a mark's length: into the gap (half of it) or into the margin at the grid's edge
        west = OUTER_MARK if column == 0 else inner
        east = OUTER_MARK if column == columns - 1 else inner
        north = OUTER_MARK if row == 0 else inner
        south = OUTER_MARK if row == rows - 1 else inner
        for cx, sx, horizontal in ((x, -1, west), (x + spec.width, 1, east)):
            for cy, sy, vertical in ((y, -1, south), (y + spec.height, 1, north)):
                start_x, start_y = cx + sx * MARK_OFFSET, cy + sy * MARK_OFFSET
                marks.append((start_x, cy, start_x + sx * horizontal, cy))
                marks.append((cx, start_y, cx, start_y + sy * vertical))
    return SheetLayout(spec, columns, rows, tuple(labels), tuple(marks))


@functools.lru_cache(maxsize=64)
def _marks_path(size: LabelSize, count: int) -> str:
    """The cut marks of a sheet as one stroked path, in PDF operators."""
    segments = " ".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l"
                        for x1, y1, x2, y2 in sheet_layout(size, count).marks)
    return f"q 0 G {MARK_WIDTH} w 0 J {segments} S Q"


class _StreamingDocument(pdfdoc.PDFDocument):
    """A reportlab document that writes each page to ``out`` as soon as it is added.

    reportlab formats a document's objects in the order of their numbers when it is saved;
    here a page and the objects it brings (its content stream) are formatted and written
    when the canvas adds the page, and forgotten but for their numbers and offsets. What
    pages share is written at the end, as reportlab would: the page tree, the font objects
    (the subset of the characters used on every page), the catalogue and the info, then
    the cross-reference table. Relies on reportlab's `PDFDocument` internals
    (``numberToId``, ``idToObject``, ``idToOffset``), pinned to reportlab 5."""

    def __init__(self, out: BinaryIO, *, compression: bool) -> None:
        super().__init__(compression=int(compression), invariant=True)
        self._out = out
        self._offset = 0
        self._written: set[int] = set()

    def _put(self, data: bytes) -> int:
        if not self._offset:
            header = pdfdoc.PDFFile(self._pdfVersion).format(self)
            self._out.write(header)
            self._offset = len(header)
        offset = self._offset
        self._out.write(data)
        self._offset += len(data)
        return offset

    def _put_object(self, number: int) -> None:
        name = self.numberToId[number]
        data = pdfdoc.PDFIndirectObject(name, self.idToObject[name]).format(self)
        self.idToOffset[name] = self._put(data)
        self.idToObject[name] = None  # keep the name registered, drop the object
        self._written.add(number)

    def addPage(self, page: pdfdoc.PDFPage) -> None:
        name = self.thisPageName()
        super().addPage(page)
        number = self.idToObjectNumberAndVersion[name][0]
        self._put_object(number)  # formatting it registers its content stream
        follower = number + 1
        while follower in self.numberToId:
            if self.idToObject[self.numberToId[follower]] is not self.Pages \
                    and follower not in self._written:
                self._put_object(follower)
            follower += 1
        self.Pages.pages[-1] = pdfdoc.PDFObjectReference(name)

    def format(self) -> bytes:
        """Write what is left, the cross-reference table and the trailer; nothing to return."""
        self.Reference(self.Catalog)
        self.Reference(self.info)
        number = 1
        while number in self.numberToId:  # formatting may register more objects
            if number not in self._written:
                self._put_object(number)
            number += 1
        entries = [b"xref\n", f"0 {number}\n".encode(), b"0000000000 65535 f \n"]
        entries += [f"{self.idToOffset[self.numberToId[n]]:010d} 00000 n \n".encode()
                    for n in range(1, number)]
        start = self._put(b"".join(entries))
        trailer = pdfdoc.PDFTrailer(startxref=start, Size=number,
                                    Root=self.Reference(self.Catalog),
                                    Info=self.Reference(self.info), ID=self.ID())
        self._put(trailer.format(self))
        return b""


def render_sheets(contents: Iterable[LabelContent], size: str | LabelSize, out: BinaryIO, *,
                  on_page: Callable[[int], None] | None = None,
                  compress: bool = SHEET_COMPRESS) -> int:
    """Labels on A4 sheets with cut marks, as one PDF written to ``out`` page by page;
    ``on_page(labels_so_far)`` after each page is written. The number of labels written.

    ``contents`` is read as it goes (a generator of thousands is fine); an empty one is
    refused with ``ValueError`` before anything is written. A label refused part way (not
    a `LabelContent`, or text too long for the size) raises ``ValueError`` with the pages
    before it already in ``out``, which is then no PDF: write to a temporary file."""
    spec = label_size(size)
    layout = sheet_layout(spec)
    font = cjk_fonts().regular
    canvas = _canvas(out, SHEET, compress)
    canvas._doc = _StreamingDocument(out, compression=compress)  # before anything is drawn
    canvas.setTitle(f"碳足迹标签 Carbon labels {spec.name} mm")
    written = on_this_page = 0
    first_number = ""

    def finish_page(last_number: str) -> None:
        canvas.addLiteral(_marks_path(spec, on_this_page))
        page = (written - 1) // layout.per_page + 1
        numbers = first_number if on_this_page == 1 else f"{first_number} – {last_number}"
        _write(canvas, font, SHEET[0] / 2, FOOTER_BASELINE,
               f"碳足迹标签 Carbon labels {spec.width_mm:g} × {spec.height_mm:g} mm · "
               f"第{page}页 sheet {page} · {numbers}", FOOTER_SIZE, GREY, align="centre")
        canvas.showPage()
        if on_page is not None:
            on_page(written)

    content: LabelContent | None = None
    for content in contents:
        if not isinstance(content, LabelContent):
            raise ValueError(f"contents must hold LabelContent, not {type(content).__name__}")
        if on_this_page == 0:
            first_number = content.number
        x, y, _, _ = layout.labels[on_this_page]
        draw_label(canvas, content, spec, x, y)
        written += 1
        on_this_page += 1
        if on_this_page == layout.per_page:
            finish_page(content.number)
            on_this_page = 0
    if content is None:
        raise ValueError("contents holds no label: there is nothing to print")
    if on_this_page:
        finish_page(content.number)
    canvas.save()
    return written
