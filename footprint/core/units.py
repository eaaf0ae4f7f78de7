"""Unit conversion through pint, with exact Decimal arithmetic.

People report in the units they have (kWh or MWh, L or kg or t, m³, GJ); every activity
is converted to the unit its factor is stated per. A unit of the wrong dimension is an
error naming the field, and so is a unit that does not parse: whatever pint's parser
raises (an unbalanced bracket, ``1/0``) is a `UnitError`, and a unit longer than
`MAX_UNIT_LENGTH` is not parsed at all (one of `footprint.platform.limits`' limits).
"""

from __future__ import annotations

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
    return pint.UnitRegistry(non_int_type=Decimal)


@lru_cache(maxsize=512)
def _unit(text: str) -> pint.Unit:
    name = _ALIASES.get(text.strip(), text.strip())
    if not name:
        raise UnitError("a unit is required")
    if len(name) > MAX_UNIT_LENGTH:
        raise UnitError(f"a unit has at most {MAX_UNIT_LENGTH} characters")
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
