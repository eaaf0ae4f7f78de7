"""Registry records as the API and the register page show them: serial strings, names."""

from __future__ import annotations

from typing import Any

from certify.models.registry import CreditBlock, Issuance, Project, Retirement, Transfer
from certify.services.registry import serials_of


def project_ref(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "code": project.code,
        "name": project.name,
        "standard": project.standard.code,
        "project_type": project.project_type,
        "region": project.region,
    }


def present_project(project: Project) -> dict[str, Any]:
    columns = (
        "id",
        "code",
        "name",
        "methodology",
        "project_type",
        "region",
        "area_ha",
        "crediting_start",
        "crediting_end",
        "documents",
        "external_id",
        "created_at",
    )
    return {**{c: getattr(project, c) for c in columns}, "standard": project.standard.code}


def present_issuance(issuance: Issuance) -> dict[str, Any]:
    holder_end = issuance.number_end - issuance.buffer_quantity
    start, end = serials_of(issuance, start=issuance.number_start, end=holder_end)
    buffer = (
        serials_of(issuance, start=holder_end + 1, end=issuance.number_end)
        if issuance.buffer_quantity
        else (None, None)
    )
    return {
        "id": issuance.id,
        "project_id": issuance.project_id,
        "project_code": issuance.project.code,
        "vintage": issuance.vintage,
        "quantity": issuance.quantity,
        "holder_quantity": issuance.quantity - issuance.buffer_quantity,
        "serial_start": start,
        "serial_end": end,
        "buffer_quantity": issuance.buffer_quantity,
        "buffer_serial_start": buffer[0],
        "buffer_serial_end": buffer[1],
        "issued_at": issuance.issued_at,
    }


def present_retirement(retirement: Retirement) -> dict[str, Any]:
    issuance = retirement.issuance
    start, end = serials_of(issuance, start=retirement.number_start, end=retirement.number_end)
    return {
        "id": retirement.id,
        "quantity": retirement.quantity,
        "serial_start": start,
        "serial_end": end,
        "beneficiary": retirement.beneficiary,
        "purpose": retirement.purpose,
        "retired_at": retirement.retired_at,
        "organisation": retirement.organisation.name,
        "issuance_id": issuance.id,
        "vintage": issuance.vintage,
        "project": project_ref(issuance.project),
    }


def present_transfer(transfer: Transfer, names: dict[int, str]) -> dict[str, Any]:
    start, end = serials_of(transfer.issuance, start=transfer.number_start, end=transfer.number_end)
    return {
        "id": transfer.id,
        "quantity": transfer.quantity,
        "serial_start": start,
        "serial_end": end,
        "from_org": names[transfer.from_id],
        "to_org": names[transfer.to_id],
        "transferred_at": transfer.transferred_at,
    }


def present_holding(block: CreditBlock) -> dict[str, Any]:
    start, end = serials_of(block.issuance, start=block.number_start, end=block.number_end)
    return {
        "issuance_id": block.issuance_id,
        "project": project_ref(block.issuance.project),
        "vintage": block.issuance.vintage,
        "serial_start": start,
        "serial_end": end,
        "quantity": block.number_end - block.number_start + 1,
    }
