"""Verifying a scanned token: is it ours, which document does it name, is that current?

The answer is docs/api.md's: ``invalid`` when the signature or form is wrong, ``unknown`` when
a well-signed token names a document this service does not hold, otherwise the
document's own status (``valid``, ``suspended``, ``revoked``, ``expired``) read from the
database at that moment, so a suspension or revocation shows at once.

A document's facts are its signed content, checked against the district's signature
before they are reported; a row whose content, number or validity no longer matches
what was signed is ``invalid``, with the reason.

Scanning is the hottest path of the service, so what never changes is remembered:
a token that verified once verifies for good (the key store only ever adds keys, and a
document token carries no expiry), and a checked summary is kept by the signature it
was checked against. Each request then costs one small query for the status columns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, select

from certify.core.signing import (
    DocumentToken,
    InvalidToken,
    read_document_token,
    verify_detached,
)
from certify.models.applications import Application
from certify.models.documents import Certificate, IssuedDocument, Label
from certify.services import audit_chain, documents, keys
from footprint.platform import metrics
from footprint.platform.db import db
from footprint.services import products

Summary = Callable[[dict[str, Any]], dict[str, Any]]


def _certificate(content: dict[str, Any]) -> dict[str, Any]:
    attested = content["attestation"]["content"]
    return {
        "subject": attested["subject"]["name"],
        "subject_kind": attested["subject"]["kind"],
        "organisation": attested["subject"]["organisation"],
        "period_start": attested["period"]["start"],
        "period_end": attested["period"]["end"],
        "total_tco2e": attested["emissions_tco2e"]["total"],
        "credits_tco2e": sum(line["quantity"] for line in attested["credits"]),
        "verifier": attested["verifier"]["organisation"],
        "verifier_key_fingerprint": content["verifier_fingerprint"],
        "issued_on": content["issued_on"],
        "valid_until": content["valid_until"],
    }


def _label(content: dict[str, Any]) -> dict[str, Any]:
    attested = content["attestation"]["content"]
    subject = attested["subject"]
    return {
        "subject": subject["name"],
        "subject_en": subject["name_en"],
        "subject_kind": "product",
        "organisation": subject["organisation"],
        "kgco2e_per_unit": attested["kgco2e_per_unit"],
        "functional_unit_zh": attested["functional_unit"]["zh"],
        "functional_unit_en": attested["functional_unit"]["en"],
        "boundary": attested["boundary"],
        "stages_kgco2e": attested["stages_kgco2e"],
        "kgco2e_per_kg": attested["kgco2e_per_kg"],
        "category": subject["category"],
        "category_range": products.comparison(
            subject["category"],
            boundary=attested["boundary"],
            kg_per_kg=Decimal(attested["kgco2e_per_kg"]),
        ),
        "verifier": attested["verifier"]["organisation"],
        "verifier_key_fingerprint": content["verifier_fingerprint"],
        "issued_on": content["issued_on"],
        "valid_until": content["valid_until"],
    }


KINDS: dict[str, tuple[type[IssuedDocument], Summary]] = {
    "certificate": (Certificate, _certificate),
    "label": (Label, _label),
}


@lru_cache(maxsize=4096)
def _summary(kind: str, document_id: int, signed_sha256: str) -> dict[str, Any]:
    """What an issued document says, from its content, once the content is checked
    against the district's signature; ``{"forged": reason}`` when it is not. The key
    names the very signature, so a database rebuilt with other documents under the same
    ids never hits a stale entry, and content changed after it was read is still
    answered from what was signed."""
    model, summarise = KINDS[kind]
    content, signature = db.session.execute(
        select(model.content, model.signature).where(model.id == document_id)
    ).one()
    if not verify_detached(content, signature, keys.verifying_keys()):
        return {"forged": "the stored document does not match the district's signature"}
    return {**summarise(content), "number": content["number"]}


@lru_cache(maxsize=65536)
def _read(store: str, token: str) -> DocumentToken:
    """A token that verified once; invalid ones raise and are not remembered."""
    return read_document_token(token, keys.verifying_keys())


def describe(kind: str, *, document_id: int, today: date) -> dict[str, Any] | None:
    """The document's facts and its status now; None if this service does not hold it.

    The facts are the signed content's, checked against its signature, and the number
    and validity the rows show must agree with them: otherwise the document is
    ``invalid``, with the reason."""
    row = db.session.execute(_status_query(kind), {"document_id": document_id}).one_or_none()
    if row is None:
        return None
    sha256 = row.signature.get("sha256") if isinstance(row.signature, dict) else None
    summary = _summary(kind, document_id, str(sha256))
    mismatch = summary.get("forged") or _disagreement(row, summary)
    if mismatch:
        return {"status": "invalid", "id": document_id, "reason": mismatch}
    status = documents.status_of(row.state, valid_until=row.valid_until, today=today)
    return {
        "status": status,
        "id": document_id,
        **summary,
        "reason": row.state_reason if status in ("suspended", "revoked") else None,
        "pdf_url": documents.pdf_url_of(kind, document_id=document_id),
    }


@cache
def _status_query(kind: str) -> Select[Any]:
    """The one small query a scan costs, built once: the document's number, validity and
    signature, its application's state, and the state the audit chain recorded."""
    model, _ = KINDS[kind]
    return (
        select(
            model.number,
            model.valid_until,
            model.signature,
            Application.state,
            Application.state_reason,
            audit_chain.chained_after(Application.id).label("chained"),
        )
        .join(Application, model.application_id == Application.id)
        .where(model.id == bindparam("document_id"))
    )


def _disagreement(row: Any, summary: dict[str, Any]) -> str | None:
    """What the stored row says otherwise than the signed content, if anything."""
    if row.number != summary["number"]:
        return "the stored number is not the signed one"
    if row.valid_until.isoformat() != summary["valid_until"]:
        return "the stored valid_until is not the signed one"
    if (row.chained or {}).get("state") != row.state:
        return "the stored status is not the one the audit chain recorded"
    return None


def verify(token: str, *, now: datetime | None = None) -> dict[str, Any]:
    """What a token says about its document, as `GET /api/v1/verify/{token}` answers
    (and the `/v/` page shows), counted by kind and outcome."""
    answer = _verify(token, now=now or datetime.now(UTC))
    metrics.count("verification", kind=answer["kind"] or "none", status=answer["status"])
    return answer


def _verify(token: str, *, now: datetime) -> dict[str, Any]:
    checked = {"checked_at": now.isoformat(timespec="seconds")}
    try:
        named = _read(str(keys.store().path), token)
    except InvalidToken as error:
        return {"status": "invalid", "kind": None, "reason": error.reason, **checked}
    found = (
        describe(named.kind, document_id=named.document_id, today=now.date())
        if named.kind in KINDS
        else None
    )
    if found is None:
        return {
            "status": "unknown",
            "kind": named.kind,
            "id": named.document_id,
            "kid": named.kid,
            **checked,
        }
    return {"kind": named.kind, **found, "kid": named.kid, **checked}
