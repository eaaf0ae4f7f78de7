"""`/api/v1/products`: products, their functional units, and their footprint studies."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import Role
from footprint.core import quantities as q
from footprint.core.products import BOUNDARIES, DATA_QUALITY, STAGE_NAMES, STAGES
from footprint.models import ProductFootprint
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.fields import (
    NAME,
    DecimalText,
    Kg,
    Quantity,
    gases_field,
    present_well_to_tank,
    text_of,
    well_to_tank_field,
)
from footprint.platform.openapi import refuses
from footprint.platform.pagination import PageArgs, envelope, page_schema
from footprint.services import products

blp = Blueprint(
    "products",
    __name__,
    url_prefix="/api/v1/products",
    description="Products and their carbon footprints per functional unit "
    "(ISO 14067 / GB/T 24067-2024).",
)

CATEGORIES = ("tea", "food", "handicraft", "textile", "other")
PERCENT = Decimal(100)


class ProductSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    organisation_id = fields.Integer(dump_only=True)
    name_zh = fields.String(required=True, validate=NAME)
    name_en = fields.String(required=True, validate=NAME)
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    functional_unit_zh = fields.String(
        required=True, validate=text_of(100), metadata={"example": "每袋（250克）"}
    )
    functional_unit_en = fields.String(
        required=True, validate=text_of(100), metadata={"example": "per 250 g pack"}
    )
    unit_mass_kg = Quantity(
        10**6,
        positive=True,
        required=True,
        metadata={"description": "product mass in one functional unit"},
    )
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    created_at = fields.DateTime(dump_only=True)


class ProductActivitySchema(ma.Schema):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    factor = fields.String(
        required=True,
        validate=validate.Length(3, 64),
        metadata={"description": "factor id, group.key", "example": "electricity.grid_cn"},
    )
    quantity = Quantity(q.MAX_ACTIVITY_QUANTITY, required=True)
    unit = fields.String(required=True, validate=validate.Length(1, 32))
    data_quality = fields.String(
        load_default="calculated", validate=validate.OneOf(list(DATA_QUALITY))
    )
    note = fields.String(load_default="", validate=validate.Length(max=500))


class FootprintInSchema(ma.Schema):
    dataset = fields.String(
        validate=validate.Length(1, 32), metadata={"description": "default: the current dataset"}
    )
    boundary = fields.String(required=True, validate=validate.OneOf(list(BOUNDARIES)))
    output_units = Quantity(
        10**9,
        positive=True,
        required=True,
        metadata={"description": "functional units the activity data cover (1: data per unit)"},
    )
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    lines = fields.List(
        fields.Nested(ProductActivitySchema), required=True, validate=validate.Length(1, 500)
    )


class StageSchema(ma.Schema):
    stage = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    kgco2e = Kg()
    share_percent = fields.Float()


class ProductLineSchema(ma.Schema):
    stage = fields.String()
    factor_id = fields.String()
    factor_value = DecimalText()
    factor_unit = fields.String()
    factor_source = fields.String()
    quantity = DecimalText()
    unit = fields.String()
    data_quality = fields.String()
    uncertainty_percent = fields.Float()
    kgco2e_per_unit = Kg()
    gases_kg_per_unit = gases_field(
        "kg of each greenhouse gas per functional unit where the line's factor states them "
        "(a kgCO2 factor — fuel, grid electricity — is all CO2); empty for a CO2e factor"
    )
    note = fields.String()
    well_to_tank = well_to_tank_field(
        "an energy line's upstream per functional unit (part of kgco2e_per_unit), where "
        "the dataset prices energy well-to-wheel (null otherwise)"
    )


class FootprintSchema(ma.Schema):
    id = fields.Integer()
    product_id = fields.Integer()
    dataset = fields.String()
    boundary = fields.String()
    output_units = DecimalText()
    period_start = fields.Date()
    period_end = fields.Date()
    functional_unit_zh = fields.String()
    functional_unit_en = fields.String()
    kgco2e_per_unit = Kg()
    kgco2e_per_kg_product = Kg()
    range_kgco2e_per_unit = fields.Dict(keys=fields.String(), values=Kg())
    uncertainty_percent = fields.Float()
    stages = fields.List(fields.Nested(StageSchema))
    energy_boundary = fields.String(
        metadata={
            "description": "as_published or well_to_wheel: whether energy lines count "
            "their upstream (`well_to_tank` of each line)"
        }
    )
    energy_boundary_text = fields.String()
    lines = fields.List(fields.Nested(ProductLineSchema))
    category_check = fields.Dict(
        allow_none=True,
        metadata={
            "description": "the result per kg against the category's published range; "
            "'warning' is set when it lies outside"
        },
    )
    created_at = fields.DateTime()


def _percent(value: Decimal) -> float:
    return q.present(value * PERCENT, Decimal("0.01"))


def present_footprint(footprint: ProductFootprint) -> dict[str, Any]:
    result = products.compute(footprint)
    product = footprint.product
    units = result.output_units
    total = result.per_unit
    return {
        "id": footprint.id,
        "product_id": product.id,
        "dataset": result.dataset,
        "boundary": result.boundary,
        "output_units": units,
        "period_start": footprint.period_start,
        "period_end": footprint.period_end,
        "functional_unit_zh": product.functional_unit_zh,
        "functional_unit_en": product.functional_unit_en,
        "kgco2e_per_unit": total,
        "kgco2e_per_kg_product": total / product.unit_mass_kg,
        "range_kgco2e_per_unit": {
            "low": max(total - result.half_width_per_unit, Decimal(0)),
            "high": total + result.half_width_per_unit,
        },
        "uncertainty_percent": _percent(result.relative_uncertainty),
        "stages": [
            {
                "stage": stage,
                "name_zh": STAGE_NAMES[stage][0],
                "name_en": STAGE_NAMES[stage][1],
                "kgco2e": kg,
                "share_percent": _percent(kg / total) if total else 0.0,
            }
            for stage, kg in result.by_stage.items()
        ],
        "energy_boundary": result.energy_boundary,
        "energy_boundary_text": result.energy_boundary_text,
        "lines": [
            {
                "stage": line.stage,
                "factor_id": line.factor.id,
                "factor_value": line.factor.value,
                "factor_unit": line.factor.unit,
                "factor_source": line.factor.source.citation,
                "quantity": line.quantity,
                "unit": line.unit,
                "data_quality": line.data_quality,
                "uncertainty_percent": _percent(line.uncertainty),
                "kgco2e_per_unit": line.kg / units,
                "gases_kg_per_unit": {gas: kg / units for gas, kg in line.gases_kg.items()},
                "note": stored.note,
                "well_to_tank": present_well_to_tank(line.well_to_tank, units),
            }
            for line, stored in zip(result.lines, footprint.lines, strict=True)
        ],
        "category_check": products.comparison(
            product.category, boundary=result.boundary, kg_per_kg=total / product.unit_mass_kg
        ),
        "created_at": footprint.created_at,
    }


@blp.post("")
@secured(Role.OPERATOR)
@refuses(409)
@blp.arguments(ProductSchema())
@blp.response(201, ProductSchema)
def create(body: dict[str, Any]) -> Any:
    """Register a product of your organisation (operator)."""
    return products.create(current_user(), data=body)


@blp.get("")
@secured()
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(ProductSchema, "ProductPage"))
def listing(args: dict[str, Any]) -> dict[str, Any]:
    rows, total = products.listing(current_user(), page=args["page"], per_page=args["per_page"])
    return envelope(rows, total, args)


@blp.get("/<int:product_id>")
@secured()
@refuses(403)
@blp.response(200, ProductSchema)
def get(product_id: int) -> Any:
    return products.get(current_user(), product_id=product_id)


@blp.post("/<int:product_id>/footprints")
@secured(Role.OPERATOR)
@blp.arguments(FootprintInSchema())
@blp.response(201, FootprintSchema)
def add_footprint(body: dict[str, Any], product_id: int) -> dict[str, Any]:
    """Record a footprint study: activity data by life-cycle stage for a batch of units."""
    user = current_user()
    return present_footprint(products.add_footprint(user, product_id=product_id, data=body))


@blp.get("/footprints/<int:footprint_id>")
@secured()
@refuses(403)
@blp.response(200, FootprintSchema)
def get_footprint(footprint_id: int) -> dict[str, Any]:
    """A footprint study with its result per functional unit, by stage and by line."""
    return present_footprint(products.get_footprint(current_user(), footprint_id=footprint_id))
