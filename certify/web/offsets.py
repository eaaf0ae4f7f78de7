"""`/api/v1/offsets`: offset eligibility reports and recorded claims (and their public page)."""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from flask import Blueprint as PageBlueprint
from flask import render_template
from marshmallow import fields, validate

from certify.services import offsets
from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import Role
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.db import read_only
from footprint.platform.fields import NAME, Id
from footprint.platform.i18n import number
from footprint.platform.openapi import refuses

blp = Blueprint(
    "offsets",
    __name__,
    url_prefix="/api/v1/offsets",
    description="Do retired credits offset an inventory? Rule by rule.",
)
pages = PageBlueprint("offset_pages", __name__)
read_only("offsets.report")
TONNES_IN_TEXT = re.compile(r"\d+(?:\.\d+)?(?= tCO2e)")


class ClaimInSchema(ma.Schema):
    inventory_id = Id(required=True)
    retirement_ids = fields.List(
        Id(),
        required=True,
        validate=validate.Length(1, 500),
    )
    beneficiary = fields.String(
        validate=NAME, metadata={"description": "default: the venue's name"}
    )


class RuleSchema(ma.Schema):
    rule_id = fields.String()
    passed = fields.Boolean()
    title_en = fields.String()
    title_zh = fields.String()
    detail_en = fields.String()
    detail_zh = fields.String()
    failing = fields.List(fields.Integer())


class UncertaintySchema(ma.Schema):
    residual_half_width_tco2e = fields.String()
    relative_half_width = fields.String()
    margin = fields.String()
    margin_covers_uncertainty = fields.Boolean()
    statement_en = fields.String()
    statement_zh = fields.String()


class ReportSchema(ma.Schema):
    qualifies = fields.Boolean()
    required_tco2e = fields.String()
    provided_tco2e = fields.String()
    claim = fields.Dict()
    rules = fields.List(fields.Nested(RuleSchema))
    uncertainty = fields.Nested(
        UncertaintySchema,
        metadata={
            "description": "Whether the guide's coverage margin covers the residual's "
            "uncertainty (its market-based ~95 % half-width); absent from reports "
            "recorded before it was given."
        },
    )
    guide_version = fields.Integer()


class ClaimSchema(ma.Schema):
    id = fields.Integer()
    inventory_id = fields.Integer()
    beneficiary = fields.String()
    guide_version = fields.Integer()
    retirement_ids = fields.List(fields.Integer())
    created_at = fields.DateTime()
    report = fields.Nested(ReportSchema)


@blp.post("/reports")
@secured(Role.OPERATOR, Role.VERIFIER, Role.ADMIN)
@refuses(404)
@blp.arguments(ClaimInSchema())
@blp.response(200, ReportSchema)
def report(body: dict[str, Any]) -> dict[str, Any]:
    """Evaluate retirements against an inventory, rule by rule, without recording anything."""
    user = current_user()
    result, guide = offsets.assess(
        user,
        inventory_id=body["inventory_id"],
        retirement_ids=body["retirement_ids"],
        beneficiary=body.get("beneficiary"),
    )
    return {**result.to_dict(), "guide_version": guide.version}


@blp.post("/claims")
@secured(Role.OPERATOR, Role.ADMIN)
@refuses(404, 409)
@blp.arguments(ClaimInSchema())
@blp.response(201, ClaimSchema)
def claim(body: dict[str, Any]) -> dict[str, Any]:
    """Record a qualifying claim: its retirements can then back no other claim (409)."""
    user = current_user()
    return offsets.as_dict(
        offsets.record(
            user,
            inventory_id=body["inventory_id"],
            retirement_ids=body["retirement_ids"],
            beneficiary=body.get("beneficiary"),
        )
    )


@blp.get("/claims/<int:claim_id>")
@secured()
@refuses(403)
@blp.response(200, ClaimSchema)
def get_claim(claim_id: int) -> dict[str, Any]:
    return offsets.as_dict(offsets.get(current_user(), claim_id=claim_id))


@pages.app_template_filter("tonnes_in")
def tonnes_in(explanation: str) -> str:
    """A rule's explanation with each exact tCO2e figure the report keeps written as the
    pages write figures (`footprint.platform.i18n.number`)."""
    return TONNES_IN_TEXT.sub(lambda figure: number(figure[0]), explanation)


@pages.get("/offsets/claims/<int:claim_id>")
def claim_page(claim_id: int) -> str:
    """The claim's report as a page people can read (public: claims are published)."""
    return render_template("offsets/claim.html", claim=offsets.as_dict(offsets.public(claim_id)))
