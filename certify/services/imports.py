"""Importing external registry exports (CSV): Verra-style block serials and our own format.

An import is all-or-nothing: every row is validated (errors name the row and the
column), then applied in one transaction — or, for a dry run, applied and rolled back,
so that the report says exactly what would happen. A row already imported (same
external reference, same content) is left unchanged, so re-importing a file is a no-op.

Formats:

- ``verra``: a VCU export with the columns ``Serial Number`` (a block serial such as
  ``9803-153898061-153898160-VCS-VCU-263-VER-BR-14-1115-01012013-31122013-0``),
  ``Name``, ``Project Type``, ``Methodology``, ``Country/Area``, optional ``Quantity Issued``
  and, for credits already retired there, ``Retirement/Cancellation Date`` (YYYY-MM-DD),
  ``Retirement Beneficiary`` and ``Retirement Reason``. Credits go to the holder named
  on import; serials keep Verra's numbers under the prefix ``VCS-VCS{project}-{vintage}``.
- ``scenic``: this registry's export (``flask registry export``), columns ``serial_start``,
  ``serial_end``, ``standard``, ``project_name``, ``methodology``, ``project_type``,
  ``region``, ``holder``, ``retired_at``, ``beneficiary``, ``purpose``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from certify.core.serials import Block, SerialError, SerialPrefix, parse_range, parse_verra
from certify.models.registry import CreditBlock, Issuance, Project, Retirement
from certify.services import registry
from footprint.accounts import organisations
from footprint.accounts.models import User
from footprint.platform.db import begin_exclusive, db
from footprint.platform.problems import invalid

FORMATS = ("verra", "scenic")
VERRA_TYPES = (
    ("improved forest management", "forest_management"),
    ("afforestation", "afforestation"),
    ("reforestation", "reforestation"),
    ("revegetation", "reforestation"),
    ("redd", "forest_management"),
    ("bamboo", "bamboo"),
    ("agriculture forestry", "forest_management"),
)
SCENIC_COLUMNS = (
    "serial_start",
    "serial_end",
    "standard",
    "project_name",
    "methodology",
    "project_type",
    "region",
    "holder",
    "retired_at",
    "beneficiary",
    "purpose",
)
VERRA_COLUMNS = ("Serial Number", "Name", "Project Type", "Methodology", "Country/Area")


class RowError(ValueError):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class ImportRow:
    line: int
    external_ref: str
    prefix: SerialPrefix
    block: Block
    project: dict[str, Any]
    holder: str
    retired: tuple[date, str, str] | None


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    unchanged: int = 0
    retired: int = 0
    credits: int = 0
    dry_run: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int, column: str, message: str) -> None:
        self.errors.append({"row": line, "column": column, "message": message})


def _cell(row: dict[str, str], column: str, required: bool = True) -> str:
    value = (row.get(column) or "").strip()
    if required and not value:
        raise RowError(column, "is empty")
    return value


def _date(text: str, column: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RowError(column, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _retirement(
    row: dict[str, str], date_column: str, who: str, why: str
) -> tuple[date, str, str] | None:
    when = _cell(row, date_column, required=False)
    if not when:
        return None
    return _date(when, date_column), _cell(row, who), _cell(row, why, required=False) or "-"


def _verra(line: int, row: dict[str, str], holder: str) -> ImportRow:
    raw = _cell(row, "Serial Number")
    try:
        verra = parse_verra(raw)
    except SerialError as error:
        raise RowError("Serial Number", str(error)) from error
    quantity = _cell(row, "Quantity Issued", required=False).replace(",", "")
    if quantity and (not quantity.isdigit() or int(quantity) != verra.block.count):
        raise RowError(
            "Quantity Issued",
            f"{quantity} differs from the serial block's {verra.block.count} credits",
        )
    kind = _cell(row, "Project Type").lower()
    project_type = next((t for words, t in VERRA_TYPES if words in kind), "other")
    code = f"VCS{verra.project_id}"[:12]
    return ImportRow(
        line=line,
        external_ref=raw,
        prefix=SerialPrefix("VCS", code, verra.vintage),
        block=verra.block,
        holder=holder,
        project={
            "external_id": f"VCS-{verra.project_id}",
            "code": code,
            "standard": "VCS",
            "name": _cell(row, "Name"),
            "methodology": _cell(row, "Methodology"),
            "project_type": project_type,
            "region": _cell(row, "Country/Area"),
        },
        retired=_retirement(
            row, "Retirement/Cancellation Date", "Retirement Beneficiary", "Retirement Reason"
        ),
    )


def _scenic(line: int, row: dict[str, str], holder: str) -> ImportRow:
    start, end = _cell(row, "serial_start"), _cell(row, "serial_end")
    try:
        prefix, block = parse_range(start, end)
    except SerialError as error:
        raise RowError(error.field or "serial_start", str(error)) from error
    return ImportRow(
        line=line,
        external_ref=f"{start}..{end}",
        prefix=prefix,
        block=block,
        holder=_cell(row, "holder", required=False) or holder,
        project={
            "external_id": f"{prefix.programme}-{prefix.project}",
            "code": prefix.project,
            "standard": _cell(row, "standard"),
            "name": _cell(row, "project_name"),
            "methodology": _cell(row, "methodology"),
            "project_type": _cell(row, "project_type"),
            "region": _cell(row, "region"),
        },
        retired=_retirement(row, "retired_at", "beneficiary", "purpose"),
    )


def _parse_rows(
    lines: Iterable[str], *, fmt: str, holder: str, report: ImportReport
) -> Iterator[ImportRow]:
    """Yield the rows that parse; every problem goes to ``report`` with row and column."""
    reader = csv.DictReader(lines)
    needed = VERRA_COLUMNS if fmt == "verra" else SCENIC_COLUMNS
    missing = [c for c in needed if c not in (reader.fieldnames or [])]
    if missing:
        report.error(1, ", ".join(missing), "missing column(s)")
        return
    parse = _verra if fmt == "verra" else _scenic
    for line, row in enumerate(reader, start=2):
        report.rows += 1
        try:
            yield parse(line, row, holder)
        except RowError as error:
            report.error(line, error.column, str(error))


def _project(spec: dict[str, Any]) -> Project:
    project = db.session.scalar(select(Project).where(Project.external_id == spec["external_id"]))
    if project is None:
        project = registry.project_by_code(spec["code"])
    if project is None:
        fields = {k: v for k, v in spec.items() if k != "standard"}
        project = Project(standard_id=registry.standard(spec["standard"]).id, **fields)
        db.session.add(project)
        db.session.flush()
    return project


def _apply(row: ImportRow, actor: int, report: ImportReport) -> None:
    existing = db.session.scalar(select(Issuance).where(Issuance.external_ref == row.external_ref))
    if existing is not None:
        same = (existing.number_start, existing.number_end, existing.vintage) == (
            row.block.start,
            row.block.end,
            row.prefix.vintage,
        )
        if not same:
            raise RowError("serial", f"conflicts with issuance {existing.id} imported before")
        report.unchanged += 1
        return
    project = _project(row.project)
    overlap = db.session.scalar(
        select(Issuance.id).where(
            Issuance.project_id == project.id,
            Issuance.vintage == row.prefix.vintage,
            Issuance.programme == row.prefix.programme,
            Issuance.number_start <= row.block.end,
            Issuance.number_end >= row.block.start,
        )
    )
    if overlap is not None:
        raise RowError("serial", f"overlaps issuance {overlap}")
    holder = organisations.named_or_created(row.holder)
    issuance = Issuance(
        project_id=project.id,
        vintage=row.prefix.vintage,
        programme=row.prefix.programme,
        number_start=row.block.start,
        number_end=row.block.end,
        quantity=row.block.count,
        external_ref=row.external_ref,
        issued_by_id=actor,
    )
    db.session.add(issuance)
    db.session.flush()
    registry.grant(issuance, block=row.block, holder_id=holder.id, kind="issue", actor=actor)
    db.session.flush()
    report.created += 1
    report.credits += row.block.count
    if row.retired:
        when, beneficiary, purpose = row.retired
        retirement = Retirement(
            issuance_id=issuance.id,
            number_start=row.block.start,
            number_end=row.block.end,
            quantity=row.block.count,
            organisation_id=holder.id,
            beneficiary=beneficiary,
            purpose=purpose,
            retired_by_id=actor,
            retired_at=datetime(when.year, when.month, when.day, tzinfo=UTC),
        )
        db.session.add(retirement)
        db.session.flush()

        def retired(block: CreditBlock) -> None:
            block.status, block.retirement_id = "retired", retirement.id

        registry.carve(issuance.id, target=row.block, holder_id=holder.id, change=retired)
        registry.ledger_event(
            "retire",
            issuance=issuance,
            block=row.block,
            actor=actor,
            from_id=holder.id,
            reference_id=retirement.id,
            detail={"beneficiary": retirement.beneficiary, "purpose": retirement.purpose},
        )
        report.retired += 1


def require_holder(*, fmt: str, holder: str) -> None:
    """A Verra export names no holder: the import must (a 422 on ``holder``)."""
    if fmt == "verra" and not holder:
        raise invalid("holder", "required for Verra exports")


def run(lines: Iterable[str], *, fmt: str, holder: str, user: User, dry_run: bool) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    actor = user.id
    begin_exclusive()
    rows = list(_parse_rows(lines, fmt=fmt, holder=holder, report=report))
    for row in rows:
        try:
            with db.session.begin_nested():
                _apply(row, actor, report)
        except RowError as error:
            report.error(row.line, error.column, str(error))
    if dry_run or report.errors:
        db.session.rollback()
        if report.errors:
            report.created = report.unchanged = report.retired = report.credits = 0
    else:
        db.session.commit()
    return report


def export_rows() -> Iterator[list[str]]:
    """This registry's blocks in the ``scenic`` format (header first)."""
    yield list(SCENIC_COLUMNS)
    blocks = db.session.scalars(
        select(CreditBlock).order_by(CreditBlock.issuance_id, CreditBlock.number_start)
    )
    for block in blocks:
        issuance = block.issuance
        project = issuance.project
        start, end = registry.serials_of(issuance, start=block.number_start, end=block.number_end)
        retirement = (
            db.session.get(Retirement, block.retirement_id) if block.retirement_id else None
        )
        yield [
            start,
            end,
            project.standard.code,
            project.name,
            project.methodology,
            project.project_type,
            project.region,
            block.holder.name,
            retirement.retired_at.date().isoformat() if retirement else "",
            retirement.beneficiary if retirement else "",
            retirement.purpose if retirement else "",
        ]
