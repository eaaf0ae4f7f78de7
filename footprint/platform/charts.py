"""Charts on pages: the PDFs' reportlab drawings (`footprint.platform.pdf.chart`) as inline
SVG that the pages' Content-Security-Policy allows and that scales to the screen.

Written here, shape by shape, rather than through reportlab's ``renderSVG``: that
renderer builds a DOM with every paint and font in a ``style`` attribute, which the
pages' policy (``style-src 'self'``, no ``'unsafe-inline'``) makes browsers ignore — the
chart would be drawn black — and rewriting its output cost a page more than all the rest
of it (about 3 ms of a result page's 7). The charts are made of four shapes (`Rect`,
`Line`, `Circle`, `String`, possibly in `Group`s); any other is refused, not dropped.

- paint and type are SVG presentation attributes (``fill``, ``stroke``, ``font-size`` …,
  which the policy does not touch), colours as hex; no ``font-family``, so text takes
  the page's font;
- y is flipped once, against the drawing's exact height; text anchored at its end or
  middle gets ``text-anchor`` at its true position (reportlab's PDF output moves x by
  the string's width in the PDF font), so it lines up in any font;
- ``viewBox`` is the drawing's exact size and ``width="100%"`` with no height scales it
  to its container;
- ``role="img"`` with a ``<title>`` and ``<desc>`` it is ``aria-labelledby`` (ids from a
  digest, so two charts on a page never clash): a screen reader announces the chart by
  them, and the page gives its figures in a table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup, escape
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Rect, String
from reportlab.lib.colors import Color

SVG_NS = "http://www.w3.org/2000/svg"
ANCHORS = frozenset({"end", "middle"})


def _number(value: float) -> str:
    """A coordinate to 0.01 unit, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _colour(colour: Color) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in colour.rgb())


def _attributes(**attributes: object) -> str:
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"'
        for name, value in attributes.items()
    )


def _paint(shape: Rect | Line | Circle | String, *, fill: bool, stroke: bool) -> dict[str, str]:
    """The shape's fill and stroke as presentation attributes ("none" where it has none)."""
    paint: dict[str, str] = {}
    if fill:
        colour = shape.fillColor
        paint["fill"] = _colour(colour) if colour is not None else "none"
        if colour is not None and colour.alpha < 1:
            paint["fill_opacity"] = _number(colour.alpha)
    if stroke:
        colour = shape.strokeColor
        if colour is None or not shape.strokeWidth:
            paint["stroke"] = "none"
        else:
            paint["stroke"] = _colour(colour)
            paint["stroke_width"] = _number(shape.strokeWidth)
            if shape.strokeDashArray:
                paint["stroke_dasharray"] = " ".join(_number(d) for d in shape.strokeDashArray)
    return paint


_PLACES: dict[type, tuple[str, bool, Callable[[Any, float], dict[str, float]]]] = {
    Rect: (
        "rect",
        True,
        lambda s, h: {"x": s.x, "y": h - s.y - s.height, "width": s.width, "height": s.height},
    ),
    Line: ("line", False, lambda s, h: {"x1": s.x1, "y1": h - s.y1, "x2": s.x2, "y2": h - s.y2}),
    Circle: ("circle", True, lambda s, h: {"cx": s.cx, "cy": h - s.cy, "r": s.r}),
}
"""Per shape: its SVG element, whether it is filled, and its place, y measured down from
the drawing's height ``h``."""


def _elements(node: Drawing | Group, height: float) -> Iterator[str]:
    """Each shape of ``node`` as an SVG element, y measured down from ``height``."""
    for shape in node.contents:
        placed = _PLACES.get(type(shape))
        if placed is not None:
            tag, filled, place = placed
            geometry = {name: _number(value) for name, value in place(shape, height).items()}
            paint = _paint(shape, fill=filled, stroke=True)
            yield f"<{tag}{_attributes(**geometry, **paint)}/>"
        elif isinstance(shape, Group):
            if tuple(shape.transform) != (1, 0, 0, 1, 0, 0):
                raise TypeError("charts: a transformed group cannot be drawn on a page")
            yield from _elements(shape, height)
        elif isinstance(shape, String):
            anchor = shape.textAnchor if shape.textAnchor in ANCHORS else None
            yield (
                "<text"
                + _attributes(
                    x=_number(shape.x),
                    y=_number(height - shape.y),
                    font_size=_number(shape.fontSize),
                    **_paint(shape, fill=True, stroke=False),
                    **({"text_anchor": anchor} if anchor else {}),
                )
                + f">{escape(shape.text)}</text>"
            )
        else:
            raise TypeError(f"charts: no SVG for a {type(shape).__name__}")


def inline_svg(drawing: Drawing, *, title: str, description: str) -> Markup:
    """``drawing`` as an ``<svg>`` element to put in a page: CSP-safe, scaling to the width
    of its container, announced by ``title`` and ``description`` (see the module)."""
    height = float(drawing.height)
    body = "".join(_elements(drawing, height))
    digest = hashlib.sha256(f"{title}\0{description}\0{body}".encode()).hexdigest()[:10]
    ident = f"chart-{digest}"
    root = _attributes(
        xmlns=SVG_NS,
        viewBox=f"0 0 {_number(float(drawing.width))} {_number(height)}",
        width="100%",
        class_="chart",
        role="img",
        aria_labelledby=f"{ident}-title {ident}-desc",
    )
    return Markup(
        f'<svg{root}><title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>{body}</svg>'
    )
