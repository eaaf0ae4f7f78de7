"""`/api/v1/venues` and `/api/v1/inventories`: operators' venues and their period inventories."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import Role
from footprint.core import quantities as q
from footprint.core.inventory import KINDS, METRICS, SCOPE3_CATEGORIES, InventoryResult
from footprint.core.quantities import Spread
from footprint.models import Inventory
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.fields import (
    NAME,
    DecimalText,
    Id,
    Kg,
    Quantity,
    RangeApproach,
    StrictInteger,
    gases_field,
    present_well_to_tank,
    well_to_tank_field,
)
from footprint.platform.openapi import refuses
from footprint.platform.pagination import PageArgs, envelope, page_schema
from footprint.services import inventories, venues
from footprint.services.venues import VENUE_KINDS

blp = Blueprint(
    "venues",
    __name__,
    url_prefix="/api/v1",
    description="Venues and their inventories (operators: own organisation only).",
)


class VenueSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    organisation_id = Id(metadata={"description": "admins only; default: yours"})
    name = fields.String(required=True, validate=NAME)
    kind = fields.String(required=True, validate=validate.OneOf(VENUE_KINDS))
    region = fields.String(load_default="", validate=validate.Length(max=64))
    address = fields.String(load_default="", validate=validate.Length(max=300))
    created_at = fields.DateTime(dump_only=True)


class VenuePatchSchema(ma.Schema):
    name = fields.String(validate=NAME)
    kind = fields.String(validate=validate.OneOf(VENUE_KINDS))
    region = fields.String(validate=validate.Length(max=64))
    address = fields.String(validate=validate.Length(max=300))


class VenueArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(VENUE_KINDS))


class ActivitySchema(ma.Schema):
    kind = fields.String(required=True, validate=validate.OneOf(sorted(KINDS)))
    key = fields.String(
        validate=validate.Length(1, 64),
        metadata={"description": "fuel, gas, waste route, water, mode…"},
    )
    quantity = Quantity(q.MAX_ACTIVITY_QUANTITY, required=True)
    unit = fields.String(
        required=True,
        validate=validate.Length(1, 32),
        metadata={"description": "kWh, MWh, kg, t, L, m3, GJ, km…"},
    )


class MetricsSchema(ma.Schema):
    visitors = Quantity(q.MAX_ACTIVITY_QUANTITY)
    room_nights = Quantity(q.MAX_ACTIVITY_QUANTITY)
    rides = Quantity(q.MAX_ACTIVITY_QUANTITY)


class InventoryInSchema(ma.Schema):
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    dataset = fields.String(validate=validate.Length(1, 32))
    scope3_categories = fields.List(
        StrictInteger(validate=validate.OneOf(sorted(SCOPE3_CATEGORIES))), load_default=list
    )
    metrics = fields.Nested(MetricsSchema, load_default=dict)
    lines = fields.List(
        fields.Nested(ActivitySchema), required=True, validate=validate.Length(1, 500)
    )


class ScopesSchema(ma.Schema):
    scope1 = Kg()
    scope2_location_based = Kg()
    scope2_location_national_average = Kg(
        allow_none=True,
        metadata={
            "description": "Location-based Scope 2 at the national grid average, beside "
            "scope2_location_based where the dataset prices grid electricity by the "
            "venue's regional grid (CN-2025 and later); null otherwise."
        },
    )
    scope2_market_based = Kg()
    scope3 = Kg()
    total_location_based = Kg()
    total_market_based = Kg()


class PricedLineSchema(ma.Schema):
    kind = fields.String()
    key = fields.String(allow_none=True)
    scope = fields.Integer()
    scope3_category = fields.Integer(allow_none=True)
    quantity = DecimalText()
    unit = fields.String()
    converted_quantity = DecimalText()
    converted_unit = fields.String()
    factor_id = fields.String(allow_none=True)
    factor_value = DecimalText(allow_none=True)
    factor_unit = fields.String(allow_none=True)
    factor_source = fields.String(allow_none=True)
    location_based_kgco2e = Kg()
    market_based_kgco2e = Kg()
    gases_kg = gases_field(
        "kg of each greenhouse gas (CO2, CH4, N2O) where the line's factor states them "
        "(fuel combustion; a kgCO2 factor is all CO2); empty for a line known only as CO2e"
    )
    note = fields.String()
    well_to_tank = well_to_tank_field(
        "a travel line's fuel or electricity upstream, part of its kg, where the dataset "
        "prices transport well-to-wheel (null otherwise)"
    )


class IntensitySchema(ma.Schema):
    location_based = fields.Float()
    market_based = fields.Float()


class ChangeSchema(ma.Schema):
    previous_inventory_id = fields.Integer()
    previous_period = fields.String()
    total_location_based = fields.Dict(keys=fields.String(), values=fields.Float())
    total_market_based = fields.Dict(keys=fields.String(), values=fields.Float())
    intensities = fields.Dict(keys=fields.String(), values=fields.Dict())


class InventorySchema(ma.Schema):
    id = fields.Integer()
    venue_id = fields.Integer()
    period_start = fields.Date()
    period_end = fields.Date()
    dataset = fields.String()
    status = fields.String()
    verified_at = fields.DateTime(allow_none=True)
    scope3_categories = fields.List(fields.Integer())
    metrics = fields.Dict(keys=fields.String(), values=DecimalText())


class InventoryReportSchema(InventorySchema):
    scopes = fields.Nested(ScopesSchema)
    lines = fields.List(fields.Nested(PricedLineSchema))
    intensities = fields.Dict(keys=fields.String(), values=fields.Nested(IntensitySchema))
    range_kgco2e = fields.Dict(
        keys=fields.String(),
        values=Kg(),
        metadata={"description": "low and high around total_location_based"},
    )
    market_range_kgco2e = fields.Dict(
        keys=fields.String(),
        values=Kg(),
        metadata={"description": "low and high around total_market_based (claims use it)"},
    )
    range_method = fields.String()
    range_approach = RangeApproach()
    boundary = fields.String(
        metadata={"description": "as_published or well_to_wheel: the travel lines' boundary"}
    )
    boundary_text = fields.String()
    gases_kg = gases_field(
        "kg of each greenhouse gas over the lines that state their gases (ISO 14064-1 "
        "reports each gas; the other lines are CO2e only); CO2e by IPCC AR6 GWP-100"
    )
    change = fields.Nested(ChangeSchema, allow_none=True)
    newer_dataset = fields.String(
        allow_none=True,
        metadata={
            "description": "The current default dataset where the inventory is priced with"
            " another (a draft keeps its dataset unless a replacement names one); else null."
        },
    )


INTENSITY_PLACES = Decimal("0.0001")


def _summary(inventory: Inventory) -> dict[str, Any]:
    return {
        "id": inventory.id,
        "venue_id": inventory.venue_id,
        "period_start": inventory.period_start,
        "period_end": inventory.period_end,
        "dataset": inventory.dataset_code,
        "status": inventory.status,
        "verified_at": inventory.verified_at,
        "scope3_categories": inventory.scope3_categories,
        "metrics": {m: getattr(inventory, m) for m in METRICS if getattr(inventory, m) is not None},
    }


def _intensities(result: InventoryResult) -> dict[str, dict[str, float]]:
    return {
        metric: {basis: q.present(value, INTENSITY_PLACES) for basis, value in v.items()}
        for metric, v in result.intensities.items()
    }


def _delta(now: Decimal, before: Decimal) -> dict[str, float]:
    change = {"previous": q.present(before), "absolute": q.present(now - before)}
    if before:
        change["percent"] = q.present((now - before) / before * 100, Decimal("0.01"))
    return change


def _change(report: inventories.Report) -> dict[str, Any] | None:
    if report.previous is None:
        return None
    inventory, before = report.previous
    now = report.result
    return {
        "previous_inventory_id": inventory.id,
        "previous_period": f"{inventory.period_start}..{inventory.period_end}",
        "total_location_based": _delta(now.total_location, before.total_location),
        "total_market_based": _delta(now.total_market, before.total_market),
        "intensities": {
            metric: {
                basis: _delta(value, before.intensities[metric][basis])
                for basis, value in values.items()
            }
            for metric, values in now.intensities.items()
            if metric in before.intensities
        },
    }


def _range(total: Decimal, spread: Spread) -> dict[str, Decimal]:
    return dict(zip(("low", "high"), spread.range(total), strict=True))


def present_report(report: inventories.Report) -> dict[str, Any]:
    result = report.result
    return {
        **_summary(report.inventory),
        "scopes": {
            "scope1": result.scope1,
            "scope2_location_based": result.scope2_location,
            "scope2_location_national_average": result.scope2_location_national,
            "scope2_market_based": result.scope2_market,
            "scope3": result.scope3,
            "total_location_based": result.total_location,
            "total_market_based": result.total_market,
        },
        "lines": [
            {
                "kind": line.kind,
                "key": line.key,
                "scope": line.scope,
                "scope3_category": line.scope3_category,
                "quantity": line.quantity,
                "unit": line.unit,
                "converted_quantity": line.converted,
                "converted_unit": line.converted_unit,
                "factor_id": line.factor.id if line.factor else None,
                "factor_value": line.factor.value if line.factor else None,
                "factor_unit": line.factor.unit if line.factor else None,
                "factor_source": line.factor.source.citation if line.factor else None,
                "location_based_kgco2e": line.location_kg,
                "market_based_kgco2e": line.market_kg,
                "gases_kg": line.gases_kg,
                "note": line.note,
                "well_to_tank": present_well_to_tank(line.well_to_tank),
            }
            for line in result.lines
        ],
        "intensities": _intensities(result),
        "range_kgco2e": _range(result.total_location, result.spread),
        "market_range_kgco2e": _range(result.total_market, result.spread_market),
        "range_method": result.range_method,
        "range_approach": result.spread.approach,
        "boundary": result.boundary,
        "boundary_text": result.boundary_text,
        "gases_kg": result.gases_kg,
        "change": _change(report),
        "newer_dataset": report.newer_dataset,
    }


@blp.post("/venues")
@secured(Role.OPERATOR, Role.ADMIN)
@blp.arguments(VenueSchema())
@blp.response(201, VenueSchema)
def create_venue(body: dict[str, Any]) -> Any:
    """Register a venue for your organisation."""
    return venues.create(current_user(), data=body)


@blp.get("/venues")
@secured()
@blp.arguments(VenueArgs(), location="query")
@blp.response(200, page_schema(VenueSchema, "VenuePage"))
def list_venues(args: dict[str, Any]) -> dict[str, Any]:
    """Venues you may see (operators: your organisation's)."""
    rows, total = venues.listing(
        current_user(), kind=args.get("kind"), page=args["page"], per_page=args["per_page"]
    )
    return envelope(rows, total, args)


@blp.get("/venues/<int:venue_id>")
@secured()
@refuses(403)
@blp.response(200, VenueSchema)
def get_venue(venue_id: int) -> Any:
    return venues.get(current_user(), venue_id=venue_id)


@blp.patch("/venues/<int:venue_id>")
@secured(Role.OPERATOR, Role.ADMIN)
@blp.arguments(VenuePatchSchema())
@blp.response(200, VenueSchema)
def update_venue(body: dict[str, Any], venue_id: int) -> Any:
    return venues.update(current_user(), venue_id=venue_id, changes=body)


@blp.post("/venues/<int:venue_id>/inventories")
@secured(Role.OPERATOR, Role.ADMIN)
@refuses(409)
@blp.arguments(InventoryInSchema())
@blp.response(201, InventoryReportSchema)
def create_inventory(body: dict[str, Any], venue_id: int) -> dict[str, Any]:
    """Submit a period's activity data; the response is the computed inventory."""
    user = current_user()
    inventory = inventories.create(user, venue_id=venue_id, data=body)
    return present_report(inventories.report(user, inventory_id=inventory.id))


@blp.get("/venues/<int:venue_id>/inventories")
@secured()
@refuses(403)
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(InventorySchema, "InventoryPage"))
def list_inventories(args: dict[str, Any], venue_id: int) -> dict[str, Any]:
    rows, total = inventories.listing(
        current_user(), venue_id=venue_id, page=args["page"], per_page=args["per_page"]
    )
    return envelope([_summary(row) for row in rows], total, args)


@blp.get("/inventories/<int:inventory_id>")
@secured()
@refuses(403)
@blp.response(200, InventoryReportSchema)
def get_inventory(inventory_id: int) -> dict[str, Any]:
    """Scopes 1/2/3, every line with factor and source, intensities, change vs previous."""
    return present_report(inventories.report(current_user(), inventory_id=inventory_id))


@blp.put("/inventories/<int:inventory_id>")
@secured(Role.OPERATOR, Role.ADMIN)
@refuses(409)
@blp.arguments(InventoryInSchema())
@blp.response(200, InventoryReportSchema)
def replace_inventory(body: dict[str, Any], inventory_id: int) -> dict[str, Any]:
    """Replace a draft inventory's data."""
    user = current_user()
    inventories.replace(user, inventory_id=inventory_id, data=body)
    return present_report(inventories.report(user, inventory_id=inventory_id))


@blp.post("/inventories/<int:inventory_id>/verify")
@secured(Role.ADMIN)
@refuses(409)
@blp.response(200, InventoryReportSchema)
def verify_inventory(inventory_id: int) -> dict[str, Any]:
    """Mark verified (admin): its intensities then price trips naming the venue."""
    user = current_user()
    inventories.verify(user, inventory_id=inventory_id)
    return present_report(inventories.report(user, inventory_id=inventory_id))
