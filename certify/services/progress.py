"""The district's carbon-neutral progress, period by period (plan §九: 定期评估和公布碳中和进展).

**Only verified figures count.** Emissions come from *verified* inventories (a draft or
submitted inventory never counts), recomputed exactly from the published factor dataset
each names; certified subjects, credits retired and the list of documents come from
*issued* certificates and labels, read from their signed content after the district's
signature over it is checked (`certify.services.verification.describe`).

**A period** is a calendar year: an inventory or a document belongs to the year in which
its period ends (periods are calendar years in practice).

For each year (`PeriodProgress`, built by the pure `tally`):

- ``gross_*``: Scope 1 + 2 + 3 of the year's verified inventories, with Scope 2
  location-based and market-based (GHG Protocol dual reporting);
- ``reductions_tco2e``: for each subject (scenic area or venue) with a verified inventory
  in the year, its market-based total in its *first* verified period less this year's,
  summed (zero in a subject's first period; negative if emissions rose);
- ``credits_retired_tco2e``: forest-sink credits (one tonne each) retired for the year's
  certificates that count, each inventory's once;
- ``net_tco2e``: the market-based gross less the credits retired;
- intensities: the market-based total of the inventories that report visitors (or
  room-nights) over those visitors (room-nights), in kgCO2e;
- certified scenic areas, venues and products: distinct subjects with a document of the
  year that *counts*: one that is valid now, or that expired after running its course.
  A suspended, revoked or invalid document does not count (its inventory's emissions,
  being verified, still do).

Everything is exact ``Decimal``; nothing is rounded here but in `report_content`, the
signed annual disclosure (figures to the kilogram, intensities to the gram), and the
pages and PDF round the same way at their edge.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select

from certify.core import chain
from certify.core.signing import canonical_json, fingerprint, sign_detached
from certify.models.documents import Certificate, IssuedDocument, Label
from certify.services import keys, verification
from footprint.core.quantities import CONTEXT
from footprint.models import Inventory
from footprint.platform.db import db
from footprint.platform.problems import Problem
from footprint.services import datasets, inventories
from guides.store import load_guide

ZERO = Decimal(0)
TONNES_PLACES = Decimal("0.001")
"""tCO2e are published to the kilogram."""
INTENSITY_PLACES = Decimal("0.001")
"""kgCO2e per visitor or room-night are published to the gram."""
COUNTING = frozenset({"valid", "expired"})
"""The statuses of a document that counts toward progress."""
REPORT_TYPE = "scenic-carbon/progress-report"
REPORT_VERSION = 1
BASIS = (
    "Figures come only from verified inventories and issued certificates and labels. "
    "仅采用经核证的排放清单和已颁发的证书与标签中的数据。"
)


@dataclass(frozen=True)
class PeriodProgress:
    """One year's progress. Quantities are exact; tCO2e unless the name says kgCO2e.

    - ``year``: the calendar year in which the counted periods end.
    - ``inventories_verified``: verified inventories of the year.
    - ``scenic_areas_certified``, ``venues_certified``: distinct scenic areas and venues
      with a certificate of the year that counts (valid, or expired after its course).
    - ``products_labelled``: distinct products with a carbon label of the year that counts.
    - ``certificates_issued``, ``labels_issued``: every document issued for the year,
      whatever its status now (suspended, revoked and invalid ones included).
    - ``gross_location_tco2e``, ``gross_market_tco2e``: Scope 1 + 2 + 3 of the verified
      inventories, Scope 2 location-based and market-based.
    - ``reductions_tco2e``: against each subject's first verified period, market-based.
    - ``credits_retired_tco2e``: whole credits (tonnes) retired for counting certificates.
    - ``net_tco2e``: ``gross_market_tco2e`` less ``credits_retired_tco2e``.
    - ``visitors``, ``room_nights``: summed over the verified inventories that report them.
    - ``per_visitor_kgco2e``, ``per_room_night_kgco2e``: market-based kgCO2e over them;
      None when no inventory of the year reports any.
    """

    year: int
    inventories_verified: int
    scenic_areas_certified: int
    venues_certified: int
    products_labelled: int
    certificates_issued: int
    labels_issued: int
    gross_location_tco2e: Decimal
    gross_market_tco2e: Decimal
    reductions_tco2e: Decimal
    credits_retired_tco2e: int
    net_tco2e: Decimal
    visitors: Decimal
    room_nights: Decimal
    per_visitor_kgco2e: Decimal | None
    per_room_night_kgco2e: Decimal | None


@dataclass(frozen=True)
class InventoryFigures:
    """What `tally` needs of one verified inventory (kgCO2e, exact)."""

    inventory_id: int
    venue_id: int
    period_start: date
    period_end: date
    dataset: str
    location_kg: Decimal
    market_kg: Decimal
    visitors: Decimal | None
    room_nights: Decimal | None

    @property
    def year(self) -> int:
        return self.period_end.year


@dataclass(frozen=True)
class DocumentLine:
    """One issued certificate or label as the public register shows it, from its checked
    signed content. An ``invalid`` document (its content does not match the district's
    signature, or its row disagrees with it) keeps only its number and status."""

    kind: str
    """certificate | label"""
    id: int
    number: str
    status: str
    """valid | suspended | revoked | expired | invalid"""
    year: int
    subject: str = ""
    subject_en: str = ""
    subject_kind: str = ""
    """scenic_area | venue | product"""
    subject_id: int | None = None
    """the venue's id (certificates) or the product's (labels)"""
    inventory_id: int | None = None
    organisation: str = ""
    period_start: date | None = None
    period_end: date | None = None
    total_tco2e: Decimal | None = None
    credits_tco2e: int | None = None
    kgco2e_per_unit: Decimal | None = None
    functional_unit_zh: str = ""
    functional_unit_en: str = ""
    valid_until: date | None = None
    reason: str | None = None
    guide_version: int | None = None
    dataset: str = ""

    @property
    def counts(self) -> bool:
        return self.status in COUNTING


# --- the pure part -------------------------------------------------------------------


def _tonnes(kg: Decimal) -> Decimal:
    return kg.scaleb(-3)  # exact: a shift of the exponent


def _per(kg: Decimal, amount: Decimal) -> Decimal | None:
    return CONTEXT.divide(kg, amount) if amount > 0 else None


def tally(
    *, inventories: Sequence[InventoryFigures], documents: Sequence[DocumentLine]
) -> list[PeriodProgress]:
    """Each year's progress, oldest first: every year with a verified inventory or an
    issued document."""
    first: dict[int, InventoryFigures] = {}
    for figures in sorted(inventories, key=lambda f: (f.period_start, f.period_end)):
        first.setdefault(figures.venue_id, figures)
    years = sorted({f.year for f in inventories} | {d.year for d in documents})
    return [_year(year, inventories, documents, first) for year in years]


def _year(
    year: int,
    inventories: Sequence[InventoryFigures],
    documents: Sequence[DocumentLine],
    first: dict[int, InventoryFigures],
) -> PeriodProgress:
    verified = [f for f in inventories if f.year == year]
    ours = [d for d in documents if d.year == year]
    counted = [d for d in ours if d.counts]
    certificates = [d for d in counted if d.kind == "certificate"]
    credits: dict[int | str, int] = {}
    for document in certificates:  # one inventory's credits once, however many documents
        credits.setdefault(document.inventory_id or document.number, document.credits_tco2e or 0)
    market = sum((f.market_kg for f in verified), ZERO)
    visited = [f for f in verified if f.visitors]
    lodged = [f for f in verified if f.room_nights]
    visitors = sum((f.visitors for f in visited if f.visitors), ZERO)
    room_nights = sum((f.room_nights for f in lodged if f.room_nights), ZERO)
    gross_market = _tonnes(market)
    credits_retired = sum(credits.values())
    return PeriodProgress(
        year=year,
        inventories_verified=len(verified),
        scenic_areas_certified=len(
            {d.subject_id for d in certificates if d.subject_kind == "scenic_area"}
        ),
        venues_certified=len({d.subject_id for d in certificates if d.subject_kind == "venue"}),
        products_labelled=len({d.subject_id for d in counted if d.kind == "label"}),
        certificates_issued=sum(1 for d in ours if d.kind == "certificate"),
        labels_issued=sum(1 for d in ours if d.kind == "label"),
        gross_location_tco2e=_tonnes(sum((f.location_kg for f in verified), ZERO)),
        gross_market_tco2e=gross_market,
        reductions_tco2e=_tonnes(
            sum((first[f.venue_id].market_kg - f.market_kg for f in verified), ZERO)
        ),
        credits_retired_tco2e=credits_retired,
        net_tco2e=gross_market - credits_retired,
        visitors=visitors,
        room_nights=room_nights,
        per_visitor_kgco2e=_per(sum((f.market_kg for f in visited), ZERO), visitors),
        per_room_night_kgco2e=_per(sum((f.market_kg for f in lodged), ZERO), room_nights),
    )


# --- gathering the verified figures ---------------------------------------------------


def verified_inventories() -> list[InventoryFigures]:
    """Every verified inventory's exact totals (recomputed from its published dataset)."""
    rows = db.session.scalars(
        select(Inventory).where(Inventory.status == "verified").order_by(Inventory.id)
    ).all()
    figures = []
    for inventory in rows:
        result = inventories.compute(inventory)
        figures.append(
            InventoryFigures(
                inventory_id=inventory.id,
                venue_id=inventory.venue_id,
                period_start=inventory.period_start,
                period_end=inventory.period_end,
                dataset=result.dataset,
                location_kg=result.total_location,
                market_kg=result.total_market,
                visitors=inventory.visitors,
                room_nights=inventory.room_nights,
            )
        )
    return figures


def _line(kind: str, document: IssuedDocument, today: date) -> DocumentLine:
    described = verification.describe(kind, document_id=document.id, today=today) or {}
    status = described.get("status", "invalid")
    if status == "invalid":  # nothing it says is believed: its year is its application's
        return DocumentLine(
            kind=kind,
            id=document.id,
            number=document.number,
            status=status,
            year=document.application.period[1].year,
            reason=described.get("reason"),
        )
    attested = document.content["attestation"]["content"]
    period_end = date.fromisoformat(attested["period"]["end"])
    common = {
        "kind": kind,
        "id": document.id,
        "number": described["number"],
        "status": status,
        "year": period_end.year,
        "subject": described["subject"],
        "organisation": described["organisation"],
        "period_start": date.fromisoformat(attested["period"]["start"]),
        "period_end": period_end,
        "valid_until": date.fromisoformat(described["valid_until"]),
        "reason": described.get("reason"),
        "guide_version": attested["guide"]["version"],
        "dataset": attested["dataset"],
    }
    if kind == "label":
        return DocumentLine(
            **common,
            subject_en=described["subject_en"],
            subject_kind="product",
            subject_id=attested["subject"]["product_id"],
            kgco2e_per_unit=Decimal(described["kgco2e_per_unit"]),
            functional_unit_zh=described["functional_unit_zh"],
            functional_unit_en=described["functional_unit_en"],
        )
    return DocumentLine(
        **common,
        subject_en=described["subject"],
        subject_kind=described["subject_kind"],
        subject_id=attested["subject"]["venue_id"],
        inventory_id=document.application.inventory_id,
        total_tco2e=Decimal(described["total_tco2e"]),
        credits_tco2e=int(described["credits_tco2e"]),
    )


def issued_documents(*, today: date | None = None) -> list[DocumentLine]:
    """Every issued certificate and label, by kind and number, with its status on
    ``today`` (default: today)."""
    today = today or date.today()
    lines = []
    for kind, model in (("certificate", Certificate), ("label", Label)):
        rows = db.session.scalars(select(model).order_by(model.number)).all()
        lines.extend(_line(kind, row, today) for row in rows)
    return lines


def periods(*, today: date | None = None) -> list[PeriodProgress]:
    """Each year's progress, oldest first (see the module docstring); the statuses of
    documents are taken on ``today`` (default: today). Empty when nothing is verified
    and nothing issued yet."""
    return tally(inventories=verified_inventories(), documents=issued_documents(today=today))


@dataclass(frozen=True)
class Progress:
    """The periods, and the documents and inventories behind them: what a year's report
    draws on."""

    periods: list[PeriodProgress]
    documents: list[DocumentLine]
    inventories: list[InventoryFigures]

    def period(self, year: int) -> PeriodProgress | None:
        return next((p for p in self.periods if p.year == year), None)


def progress(*, today: date | None = None) -> Progress:
    """`periods`, with the documents (statuses on ``today``) and inventories behind them."""
    figures = verified_inventories()
    documents = issued_documents(today=today)
    return Progress(tally(inventories=figures, documents=documents), documents, figures)


# --- the annual disclosure: signed content --------------------------------------------


def rounded(value: Decimal | None, places: Decimal = TONNES_PLACES) -> str | None:
    """A figure as it is published: rounded once, half up, as plain decimal text."""
    if value is None:
        return None
    return f"{value.quantize(places, rounding=ROUND_HALF_UP):f}"


PUBLISHED_PLACES = {
    "visitors": Decimal(1),
    "room_nights": Decimal(1),
    "per_visitor_kgco2e": INTENSITY_PLACES,
    "per_room_night_kgco2e": INTENSITY_PLACES,
}
"""How a figure is rounded where it is not tCO2e (`TONNES_PLACES`)."""


def published_figures(period: PeriodProgress) -> dict[str, Any]:
    """One period's figures as the report publishes them, by `PeriodProgress`'s field
    names in its order: counts as they are, quantities rounded once as decimal text."""
    return {
        field.name: (
            rounded(value, PUBLISHED_PLACES.get(field.name, TONNES_PLACES))
            if isinstance(value := getattr(period, field.name), Decimal) or value is None
            else value
        )
        for field in fields(period)
    }


def _document_entry(line: DocumentLine) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "kind": line.kind,
        "number": line.number,
        "status": line.status,
    }
    if line.status == "invalid":
        return entry
    entry |= {
        "subject": line.subject,
        "subject_kind": line.subject_kind,
        "organisation": line.organisation,
        "period_start": line.period_start,
        "period_end": line.period_end,
        "valid_until": line.valid_until,
        "reason": line.reason,
    }
    if line.kind == "certificate":
        entry |= {
            "total_tco2e": rounded(line.total_tco2e),
            "credits_tco2e": line.credits_tco2e,
            "net_tco2e": rounded((line.total_tco2e or ZERO) - (line.credits_tco2e or 0)),
        }
    else:
        entry |= {
            "subject_en": line.subject_en,
            "kgco2e_per_unit": rounded(line.kgco2e_per_unit),
            "functional_unit_zh": line.functional_unit_zh,
            "functional_unit_en": line.functional_unit_en,
        }
    return entry


def method(year: int, state: Progress) -> dict[str, Any]:
    """The guide versions and factor datasets behind the year's figures."""
    documents = [d for d in state.documents if d.year == year and d.guide_version]
    guide_versions = sorted({d.guide_version for d in documents if d.guide_version}) or [
        load_guide().version
    ]
    codes = sorted(
        {f.dataset for f in state.inventories if f.year == year}
        | {d.dataset for d in documents if d.dataset}
    )
    guides = [load_guide(version) for version in guide_versions]
    return {
        "guides": [
            {
                "version": guide.version,
                "title_zh": guide.title_zh,
                "title_en": guide.title_en,
                "checksum": guide.checksum,
            }
            for guide in guides
        ],
        "datasets": [
            {"code": code, "title_zh": found.title_zh, "title_en": found.title_en}
            for code, found in ((code, datasets.published(code)) for code in codes)
        ],
        "accounting": "GHG Protocol / ISO 14064-1; Scope 2 location- and market-based; "
        "net = market-based gross less credits retired; reductions against each "
        "subject's first verified period",
    }


def disclosure(
    *,
    year: int,
    state: Progress,
    as_of: date,
    issuer: Mapping[str, str],
    method: Mapping[str, Any],
) -> dict[str, Any]:
    """The annual disclosure of ``year`` as the plain JSON that is signed (pure): the
    year's figures, the series of every year up to it, the year's certificates and
    labels with their status on ``as_of``, and the ``method``."""
    period = state.period(year)
    if period is None:
        raise ValueError(f"no progress for {year}")
    return chain.plain(
        {
            "type": REPORT_TYPE,
            "version": REPORT_VERSION,
            "issuer": dict(issuer),
            "year": year,
            "as_of": as_of,
            "basis": BASIS,
            "figures": published_figures(period),
            "series": [published_figures(p) for p in state.periods if p.year <= year],
            "documents": [_document_entry(line) for line in state.documents if line.year == year],
            "method": dict(method),
        }
    )


def report_content(year: int, *, today: date | None = None) -> dict[str, Any]:
    """`disclosure` of ``year`` from the data, statuses on ``today`` (default: today), by
    the current guide's issuer; a 404 when the year has no data."""
    today = today or date.today()
    state = progress(today=today)
    if state.period(year) is None:
        raise Problem(404, f"no verified inventory or issued document for {year}")
    guide = load_guide()
    return disclosure(
        year=year,
        state=state,
        as_of=today,
        issuer={"zh": guide.issuer_zh, "en": guide.issuer_en},
        method=method(year, state),
    )


def signed_report(year: int, *, today: date | None = None) -> dict[str, Any]:
    """``{"content", "signature", "fingerprint"}``: the disclosure, the district's detached
    Ed25519 signature over its canonical JSON (kid, sha256, signature), and the key's
    fingerprint. Deterministic: the same data on the same day signs to the same bytes."""
    content = report_content(year, today=today)
    key = keys.store().active()
    return {
        "content": content,
        "signature": sign_detached(content, key),
        "fingerprint": fingerprint(key),
    }


def content_sha256(content: dict[str, Any]) -> str:
    """The hex SHA-256 of the content's canonical JSON: what the report prints, and the
    ``sha256`` of its signature record."""
    return hashlib.sha256(canonical_json(content)).hexdigest()
