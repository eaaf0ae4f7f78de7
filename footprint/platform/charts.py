"""Charts on pages: the PDFs' reportlab drawings (`footprint.platform.pdf.chart`) as inline
SVG that the pages' Content-Security-Policy allows and that scales to the screen.

reportlab's SVG renderer (``renderSVG.drawToString``) writes every paint and font as a
``style="fill: …; font-size: …"`` attribute, and the pages' policy (``style-src 'self'``,
no ``'unsafe-inline'``) makes browsers ignore every such attribute: the chart would be
drawn black, unstyled. `inline_svg` therefore rewrites the renderer's output:

- each ``style`` becomes SVG presentation attributes (``fill``, ``stroke``,
  ``stroke-width``, ``font-size`` …, which the policy does not touch), colours as hex;
  ``font-family`` is dropped, so text inherits the page's font;
- text that reportlab anchored at its end or middle by measuring it in the PDF font
  gets ``text-anchor`` at its true position instead, so it lines up in any font;
- the XML declaration, DOCTYPE and clip path (whose fixed id would clash between two
  charts on a page) go; the exact drawing size replaces the renderer's whole-number
  ``viewBox`` and flips; ``width="100%"`` with no height scales it to its container;
- ``role="img"`` with a ``<title>`` and ``<desc>`` it is ``aria-labelledby``: a screen
  reader announces the chart by them, and the page gives its figures in a table.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from xml.etree import ElementTree

from markupsafe import Markup
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing, Group, String

SVG_NS = "http://www.w3.org/2000/svg"
PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-opacity",
        "stroke-dasharray",
        "stroke-dashoffset",
        "font-size",
        "font-weight",
        "font-style",
        "font-variant",
        "opacity",
    }
)
"""The style properties kept, as attributes; the rest (font-family, clip-path) go."""
ANCHORS = {"end": "end", "middle": "middle"}
_ANCHOR = "data-anchor"
_X = "data-x"
_RGB = re.compile(r"rgb\(\s*([\d.]+)%\s*,\s*([\d.]+)%\s*,\s*([\d.]+)%\s*\)")
_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_NUMBER_ATTRIBUTES = ("x", "y", "width", "height", "cx", "cy", "r", "x1", "y1", "x2", "y2")


def _strings(node: Group | Drawing) -> Iterator[String]:
    for item in node.contents:
        if isinstance(item, String):
            yield item
        elif isinstance(item, Group):
            yield from _strings(item)


def _number(value: float) -> str:
    """A coordinate to 0.01 unit, without trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _colour(value: str) -> str:
    found = _RGB.fullmatch(value.strip())
    if not found:
        return value.strip()
    channels = (round(float(share) * 255 / 100) for share in found.groups())
    return "#" + "".join(f"{min(max(c, 0), 255):02x}" for c in channels)


def _presentation(element: ElementTree.Element) -> None:
    style = element.attrib.pop("style", "")
    for declaration in style.split(";"):
        name, colon, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not colon or name not in PRESENTATION:
            continue
        if name in ("fill", "stroke"):
            value = _colour(value)
        elif name == "font-size" and value.endswith("px"):
            value = value[:-2]
        element.set(name, value)


def _render(drawing: Drawing) -> str:
    """reportlab's SVG of ``drawing``, with each end- or middle-anchored string marked with
    its anchor and true x (reportlab moves x by the string's width in the PDF font)."""
    marked = []
    for string in _strings(drawing):
        anchor = ANCHORS.get(getattr(string, "textAnchor", "start"))
        if anchor:
            marked.append((string, getattr(string, "_svgAttrs", None)))
            string._svgAttrs = {_ANCHOR: anchor, _X: repr(float(string.x))}
    try:
        return renderSVG.drawToString(drawing, useClip=True)
    finally:
        for string, previous in marked:
            if previous is None:
                del string._svgAttrs
            else:
                string._svgAttrs = previous


def inline_svg(drawing: Drawing, *, title: str, description: str) -> Markup:
    """``drawing`` as an ``<svg>`` element to put in a page: CSP-safe, scaling to the width
    of its container, announced by ``title`` and ``description`` (see the module)."""
    source = _render(drawing)
    root = ElementTree.fromstring(_PROLOG.sub("", source, count=1))
    digest = hashlib.sha256(f"{title}\0{description}\0{source}".encode()).hexdigest()[:10]
    ident = f"chart-{digest}"
    height = float(drawing.height)
    for element in root.iter():
        tag = element.tag = element.tag.rpartition("}")[2]  # xmlns is set on the root
        _presentation(element)
        for name in ("clip", "id"):
            element.attrib.pop(name, None)
        if element.get("transform") == "":
            del element.attrib["transform"]
        if tag == "g" and element.get("transform", "").startswith("scale(1,-1) translate(0,"):
            element.set("transform", f"scale(1,-1) translate(0,{_number(-height)})")
        if tag == "text":
            anchor = element.attrib.pop(_ANCHOR, None)
            x = element.attrib.pop(_X, None)
            if anchor and x is not None:
                element.set("x", x)
                element.set("text-anchor", anchor)
            y = float(element.get("y", "0"))
            element.set("transform", f"translate(0,{_number(2 * y)}) scale(1,-1)")
        for name in _NUMBER_ATTRIBUTES:
            if name in element.attrib:
                element.set(name, _number(float(element.attrib[name])))
        if tag != "text" and element.text is not None and not element.text.strip():
            element.text = None
        if element.tail is not None and not element.tail.strip():
            element.tail = None
    for name in ("width", "height", "version", "preserveAspectRatio"):
        root.attrib.pop(name, None)
    root.set("xmlns", SVG_NS)
    root.set("viewBox", f"0 0 {_number(float(drawing.width))} {_number(height)}")
    root.set("width", "100%")
    root.set("class", "chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title {ident}-desc")
    for tag, text in (("title", title), ("desc", description)):
        element = root.find(tag)
        if element is None:
            element = ElementTree.Element(tag)
            root.insert(0 if tag == "title" else 1, element)
        element.text = text
        element.set("id", f"{ident}-{tag}")
    return Markup(ElementTree.tostring(root, encoding="unicode"))
