"""The charts of printed documents: bars by scope, and columns and lines over periods."""

from __future__ import annotations

from decimal import Decimal

import pytest
from reportlab.graphics.shapes import Circle, Line, Rect, String

from footprint.platform.pdf.chart import (
    LABEL_SIZE,
    VALUE_SIZE,
    Bar,
    Series,
    bar_chart,
    periods_chart,
    tick_label,
    ticks,
)
from footprint.platform.pdf.drawing import GREEN, GREY, RED
from footprint.platform.pdf.fonts import cjk_fonts


@pytest.fixture(scope="module")
def font() -> str:
    return cjk_fonts().regular


def shapes(drawing, kind):
    return [item for item in drawing.contents if isinstance(item, kind)]


def test_the_bar_chart_keeps_the_certificates_type_sizes_unless_asked(font):
    bars = [Bar("范围一 S1", Decimal(5), GREEN), Bar("范围三 S3", Decimal(1), RED)]
    printed = bar_chart(bars, font, 200, 10, GREY)
    assert {s.fontSize for s in shapes(printed, String)} == {LABEL_SIZE, VALUE_SIZE}
    screen = bar_chart(bars, font, 200, 10, GREY, label_size=13, value_size=12)
    assert {s.fontSize for s in shapes(screen, String)} == {13, 12}


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("0", "40.1", ["0", "20", "40", "60"]),
        ("-19.3", "67", ["-50", "0", "50", "100"]),
        ("0.35", "0.67", ["0.0", "0.2", "0.4", "0.6", "0.8"]),
        ("0", "0", ["0.0", "0.5", "1.0"]),
    ],
)
def test_the_value_axis_is_marked_at_round_values_and_always_at_zero(low, high, expected):
    marks = ticks(Decimal(low), Decimal(high))
    assert [tick_label(m, marks[1] - marks[0]) for m in marks] == expected


def test_a_chart_has_columns_or_lines(font):
    with pytest.raises(ValueError, match="columns, lines"):
        periods_chart(["2024"], [], font, 100, 100, GREY, style="pie")


def test_columns_stand_on_the_zero_line_and_negative_ones_hang_below_it(font):
    drawing = periods_chart(
        ["2023", "2024"],
        [
            Series("Gross", (Decimal(40), Decimal(30)), GREEN),
            Series("Net", (None, Decimal(-20)), RED),
        ],
        font,
        300,
        200,
        GREY,
    )
    zero = next(line for line in shapes(drawing, Line) if line.strokeWidth == 0.6)
    columns = [r for r in shapes(drawing, Rect) if r.height > 10]
    assert len(columns) == 3  # the missing value draws nothing
    gross_2023, gross_2024, net_2024 = columns
    assert gross_2023.y == pytest.approx(zero.y1) and gross_2023.height > gross_2024.height
    assert net_2024.y + net_2024.height == pytest.approx(zero.y1)
    assert gross_2024.height / net_2024.height == pytest.approx(1.5)
    years = [s.text for s in shapes(drawing, String) if s.textAnchor == "middle"]
    assert years == ["2023", "2024"]


def test_a_line_breaks_where_a_period_has_no_value(font):
    drawing = periods_chart(
        ["2022", "2023", "2024", "2025"],
        [Series("kg/visitor", (Decimal("0.6"), Decimal("0.5"), None, Decimal("0.4")), GREEN)],
        font,
        300,
        150,
        GREY,
        style="lines",
    )
    assert len(shapes(drawing, Circle)) == 3
    segments = [line for line in shapes(drawing, Line) if line.strokeColor == GREEN]
    assert len(segments) == 1
