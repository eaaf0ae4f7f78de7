"""Page-number pagination shared by every list endpoint."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from footprint.platform.fields import StrictInteger

MAX_PER_PAGE = 200


class PageArgs(ma.Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A ``{items, page, per_page, total}`` envelope around ``item``."""
    return ma.Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "page": StrictInteger(),
            "per_page": StrictInteger(),
            "total": StrictInteger(),
        },
        name=name,
    )


def envelope(items: list[Any], total: int, args: dict[str, Any]) -> dict[str, Any]:
    return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}
