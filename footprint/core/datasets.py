"""Emission-factor datasets: parsing the versioned data files and deriving computed factors.

A dataset file (``footprint/datasets/*.toml``) lists sources and factors. Most factors
carry a ``value``; derived ones carry a recipe instead and are computed here, so that
no derived number is ever typed in by hand:

- ``product = [ids…]``: the product of other factors (flight with radiative forcing).
- ``blend = {id = fraction, …}``: a mass-weighted refrigerant blend (R-410A).
- ``combustion = {ncv, carbon_content, oxidation, decimals}``: GB/T 32150-2015,
  CO2 = NCV × CC × OF × 44/12, rounded to the published table's precision.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CO2_PER_C = Decimal(44) / Decimal(12)
GROUPS = frozenset(
    {"transport", "parameter", "lodging", "attraction", "electricity", "fuel", "refrigerant",
     "heat", "waste", "water"}
)
STATUSES = frozenset({"pinned", "cited", "derived", "assumed"})


class DatasetError(ValueError):
    """The dataset document is malformed or inconsistent."""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    citation: str
    url: str = ""


@dataclass(frozen=True, slots=True)
class Factor:
    id: str
    group: str
    key: str
    value: Decimal
    unit: str
    region: str
    year: int
    source: Source
    uncertainty: Decimal
    status: str
    label_en: str
    label_zh: str
    note: str = ""
    derivation: str = ""


@dataclass(frozen=True)
class Dataset:
    code: str
    title_en: str
    title_zh: str
    region: str
    description_en: str
    description_zh: str
    factors: Mapping[str, Factor]
    checksum: str = ""
    _by_key: dict[tuple[str, str], Factor] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({(f.group, f.key): f for f in self.factors.values()})

    def get(self, group: str, key: str) -> Factor | None:
        return self._by_key.get((group, key))

    def keys(self, group: str) -> list[str]:
        return sorted(k for g, k in self._by_key if g == group)


def _decimal(raw: Any, where: str) -> Decimal:
    if not isinstance(raw, str):
        raise DatasetError(f"{where}: numbers are written as strings, got {raw!r}")
    try:
        value = Decimal(raw)
    except InvalidOperation as error:
        raise DatasetError(f"{where}: {raw!r} is not a decimal number") from error
    if not value.is_finite():
        raise DatasetError(f"{where}: {raw!r} is not finite")
    return value


def _require(entry: Mapping[str, Any], name: str, where: str) -> Any:
    if name not in entry:
        raise DatasetError(f"{where}: missing '{name}'")
    return entry[name]


def _combustion(recipe: Mapping[str, Any], unit: str, where: str) -> tuple[Decimal, str]:
    ncv = _decimal(_require(recipe, "ncv", where), f"{where}.ncv")
    carbon = _decimal(_require(recipe, "carbon_content", where), f"{where}.carbon_content")
    oxidation = _decimal(_require(recipe, "oxidation", where), f"{where}.oxidation")
    decimals = int(recipe.get("decimals", 4))
    # NCV is per tonne (GJ/t) for kg-based fuels, per 10⁴ m³ for gases; TJ = 1000 GJ.
    divisor = {"kgCO2/kg": Decimal(1000), "kgCO2/m3": Decimal(10000)}.get(unit)
    if divisor is None:
        raise DatasetError(f"{where}: combustion factors are kgCO2/kg or kgCO2/m3, not {unit}")
    exact = ncv * carbon * oxidation * CO2_PER_C / divisor
    value = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return value, (
        f"GB/T 32150-2015: {ncv} × {carbon} tC/TJ × {oxidation} × 44/12 / {divisor}"
        f" = {exact:.6f}, stated to {decimals} places"
    )


def _resolve(
    raw: Mapping[str, Mapping[str, Any]], fid: str, sources: Mapping[str, Source],
    done: dict[str, Factor], visiting: set[str],
) -> Factor:
    if fid in done:
        return done[fid]
    if fid not in raw:
        raise DatasetError(f"unknown factor id {fid!r}")
    if fid in visiting:
        raise DatasetError(f"{fid}: derivation refers back to itself")
    visiting.add(fid)
    entry, where = raw[fid], f"factor {fid}"
    unit = str(_require(entry, "unit", where))
    recipes = [k for k in ("value", "product", "blend", "combustion") if k in entry]
    if len(recipes) != 1:
        raise DatasetError(f"{where}: give exactly one of value, product, blend, combustion")
    derivation = ""
    if "value" in entry:
        value = _decimal(entry["value"], f"{where}.value")
    elif "product" in entry:
        parts = [_resolve(raw, p, sources, done, visiting) for p in entry["product"]]
        value = Decimal(1)
        for part in parts:
            value *= part.value
        derivation = " × ".join(f"{p.id} ({p.value})" for p in parts)
    elif "blend" in entry:
        fractions = {k: _decimal(v, f"{where}.blend.{k}") for k, v in entry["blend"].items()}
        if sum(fractions.values()) != 1:
            raise DatasetError(f"{where}: blend fractions must sum to 1")
        comps = {k: _resolve(raw, k, sources, done, visiting) for k in fractions}
        value = sum((fractions[k] * comps[k].value for k in fractions), Decimal(0))
        derivation = " + ".join(f"{fractions[k]} × {k} ({comps[k].value})" for k in fractions)
    else:
        value, derivation = _combustion(entry["combustion"], unit, where)
    source_id = str(_require(entry, "source", where))
    if source_id not in sources:
        raise DatasetError(f"{where}: unknown source {source_id!r}")
    group = str(_require(entry, "group", where))
    if group not in GROUPS:
        raise DatasetError(f"{where}: unknown group {group!r}")
    status = str(entry.get("status", "cited"))
    if status not in STATUSES:
        raise DatasetError(f"{where}: unknown status {status!r}")
    if value < 0:
        raise DatasetError(f"{where}: negative value")
    factor = Factor(
        id=fid, group=group, key=str(_require(entry, "key", where)), value=value, unit=unit,
        region=str(entry.get("region", "")), year=int(_require(entry, "year", where)),
        source=sources[source_id],
        uncertainty=_decimal(_require(entry, "uncertainty", where), f"{where}.uncertainty"),
        status=status, label_en=str(entry.get("label_en", fid)),
        label_zh=str(entry.get("label_zh", entry.get("label_en", fid))),
        note=str(entry.get("note", "")), derivation=derivation,
    )
    visiting.discard(fid)
    done[fid] = factor
    return factor


def parse_dataset(document: bytes) -> Dataset:
    """Parse and check a dataset document; derived factors are computed here."""
    try:
        data = tomllib.loads(document.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DatasetError(f"not a TOML document: {error}") from error
    meta = _require(data, "dataset", "document")
    sources = {
        sid: Source(id=sid, citation=str(_require(s, "citation", f"source {sid}")),
                    url=str(s.get("url", "")))
        for sid, s in data.get("sources", {}).items()
    }
    raw: dict[str, Mapping[str, Any]] = {}
    for entry in data.get("factors", []):
        fid = str(_require(entry, "id", "factor"))
        if fid in raw:
            raise DatasetError(f"factor {fid}: duplicate id")
        raw[fid] = entry
    done: dict[str, Factor] = {}
    for fid in raw:
        _resolve(raw, fid, sources, done, set())
    keys = [(f.group, f.key) for f in done.values()]
    if len(set(keys)) != len(keys):
        raise DatasetError("two factors share a group and key")
    return Dataset(
        code=str(_require(meta, "code", "dataset")),
        title_en=str(meta.get("title_en", "")), title_zh=str(meta.get("title_zh", "")),
        region=str(meta.get("region", "")),
        description_en=str(meta.get("description_en", "")),
        description_zh=str(meta.get("description_zh", "")),
        factors={fid: done[fid] for fid in raw},
        checksum=hashlib.sha256(document).hexdigest(),
    )


def dataset_from_factors(
    code: str, factors: Iterable[Factor], **meta: str
) -> Dataset:
    """Rebuild a dataset from stored factors (the database copy of a published version)."""
    return Dataset(
        code=code, factors={f.id: f for f in factors},
        title_en=meta.get("title_en", ""), title_zh=meta.get("title_zh", ""),
        region=meta.get("region", ""), description_en=meta.get("description_en", ""),
        description_zh=meta.get("description_zh", ""), checksum=meta.get("checksum", ""),
    )
