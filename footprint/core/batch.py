"""Pricing trip lines in bulk (ticketing exports), streaming in constant memory.

Each CSV row is one line of one trip, with the header
``trip_id,category,item,quantity,travellers,round_trip,occupants,radiative_forcing``:

- ``transport``: ``item`` a mode, ``quantity`` the distance in km;
- ``lodging``: ``item`` a lodging type, ``quantity`` nights × rooms;
- ``attractions``: ``item`` an attraction type, ``quantity`` rides per traveller.

``travellers`` defaults to 1, ``round_trip`` to false, ``occupants`` to travellers and
``radiative_forcing`` to true. The formulas are those of :mod:`footprint.core.trips`.
Everything but the quantity (the factor, the checked optional columns) is worked out
once per distinct combination of those columns, not per row: a row then costs a
look-up, one Decimal and a few exact multiplications.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from footprint.core.datasets import Dataset
from footprint.core.errors import FieldError
from footprint.core.quantities import MAX_DISTANCE_KM, MAX_OCCUPANTS, MAX_TRAVELLERS
from footprint.core.trips import CATEGORIES, PASSENGER_MODES, VEHICLE_MODES

COLUMNS = (
    "trip_id",
    "category",
    "item",
    "quantity",
    "travellers",
    "round_trip",
    "occupants",
    "radiative_forcing",
)
TRUE, FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no", ""})
MAX_ERRORS_KEPT = 100
MAX_PLANS_KEPT = 10_000
TWO = Decimal(2)


class _Plan(NamedTuple):
    """How to price a row once its quantity is known (see :meth:`_Factors.plan`)."""

    category: str
    factor: Decimal
    doubled: bool  # a transport round trip
    travellers: Decimal | None  # × travellers (or, with occupants, × travellers / occupants)
    occupants: Decimal | None  # a vehicle shared with others


@dataclass
class BatchSummary:
    rows: int = 0
    priced: int = 0
    total: Decimal = Decimal(0)
    by_category: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(CATEGORIES, Decimal(0))
    )
    error_count: int = 0
    errors: list[str] = field(default_factory=list)

    def add_error(self, row: int, error: FieldError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(f"row {row}, column {error.field}: {error.message}")


class _Factors:
    """Per-unit factors by (category, item, radiative forcing), resolved once per batch.

    Also the *plan* of a row, by the text of its category, item and optional columns:
    those are parsed and checked once per distinct combination (a few hundred in a real
    export). The plans kept are capped, so memory stays flat whatever the file holds.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.cache: dict[tuple[str, str, bool], Decimal] = {}
        self.plans: dict[tuple[str, ...], _Plan] = {}

    def get(self, category: str, item: str, rf: bool) -> Decimal:
        key = (category, item, rf)
        value = self.cache.get(key)
        if value is None:
            value = self.cache[key] = self._resolve(category, item, rf)
        return value

    def _resolve(self, category: str, item: str, rf: bool) -> Decimal:
        if category == "transport":
            if item not in PASSENGER_MODES and item not in VEHICLE_MODES:
                raise FieldError("item", f"unknown mode {item!r}")
            factor = self.dataset.get("transport", "flight_rf" if item == "flight" and rf else item)
        elif category in ("lodging", "attractions"):
            group = "lodging" if category == "lodging" else "attraction"
            factor = self.dataset.get(group, item)
        else:
            raise FieldError("category", f"unknown category {category!r}")
        if factor is None:
            raise FieldError("item", f"dataset {self.dataset.code} has no {category} {item!r}")
        return factor.value

    def plan(self, row: Sequence[str]) -> _Plan:
        """The plan of a row of at least 4 columns (raises FieldError for a bad one)."""
        try:
            key: tuple[str, ...] = (row[1], row[2], row[4], row[5], row[6], row[7])
        except IndexError:
            key = (row[1], row[2], *row[4:8])
        plan = self.plans.get(key)
        if plan is None:
            plan = self._plan(*key)
            if len(self.plans) >= MAX_PLANS_KEPT:
                self.plans.clear()
            self.plans[key] = plan
        return plan

    def _plan(self, category: str, item: str, *optional: str) -> _Plan:
        extra = [*optional, "", "", "", ""]
        travellers = _count(extra[0], "travellers", 1, MAX_TRAVELLERS)
        round_trip = _flag(extra[1], "round_trip", False)
        rf = _flag(extra[3], "radiative_forcing", True)
        factor = self.get(category, item, rf)
        doubled = round_trip and category == "transport"
        if category == "transport" and item in VEHICLE_MODES:
            occupants = _count(extra[2], "occupants", travellers, MAX_OCCUPANTS)
            if travellers != occupants:  # the party's share of one vehicle, or several
                return _Plan(category, factor, doubled, Decimal(travellers), Decimal(occupants))
            return _Plan(category, factor, doubled, None, None)  # one whole vehicle
        if category != "lodging":
            return _Plan(category, factor, doubled, Decimal(travellers), None)
        return _Plan(category, factor, doubled, None, None)


def _flag(text: str, column: str, default: bool) -> bool:
    value = text.strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise FieldError(column, f"{text!r} is not true or false")


def _count(text: str, column: str, default: int, maximum: int) -> int:
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise FieldError(column, f"{text!r} is not a whole number") from None
    if not 1 <= value <= maximum:
        raise FieldError(column, f"must be between 1 and {maximum}")
    return value


def price_row(row: Sequence[str], factors: _Factors) -> tuple[str, Decimal]:
    """The category and kgCO2e of one row (full precision)."""
    if len(row) < 4:
        raise FieldError("row", f"expected {len(COLUMNS)} columns, got {len(row)}")
    try:
        quantity = Decimal(row[3])
    except InvalidOperation:
        raise FieldError("quantity", f"{row[3]!r} is not a number") from None
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_DISTANCE_KM:
        raise FieldError("quantity", f"must be above 0 and at most {MAX_DISTANCE_KM}")
    category, factor, doubled, travellers, occupants = factors.plan(row)
    # Exact operations in a fixed order: quantity × factor (× 2 for a round trip), then
    # × travellers, or × travellers / occupants for a shared vehicle.
    kg = quantity * factor
    if doubled:
        kg *= TWO
    if occupants is not None:
        kg = kg * travellers / occupants
    elif travellers is not None:
        kg *= travellers
    return category, kg


def price_rows(
    rows: Iterable[Sequence[str]], dataset: Dataset, summary: BatchSummary, first_row: int = 2
) -> Iterator[tuple[int, Sequence[str], Decimal | None]]:
    """Yield (row number, row, kgCO2e or None for a bad row); ``summary`` accumulates."""
    factors = _Factors(dataset)
    by_category = summary.by_category
    for number, row in enumerate(rows, start=first_row):
        summary.rows += 1
        try:
            category, kg = price_row(row, factors)
        except FieldError as error:
            summary.add_error(number, error)
            yield number, row, None
            continue
        summary.priced += 1
        by_category[category] += kg
        yield number, row, kg
    summary.total = sum(by_category.values(), Decimal(0))
