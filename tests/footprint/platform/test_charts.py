"""Charts on pages: the PDFs' drawings as inline SVG that the Content-Security-Policy allows."""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from markupsafe import Markup
from reportlab.graphics.shapes import Drawing, Ellipse, Rect, String

from footprint.platform.charts import inline_svg
from footprint.platform.pdf.chart import Bar, Series, bar_chart, periods_chart
from footprint.platform.pdf.drawing import GREEN, GREY, RED
from footprint.platform.pdf.fonts import cjk_fonts

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def font() -> str:
    return cjk_fonts().regular


@pytest.fixture
def bars(font: str) -> Drawing:
    return bar_chart(
        [Bar("范围一 Scope 1", Decimal("12.5"), GREEN), Bar("Scope 3", Decimal("3"), RED)],
        font,
        300,
        12,
        GREY,
        label_size=13,
        value_size=12,
    )


def parsed(markup: Markup) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))


def test_the_svg_has_no_style_attribute_prolog_or_fixed_size(bars):
    markup = inline_svg(bars, title="Emissions by scope", description="Two bars.")
    assert isinstance(markup, Markup)
    assert markup.startswith("<svg ") and "<?xml" not in markup and "DOCTYPE" not in markup
    root = parsed(markup)
    assert all("style" not in element.attrib for element in root.iter())
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox") == "0 0 300 38.4"  # the drawing's exact size, not 38


def test_paint_and_type_become_presentation_attributes_and_text_takes_the_pages_font(bars):
    root = parsed(inline_svg(bars, title="t", description="d"))
    rects = root.findall(f".//{SVG}rect")
    assert [rect.get("fill") for rect in rects] == ["#17613d", "#c71414"]  # GREEN, RED
    texts = root.findall(f".//{SVG}text")
    assert {text.get("font-size") for text in texts} == {"13", "12"}
    assert all(text.get("font-family") is None for text in texts)
    assert root.find(f".//{SVG}clipPath") is None


def test_the_chart_is_an_image_named_by_its_title_and_description(bars):
    root = parsed(inline_svg(bars, title="Emissions <by> scope", description="A & B"))
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").text == "Emissions <by> scope"
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").text == "A & B" and root.find(f"{SVG}desc").get("id") == desc_id


def test_two_charts_on_a_page_have_ids_of_their_own(bars, font):
    other = periods_chart(["2024"], [Series("Net", (Decimal(-3),), RED)], font, 300, 150, GREY)
    first = inline_svg(bars, title="a", description="b")
    second = inline_svg(other, title="c", description="d")
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) == 4


def test_text_anchored_at_its_end_lines_up_in_any_font(font):
    drawing = Drawing(200, 40)
    drawing.add(String(150, 10, "Scope 2", fontName=font, fontSize=10, textAnchor="end"))
    drawing.add(String(100, 25, "中", fontName=font, fontSize=10, textAnchor="middle"))
    (end, middle) = parsed(inline_svg(drawing, title="t", description="d")).iter(f"{SVG}text")
    assert (end.get("x"), end.get("text-anchor")) == ("150", "end")
    assert (middle.get("x"), middle.get("text-anchor")) == ("100", "middle")


def test_the_flip_uses_the_exact_height_so_nothing_shifts(font):
    drawing = Drawing(100, 30.5)
    drawing.add(String(10, 12.3, "x", fontName=font, fontSize=8))
    drawing.add(Rect(5, 10, 20, 4.5, fillColor=GREEN, strokeColor=None))
    root = parsed(inline_svg(drawing, title="t", description="d"))
    text = root.find(f".//{SVG}text")
    assert (text.get("x"), text.get("y"), text.get("transform")) == ("10", "18.2", None)
    rect = root.find(f".//{SVG}rect")
    assert (rect.get("y"), rect.get("height"), rect.get("stroke")) == ("16", "4.5", "none")


def test_text_is_escaped(font):
    drawing = Drawing(100, 20)
    drawing.add(String(0, 5, "<b>&", fontName=font, fontSize=8))
    assert (
        parsed(inline_svg(drawing, title="t", description="d")).find(f".//{SVG}text").text == "<b>&"
    )


def test_a_shape_the_page_cannot_draw_is_refused_not_dropped():
    drawing = Drawing(100, 20)
    drawing.add(Ellipse(10, 10, 5, 3))
    with pytest.raises(TypeError, match="Ellipse"):
        inline_svg(drawing, title="t", description="d")
