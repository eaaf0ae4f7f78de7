"""`/api/v1/applications`: applying for certification, review, sign-off and issuance."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from certify.core.checklist import JUDGEMENTS, SOURCE_KINDS, Line
from certify.core.workflow import Action, State, allowed_actions
from certify.models.applications import Application
from certify.services import applications, audit_chain, checklists, documents
from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import Role
from footprint.core.inventory import METRICS
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.fields import NAME, Id, Quantity, StrictInteger, text_of
from footprint.platform.openapi import refuses
from footprint.platform.pagination import PageArgs, envelope, page_schema

blp = Blueprint(
    "applications",
    __name__,
    url_prefix="/api/v1/applications",
    description="Certification: an operator applies, the assigned verifier "
    "reviews and signs off, the district issues the certificate.",
)

TEXT = text_of(4000)
TONNES = 10**9


class ExclusionSchema(ma.Schema):
    source = fields.String(required=True, validate=NAME)
    reason = fields.String(required=True, validate=TEXT)


class BoundarySchema(ma.Schema):
    zh = fields.String(required=True, validate=TEXT)
    en = fields.String(required=True, validate=TEXT)
    sources = fields.List(
        fields.String(validate=validate.OneOf(SOURCE_KINDS)),
        load_default=list,
        metadata={"description": "Scope 1/2 source categories besides electricity the subject has"},
    )
    exclusions = fields.List(fields.Nested(ExclusionSchema), load_default=list)


class BaselineSchema(ma.Schema):
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    tco2e = Quantity(TONNES, required=True)


class TargetSchema(ma.Schema):
    year = StrictInteger(required=True, validate=validate.Range(2000, 2100))
    metric = fields.String(required=True, validate=validate.OneOf(("total", *METRICS)))
    reduction_percent = Quantity(100, positive=True, required=True)


class MeasureSchema(ma.Schema):
    title = fields.String(required=True, validate=NAME)
    responsible = fields.String(required=True, validate=NAME)
    due = fields.Date(required=True)
    estimated_tco2e = Quantity(TONNES, load_default=None)


class PlanSchema(ma.Schema):
    baseline = fields.Nested(BaselineSchema, required=True)
    targets = fields.List(
        fields.Nested(TargetSchema), required=True, validate=validate.Length(1, 50)
    )
    measures = fields.List(
        fields.Nested(MeasureSchema), required=True, validate=validate.Length(1, 200)
    )
    offset_strategy = fields.String(required=True, validate=TEXT)
    publication = fields.String(required=True, validate=TEXT)
    intensity_metric = fields.String(
        validate=validate.OneOf(METRICS),
        load_default=None,
        metadata={"description": "the intensity that shows reduction if the total rose"},
    )

    @ma.validates_schema
    def _baseline_period(self, data: dict[str, Any], **_: Any) -> None:
        baseline = data.get("baseline") or {}
        if baseline.get("period_end") and baseline["period_end"] < baseline["period_start"]:
            raise ma.ValidationError("must not be before period_start", "baseline.period_end")


class ApplicationInSchema(ma.Schema):
    """A certificate for the subject of ``inventory_id`` (with its retirements, boundary
    and management plan), or a carbon label for ``product_footprint_id``."""

    inventory_id = Id()
    product_footprint_id = Id()
    retirement_ids = fields.List(Id(), validate=validate.Length(0, 500))
    beneficiary = fields.String(
        validate=NAME, metadata={"description": "default: the subject's name"}
    )
    boundary = fields.Nested(BoundarySchema)
    management_plan = fields.Nested(PlanSchema)

    @ma.validates_schema
    def _one_subject(self, data: dict[str, Any], partial: Any = False, **_: Any) -> None:
        subjects = [name for name in ("inventory_id", "product_footprint_id") if name in data]
        if len(subjects) > 1:
            raise ma.ValidationError(
                "give inventory_id or product_footprint_id, not both", "product_footprint_id"
            )
        if partial:
            return
        if not subjects:
            raise ma.ValidationError(
                "an inventory (certificate) or a product footprint (label) is required",
                "inventory_id",
            )
        if subjects == ["inventory_id"]:
            for name in ("boundary", "management_plan"):
                if name not in data:
                    raise ma.ValidationError("required for a certificate", name)


class ApplicationPatchSchema(ApplicationInSchema):
    """Any of the application's top-level fields, each given whole."""


class CriterionLineSchema(ma.Schema):
    criterion_id = fields.String()
    section = fields.String()
    check = fields.String()
    rule = fields.String(allow_none=True)
    requirement_zh = fields.String()
    requirement_en = fields.String()
    outcome = fields.String(allow_none=True, metadata={"description": "null: undecided"})
    findings = fields.String()
    detail_zh = fields.String(allow_none=True)


class ApplicationSchema(ma.Schema):
    id = fields.Integer()
    state = fields.String()
    state_reason = fields.String(allow_none=True)
    organisation = fields.String()
    venue_id = fields.Integer(allow_none=True)
    subject = fields.String()
    subject_kind = fields.String()
    inventory_id = fields.Integer(allow_none=True)
    product_footprint_id = fields.Integer(allow_none=True)
    period_start = fields.Date()
    period_end = fields.Date()
    retirement_ids = fields.List(fields.Integer())
    beneficiary = fields.String()
    boundary = fields.Dict(allow_none=True)
    management_plan = fields.Dict(allow_none=True)
    guide_version = fields.Integer()
    verifier = fields.String(allow_none=True)
    renewal_of_id = fields.Integer(allow_none=True)
    sign_off = fields.Dict(allow_none=True)
    certificate_id = fields.Integer(allow_none=True)
    label_id = fields.Integer(allow_none=True)
    allowed_actions = fields.List(
        fields.String(),
        metadata={"description": "what you may try next, by the state and your role"},
    )
    open_criteria = fields.List(fields.String())
    checklist = fields.List(fields.Nested(CriterionLineSchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class ApplicationQuery(PageArgs):
    state = fields.String(validate=validate.OneOf([s.value for s in State]))


class AssignmentSchema(ma.Schema):
    verifier = fields.Email(required=True, metadata={"description": "the verifier's e-mail"})


class StatementSchema(ma.Schema):
    assurance_level = fields.String(
        required=True, validate=validate.OneOf(documents.ASSURANCE_LEVELS)
    )
    conclusion = fields.String(required=True, validate=TEXT)


class TransitionSchema(ma.Schema):
    action = fields.String(
        required=True, validate=validate.OneOf([a.value for a in Action if a != "renew"])
    )
    reason = fields.String(validate=TEXT, load_default=None)
    jws = fields.String(
        load_default=None,
        validate=validate.Length(max=1000),
        metadata={
            "description": "to approve: the verifier's detached JWS (RFC 7515 appendix F, "
            "protected..signature) over the prepared sign-off's signing_input"
        },
    )


class SignOffInSchema(ma.Schema):
    statement = fields.Nested(StatementSchema, required=True)


class SignOffRequestSchema(ma.Schema):
    attestation = fields.Dict(
        metadata={"description": "exactly what the certificate will carry as signed off"}
    )
    kid = fields.String(metadata={"description": "your active key's RFC 7638 thumbprint"})
    fingerprint = fields.String(metadata={"description": "your active key's, for people"})
    protected = fields.String(
        metadata={"description": 'base64url of the canonical {"alg":"EdDSA","kid":…}'}
    )
    payload = fields.String(
        metadata={"description": "base64url of the attestation's canonical JSON (RFC 8785)"}
    )
    signing_input = fields.String(
        metadata={"description": "protected.payload: sign its ASCII bytes with Ed25519"}
    )


class JudgementSchema(ma.Schema):
    outcome = fields.String(required=True, validate=validate.OneOf([j.value for j in JUDGEMENTS]))
    findings = fields.String(load_default="", validate=validate.Length(0, 4000))


class JudgementOutSchema(ma.Schema):
    criterion_id = fields.String()
    outcome = fields.String()
    findings = fields.String()
    recorded_at = fields.DateTime()


class AuditEntrySchema(ma.Schema):
    sequence = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    subject = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    previous_hash = fields.String()
    hash = fields.String()


def _line(line: Line) -> dict[str, Any]:
    criterion = line.criterion
    return {
        "criterion_id": criterion.id,
        "section": criterion.section,
        "check": criterion.check,
        "rule": criterion.rule,
        "requirement_zh": criterion.requirement_zh,
        "requirement_en": criterion.requirement_en,
        "outcome": line.outcome.value if line.outcome else None,
        "findings": line.rule.detail_en if line.rule else line.findings,
        "detail_zh": line.rule.detail_zh if line.rule else None,
    }


def present(application: Application, role: str, *, full: bool = True) -> dict[str, Any]:
    document = applications.document_of(application)
    period_start, period_end = application.period
    out = {
        "id": application.id,
        "state": application.state,
        "state_reason": application.state_reason,
        "organisation": application.organisation.name,
        "venue_id": application.venue_id,
        "subject": application.subject_name,
        "subject_kind": application.subject_kind,
        "inventory_id": application.inventory_id,
        "product_footprint_id": application.product_footprint_id,
        "period_start": period_start,
        "period_end": period_end,
        "retirement_ids": application.retirement_ids,
        "beneficiary": application.beneficiary,
        "boundary": application.boundary,
        "management_plan": application.management_plan,
        "guide_version": application.guide_version,
        "verifier": application.verifier.email if application.verifier else None,
        "renewal_of_id": application.renewal_of_id,
        "sign_off": application.sign_off,
        "certificate_id": document.id if document and document.kind == "certificate" else None,
        "label_id": document.id if document and document.kind == "label" else None,
        "allowed_actions": [a.value for a in allowed_actions(application.state, role)],
        "created_at": application.created_at,
        "updated_at": application.updated_at,
    }
    if full:
        checklist = checklists.current(application)
        out["checklist"] = [_line(line) for line in checklist.lines]
        out["open_criteria"] = list(checklist.open_items())
    return out


@blp.post("")
@secured(Role.OPERATOR)
@refuses(404, 409)
@blp.arguments(ApplicationInSchema())
@blp.response(201, ApplicationSchema)
def create(body: dict[str, Any]) -> dict[str, Any]:
    """Apply (operator): a draft for the inventory's subject and period."""
    user = current_user()
    return present(applications.create(user, data=body), user.role)


@blp.get("")
@secured()
@blp.arguments(ApplicationQuery(), location="query")
@blp.response(200, page_schema(ApplicationSchema, "ApplicationPage"))
def listing(args: dict[str, Any]) -> dict[str, Any]:
    """Your organisation's applications, those assigned to you (verifier), or all (admin)."""
    user = current_user()
    rows, total = applications.listing(
        user, state=args.get("state"), page=args["page"], per_page=args["per_page"]
    )
    return envelope([present(a, user.role, full=False) for a in rows], total, args)


@blp.get("/<int:application_id>")
@secured()
@refuses(403)
@blp.response(200, ApplicationSchema)
def get(application_id: int) -> dict[str, Any]:
    """One application with its checklist."""
    user = current_user()
    return present(applications.get(user, application_id=application_id), user.role)


@blp.patch("/<int:application_id>")
@secured(Role.OPERATOR)
@refuses(404, 409)
@blp.arguments(ApplicationPatchSchema(partial=tuple(ApplicationInSchema().fields)))
@blp.response(200, ApplicationSchema)
def update(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Change a draft, or an application whose verifier requested changes (operator)."""
    user = current_user()
    return present(applications.update(user, application_id=application_id, data=body), user.role)


@blp.post("/<int:application_id>/assignment")
@secured(Role.ADMIN)
@refuses(404, 409)
@blp.arguments(AssignmentSchema())
@blp.response(200, ApplicationSchema)
def assign(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Assign the reviewing verifier (admin); refused (409) if they are not independent."""
    user = current_user()
    return present(
        applications.assign(
            user, application_id=application_id, email=body["verifier"], today=date.today()
        ),
        user.role,
    )


@blp.post("/<int:application_id>/transitions")
@secured()
@refuses(403, 409)
@blp.arguments(TransitionSchema())
@blp.response(200, ApplicationSchema)
def transition(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Move the application: 409 if its state does not allow the action, 403 if you may not.

    submit / resubmit / withdraw (operator); start_review / request_changes / approve
    (with the ``jws`` over the prepared sign-off) / reject (the assigned verifier); issue /
    suspend /
    reinstate / revoke / expire (admin). ``reason`` is required to request changes,
    reject, suspend or revoke.
    """
    user = current_user()
    return present(
        applications.act(
            user,
            application_id=application_id,
            action=body["action"],
            today=date.today(),
            reason=body["reason"],
            jws=body["jws"],
        ),
        user.role,
    )


@blp.post("/<int:application_id>/sign-off")
@secured(Role.VERIFIER)
@refuses(409)
@blp.arguments(SignOffInSchema())
@blp.response(200, SignOffRequestSchema)
def prepare_sign_off(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Prepare your sign-off (the assigned verifier, while you may approve): sign its
    ``signing_input`` with your own key, then approve with the detached JWS."""
    return applications.prepare_sign_off(
        current_user(),
        application_id=application_id,
        statement=body["statement"],
        today=date.today(),
    )


@blp.post("/<int:application_id>/renewals")
@secured(Role.OPERATOR)
@refuses(404, 409)
@blp.arguments(ApplicationInSchema())
@blp.response(201, ApplicationSchema)
def renew(body: dict[str, Any], application_id: int) -> dict[str, Any]:
    """Apply for the next period of a certified subject (operator): a new linked draft."""
    user = current_user()
    return present(applications.renew(user, application_id=application_id, data=body), user.role)


@blp.put("/<int:application_id>/criteria/<string:criterion_id>")
@secured(Role.VERIFIER)
@refuses(409)
@blp.arguments(JudgementSchema())
@blp.response(200, JudgementOutSchema)
def judge(body: dict[str, Any], application_id: int, criterion_id: str) -> dict[str, Any]:
    """Record the assigned verifier's judgement and findings on one judgement criterion."""
    row = applications.judge(
        current_user(),
        application_id=application_id,
        criterion_id=criterion_id,
        outcome=body["outcome"],
        findings=body["findings"],
        today=date.today(),
    )
    return {
        "criterion_id": row.criterion_id,
        "outcome": row.outcome,
        "findings": row.findings,
        "recorded_at": row.recorded_at,
    }


@blp.get("/<int:application_id>/audit")
@secured()
@refuses(403)
@blp.response(200, AuditEntrySchema(many=True))
def audit(application_id: int) -> list[Any]:
    """The application's entries in the hash-chained audit log, oldest first."""
    application = applications.get(current_user(), application_id=application_id)
    return list(audit_chain.entries(applications.subject(application)))
