"""`/api/v1/tokens`: list, create and revoke your own API tokens."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields

from footprint.accounts import tokens
from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import ApiToken
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.rate_limits import limited

blp = Blueprint(
    "tokens",
    __name__,
    url_prefix="/api/v1/tokens",
    description="Your API tokens (stored only as hashes; shown once).",
)


class TokenSchema(ma.Schema):
    id = fields.Integer()
    hint = fields.String(metadata={"description": "the first characters, to recognise it"})
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "shown this once only"})


@blp.get("")
@secured()
@blp.response(200, TokenSchema(many=True))
def list_tokens() -> list[ApiToken]:
    """Your tokens, newest first, revoked ones included."""
    return tokens.tokens_of(current_user())


@blp.post("")
@limited("RATE_LIMIT_TOKENS", shared="token-creation")
@secured()
@blp.response(201, NewTokenSchema)
def create_token() -> dict[str, Any]:
    """A new token for yourself; the value is in this response only."""
    record, token = tokens.create_token(current_user())
    return {
        "id": record.id,
        "hint": record.hint,
        "created_at": record.created_at,
        "revoked_at": None,
        "token": token,
    }


@blp.delete("/<int:token_id>")
@secured()
@blp.response(200, TokenSchema)
def revoke_token(token_id: int) -> ApiToken:
    """Revoke one of your tokens; it stops working at once."""
    return tokens.revoke_token(current_user(), token_id=token_id)
