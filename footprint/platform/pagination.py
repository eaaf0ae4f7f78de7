"""Page-number pagination shared by every list endpoint and page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from footprint.platform.fields import StrictInteger

MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000


class PageArgs(ma.Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
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


def page_asked(args: Mapping[str, str]) -> int:
    """The ``page`` a page's query asks for: 1 unless it is a whole number from 1 to
    `MAX_PAGE`, as the API's `PageArgs` allow (a larger one would overflow the offset)."""
    asked = args.get("page", "")
    return int(asked) if asked.isdigit() and 0 < int(asked) <= MAX_PAGE else 1


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` records fill (one, when there are none)."""
    return max(1, -(-total // per_page))
