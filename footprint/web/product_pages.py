"""The operators' products at ``/workspace/products``: a tea maker's products, their
life-cycle footprints (the stages form) and the category's range.

Pages over `footprint.services.products` with the API's own schemas
(`footprint.web.products`): each field is named by its path in the API's body
(``lines[3].quantity``), so that an error lands beside the field it names. The stages
form shows each life-cycle stage's lines as rows; a row's stage is where it stands on
the form, and a row with nothing typed but its stage is left out, as a blank row.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from footprint.accounts.models import Role, User
from footprint.accounts.sessions import role_required
from footprint.core.products import STAGE_GROUPS, STAGES
from footprint.models import Product
from footprint.platform import forms
from footprint.platform.pagination import page_asked, page_count
from footprint.services import datasets, products
from footprint.web.products import FootprintInSchema, ProductSchema, present_footprint
from footprint.web.workspace import OPERATORS, pages

PRODUCERS = (Role.OPERATOR,)
"""Who registers products and records footprints: the role the products API lets."""
PER_PAGE = 20
PRODUCT_FIELDS = (
    "name_zh",
    "name_en",
    "category",
    "functional_unit_zh",
    "functional_unit_en",
    "unit_mass_kg",
    "description",
)
NUMBERS = frozenset({"unit_mass_kg", "output_units", "quantity"})
EMPTY_ROWS = 2
"""Blank rows each stage shows below its lines ("Add lines" shows two more)."""
CATEGORY_NAMES = {
    "tea": _l("Tea"),
    "food": _l("Food"),
    "handicraft": _l("Handicraft"),
    "textile": _l("Textile"),
    "other": _l("Other"),
}
STAGE_LABELS = {
    "raw_material": _l("Raw material"),
    "processing": _l("Processing"),
    "packaging": _l("Packaging"),
    "distribution": _l("Distribution"),
    "use": _l("Use"),
    "end_of_life": _l("End of life"),
}
BOUNDARY_LABELS = {"cradle_to_gate": _l("Cradle-to-gate"), "cradle_to_grave": _l("Cradle-to-grave")}
QUALITY_LABELS = {
    "measured": _l("Measured (metered or weighed)"),
    "calculated": _l("Calculated from records"),
    "estimated": _l("Estimated"),
}
POSITIONS = {
    "within": _l("within the range"),
    "below": _l("below the range"),
    "above": _l("above the range"),
}


def _products_page(
    user: User, *, typed: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    page = page_asked(request.args)
    found, total = products.listing(user, page=page, per_page=PER_PAGE)
    return (
        render_template(
            "workspace/products/products.html",
            products=found,
            total=total,
            page=page,
            pages=page_count(total, PER_PAGE),
            categories=CATEGORY_NAMES,
            producer=user.role in PRODUCERS,
            typed=typed,
            errors=errors,
        ),
        status,
    )


@pages.get("/products")
@role_required(*OPERATORS)
def products_list(user: User) -> ResponseReturnValue:
    """The organisation's products, and the form to register one."""
    return _products_page(user, typed={}, errors={})


@pages.post("/products")
@role_required(*PRODUCERS)
def create_product(user: User) -> ResponseReturnValue:
    typed = forms.values(request.form, PRODUCT_FIELDS)
    body = {name: forms.number(v) if name in NUMBERS else v for name, v in typed.items()}
    made, errors = forms.submit(
        ProductSchema(), body, lambda data: products.create(user, data=data)
    )
    if errors:
        return _products_page(user, typed=typed, errors=errors, status=422)
    return redirect(url_for("workspace.product", product_id=made.id), 303)


def _footprints(user: User, product: Product) -> list[dict[str, Any]]:
    """The product's footprint studies the user may read, newest first, as the API shows them."""
    return [present_footprint(found) for found in products.footprints(user, product_id=product.id)]


def _stage_rows(lines: list[Any]) -> dict[str, list[int]]:
    """Per stage, the form rows (numbered as the body's lines) it shows: its lines, then
    blank rows numbered after every line."""
    rows: dict[str, list[int]] = {stage: [] for stage in STAGES}
    for i, line in enumerate(lines):
        if isinstance(line, dict) and line.get("stage") in rows:
            rows[line["stage"]].append(i)
    blank = iter(range(len(lines), len(lines) + EMPTY_ROWS * len(STAGES)))
    for stage in STAGES:
        rows[stage] += [next(blank) for _ in range(EMPTY_ROWS)]
    return rows


def _factors() -> list[Any]:
    """The factors a product's lines can name (of the default product dataset), for the
    factor field's suggestions."""
    groups = set().union(*STAGE_GROUPS.values())
    dataset = datasets.published(datasets.default_code(products.PRODUCT_FACTORS))
    return sorted((f for f in dataset.factors.values() if f.group in groups), key=lambda f: f.id)


def _product_page(
    user: User,
    product: Product,
    *,
    body: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> ResponseReturnValue:
    lines = body.get("lines") if isinstance(body.get("lines"), list) else []
    return (
        render_template(
            "workspace/products/product.html",
            product=product,
            footprints=_footprints(user, product),
            categories=CATEGORY_NAMES,
            stages=STAGE_LABELS,
            boundaries=BOUNDARY_LABELS,
            qualities=QUALITY_LABELS,
            factors=_factors(),
            producer=user.role in PRODUCERS,
            rows=_stage_rows(lines),
            typed=forms.flat(body),
            errors=errors,
        ),
        status,
    )


@pages.get("/products/<int:product_id>")
@role_required(*OPERATORS)
def product(user: User, product_id: int) -> ResponseReturnValue:
    """A product, its footprint studies, and the life-cycle stages form to add one."""
    found = products.get(user, product_id=product_id)
    return _product_page(user, found, body={}, errors={})


def _entered() -> dict[str, Any]:
    """The stages form's body: rows with nothing typed but their stage left out."""
    body = forms.nested(request.form, numbers=NUMBERS)
    for name in ("csrf_token", "add"):
        body.pop(name, None)
    lines = body.get("lines")
    if isinstance(lines, list):
        body["lines"] = [
            line for line in lines if not isinstance(line, dict) or set(line) - {"stage"}
        ]
    return body


@pages.post("/products/<int:product_id>/footprints")
@role_required(*PRODUCERS)
def add_footprint(user: User, product_id: int) -> ResponseReturnValue:
    """Record the form's footprint study; ``add`` shows more blank rows instead."""
    found = products.get(user, product_id=product_id)
    body = _entered()
    if request.form.get("add"):
        return _product_page(user, found, body=body, errors={})
    made, errors = forms.submit(
        FootprintInSchema(),
        body,
        lambda data: products.add_footprint(user, product_id=product_id, data=data),
    )
    if errors:
        return _product_page(user, found, body=body, errors=errors, status=422)
    return redirect(url_for("workspace.footprint", footprint_id=made.id), 303)


def footprint_page(
    user: User, footprint_id: int, *, errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    """A footprint study's result; ``errors`` says why applying for a label was refused
    (the label pages, `certify.web.label_pages`, show it here)."""
    found = products.get_footprint(user, footprint_id=footprint_id)
    return (
        render_template(
            "workspace/products/footprint.html",
            product=found.product,
            result=present_footprint(found),
            stages=STAGE_LABELS,
            boundaries=BOUNDARY_LABELS,
            qualities=QUALITY_LABELS,
            positions=POSITIONS,
            producer=user.role in PRODUCERS,
            errors=errors,
        ),
        status,
    )


@pages.get("/products/footprints/<int:footprint_id>")
@role_required(*OPERATORS)
def footprint(user: User, footprint_id: int) -> ResponseReturnValue:
    """The result per declared unit, by stage and by line (factor and source), its
    uncertainty, where it sits in the category's published range, and applying for a label."""
    return footprint_page(user, footprint_id, errors={})
