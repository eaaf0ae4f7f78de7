"""Charts as reportlab vector graphics: a horizontal bar chart (emissions by scope), and
column and line charts of figures over periods.

Built from plain shapes (`reportlab.graphics.shapes`) rather than reportlab's chart
classes: a handful of rectangles and labels costs a fraction of a millisecond to build
and draw, where a ``HorizontalBarChart`` with axes takes several. The same drawings
are shown on pages as inline SVG (`footprint.platform.charts`), with larger text
(``label_size``, ``value_size``) for screens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from footprint.platform.pdf.text import tonnes, width

LABEL_SIZE = 7.5
VALUE_SIZE = 7
GAP = 4


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its quantity in tCO2e, and its colour."""

    label: str
    value: Decimal
    colour: Color


def bar_chart(
    bars: Sequence[Bar],
    font: str,
    chart_width: float,
    bar_height: float,
    axis: Color,
    *,
    label_size: float = LABEL_SIZE,
    value_size: float = VALUE_SIZE,
    labels_above: bool = False,
) -> Drawing:
    """Bars from the top down, labels on the left, each bar's quantity at its end; bars
    are in proportion to the largest value (an all-zero chart has no bars).

    ``labels_above`` puts each label on a line of its own above its bar, starting at the
    left edge: for narrow screens, where a page's font (not the PDF's, which measured
    the labels) could run a right-aligned label off the edge."""
    above = label_size * 1.5 if labels_above else 0
    pitch = bar_height * 1.6 + above
    height = pitch * len(bars)
    drawing = Drawing(chart_width, height, initialFontName=font, initialFontSize=label_size)
    labels = 0 if labels_above else max(width(bar.label, font, label_size) for bar in bars) + GAP
    values = max(width(tonnes(bar.value), font, value_size) for bar in bars) + GAP
    span = max(chart_width - labels - values, 1)
    largest = max(bar.value for bar in bars)
    for i, bar in enumerate(bars):
        y = height - (i + 1) * pitch + (pitch - above - bar_height) / 2
        length = float(bar.value / largest) * span if largest > 0 else 0
        drawing.add(
            String(
                0 if labels_above else labels - GAP,
                y + bar_height + label_size * 0.4 if labels_above else y + bar_height * 0.3,
                bar.label,
                fontName=font,
                fontSize=label_size,
                textAnchor="start" if labels_above else "end",
            )
        )
        if length > 0:
            drawing.add(Rect(labels, y, length, bar_height, fillColor=bar.colour, strokeColor=None))
        drawing.add(
            String(
                labels + length + GAP / 2,
                y + bar_height * 0.3,
                tonnes(bar.value),
                fontName=font,
                fontSize=value_size,
            )
        )
    drawing.add(Line(labels, 0, labels, height, strokeColor=axis, strokeWidth=0.6))
    return drawing


def draw_chart(canvas: Canvas, drawing: Drawing, x: float, y: float) -> None:
    """Draw ``drawing`` with its lower left corner at (x, y)."""
    renderPDF.draw(drawing, canvas, x, y, showBoundary=False)


# --- figures over periods: columns and lines on a shared frame --------------------------

GRID_WIDTH = 0.3
SWATCH = 0.9
"""A legend swatch's side, as a share of the label size."""
TICKS = 4
"""About how many steps the value axis is divided into."""
LEGEND_ROOM = 1.2
"""Room for each legend label, of its width in the PDF font: on a page the text is set
in the browser's font, which may be wider."""


@dataclass(frozen=True)
class Series:
    """One series over the chart's periods: its label, a value per period (None where it
    has none), and its colour."""

    label: str
    values: tuple[Decimal | None, ...]
    colour: Color


def ticks(low: Decimal, high: Decimal, steps: int = TICKS) -> list[Decimal]:
    """Round values from at or below ``min(low, 0)`` to at or above ``max(high, 0)``,
    about ``steps`` apart: 1, 2 or 5 times a power of ten."""
    low, high = min(low, Decimal(0)), max(high, Decimal(0))
    if high == low:
        high = low + 1
    raw = (high - low) / steps
    exponent = raw.adjusted()
    leading = raw.scaleb(-exponent)
    multiple = next(m for m in (1, 2, 5, 10) if leading <= m)
    step = Decimal(multiple).scaleb(exponent)
    first = (low / step).to_integral_value(rounding=ROUND_FLOOR)
    last = (high / step).to_integral_value(rounding=ROUND_CEILING)
    return [step * n for n in range(int(first), int(last) + 1)]


def tick_label(value: Decimal, step: Decimal) -> str:
    """``value`` with thousands separators and as many decimals as ``step`` needs."""
    places = max(-int(step.normalize().as_tuple().exponent), 0)
    return f"{value:,.{places}f}"


@dataclass(frozen=True)
class _Frame:
    """Where a periods chart's plot lies and how values map onto it."""

    left: float
    right: float
    bottom: float
    top: float
    low: float
    high: float

    def y(self, value: Decimal) -> float:
        share = (float(value) - self.low) / (self.high - self.low)
        return self.bottom + share * (self.top - self.bottom)

    def group(self, index: int, count: int) -> tuple[float, float]:
        """The left edge and width of period ``index`` of ``count``."""
        pitch = (self.right - self.left) / max(count, 1)
        return self.left + index * pitch, pitch


def _legend(
    drawing: Drawing, series: Sequence[Series], font: str, size: float, chart_width: float
) -> float:
    """The legend along the top, wrapped to the width; the height it takes."""
    pitch = size * 1.7
    x, row = 0.0, 0
    placed = []
    for item in series:
        text = width(item.label, font, size) * LEGEND_ROOM
        wide = size * SWATCH + GAP / 2 + text + GAP * 3
        if x > 0 and x + wide > chart_width:
            x, row = 0.0, row + 1
        placed.append((x, row, item))
        x += wide
    rows = row + 1
    for x, row, item in placed:
        y = drawing.height - (row + 1) * pitch + (pitch - size) / 2
        drawing.add(
            Rect(x, y, size * SWATCH, size * SWATCH, fillColor=item.colour, strokeColor=None)
        )
        drawing.add(
            String(
                x + size * SWATCH + GAP / 2,
                y + size * 0.05,
                item.label,
                fontName=font,
                fontSize=size,
            )
        )
    return rows * pitch


def _frame(
    drawing: Drawing,
    periods: Sequence[str],
    series: Sequence[Series],
    font: str,
    axis: Color,
    label_size: float,
    value_size: float,
) -> _Frame:
    """Legend, value axis with grid lines, and the periods' labels; the plot's frame."""
    legend = _legend(drawing, series, font, label_size, drawing.width)
    values = [v for item in series for v in item.values if v is not None]
    marks = ticks(min(values, default=Decimal(0)), max(values, default=Decimal(0)))
    step = marks[1] - marks[0]
    labels = [tick_label(mark, step) for mark in marks]
    left = max(width(text, font, value_size) for text in labels) + GAP
    frame = _Frame(
        left=left,
        right=drawing.width - GAP,
        bottom=label_size * 1.9,
        top=drawing.height - legend - value_size,
        low=float(marks[0]),
        high=float(marks[-1]),
    )
    for mark, text in zip(marks, labels, strict=True):
        y = frame.y(mark)
        thickness = 0.6 if mark == 0 else GRID_WIDTH
        drawing.add(Line(frame.left, y, frame.right, y, strokeColor=axis, strokeWidth=thickness))
        drawing.add(
            String(
                frame.left - GAP / 2,
                y - value_size * 0.35,
                text,
                fontName=font,
                fontSize=value_size,
                textAnchor="end",
            )
        )
    widest = max((width(period, font, label_size) for period in periods), default=0)
    _, pitch = frame.group(0, len(periods))
    every = max(1, int((widest + GAP) // pitch) + 1)  # skip labels that would collide
    for index, period in enumerate(periods):
        if index % every:
            continue
        x, pitch = frame.group(index, len(periods))
        drawing.add(
            String(
                x + pitch / 2,
                label_size * 0.6,
                period,
                fontName=font,
                fontSize=label_size,
                textAnchor="middle",
            )
        )
    return frame


STYLES = ("columns", "lines")


def periods_chart(
    periods: Sequence[str],
    series: Sequence[Series],
    font: str,
    chart_width: float,
    chart_height: float,
    axis: Color,
    *,
    style: str = "columns",
    label_size: float = LABEL_SIZE,
    value_size: float = VALUE_SIZE,
) -> Drawing:
    """Figures over periods, left to right: a legend above, the value axis on the left
    with grid lines at round values (zero among them), the periods below.

    ``columns``: side by side for each period, one per series, from the zero line (up for
    positive values, down for negative ones). ``lines``: a line per series through its
    values at the middle of each period, a dot at each value (a period without one
    breaks the line)."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {', '.join(STYLES)}, not {style!r}")
    drawing = Drawing(chart_width, chart_height, initialFontName=font, initialFontSize=label_size)
    frame = _frame(drawing, periods, series, font, axis, label_size, value_size)
    painter = _columns if style == "columns" else _lines
    painter(drawing, frame, len(periods), series, label_size)
    return drawing


def _columns(
    drawing: Drawing, frame: _Frame, count: int, series: Sequence[Series], size: float
) -> None:
    zero = frame.y(Decimal(0))
    for index in range(count):
        x, pitch = frame.group(index, count)
        inner = pitch * 0.8 / max(len(series), 1)
        for number, item in enumerate(series):
            value = item.values[index]
            if value is None or value == 0:
                continue
            top = frame.y(value)
            drawing.add(
                Rect(
                    x + pitch * 0.1 + number * inner,
                    min(zero, top),
                    inner * 0.9,
                    abs(top - zero),
                    fillColor=item.colour,
                    strokeColor=None,
                )
            )


def _lines(
    drawing: Drawing, frame: _Frame, count: int, series: Sequence[Series], size: float
) -> None:
    radius = max(size * 0.25, 1.5)
    for item in series:
        previous: tuple[float, float] | None = None
        for index, value in enumerate(item.values):
            if value is None:
                previous = None
                continue
            x, pitch = frame.group(index, count)
            point = (x + pitch / 2, frame.y(value))
            if previous is not None:
                drawing.add(
                    Line(*previous, *point, strokeColor=item.colour, strokeWidth=radius * 0.8)
                )
            drawing.add(Circle(*point, radius, fillColor=item.colour, strokeColor=None))
            previous = point
