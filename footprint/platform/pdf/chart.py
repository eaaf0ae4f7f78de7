"""A horizontal bar chart of emissions by scope, as reportlab vector graphics.

Built from plain shapes (`reportlab.graphics.shapes`) rather than reportlab's chart
classes: a handful of rectangles and labels costs a fraction of a millisecond to build
and draw, where a ``HorizontalBarChart`` with axes takes several.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Line, Rect, String
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
    bars: Sequence[Bar], font: str, chart_width: float, bar_height: float, axis: Color
) -> Drawing:
    """Bars from the top down, labels on the left, each bar's quantity at its end; bars
    are in proportion to the largest value (an all-zero chart has no bars)."""
    pitch = bar_height * 1.6
    height = pitch * len(bars)
    drawing = Drawing(chart_width, height, initialFontName=font, initialFontSize=LABEL_SIZE)
    labels = max(width(bar.label, font, LABEL_SIZE) for bar in bars) + GAP
    values = max(width(tonnes(bar.value), font, VALUE_SIZE) for bar in bars) + GAP
    span = max(chart_width - labels - values, 1)
    largest = max(bar.value for bar in bars)
    for i, bar in enumerate(bars):
        y = height - (i + 1) * pitch + (pitch - bar_height) / 2
        length = float(bar.value / largest) * span if largest > 0 else 0
        drawing.add(
            String(
                labels - GAP,
                y + bar_height * 0.3,
                bar.label,
                fontName=font,
                fontSize=LABEL_SIZE,
                textAnchor="end",
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
                fontSize=VALUE_SIZE,
            )
        )
    drawing.add(Line(labels, 0, labels, height, strokeColor=axis, strokeWidth=0.6))
    return drawing


def draw_chart(canvas: Canvas, drawing: Drawing, x: float, y: float) -> None:
    """Draw ``drawing`` with its lower left corner at (x, y)."""
    renderPDF.draw(drawing, canvas, x, y, showBoundary=False)
