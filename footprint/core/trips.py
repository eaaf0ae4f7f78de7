"""The tourist trip footprint: transport legs, lodging and attractions (formulas of docs/api.md).

- Passenger modes: distance × factor per passenger-km × travellers (× 2 round trip).
- Vehicle modes: distance × factor per vehicle-km × travellers / occupants (a party larger
  than a vehicle fills several).
- Lodging: nights × rooms × factor per room-night, or the venue's verified intensity.
- Attractions: rides (visits) × travellers × factor per passenger-ride, or the venue's.

Where the dataset's rules take activity figures' uncertainty into the range (edition 2),
a leg's distance carries its data quality's (``calculated`` unless said); nights and
rides are counted, so exact.

Lines keep full precision; the caller rounds once when presenting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from footprint.core.boundary import WellToTank, boundary_text, well_to_tank
from footprint.core.datasets import Dataset, Factor, range_method
from footprint.core.errors import FieldError
from footprint.core.quantities import DATA_QUALITY, Part, Spread, spread

PASSENGER_MODES = ("flight", "high_speed_rail", "rail", "coach", "bus", "shuttle_bus", "boat")
VEHICLE_MODES = ("car_petrol", "car_diesel", "car_hybrid", "car_electric", "taxi")
CATEGORIES = ("transport", "lodging", "attractions")
# section → (factor group, unit of the factor, unit of a venue's intensity, which intensity)
SECTIONS = {
    "lodging": ("lodging", "room-night", "room-night", "per_room_night"),
    "attractions": ("attraction", "passenger-ride", "visit", "per_visit"),
}
TWO = Decimal(2)
_ONE, _ZERO = Decimal(1), Decimal(0)


@dataclass(frozen=True, slots=True)
class Route:
    """How a leg given by its two ends got its distance (`footprint.core.origins`)."""

    origin: str
    destination: str
    great_circle_km: Decimal
    route_factor: Decimal
    distance_km: Decimal
    places_version: int


@dataclass(frozen=True, slots=True)
class Leg:
    mode: str
    distance_km: Decimal = Decimal(0)
    round_trip: bool = False
    radiative_forcing: bool = True
    occupants: int | None = None
    data_quality: str = "calculated"
    """How the distance was obtained (`footprint.core.quantities.DATA_QUALITY`)."""
    origin: str | None = None
    destination: str | None = None
    """A leg may be given by its two ends (place codes) instead of its distance: the
    distance is then derived from them (`footprint.core.origins.routed`) before pricing."""
    route: Route | None = None


@dataclass(frozen=True, slots=True)
class Stay:
    nights: int
    rooms: int = 1
    type: str | None = None
    venue_id: int | None = None


@dataclass(frozen=True, slots=True)
class Visit:
    count: int
    type: str | None = None
    venue_id: int | None = None


@dataclass(frozen=True, slots=True)
class Trip:
    travellers: int = 1
    transport: Sequence[Leg] = ()
    lodging: Sequence[Stay] = ()
    attractions: Sequence[Visit] = ()


@dataclass(frozen=True, slots=True)
class VenueIntensity:
    """A venue's verified intensity, as the trip calculator needs it."""

    venue_id: int
    name: str
    per_room_night: Decimal | None
    per_visit: Decimal | None
    uncertainty: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class ForestSink:
    """What a hectare of forest takes up in a year, and whence the figure (the
    plain-language equivalent of a footprint; never a credit quantity)."""

    tco2_per_hectare_year: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class Line:
    category: str
    item: str
    quantity: Decimal
    unit: str
    factor: Decimal
    factor_id: str
    source: str
    kgco2e: Decimal
    uncertainty: Decimal
    note: str = ""
    activity_uncertainty: Decimal = Decimal(0)
    """The relative half-width of the line's activity figure, where the rules count it."""
    route: Route | None = None
    """Where a transport line's distance came from, when its leg was given by its ends."""
    well_to_tank: WellToTank | None = None
    """A transport line's well-to-tank part, where the rules price well-to-wheel: part of
    ``kgco2e``, which is then ``quantity × (factor + its factor)``."""

    def parts(self, figure: object) -> tuple[Part, ...]:
        """The line as its range sees it: one part per factor it is priced by, both
        stating the same activity ``figure``."""
        wtt = self.well_to_tank
        activity = self.activity_uncertainty
        if wtt is None or wtt.factor is None:
            return (Part(self.factor_id, self.kgco2e, self.uncertainty, activity, figure),)
        own = self.kgco2e - wtt.kgco2e
        return (
            Part(self.factor_id, own, self.uncertainty, activity, figure),
            Part(wtt.factor.id, wtt.kgco2e, wtt.factor.uncertainty, activity, figure),
        )


@dataclass(frozen=True, slots=True)
class TripResult:
    dataset: str
    travellers: int
    lines: tuple[Line, ...]
    total: Decimal
    by_category: Mapping[str, Decimal]
    spread: Spread
    """How far the ~95 % range reaches below and above the total (`range`)."""
    forest_sink: ForestSink | None
    range_rule: str = "independent"
    """How the lines' uncertainties were combined (`footprint.core.datasets.Method`)."""
    range_method: str = ""
    """The same in words, as the result states it (`footprint.core.datasets.range_method`)."""
    boundary: str = "as_published"
    """The boundary its transport was priced on (`footprint.core.boundary`)."""
    boundary_text: str = ""

    @property
    def per_traveller(self) -> Decimal:
        return self.total / self.travellers

    @property
    def half_width(self) -> Decimal:
        """How far the range reaches above the total (below it as far, by Approach 1)."""
        return self.spread.above


def _line(
    category: str, item: str, quantity: Decimal, unit: str, factor: Factor, note: str = ""
) -> Line:
    value = factor.value
    return Line(
        category,
        item,
        quantity,
        unit,
        value,
        factor.id,
        factor.source.citation,
        quantity * value,
        factor.uncertainty,
        note,
    )


def _venue_line(
    category: str, quantity: Decimal, unit: str, venue: VenueIntensity, intensity: Decimal
) -> Line:
    return Line(
        category,
        f"venue:{venue.venue_id}",
        quantity,
        unit,
        intensity,
        f"venue.{venue.venue_id}",
        venue.source,
        quantity * intensity,
        venue.uncertainty,
        venue.name,
    )


def _transport(index: int, leg: Leg, travellers: int, dataset: Dataset) -> Line:
    if leg.origin is not None and leg.route is None:
        raise ValueError(f"transport[{index}]: route the trip first (origins.routed)")
    line = _priced_leg(index, leg, travellers, dataset)
    wtt = well_to_tank(dataset, dataset.factors[line.factor_id].key, line.quantity)
    if wtt is not None:
        line = replace(line, kgco2e=line.kgco2e + wtt.kgco2e, well_to_tank=wtt)
    if leg.route is not None:
        line = replace(line, route=leg.route)
    if not dataset.method.activity_uncertainty:
        return line
    quality = DATA_QUALITY.get(leg.data_quality)
    if quality is None:
        known = ", ".join(DATA_QUALITY)
        raise FieldError(f"transport[{index}].data_quality", f"one of {known}")
    return replace(line, activity_uncertainty=quality)


def _priced_leg(index: int, leg: Leg, travellers: int, dataset: Dataset) -> Line:
    mode = leg.mode
    legs = TWO if leg.round_trip else _ONE
    if mode in VEHICLE_MODES:
        factor = dataset.get("transport", mode)
        if factor is None:
            raise FieldError(
                f"transport[{index}].mode", f"dataset {dataset.code} has no factor for {mode}"
            )
        occupants = leg.occupants or travellers
        # × travellers before ÷ occupants: exact wherever the vehicle-km are (30 km × 5 / 3)
        vehicle_km = leg.distance_km * legs * travellers / Decimal(occupants)
        return _line("transport", mode, vehicle_km, "vehicle-km", factor)
    if mode not in PASSENGER_MODES:
        raise FieldError(f"transport[{index}].mode", f"unknown mode {mode!r}")
    key = "flight_rf" if mode == "flight" and leg.radiative_forcing else mode
    factor = dataset.get("transport", key)
    if factor is None:
        raise FieldError(
            f"transport[{index}].mode", f"dataset {dataset.code} has no factor for {mode}"
        )
    return _line("transport", mode, leg.distance_km * legs * travellers, "passenger-km", factor)


def _venue_or_type(
    section: str,
    index: int,
    quantity: Decimal,
    type_: str | None,
    venue_id: int | None,
    dataset: Dataset,
    venues: Mapping[int, VenueIntensity],
) -> Line:
    """A lodging or attraction line: the venue's verified intensity, else the type's factor."""
    group, unit, venue_unit, intensity = SECTIONS[section]
    if venue_id is not None:
        venue = venues.get(venue_id)
        value = getattr(venue, intensity) if venue else None
        if venue is None or value is None:
            raise FieldError(
                f"{section}[{index}].venue_id",
                f"venue {venue_id} has no verified {venue_unit} intensity",
            )
        return _venue_line(section, quantity, venue_unit, venue, value)
    factor = dataset.get(group, type_ or "")
    if factor is None:
        known = ", ".join(dataset.keys(group))
        raise FieldError(f"{section}[{index}].type", f"unknown type {type_!r} (known: {known})")
    return _line(section, factor.key, quantity, unit, factor)


def forest_sink(dataset: Dataset, measured: ForestSink | None = None) -> ForestSink | None:
    """The forest the equivalent is measured against: the registry's ``measured`` one
    where the dataset's rules say so and there is one, else the dataset's own figure."""
    if dataset.method.forest == "registry" and measured is not None:
        return measured
    factor = dataset.get("parameter", "forest_sink")
    return None if factor is None else ForestSink(factor.value, factor.source.citation)


def calculate_trip(
    trip: Trip,
    dataset: Dataset,
    venues: Mapping[int, VenueIntensity] | None = None,
    *,
    forest: ForestSink | None = None,
) -> TripResult:
    """Price every line of ``trip`` with ``dataset`` (and verified venue intensities);
    ``forest``: the registry's measured sink, for rules that take it (`forest_sink`)."""
    venues = venues or {}
    travellers = trip.travellers
    # One pass per section; each category's sum starts at 0 and adds its lines in order.
    lines = [_transport(i, leg, travellers, dataset) for i, leg in enumerate(trip.transport)]
    # a leg's distance is the figure stated: the same route twice is one error twice
    figures: list[object] = [(leg.mode, leg.distance_km) for leg in trip.transport]
    transport = _ZERO
    for line in lines:
        transport += line.kgco2e
    lodging = attractions = _ZERO
    for i, stay in enumerate(trip.lodging):
        line = _venue_or_type(
            "lodging",
            i,
            Decimal(stay.nights * stay.rooms),
            stay.type,
            stay.venue_id,
            dataset,
            venues,
        )
        lines.append(line)
        figures.append(None)
        lodging += line.kgco2e
    for i, visit in enumerate(trip.attractions):
        line = _venue_or_type(
            "attractions",
            i,
            Decimal(visit.count * travellers),
            visit.type,
            visit.venue_id,
            dataset,
            venues,
        )
        lines.append(line)
        figures.append(None)
        attractions += line.kgco2e
    return TripResult(
        dataset.code,
        travellers,
        tuple(lines),
        _ZERO + transport + lodging + attractions,
        {"transport": transport, "lodging": lodging, "attractions": attractions},
        spread(
            (
                part
                for line, figure in zip(lines, figures, strict=True)
                for part in line.parts(figure)
            ),
            correlated=dataset.method.uncertainty == "correlated",
            monte_carlo=dataset.method.large_uncertainty == "monte_carlo",
        ),
        forest_sink(dataset, forest),
        dataset.method.uncertainty,
        range_method(dataset.method),
        dataset.method.transport_boundary,
        boundary_text(dataset.method),
    )
