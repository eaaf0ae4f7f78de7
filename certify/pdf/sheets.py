"""Print sheets of product carbon labels: many labels on A4 with cut marks, streamed.

`render_sheets` puts the labels of a production batch on A4 sheets in a grid with cut
marks at every label's corners (`sheet_layout`, a pure function that the drawing and the
tests share) and writes the PDF to a file page by page, through
`footprint.platform.pdf.stream`: memory stays flat however large the batch (some 14 KB a
label would otherwise pile up, mostly the QR code), and the result is one multi-page PDF,
as a print shop wants it, with the CJK font subset embedded once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from certify.pdf.label import (
    LabelContent,
    LabelSize,
    draw_label,
    label_canvas,
    label_pen,
    label_size,
)
from footprint.platform.pdf.drawing import GREY
from footprint.platform.pdf.stream import StreamingDocument

__all__ = ["SheetLayout", "render_sheets", "sheet_layout"]

SHEET_COMPRESS = True
"""Print sheets deflated: about 3.5 KB a label instead of 16 KB, for some 0.3 ms a label
(1,000 labels: 2.5 MB)."""

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
    segments = " ".join(
        f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l"
        for x1, y1, x2, y2 in sheet_layout(size, count).marks
    )
    return f"q 0 G {MARK_WIDTH} w 0 J {segments} S Q"


def render_sheets(
    contents: Iterable[LabelContent],
    size: str | LabelSize,
    out: BinaryIO,
    *,
    on_page: Callable[[int], None] | None = None,
    compress: bool = SHEET_COMPRESS,
) -> int:
    """Labels on A4 sheets with cut marks, as one PDF written to ``out`` page by page;
    ``on_page(labels_so_far)`` after each page is written. The number of labels written.

    ``contents`` is read as it goes (a generator of thousands is fine); an empty one is
    refused with ``ValueError`` before anything is written. A label refused part way (not
    a `LabelContent`, or text too long for the size) raises ``ValueError`` with the pages
    before it already in ``out``, which is then no PDF: write to a temporary file."""
    spec = label_size(size)
    layout = sheet_layout(spec)
    canvas = label_canvas(out, SHEET, compress)
    canvas._doc = StreamingDocument(out, compression=compress)
    pen = label_pen(canvas)  # before anything is drawn
    canvas.setTitle(f"碳足迹标签 Carbon labels {spec.name} mm")
    written = on_this_page = 0
    first_number = ""

    def finish_page(last_number: str) -> None:
        canvas.addLiteral(_marks_path(spec, on_this_page))
        page = (written - 1) // layout.per_page + 1
        numbers = first_number if on_this_page == 1 else f"{first_number} – {last_number}"
        pen.text(
            SHEET[0] / 2,
            FOOTER_BASELINE,
            f"碳足迹标签 Carbon labels {spec.width_mm:g} × {spec.height_mm:g} mm · "
            f"第{page}页 sheet {page} · {numbers}",
            FOOTER_SIZE,
            colour=GREY,
            align="centre",
        )
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
