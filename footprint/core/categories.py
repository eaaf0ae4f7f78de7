"""Published footprint ranges per product category: sanity bounds, not data.

A product's footprint per kg is compared with what published studies of its category
found, for the same system boundary (``cradle_to_gate`` or ``cradle_to_grave``). A
result outside the range is not wrong by that alone — a study may differ in method,
region or farm — but it is worth a second look, and the verdict says by what factor it
lies outside. The document (``footprint/datasets/product-categories.toml``) names a
source for every bound; numbers are written as strings so they load as exact Decimals.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from footprint.core.datafiles import DataFile
from footprint.core.datasets import Source

BOUNDARIES = ("cradle_to_gate", "cradle_to_grave")
WITHIN, BELOW, ABOVE = "within", "below", "above"


class CategoryError(ValueError):
    """The categories document is malformed, or a comparison cannot be made."""


_FIELDS = DataFile(CategoryError)


@dataclass(frozen=True, slots=True)
class Bounds:
    low: Decimal
    high: Decimal
    sources: tuple[Source, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label_en: str
    label_zh: str
    unit: str
    """What the bounds are per, e.g. kgCO2e/kg (of product)."""
    bounds: Mapping[str, Bounds]
    """Per system boundary; a boundary without published studies is absent."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    position: str
    """``within``, ``below`` or ``above`` the published range."""
    factor: Decimal
    """By what factor the value lies outside the range (1 when within): low / value
    below it, value / high above it."""
    bounds: Bounds
    value: Decimal

    @property
    def within(self) -> bool:
        return self.position == WITHIN


def _bounds(raw: Any, sources: Mapping[str, Source], where: str) -> Bounds:
    if not isinstance(raw, Mapping):
        raise CategoryError(f"{where}: a table with low, high and sources")
    _FIELDS.require(raw, "sources", where)
    low = _FIELDS.required_decimal(raw, "low", where)
    high = _FIELDS.required_decimal(raw, "high", where)
    if not 0 < low <= high:
        raise CategoryError(f"{where}: need 0 < low <= high, got {low} and {high}")
    ids = raw["sources"]
    if not isinstance(ids, list) or not ids:
        raise CategoryError(f"{where}: sources is a non-empty list of source ids")
    unknown = [str(i) for i in ids if str(i) not in sources]
    if unknown:
        raise CategoryError(f"{where}: unknown source {unknown[0]!r}")
    return Bounds(low, high, tuple(sources[str(i)] for i in ids), str(raw.get("note", "")))


def load_categories(document: bytes) -> Mapping[str, Category]:
    """Parse and check a categories document: ``{category key: Category}``."""
    try:
        data = tomllib.loads(document.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CategoryError(f"not a TOML document: {error}") from error
    sources = {}
    for sid, entry in data.get("sources", {}).items():
        if not isinstance(entry, Mapping) or not str(entry.get("citation", "")).strip():
            raise CategoryError(f"source {sid}: missing 'citation'")
        sources[sid] = Source(
            id=sid, citation=str(entry["citation"]), url=str(entry.get("url", ""))
        )
    categories: dict[str, Category] = {}
    for key, entry in data.get("categories", {}).items():
        where = f"category {key}"
        if "unit" not in entry:
            raise CategoryError(f"{where}: missing 'unit'")
        unknown = [b for b in entry if b not in BOUNDARIES and isinstance(entry[b], Mapping)]
        if unknown:
            raise CategoryError(
                f"{where}: unknown boundary {unknown[0]!r} (one of {', '.join(BOUNDARIES)})"
            )
        bounds = {b: _bounds(entry[b], sources, f"{where}.{b}") for b in BOUNDARIES if b in entry}
        if not bounds:
            raise CategoryError(f"{where}: give the range for at least one boundary")
        categories[key] = Category(
            key=key,
            label_en=str(entry.get("label_en", key)),
            label_zh=str(entry.get("label_zh", entry.get("label_en", key))),
            unit=str(entry["unit"]),
            bounds=bounds,
            note=str(entry.get("note", "")),
        )
    if not categories:
        raise CategoryError("the document names no category")
    return categories


def check(category: Category, boundary: str, kg_per_kg: Decimal) -> Verdict:
    """Where ``kg_per_kg`` (in the category's unit) lies against the published range."""
    if boundary not in category.bounds:
        known = ", ".join(category.bounds) or "none"
        raise CategoryError(f"no published {boundary} range for {category.key} (known: {known})")
    if not kg_per_kg.is_finite() or kg_per_kg <= 0:
        raise CategoryError(f"a footprint to compare must be positive, got {kg_per_kg}")
    bounds = category.bounds[boundary]
    if kg_per_kg < bounds.low:
        return Verdict(BELOW, bounds.low / kg_per_kg, bounds, kg_per_kg)
    if kg_per_kg > bounds.high:
        return Verdict(ABOVE, kg_per_kg / bounds.high, bounds, kg_per_kg)
    return Verdict(WITHIN, Decimal(1), bounds, kg_per_kg)
