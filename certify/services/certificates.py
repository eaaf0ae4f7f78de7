"""Certificates of carbon neutrality: what the verifier attests, issuing, the PDF.

The attestation is the certificate's content as it stands: subject, period, boundary,
emissions by scope (tonnes, rounded once to the kilogram), reductions against the
plan's baseline, retired credits with serials and registry, guide and dataset versions,
the verifier. Issuing spends the retirements (an offset claim, reused if the operator
already recorded that very claim), marks the inventory verified and creates the
certificate (`certify.services.documents`), all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from certify.core import chain
from certify.core.eligibility import add_months
from certify.models.applications import Application
from certify.models.documents import Certificate
from certify.models.offsets import OffsetClaim
from certify.models.registry import Retirement
from certify.pdf.certificate import render_certificate
from certify.pdf.content import CertificateContent, RetiredCreditsLine
from certify.services import documents, offsets
from certify.services.offsets import KG_PER_TONNE
from certify.services.registry import serials_of
from footprint.accounts.models import User
from footprint.models import Inventory
from footprint.platform.db import db
from footprint.platform.problems import Problem
from footprint.services import inventories
from guides.store import load_guide

MODEL = Certificate
TONNE_PLACES = Decimal("0.001")


def _inventory(application: Application) -> Inventory:
    assert application.inventory is not None, "a certificate's subject has an inventory"
    return application.inventory


def _tonnes(kg: Decimal) -> Decimal:
    """kgCO2e as tonnes, rounded once, half up, to the kilogram: the printed figure."""
    return (kg / KG_PER_TONNE).quantize(TONNE_PLACES, rounding=ROUND_HALF_UP)


def _credits(retirement_ids: list[int]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Retirement).where(Retirement.id.in_(retirement_ids)).order_by(Retirement.id)
    ).all()
    lines = []
    for retirement in rows:
        issuance = retirement.issuance
        start, end = serials_of(issuance, start=retirement.number_start, end=retirement.number_end)
        standard = issuance.project.standard
        lines.append(
            {
                "retirement_id": retirement.id,
                "registry": standard.registry_name or standard.name,
                "project": issuance.project.name,
                "standard": standard.code,
                "vintage": issuance.vintage,
                "serial_start": start,
                "serial_end": end,
                "quantity": retirement.quantity,
            }
        )
    return lines


def attested_content(application: Application, *, verifier: User) -> dict[str, Any]:
    """The certificate's content as of now, in the plain JSON form that is signed."""
    inventory = _inventory(application)
    result = inventories.compute(inventory)
    baseline = Decimal((application.management_plan or {})["baseline"]["tco2e"])
    total = _tonnes(result.total_market)
    return chain.plain(
        {
            "subject": {
                "kind": application.subject_kind,
                "name": inventory.venue.name,
                "organisation": application.organisation.name,
                "venue_id": application.venue_id,
            },
            "period": {"start": inventory.period_start, "end": inventory.period_end},
            "boundary": application.boundary,
            "beneficiary": application.beneficiary,
            "dataset": result.dataset,
            "emissions_tco2e": {
                "scope1": _tonnes(result.scope1),
                "scope2_location": _tonnes(result.scope2_location),
                "scope2_market": _tonnes(result.scope2_market),
                "scope3": _tonnes(result.scope3),
                "total": total,
            },
            "baseline_tco2e": baseline,
            "reductions_tco2e": baseline - total,
            "credits": _credits(application.retirement_ids),
            **documents.attribution(application, verifier=verifier),
        }
    )


def _spend_credits(admin: User, application: Application) -> None:
    """Record the offset claim that spends the application's retirements, unless the
    operator already recorded that very claim."""
    claim = db.session.scalar(
        select(OffsetClaim).where(OffsetClaim.inventory_id == application.inventory_id)
    )
    if claim is None:
        offsets.add_claim(
            admin,
            inventory=_inventory(application),
            retirement_ids=application.retirement_ids,
            beneficiary=application.beneficiary,
            guide=load_guide(application.guide_version),
        )
    elif sorted(r.retirement_id for r in claim.retirements) != sorted(application.retirement_ids):
        raise Problem(
            409,
            f"inventory {application.inventory_id} already has offset claim "
            f"{claim.id} with other retirements",
        )


def issue(admin: User, *, application: Application, today: date) -> Certificate:
    """Spend the credits, verify the inventory and create the certificate."""
    _spend_credits(admin, application)
    inventory = _inventory(application)
    if inventory.status != "verified":
        inventories.mark_verified(inventory, user=admin)
    months = load_guide(application.guide_version).certificate_validity_months
    return documents.create(
        Certificate,
        admin=admin,
        application=application,
        number=f"SC-{today.year}-{application.id:06d}",
        valid_until=add_months(inventory.period_end, months),
        today=today,
        facts=token_facts,
    )


def token_facts(content: Mapping[str, Any]) -> dict[str, str]:
    """What the certificate's QR states, from its signed content, for offline checks."""
    attested = content["attestation"]["content"]
    total = Decimal(attested["emissions_tco2e"]["total"])
    credits = sum(line["quantity"] for line in attested["credits"])
    return {
        "number": content["number"],
        "subject": attested["subject"]["name"],
        "period_start": attested["period"]["start"],
        "period_end": attested["period"]["end"],
        "total_tco2e": f"{total:f}",
        "credits_tco2e": str(credits),
        "net_tco2e": f"{total - credits:f}",
        "valid_until": content["valid_until"],
    }


def printed(certificate: Certificate, *, today: date) -> CertificateContent:
    """What the PDF shows, with the status stamped across it unless it is valid."""
    content = certificate.content
    attested = content["attestation"]["content"]
    emissions = attested["emissions_tco2e"]
    guide = load_guide(attested["guide"]["version"])
    return CertificateContent(
        number=content["number"],
        subject_name_zh=attested["subject"]["name"],
        subject_name_en=attested["subject"]["name"],
        subject_kind=attested["subject"]["kind"],
        period_start=date.fromisoformat(attested["period"]["start"]),
        period_end=date.fromisoformat(attested["period"]["end"]),
        boundary_zh=attested["boundary"]["zh"],
        boundary_en=attested["boundary"]["en"],
        scope1=Decimal(emissions["scope1"]),
        scope2_location=Decimal(emissions["scope2_location"]),
        scope2_market=Decimal(emissions["scope2_market"]),
        scope3=Decimal(emissions["scope3"]),
        reductions_tco2e=Decimal(attested["reductions_tco2e"]),
        credits=tuple(
            RetiredCreditsLine(
                registry=line["registry"],
                project_name=line["project"],
                standard=line["standard"],
                vintage=line["vintage"],
                serial_start=line["serial_start"],
                serial_end=line["serial_end"],
                quantity=line["quantity"],
            )
            for line in attested["credits"]
        ),
        guide_version=guide.version,
        guide_title_zh=guide.title_zh,
        guide_title_en=guide.title_en,
        verifier_organisation=attested["verifier"]["organisation"],
        verifier_person=attested["verifier"]["person"],
        signature_kid=content["verifier_signature"]["kid"],
        signature_fingerprint=content["verifier_fingerprint"],
        issued_on=date.fromisoformat(content["issued_on"]),
        valid_until=date.fromisoformat(content["valid_until"]),
        verification_url=documents.verification_url(certificate),
        status_note=documents.status_note(certificate, today=today),
    )


def pdf(certificate: Certificate, *, today: date) -> bytes:
    return render_certificate(printed(certificate, today=today))
