"""How fields read in the OpenAPI document: bounds as JSON numbers (exclusive where the
rule is "greater than"), decimals as the plain-notation strings they are served as.

These are apispec attribute functions (`OpenAPIConverter.add_attribute_function`): each
gets the converter, a marshmallow field and the property built so far (``ret``), and
returns what to merge into it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from apispec.ext.marshmallow.field_converter import FieldConverterMixin
from marshmallow import fields, validate

from footprint.platform.fields import DECIMAL_PATTERN, DecimalText, Quantity

DECIMAL = {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN}
"""A decimal as served: ``"0.5366"``."""

NUMBER_KEYS = ("type", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _number(value: Decimal | float | int) -> int | float:
    return int(value) if value == int(value) else float(value)


def _bound(
    converter: FieldConverterMixin, side: str, value: Any, inclusive: bool
) -> dict[str, Any]:
    """``minimum``/``maximum``, exclusive as the document's OpenAPI version writes it."""
    number = _number(value)
    exclusive = "exclusive" + side.capitalize()
    if inclusive:
        return {side: number}
    version = converter.openapi_version
    if (version.major, version.minor) < (3, 1):  # a flag beside the bound; 3.1: the bound
        return {side: number, exclusive: True}
    return {exclusive: number}


def range2bounds(
    self: FieldConverterMixin, field: fields.Field, ret: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """Numeric `validate.Range` bounds as numbers (apispec writes a Decimal's as strings)."""
    if not isinstance(field, fields.Number):
        return {}
    ranges = [v for v in field.validators if isinstance(v, validate.Range)]
    bounds: dict[str, Any] = {}
    lows = [v for v in ranges if v.min is not None]
    highs = [v for v in ranges if v.max is not None]
    if lows:
        low = max(lows, key=lambda v: (v.min, not v.min_inclusive))
        bounds |= _bound(self, "minimum", low.min, low.min_inclusive)
    if highs:
        high = min(highs, key=lambda v: (v.max, v.max_inclusive))
        bounds |= _bound(self, "maximum", high.max, high.max_inclusive)
    for key in ("minimum", "maximum"):
        ret.pop(key, None)
    return bounds


def decimal2properties(
    self: FieldConverterMixin, field: fields.Field, ret: dict[str, Any], **kwargs: Any
) -> dict[str, Any]:
    """A `DecimalText` is a decimal string; a `Quantity` a number in requests and that
    string in responses (one schema serves both directions, hence ``anyOf``)."""
    if isinstance(field, Quantity):
        number = {key: ret.pop(key) for key in NUMBER_KEYS if key in ret}
        text = dict(DECIMAL)
        if ret.pop("nullable", False):
            number["nullable"] = text["nullable"] = True
        return {"anyOf": [number, text]}
    if isinstance(field, DecimalText):
        return dict(DECIMAL)
    return {}


ATTRIBUTE_FUNCTIONS = (range2bounds, decimal2properties)
"""In this order: the bounds first, then the decimals that may carry them."""
