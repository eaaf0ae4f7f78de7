"""`/api/v1/places`: the airports, stations and towns a trip's leg may name as its ends
(public; `footprint/datasets/origins.toml`)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from footprint.core.origins import KINDS
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.fields import DecimalText
from footprint.platform.pagination import PageArgs, envelope, page_schema
from footprint.services import trips

blp = Blueprint(
    "places",
    __name__,
    url_prefix="/api/v1/places",
    description="Places a trip's leg may start or end at (public).",
)


class PlaceSchema(ma.Schema):
    code = fields.String(metadata={"description": "what a leg's from and to name"})
    kind = fields.String(metadata={"description": ", ".join(KINDS)})
    name_en = fields.String()
    name_zh = fields.String()
    lat = DecimalText(metadata={"description": "WGS84 decimal degrees"})
    lon = DecimalText()
    source = fields.Function(lambda place: trips.origins().sources[place.source])


class PlaceArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(KINDS))


@blp.get("")
@blp.arguments(PlaceArgs(), location="query")
@blp.response(200, page_schema(PlaceSchema, "PlacePage"))
def list_places(args: dict[str, Any]) -> dict[str, Any]:
    """The places of the current places data, by code; a flight runs from airport to
    airport, a train from station to station, a road leg between any two."""
    rows, total = trips.places(kind=args.get("kind"), page=args["page"], per_page=args["per_page"])
    return envelope(rows, total, args)
