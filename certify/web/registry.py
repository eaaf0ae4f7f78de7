"""`/api/v1/registry` (projects, issuances, retirements, transfers, holdings, serial look-up)
and the public, searchable register of retirements at `/registry/retirements`."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from flask import Blueprint as PageBlueprint
from flask import render_template, request
from flask_smorest import Blueprint
from marshmallow import fields, validate

from certify.models.registry import (
    CreditBlock,
    Issuance,
    LedgerEvent,
    Project,
    Retirement,
    Transfer,
)
from certify.services import imports, registry
from certify.services.registry import serials_of
from footprint.accounts.auth import current_user, require_role
from footprint.accounts.models import Role
from footprint.platform.fields import NAME, Quantity, StrictInteger
from footprint.platform.openapi import SECURED
from footprint.platform.pagination import PageArgs, envelope, page_schema
from footprint.platform.problems import Problem, invalid

blp = Blueprint("registry", __name__, url_prefix="/api/v1/registry",
                description="Forest-sink credit registry.")
pages = PageBlueprint("registry_pages", __name__)
PER_PAGE = 50
PROJECT_TYPES = ("afforestation", "reforestation", "forest_management", "bamboo", "forest_sink",
                 "renewable_energy", "methane", "other")
SERIAL = validate.Length(1, 64)


class DocumentSchema(ma.Schema):
    title = fields.String(required=True, validate=NAME)
    url = fields.Url(required=True)


class ProjectSchema(ma.Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(validate=validate.Regexp(r"^[A-Z0-9]{2,12}$"),
                         metadata={"description": "serial prefix part; default P0001…"})
    name = fields.String(required=True, validate=NAME)
    standard = fields.String(required=True, validate=validate.Length(1, 16),
                             metadata={"description": "CCER, VCS, GS, WLY…"})
    methodology = fields.String(required=True, validate=validate.Length(1, 64),
                                metadata={"description": "e.g. CCER-14-001-V01"})
    project_type = fields.String(required=True, validate=validate.OneOf(PROJECT_TYPES))
    region = fields.String(required=True, validate=validate.Length(1, 64))
    area_ha = Quantity(10**7, positive=True, allow_none=True)
    crediting_start = fields.Date(allow_none=True)
    crediting_end = fields.Date(allow_none=True)
    documents = fields.List(fields.Nested(DocumentSchema), load_default=list,
                            validate=validate.Length(max=50))
    external_id = fields.String(validate=validate.Length(1, 64), allow_none=True)
    created_at = fields.DateTime(dump_only=True)

    @ma.validates_schema
    def period_in_order(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("crediting_start"), data.get("crediting_end")
        if start and end and end < start:
            raise ma.ValidationError("must not be before crediting_start", "crediting_end")


class StandardSchema(ma.Schema):
    code = fields.String()
    name = fields.String()
    registry_name = fields.String()


class ProjectArgs(PageArgs):
    standard = fields.String()
    project_type = fields.String(validate=validate.OneOf(PROJECT_TYPES))
    region = fields.String()


class IssuanceInSchema(ma.Schema):
    project_id = StrictInteger(required=True, validate=validate.Range(min=1))
    vintage = StrictInteger(required=True, validate=validate.Range(1990, 2100))
    quantity = StrictInteger(required=True, validate=validate.Range(1, 10**8),
                             metadata={"description": "whole credits (tCO2e) to the holder"})
    holder_org = fields.String(required=True, validate=NAME)


class IssuanceSchema(ma.Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    project_code = fields.String()
    vintage = fields.Integer()
    quantity = fields.Integer()
    serial_start = fields.String()
    serial_end = fields.String()
    buffer_quantity = fields.Integer()
    buffer_serial_start = fields.String(allow_none=True)
    buffer_serial_end = fields.String(allow_none=True)
    issued_at = fields.DateTime()


class IssuanceArgs(PageArgs):
    project_id = fields.Integer()
    vintage = fields.Integer()


class RangeSchema(ma.Schema):
    serial_start = fields.String(required=True, validate=SERIAL)
    serial_end = fields.String(required=True, validate=SERIAL)


class RetirementInSchema(RangeSchema):
    beneficiary = fields.String(required=True, validate=NAME)
    purpose = fields.String(required=True, validate=validate.Length(1, 1000))


class ProjectRefSchema(ma.Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    standard = fields.String()
    project_type = fields.String()
    region = fields.String()


class RetirementSchema(ma.Schema):
    id = fields.Integer()
    quantity = fields.Integer()
    serial_start = fields.String()
    serial_end = fields.String()
    beneficiary = fields.String()
    purpose = fields.String()
    retired_at = fields.DateTime()
    organisation = fields.String()
    issuance_id = fields.Integer()
    vintage = fields.Integer()
    project = fields.Nested(ProjectRefSchema)


class RetirementArgs(PageArgs):
    beneficiary = fields.String(validate=NAME)
    project_id = fields.Integer()
    serial = fields.String(validate=SERIAL)


class TransferInSchema(RangeSchema):
    to_org = fields.String(required=True, validate=NAME)


class TransferSchema(ma.Schema):
    id = fields.Integer()
    quantity = fields.Integer()
    serial_start = fields.String()
    serial_end = fields.String()
    from_org = fields.String()
    to_org = fields.String()
    transferred_at = fields.DateTime()


class HoldingSchema(ma.Schema):
    issuance_id = fields.Integer()
    project = fields.Nested(ProjectRefSchema)
    vintage = fields.Integer()
    serial_start = fields.String()
    serial_end = fields.String()
    quantity = fields.Integer()


class HoldingArgs(PageArgs):
    organisation_id = fields.Integer(metadata={"description": "admins: whose holdings"})


class SerialSchema(ma.Schema):
    serial = fields.String()
    status = fields.String(metadata={"description": "active or retired"})
    project = fields.Nested(ProjectRefSchema)
    vintage = fields.Integer()
    issuance_id = fields.Integer()
    holder = fields.String()
    block_serial_start = fields.String()
    block_serial_end = fields.String()
    retirement = fields.Nested(RetirementSchema, allow_none=True)


class LedgerEventSchema(ma.Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.Integer(allow_none=True)
    kind = fields.String()
    issuance_id = fields.Integer()
    quantity = fields.Integer()
    from_id = fields.Integer(allow_none=True)
    to_id = fields.Integer(allow_none=True)
    reference_id = fields.Integer(allow_none=True)
    detail = fields.Dict()


class ImportArgs(ma.Schema):
    format = fields.String(required=True, validate=validate.OneOf(imports.FORMATS))
    holder = fields.String(load_default="", validate=validate.Length(max=200),
                           metadata={"description": "who receives the credits (verra)"})
    dry_run = fields.Boolean(load_default=False)


class ImportReportSchema(ma.Schema):
    rows = fields.Integer()
    created = fields.Integer()
    unchanged = fields.Integer()
    retired = fields.Integer()
    credits = fields.Integer()
    dry_run = fields.Boolean()


def project_ref(project: Project) -> dict[str, Any]:
    return {"id": project.id, "code": project.code, "name": project.name,
            "standard": project.standard.code, "project_type": project.project_type,
            "region": project.region}


def present_project(project: Project) -> dict[str, Any]:
    columns = ("id", "code", "name", "methodology", "project_type", "region", "area_ha",
               "crediting_start", "crediting_end", "documents", "external_id", "created_at")
    return {**{c: getattr(project, c) for c in columns}, "standard": project.standard.code}


def present_issuance(issuance: Issuance) -> dict[str, Any]:
    holder_end = issuance.number_start + issuance.quantity - 1
    start, end = serials_of(issuance, issuance.number_start, holder_end)
    buffer = (serials_of(issuance, holder_end + 1, issuance.number_end)
              if issuance.buffer_quantity else (None, None))
    return {"id": issuance.id, "project_id": issuance.project_id,
            "project_code": issuance.project.code, "vintage": issuance.vintage,
            "quantity": issuance.quantity, "serial_start": start, "serial_end": end,
            "buffer_quantity": issuance.buffer_quantity, "buffer_serial_start": buffer[0],
            "buffer_serial_end": buffer[1], "issued_at": issuance.issued_at}


def present_retirement(retirement: Retirement) -> dict[str, Any]:
    issuance = retirement.issuance
    start, end = serials_of(issuance, retirement.number_start, retirement.number_end)
    return {"id": retirement.id, "quantity": retirement.quantity, "serial_start": start,
            "serial_end": end, "beneficiary": retirement.beneficiary,
            "purpose": retirement.purpose, "retired_at": retirement.retired_at,
            "organisation": retirement.organisation.name, "issuance_id": issuance.id,
            "vintage": issuance.vintage, "project": project_ref(issuance.project)}


def present_transfer(transfer: Transfer, names: dict[int, str]) -> dict[str, Any]:
    start, end = serials_of(transfer.issuance, transfer.number_start, transfer.number_end)
    return {"id": transfer.id, "quantity": transfer.quantity, "serial_start": start,
            "serial_end": end, "from_org": names[transfer.from_id],
            "to_org": names[transfer.to_id], "transferred_at": transfer.transferred_at}


def present_holding(block: CreditBlock) -> dict[str, Any]:
    start, end = serials_of(block.issuance, block.number_start, block.number_end)
    return {"issuance_id": block.issuance_id, "project": project_ref(block.issuance.project),
            "vintage": block.issuance.vintage, "serial_start": start, "serial_end": end,
            "quantity": block.number_end - block.number_start + 1}


@blp.get("/standards")
@blp.response(200, StandardSchema(many=True))
def standards() -> list[Any]:
    """The crediting standards the registry knows."""
    return registry.known_standards()


@blp.post("/projects")
@blp.arguments(ProjectSchema())
@blp.response(201, ProjectSchema)
@blp.doc(**SECURED)
def create_project(body: dict[str, Any]) -> dict[str, Any]:
    """Register a forest-sink project (admin)."""
    return present_project(registry.create_project(require_role(Role.ADMIN), body))


@blp.get("/projects")
@blp.arguments(ProjectArgs(), location="query")
@blp.response(200, page_schema(ProjectSchema, "ProjectPage"))
def list_projects(args: dict[str, Any]) -> dict[str, Any]:
    rows, total = registry.list_projects(args, args["page"], args["per_page"])
    return envelope([present_project(p) for p in rows], total, args)


@blp.get("/projects/<int:project_id>")
@blp.response(200, ProjectSchema)
def get_project(project_id: int) -> dict[str, Any]:
    return present_project(registry.get_project(project_id))


@blp.post("/issuances")
@blp.arguments(IssuanceInSchema())
@blp.response(201, IssuanceSchema)
@blp.doc(**SECURED)
def issue(body: dict[str, Any]) -> dict[str, Any]:
    """Issue a vintage's credits as one serial block (admin); the buffer share is withheld."""
    user = require_role(Role.ADMIN)
    return present_issuance(registry.issue(user, body["project_id"], body["vintage"],
                                           body["quantity"], body["holder_org"]))


@blp.get("/issuances")
@blp.arguments(IssuanceArgs(), location="query")
@blp.response(200, page_schema(IssuanceSchema, "IssuancePage"))
def list_issuances(args: dict[str, Any]) -> dict[str, Any]:
    rows, total = registry.list_issuances(args, args["page"], args["per_page"])
    return envelope([present_issuance(i) for i in rows], total, args)


@blp.get("/issuances/<int:issuance_id>")
@blp.response(200, IssuanceSchema)
def get_issuance(issuance_id: int) -> dict[str, Any]:
    return present_issuance(registry.get_issuance(issuance_id))


@blp.post("/retirements")
@blp.arguments(RetirementInSchema())
@blp.response(201, RetirementSchema)
@blp.doc(**SECURED)
def retire(body: dict[str, Any]) -> dict[str, Any]:
    """Retire (cancel) a serial range you hold, for a beneficiary — once, ever."""
    user = require_role(Role.OPERATOR, Role.ADMIN)
    return present_retirement(registry.retire(user, body["serial_start"], body["serial_end"],
                                              body["beneficiary"].strip(), body["purpose"]))


@blp.get("/retirements")
@blp.arguments(RetirementArgs(), location="query")
@blp.response(200, page_schema(RetirementSchema, "RetirementPage"))
def list_retirements(args: dict[str, Any]) -> dict[str, Any]:
    """Public: retirements, by beneficiary, project or a serial they contain."""
    rows, total = registry.list_retirements(args, args["page"], args["per_page"])
    return envelope([present_retirement(r) for r in rows], total, args)


@blp.get("/retirements/<int:retirement_id>")
@blp.response(200, RetirementSchema)
def get_retirement(retirement_id: int) -> dict[str, Any]:
    return present_retirement(registry.get_retirement(retirement_id))


@blp.post("/transfers")
@blp.arguments(TransferInSchema())
@blp.response(201, TransferSchema)
@blp.doc(**SECURED)
def transfer(body: dict[str, Any]) -> dict[str, Any]:
    """Transfer a serial range you hold to another organisation."""
    user = require_role(Role.OPERATOR, Role.ADMIN)
    record = registry.transfer(user, body["serial_start"], body["serial_end"],
                               body["to_org"].strip())
    return present_transfer(record, registry.organisation_names(record.from_id, record.to_id))


@blp.get("/transfers")
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(TransferSchema, "TransferPage"))
@blp.doc(**SECURED)
def list_transfers(args: dict[str, Any]) -> dict[str, Any]:
    """Transfers from or to your organisation (admins: all)."""
    user = current_user()
    scope = None if user.role == Role.ADMIN else user.organisation_id
    rows, total = registry.list_transfers(scope, args["page"], args["per_page"])
    names = registry.organisation_names(*{o for t in rows for o in (t.from_id, t.to_id)})
    return envelope([present_transfer(t, names) for t in rows], total, args)


@blp.get("/holdings")
@blp.arguments(HoldingArgs(), location="query")
@blp.response(200, page_schema(HoldingSchema, "HoldingPage"))
@blp.doc(**SECURED)
def holdings(args: dict[str, Any]) -> dict[str, Any]:
    """Active serial blocks your organisation holds (admins: any organisation's)."""
    user = current_user()
    organisation = args.get("organisation_id") if user.role == Role.ADMIN else None
    rows, total = registry.holdings(organisation or user.organisation_id, args["page"],
                                    args["per_page"])
    return envelope([present_holding(b) for b in rows], total, args)


@blp.get("/serials/<string:serial>")
@blp.response(200, SerialSchema)
def serial(serial: str) -> dict[str, Any]:
    """Public: a serial's project, vintage, holder and status."""
    issuance, number, block = registry.lookup(serial)
    start, end = serials_of(issuance, block.number_start, block.number_end)
    retirement = registry.get_retirement(block.retirement_id) if block.retirement_id else None
    return {"serial": serials_of(issuance, number, number)[0], "status": block.status,
            "project": project_ref(issuance.project), "vintage": issuance.vintage,
            "issuance_id": issuance.id, "holder": block.holder.name,
            "block_serial_start": start, "block_serial_end": end,
            "retirement": present_retirement(retirement) if retirement else None}


@blp.post("/imports")
@blp.arguments(ImportArgs(), location="query")
@blp.response(200, ImportReportSchema)
@blp.doc(requestBody={"required": True,
                      "content": {"text/csv": {"schema": {"type": "string"}}}}, **SECURED)
def import_export(args: dict[str, Any]) -> imports.ImportReport:
    """Import a registry export (CSV body, admin): all-or-nothing, idempotent, dry-runnable.

    Larger files than the request limit go through `flask registry import`.
    """
    user = require_role(Role.ADMIN)
    if args["format"] == "verra" and not args["holder"]:
        raise invalid("holder", "required for Verra exports")
    report = imports.run(io.StringIO(request.get_data(as_text=True)), args["format"],
                         args["holder"], user, dry_run=args["dry_run"])
    if not report.ok:
        raise Problem(422, f"{len(report.errors)} rows were refused; nothing was imported.",
                      errors={f"row {e['row']}: {e['column']}": [e["message"]]
                              for e in report.errors})
    return report


@blp.get("/ledger")
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(LedgerEventSchema, "LedgerPage"))
@blp.doc(**SECURED)
def ledger(args: dict[str, Any]) -> dict[str, Any]:
    """The append-only ledger of every registry change (admin)."""
    require_role(Role.ADMIN)
    rows: list[LedgerEvent]
    rows, total = registry.ledger(args["page"], args["per_page"])
    return envelope(rows, total, args)


@pages.get("/registry/retirements")
def retirements() -> str:
    """Searchable by beneficiary, serial and project code."""
    args = {k: request.args.get(k, "").strip()[:200] for k in ("q", "serial", "project")}
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    filters: dict[str, object] = {"beneficiary": args["q"] or None}
    error = ""
    if args["project"]:
        project = registry.project_by_code(args["project"].upper())
        filters["project_id"] = project.id if project else -1
    if args["serial"]:
        filters["serial"] = args["serial"]
    try:
        rows, total = registry.list_retirements(filters, page, PER_PAGE)
    except Problem as problem:
        rows, total, error = [], 0, problem.detail

    def query(to_page: int) -> str:
        return urlencode({**{k: v for k, v in args.items() if v}, "page": to_page})

    return render_template("registry/retirements.html", rows=[present_retirement(r) for r in rows],
                           total=total, page=page, per_page=PER_PAGE, args=args, error=error,
                           query=query)
