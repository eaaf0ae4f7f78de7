"""Exact quantities: Decimal arithmetic, the documented caps, and the one rounding at the edge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

# Intermediate results keep 28 significant digits; nothing is rounded until presented.
CONTEXT = Context(prec=28)

KG_PLACES = Decimal("0.001")
"""Results are presented in kgCO2e with three decimals (grams)."""

# Caps on what one request may state; anything larger is refused as absurd.
MAX_TRAVELLERS = 1000
MAX_DISTANCE_KM = Decimal(50_000)  # more than once round the equator
MAX_NIGHTS = 366
MAX_ROOMS = 500
MAX_RIDES = 1000
MAX_OCCUPANTS = 9
MAX_LINES = 100  # per section of a trip
MAX_ACTIVITY_QUANTITY = Decimal(10) ** 12


def present(value: Decimal, places: Decimal = KG_PLACES) -> float:
    """Round once, half up, for output. ``float`` of a 3-place Decimal prints exactly."""
    return float(value.quantize(places, rounding=ROUND_HALF_UP))


def plain(value: Decimal) -> str:
    """The one written form of a decimal: plain notation, no exponent, no trailing zeros
    (``4E+4`` → ``"40000"``, ``5.96E-8`` → ``"0.0000000596"``), whatever the database."""
    return format(value.normalize(), "f")


def combine_uncertainty(parts: list[tuple[Decimal, Decimal]]) -> Decimal:
    """Half-width of the total from (amount, relative half-width) pairs.

    IPCC 2006 Guidelines, Vol. 1, Ch. 3, Approach 1 (eq. 3.2): uncorrelated errors of
    summed quantities add in quadrature.
    """
    total = sum((CONTEXT.multiply(a, u) ** 2 for a, u in parts), Decimal(0))
    return CONTEXT.sqrt(total)
