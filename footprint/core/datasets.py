"""Emission-factor datasets: parsing the versioned data files and deriving computed factors.

A dataset file (``footprint/datasets/*.toml``) lists sources and factors. Most factors
carry a ``value``; derived ones carry a recipe instead and are computed here, so that
no derived number is ever typed in by hand:

- ``product = [ids…]``: the product of other factors (flight with radiative forcing),
  optionally divided by the product of ``per = [ids…]`` (N2O-N → N2O is × 44 / 28).
- ``blend = {id = fraction, …}``: a mass-weighted refrigerant blend (R-410A); the
  fractions sum to 1.
- ``sum = {id = coefficient, …}``: a weighted sum whose coefficients need not sum to 1
  (a 15-15-15 compound fertiliser is 0.15 N + 0.15 P2O5 + 0.15 K2O + filler).
- ``combustion = {ncv, carbon_content, oxidation, decimals}``: GB/T 32150-2015,
  CO2 = NCV × CC × OF × 44/12, rounded to the published table's precision. With
  ``ch4`` and ``n2o`` (kg per TJ of net calorific value, IPCC 2006 defaults, cited by
  ``gases_source``) the factor is kgCO2e: CO2 + CH4 × GWP + N2O × GWP, the GWP-100 of
  each gas being the dataset's ``parameter.gwp100_ch4_fossil`` and
  ``parameter.gwp100_n2o``. A combustion factor states its gases (`Factor.gases`).

A dataset may extend another (``extends = "CN-2024"`` in ``[dataset]``): it then holds
every source and factor of its parent plus its own, and its recipes may use the parent's
factors. It may add factors but never redefine one of its parent's: a published value
is changed only by issuing a new version. The parser is given the parent ``Dataset``
(it reads no file and no database), and the child's checksum covers the parent's.

An extension may carry another extension's own factors onto a new edition of their
base (``carries = "CN-2024-P"`` beside ``extends = "CN-2025"``): the product life-cycle
factors CN-2024-P adds to CN-2024 become CN-2025-P's, resolved again against CN-2025, so
that a factor derived from a revised one follows it (urea's CO2 by the exact 44/12) and
no entry is copied. The parser is given the carried ``Dataset`` too.

A new edition revises its predecessor (``revises = "CN-2024"``): it holds every source
and factor of it, may add its own, and may redefine a factor, each redefinition saying
why (``revised = "…"``). Every derived factor is computed again from the edition's own
entries, so a factor derived from a revised one follows it. The predecessor stays as it
was published: results priced with it are reproduced with it.

``[dataset.method]`` names the rules an edition's figures are computed by (`Method`); a
document without it is priced by the first edition's rules, an extension by its
parent's. A bundled document marked ``draft = true`` is loaded but not published when
the database is upgraded: an edition in preparation, published once it is complete.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple, TypeVar

from footprint.core.datafiles import DataFile
from footprint.core.quantities import APPROACHES

CO2_PER_C = Decimal(44) / Decimal(12)
GROUPS = frozenset(
    {
        "transport",
        "parameter",
        "lodging",
        "attraction",
        "electricity",
        "fuel",
        "vehicle_fuel",
        "refrigerant",
        "heat",
        "waste",
        # well-to-tank parts of transport and fuel factors, where an edition prices
        # well-to-wheel (`footprint.core.boundary`)
        "transport_wtt",
        "fuel_wtt",
        "freight_wtt",
        "water",
        # product life cycles (ISO 14067): inputs of cultivation, packaging, freight
        "fertiliser",
        "field",
        "material",
        "packaging",
        "freight",
    }
)
RECIPES = ("value", "product", "blend", "sum", "combustion")
T = TypeVar("T")
STATUSES = frozenset({"pinned", "cited", "derived", "assumed", "unconfirmed"})
"""A factor's standing: pinned by the reference, cited from a publication, derived by a
recipe, assumed (reasoned in its note), or unconfirmed — a published figure whose primary
cell could not be read back, its note saying what is to be checked."""


class DatasetError(ValueError):
    """The dataset document is malformed or inconsistent."""


_FIELDS = DataFile(DatasetError)


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
    gases: Mapping[str, Decimal] = field(default_factory=dict)
    """kg of each greenhouse gas per unit (CO2, CH4, N2O) of a CO2e factor that states
    them (fuel combustion with its CH4 and N2O); see `by_gas`."""

    def by_gas(self) -> Mapping[str, Decimal]:
        """kg of each gas per unit where known: the stated gases, or all CO2 for a factor
        in kgCO2 per unit; empty for a factor known only as CO2e."""
        if self.gases:
            return self.gases
        return {"CO2": self.value} if self.unit.startswith("kgCO2/") else {}


GAS_GWP = {"CH4": "parameter.gwp100_ch4_fossil", "N2O": "parameter.gwp100_n2o"}
"""The factor holding each non-CO2 gas's GWP-100, for combustion recipes that count it."""
GRIDS = ("national", "regional")
UNCERTAINTY_RULES = {
    "independent": "Each factor's relative 95 % half-width, combined in quadrature over "
    "lines (IPCC 2006 GL Vol. 1 Ch. 3, Approach 1).",
    "correlated": "Each factor's relative 95 % half-width; lines priced by the same factor "
    "are fully correlated (their half-widths add), different factors combine in quadrature "
    "(IPCC 2006 GL Vol. 1 Ch. 3, Approach 1).",
}
"""Each rule of combining uncertainties (`Method.uncertainty`), as results state it."""
ACTIVITY_RULE = (
    " Each activity figure's uncertainty by its data quality (measured ±5 %, calculated "
    "±10 %, estimated ±30 %; an inventory's lines measured, a trip's distances calculated "
    "unless stated) combines with its factor's in quadrature (eq. 3.1)."
)
"""Added to the rule's text where the rules count activity figures' uncertainty."""
LARGE_UNCERTAINTY_RULE = (
    " Where an input's relative standard deviation is above 0.3 (a half-width over "
    "58.8 %), too large for Approach 1, the range is instead the 2.5th to 97.5th "
    "percentile of 10,000 seeded Monte Carlo draws with lognormal inputs (Approach 2, "
    "asymmetric); range_approach says which was used."
)
"""Added where the rules take Approach 2 for large uncertainties (`Method.large_uncertainty`)."""
FORESTS = ("dataset", "registry")
TRANSPORT_BOUNDARIES = {
    "as_published": "Each mode on its source's boundary: flights the flight phase alone "
    "(combustion), high-speed rail its full process, road, rail and water DESNZ's direct "
    "(tank-to-wheel) emissions.",
    "well_to_wheel": "Every mode well-to-wheel: producing and delivering the fuel or "
    "electricity (well-to-tank, shown as its own part of each line) and using it "
    "(tank-to-wheel); the radiative-forcing multiplier applies to the flight, not to its "
    "fuel's upstream (DESNZ).",
}
"""Each boundary of transport factors (`Method.transport_boundary`), as results state it."""
ENERGY_GROUPS = ("fuel", "electricity", "heat", "freight")
"""The factor groups of a product's lines whose energy has an upstream to count
(`footprint.core.boundary`); ``well_to_tank`` may name one of their factors by id."""
WTT_INCLUDED, WTT_UNAVAILABLE = "included", "not_available"
"""`Method.well_to_tank` marks: the figure's own boundary already holds its upstream
(a full-process study), or no cited well-to-tank factor exists for it (the line says so)."""


@dataclass(frozen=True, slots=True)
class Method:
    """The rules an edition's figures are computed by (``[dataset.method]``); the defaults
    are the first edition's (CN-2024's).

    ``grid``: location-based Scope 2 by the national grid average (``national``), or by
    the average of the regional grid the venue's region is in (``regional``, GHG Protocol
    Scope 2 Guidance: the most local grid average), the national figure shown beside.
    ``grid_regions`` maps an ISO 3166-2 subdivision (``CN-HN``) to the electricity
    factor of its grid; a venue whose region starts with none of them is priced by the
    national average, and says so.

    ``uncertainty``: how lines' uncertainties combine into a result's range — all
    ``independent`` (in quadrature), or ``correlated`` where lines are priced by the
    same factor (their half-widths add, the factors' then in quadrature: a round trip
    and the same journey as two one-way legs get the same range).

    ``activity_uncertainty``: whether ranges include the activity figures' uncertainty
    besides the factors' (`footprint.core.quantities.DATA_QUALITY`: a trip's distances
    as stated with them, ``calculated`` unless said otherwise; an inventory's lines as
    ``measured``, metered or invoiced, what its verifier checks them against).

    ``large_uncertainty``: how a range is found where an input's uncertainty is too
    large for Approach 1 (`footprint.core.quantities.APPROACH_1_LIMIT`): still by
    Approach 1 (``approach_1``), or by a seeded Monte Carlo, Approach 2 (``monte_carlo``:
    asymmetric, `footprint.core.quantities.monte_carlo_range`).

    ``flights_with_radiative_forcing``: whether an inventory's flights (business travel,
    commuting) are priced with the radiative-forcing multiplier, as a tourist's trip is
    by default (``transport.flight_rf``); edition 1 prices them by the flight phase alone.

    ``transport_boundary``: the boundary transport factors are applied on — each on its
    source's own (``as_published``: edition 1, so flights' flight phase sits beside rail's
    full process), or every mode ``well_to_wheel``, a line's well-to-tank part priced by
    the ``transport_wtt`` factor ``well_to_tank`` names for its transport factor's key
    (or `WTT_INCLUDED`, `WTT_UNAVAILABLE`).

    ``forest``: what a trip's plain-language forest equivalent is measured against — the
    dataset's ``parameter.forest_sink`` (``dataset``), or the verified sequestration of
    the district's own forest-sink projects, credits issued per hectare and year
    (``registry``), the dataset's figure where the registry has none.
    """

    edition: int = 1
    grid: str = "national"
    grid_regions: Mapping[str, str] = field(default_factory=dict)
    uncertainty: str = "independent"
    forest: str = "dataset"
    activity_uncertainty: bool = False
    large_uncertainty: str = "approach_1"
    flights_with_radiative_forcing: bool = False
    transport_boundary: str = "as_published"
    well_to_tank: Mapping[str, str] = field(default_factory=dict)

    def grid_key(self, region: str) -> str | None:
        """The electricity factor of the grid ``region`` is in, if the rules name one."""
        if self.grid != "regional":
            return None
        region = region.upper()
        found = [
            code
            for code in self.grid_regions
            if region == code.upper() or region.startswith(code.upper() + "-")
        ]
        return self.grid_regions[max(found, key=len)] if found else None


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
    extends: str = ""
    """The code of the parent dataset, if this one extends another."""
    sources: Mapping[str, Source] = field(default_factory=dict)
    """Every source the document names (its factors' sources are reachable through them)."""
    revises: str = ""
    """The code of the edition this one revises, if any."""
    method: Method = field(default_factory=Method)
    revised: Mapping[str, str] = field(default_factory=dict)
    """Why each factor it redefines was revised (a revision's own ``revised`` texts)."""
    revised_zh: Mapping[str, str] = field(default_factory=dict)
    """The same in Chinese (``revised_zh``), where the document gives it."""
    entries: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    """The factor entries it was resolved from (its predecessor's and its own, for a
    revision): what an edition revising this one starts from."""
    added: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    """The entries an extension adds to its parent (those it carries included): what an
    extension of a later edition carries onto it (``carries``)."""
    carries: str = ""
    """The code of the extension whose own factors this one carries, if any."""
    _by_key: dict[tuple[str, str], Factor] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({(f.group, f.key): f for f in self.factors.values()})

    def get(self, group: str, key: str) -> Factor | None:
        return self._by_key.get((group, key))

    def keys(self, group: str) -> list[str]:
        return sorted(k for g, k in self._by_key if g == group)


def _combustion(
    recipe: Mapping[str, Any],
    unit: str,
    where: str,
    factor: Callable[[str], Factor],
    sources: Mapping[str, Source],
) -> tuple[Decimal, str, dict[str, Decimal]]:
    """The factor's value, its derivation and its gases (``factor``: another factor of
    the dataset by id, for the GWPs)."""
    ncv = _FIELDS.required_decimal(recipe, "ncv", where)
    carbon = _FIELDS.required_decimal(recipe, "carbon_content", where)
    oxidation = _FIELDS.required_decimal(recipe, "oxidation", where)
    decimals = int(recipe.get("decimals", 4))
    others = {gas: recipe[gas.lower()] for gas in GAS_GWP if gas.lower() in recipe}
    basis = "kgCO2e" if others else "kgCO2"
    # NCV is per tonne (GJ/t) for kg-based fuels, per 10⁴ m³ for gases; TJ = 1000 GJ.
    divisor = {f"{basis}/kg": Decimal(1000), f"{basis}/m3": Decimal(10000)}.get(unit)
    if divisor is None:
        raise DatasetError(f"{where}: combustion factors are {basis}/kg or {basis}/m3, not {unit}")
    if others and len(others) != len(GAS_GWP):
        raise DatasetError(f"{where}: give both ch4 and n2o (kg per TJ), or neither")
    exact = ncv * carbon * oxidation * CO2_PER_C / divisor
    co2 = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    derivation = (
        f"GB/T 32150-2015: {ncv} × {carbon} tC/TJ × {oxidation} × 44/12 / {divisor}"
        f" = {exact:.6f}, stated to {decimals} places"
    )
    if not others:
        return co2, derivation, {}
    gases = {"CO2": co2}
    source_id = str(_FIELDS.require(recipe, "gases_source", where))
    if source_id not in sources:
        raise DatasetError(f"{where}: unknown gases_source {source_id!r}")
    value = co2
    per = unit.split("/", 1)[1]
    per_tj = ncv / (divisor * 1000)  # TJ of the fuel per kg or m³
    terms = []
    for gas, raw in others.items():
        gwp = factor(GAS_GWP[gas])
        gases[gas] = _FIELDS.decimal(raw, f"{where}.{gas.lower()}") * per_tj
        value += gases[gas] * gwp.value
        terms.append(f"{gas} {raw} kg/TJ × {per_tj} TJ/{per} × GWP {gwp.value} ({gwp.id})")
    return value, f"CO2 {derivation}; + {' + '.join(terms)} (kg/TJ: {source_id})", gases


def _weights(raw: Any, where: str, name: str) -> dict[str, Decimal]:
    if not isinstance(raw, Mapping) or not raw:
        raise DatasetError(f"{where}: {name} is a table {{factor id = number}}")
    return {str(k): _FIELDS.decimal(v, f"{where}.{name}.{k}") for k, v in raw.items()}


def _ids(raw: Any, where: str, name: str) -> list[str]:
    if not isinstance(raw, list) or not raw:
        raise DatasetError(f"{where}: {name} is a non-empty list of factor ids")
    return [str(i) for i in raw]


def _resolve(
    raw: Mapping[str, Mapping[str, Any]],
    fid: str,
    sources: Mapping[str, Source],
    done: dict[str, Factor],
    visiting: set[str],
) -> Factor:
    """The factor ``fid``; ``done`` already holds the parent's factors, if any."""
    if fid in done:
        return done[fid]
    if fid not in raw:
        raise DatasetError(f"unknown factor id {fid!r}")
    if fid in visiting:
        raise DatasetError(f"{fid}: derivation refers back to itself")
    visiting.add(fid)
    entry, where = raw[fid], f"factor {fid}"
    unit = str(_FIELDS.require(entry, "unit", where))
    recipes = [k for k in RECIPES if k in entry]
    if len(recipes) != 1:
        raise DatasetError(f"{where}: give exactly one of {', '.join(RECIPES)}")
    if "per" in entry and "product" not in entry:
        raise DatasetError(f"{where}: 'per' divides a product: give it with 'product'")
    derivation = ""
    gases: dict[str, Decimal] = {}
    if "value" in entry:
        value = _FIELDS.decimal(entry["value"], f"{where}.value")
    elif "product" in entry:
        parts = [
            _resolve(raw, p, sources, done, visiting)
            for p in _ids(entry["product"], where, "product")
        ]
        value = Decimal(1)
        for part in parts:
            value *= part.value
        derivation = " × ".join(f"{p.id} ({p.value})" for p in parts)
        if "per" in entry:
            divisors = [
                _resolve(raw, p, sources, done, visiting) for p in _ids(entry["per"], where, "per")
            ]
            for divisor in divisors:
                if divisor.value == 0:
                    raise DatasetError(f"{where}: divides by {divisor.id}, which is zero")
                value /= divisor.value
            derivation += "".join(f" / {p.id} ({p.value})" for p in divisors)
    elif "blend" in entry:
        fractions = _weights(entry["blend"], where, "blend")
        if sum(fractions.values()) != 1:
            raise DatasetError(f"{where}: blend fractions must sum to 1")
        comps = {k: _resolve(raw, k, sources, done, visiting) for k in fractions}
        value = sum((fractions[k] * comps[k].value for k in fractions), Decimal(0))
        derivation = " + ".join(f"{fractions[k]} × {k} ({comps[k].value})" for k in fractions)
    elif "sum" in entry:
        weights = _weights(entry["sum"], where, "sum")
        comps = {k: _resolve(raw, k, sources, done, visiting) for k in weights}
        value = sum((weights[k] * comps[k].value for k in weights), Decimal(0))
        derivation = " + ".join(f"{weights[k]} × {k} ({comps[k].value})" for k in weights)
    else:
        value, derivation, gases = _combustion(
            entry["combustion"],
            unit,
            where,
            lambda other: _resolve(raw, other, sources, done, visiting),
            sources,
        )
    source_id = str(_FIELDS.require(entry, "source", where))
    if source_id not in sources:
        raise DatasetError(f"{where}: unknown source {source_id!r}")
    group = str(_FIELDS.require(entry, "group", where))
    if group not in GROUPS:
        raise DatasetError(f"{where}: unknown group {group!r}")
    status = str(entry.get("status", "cited"))
    if status not in STATUSES:
        raise DatasetError(f"{where}: unknown status {status!r}")
    if value < 0:
        raise DatasetError(f"{where}: negative value")
    factor = Factor(
        id=fid,
        group=group,
        key=str(_FIELDS.require(entry, "key", where)),
        value=value,
        unit=unit,
        region=str(entry.get("region", "")),
        year=int(_FIELDS.require(entry, "year", where)),
        source=sources[source_id],
        uncertainty=_FIELDS.required_decimal(entry, "uncertainty", where),
        status=status,
        label_en=str(entry.get("label_en", fid)),
        label_zh=str(entry.get("label_zh", entry.get("label_en", fid))),
        note=str(entry.get("note", "")),
        derivation=derivation,
        gases=gases,
    )
    visiting.discard(fid)
    done[fid] = factor
    return factor


def _toml(document: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(document.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DatasetError(f"not a TOML document: {error}") from error


def is_dataset(document: bytes) -> bool:
    """False for a TOML document without a ``[dataset]`` table (e.g. the product categories);
    True otherwise, so that a broken dataset file is still reported when it is loaded."""
    try:
        return "dataset" in _toml(document)
    except DatasetError:
        return True


class Header(NamedTuple):
    """What a dataset document says of itself, without its factors being checked."""

    code: str
    extends: str = ""
    revises: str = ""
    draft: bool = False
    carries: str = ""

    @property
    def parent(self) -> str:
        """The dataset it is built on (extends or revises), "" for none."""
        return self.extends or self.revises

    @property
    def needs(self) -> tuple[str, ...]:
        """Every dataset it is parsed with: its parent, and the extension it carries."""
        return tuple(code for code in (self.parent, self.carries) if code)


def header(document: bytes) -> Header:
    """The code, parent and draft mark of a dataset document."""
    meta = _FIELDS.require(_toml(document), "dataset", "document")
    head = Header(
        str(_FIELDS.require(meta, "code", "dataset")),
        str(meta.get("extends", "")),
        str(meta.get("revises", "")),
        meta.get("draft", False) is True,
        str(meta.get("carries", "")),
    )
    if head.extends and head.revises:
        raise DatasetError(f"dataset {head.code}: it extends a dataset or revises one, not both")
    if head.carries and not head.extends:
        raise DatasetError(f"dataset {head.code}: only an extension carries another's factors")
    return head


def parents_first(documents: Iterable[tuple[T, bytes]]) -> list[T]:
    """The names of ``documents`` ordered so that each comes after the one it extends.

    A parent that is not among them is taken to be loaded already.
    """
    items = list(documents)
    heads = [header(document) for _, document in items]
    position = {head.code: i for i, head in enumerate(heads)}
    if len(position) != len(heads):
        raise DatasetError("two documents share a dataset code")
    order: list[int] = []
    state: dict[int, str] = {}

    def visit(i: int) -> None:
        if state.get(i) == "done":
            return
        if state.get(i) == "visiting":
            raise DatasetError(f"dataset {heads[i].code}: extends itself through its parents")
        state[i] = "visiting"
        for needed in heads[i].needs:
            if needed in position:
                visit(position[needed])
        state[i] = "done"
        order.append(i)

    for i in range(len(items)):
        visit(i)
    return [items[i][0] for i in order]


def _sources(data: Mapping[str, Any]) -> dict[str, Source]:
    return {
        sid: Source(
            id=sid,
            citation=str(_FIELDS.require(s, "citation", f"source {sid}")),
            url=str(s.get("url", "")),
        )
        for sid, s in data.get("sources", {}).items()
    }


def _inherited_sources(parent: Dataset) -> dict[str, Source]:
    found = {f.source.id: f.source for f in parent.factors.values()}
    found.update(parent.sources)
    return found


def _method(data: Mapping[str, Any], code: str, inherited: Method) -> Method:
    """The rules a document names, each one it leaves out its parent's (``inherited``);
    ``well_to_tank`` adds to the parent's."""
    raw = data["dataset"].get("method")
    if raw is None:
        return inherited
    where = f"dataset {code}: method"
    if not isinstance(raw, Mapping):
        raise DatasetError(f"{where} is a table")
    unknown = set(raw) - {
        "edition",
        "grid",
        "grid_regions",
        "uncertainty",
        "forest",
        "activity_uncertainty",
        "large_uncertainty",
        "flights_with_radiative_forcing",
        "transport_boundary",
        "well_to_tank",
    }
    if unknown:
        raise DatasetError(f"{where}: unknown rule {', '.join(sorted(unknown))}")
    edition = raw.get("edition", inherited.edition)
    if not isinstance(edition, int) or isinstance(edition, bool) or edition < 1:
        raise DatasetError(f"{where}.edition is a whole number from 1")
    grid = raw.get("grid", inherited.grid)
    if grid not in GRIDS:
        raise DatasetError(f"{where}.grid is one of {', '.join(GRIDS)}, not {grid!r}")
    regions = raw.get("grid_regions", inherited.grid_regions)
    if not isinstance(regions, Mapping) or not all(isinstance(v, str) for v in regions.values()):
        raise DatasetError(f"{where}.grid_regions is a table {{subdivision = factor key}}")
    if grid == "regional" and not regions:
        raise DatasetError(f"{where}: a regional grid needs grid_regions")
    uncertainty = raw.get("uncertainty", inherited.uncertainty)
    if uncertainty not in UNCERTAINTY_RULES:
        raise DatasetError(
            f"{where}.uncertainty is one of {', '.join(UNCERTAINTY_RULES)}, not {uncertainty!r}"
        )
    forest = raw.get("forest", inherited.forest)
    if forest not in FORESTS:
        raise DatasetError(f"{where}.forest is one of {', '.join(FORESTS)}, not {forest!r}")
    activity, flights = (
        raw.get(rule, getattr(inherited, rule))
        for rule in ("activity_uncertainty", "flights_with_radiative_forcing")
    )
    for rule, value in (
        ("activity_uncertainty", activity),
        ("flights_with_radiative_forcing", flights),
    ):
        if not isinstance(value, bool):
            raise DatasetError(f"{where}.{rule} is true or false")
    large = raw.get("large_uncertainty", inherited.large_uncertainty)
    if large not in APPROACHES:
        raise DatasetError(
            f"{where}.large_uncertainty is one of {', '.join(APPROACHES)}, not {large!r}"
        )
    boundary = raw.get("transport_boundary", inherited.transport_boundary)
    if boundary not in TRANSPORT_BOUNDARIES:
        raise DatasetError(
            f"{where}.transport_boundary is one of {', '.join(TRANSPORT_BOUNDARIES)}, "
            f"not {boundary!r}"
        )
    wtt = raw.get("well_to_tank", {})
    if not isinstance(wtt, Mapping) or not all(isinstance(v, str) for v in wtt.values()):
        raise DatasetError(f"{where}.well_to_tank is a table {{transport key = wtt key}}")
    wtt = {**inherited.well_to_tank, **wtt}  # an extension names its own factors' upstream
    if boundary == "well_to_wheel" and not wtt:
        raise DatasetError(f"{where}: a well-to-wheel boundary needs well_to_tank")
    return Method(
        edition,
        grid,
        dict(regions),
        uncertainty,
        forest,
        activity,
        large,
        flights,
        boundary,
        dict(wtt),
    )


def _own_entries(
    data: Mapping[str, Any], code: str, parent: Dataset | None, revises: bool
) -> dict[str, Mapping[str, Any]]:
    """The document's factor entries; a revision's may redefine its predecessor's."""
    inherited = parent.factors if parent is not None else {}
    raw: dict[str, Mapping[str, Any]] = {}
    for entry in data.get("factors", []):
        fid = str(_FIELDS.require(entry, "id", "factor"))
        if fid in raw:
            raise DatasetError(f"factor {fid}: duplicate id")
        redefines = fid in inherited
        if "revised_zh" in entry and "revised" not in entry:
            raise DatasetError(f"factor {fid}: revised_zh translates revised: give both")
        if "revised" in entry and not (revises and redefines):
            raise DatasetError(
                f"factor {fid}: says it is revised, but "
                + (f"{code} revises no dataset" if not revises else "its predecessor has none")
            )
        if redefines and not revises:
            raise DatasetError(
                f"factor {fid}: already in {parent.code if parent else ''}, which it extends: "
                "a published value is changed only by a new version, never overridden"
            )
        if redefines and not str(entry.get("revised", "")).strip():
            raise DatasetError(
                f"factor {fid}: already in {code}'s predecessor: a revision says why "
                '(revised = "…")'
            )
        raw[fid] = entry
    return raw


def _check_well_to_tank(method: Method, keys: set[tuple[str, str]], code: str) -> None:
    """Every transport factor has its well-to-tank part named, and each one named exists:
    by a transport factor's key, or by an energy factor's id (``freight.rail``)."""
    where = f"dataset {code}: method.well_to_tank"
    missing = sorted(k for g, k in keys if g == "transport" and k not in method.well_to_tank)
    if missing:
        raise DatasetError(f"{where} names nothing for {', '.join(missing)}")
    for name, wtt in method.well_to_tank.items():
        group, _, key = name.rpartition(".")
        group = group or "transport"
        if (group, key) not in keys or group not in ("transport", *ENERGY_GROUPS):
            raise DatasetError(f"{where}: no transport or energy factor {name!r}")
        if wtt not in (WTT_INCLUDED, WTT_UNAVAILABLE) and (f"{group}_wtt", wtt) not in keys:
            raise DatasetError(f"{where}.{name} names no {group}_wtt factor {wtt!r}")


def _carried(
    head: Header, carried: Dataset | None, parent: Dataset | None
) -> tuple[dict[str, Mapping[str, Any]], dict[str, Source]]:
    """The entries and sources an extension carries (none if it carries nothing)."""
    if not head.carries:
        if carried is not None:
            raise DatasetError(f"dataset {head.code} carries no dataset, not {carried.code}")
        return {}, {}
    if carried is None or carried.code != head.carries:
        raise DatasetError(f"dataset {head.code} carries {head.carries}: give it parsed")
    if not carried.extends or not carried.added:
        raise DatasetError(f"dataset {head.code}: {carried.code} is no extension to carry")
    inherited = parent.factors if parent is not None else {}
    clash = sorted(fid for fid in carried.added if fid in inherited)
    if clash:
        raise DatasetError(f"dataset {head.code}: {carried.code}'s {clash[0]} is its parent's too")
    return dict(carried.added), dict(carried.sources)


def parse_dataset(
    document: bytes, parent: Dataset | None = None, carried: Dataset | None = None
) -> Dataset:
    """Parse and check a dataset document; derived factors are computed here.

    A document that says ``extends = "X"`` or ``revises = "X"`` needs the parsed dataset
    ``X`` as ``parent``; one that says ``carries = "Y"`` the parsed extension ``Y`` as
    ``carried``.
    """
    data = _toml(document)
    head = header(document)
    code, extends, base = head.code, head.extends, head.parent
    revises = bool(head.revises)
    relation = "revises" if revises else "extends"
    if base and parent is None:
        raise DatasetError(f"dataset {code} {relation} {base}: give the parent dataset")
    if parent is not None and parent.code != base:
        raise DatasetError(f"dataset {code} {relation} {base or 'nothing'}, not {parent.code}")
    if parent is not None and not parent.checksum:
        raise DatasetError(f"the parent dataset {parent.code} has no checksum")
    if base == code:
        raise DatasetError(f"dataset {code} cannot extend itself")
    if revises and parent is not None and not parent.entries:
        raise DatasetError(f"dataset {code} revises {base}: give {base} parsed from its document")
    own_sources = _sources(data)
    sources = _inherited_sources(parent) if parent is not None else {}
    for sid in own_sources:
        if sid in sources:
            raise DatasetError(f"source {sid}: already in {base} (refer to it by its id)")
    sources.update(own_sources)
    taken, taken_sources = _carried(head, carried, parent)
    for sid, source in taken_sources.items():
        if sources.setdefault(sid, source) != source:
            raise DatasetError(f"source {sid}: {head.carries}'s differs from {base}'s")
    own = _own_entries(data, code, parent, revises)
    for fid in own:
        if fid in taken:
            raise DatasetError(f"factor {fid}: already in {head.carries}, which it carries")
    own = {**taken, **own}
    if revises and parent is not None:  # every entry resolved again: derived ones follow
        entries: dict[str, Mapping[str, Any]] = {**parent.entries, **own}
        done: dict[str, Factor] = {}
    else:
        entries = own
        done = dict(parent.factors) if parent is not None else {}
    for fid in entries:
        _resolve(entries, fid, sources, done, set())
    keys = [(f.group, f.key) for f in done.values()]
    if len(set(keys)) != len(keys):
        raise DatasetError("two factors share a group and key")
    method = _method(data, code, parent.method if parent is not None else Method())
    for key in method.grid_regions.values():
        if ("electricity", key) not in set(keys):
            raise DatasetError(f"dataset {code}: method.grid_regions names no factor {key!r}")
    if method.transport_boundary == "well_to_wheel":
        _check_well_to_tank(method, set(keys), code)
    checksum = hashlib.sha256(document)
    if parent is not None:
        checksum.update(f"\n{relation} {parent.code} {parent.checksum}".encode())
    if carried is not None:
        checksum.update(f"\ncarries {carried.code} {carried.checksum}".encode())
    meta = data["dataset"]
    return Dataset(
        code=code,
        title_en=str(meta.get("title_en", "")),
        title_zh=str(meta.get("title_zh", "")),
        region=str(meta.get("region", "")),
        description_en=str(meta.get("description_en", "")),
        description_zh=str(meta.get("description_zh", "")),
        factors=done,
        checksum=checksum.hexdigest(),
        extends=extends,
        sources=sources,
        revises=head.revises,
        method=method,
        revised={fid: str(entry["revised"]) for fid, entry in own.items() if "revised" in entry},
        revised_zh={
            fid: str(entry["revised_zh"]) for fid, entry in own.items() if "revised_zh" in entry
        },
        entries=entries if revises else {**(parent.entries if parent else {}), **own},
        added={} if revises else own,
        carries=head.carries,
    )


def document_method(document: bytes, inherited: Method) -> Method:
    """The rules a (checked) dataset document names, else ``inherited``: its parent's."""
    data = _toml(document)
    return _method(data, header(document).code, inherited)


def dataset_from_factors(
    code: str,
    factors: Iterable[Factor],
    *,
    method: Method | None = None,
    **meta: str,
) -> Dataset:
    """Rebuild a dataset from stored factors (the database copy of a published version)."""
    return Dataset(
        code=code,
        factors={f.id: f for f in factors},
        title_en=meta.get("title_en", ""),
        title_zh=meta.get("title_zh", ""),
        region=meta.get("region", ""),
        description_en=meta.get("description_en", ""),
        description_zh=meta.get("description_zh", ""),
        checksum=meta.get("checksum", ""),
        extends=meta.get("extends", ""),
        revises=meta.get("revises", ""),
        method=method or Method(),
    )


def range_method(method: Method) -> str:
    """How a result's range was made under ``method``, as the result states it."""
    counted = ACTIVITY_RULE if method.activity_uncertainty else ""
    large = LARGE_UNCERTAINTY_RULE if method.large_uncertainty == "monte_carlo" else ""
    return UNCERTAINTY_RULES[method.uncertainty] + counted + large
