"""`/api/v1/factors`: the published emission-factor datasets and their factors (public)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from footprint.core.datasets import GROUPS
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.fields import DecimalText
from footprint.platform.pagination import PageArgs, envelope, page_schema
from footprint.services import datasets

blp = Blueprint(
    "factors",
    __name__,
    url_prefix="/api/v1/factors",
    description="Emission-factor datasets (public).",
)


class DatasetSchema(ma.Schema):
    code = fields.String()
    title_en = fields.String()
    title_zh = fields.String()
    region = fields.String()
    description_en = fields.String()
    description_zh = fields.String()
    checksum = fields.String(metadata={"description": "SHA-256 of the published document"})
    published = fields.Boolean()
    loaded_at = fields.DateTime()
    published_at = fields.DateTime(allow_none=True)


class FactorSchema(ma.Schema):
    id = fields.String(attribute="factor_id")
    group = fields.String()
    key = fields.String()
    value = DecimalText()
    unit = fields.String()
    region = fields.String()
    year = fields.Integer()
    uncertainty = DecimalText()
    status = fields.String()
    label_en = fields.String()
    label_zh = fields.String()
    note = fields.String()
    derivation = fields.String()
    gases = fields.Dict(
        keys=fields.String(),
        values=DecimalText(),
        allow_none=True,
        metadata={
            "description": "kg of each gas per unit (CO2, CH4, N2O) of a CO2e factor that "
            "states them (fuel combustion, CN-2025 on); null otherwise"
        },
    )
    source_id = fields.String()
    source_citation = fields.String()
    source_url = fields.String()


class FactorArgs(PageArgs):
    group = fields.String(validate=validate.OneOf(sorted(GROUPS)))


@blp.get("/datasets")
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(DatasetSchema, "DatasetPage"))
def list_datasets(args: dict[str, Any]) -> dict[str, Any]:
    """Dataset versions, published and draft."""
    rows, total = datasets.list_records(page=args["page"], per_page=args["per_page"])
    return envelope(rows, total, args)


@blp.get("/datasets/<string:code>")
@blp.response(200, DatasetSchema)
def get_dataset(code: str) -> Any:
    """One dataset version."""
    return datasets.get_record(code)


@blp.get("/datasets/<string:code>/factors")
@blp.arguments(FactorArgs(), location="query")
@blp.response(200, page_schema(FactorSchema, "FactorPage"))
def list_factors(args: dict[str, Any], code: str) -> dict[str, Any]:
    """The factors of a dataset version, each with its source."""
    rows, total = datasets.list_factors(
        code, group=args.get("group"), page=args["page"], per_page=args["per_page"]
    )
    return envelope(rows, total, args)
