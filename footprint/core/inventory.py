"""Venue inventories: Scope 1, Scope 2 (location- and market-based) and chosen Scope 3.

GHG Protocol / ISO 14064-1 accounting of one venue for one reporting period:

- Scope 1: fuels burnt on site — in boilers, kitchens and generators (``fuel``,
  stationary combustion) or in the venue's own vehicles (``vehicle_fuel``, mobile
  combustion, where the dataset has factors for it: CN-2025 on) — by mass or volume
  (litres through the fuel's density), and refrigerant leakage × GWP-100 (blends from
  their components). Where a line's factor states its gases (CO2, CH4, N2O) the line
  reports the kg of each.
- Scope 2 location-based: grid electricity × the grid average — the national one, or
  where the dataset's rules say so (`footprint.core.datasets.Method`, edition 2) the
  average of the regional grid the venue's region is in, with the national figure
  beside; purchased heat.
- Scope 2 market-based: grid electricity not covered by green-electricity certificates
  × the residual factor (national average excluding market-traded non-fossil power);
  on-site PV is zero-emission and reported for transparency.
- Scope 3: waste (category 5), water supply (1), wastewater (5), business travel (6) and
  employee commuting (7) — each only when the inventory chooses that category.

Intensities divide the totals by visitors, occupied room-nights and rides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from footprint.core import units
from footprint.core.boundary import WellToTank, boundary_text, well_to_tank
from footprint.core.datasets import Dataset, Factor, range_method
from footprint.core.errors import FieldError
from footprint.core.quantities import CONTEXT, DATA_QUALITY, Part, Spread, spread
from footprint.core.trips import PASSENGER_MODES

ZERO = Decimal(0)
METRICS = ("visitors", "room_nights", "rides")
SCOPE3_CATEGORIES = {
    1: "Purchased goods and services (water supply)",
    5: "Waste generated in operations",
    6: "Business travel",
    7: "Employee commuting",
}


@dataclass(frozen=True, slots=True)
class Kind:
    """How one kind of activity line is priced."""

    scope: int
    group: str | None  # factor group the line's key selects from
    unit: str  # the unit the factor is stated per (pint spelling)
    default_key: str | None = None
    scope3_category: int | None = None
    fuel: bool = False  # priced per kg or m³ as its factor is, litres through a density


KINDS: Mapping[str, Kind] = {
    "grid_electricity": Kind(2, "electricity", "kWh", default_key="grid_cn"),
    "onsite_pv": Kind(2, None, "kWh"),
    "green_certificates": Kind(2, None, "MWh"),
    "purchased_heat": Kind(2, "heat", "GJ", default_key="purchased_heat"),
    "fuel": Kind(1, "fuel", "kg", fuel=True),
    "vehicle_fuel": Kind(1, "vehicle_fuel", "kg", fuel=True),
    "refrigerant": Kind(1, "refrigerant", "kg"),
    "waste": Kind(3, "waste", "t", scope3_category=5),
    "water": Kind(3, "water", "m3", scope3_category=1),
    "business_travel": Kind(3, "transport", "km", scope3_category=6),
    "employee_commuting": Kind(3, "transport", "km", scope3_category=7),
}
WATER_CATEGORY = {"water_supply": 1, "wastewater": 5}
MARKET_RESIDUAL_KEY = "grid_cn_residual"


@dataclass(frozen=True, slots=True)
class Activity:
    kind: str
    quantity: Decimal
    unit: str
    key: str | None = None


@dataclass(frozen=True, slots=True)
class PricedLine:
    kind: str
    key: str | None
    scope: int
    scope3_category: int | None
    quantity: Decimal
    unit: str
    converted: Decimal
    converted_unit: str
    factor: Factor | None
    location_kg: Decimal
    market_kg: Decimal
    note: str = ""
    conversion: Factor | None = None
    """The parameter the quantity was converted by (a fuel's density), cited like a factor."""
    national_kg: Decimal | None = None
    """A regional grid line's emissions at the national average, shown beside."""
    market_factor: Factor | None = None
    """The factor of its market-based figure where it is not ``factor`` (grid lines: the
    residual factor)."""
    well_to_tank: WellToTank | None = None
    """A travel line's well-to-tank part where the rules price transport well-to-wheel
    (`footprint.core.boundary`); part of its kg."""

    def priced_by(self, kg: Decimal, factor: Factor | None = None) -> list[tuple[Factor, Decimal]]:
        """``kg`` of the line (its location- or market-based figure) by the factor of
        each part: the well-to-tank part by its own."""
        main = factor or self.factor
        assert main is not None
        wtt = self.well_to_tank
        if wtt is None or wtt.factor is None:
            return [(main, kg)]
        return [(main, kg - wtt.kgco2e), (wtt.factor, wtt.kgco2e)]

    @property
    def gases_kg(self) -> dict[str, Decimal]:
        """kg of each greenhouse gas of the line, where its factor states them."""
        if self.factor is None:
            return {}
        return {gas: self.converted * kg for gas, kg in self.factor.by_gas().items()}


@dataclass(frozen=True)
class InventoryResult:
    dataset: str
    lines: tuple[PricedLine, ...]
    scope1: Decimal
    scope2_location: Decimal
    scope2_market: Decimal
    scope3: Decimal
    spread: Spread
    """How far the ~95 % range reaches below and above the location-based total."""
    spread_market: Spread
    """The same around the market-based total (claims and intensities use it)."""
    metrics: Mapping[str, Decimal]
    intensities: Mapping[str, Mapping[str, Decimal]] = field(default_factory=dict)
    scope2_location_national: Decimal | None = None
    """Location-based Scope 2 at the national grid average, where the lines were priced
    by a regional grid's (shown beside: GHG Protocol Scope 2 Guidance asks for the most
    local average, readers compare with the national one)."""
    range_rule: str = "independent"
    """How the lines' uncertainties were combined (`footprint.core.datasets.Method`)."""
    range_method: str = ""
    """The same in words, as the result states it (`footprint.core.datasets.range_method`)."""
    boundary: str = "as_published"
    """The boundary its travel lines were priced on (`footprint.core.boundary`)."""
    boundary_text: str = ""

    @property
    def total_location(self) -> Decimal:
        return self.scope1 + self.scope2_location + self.scope3

    @property
    def total_market(self) -> Decimal:
        return self.scope1 + self.scope2_market + self.scope3

    @property
    def gases_kg(self) -> dict[str, Decimal]:
        """kg of each greenhouse gas over the lines whose factors state them (ISO 14064-1
        reports each gas; the other lines are known as CO2e only)."""
        total: dict[str, Decimal] = {}
        for line in self.lines:
            for gas, kg in line.gases_kg.items():
                total[gas] = total.get(gas, ZERO) + kg
        return total

    @property
    def half_width(self) -> Decimal:
        """How far the location-based range reaches above its total."""
        return self.spread.above

    @property
    def half_width_market(self) -> Decimal:
        """How far the market-based range reaches above its total: what a claim's margin
        must cover."""
        return self.spread_market.above

    @property
    def relative_uncertainty(self) -> Decimal:
        total = self.total_location
        return CONTEXT.divide(self.half_width, total) if total else ZERO


def _factor(dataset: Dataset, group: str, key: str, where: str) -> Factor:
    factor = dataset.get(group, key)
    if factor is None or (group == "transport" and key not in PASSENGER_MODES):
        known = PASSENGER_MODES if group == "transport" else dataset.keys(group)
        if not known:
            raise FieldError(where, f"dataset {dataset.code} has no {group} factors")
        raise FieldError(where, f"unknown {group} {key!r} (known: {', '.join(known)})")
    return factor


def _to_factor_unit(
    activity: Activity, kind: Kind, factor: Factor | None, dataset: Dataset, where: str
) -> tuple[Decimal, str, str, Factor | None]:
    """Convert the reported quantity to what the factor is per; litres of fuel via density
    (the parameter used comes back last, ``None`` for a plain change of unit)."""
    target = kind.unit
    if factor is not None and kind.fuel:
        target = factor.unit.split("/", 1)[1]
    note = ""
    try:
        if kind.fuel and target == "kg" and units.same_dimension(activity.unit, "L"):
            density = dataset.get("parameter", f"density_{activity.key}")
            if density is None:
                raise FieldError(
                    f"{where}.unit", f"{activity.key} is reported by mass (kg, t), not by volume"
                )
            litres = units.convert(activity.quantity, activity.unit, "L")
            note = f"{litres} L × {density.value} kg/L ({density.source.citation})"
            return litres * density.value, target, note, density
        return units.convert(activity.quantity, activity.unit, target), target, note, None
    except units.UnitError as error:
        raise FieldError(f"{where}.unit", str(error)) from error


def _flight(dataset: Dataset, flight: Factor) -> tuple[Factor, str]:
    """The factor of an inventory's flight line and what its note says: with radiative
    forcing where the rules say so (as a tourist's trip), else the flight phase alone."""
    with_rf = dataset.get("transport", "flight_rf")
    if not dataset.method.flights_with_radiative_forcing or with_rf is None:
        return flight, ""
    return with_rf, "with radiative forcing, as a tourist's flight"


def _grid(dataset: Dataset, region: str) -> tuple[str | None, str]:
    """The grid factor key of a grid line that names none (``None``: the kind's default)
    and what its note says of the choice."""
    method = dataset.method
    if method.grid != "regional":
        return None, ""
    key = method.grid_key(region)
    if key is None:
        shown = repr(region) if region else "none given"
        return None, f"no regional grid for the venue's region ({shown}): the national average"
    return key, f"the regional grid of the venue's region {region}"


def calculate_inventory(
    activities: Sequence[Activity],
    metrics: Mapping[str, Decimal],
    dataset: Dataset,
    scope3_categories: Sequence[int] = (),
    *,
    region: str = "",
) -> InventoryResult:
    """Price every activity line and total the scopes (``region``: the venue's, ISO
    3166-2 first, for rules that price its grid electricity by its regional grid)."""
    priced: list[PricedLine] = []
    green_kwh = ZERO
    grid_kwh = ZERO
    grid_key, grid_note = _grid(dataset, region)
    national = dataset.get("electricity", KINDS["grid_electricity"].default_key or "")
    for index, activity in enumerate(activities):
        where = f"lines[{index}]"
        kind = KINDS.get(activity.kind)
        if kind is None:
            raise FieldError(f"{where}.kind", f"unknown kind {activity.kind!r}")
        regional = activity.kind == "grid_electricity" and activity.key is None and grid_note
        key = activity.key or (grid_key if regional else None) or kind.default_key
        factor = None
        note = ""
        if kind.group is not None:
            if key is None:
                raise FieldError(f"{where}.key", f"{activity.kind} needs a key")
            factor = _factor(dataset, kind.group, key, f"{where}.key")
            if key == "flight" and kind.group == "transport":
                factor, note = _flight(dataset, factor)
        category = kind.scope3_category
        if activity.kind == "water" and key is not None:
            category = WATER_CATEGORY.get(key, category)
        if category is not None and category not in scope3_categories:
            raise FieldError(
                f"{where}.kind",
                f"Scope 3 category {category} is not among the inventory's scope3_categories",
            )
        converted, converted_unit, converted_note, conversion = _to_factor_unit(
            activity, kind, factor, dataset, where
        )
        note = note or converted_note
        kg = converted * factor.value if factor is not None else ZERO
        wtt = None
        if factor is not None and kind.group == "transport":
            wtt = well_to_tank(dataset, factor.key, converted)
            if wtt is not None:
                kg += wtt.kgco2e
                note = "; ".join(filter(None, (note, wtt.note)))
        national_kg = None
        if regional:
            note = grid_note
            if national is not None and factor is not None and factor.id != national.id:
                national_kg = converted * national.value
        if activity.kind == "grid_electricity":
            grid_kwh += converted
        elif activity.kind == "green_certificates":
            green_kwh += units.convert(converted, "MWh", "kWh")
        priced.append(
            PricedLine(
                activity.kind,
                key,
                kind.scope,
                category,
                activity.quantity,
                activity.unit,
                converted,
                converted_unit,
                factor,
                kg,
                kg,
                note,
                conversion,
                national_kg,
                well_to_tank=wtt,
            )
        )

    priced = _market_based(priced, grid_kwh, green_kwh, dataset)
    scope = {1: ZERO, 2: ZERO, 3: ZERO}
    scope2_market = ZERO
    for line in priced:
        scope[line.scope] += line.location_kg
        if line.scope == 2:
            scope2_market += line.market_kg
    total_location = scope[1] + scope[2] + scope[3]
    total_market = scope[1] + scope2_market + scope[3]
    factored = [line for line in priced if line.factor is not None]
    correlated = dataset.method.uncertainty == "correlated"
    # an inventory's figures are metered or invoiced: what its verifier checks them against
    activity = DATA_QUALITY["measured"] if dataset.method.activity_uncertainty else ZERO

    def ranged(priced_by: Iterable[tuple[int, list[tuple[Factor, Decimal]]]]) -> Spread:
        """The range's reach around the kg of these lines' (factor, kg) parts; a line's
        two parts state one activity figure (``None``: a line of one part, its own)."""
        return spread(
            (
                Part(f.id, kg, f.uncertainty, activity, index if len(parts) > 1 else None)
                for index, parts in priced_by
                for f, kg in parts
            ),
            correlated=correlated,
            monte_carlo=dataset.method.large_uncertainty == "monte_carlo",
        )

    national_scope2 = None
    if dataset.method.grid == "regional":
        national_scope2 = scope[2]
        for line in priced:
            if line.national_kg is not None:
                national_scope2 += line.national_kg - line.location_kg
    return InventoryResult(
        dataset=dataset.code,
        lines=tuple(priced),
        scope1=scope[1],
        scope2_location=scope[2],
        scope2_market=scope2_market,
        scope3=scope[3],
        spread=ranged(
            (index, line.priced_by(line.location_kg)) for index, line in enumerate(factored)
        ),
        metrics=dict(metrics),
        intensities={
            metric: {
                "location_based": CONTEXT.divide(total_location, amount),
                "market_based": CONTEXT.divide(total_market, amount),
            }
            for metric, amount in metrics.items()
            if amount > 0
        },
        scope2_location_national=national_scope2,
        spread_market=ranged(
            (index, line.priced_by(line.market_kg, line.market_factor))
            for index, line in enumerate(factored)
        ),
        range_rule=dataset.method.uncertainty,
        range_method=range_method(dataset.method),
        boundary=dataset.method.transport_boundary,
        boundary_text=boundary_text(dataset.method),
    )


def _market_based(
    lines: list[PricedLine], grid_kwh: Decimal, green_kwh: Decimal, dataset: Dataset
) -> list[PricedLine]:
    """Grid lines at the residual factor, on the share not covered by certificates."""
    if grid_kwh == 0:
        return lines
    residual = dataset.get("electricity", MARKET_RESIDUAL_KEY)
    covered = min(green_kwh, grid_kwh)
    uncovered_share = CONTEXT.divide(grid_kwh - covered, grid_kwh)
    out = []
    for line in lines:
        if line.kind == "grid_electricity" and residual is not None:
            market = line.converted * uncovered_share * residual.value
            note = (
                f"market-based: {residual.id} {residual.value} on "
                f"{uncovered_share:.4%} not covered by green certificates"
            )
            note = f"location-based: {line.note}; {note}" if line.note else note
            line = replace(line, market_kg=market, note=note, market_factor=residual)
        out.append(line)
    return out
