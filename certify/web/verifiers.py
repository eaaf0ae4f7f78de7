"""`/api/v1/verifiers`: accredited verification bodies and their declarations of advice."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields, validate

from certify.models.verifiers import VerifierAccreditation
from certify.services import verifiers
from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import Role
from footprint.platform.fields import NAME, text_of
from footprint.platform.pagination import PageArgs, envelope, page_schema

blp = Blueprint(
    "verifiers",
    __name__,
    url_prefix="/api/v1/verifiers",
    description="Accredited verification bodies (public) and conflicts of interest.",
)


class AccreditationSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    organisation = fields.String(required=True, validate=NAME)
    scope = fields.String(load_default="", validate=validate.Length(max=200))
    valid_from = fields.Date(required=True)
    valid_until = fields.Date(required=True)
    accredited_at = fields.DateTime(dump_only=True)
    withdrawn_at = fields.DateTime(dump_only=True, allow_none=True)
    withdrawal_reason = fields.String(dump_only=True, allow_none=True)


class WithdrawalSchema(ma.Schema):
    reason = fields.String(required=True, validate=text_of(1000))


class DeclarationSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    client_organisation = fields.String(required=True, validate=NAME)
    note = fields.String(load_default="", validate=validate.Length(max=1000))
    declared_at = fields.DateTime(dump_only=True)


def present(accreditation: VerifierAccreditation) -> dict[str, Any]:
    return {
        "id": accreditation.id,
        "organisation": accreditation.organisation.name,
        "scope": accreditation.scope,
        "valid_from": accreditation.valid_from,
        "valid_until": accreditation.valid_until,
        "accredited_at": accreditation.accredited_at,
        "withdrawn_at": accreditation.withdrawn_at,
        "withdrawal_reason": accreditation.withdrawal_reason,
    }


@blp.post("/accreditations")
@secured(Role.ADMIN)
@blp.arguments(AccreditationSchema())
@blp.response(201, AccreditationSchema)
def accredit(body: dict[str, Any]) -> dict[str, Any]:
    """Accredit a verification body for a period (admin)."""
    return present(verifiers.accredit(current_user(), data=body))


@blp.get("/accreditations")
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(AccreditationSchema, "AccreditationPage"))
def accreditations(args: dict[str, Any]) -> dict[str, Any]:
    """Public: who is (or was) accredited, and when."""
    rows, total = verifiers.listing(page=args["page"], per_page=args["per_page"])
    return envelope([present(a) for a in rows], total, args)


@blp.post("/accreditations/<int:accreditation_id>/withdraw")
@secured(Role.ADMIN)
@blp.arguments(WithdrawalSchema())
@blp.response(200, AccreditationSchema)
def withdraw(body: dict[str, Any], accreditation_id: int) -> dict[str, Any]:
    """Withdraw an accreditation, with the reason (admin)."""
    return present(
        verifiers.withdraw(current_user(), accreditation_id=accreditation_id, reason=body["reason"])
    )


@blp.post("/declarations")
@secured(Role.VERIFIER)
@blp.arguments(DeclarationSchema())
@blp.response(201, DeclarationSchema)
def declare(body: dict[str, Any]) -> dict[str, Any]:
    """Declare that your body advised an organisation: you will never review it."""
    declaration = verifiers.declare_advice(
        current_user(), client=body["client_organisation"].strip(), note=body["note"]
    )
    return {
        "id": declaration.id,
        "client_organisation": body["client_organisation"].strip(),
        "note": declaration.note,
        "declared_at": declaration.declared_at,
    }
