"""Product carbon labels: what the verifier attests, issuing, the label PDFs and sheets.

The attestation is the label's content as it stands: the product and its functional
unit, the system boundary, the footprint per functional unit and per life-cycle stage
(kgCO2e, rounded once to the gram), its uncertainty, the dataset and guide versions and
the verifier. A label is current for the guide's ``label_validity_months`` from issue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, BinaryIO

from sqlalchemy import select

from certify.core import chain
from certify.core.eligibility import add_months
from certify.models.applications import Application
from certify.models.documents import Label
from certify.pdf.label import LabelContent, render_label
from certify.pdf.sheets import render_sheets
from certify.services import documents
from footprint.accounts import access
from footprint.accounts.models import User
from footprint.core.quantities import KG_PLACES, present_parts
from footprint.models import ProductFootprint
from footprint.platform.db import paginate
from footprint.services import products
from guides.store import load_guide

MODEL = Label
PERCENT_PLACES = Decimal("0.1")


def _kg(value: Decimal) -> Decimal:
    return value.quantize(KG_PLACES, rounding=ROUND_HALF_UP)


def _footprint(application: Application) -> ProductFootprint:
    assert application.product_footprint is not None, "a label's subject is a footprint"
    return application.product_footprint


def attested_content(application: Application, *, verifier: User) -> dict[str, Any]:
    """The label's content as of now, in the plain JSON form that is signed."""
    footprint = _footprint(application)
    product = footprint.product
    result = products.compute(footprint)
    per_unit = _kg(result.per_unit)
    return chain.plain(
        {
            "subject": {
                "kind": "product",
                "name": product.name_zh,
                "name_en": product.name_en,
                "organisation": product.organisation.name,
                "product_id": product.id,
                "category": product.category,
            },
            "functional_unit": {
                "zh": product.functional_unit_zh,
                "en": product.functional_unit_en,
                "mass_kg": product.unit_mass_kg,
            },
            "period": {"start": footprint.period_start, "end": footprint.period_end},
            "boundary": result.boundary,
            "dataset": result.dataset,
            "kgco2e_per_unit": per_unit,
            "kgco2e_per_kg": _kg(result.per_unit / product.unit_mass_kg),
            # they add up to the total as printed (largest remainder), not only each alone
            "stages_kgco2e": present_parts(result.by_stage, KG_PLACES),
            "uncertainty_percent": (result.relative_uncertainty * 100).quantize(
                PERCENT_PLACES, rounding=ROUND_HALF_UP
            ),
            "footprint_id": footprint.id,
            **documents.attribution(application, verifier=verifier),
        }
    )


def issue(admin: User, *, application: Application, today: date) -> Label:
    months = load_guide(application.guide_version).label_validity_months
    return documents.create(
        Label,
        admin=admin,
        application=application,
        number=f"CL-{today.year}-{application.id:06d}",
        valid_until=add_months(today, months),
        today=today,
    )


def printed(label: Label, *, today: date) -> LabelContent:
    """What the label shows, with its status stamped across it unless it is valid."""
    attested = label.content["attestation"]["content"]
    return LabelContent(
        number=label.number,
        product_name_zh=attested["subject"]["name"],
        product_name_en=attested["subject"]["name_en"],
        figure=Decimal(attested["kgco2e_per_unit"]),
        functional_unit_zh=attested["functional_unit"]["zh"],
        functional_unit_en=attested["functional_unit"]["en"],
        boundary=attested["boundary"],
        valid_until=label.valid_until,
        verification_url=documents.verification_url(label),
        status_note=documents.status_note(label, today=today),
    )


def pdf(label: Label, *, size: str, today: date) -> bytes:
    return render_label(printed(label, today=today), size)


def sheets(
    content: LabelContent,
    *,
    size: str,
    count: int,
    out: BinaryIO,
    on_page: Callable[[int], None] | None = None,
) -> int:
    """``count`` copies of a printed label on A4 sheets with cut marks, streamed to
    ``out`` (no database or app needed: callers may run it after the request)."""
    copies: Iterable[LabelContent] = (content for _ in range(count))
    return render_sheets(copies, size, out, on_page=on_page)


def listing(user: User, *, page: int, per_page: int) -> tuple[list[Label], int]:
    """The labels of the applications ``user`` may read, newest first."""
    query = access.readable(
        user,
        "application",
        select(Label).join(Application, Label.application_id == Application.id),
        id_column=Application.id,
        organisation_column=Application.organisation_id,
    ).order_by(Label.id.desc())
    return paginate(query, page, per_page)
