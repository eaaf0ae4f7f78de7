"""Issued product carbon labels (public): their content, label PDFs and print sheets."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from typing import Any

import marshmallow as ma
from flask import Response
from marshmallow import fields, validate

from certify.models.documents import Label
from certify.pdf.label import SIZES, LabelContent
from certify.services import applications, labels
from certify.web.certificates import IssuedDocumentSchema, listing_of, present
from footprint.accounts.auth import require_role, secured
from footprint.accounts.models import Role, User
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.db import get_or_404
from footprint.platform.files import PDF, pdf_response
from footprint.platform.pagination import PageArgs, page_schema
from footprint.platform.rate_limits import limited

blp = Blueprint(
    "labels",
    __name__,
    url_prefix="/api/v1/labels",
    description="Product carbon labels (public): figure, status, PDFs; print sheets for "
    "the label's owner and the district.",
)

MAX_SHEET_LABELS = 1_000
"""Labels a print-sheet request may ask for (about 0.5 MB of PDF, in well under 2 s);
bigger print runs: `flask labels sheets`, which has no maximum."""
SHEET_READERS = (Role.OPERATOR, Role.ADMIN)
"""Who may print a label's sheets: the owner's operators and the district."""
CHUNK = 64 * 1024


class SizeArgs(ma.Schema):
    size = fields.String(load_default="60x40", validate=validate.OneOf(sorted(SIZES)))


class SheetArgs(SizeArgs):
    count = fields.Integer(load_default=100, validate=validate.Range(1, MAX_SHEET_LABELS))


@blp.get("")
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(IssuedDocumentSchema, "LabelPage"))
def listing(args: dict[str, Any]) -> dict[str, Any]:
    """Every label issued, newest first, with its current status."""
    return listing_of(Label, args)


@blp.get("/<int:label_id>")
@blp.response(200, IssuedDocumentSchema)
def get(label_id: int) -> dict[str, Any]:
    return present(get_or_404(Label, label_id, "label"), date.today())


@blp.get("/<int:label_id>/pdf")
@blp.arguments(SizeArgs(), location="query")
@blp.response(200, PDF, content_type="application/pdf")
def pdf(args: dict[str, Any], label_id: int) -> Response:
    """One label at its printed size (mm); stamped unless it is valid."""
    label = get_or_404(Label, label_id, "label")
    return pdf_response(
        labels.pdf(label, size=args["size"], today=date.today()),
        f"{label.number}-{args['size']}.pdf",
        live=True,
    )


def owned_label(user: User, label_id: int) -> Label:
    """The label, if ``user`` may read its application (403 otherwise)."""
    found = get_or_404(Label, label_id, "label")
    applications.get(user, application_id=found.application_id)
    return found


def _streamed(content: LabelContent, size: str, count: int) -> Iterator[bytes]:
    """The sheets, rendered to a spooled file and sent in chunks: memory stays flat."""
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        labels.sheets(content, size=size, count=count, out=spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


@blp.get("/<int:label_id>/sheets")
@limited("RATE_LIMIT_SHEETS", shared="label-sheets")
@secured(*SHEET_READERS)
@blp.arguments(SheetArgs(), location="query")
@blp.response(200, PDF, content_type="application/pdf")
def sheets(args: dict[str, Any], label_id: int) -> Response:
    """``count`` copies on A4 print sheets with cut marks, for a production batch: for
    the label's owner and the district, at most `MAX_SHEET_LABELS` a request."""
    label = owned_label(require_role(*SHEET_READERS), label_id)
    content = labels.printed(label, today=date.today())
    return pdf_response(
        _streamed(content, args["size"], args["count"]),
        f"{label.number}-{args['size']}-x{args['count']}.pdf",
        attachment=True,
    )
