"""`GET /api/v1/keys`: the public keys that sign tokens and certificates, as a JWK Set."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from certify.services import keys, verifier_keys
from footprint.platform.api_blueprint import Blueprint

blp = Blueprint(
    "keys",
    __name__,
    url_prefix="/api/v1/keys",
    description="Public signing keys (RFC 7517), for verifying tokens offline.",
)


class JwkSchema(ma.Schema):
    kty = fields.String()
    crv = fields.String()
    x = fields.String()
    kid = fields.String()
    use = fields.String()
    alg = fields.String()


class JwkSetSchema(ma.Schema):
    keys = fields.List(fields.Nested(JwkSchema))


@blp.get("")
@blp.response(200, JwkSetSchema)
def key_set() -> dict[str, Any]:
    """Every key that has signed, retired ones included, so old documents still verify."""
    return keys.store().public_jwks()


@blp.get("/verifiers")
@blp.response(200, JwkSetSchema)
def verifier_key_set() -> dict[str, Any]:
    """The verifiers' own public keys, which sign their sign-offs (a certificate's
    ``content.verifier_signature`` names one by ``kid``): the keys they registered, whose
    private halves they alone hold, and the server-held keys of earlier sign-offs."""
    return verifier_keys.jwks()
