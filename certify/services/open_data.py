"""Open data: the programme's public records as a Frictionless Data Package, signed.

The package (`RESOURCES`, one CSV each, UTF-8 with a header row):

- ``documents``: every issued certificate and carbon label, its facts read from its
  signed content (`certify.services.verification.describe` checks it against the
  district's signature, the row and the audit chain; what fails keeps only its number
  and the status ``invalid``) and its status on the day of the release;
- ``retirements``: every retirement of forest-sink credits, with its serial range;
- ``inventories``: the verified inventory behind each certificate, as the certificate
  states it (emissions by scope), with the inventory's activity metrics and published
  intensities;
- ``progress``: the district's figures per year (`certify.services.progress`), as the
  dashboard and the annual report publish them.

**One schema, every use.** Each resource's Table Schema (`Field`) is the single
description of its columns: the descriptor states it, the CSV writes its columns in its
order, and the page `/open-data` explains them from it (the English texts are marked
with `N_` so that the page's catalogue holds their Chinese).

**Numbers** are written once, at this edge, as plain decimal text (never an exponent,
the same from SQLite's text and PostgreSQL's NUMERIC): tonnes to the kilogram,
intensities to 0.1 g as the inventory published them, rounded half up.

**Streaming.** A CSV is written as it is read: the rows come from a server-side cursor
(``yield_per``) `BATCH` at a time and leave as bytes, so memory stays flat however many
records there are (`bench.open_data` measures it). The ``progress`` table is a row per
year, built by `certify.services.progress` in memory.

**Bytes and hashes.** The descriptor states each file's size and SHA-256, so making it
means writing every CSV once, through the same generator that serves it, into
`hashlib` (nothing is kept but the digest): about a second for 100,000 retirements.
That pass is remembered (`release`), keyed by the data's version
(`certify.services.data_version`: one cheap query that moves with any new record or
state change the files could show), together with the public base URL and the
database: a version that did not move means files that did not. Each worker process
keeps its own last release; they agree, since the descriptor is deterministic for a
version.

**The descriptor's bytes** are deterministic for a version (its ``created`` is the time
of the latest record, not of the request), so the detached JWS at
``datapackage.json.jws`` (RFC 7515 appendix F: ``header..signature``, EdDSA, the
district's active key by ``kid``) is over exactly the bytes served as
``datapackage.json`` for the same data. A downloader who fetched the two across a
change sees the signature fail, and fetches them again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from flask import current_app
from sqlalchemy import String, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from certify.core.serials import NUMBER_DIGITS, SerialPrefix
from certify.core.signing import ALG, SigningKey, b64url_encode, canonical_json
from certify.models.applications import Application
from certify.models.documents import Certificate, Label
from certify.models.registry import CreditingStandard, Issuance, Project, Retirement
from certify.services import keys, progress, verification
from certify.services.data_version import Version, version
from footprint.models import Inventory, Venue
from footprint.platform.db import db
from footprint.services.inventories import PER_RIDE_KINDS
from guides.store import load_guide

BATCH = 2000
"""Rows read from the cursor, and written, at a time."""
LAYOUT_VERSION = "1.0.0"
"""The package's layout: bumped when a resource or column changes (semantic versioning);
the build metadata after ``+`` names the data (`Version.label`)."""
NAME = "wulingyuan-scenic-carbon"
PREFIX = "/api/v1/open-data"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
TONNES = Decimal("0.001")
KG = Decimal("0.001")
INTENSITY = Decimal("0.0001")
FRACTION = Decimal("0.0001")


def N_(text: str) -> str:
    """Mark ``text`` for the page's catalogue; the descriptor states it in English."""
    return text


TITLE = N_("Wulingyuan carbon-neutral scenic area programme: public records")
DESCRIPTION = N_(
    "Certificates and carbon labels issued under the district's implementation guide, "
    "forest-sink credits retired, the verified inventories behind the certificates, and "
    "the district's progress year by year."
)


@dataclass(frozen=True)
class Field:
    """A Table Schema field: its name, type (string, integer, number, date, datetime) and
    what it means."""

    name: str
    type: str
    description: str
    required: bool = False

    def schema(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
        }
        if self.required:
            described["constraints"] = {"required": True}
        return described


Rows = Callable[[date], Iterator[Sequence[Sequence[str]]]]
"""A resource's rows on a day, in batches, each row its fields' text in order."""


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Rows
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[dict[str, Any], ...] = ()

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"fields": [f.schema() for f in self.fields]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if self.foreign_keys:
            schema["foreignKeys"] = list(self.foreign_keys)
        return schema


# --- text at the edge ----------------------------------------------------------------


def number(value: Decimal | int | str | None, places: Decimal | None = None) -> str:
    """``value`` as plain decimal text, rounded once, half up, to ``places``; "" if none."""
    if value is None or value == "":
        return ""
    exact = Decimal(value)
    if places is not None:
        exact = exact.quantize(places, rounding=ROUND_HALF_UP)
    if exact.is_zero():
        exact = abs(exact)
    return f"{exact:f}"


def moment(value: datetime) -> str:
    """A UTC timestamp to the second, ISO 8601 (Table Schema's default datetime)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _base() -> str:
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")


# --- documents: certificates and labels ----------------------------------------------

DOCUMENT_FIELDS = (
    Field(
        "number",
        "string",
        N_("The document's number: SC-year-application for a certificate, CL-… for a label."),
        required=True,
    ),
    Field("kind", "string", N_("certificate or label."), required=True),
    Field("subject", "string", N_("What is certified: the scenic area, venue or product.")),
    Field("subject_kind", "string", N_("scenic_area, venue or product.")),
    Field("organisation", "string", N_("The organisation that holds the document.")),
    Field(
        "period_start",
        "date",
        N_("First day of the period covered: the inventory's, or the footprint study's."),
    ),
    Field("period_end", "date", N_("Last day of the period covered.")),
    Field(
        "status",
        "string",
        N_(
            "Status on the day of this release: valid, suspended, revoked or expired; "
            "invalid if the stored record does not match the district's signature."
        ),
        required=True,
    ),
    Field(
        "total_tco2e",
        "number",
        N_("Certificates: the period's emissions (Scope 1, 2 market-based and 3), in tCO2e."),
    ),
    Field(
        "credits_retired_tco2e",
        "integer",
        N_("Certificates: forest-sink credits retired against them (one credit, one tonne)."),
    ),
    Field(
        "net_tco2e",
        "number",
        N_("Certificates: emissions less the credits retired; zero or less is carbon-neutral."),
    ),
    Field(
        "kgco2e_per_unit",
        "number",
        N_("Labels: the product's carbon footprint, in kgCO2e per functional unit."),
    ),
    Field("functional_unit", "string", N_("Labels: the functional unit (in English).")),
    Field("verifier", "string", N_("The accredited third-party verifier that signed off.")),
    Field("issued_on", "date", N_("The day the district issued the document.")),
    Field("valid_until", "date", N_("The last day the document is current.")),
    Field(
        "verification_url",
        "string",
        N_("The page of the document's QR code, where anyone checks it."),
    ),
)


def _checked(
    kind: str, document_id: int, content: dict[str, Any], signature: Any, today: date
) -> dict[str, Any] | None:
    """What the verification API says of the document, unless it is ``invalid`` or this
    very content is not what was signed (the check `describe` made is by signature)."""
    described = verification.describe(kind, document_id=document_id, today=today)
    if described is None or described["status"] == "invalid":
        return None
    signed = signature.get("sha256") if isinstance(signature, dict) else None
    if signed != hashlib.sha256(canonical_json(content)).hexdigest():
        return None
    return described


def ordered(fields: Sequence[Field], values: dict[str, str]) -> tuple[str, ...]:
    """A row's values in its fields' order; a field with no value is empty."""
    return tuple(values.get(f.name, "") for f in fields)


def _document_row(
    kind: str, row: Any, described: dict[str, Any] | None, base: str
) -> tuple[str, ...]:
    if described is None:  # nothing it says is believed but that it exists
        return ordered(DOCUMENT_FIELDS, {"number": row.number, "kind": kind, "status": "invalid"})
    attested = row.content["attestation"]["content"]
    values = {
        "number": described["number"],
        "kind": kind,
        "subject": described["subject"],
        "subject_kind": described["subject_kind"],
        "organisation": described["organisation"],
        "period_start": attested["period"]["start"],
        "period_end": attested["period"]["end"],
        "status": described["status"],
        "verifier": described["verifier"],
        "issued_on": described["issued_on"],
        "valid_until": described["valid_until"],
        "verification_url": f"{base}/v/{row.token}",
    }
    if kind == "certificate":
        total, credits = Decimal(described["total_tco2e"]), described["credits_tco2e"]
        values |= {
            "total_tco2e": number(total, TONNES),
            "credits_retired_tco2e": str(credits),
            "net_tco2e": number(total - credits, TONNES),
        }
    else:
        values |= {
            "kgco2e_per_unit": number(described["kgco2e_per_unit"], KG),
            "functional_unit": described["functional_unit_en"],
        }
    return ordered(DOCUMENT_FIELDS, values)


def _document_rows(today: date) -> Iterator[list[tuple[str, ...]]]:
    base = _base()
    for kind, model in (("certificate", Certificate), ("label", Label)):
        query = (
            select(model.id, model.number, model.content, model.signature, model.token)
            .order_by(model.id)
            .execution_options(yield_per=BATCH)
        )
        for rows in db.session.execute(query).partitions():
            yield [
                _document_row(
                    kind, row, _checked(kind, row.id, row.content, row.signature, today), base
                )
                for row in rows
            ]


# --- retirements ---------------------------------------------------------------------

RETIREMENT_FIELDS = (
    Field(
        "retirement_id", "integer", N_("The retirement's number in the registry."), required=True
    ),
    Field("serial_start", "string", N_("The first serial retired."), required=True),
    Field(
        "serial_end",
        "string",
        N_("The last serial retired (the range is inclusive)."),
        required=True,
    ),
    Field(
        "quantity",
        "integer",
        N_("Credits retired: one credit is one tonne of CO2e."),
        required=True,
    ),
    Field("project_code", "string", N_("The forest-sink project's code (in the serials).")),
    Field("project_name", "string", N_("The forest-sink project's name.")),
    Field("standard", "string", N_("The crediting standard the credits were issued under.")),
    Field("vintage", "integer", N_("The year in which the removals took place.")),
    Field("beneficiary", "string", N_("On whose behalf the credits were retired.")),
    Field("purpose", "string", N_("What the retirement is for, as its holder stated it.")),
    Field("retired_at", "datetime", N_("When the credits were retired (UTC)."), required=True),
)


class UtcIso(FunctionElement[str]):
    """A UTC timestamp column as ISO 8601 text to the second (``2026-03-01T08:00:00Z``),
    written by the database: the export's hottest column costs no Python datetime."""

    type = String()
    inherit_cache = True
    name = "utc_iso"


@compiles(UtcIso, "sqlite")
def _utc_iso_sqlite(element: UtcIso, compiler: Any, **kw: Any) -> str:
    # SQLite keeps UtcDateTime as UTC text: "YYYY-MM-DD HH:MM:SS.ffffff"
    return f"strftime('%Y-%m-%dT%H:%M:%SZ', {compiler.process(element.clauses, **kw)})"


@compiles(UtcIso, "postgresql")
def _utc_iso_postgresql(element: UtcIso, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


@lru_cache(maxsize=1024)
def _prefix(programme: str, project: str, vintage: int) -> str:
    """The serials' shared start, checked once (`SerialPrefix`), with its dash."""
    return f"{SerialPrefix(programme, project, vintage)}-"


def _retirement_rows(today: date) -> Iterator[list[tuple[str, ...]]]:
    query = (
        select(
            Retirement.id,
            Retirement.number_start,
            Retirement.number_end,
            Retirement.quantity,
            Issuance.programme,
            Project.code,
            Project.name,
            CreditingStandard.code.label("standard"),
            Issuance.vintage,
            Retirement.beneficiary,
            Retirement.purpose,
            UtcIso(Retirement.retired_at),
        )
        .join(Issuance, Retirement.issuance_id == Issuance.id)
        .join(Project, Issuance.project_id == Project.id)
        .join(CreditingStandard, Project.standard_id == CreditingStandard.id)
        .order_by(Retirement.id)
    )
    rows = db.session.connection().execute(query.execution_options(yield_per=BATCH))
    for batch in rows.partitions():
        yield [
            (
                str(identifier),
                f"{prefix}{start:0{NUMBER_DIGITS}d}",
                f"{prefix}{end:0{NUMBER_DIGITS}d}",
                str(quantity),
                code,
                name,
                standard,
                str(vintage),
                beneficiary,
                purpose,
                retired_at,
            )
            for (
                identifier,
                start,
                end,
                quantity,
                programme,
                code,
                name,
                standard,
                vintage,
                beneficiary,
                purpose,
                retired_at,
            ) in batch
            for prefix in (_prefix(programme, code, vintage),)
        ]


# --- inventories behind certificates -------------------------------------------------

INVENTORY_FIELDS = (
    Field(
        "certificate_number",
        "string",
        N_("The certificate the inventory is behind."),
        required=True,
    ),
    Field("subject", "string", N_("The scenic area or venue.")),
    Field("venue_kind", "string", N_("scenic_area, hotel, cable_car, elevator, shuttle, …")),
    Field("period_start", "date", N_("First day of the inventory's period.")),
    Field("period_end", "date", N_("Last day of the inventory's period.")),
    Field("dataset", "string", N_("The emission-factor dataset version the figures use.")),
    Field("scope1_tco2e", "number", N_("Scope 1: direct emissions, tCO2e.")),
    Field(
        "scope2_location_tco2e",
        "number",
        N_("Scope 2, location-based: purchased electricity and heat at grid factors, tCO2e."),
    ),
    Field(
        "scope2_market_tco2e",
        "number",
        N_("Scope 2, market-based: less own solar power and green certificates, tCO2e."),
    ),
    Field("scope3_tco2e", "number", N_("Scope 3: the chosen indirect categories, tCO2e.")),
    Field("total_tco2e", "number", N_("Scope 1 + 2 (market-based) + 3, tCO2e.")),
    Field("baseline_tco2e", "number", N_("The management plan's baseline, tCO2e.")),
    Field("reductions_tco2e", "number", N_("The baseline less the total, tCO2e.")),
    Field("visitors", "number", N_("Visitors in the period, as reported.")),
    Field("room_nights", "number", N_("Room-nights sold in the period, as reported.")),
    Field("rides", "number", N_("Rides in the period (cable cars, elevators, shuttles).")),
    Field(
        "kgco2e_per_visit",
        "number",
        N_("Published intensity, market-based, kgCO2e per visit (see visit_unit)."),
    ),
    Field("visit_unit", "string", N_("What a visit is: visitor, or ride for transport venues.")),
    Field(
        "kgco2e_per_room_night",
        "number",
        N_("Published intensity, market-based, kgCO2e per room-night."),
    ),
    Field(
        "relative_uncertainty",
        "number",
        N_("The inventory's combined relative uncertainty, a fraction (0.05 is ±5 per cent)."),
    ),
)


def _inventory_row(row: Any, described: dict[str, Any] | None) -> tuple[str, ...]:
    if described is None:
        return ordered(INVENTORY_FIELDS, {"certificate_number": row.number})
    attested = row.content["attestation"]["content"]
    emissions = attested["emissions_tco2e"]
    per_ride = row.kind in PER_RIDE_KINDS and row.rides is not None
    values = {
        "certificate_number": described["number"],
        "subject": described["subject"],
        "venue_kind": row.kind,
        "period_start": attested["period"]["start"],
        "period_end": attested["period"]["end"],
        "dataset": _text(attested.get("dataset")),
        **{
            f"{scope}_tco2e": number(emissions[scope], TONNES)
            for scope in ("scope1", "scope2_location", "scope2_market", "scope3")
        },
        "total_tco2e": number(emissions["total"], TONNES),
        "baseline_tco2e": number(attested["baseline_tco2e"], TONNES),
        "reductions_tco2e": number(attested["reductions_tco2e"], TONNES),
        "visitors": number(row.visitors),
        "room_nights": number(row.room_nights),
        "rides": number(row.rides),
        "kgco2e_per_room_night": number(row.verified_per_room_night, INTENSITY),
        "relative_uncertainty": number(row.verified_uncertainty, FRACTION),
    }
    if row.verified_per_visit is not None:
        values["kgco2e_per_visit"] = number(row.verified_per_visit, INTENSITY)
        values["visit_unit"] = "ride" if per_ride else "visitor"
    return ordered(INVENTORY_FIELDS, values)


def _inventory_rows(today: date) -> Iterator[list[tuple[str, ...]]]:
    query = (
        select(
            Certificate.id,
            Certificate.number,
            Certificate.content,
            Certificate.signature,
            Venue.kind,
            Inventory.visitors,
            Inventory.room_nights,
            Inventory.rides,
            Inventory.verified_per_visit,
            Inventory.verified_per_room_night,
            Inventory.verified_uncertainty,
        )
        .join(Application, Certificate.application_id == Application.id)
        .join(Inventory, Application.inventory_id == Inventory.id)
        .join(Venue, Inventory.venue_id == Venue.id)
        .order_by(Certificate.id)
        .execution_options(yield_per=BATCH)
    )
    for rows in db.session.execute(query).partitions():
        yield [
            _inventory_row(row, _checked("certificate", row.id, row.content, row.signature, today))
            for row in rows
        ]


# --- progress per year ---------------------------------------------------------------

PROGRESS_FIELDS = (
    Field(
        "year", "integer", N_("The calendar year in which the counted periods end."), required=True
    ),
    Field("inventories_verified", "integer", N_("Inventories verified for the year.")),
    Field(
        "scenic_areas_certified",
        "integer",
        N_("Scenic areas with a certificate for the year that counts (valid, or run its course)."),
    ),
    Field("venues_certified", "integer", N_("Venues with a certificate for the year that counts.")),
    Field("products_labelled", "integer", N_("Products with a carbon label that counts.")),
    Field("certificates_issued", "integer", N_("Certificates issued for the year, any status.")),
    Field("labels_issued", "integer", N_("Carbon labels issued for the year, any status.")),
    Field(
        "gross_location_tco2e",
        "number",
        N_("Emissions of the verified inventories, Scope 2 location-based, tCO2e."),
    ),
    Field(
        "gross_market_tco2e",
        "number",
        N_("Emissions of the verified inventories, Scope 2 market-based, tCO2e."),
    ),
    Field(
        "reductions_tco2e",
        "number",
        N_("Reductions against each subject's first verified period, tCO2e."),
    ),
    Field(
        "credits_retired_tco2e",
        "integer",
        N_("Forest-sink credits retired for the year's counting certificates, tCO2e."),
    ),
    Field("net_tco2e", "number", N_("Market-based emissions less the credits retired, tCO2e.")),
    Field("visitors", "number", N_("Visitors reported by the verified inventories.")),
    Field("room_nights", "number", N_("Room-nights reported by the verified inventories.")),
    Field("per_visitor_kgco2e", "number", N_("Market-based kgCO2e per visitor.")),
    Field("per_room_night_kgco2e", "number", N_("Market-based kgCO2e per room-night.")),
)


def _progress_rows(today: date) -> Iterator[list[tuple[str, ...]]]:
    figures = [progress.published_figures(p) for p in progress.periods(today=today)]
    yield [ordered(PROGRESS_FIELDS, {k: _text(v) for k, v in f.items()}) for f in figures]


# --- the package ---------------------------------------------------------------------

RESOURCES = (
    Resource(
        "documents",
        N_("Certificates and carbon labels"),
        N_(
            "Every certificate of carbon neutrality and product carbon label the district "
            "has issued, with what it states and its status on the day of the release."
        ),
        DOCUMENT_FIELDS,
        _document_rows,
        primary_key=("number",),
    ),
    Resource(
        "retirements",
        N_("Retirements of forest-sink credits"),
        N_("Every retirement in the district's registry: serials, project, beneficiary."),
        RETIREMENT_FIELDS,
        _retirement_rows,
        primary_key=("retirement_id",),
    ),
    Resource(
        "inventories",
        N_("Inventories behind certificates"),
        N_(
            "The verified greenhouse-gas inventory behind each certificate: emissions by "
            "scope as the certificate states them, activity and published intensities."
        ),
        INVENTORY_FIELDS,
        _inventory_rows,
        primary_key=("certificate_number",),
        foreign_keys=(
            {
                "fields": ["certificate_number"],
                "reference": {"resource": "documents", "fields": ["number"]},
            },
        ),
    ),
    Resource(
        "progress",
        N_("Progress per year"),
        N_(
            "The district's figures per year, as the progress dashboard and the annual "
            "report publish them: from verified inventories and issued documents only."
        ),
        PROGRESS_FIELDS,
        _progress_rows,
        primary_key=("year",),
    ),
)
BY_NAME = {resource.name: resource for resource in RESOURCES}


def csv_path(name: str) -> str:
    """Where resource ``name`` is served (an absolute URL under ``PUBLIC_BASE_URL``)."""
    return f"{_base()}{PREFIX}/{name}.csv"


def stream(name: str, *, today: date) -> Iterator[bytes]:
    """The CSV of resource ``name`` as it is now, a batch of rows at a time."""
    found = BY_NAME[name]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([f.name for f in found.fields])
    for batch in found.rows(today):
        writer.writerows(batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    rest = buffer.getvalue()
    if rest:
        yield rest.encode("utf-8")


def measure(chunks: Iterable[bytes]) -> tuple[int, str]:
    """The size and ``sha256:<hex>`` of a stream of bytes, holding none of them."""
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return size, f"sha256:{digest.hexdigest()}"


# --- the version of the data, and the release ---------------------------------------


@dataclass(frozen=True)
class Release:
    """A release of the package: the descriptor's exact bytes, and the descriptor."""

    descriptor: bytes
    package: dict[str, Any]
    version: Version

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.descriptor).hexdigest()


_released: dict[tuple[str, str], tuple[Version, Release]] = {}


def _package(version: Version) -> dict[str, Any]:
    base = _base()
    guide = load_guide()
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "version": f"{LAYOUT_VERSION}+{version.label}",
        "homepage": f"{base}/open-data",
        "licenses": [LICENCE],
        "contributors": [{"title": guide.issuer_en, "role": "publisher"}],
        "sources": [
            {"title": "Public register of certificates and labels", "path": f"{base}/certified"},
            {"title": "Public register of retirements", "path": f"{base}/registry/retirements"},
        ],
        "citation": citation(version, base=base, publisher=guide.issuer_en),
        "signature": {
            "path": f"{base}{PREFIX}/datapackage.json.jws",
            "keys": f"{base}/api/v1/keys",
            "format": "detached JWS (RFC 7515 appendix F), EdDSA, over these exact bytes",
        },
        "keywords": ["carbon neutrality", "forest carbon sink", "scenic area", "Wulingyuan"],
    }
    if version.latest is not None:
        package["created"] = moment(version.latest)
    package["resources"] = []
    for found in RESOURCES:
        size, digest = measure(stream(found.name, today=version.today))
        package["resources"].append(
            {
                "name": found.name,
                "title": found.title,
                "description": found.description,
                "profile": "tabular-data-resource",
                "path": csv_path(found.name),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": size,
                "hash": digest,
                "schema": found.schema(),
            }
        )
    return package


def citation(version: Version, *, base: str, publisher: str) -> str:
    """How to cite this release."""
    year = (version.latest or datetime.now(UTC)).year
    return (
        f"{publisher} ({year}). {TITLE}, version {LAYOUT_VERSION}+{version.label}. "
        f"{base}/open-data. Licensed under CC BY 4.0."
    )


def release(*, today: date | None = None) -> Release:
    """The package as the data stands: remembered while its `version` does not move.

    Made anew if the version moved while the files were read (PostgreSQL reads each
    query at its own moment), so that a release is never remembered under a version
    its files are not of."""
    today = today or date.today()
    key = (_base(), str(db.engine.url))
    for _ in range(3):
        now = version(today=today)
        cached = _released.get(key)
        if cached is not None and cached[0] == now:
            return cached[1]
        package = _package(now)
        descriptor = (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        made = Release(descriptor, package, now)
        if version(today=today) == now:
            _released[key] = (now, made)
            break
    return made


def detached_jws(payload: bytes, key: SigningKey) -> str:
    """RFC 7515 appendix F: the compact JWS of ``payload`` with its payload left out
    (``header..signature``); verify by putting ``BASE64URL(payload)`` back between the dots."""
    header = b64url_encode(canonical_json({"alg": ALG, "kid": key.kid}))
    signature = key.private_key.sign(f"{header}.{b64url_encode(payload)}".encode("ascii"))
    return f"{header}..{b64url_encode(signature)}"


def signature(made: Release) -> str:
    """The district's detached JWS over the release's descriptor bytes."""
    return detached_jws(made.descriptor, keys.store().active())
