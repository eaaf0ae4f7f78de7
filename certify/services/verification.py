"""Verifying a scanned token: is it ours, which document does it name, is that current?

The answer is API.md's: ``invalid`` when the signature or form is wrong, ``unknown`` when
a well-signed token names a document this service does not hold, otherwise the
document's own status (``valid``, ``suspended``, ``revoked``, ``expired``) read from the
database at that moment, so a suspension or revocation shows at once. Each document kind
registers how to describe one of its documents in `DESCRIBERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from certify.certification import Certificate, Label
from certify.core.signing import InvalidToken, read_document_token
from certify.services import documents, keys
from footprint.service.db import db
from footprint.services import products

Describer = Callable[[int, date], dict[str, Any] | None]


def describe_certificate(document_id: int, today: date) -> dict[str, Any] | None:
    certificate = db.session.get(Certificate, document_id)
    if certificate is None:
        return None
    application = certificate.application
    attested = certificate.content["attestation"]["content"]
    state = documents.status(certificate, today)
    return {
        "status": state, "id": certificate.id, "number": certificate.number,
        "subject": attested["subject"]["name"], "subject_kind": attested["subject"]["kind"],
        "organisation": attested["subject"]["organisation"],
        "period_start": attested["period"]["start"], "period_end": attested["period"]["end"],
        "total_tco2e": attested["emissions_tco2e"]["total"],
        "credits_tco2e": sum(line["quantity"] for line in attested["credits"]),
        "verifier": attested["verifier"]["organisation"],
        "issued_on": certificate.content["issued_on"],
        "valid_until": certificate.content["valid_until"],
        "reason": application.state_reason if state in ("suspended", "revoked") else None,
        "pdf_url": documents.pdf_url(certificate),
    }


def describe_label(document_id: int, today: date) -> dict[str, Any] | None:
    label = db.session.get(Label, document_id)
    if label is None:
        return None
    attested = label.content["attestation"]["content"]
    state = documents.status(label, today)
    return {
        "status": state, "id": label.id, "number": label.number,
        "subject": attested["subject"]["name"], "subject_en": attested["subject"]["name_en"],
        "subject_kind": "product", "organisation": attested["subject"]["organisation"],
        "kgco2e_per_unit": attested["kgco2e_per_unit"],
        "functional_unit_zh": attested["functional_unit"]["zh"],
        "functional_unit_en": attested["functional_unit"]["en"],
        "boundary": attested["boundary"], "stages_kgco2e": attested["stages_kgco2e"],
        "kgco2e_per_kg": attested["kgco2e_per_kg"],
        "category": attested["subject"]["category"],
        "category_range": products.comparison(attested["subject"]["category"],
                                              attested["boundary"],
                                              Decimal(attested["kgco2e_per_kg"])),
        "verifier": attested["verifier"]["organisation"],
        "issued_on": label.content["issued_on"], "valid_until": label.content["valid_until"],
        "reason": label.application.state_reason if state in ("suspended", "revoked")
        else None,
        "pdf_url": documents.pdf_url(label),
    }


DESCRIBERS: dict[str, Describer] = {"certificate": describe_certificate,
                                    "label": describe_label}


def verify(token: str, now: datetime | None = None) -> dict[str, Any]:
    """What a token says about its document, as `GET /api/v1/verify/{token}` answers."""
    now = now or datetime.now(UTC)
    checked = {"checked_at": now.isoformat(timespec="seconds")}
    try:
        named = read_document_token(token, keys.verifying_keys(), now)
    except InvalidToken as error:
        return {"status": "invalid", "kind": None, "reason": error.reason, **checked}
    describe = DESCRIBERS.get(named.kind)
    found = None if describe is None else describe(named.document_id, now.date())
    if found is None:
        return {"status": "unknown", "kind": named.kind, "id": named.document_id,
                "kid": named.kid, **checked}
    return {"kind": named.kind, **found, "kid": named.kid, **checked}
