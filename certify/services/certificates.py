"""Certificates: what the verifier attests, issuing it atomically, its status and its PDF.

Two signatures, both Ed25519 over canonical JSON (`certify.core.signing`):

- the verifier's sign-off, made with their own key when they approve, over the
  *attestation*: the certificate's content as it stands (subject, period, boundary,
  emissions by scope, reductions, retired credits, guide and dataset versions, the
  verifier) with their statement and the checklist's outcomes;
- the district's, made at issue with the service's key, over the certificate: its
  number and dates, the attestation and the verifier's signature.

Issuing recomputes the attestation and refuses (409) if it no longer matches what the
verifier signed. Issuance spends the retirements (an offset claim), marks the
inventory verified and creates the certificate in the caller's transaction: all of it
commits, or none of it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from certify.certification import Application, Certificate
from certify.core import chain
from certify.core.checklist import Checklist
from certify.core.eligibility import add_months
from certify.core.signing import (
    document_token,
    fingerprint,
    sign_detached,
    verify_detached,
)
from certify.core.workflow import State
from certify.models import OffsetClaim, Retirement
from certify.pdf.certificate import render_certificate
from certify.pdf.content import CertificateContent, RetiredCreditsLine
from certify.services import keys, offsets
from certify.services.registry import serials_of
from footprint.service.accounts import User
from footprint.service.db import db
from footprint.service.problems import Problem, invalid
from footprint.services import inventories
from guides.core import load_guide

KG_PER_TONNE = Decimal(1000)
TONNE_PLACES = Decimal("0.001")
ASSURANCE_LEVELS = ("limited", "reasonable")
STATUS_NOTES = {"suspended": "暂停 SUSPENDED", "revoked": "已撤销 REVOKED",
                "expired": "已过期 EXPIRED"}


def _tonnes(kg: Decimal) -> Decimal:
    """kgCO2e as tonnes, rounded once, half up, to the kilogram: the printed figure."""
    return (kg / KG_PER_TONNE).quantize(TONNE_PLACES, rounding=ROUND_HALF_UP)


def _credits(retirement_ids: list[int]) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Retirement).where(Retirement.id.in_(retirement_ids))
                              .order_by(Retirement.id)).all()
    lines = []
    for retirement in rows:
        issuance = retirement.issuance
        start, end = serials_of(issuance, retirement.number_start, retirement.number_end)
        standard = issuance.project.standard
        lines.append({"retirement_id": retirement.id,
                      "registry": standard.registry_name or standard.name,
                      "project": issuance.project.name, "standard": standard.code,
                      "vintage": issuance.vintage, "serial_start": start, "serial_end": end,
                      "quantity": retirement.quantity})
    return lines


def attested_content(application: Application, verifier: User) -> dict[str, Any]:
    """The certificate's content as of now, in the plain JSON form that is signed."""
    inventory = application.inventory
    result = inventories.compute(inventory)
    guide = load_guide(application.guide_version)
    baseline = Decimal(application.management_plan["baseline"]["tco2e"])
    total = _tonnes(result.total_market)
    return chain.plain({
        "subject": {"kind": application.subject_kind, "name": application.venue.name,
                    "organisation": application.organisation.name,
                    "venue_id": application.venue_id},
        "period": {"start": inventory.period_start, "end": inventory.period_end},
        "boundary": application.boundary,
        "beneficiary": application.beneficiary,
        "dataset": result.dataset,
        "emissions_tco2e": {"scope1": _tonnes(result.scope1),
                            "scope2_location": _tonnes(result.scope2_location),
                            "scope2_market": _tonnes(result.scope2_market),
                            "scope3": _tonnes(result.scope3), "total": total},
        "baseline_tco2e": baseline,
        "reductions_tco2e": baseline - total,
        "credits": _credits(application.retirement_ids),
        "guide": {"version": guide.version, "checksum": guide.checksum},
        "verifier": {"organisation": verifier.organisation.name, "person": verifier.email,
                     "user_id": verifier.id},
    })


def sign_off(verifier: User, application: Application, statement: dict[str, Any],
             checklist: Checklist) -> dict[str, Any]:
    """The verifier's signed statement over the attestation (made when they approve)."""
    level = statement.get("assurance_level")
    if level not in ASSURANCE_LEVELS:
        raise invalid("statement.assurance_level", f"one of {', '.join(ASSURANCE_LEVELS)}")
    conclusion = str(statement.get("conclusion", "")).strip()
    if not conclusion:
        raise invalid("statement.conclusion", "the verifier's conclusion is required")
    attestation = {
        "content": attested_content(application, verifier),
        "statement": {"assurance_level": level, "conclusion": conclusion,
                      "materiality_percent": "5"},
        "checklist": {line.criterion.id: line.outcome.value if line.outcome else None
                      for line in checklist.lines},
        "signed_at": chain.plain(datetime.now(UTC)),
    }
    key = keys.verifier_store(verifier).active()
    return {"attestation": attestation, "signature": sign_detached(attestation, key),
            "fingerprint": fingerprint(key)}


def sign_off_holds(application: Application) -> bool:
    """The verifier's signature is good and the content is still what they signed."""
    record, verifier = application.sign_off, application.verifier
    if not record or verifier is None:
        return False
    attestation = record["attestation"]
    signed = verify_detached(attestation, record["signature"],
                             keys.verifying_keys(keys.verifier_store(verifier)))
    return signed and attestation["content"] == attested_content(application, verifier)


def _spend_credits(admin: User, application: Application) -> None:
    """Record the offset claim that spends the application's retirements, unless the
    operator already recorded that very claim."""
    claim = db.session.scalar(select(OffsetClaim).where(
        OffsetClaim.inventory_id == application.inventory_id))
    if claim is None:
        offsets.add_claim(admin, application.inventory, application.retirement_ids,
                          application.beneficiary, load_guide(application.guide_version))
    elif sorted(r.retirement_id for r in claim.retirements) != sorted(
            application.retirement_ids):
        raise Problem(409, f"inventory {application.inventory_id} already has offset claim "
                           f"{claim.id} with other retirements")


def number_for(application: Application, issued: date) -> str:
    return f"SC-{issued.year}-{application.id:06d}"


def issue(admin: User, application: Application, today: date) -> Certificate:
    """Create the certificate in the caller's transaction (see the module docstring)."""
    _spend_credits(admin, application)
    if application.inventory.status != "verified":
        inventories.mark_verified(application.inventory, admin)
    guide = load_guide(application.guide_version)
    valid_until = add_months(application.inventory.period_end,
                             guide.certificate_validity_months)
    content = chain.plain({
        "number": number_for(application, today), "issued_on": today,
        "valid_until": valid_until, "attestation": application.sign_off["attestation"],
        "verifier_signature": application.sign_off["signature"],
        "verifier_fingerprint": application.sign_off["fingerprint"]})
    key = keys.store().active()
    certificate = Certificate(application_id=application.id, number=content["number"],
                              content=content, signature=sign_detached(content, key),
                              token="", valid_until=valid_until, issued_by_id=admin.id)
    db.session.add(certificate)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Problem(409, f"application {application.id} already has a certificate") \
            from error
    certificate.token = document_token("certificate", certificate.id, datetime.now(UTC), key)
    return certificate


def status(certificate: Certificate, today: date) -> str:
    """valid, suspended, revoked or expired: the application's state and the date."""
    state = State(certificate.application.state)
    if state is State.REVOKED:
        return "revoked"
    if state is State.EXPIRED or today > certificate.valid_until:
        return "expired"
    return "suspended" if state is State.SUSPENDED else "valid"


def verification_url(certificate: Certificate) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/v/{certificate.token}"


def pdf_url(certificate: Certificate) -> str:
    return (f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/api/v1/certificates/"
            f"{certificate.id}/pdf")


def printed(certificate: Certificate, today: date) -> CertificateContent:
    """What the PDF shows, with the status stamped across it unless it is valid."""
    content = certificate.content
    attested = content["attestation"]["content"]
    emissions = attested["emissions_tco2e"]
    guide = load_guide(attested["guide"]["version"])
    return CertificateContent(
        number=content["number"], subject_name_zh=attested["subject"]["name"],
        subject_name_en=attested["subject"]["name"], subject_kind=attested["subject"]["kind"],
        period_start=date.fromisoformat(attested["period"]["start"]),
        period_end=date.fromisoformat(attested["period"]["end"]),
        boundary_zh=attested["boundary"]["zh"], boundary_en=attested["boundary"]["en"],
        scope1=Decimal(emissions["scope1"]),
        scope2_location=Decimal(emissions["scope2_location"]),
        scope2_market=Decimal(emissions["scope2_market"]), scope3=Decimal(emissions["scope3"]),
        reductions_tco2e=Decimal(attested["reductions_tco2e"]),
        credits=tuple(RetiredCreditsLine(
            registry=line["registry"], project_name=line["project"],
            standard=line["standard"], vintage=line["vintage"],
            serial_start=line["serial_start"], serial_end=line["serial_end"],
            quantity=line["quantity"]) for line in attested["credits"]),
        guide_version=guide.version, guide_title_zh=guide.title_zh,
        guide_title_en=guide.title_en,
        verifier_organisation=attested["verifier"]["organisation"],
        verifier_person=attested["verifier"]["person"],
        signature_kid=content["verifier_signature"]["kid"],
        signature_fingerprint=content["verifier_fingerprint"],
        issued_on=date.fromisoformat(content["issued_on"]),
        valid_until=date.fromisoformat(content["valid_until"]),
        verification_url=verification_url(certificate),
        status_note=STATUS_NOTES.get(status(certificate, today)))


def pdf(certificate: Certificate, today: date) -> bytes:
    return render_certificate(printed(certificate, today))
