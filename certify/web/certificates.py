"""Issued certificates (public), their PDFs, and verification of scanned tokens.

`GET /api/v1/verify/{token}` and the page `/v/{token}` are docs/api.md's verification
contract; the page is what a phone opens when it scans a certificate's or label's QR.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import marshmallow as ma
from flask import Blueprint as PageBlueprint
from flask import Response, jsonify, render_template, request, url_for
from marshmallow import fields
from sqlalchemy import select

from certify.models.applications import Application
from certify.models.audit_chain import AuditChainEntry
from certify.models.documents import Certificate, IssuedDocument
from certify.models.offsets import OffsetClaim
from certify.services import certificates, documents, status_lists, verification
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.db import db, get_or_404, paginate
from footprint.platform.files import PDF, pdf_response
from footprint.platform.pagination import PageArgs, envelope, page_asked, page_schema
from footprint.platform.rate_limits import limited

blp = Blueprint(
    "certificates",
    __name__,
    url_prefix="/api/v1",
    description="Issued certificates and the verification of their QR tokens (public).",
)
pages = PageBlueprint("verification_pages", __name__)

STATUSES = ("valid", "suspended", "revoked", "expired", "invalid", "unknown")


class IssuedDocumentSchema(ma.Schema):
    """An issued certificate or label as the public sees it."""

    id = fields.Integer()
    number = fields.String()
    status = fields.String(metadata={"description": "valid, suspended, revoked or expired"})
    reason = fields.String(allow_none=True)
    application_id = fields.Integer()
    issued_at = fields.DateTime()
    valid_until = fields.Date()
    content = fields.Dict(metadata={"description": "what the district signed"})
    signature = fields.Dict(
        metadata={"description": "detached Ed25519 signature over the canonical JSON of content"}
    )
    token = fields.String()
    verification_url = fields.String()
    pdf_url = fields.String()


class StatusListSchema(ma.Schema):
    content = fields.Dict(
        metadata={
            "description": "type, issuer, issued_at, valid_until, and per document kind the "
            "revocation and suspension bitstrings (GZIP, base64url, multibase prefix u; bit "
            "i, left-most first, is document i)"
        }
    )
    signature = fields.Dict(
        metadata={"description": "the district's detached Ed25519 signature over content"}
    )


class VerificationSchema(ma.Schema):
    status = fields.String(metadata={"description": " | ".join(STATUSES)})
    kind = fields.String(allow_none=True, metadata={"description": "certificate | label"})
    id = fields.Integer()
    number = fields.String()
    subject = fields.String()
    subject_kind = fields.String()
    organisation = fields.String()
    period_start = fields.String()
    period_end = fields.String()
    total_tco2e = fields.String()
    credits_tco2e = fields.Integer()
    verifier = fields.String()
    verifier_key_fingerprint = fields.String(
        metadata={"description": "of the key the verifier signed off with (not the district's)"}
    )
    issued_on = fields.String()
    valid_until = fields.String()
    reason = fields.String(allow_none=True)
    pdf_url = fields.String()
    kid = fields.String(
        metadata={"description": "the district's issuing key that signed the token"}
    )
    checked_at = fields.String()
    subject_en = fields.String(metadata={"description": "labels"})
    kgco2e_per_unit = fields.String(metadata={"description": "labels: the figure"})
    functional_unit_zh = fields.String()
    functional_unit_en = fields.String()
    boundary = fields.String(metadata={"description": "cradle_to_gate | cradle_to_grave"})
    stages_kgco2e = fields.Dict(keys=fields.String(), values=fields.String())
    kgco2e_per_kg = fields.String()
    category = fields.String()
    category_range = fields.Dict(
        allow_none=True,
        metadata={"description": "the product category's published range, per kg, and the verdict"},
    )


def present(document: IssuedDocument, today: date) -> dict[str, Any]:
    status = documents.status(document, today=today)
    return {
        "id": document.id,
        "number": document.number,
        "status": status,
        "reason": document.application.state_reason if status in ("suspended", "revoked") else None,
        "application_id": document.application_id,
        "issued_at": document.issued_at,
        "valid_until": document.valid_until,
        "content": document.content,
        "signature": document.signature,
        "token": document.token,
        "verification_url": documents.verification_url(document),
        "pdf_url": documents.pdf_url(document),
    }


def listing_of(model: type[IssuedDocument], args: dict[str, Any]) -> dict[str, Any]:
    """A page of ``model``'s documents, newest first, each with its current status."""
    rows, total = paginate(select(model).order_by(model.id.desc()), args["page"], args["per_page"])
    today = date.today()
    return envelope([present(row, today) for row in rows], total, args)


@blp.get("/certificates")
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(IssuedDocumentSchema, "CertificatePage"))
def listing(args: dict[str, Any]) -> dict[str, Any]:
    """Every certificate issued, newest first, with its current status."""
    return listing_of(Certificate, args)


@blp.get("/certificates/<int:certificate_id>")
@blp.response(200, IssuedDocumentSchema)
def get(certificate_id: int) -> dict[str, Any]:
    """A certificate's signed content, signature and status."""
    return present(get_or_404(Certificate, certificate_id, "certificate"), date.today())


@blp.get("/certificates/<int:certificate_id>/pdf")
@blp.response(200, PDF, content_type="application/pdf")
def pdf(certificate_id: int) -> Response:
    """The certificate as an A4 PDF; unless it is valid, its status is stamped across it."""
    certificate = get_or_404(Certificate, certificate_id, "certificate")
    return pdf_response(
        certificates.pdf(certificate, today=date.today()), f"{certificate.number}.pdf", live=True
    )


@blp.get("/verify/<string:token>")
@limited("RATE_LIMIT_PUBLIC", shared="verification")
@blp.response(200, VerificationSchema)
def verify(token: str) -> dict[str, Any]:
    """Is this token ours, and is the document it names current? (docs/api.md)"""
    return verification.verify(token, now=datetime.now(UTC))


@blp.get("/status-list")
@blp.response(200, StatusListSchema)
def status_list() -> Response:
    """The signed list of revoked and suspended documents, to cache for checking offline
    (`python -m certify.offline TOKEN --jwks keys.json --status-list list.json`)."""
    response = jsonify(status_lists.current())
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


PER_PAGE = 50


@pages.get("/certified")
def register() -> str:
    """The public register of issued certificates and labels, with their status now: the
    district's published progress (guide §8)."""
    kind = request.args.get("kind", "certificate")
    kind = kind if kind in verification.KINDS else "certificate"
    model, _ = verification.KINDS[kind]
    page = page_asked(request.args)
    rows, total = paginate(select(model).order_by(model.id.desc()), page, PER_PAGE)
    today = date.today()
    return render_template(
        "verify/register.html",
        kind=kind,
        page=page,
        per_page=PER_PAGE,
        total=total,
        rows=[
            {**verification.describe(kind, document_id=row.id, today=today), "token": row.token}
            for row in rows
        ],
    )


def _changed_on(kind: str, document_id: int) -> date | None:
    """The day the document's application entered its state: its newest audit chain
    entry (the scan has checked that the chain agrees with the state)."""
    model, _ = verification.KINDS[kind]
    application_id = db.session.scalar(select(model.application_id).where(model.id == document_id))
    at = db.session.scalar(
        select(AuditChainEntry.at)
        .where(AuditChainEntry.subject == f"application:{application_id}")
        .order_by(AuditChainEntry.sequence.desc())
        .limit(1)
    )
    return None if at is None else at.date()


def _claim_url(certificate_id: int) -> str | None:
    """The page of the offset claim that spent the certificate's credits."""
    claim_id = db.session.scalar(
        select(OffsetClaim.id)
        .join(Application, Application.inventory_id == OffsetClaim.inventory_id)
        .join(Certificate, Certificate.application_id == Application.id)
        .where(Certificate.id == certificate_id)
    )
    return None if claim_id is None else url_for("offset_pages.claim_page", claim_id=claim_id)


@pages.get("/v/<string:token>")
@limited("RATE_LIMIT_PUBLIC", shared="verification")
def verify_page(token: str) -> str:
    """The page a scanned QR opens: the status, big, in the visitor's language; since
    when and why a document is suspended or revoked; a certificate's offset report."""
    result = verification.verify(token, now=datetime.now(UTC))
    kind, status = result.get("kind"), result["status"]
    template = "verify/label.html" if kind == "label" else "verify/document.html"
    found = status not in ("invalid", "unknown")
    return render_template(
        template,
        result=result,
        changed_on=(
            _changed_on(kind, result["id"]) if status in ("suspended", "revoked") else None
        ),
        claim_url=_claim_url(result["id"]) if found and kind == "certificate" else None,
    )
