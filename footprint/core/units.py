"""Unit conversion through pint, with exact Decimal arithmetic.

People report in the units they have (kWh or MWh, L or kg or t, m³, GJ); every activity
is converted to the unit its factor is stated per. A unit of the wrong dimension is an
error naming the field, and so is a unit that does not parse: whatever pint's parser
raises (an unbalanced bracket, ``1/0``) is a `UnitError`, and a unit longer than
`MAX_UNIT_LENGTH` is not parsed at all (one of `footprint.platform.limits`' limits).

In this programme ``t`` is the metric tonne. Names that mean different quantities in
the US and the UK (pint reads ``ton`` as the US short ton, ``gallon`` as the US gallon)
are refused, naming the spellings that say which (`AMBIGUOUS`), wherever they appear in
a unit (``ton*km`` too).
"""

from __future__ import annotations

import re
import tokenize
from decimal import Decimal
from functools import cache, lru_cache

import pint

_ALIASES = {
    "m3": "m**3",
    "m³": "m**3",
    "l": "L",
    "tonne": "t",
    "tCO2e": "t",
    # freight is per tonne-kilometre ("t*km", "t·km" and DEFRA's "tonne.km" parse)
    "tkm": "t*km",
    "t-km": "t*km",
    "tonne-km": "t*km",
}


_TONS = ("t", "tonne", "short_ton", "long_ton")
_GALLONS = ("US_gallon", "imperial_gallon")
_BARRELS = ("oil_barrel", "imperial_barrel")
_HUNDREDWEIGHTS = ("short_hundredweight", "long_hundredweight")
AMBIGUOUS = {
    "ton": _TONS,
    "gallon": _GALLONS,
    "gal": _GALLONS,
    "pint": ("US_pint", "imperial_pint"),
    "quart": ("US_liquid_quart", "imperial_quart"),
    "fluid_ounce": ("US_fluid_ounce", "imperial_fluid_ounce"),
    "barrel": _BARRELS,
    "bbl": _BARRELS,
    "hundredweight": _HUNDREDWEIGHTS,
    "cwt": _HUNDREDWEIGHTS,
}
"""Unit names (singular) refused as ambiguous, with the spellings accepted instead."""
_NAME = re.compile(r"[A-Za-z_]+")

MAX_UNIT_LENGTH = 64
"""Characters of a unit; the longest real one ("kg*km/passenger") is far shorter."""

PARSE_ERRORS = (
    pint.errors.PintError,
    ArithmeticError,  # "1/0", with Decimal magnitudes
    AttributeError,
    TypeError,
    ValueError,
    AssertionError,
    tokenize.TokenError,  # an unbalanced bracket, from pint's parser
)
"""What pint's parser raises for a string that is no unit."""


class UnitError(ValueError):
    """The unit is unknown or does not fit the activity."""


@cache
def _registry() -> pint.UnitRegistry:
    """Built on first use: it takes a third of a second, which trips never need."""
    registry = pint.UnitRegistry(non_int_type=Decimal)
    registry.define("US_gallon = US_liquid_gallon")
    return registry


def _refuse_ambiguous(text: str, name: str) -> None:
    for word in _NAME.findall(name):
        accepted = AMBIGUOUS.get(word) or AMBIGUOUS.get(word.removesuffix("s"))
        if accepted:
            raise UnitError(
                f"{text.strip()!r} is ambiguous: {word!r} means different quantities in the"
                f" US and the UK; write {', '.join(accepted)}"
            )


@lru_cache(maxsize=512)
def _unit(text: str) -> pint.Unit:
    name = _ALIASES.get(text.strip(), text.strip())
    if not name:
        raise UnitError("a unit is required")
    if len(name) > MAX_UNIT_LENGTH:
        raise UnitError(f"a unit has at most {MAX_UNIT_LENGTH} characters")
    _refuse_ambiguous(text, name)
    try:
        return _registry().Unit(name)
    except PARSE_ERRORS as error:
        raise UnitError(f"unknown unit {text!r}") from error


def dimension(text: str) -> str:
    """The physical dimension of ``text`` ("[mass]", "[length] ** 3", …)."""
    return str(_unit(text).dimensionality)


@lru_cache(maxsize=512)
def _scale(source: str, target: str) -> Decimal:
    src, dst = _unit(source), _unit(target)
    if src.dimensionality != dst.dimensionality:
        raise UnitError(f"{source!r} is not a unit of {dimension(target)}")
    try:
        return Decimal(str(_registry().Quantity(Decimal(1), src).to(dst).magnitude))
    except PARSE_ERRORS as error:
        raise UnitError(f"{source!r} cannot be converted to {target!r}") from error


def convert(quantity: Decimal, source: str, target: str) -> Decimal:
    """``quantity`` in ``source`` units, expressed in ``target`` units."""
    return quantity * _scale(source, target)


def same_dimension(source: str, target: str) -> bool:
    try:
        return _unit(source).dimensionality == _unit(target).dimensionality
    except UnitError:
        return False
