"""Products and their footprint studies, within the caller's organisation.

A footprint study is recorded as submitted and never edited: a new study is a new
record, so a label always points at the figures its verifier saw.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from footprint.accounts import access
from footprint.accounts.models import User
from footprint.core.categories import check
from footprint.core.errors import FieldError
from footprint.core.products import ProductActivity, ProductResult, calculate_product
from footprint.models import Product, ProductFootprint, ProductFootprintLine
from footprint.platform import activity
from footprint.platform.db import db, get_or_404, insert_or_conflict, paginate
from footprint.platform.problems import invalid
from footprint.services import datasets

PRODUCT_FACTORS = "packaging"
"""A footprint study defaults to the newest dataset with product life-cycle factors."""
FAR_OUTSIDE = Decimal(2)
"""A result this many times beyond its category's published range is flagged as far off."""


def comparison(category_key: str, *, boundary: str, kg_per_kg: Decimal) -> dict[str, Any] | None:
    """Where a footprint per kg of product lies against its category's published range;
    None when the category has no range for this boundary."""
    category = datasets.categories().get(category_key)
    if category is None or boundary not in category.bounds or kg_per_kg <= 0:
        return None
    verdict = check(category, boundary, kg_per_kg)
    bounds = verdict.bounds
    factor = verdict.factor.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    warning = None
    if not verdict.within:
        far = " far" if verdict.factor >= FAR_OUTSIDE else ""
        warning = (
            f"{kg_per_kg.quantize(Decimal('0.001'))} {category.unit} lies{far} "
            f"{verdict.position} the published {bounds.low}-{bounds.high} "
            f"({factor}×): check the data, or explain the difference"
        )
    return {
        "category": category.key,
        "name_zh": category.label_zh,
        "name_en": category.label_en,
        "unit": category.unit,
        "low": str(bounds.low),
        "high": str(bounds.high),
        "position": verdict.position,
        "factor": str(factor),
        "sources": [source.citation for source in bounds.sources],
        "warning": warning,
    }


def create(user: User, *, data: dict[str, Any]) -> Product:
    product = Product(organisation_id=user.organisation_id, **data)
    insert_or_conflict(
        product, conflict=f"your organisation already has a product named {data['name_zh']!r}"
    )
    activity.record("product.created", "product", product.id, user.id, name=product.name_zh)
    db.session.commit()
    return product


def get(user: User, *, product_id: int, field: str | None = None) -> Product:
    """The product, if ``user`` may read it (`footprint.accounts.access`). ``field``
    names the request field that pointed here, for a refusal."""
    product = get_or_404(Product, product_id, "product")
    access.require_read(
        user, "product", record_id=product.id, organisation_id=product.organisation_id, field=field
    )
    return product


def listing(user: User, *, page: int, per_page: int) -> tuple[list[Product], int]:
    query = access.readable(
        user,
        "product",
        select(Product).order_by(Product.id),
        id_column=Product.id,
        organisation_column=Product.organisation_id,
    )
    return paginate(query, page, per_page)


def compute(footprint: ProductFootprint) -> ProductResult:
    activities = [
        ProductActivity(line.stage, line.factor, line.quantity, line.unit, line.data_quality)
        for line in footprint.lines
    ]
    try:
        return calculate_product(
            activities,
            datasets.published(footprint.dataset_code),
            footprint.boundary,
            footprint.output_units,
        )
    except FieldError as error:
        raise invalid(error.field, error.message) from error


def add_footprint(user: User, *, product_id: int, data: dict[str, Any]) -> ProductFootprint:
    """Record a footprint study of one of your organisation's products."""
    product = get(user, product_id=product_id)
    access.require_write(user, product.organisation_id)
    if data["period_end"] < data["period_start"]:
        raise invalid("period_end", "must not be before period_start")
    footprint = ProductFootprint(
        product_id=product.id,
        dataset_code=datasets.published(
            data.get("dataset") or datasets.default_code(PRODUCT_FACTORS)
        ).code,
        boundary=data["boundary"],
        output_units=Decimal(data["output_units"]),
        period_start=data["period_start"],
        period_end=data["period_end"],
        created_by_id=user.id,
        lines=[
            ProductFootprintLine(
                position=i,
                stage=line["stage"],
                factor=line["factor"],
                quantity=line["quantity"],
                unit=line["unit"],
                data_quality=line["data_quality"],
                note=line.get("note", ""),
            )
            for i, line in enumerate(data["lines"])
        ],
    )
    compute(footprint)  # refuses, with the field named, what cannot be priced
    db.session.add(footprint)
    db.session.flush()
    activity.record(
        "product_footprint.created",
        "product_footprint",
        footprint.id,
        user.id,
        product_id=product.id,
    )
    db.session.commit()
    return footprint


def get_footprint(user: User, *, footprint_id: int, field: str | None = None) -> ProductFootprint:
    footprint = get_or_404(ProductFootprint, footprint_id, "product footprint")
    access.require_read(
        user,
        "product_footprint",
        record_id=footprint.id,
        organisation_id=footprint.product.organisation_id,
        field=field,
    )
    return footprint


def footprints(user: User, *, product_id: int) -> list[ProductFootprint]:
    """The product's footprint studies that ``user`` may read, newest first."""
    query = access.readable(
        user,
        "product_footprint",
        select(ProductFootprint)
        .where(ProductFootprint.product_id == product_id)
        .order_by(ProductFootprint.id.desc()),
        id_column=ProductFootprint.id,
        organisation_column=Product.organisation_id,
    ).join(Product)
    return list(db.session.scalars(query))
