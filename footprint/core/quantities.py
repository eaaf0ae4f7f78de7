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
    if not correlated:  # combine_uncertainty's sum, inline: every trip comes this way
        total = Decimal(0)
        for p in parts:
            width = CONTEXT.multiply(p.amount, _both(p))
            total += width * width
        return CONTEXT.sqrt(total)
    widths: dict[Hashable, Decimal] = {}
    for number, p in enumerate(parts):
        for key, u in (
            (("factor", p.factor), p.factor_uncertainty),
            (("figure", p.figure if p.figure is not None else number), p.activity_uncertainty),
        ):
            if u:
                widths[key] = widths.get(key, Decimal(0)) + CONTEXT.multiply(p.amount, u)
    return combine_uncertainty([(width, Decimal(1)) for width in widths.values()])


APPROACH_1_LIMIT = Decimal("0.3")
"""The largest relative standard deviation of an input for which IPCC 2006 GL Vol. 1
Ch. 3 (§3.2.3.1) holds Approach 1's error propagation to be adequate; a 95 % half-width
is 1.96 standard deviations, so this is a half-width of 58.8 %."""
MONTE_CARLO_DRAWS = 10_000
MONTE_CARLO_SEED = 2006
"""Draws and seed of the Monte Carlo ranges: the same lines always give the same range."""
APPROACHES = ("approach_1", "monte_carlo")


class Spread(NamedTuple):
    """How far a total's ~95 % range reaches below and above it, and how it was found:
    Approach 1 (symmetric) or a seeded Monte Carlo (Approach 2, asymmetric)."""

    below: Decimal
    above: Decimal
    approach: str = "approach_1"

    def range(self, total: Decimal) -> tuple[Decimal, Decimal]:
        """(low, high) around ``total``, never below zero."""
        return max(total - self.below, Decimal(0)), total + self.above


def _large(part: Part) -> bool:
    return max(part.factor_uncertainty, part.activity_uncertainty) / Decimal("1.96") > (
        APPROACH_1_LIMIT
    )


def spread(parts: Iterable[Part], *, correlated: bool, monte_carlo: bool) -> Spread:
    """The range of a total from its parts: Approach 1 (`half_width`), or — where the
    rules allow it (``monte_carlo``) and an input's relative standard deviation is above
    `APPROACH_1_LIMIT` — Approach 2: `monte_carlo_range`."""
    if monte_carlo:
        parts = list(parts)
        if any(_large(p) for p in parts):
            return monte_carlo_range(parts, correlated=correlated)
    width = half_width(parts, correlated=correlated)
    return Spread(width, width)


def monte_carlo_range(parts: list[Part], *, correlated: bool) -> Spread:
    """IPCC 2006 GL Vol. 1 Ch. 3, Approach 2: every uncertain input is drawn from a
    lognormal distribution of mean 1 whose coefficient of variation is its half-width /
    1.96 (positive quantities with large uncertainties, §3.2.2.4); the range is the 2.5th
    to 97.5th percentile of `MONTE_CARLO_DRAWS` totals drawn with `MONTE_CARLO_SEED`.
    Inputs shared as in `half_width`'s correlated case — one factor, one stated figure —
    are one draw (fully correlated); otherwise every line draws its own.

    numpy, imported here: the draws are arrays (10,000 per input in well under a
    millisecond), which pure Python could not do within a request's budget; rules that
    never take Approach 2 never load it."""
    import numpy as np

    keys: dict[Hashable, int] = {}  # each uncertain input's row of draws
    widths: list[float] = []
    lines: list[tuple[float, list[int]]] = []
    point = Decimal(0)
    for number, p in enumerate(parts):
        point += p.amount
        figure = p.figure if p.figure is not None else number
        rows = []
        for key, u in (
            (("factor", p.factor if correlated else number), p.factor_uncertainty),
            (("figure", figure if correlated else number), p.activity_uncertainty),
        ):
            if u:
                if key not in keys:
                    keys[key] = len(widths)
                    widths.append(float(u) / 1.96)
                rows.append(keys[key])
        lines.append((float(p.amount), rows))
    cv = np.array(widths)
    sigma = np.sqrt(np.log1p(cv * cv))[:, None]
    multipliers = np.random.Generator(np.random.PCG64(MONTE_CARLO_SEED)).standard_normal(
        (len(widths), MONTE_CARLO_DRAWS)
    )
    # lognormal of mean 1, exp(σ·z − σ²/2), computed in place: no temporaries of every draw
    multipliers *= sigma
    multipliers -= sigma * sigma / 2
    np.exp(multipliers, out=multipliers)
    totals = np.zeros(MONTE_CARLO_DRAWS)
    for amount, rows in lines:
        if not rows:
            totals += amount
            continue
        line = multipliers[rows[0]] * (multipliers[rows[1]] if len(rows) > 1 else amount)
        for row in rows[2:]:
            line *= multipliers[row]
        if len(rows) > 1:
            line *= amount  # after the rows' product, as before: the same draws to the bit
        totals += line
    low, high = (Decimal(repr(float(x))) for x in np.percentile(totals, [2.5, 97.5]))
    return Spread(max(point - low, Decimal(0)), max(high - point, Decimal(0)), "monte_carlo")
