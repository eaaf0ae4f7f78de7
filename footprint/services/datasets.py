"""Loading, publishing and reading emission-factor dataset versions.

A published dataset is immutable, so its parsed form is cached per process for the
hot path; which dataset is the default (the newest published one that extends no
other) is re-read every few seconds so that a new publication reaches every worker.

A dataset that extends another (``extends = "CN-2024"``) is loaded after its parent
and stored whole: every inherited factor is copied into its own version, so reading it
never needs the parent. It can be published only once its parent is, and only if the
parent is still the one it was loaded against.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path

from sqlalchemy import select

from footprint.core.categories import Category, load_categories
from footprint.core.datasets import (
    Dataset,
    DatasetError,
    Factor,
    Method,
    Source,
    dataset_from_factors,
    document_method,
    header,
    is_dataset,
    parents_first,
    parse_dataset,
)
from footprint.models import FactorDataset, FactorRecord
from footprint.platform import activity
from footprint.platform.db import db, paginate, utcnow
from footprint.platform.problems import Problem, invalid

BUNDLED = Path(__file__).resolve().parents[1] / "datasets"
CATEGORIES = BUNDLED / "product-categories.toml"
DEFAULT_TTL_SECONDS = 5.0

_parsed: dict[tuple[str, str], Dataset] = {}
_default: dict[tuple[str, str], tuple[float, str]] = {}
_extends: dict[tuple[str, str], str] = {}


def clear_caches() -> None:
    """Forget the datasets read from the database (parsed versions, the default, parents):
    for a process whose database was replaced under it, as the tests do before each."""
    _parsed.clear()
    _default.clear()
    _extends.clear()


def publish_bundled() -> list[str]:
    """Load and publish every bundled dataset (parents first), unchanged ones left as they
    are: after every ``db upgrade`` (`footprint.platform.upgrade`), so that a fresh
    database has its default dataset. Says what happened to each."""
    said = []
    for path in bundled_documents():
        document = path.read_bytes()
        head = header(document)
        if head.draft and _published_already(head.code):
            outcome = "published already (the bundled document is still a draft): left as it is"
        else:
            _, outcome = load(document, publish=not head.draft)
        if head.draft and outcome in ("created", "replaced"):
            outcome += " as a draft (the document says draft = true)"
        said.append(f"dataset {head.code}: {outcome}")  # the record is expired
    return said


def _published_already(code: str) -> bool:
    return (
        db.session.scalar(
            select(FactorDataset.published_at.is_not(None)).where(FactorDataset.code == code)
        )
        is True
    )


def bundled_documents() -> list[Path]:
    """The bundled dataset documents, each after the dataset it extends.

    Other TOML files beside them (the product categories) are not datasets and are left out.
    """
    documents = ((path, path.read_bytes()) for path in sorted(BUNDLED.glob("*.toml")))
    return parents_first((path, document) for path, document in documents if is_dataset(document))


@cache
def categories() -> Mapping[str, Category]:
    """The bundled published footprint ranges per product category (sanity bounds)."""
    return load_categories(CATEGORIES.read_bytes())


def _record_dataset(record: FactorDataset, seen: frozenset[str] = frozenset()) -> Dataset:
    """Parse a stored document again, with its parent (drafts have no cached parsed form)."""
    if record.code in seen:
        raise Problem(409, f"dataset {record.code} extends itself through its parents")
    document = record.document.encode("utf-8")
    head = header(document)
    parent, carried = (
        _record_dataset(_parent_record(record.code, code), seen | {record.code}) if code else None
        for code in (head.parent, head.carries)
    )
    return parse_dataset(document, parent, carried)


def _parent_record(code: str, extends: str) -> FactorDataset:
    parent = db.session.scalar(select(FactorDataset).where(FactorDataset.code == extends))
    if parent is None:
        raise Problem(
            409, f"dataset {code} extends {extends}, which is not loaded: load {extends} first"
        )
    return parent


def load(
    document: bytes, *, publish: bool, actor_id: int | None = None
) -> tuple[FactorDataset, str]:
    """Store a dataset version as a draft (replacing an earlier draft), optionally publishing.

    Returns the record and what happened: "created", "replaced", "unchanged" or "published".
    A dataset that extends another needs its parent loaded first (published, to publish).
    A load by a user (``actor_id``: the district's pages) goes to the activity log.
    """
    head = header(document)
    code = head.code
    needed = []
    for base in (head.parent, head.carries):
        if not base:
            needed.append(None)
            continue
        base_record = _parent_record(code, base)
        if publish and not base_record.published:
            raise Problem(
                409, f"dataset {code} builds on {base}, which is a draft: publish {base} first"
            )
        needed.append(_record_dataset(base_record))
    parsed = parse_dataset(document, *needed)
    record = db.session.scalar(select(FactorDataset).where(FactorDataset.code == parsed.code))
    if record is not None and record.published:
        if record.checksum != parsed.checksum:
            raise Problem(
                409,
                f"dataset {parsed.code} is published and cannot change: "
                "publish a new version under a new code",
            )
        return record, "unchanged"
    if record is not None and not publish and record.checksum == parsed.checksum:
        return record, "unchanged"
    outcome = "replaced" if record else "created"
    if record is None:
        record = FactorDataset(code=parsed.code)
        db.session.add(record)
    record.title_en, record.title_zh = parsed.title_en, parsed.title_zh
    record.region, record.checksum = parsed.region, parsed.checksum
    record.description_en, record.description_zh = parsed.description_en, parsed.description_zh
    record.document = document.decode("utf-8")
    if outcome == "replaced":
        # Delete the draft's factors while they still belong to it: orphaned by the
        # assignment below they would reach the flush with no dataset to check.
        for old in list(record.factors):
            db.session.delete(old)
        db.session.flush()
    record.factors = [_record(f) for f in parsed.factors.values()]
    if publish:
        record.published_at = utcnow()
        outcome = "published" if outcome == "created" else outcome + " and published"
    _noted("dataset.loaded", record, actor_id, outcome=outcome)
    db.session.commit()
    return record, outcome


def _noted(action: str, record: FactorDataset, actor_id: int | None, **detail: str) -> None:
    if actor_id is not None:
        activity.record(
            action, "factor_dataset", record.code, actor_id, checksum=record.checksum, **detail
        )


def publish(code: str, *, actor_id: int | None = None) -> FactorDataset:
    """Publish a loaded draft (a published one is left as it is); by a user (``actor_id``)
    it goes to the activity log."""
    record = get_record(code)
    if not record.published:
        needs = header(record.document.encode("utf-8")).needs
        for base in needs:
            if not _parent_record(code, base).published:
                raise Problem(
                    409,
                    f"dataset {code} builds on {base}, which is a draft: publish {base} first",
                )
        if needs and _record_dataset(record).checksum != record.checksum:
            raise Problem(
                409,
                f"dataset {' or '.join(needs)} changed since {code} was loaded: "
                f"load {code} again, then publish it",
            )
        record.published_at = utcnow()
        _noted("dataset.published", record, actor_id)
        db.session.commit()
    return record


def _record(factor: Factor) -> FactorRecord:
    return FactorRecord(
        factor_id=factor.id,
        group=factor.group,
        key=factor.key,
        value=factor.value,
        unit=factor.unit,
        region=factor.region,
        year=factor.year,
        uncertainty=factor.uncertainty,
        status=factor.status,
        label_en=factor.label_en,
        label_zh=factor.label_zh,
        note=factor.note,
        derivation=factor.derivation,
        gases={gas: str(kg) for gas, kg in factor.gases.items()} or None,
        source_id=factor.source.id,
        source_citation=factor.source.citation,
        source_url=factor.source.url,
    )


def _factor(record: FactorRecord) -> Factor:
    return Factor(
        id=record.factor_id,
        group=record.group,
        key=record.key,
        value=record.value,
        unit=record.unit,
        region=record.region,
        year=record.year,
        source=Source(record.source_id, record.source_citation, record.source_url),
        uncertainty=record.uncertainty,
        status=record.status,
        label_en=record.label_en,
        label_zh=record.label_zh,
        note=record.note,
        derivation=record.derivation,
        gases={gas: Decimal(kg) for gas, kg in (record.gases or {}).items()},
    )


def extends_of(record: FactorDataset) -> str:
    """The code of the dataset ``record`` extends ("" for none); cached once published."""
    key = (str(db.engine.url), record.code)
    if key in _extends:
        return _extends[key]
    try:
        extends = header(record.document.encode("utf-8")).extends
    except DatasetError:
        extends = ""
    if record.published:
        _extends[key] = extends
    return extends


def default_code(group: str | None = None) -> str:
    """The default dataset, re-read at most every few seconds.

    Without ``group``: the newest published dataset that extends no other, so that
    publishing an extension (product life-cycle factors on top of CN-2024) does not
    change what trips and inventories are priced with. With ``group``: the newest
    published dataset that has factors of that group (e.g. "packaging" for products).
    """
    url = str(db.engine.url)
    cached = _default.get((url, group or ""))
    now = time.monotonic()
    if cached and cached[0] > now:
        return cached[1]
    query = select(FactorDataset).where(FactorDataset.published_at.is_not(None))
    if group:
        query = query.where(
            FactorDataset.id.in_(select(FactorRecord.dataset_id).where(FactorRecord.group == group))
        )
    query = query.order_by(FactorDataset.published_at.desc(), FactorDataset.id.desc())
    code = next((r.code for r in db.session.scalars(query) if group or not extends_of(r)), None)
    if code is None:
        wanted = f" with {group} factors" if group else ""
        raise Problem(
            503,
            f"No emission-factor dataset{wanted} is published yet "
            "(run `flask --app wsgi factors load --publish`).",
        )
    _default[(url, group or "")] = (now + DEFAULT_TTL_SECONDS, code)
    return code


def published(code: str | None = None, *, field: str = "dataset") -> Dataset:
    """The parsed published dataset ``code`` (default: the newest), or a 422 naming ``field``."""
    code = code or default_code()
    key = (str(db.engine.url), code)
    dataset = _parsed.get(key)
    if dataset is None:
        record = db.session.scalar(
            select(FactorDataset).where(
                FactorDataset.code == code, FactorDataset.published_at.is_not(None)
            )
        )
        if record is None:
            raise invalid(field, f"unknown or unpublished dataset {code!r}")
        document = record.document.encode("utf-8")
        head = header(document)
        inherited = published(head.parent).method if head.parent else Method()
        dataset = dataset_from_factors(
            record.code,
            (_factor(r) for r in record.factors),
            method=document_method(document, inherited),
            revises=head.revises,
            title_en=record.title_en,
            title_zh=record.title_zh,
            region=record.region,
            checksum=record.checksum,
            description_en=record.description_en,
            description_zh=record.description_zh,
            extends=extends_of(record),
        )
        _parsed[key] = dataset
    return dataset


def version(record: FactorDataset) -> Dataset:
    """The parsed form of any loaded version: a published one as `published` gives it, a
    draft parsed again from its document (with its parent)."""
    return published(record.code) if record.published else _record_dataset(record)


def get_record(code: str) -> FactorDataset:
    record = db.session.scalar(select(FactorDataset).where(FactorDataset.code == code))
    if record is None:
        raise Problem(404, f"no dataset {code}")
    return record


def list_records(*, page: int, per_page: int) -> tuple[list[FactorDataset], int]:
    return paginate(select(FactorDataset).order_by(FactorDataset.code), page, per_page)


def list_factors(
    code: str, *, group: str | None, page: int, per_page: int
) -> tuple[list[FactorRecord], int]:
    record = get_record(code)
    query = select(FactorRecord).where(FactorRecord.dataset_id == record.id)
    if group:
        query = query.where(FactorRecord.group == group)
    return paginate(query.order_by(FactorRecord.id), page, per_page)
