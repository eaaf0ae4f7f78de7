"""Drawing on a PDF page: the colours every document uses and the one pen that sets text.

The certificate, the label, the print sheets and the guide all draw through `Pen`, so a
title looks the same on each. The CJK font has no bold face: bold is the regular glyph
filled and then stroked with a line `BOLD_STROKE` of the font size wide.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from footprint.platform.pdf.fonts import CjkFonts
from footprint.platform.pdf.text import fit

INK = Color(0.12, 0.14, 0.13)
GREY = Color(0.38, 0.40, 0.39)
GREEN = Color(0.09, 0.38, 0.24)
PALE = Color(0.92, 0.96, 0.93)
RED = Color(0.78, 0.08, 0.08)

BOLD_STROKE = 1 / 30
"""The width of the outline that makes synthetic bold, as a share of the font size."""
FILL_THEN_STROKE = 2
"""PDF text rendering mode 2."""


@dataclass(frozen=True)
class Pen:
    """Text and rules on ``canvas`` in the CJK ``fonts``."""

    canvas: Canvas
    fonts: CjkFonts

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        colour: Color = INK,
        align: str = "left",
    ) -> None:
        """``text`` with its baseline at ``y``; ``align`` left, right or centre on ``x``."""
        canvas = self.canvas
        canvas.setFont(self.fonts.bold if bold else self.fonts.regular, size)
        canvas.setFillColor(colour)
        mode = None
        if bold and self.fonts.synthetic_bold:
            canvas.setStrokeColor(colour)
            canvas.setLineWidth(size * BOLD_STROKE)
            mode = FILL_THEN_STROKE
        if align == "left":
            canvas.drawString(x, y, text, mode=mode)
        elif align == "right":
            canvas.drawRightString(x, y, text, mode=mode)
        else:
            canvas.drawCentredString(x, y, text, mode=mode)

    def fitted(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        limit: float,
        *,
        bold: bool = False,
        colour: Color = INK,
        align: str = "left",
    ) -> None:
        """``text`` shrunk (down to 70 %), then cut with an ellipsis, to fit ``limit``."""
        line, fitted_size = fit(text, self.fonts.regular, size, limit, size * 0.7)
        self.text(x, y, line, fitted_size, bold=bold, colour=colour, align=align)

    def rule(
        self, x1: float, y: float, x2: float, colour: Color = GREEN, thickness: float = 0.6
    ) -> None:
        """A horizontal line from ``x1`` to ``x2``."""
        self.canvas.setStrokeColor(colour)
        self.canvas.setLineWidth(thickness)
        self.canvas.line(x1, y, x2, y)
