"""The operators' carbon labels at /workspace/labels: applying for one from a footprint
study, the organisation's labels, and each label's PDFs and print sheets.

Applying is `certify.services.applications.create` with ``product_footprint_id``, as
``POST /api/v1/applications`` does; a refusal is shown on the footprint study's page. A
label is its application's organisation's and the district's: it is fetched through
`applications.get`, under the access rules. Its PDFs come from the services the labels
API (`certify.web.labels`) uses, with that API's size and count bounds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from certify.models.documents import Label
from certify.pdf.label import SIZES
from certify.services import applications, documents, labels
from certify.web.applications import ApplicationInSchema
from certify.web.labels import (
    MAX_SHEET_LABELS,
    SHEET_READERS,
    SheetArgs,
    SizeArgs,
    _streamed,
    owned_label,
)
from footprint.accounts.models import Role, User
from footprint.accounts.sessions import protect, role_required
from footprint.platform import forms
from footprint.platform.db import db
from footprint.platform.files import pdf_response
from footprint.platform.pagination import page_asked, page_count
from footprint.platform.problems import Problem, invalid
from footprint.platform.rate_limits import limited
from footprint.web.product_pages import footprint_page

pages = Blueprint("label_pages", __name__, url_prefix="/workspace/labels")
protect(pages)

READERS = SHEET_READERS
"""Who sees labels here: the owner's operators and the district."""
APPLICANTS = (Role.OPERATOR,)
"""Who applies: the role the applications API lets create applications."""
PER_PAGE = 20
SHEET_FIELDS = ("size", "count")
STATUSES = {
    "valid": _l("Valid"),
    "suspended": _l("Suspended"),
    "revoked": _l("Revoked"),
    "expired": _l("Expired"),
}


@pages.post("/apply")
@role_required(*APPLICANTS)
def apply(user: User) -> ResponseReturnValue:
    """A draft label application for the footprint study, then its page; a refusal is
    shown on the study's page, with the refusal's status."""
    typed = forms.values(request.form, ("product_footprint_id",))
    body = {name: forms.number(value) for name, value in typed.items()}
    try:
        made = applications.create(user, data=ApplicationInSchema().load(body))
    except ma.ValidationError as error:
        raise invalid("product_footprint_id", "choose a footprint study") from error
    except Problem as problem:
        if problem.status >= 500:
            raise
        db.session.rollback()
        errors = forms.messages(problem.errors) if problem.errors else {"form": problem.detail}
        return footprint_page(
            user, body["product_footprint_id"], errors=errors, status=problem.status
        )
    return redirect(url_for("application_pages.application", application_id=made.id), 303)


@pages.get("")
@role_required(*READERS)
def labels_list(user: User) -> str:
    """The organisation's labels, newest first, with their status today."""
    page = page_asked(request.args)
    rows, total = labels.listing(user, page=page, per_page=PER_PAGE)
    today = date.today()
    return render_template(
        "workspace/labels/labels.html",
        rows=[(row, documents.status(row, today=today)) for row in rows],
        statuses=STATUSES,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
    )


def _label_page(
    label: Label, *, typed: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    return (
        render_template(
            "workspace/labels/label.html",
            label=label,
            attested=label.content["attestation"]["content"],
            status=documents.status(label, today=date.today()),
            statuses=STATUSES,
            verification_url=documents.verification_url(label),
            sizes=sorted(SIZES),
            most=MAX_SHEET_LABELS,
            typed=typed,
            errors=errors,
        ),
        status,
    )


@pages.get("/<int:label_id>")
@role_required(*READERS)
def label(user: User, label_id: int) -> ResponseReturnValue:
    """A label: its details and status, its public page, its PDFs and the print sheet form."""
    return _label_page(owned_label(user, label_id), typed={}, errors={})


def _args(schema: Any, names: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, str]]:
    """The query's fields loaded by the labels API's schema, or their errors."""
    return forms.submit(schema, forms.values(request.args, names), lambda data: data)


@pages.get("/<int:label_id>/pdf")
@role_required(*READERS)
def pdf(user: User, label_id: int) -> ResponseReturnValue:
    """The label at one of its printed sizes."""
    found = owned_label(user, label_id)
    args, errors = _args(SizeArgs(), ("size",))
    if errors:
        return _label_page(found, typed={}, errors=errors, status=422)
    return pdf_response(
        labels.pdf(found, size=args["size"], today=date.today()),
        f"{found.number}-{args['size']}.pdf",
        live=True,
    )


@pages.get("/<int:label_id>/sheets")
@limited("RATE_LIMIT_SHEETS", shared="label-sheets")
@role_required(*READERS)
def sheets(user: User, label_id: int) -> ResponseReturnValue:
    """``count`` copies on A4 print sheets with cut marks, streamed as the API streams them."""
    found = owned_label(user, label_id)
    args, errors = _args(SheetArgs(), SHEET_FIELDS)
    if errors:
        typed = forms.values(request.args, SHEET_FIELDS)
        return _label_page(found, typed=typed, errors=errors, status=422)
    content = labels.printed(found, today=date.today())
    response: Response = pdf_response(
        _streamed(content, args["size"], args["count"]),
        f"{found.number}-{args['size']}-x{args['count']}.pdf",
        attachment=True,
    )
    return response
