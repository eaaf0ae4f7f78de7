"""`POST /api/v1/footprints/trips`: the public trip calculator (docs/api.md)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask import Response, current_app
from marshmallow import fields, validate

from footprint.core import quantities as q
from footprint.core.trips import (
    PASSENGER_MODES,
    VEHICLE_MODES,
    Leg,
    Route,
    Stay,
    Trip,
    TripResult,
    Visit,
)
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.db import read_only
from footprint.platform.fields import (
    Kg,
    Quantity,
    RangeApproach,
    StrictBoolean,
    StrictInteger,
    present_well_to_tank,
    well_to_tank_field,
)
from footprint.platform.rate_limits import limited
from footprint.services import trips

blp = Blueprint(
    "trips",
    __name__,
    url_prefix="/api/v1/footprints",
    description="Tourist trip footprints (public).",
)
read_only("trips.trip_footprint")


class LegSchema(ma.Schema):
    mode = fields.String(required=True, validate=validate.OneOf(PASSENGER_MODES + VEHICLE_MODES))
    distance_km = Quantity(
        q.MAX_DISTANCE_KM,
        positive=True,
        metadata={"description": "one way; or give the leg's ends as from and to"},
    )
    origin = fields.String(
        data_key="from",
        validate=validate.Length(1, 8),
        metadata={
            "description": "instead of distance_km, with to: where the leg starts, a place "
            "code of GET /api/v1/places (an airport for a flight, a station for rail)"
        },
    )
    destination = fields.String(
        data_key="to",
        validate=validate.Length(1, 8),
        metadata={"description": "where the leg ends (with from)"},
    )
    round_trip = StrictBoolean(load_default=False)
    radiative_forcing = StrictBoolean(
        load_default=True, metadata={"description": "flight only: apply the RF multiplier"}
    )
    occupants = StrictInteger(
        validate=validate.Range(1, q.MAX_OCCUPANTS),
        metadata={"description": "vehicle modes: people in the vehicle (default: travellers)"},
    )
    data_quality = fields.String(
        load_default="calculated",
        validate=validate.OneOf(list(q.DATA_QUALITY)),
        metadata={
            "description": "how the distance was obtained: measured ±5 %, calculated ±10 %, "
            "estimated ±30 % (counted in the range by edition 2 datasets)"
        },
    )

    @ma.post_load
    def make(self, data: dict[str, Any], **_: Any) -> Leg:
        """The leg, given by its distance or by its two ends (checked here rather than in
        a schema validator: every trip's every leg comes this way)."""
        if "distance_km" not in data or "origin" in data or "destination" in data:
            _distance_or_ends(data)
        return Leg(**data)


def _distance_or_ends(data: dict[str, Any]) -> None:
    ends = [name for name in ("origin", "destination") if name in data]
    if "distance_km" in data:
        raise ma.ValidationError("give distance_km or from and to, not both", "distance_km")
    if len(ends) < 2:
        missing = "to" if ends == ["origin"] else "from" if ends else "distance_km"
        raise ma.ValidationError("give distance_km, or the leg's ends as from and to", missing)


class _ChoiceOfTypeOrVenue(ma.Schema):
    type = fields.String(validate=validate.Length(1, 64))
    venue_id = StrictInteger(validate=validate.Range(min=1))

    @ma.validates_schema
    def one_of_type_or_venue(self, data: dict[str, Any], **_: Any) -> None:
        if ("type" in data) == ("venue_id" in data):
            raise ma.ValidationError("give either type or venue_id", "type")


class StaySchema(_ChoiceOfTypeOrVenue):
    nights = StrictInteger(required=True, validate=validate.Range(1, q.MAX_NIGHTS))
    rooms = StrictInteger(load_default=1, validate=validate.Range(1, q.MAX_ROOMS))

    @ma.post_load
    def make(self, data: dict[str, Any], **_: Any) -> Stay:
        return Stay(**data)


class VisitSchema(_ChoiceOfTypeOrVenue):
    rides = StrictInteger(validate=validate.Range(1, q.MAX_RIDES))
    visits = StrictInteger(validate=validate.Range(1, q.MAX_RIDES))

    @ma.validates_schema
    def rides_or_visits(self, data: dict[str, Any], **_: Any) -> None:
        if "rides" in data and "visits" in data:
            raise ma.ValidationError("give rides or visits, not both", "visits")

    @ma.post_load
    def make(self, data: dict[str, Any], **_: Any) -> Visit:
        count = data.pop("rides", None) or data.pop("visits", 1)
        return Visit(count=count, **data)


def _lines(schema: type[ma.Schema]) -> fields.List:
    return fields.List(
        fields.Nested(schema), load_default=list, validate=validate.Length(max=q.MAX_LINES)
    )


class TripSchema(ma.Schema):
    travellers = StrictInteger(load_default=1, validate=validate.Range(1, q.MAX_TRAVELLERS))
    dataset = fields.String(
        validate=validate.Length(1, 32),
        metadata={"description": "default: the newest published dataset"},
    )
    transport = _lines(LegSchema)
    lodging = _lines(StaySchema)
    attractions = _lines(VisitSchema)


class RouteSchema(ma.Schema):
    origin = fields.String(data_key="from")
    destination = fields.String(data_key="to")
    great_circle_km = fields.Float()
    route_factor = fields.Float(
        metadata={"description": "flights: DESNZ's 8 % uplift; rail and road: assumed"}
    )
    distance_km = fields.Float(metadata={"description": "one way, to the kilometre"})
    places_version = fields.Integer()


class LineSchema(ma.Schema):
    category = fields.String()
    item = fields.String()
    quantity = fields.Float()
    unit = fields.String()
    factor_kgco2e_per_unit = fields.Float()
    factor_id = fields.String()
    factor_source = fields.String()
    uncertainty = fields.Float(metadata={"description": "relative half-width of ~95 % range"})
    activity_uncertainty = fields.Float(
        metadata={
            "description": "the activity figure's relative half-width, where the dataset's "
            "rules count it (0 otherwise)"
        }
    )
    kgco2e = Kg()
    route = fields.Nested(
        RouteSchema,
        allow_none=True,
        metadata={"description": "a leg given by from and to: how its distance was derived"},
    )
    well_to_tank = well_to_tank_field(
        "a transport line's fuel or electricity upstream, part of its kgco2e, where the "
        "dataset prices transport well-to-wheel (null otherwise)"
    )


class RangeSchema(ma.Schema):
    low = Kg()
    high = Kg()


class EquivalentSchema(ma.Schema):
    forest_hectare_years = fields.Float()
    forest_square_metre_years = fields.Float()
    sink_tco2_per_hectare_year = fields.Float()
    source = fields.String()
    text_en = fields.String()
    text_zh = fields.String()


class TripResultSchema(ma.Schema):
    dataset = fields.String()
    travellers = StrictInteger()
    total_kgco2e = Kg()
    per_traveller_kgco2e = Kg()
    by_category = fields.Dict(keys=fields.String(), values=Kg())
    lines = fields.List(fields.Nested(LineSchema))
    range_kgco2e = fields.Nested(RangeSchema)
    range_method = fields.String()
    range_approach = RangeApproach()
    boundary = fields.String(
        metadata={"description": "as_published or well_to_wheel: the transport lines' boundary"}
    )
    boundary_text = fields.String()
    equivalent = fields.Nested(EquivalentSchema)


EXAMPLE: dict[str, Any] = {
    "travellers": 2,
    "dataset": "CN-2024",
    "transport": [
        {"mode": "flight", "distance_km": 1100, "round_trip": True},
        {"mode": "high_speed_rail", "distance_km": 600},
        {"mode": "car_petrol", "distance_km": 40, "occupants": 4},
    ],
    "lodging": [{"type": "hotel", "nights": 3, "rooms": 1}],
    "attractions": [{"type": "cable_car", "rides": 2}],
}
"""The example of docs/api.md: shown in the OpenAPI document, used by tests and benchmarks."""


def _equivalent(result: TripResult) -> dict[str, Any] | None:
    sink = result.forest_sink
    if sink is None or not sink.tco2_per_hectare_year:
        return None
    hectare_years = result.total / (sink.tco2_per_hectare_year * 1000)
    square_metres = (hectare_years * 10000).quantize(Decimal(1))
    return {
        "forest_hectare_years": float(hectare_years.quantize(Decimal("0.0001"))),
        "forest_square_metre_years": float(square_metres),
        "sink_tco2_per_hectare_year": float(sink.tco2_per_hectare_year),
        "source": sink.source,
        "text_en": f"About {square_metres:,} m² of local forest absorbing carbon for a year.",
        "text_zh": f"约相当于 {square_metres:,} 平方米本地森林一年的固碳量。",
    }


def _range(result: TripResult) -> dict[str, float]:
    low, high = result.spread.range(result.total)
    return {"low": q.present(low), "high": q.present(high)}


def _route(route: Route | None) -> dict[str, Any] | None:
    if route is None:
        return None
    return {
        "from": route.origin,
        "to": route.destination,
        "great_circle_km": float(route.great_circle_km),
        "route_factor": float(route.route_factor),
        "distance_km": float(route.distance_km),
        "places_version": route.places_version,
    }


def present(result: TripResult) -> dict[str, Any]:
    """The response of docs/api.md; every kgCO2e figure is rounded here, once."""
    kg = q.present
    return {
        "dataset": result.dataset,
        "travellers": result.travellers,
        "total_kgco2e": kg(result.total),
        "per_traveller_kgco2e": kg(result.per_traveller),
        "by_category": {name: kg(value) for name, value in result.by_category.items()},
        "lines": [
            {
                "category": line.category,
                "item": line.item,
                "quantity": float(line.quantity),
                "unit": line.unit,
                "factor_kgco2e_per_unit": float(line.factor),
                "factor_id": line.factor_id,
                "factor_source": line.source,
                "uncertainty": float(line.uncertainty),
                "activity_uncertainty": float(line.activity_uncertainty),
                "kgco2e": kg(line.kgco2e),
                "route": _route(line.route),
                "well_to_tank": present_well_to_tank(line.well_to_tank),
            }
            for line in result.lines
        ],
        "range_kgco2e": _range(result),
        "range_method": result.range_method,
        "range_approach": result.spread.approach,
        "boundary": result.boundary,
        "boundary_text": result.boundary_text,
        "equivalent": _equivalent(result),
    }


@blp.post("/trips")
@limited("RATE_LIMIT_PUBLIC")
@blp.arguments(TripSchema(), example=EXAMPLE)
@blp.response(200, TripResultSchema)
def trip_footprint(body: dict[str, Any]) -> Response:
    """Footprint of a trip: transport, lodging and attractions, per line and category."""
    dataset = body.pop("dataset", None)
    # Already presented (rounded) data: returned as a response, the schema above only
    # documents it, and the hot path skips a second serialisation pass.
    return current_app.json.response(present(trips.price(Trip(**body), dataset_code=dataset)))
