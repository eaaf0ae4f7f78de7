"""`/api/v1/verifiers`: accredited verification bodies, their declarations of advice, and
the public keys verifiers sign off with."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from certify.models.verifiers import VerifierAccreditation, VerifierKey
from certify.services import verifier_keys, verifiers
from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import Role
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.fields import NAME, text_of
from footprint.platform.openapi import refuses
from footprint.platform.pagination import PageArgs, envelope, page_schema

blp = Blueprint(
    "verifiers",
    __name__,
    url_prefix="/api/v1/verifiers",
    description="Accredited verification bodies (public), conflicts of interest, and "
    "verifiers' own signing keys.",
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


class PublicJwkSchema(ma.Schema):
    """A public Ed25519 JWK; a private ``d`` is refused (the private key stays with you)."""

    class Meta:
        unknown = ma.INCLUDE

    kty = fields.String(required=True, metadata={"description": "OKP"})
    crv = fields.String(required=True, metadata={"description": "Ed25519"})
    x = fields.String(required=True, metadata={"description": "the 32-byte public key, base64url"})


class KeyRegistrationSchema(ma.Schema):
    jwk = fields.Nested(PublicJwkSchema, required=True)


class VerifierKeySchema(ma.Schema):
    kid = fields.String(metadata={"description": "RFC 7638 JWK thumbprint"})
    fingerprint = fields.String(metadata={"description": "for people: 16 hex digits"})
    jwk = fields.Dict(metadata={"description": "the public JWK as registered"})
    registered_through = fields.String(metadata={"description": "browser | api"})
    registered_at = fields.DateTime()
    retired_at = fields.DateTime(
        allow_none=True, metadata={"description": "null while it signs new sign-offs"}
    )
    active = fields.Boolean()


def present_key(key: VerifierKey) -> dict[str, Any]:
    return {
        "kid": key.kid,
        "fingerprint": verifier_keys.fingerprint_of(key),
        "jwk": key.jwk,
        "registered_through": key.registered_through,
        "registered_at": key.registered_at,
        "retired_at": key.retired_at,
        "active": key.retired_at is None,
    }


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
@refuses(404, 409)
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
@refuses(409)
@blp.arguments(WithdrawalSchema())
@blp.response(200, AccreditationSchema)
def withdraw(body: dict[str, Any], accreditation_id: int) -> dict[str, Any]:
    """Withdraw an accreditation, with the reason (admin)."""
    return present(
        verifiers.withdraw(current_user(), accreditation_id=accreditation_id, reason=body["reason"])
    )


@blp.post("/declarations")
@secured(Role.VERIFIER)
@refuses(404, 409)
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


@blp.post("/keys")
@secured(Role.VERIFIER)
@refuses(409)
@blp.arguments(KeyRegistrationSchema())
@blp.response(201, VerifierKeySchema)
def register_key(body: dict[str, Any]) -> dict[str, Any]:
    """Register your public signing key (verifier); it retires your previous one for new
    sign-offs. Send the public JWK only: one with a private ``d`` is refused."""
    return present_key(verifier_keys.register(user=current_user(), jwk=body["jwk"], through="api"))


@blp.get("/keys")
@secured(Role.VERIFIER)
@blp.response(200, VerifierKeySchema(many=True))
def own_keys() -> list[dict[str, Any]]:
    """Your registered keys, newest first (verifier)."""
    return [present_key(key) for key in verifier_keys.of_user(user=current_user())]
