"""Accrediting verification bodies, their declarations of advice, and who may review whom.

A verifier reviews an organisation only if their own body is accredited on that day,
is not that organisation, and has not declared that it advised it (ISO 14064-3 /
ISO 14065 impartiality).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from certify.models.verifiers import AdvisoryDeclaration, VerifierAccreditation
from footprint.accounts import organisations
from footprint.accounts.models import Organisation, Role, User
from footprint.platform import activity
from footprint.platform.db import db, get_or_404, insert_or_conflict, paginate, utcnow
from footprint.platform.problems import Problem, invalid


def accredit(admin: User, *, data: dict[str, Any]) -> VerifierAccreditation:
    if data["valid_until"] < data["valid_from"]:
        raise invalid("valid_until", "must not be before valid_from")
    organisation = organisations.named_or_created(data["organisation"])
    accreditation = VerifierAccreditation(
        organisation_id=organisation.id,
        scope=data.get("scope", ""),
        valid_from=data["valid_from"],
        valid_until=data["valid_until"],
        accredited_by_id=admin.id,
    )
    db.session.add(accreditation)
    db.session.flush()
    activity.record(
        "verifier.accredited",
        "verifier_accreditation",
        accreditation.id,
        admin.id,
        organisation=organisation.name,
        valid_from=str(accreditation.valid_from),
        valid_until=str(accreditation.valid_until),
    )
    db.session.commit()
    return accreditation


def withdraw(admin: User, *, accreditation_id: int, reason: str) -> VerifierAccreditation:
    accreditation = get_or_404(VerifierAccreditation, accreditation_id, "accreditation")
    if accreditation.withdrawn_at is not None:
        raise Problem(409, f"accreditation {accreditation_id} is already withdrawn")
    accreditation.withdrawn_at, accreditation.withdrawal_reason = utcnow(), reason
    activity.record(
        "verifier.withdrawn", "verifier_accreditation", accreditation.id, admin.id, reason=reason
    )
    db.session.commit()
    return accreditation


def listing(*, page: int, per_page: int) -> tuple[list[VerifierAccreditation], int]:
    return paginate(
        select(VerifierAccreditation).order_by(VerifierAccreditation.id), page, per_page
    )


def declare_advice(verifier: User, *, client: str, note: str) -> AdvisoryDeclaration:
    client_organisation = organisations.named(client, field="client_organisation")
    if client_organisation.id == verifier.organisation_id:
        raise invalid("client_organisation", "that is your own organisation")
    declaration = AdvisoryDeclaration(
        verifier_organisation_id=verifier.organisation_id,
        client_organisation_id=client_organisation.id,
        note=note,
        declared_by_id=verifier.id,
    )
    insert_or_conflict(declaration, conflict=f"advice to {client} is already declared")
    activity.record(
        "verifier.declared_advice",
        "advisory_declaration",
        declaration.id,
        verifier.id,
        client=client,
    )
    db.session.commit()
    return declaration


def accredited_on(organisation_id: int, *, day: date) -> VerifierAccreditation | None:
    return db.session.scalar(
        select(VerifierAccreditation)
        .where(
            VerifierAccreditation.organisation_id == organisation_id,
            VerifierAccreditation.valid_from <= day,
            VerifierAccreditation.valid_until >= day,
            VerifierAccreditation.withdrawn_at.is_(None),
        )
        .limit(1)
    )


def conflict(verifier: User, *, client: Organisation, day: date) -> str | None:
    """Why ``verifier`` may not review ``client`` on ``day``, or None if they may."""
    if verifier.role != Role.VERIFIER:
        return "only verifiers review"
    if accredited_on(verifier.organisation_id, day=day) is None:
        return "your organisation is not accredited on that day"
    if verifier.organisation_id == client.id:
        return "a verifier never reviews their own organisation"
    advised = db.session.scalar(
        select(AdvisoryDeclaration.id).where(
            AdvisoryDeclaration.verifier_organisation_id == verifier.organisation_id,
            AdvisoryDeclaration.client_organisation_id == client.id,
        )
    )
    if advised is not None:
        return "your organisation declared that it advised this organisation"
    return None


def candidates(*, client: Organisation, day: date, limit: int) -> list[User]:
    """Verifiers (the first ``limit`` by e-mail) who may review ``client`` on ``day``."""
    found = db.session.scalars(
        select(User).where(User.role == Role.VERIFIER).order_by(User.email).limit(limit)
    )
    return [verifier for verifier in found if conflict(verifier, client=client, day=day) is None]
