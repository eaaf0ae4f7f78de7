"""Exact quantities: Decimal arithmetic, the documented caps, and the one rounding at the edge."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal
from typing import NamedTuple, TypeVar

# Intermediate results keep 28 significant digits; nothing is rounded until presented.
CONTEXT = Context(prec=28)

KG_PLACES = Decimal("0.001")
"""Results are presented in kgCO2e with three decimals (grams)."""
TONNE_PLACES = Decimal("0.001")
"""…and in tCO2e with three decimals (kilograms)."""

# Caps on what one request may state; anything larger is refused as absurd.
MAX_TRAVELLERS = 1000
MAX_DISTANCE_KM = Decimal(50_000)  # more than once round the equator
MAX_NIGHTS = 366
MAX_ROOMS = 500
MAX_RIDES = 1000
MAX_OCCUPANTS = 9
MAX_LINES = 100  # per section of a trip
MAX_ACTIVITY_QUANTITY = Decimal(10) ** 12

DATA_QUALITY: Mapping[str, Decimal] = {
    "measured": Decimal("0.05"),
    "calculated": Decimal("0.10"),
    "estimated": Decimal("0.30"),
}
"""Relative half-width of an activity figure by how it was obtained: metered or weighed
(primary data), calculated from records, or estimated. The GHG Protocol Product Standard
(ch. 8) asks for data quality to be assessed; these are our stated defaults."""


def present(value: Decimal, places: Decimal = KG_PLACES) -> float:
    """Round once, half up, for output. ``float`` of a 3-place Decimal prints exactly."""
    return float(value.quantize(places, rounding=ROUND_HALF_UP))


def plain(value: Decimal) -> str:
    """The one written form of a decimal: plain notation, no exponent, no trailing zeros
    (``4E+4`` → ``"40000"``, ``5.96E-8`` → ``"0.0000000596"``), whatever the database."""
    return format(value.normalize(), "f")


def present_text(value: Decimal, places: Decimal) -> str:
    """Round once, half up, for output as a `plain` decimal string (``"569.419"``)."""
    return plain(value.quantize(places, rounding=ROUND_HALF_UP))


Key = TypeVar("Key")


def present_parts(parts: Mapping[Key, Decimal], places: Decimal) -> dict[Key, Decimal]:
    """``parts`` rounded to ``places`` so that they add up to their total rounded half up
    (largest-remainder rounding): each is rounded down, and the units still missing go
    one each to the parts that lost most, the first of equals first. A label's stages
    then add up to the printed total (2.824, not 2.825)."""
    floors = {key: value.quantize(places, rounding=ROUND_FLOOR) for key, value in parts.items()}
    total = sum(parts.values(), Decimal(0)).quantize(places, rounding=ROUND_HALF_UP)
    missing = int((total - sum(floors.values(), Decimal(0))) / places)
    by_loss = sorted(parts, key=lambda key: parts[key] - floors[key], reverse=True)
    for key in by_loss[:missing]:
        floors[key] += places
    return floors


def combine_uncertainty(parts: list[tuple[Decimal, Decimal]]) -> Decimal:
    """Half-width of the total from (amount, relative half-width) pairs.

    IPCC 2006 Guidelines, Vol. 1, Ch. 3, Approach 1 (eq. 3.2): uncorrelated errors of
    summed quantities add in quadrature.
    """
    total = sum((CONTEXT.multiply(a, u) ** 2 for a, u in parts), Decimal(0))
    return CONTEXT.sqrt(total)


def _both(part: Part) -> Decimal:
    u, a = part.factor_uncertainty, part.activity_uncertainty
    return CONTEXT.sqrt(u * u + a * a) if a else u


class Part(NamedTuple):
    """One line of a total, as its range sees it: the factor it was priced by, its amount,
    the factor's relative half-width, its activity figure's, and which figure that is
    (``None``: its own; lines stating the same figure share its error)."""

    factor: Hashable
    amount: Decimal
    factor_uncertainty: Decimal
    activity_uncertainty: Decimal = Decimal(0)
    figure: Hashable | None = None


def half_width(parts: Iterable[Part], *, correlated: bool) -> Decimal:
    """Half-width of a total from its parts, IPCC 2006 GL Vol. 1 Ch. 3, Approach 1: each
    part's two uncertainties combine in quadrature (eq. 3.1), the parts' in quadrature
    too (eq. 3.2) — or, if ``correlated``, correlated quantities are summed first: the
    factor errors of parts priced by one factor add, and so do the activity errors of
    parts that state one figure (a round trip and its two one-way legs of the same
    distance), before the sums combine in quadrature."""
    if not correlated:
        return combine_uncertainty([(p.amount, _both(p)) for p in parts])
    widths: dict[Hashable, Decimal] = {}
    for number, p in enumerate(parts):
        for key, u in (
            (("factor", p.factor), p.factor_uncertainty),
            (("figure", p.figure if p.figure is not None else number), p.activity_uncertainty),
        ):
            if u:
                widths[key] = widths.get(key, Decimal(0)) + CONTEXT.multiply(p.amount, u)
    return combine_uncertainty([(width, Decimal(1)) for width in widths.values()])
