"""Loading, publishing and reading emission-factor dataset versions.

A published dataset is immutable, so its parsed form is cached per process for the
hot path; which dataset is the default (the newest published) is re-read every few
seconds so that a new publication reaches every worker.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from footprint.core.datasets import Dataset, Factor, Source, dataset_from_factors, parse_dataset
from footprint.models import FactorDataset, FactorRecord
from footprint.service.db import db, paginate, utcnow
from footprint.service.problems import Problem, invalid

BUNDLED = Path(__file__).resolve().parents[1] / "datasets"
DEFAULT_TTL_SECONDS = 5.0

_parsed: dict[tuple[str, str], Dataset] = {}
_default: dict[str, tuple[float, str]] = {}


def bundled_documents() -> list[Path]:
    return sorted(BUNDLED.glob("*.toml"))


def load(document: bytes, *, publish: bool) -> tuple[FactorDataset, str]:
    """Store a dataset version as a draft (replacing an earlier draft), optionally publishing.

    Returns the record and what happened: "created", "replaced", "unchanged" or "published".
    """
    parsed = parse_dataset(document)
    record = db.session.scalar(select(FactorDataset).where(FactorDataset.code == parsed.code))
    if record is not None and record.published:
        if record.checksum != parsed.checksum:
            raise Problem(409, f"dataset {parsed.code} is published and cannot change: "
                               "publish a new version under a new code")
        return record, "unchanged"
    outcome = "replaced" if record else "created"
    if record is None:
        record = FactorDataset(code=parsed.code)
        db.session.add(record)
    record.title_en, record.title_zh = parsed.title_en, parsed.title_zh
    record.region, record.checksum = parsed.region, parsed.checksum
    record.description_en, record.description_zh = parsed.description_en, parsed.description_zh
    record.document = document.decode("utf-8")
    record.factors = [_record(f) for f in parsed.factors.values()]
    if publish:
        record.published_at = utcnow()
        outcome = "published" if outcome == "created" else outcome + " and published"
    db.session.commit()
    return record, outcome


def publish(code: str) -> FactorDataset:
    record = get_record(code)
    if not record.published:
        record.published_at = utcnow()
        db.session.commit()
    return record


def _record(factor: Factor) -> FactorRecord:
    return FactorRecord(
        factor_id=factor.id, group=factor.group, key=factor.key, value=factor.value,
        unit=factor.unit, region=factor.region, year=factor.year,
        uncertainty=factor.uncertainty, status=factor.status, label_en=factor.label_en,
        label_zh=factor.label_zh, note=factor.note, derivation=factor.derivation,
        source_id=factor.source.id, source_citation=factor.source.citation,
        source_url=factor.source.url,
    )


def _factor(record: FactorRecord) -> Factor:
    return Factor(
        id=record.factor_id, group=record.group, key=record.key, value=record.value,
        unit=record.unit, region=record.region, year=record.year,
        source=Source(record.source_id, record.source_citation, record.source_url),
        uncertainty=record.uncertainty, status=record.status, label_en=record.label_en,
        label_zh=record.label_zh, note=record.note, derivation=record.derivation,
    )


def default_code() -> str:
    """The newest published dataset, re-read at most every few seconds."""
    url = str(db.engine.url)
    cached = _default.get(url)
    now = time.monotonic()
    if cached and cached[0] > now:
        return cached[1]
    code = db.session.scalar(
        select(FactorDataset.code).where(FactorDataset.published_at.is_not(None))
        .order_by(FactorDataset.published_at.desc(), FactorDataset.id.desc()).limit(1))
    if code is None:
        raise Problem(503, "No emission-factor dataset is published yet "
                           "(run `flask --app wsgi factors load --publish`).")
    _default[url] = (now + DEFAULT_TTL_SECONDS, code)
    return code


def published(code: str | None = None, field: str = "dataset") -> Dataset:
    """The parsed published dataset ``code`` (default: the newest), or a 422 naming ``field``."""
    code = code or default_code()
    key = (str(db.engine.url), code)
    dataset = _parsed.get(key)
    if dataset is None:
        record = db.session.scalar(select(FactorDataset).where(
            FactorDataset.code == code, FactorDataset.published_at.is_not(None)))
        if record is None:
            raise invalid(field, f"unknown or unpublished dataset {code!r}")
        dataset = dataset_from_factors(
            record.code, (_factor(r) for r in record.factors), title_en=record.title_en,
            title_zh=record.title_zh, region=record.region, checksum=record.checksum,
            description_en=record.description_en, description_zh=record.description_zh)
        _parsed[key] = dataset
    return dataset


def get_record(code: str) -> FactorDataset:
    record = db.session.scalar(select(FactorDataset).where(FactorDataset.code == code))
    if record is None:
        raise Problem(404, f"no dataset {code}")
    return record


def list_records(page: int, per_page: int) -> tuple[list[FactorDataset], int]:
    return paginate(select(FactorDataset).order_by(FactorDataset.code), page, per_page)


def list_factors(code: str, group: str | None, page: int, per_page: int
                 ) -> tuple[list[FactorRecord], int]:
    record = get_record(code)
    query = select(FactorRecord).where(FactorRecord.dataset_id == record.id)
    if group:
        query = query.where(FactorRecord.group == group)
    return paginate(query.order_by(FactorRecord.id), page, per_page)
