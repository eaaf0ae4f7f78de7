"""`/api/v1/registry`: projects, issuances, retirements, transfers, holdings, serial
look-up, imports and the ledger."""

from __future__ import annotations

import io
from typing import Any

from flask import request

from certify.models.registry import LedgerEvent
from certify.services import imports, registry
from certify.services.registry import serials_of
from certify.web.registry.present import (
    present_holding,
    present_issuance,
    present_project,
    present_retirement,
    present_transfer,
    project_ref,
)
from certify.web.registry.schemas import (
    HoldingArgs,
    HoldingSchema,
    ImportArgs,
    ImportReportSchema,
    IssuanceArgs,
    IssuanceInSchema,
    IssuanceSchema,
    LedgerEventSchema,
    ProjectArgs,
    ProjectSchema,
    RetirementArgs,
    RetirementInSchema,
    RetirementSchema,
    SerialSchema,
    StandardSchema,
    TransferInSchema,
    TransferSchema,
)
from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import Role
from footprint.platform.api_blueprint import Blueprint
from footprint.platform.openapi import refuses
from footprint.platform.pagination import PageArgs, envelope, page_schema
from footprint.platform.problems import Problem, invalid

blp = Blueprint(
    "registry", __name__, url_prefix="/api/v1/registry", description="Forest-sink credit registry."
)


@blp.get("/standards")
@blp.response(200, StandardSchema(many=True))
def standards() -> list[Any]:
    """The crediting standards the registry knows."""
    return registry.known_standards()


@blp.post("/projects")
@secured(Role.ADMIN)
@blp.arguments(ProjectSchema())
@blp.response(201, ProjectSchema)
def create_project(body: dict[str, Any]) -> dict[str, Any]:
    """Register a forest-sink project (admin)."""
    return present_project(registry.create_project(current_user(), data=body))


@blp.get("/projects")
@blp.arguments(ProjectArgs(), location="query")
@blp.response(200, page_schema(ProjectSchema, "ProjectPage"))
def list_projects(args: dict[str, Any]) -> dict[str, Any]:
    rows, total = registry.list_projects(args, page=args["page"], per_page=args["per_page"])
    return envelope([present_project(p) for p in rows], total, args)


@blp.get("/projects/<int:project_id>")
@blp.response(200, ProjectSchema)
def get_project(project_id: int) -> dict[str, Any]:
    return present_project(registry.get_project(project_id))


@blp.post("/issuances")
@secured(Role.ADMIN)
@refuses(404, 409)
@blp.arguments(IssuanceInSchema())
@blp.response(201, IssuanceSchema)
def issue(body: dict[str, Any]) -> dict[str, Any]:
    """Issue a vintage's credits as one serial block (admin); the buffer share is withheld."""
    user = current_user()
    return present_issuance(
        registry.issue(
            user,
            project_id=body["project_id"],
            vintage=body["vintage"],
            quantity=body["quantity"],
            holder=body["holder_org"],
        )
    )


@blp.get("/issuances")
@blp.arguments(IssuanceArgs(), location="query")
@blp.response(200, page_schema(IssuanceSchema, "IssuancePage"))
def list_issuances(args: dict[str, Any]) -> dict[str, Any]:
    rows, total = registry.list_issuances(args, page=args["page"], per_page=args["per_page"])
    return envelope([present_issuance(i) for i in rows], total, args)


@blp.get("/issuances/<int:issuance_id>")
@blp.response(200, IssuanceSchema)
def get_issuance(issuance_id: int) -> dict[str, Any]:
    return present_issuance(registry.get_issuance(issuance_id))


@blp.post("/retirements")
@secured(Role.OPERATOR, Role.ADMIN)
@refuses(404, 409)
@blp.arguments(RetirementInSchema())
@blp.response(201, RetirementSchema)
def retire(body: dict[str, Any]) -> dict[str, Any]:
    """Retire (cancel) a serial range you hold, for a beneficiary — once, ever."""
    user = current_user()
    return present_retirement(
        registry.retire(
            user,
            serial_start=body["serial_start"],
            serial_end=body["serial_end"],
            beneficiary=body["beneficiary"],
            purpose=body["purpose"],
        )
    )


@blp.get("/retirements")
@blp.arguments(RetirementArgs(), location="query")
@blp.response(200, page_schema(RetirementSchema, "RetirementPage"))
def list_retirements(args: dict[str, Any]) -> dict[str, Any]:
    """Public: retirements, by beneficiary, project or a serial they contain."""
    rows, total = registry.list_retirements(args, page=args["page"], per_page=args["per_page"])
    return envelope([present_retirement(r) for r in rows], total, args)


@blp.get("/retirements/<int:retirement_id>")
@blp.response(200, RetirementSchema)
def get_retirement(retirement_id: int) -> dict[str, Any]:
    return present_retirement(registry.get_retirement(retirement_id))


@blp.post("/transfers")
@secured(Role.OPERATOR, Role.ADMIN)
@refuses(404, 409)
@blp.arguments(TransferInSchema())
@blp.response(201, TransferSchema)
def transfer(body: dict[str, Any]) -> dict[str, Any]:
    """Transfer a serial range you hold to another organisation."""
    user = current_user()
    record = registry.transfer(
        user,
        serial_start=body["serial_start"],
        serial_end=body["serial_end"],
        to=body["to_org"].strip(),
    )
    return present_transfer(record, registry.organisation_names(record.from_id, record.to_id))


@blp.get("/transfers")
@secured()
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(TransferSchema, "TransferPage"))
def list_transfers(args: dict[str, Any]) -> dict[str, Any]:
    """Transfers from or to your organisation (admins: all)."""
    user = current_user()
    scope = None if user.role == Role.ADMIN else user.organisation_id
    rows, total = registry.list_transfers(scope, page=args["page"], per_page=args["per_page"])
    names = registry.organisation_names(*{o for t in rows for o in (t.from_id, t.to_id)})
    return envelope([present_transfer(t, names) for t in rows], total, args)


@blp.get("/holdings")
@secured()
@blp.arguments(HoldingArgs(), location="query")
@blp.response(200, page_schema(HoldingSchema, "HoldingPage"))
def holdings(args: dict[str, Any]) -> dict[str, Any]:
    """Active serial blocks your organisation holds (admins: any organisation's)."""
    user = current_user()
    organisation = args.get("organisation_id") if user.role == Role.ADMIN else None
    rows, total = registry.holdings(
        organisation or user.organisation_id, page=args["page"], per_page=args["per_page"]
    )
    return envelope([present_holding(b) for b in rows], total, args)


@blp.get("/serials/<string:serial>")
@refuses(422)
@blp.response(200, SerialSchema)
def serial(serial: str) -> dict[str, Any]:
    """Public: a serial's project, vintage, holder and status."""
    issuance, number, block = registry.lookup(serial)
    start, end = serials_of(issuance, start=block.number_start, end=block.number_end)
    retirement = registry.get_retirement(block.retirement_id) if block.retirement_id else None
    return {
        "serial": serials_of(issuance, start=number, end=number)[0],
        "status": block.status,
        "project": project_ref(issuance.project),
        "vintage": issuance.vintage,
        "issuance_id": issuance.id,
        "holder": block.holder.name,
        "block_serial_start": start,
        "block_serial_end": end,
        "retirement": present_retirement(retirement) if retirement else None,
    }


@blp.post("/imports")
@secured(Role.ADMIN)
@blp.arguments(ImportArgs(), location="query")
@blp.response(200, ImportReportSchema)
@blp.doc(requestBody={"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}})
def import_export(args: dict[str, Any]) -> imports.ImportReport:
    """Import a registry export (CSV body, admin): all-or-nothing, idempotent, dry-runnable.

    Larger files than the request limit go through `flask registry import`.
    """
    user = current_user()
    if args["format"] == "verra" and not args["holder"]:
        raise invalid("holder", "required for Verra exports")
    report = imports.run(
        io.StringIO(request.get_data(as_text=True)),
        fmt=args["format"],
        holder=args["holder"],
        user=user,
        dry_run=args["dry_run"],
    )
    if not report.ok:
        raise Problem(
            422,
            f"{len(report.errors)} rows were refused; nothing was imported.",
            errors={f"row {e['row']}: {e['column']}": [e["message"]] for e in report.errors},
        )
    return report


@blp.get("/ledger")
@secured(Role.ADMIN)
@blp.arguments(PageArgs(), location="query")
@blp.response(200, page_schema(LedgerEventSchema, "LedgerPage"))
def ledger(args: dict[str, Any]) -> dict[str, Any]:
    """The append-only ledger of every registry change (admin)."""
    rows: list[LedgerEvent]
    rows, total = registry.ledger(page=args["page"], per_page=args["per_page"])
    return envelope(rows, total, args)
