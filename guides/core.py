"""The implementation guide as data: parsing and checking a published guide version.

A guide version (``guides/versions/<n>.toml``) holds the guide's text (sections), the
standards it follows, its criteria, the automatic rules those criteria name and the
parameters of the offset rules. This module turns a document into frozen dataclasses
and refuses a malformed one with a reason; it knows nothing of the web or the database.
Quantities are decimal strings in the document and ``Decimal`` here.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from footprint.core.datafiles import DataFile

VERSIONS_DIR = Path(__file__).parent / "versions"
SUBJECT_KINDS = ("scenic_area", "venue", "product")
CHECKS = ("automatic", "judgement")
_OFFSET_KEYS = frozenset(
    {
        "eligible_standards",
        "eligible_project_types",
        "eligible_regions",
        "vintage_window_years",
        "retirement_window_months",
        "retirement_not_before_period_start",
        "coverage_margin",
        "margin_from_uncertainty",
        "buffer_share",
    }
)
_CRITERION_KEYS = frozenset(
    {
        "id",
        "section",
        "requirement_zh",
        "requirement_en",
        "evidence_zh",
        "evidence_en",
        "clause",
        "applies_to",
        "check",
        "rule",
    }
)
_SECTION_KEYS = frozenset({"id", "title_zh", "title_en", "text_zh", "text_en"})
_RULE_KEYS = frozenset({"id", "title_zh", "title_en", "description_zh", "description_en"})
_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class GuideError(ValueError):
    """The guide document is malformed or inconsistent."""


_FIELDS = DataFile(GuideError)


@dataclass(frozen=True, slots=True)
class Standard:
    id: str
    citation: str
    title_zh: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str


@dataclass(frozen=True, slots=True)
class Rule:
    """An automatic check a criterion names; the code that runs it uses the same id."""

    id: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    section: str
    requirement_zh: str
    requirement_en: str
    evidence_zh: str
    evidence_en: str
    clause: str
    applies_to: tuple[str, ...]
    check: str
    rule: str | None = None

    @property
    def automatic(self) -> bool:
        return self.check == "automatic"


@dataclass(frozen=True)
class OffsetPolicy:
    """Parameters of the offset eligibility rules (``certify.core.eligibility``)."""

    eligible_standards: tuple[str, ...]
    eligible_project_types: tuple[str, ...]
    eligible_regions: tuple[str, ...]
    vintage_window_years: int
    retirement_window_months: int
    retirement_not_before_period_start: bool
    coverage_margin: Decimal
    buffer_share: Mapping[str, Decimal]
    margin_from_uncertainty: bool = False
    """Whether the margin rises to the residual's own uncertainty where that is larger
    (the upper reach of its ~95 % range over the residual): guide 2 on. Version 1 keeps
    the fixed ``coverage_margin``."""


@dataclass(frozen=True)
class Guide:
    version: int
    title_zh: str
    title_en: str
    published: date
    issuer_zh: str
    issuer_en: str
    summary_zh: str
    summary_en: str
    standards: tuple[Standard, ...]
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...]
    criteria: tuple[Criterion, ...]
    offsets: OffsetPolicy
    certificate_validity_months: int
    label_validity_months: int
    checksum: str = ""
    _sections: dict[str, Section] = field(default_factory=dict, repr=False, compare=False)
    _criteria: dict[str, Criterion] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._sections.update({s.id: s for s in self.sections})
        self._criteria.update({c.id: c for c in self.criteria})

    def section(self, section_id: str) -> Section | None:
        return self._sections.get(section_id)

    def criterion(self, criterion_id: str) -> Criterion | None:
        return self._criteria.get(criterion_id)

    def criteria_for(self, subject_kind: str) -> tuple[Criterion, ...]:
        """The criteria a subject of this kind (scenic_area, venue, product) must meet."""
        if subject_kind not in SUBJECT_KINDS:
            raise ValueError(f"unknown subject kind {subject_kind!r}; one of {SUBJECT_KINDS}")
        return tuple(c for c in self.criteria if subject_kind in c.applies_to)

    def criteria_in(self, section_id: str) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.section == section_id)


def _known(entry: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise GuideError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _text(entry: Mapping[str, Any], name: str, where: str) -> str:
    value = _FIELDS.require(entry, name, where)
    if not isinstance(value, str) or not value.strip():
        raise GuideError(f"{where}.{name}: must be non-empty text")
    return value.strip()


def _table(data: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
    value = _FIELDS.require(data, name, where)
    if not isinstance(value, dict):
        raise GuideError(f"{where}.{name}: must be a table")
    return value


def _tables(data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise GuideError(f"'{name}' must be an array of tables ([[{name}]])")
    return value


def _integer(raw: Any, where: str, minimum: int = 0) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise GuideError(f"{where}: must be a whole number, got {raw!r}")
    if raw < minimum:
        raise GuideError(f"{where}: must be at least {minimum}, got {raw}")
    return raw


def _fraction(raw: Any, where: str) -> Decimal:
    value = _FIELDS.decimal(raw, where)
    if not Decimal(0) <= value < Decimal(1):
        raise GuideError(f"{where}: must be at least 0 and below 1, got {raw!r}")
    return value


def _words(raw: Any, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
        raise GuideError(f"{where}: must be a list of non-empty strings")
    words = tuple(v.strip() for v in raw)
    if len(set(words)) != len(words):
        raise GuideError(f"{where}: lists an entry twice")
    return words


def _identifier(entry: Mapping[str, Any], where: str, seen: set[str]) -> str:
    ident = _FIELDS.require(entry, "id", where)
    if not isinstance(ident, str) or not _ID.match(ident):
        raise GuideError(f"{where}: id {ident!r} must be 1-40 letters, digits, '.', '-' or '_'")
    if ident in seen:
        raise GuideError(f"{where} {ident}: duplicate id")
    seen.add(ident)
    return ident


def _offsets(raw: Mapping[str, Any]) -> OffsetPolicy:
    where = "offsets"
    _known(raw, _OFFSET_KEYS, where)
    not_before = _FIELDS.require(raw, "retirement_not_before_period_start", where)
    if not isinstance(not_before, bool):
        raise GuideError(f"{where}.retirement_not_before_period_start: must be true or false")
    shares = raw.get("buffer_share", {})
    if not isinstance(shares, dict):
        raise GuideError(f"{where}.buffer_share: must be a table of project type = share")
    margin = _FIELDS.required_decimal(raw, "coverage_margin", where)
    if margin < 0:
        raise GuideError(f"{where}.coverage_margin: must not be negative")
    from_uncertainty = raw.get("margin_from_uncertainty", False)
    if not isinstance(from_uncertainty, bool):
        raise GuideError(f"{where}.margin_from_uncertainty: must be true or false")
    standards = _words(
        _FIELDS.require(raw, "eligible_standards", where), f"{where}.eligible_standards"
    )
    types = _words(
        _FIELDS.require(raw, "eligible_project_types", where), f"{where}.eligible_project_types"
    )
    if not standards or not types:
        raise GuideError(f"{where}: name at least one eligible standard and project type")
    return OffsetPolicy(
        eligible_standards=standards,
        eligible_project_types=types,
        eligible_regions=_words(raw.get("eligible_regions", []), f"{where}.eligible_regions"),
        vintage_window_years=_integer(
            _FIELDS.require(raw, "vintage_window_years", where), f"{where}.vintage_window_years"
        ),
        retirement_window_months=_integer(
            _FIELDS.require(raw, "retirement_window_months", where),
            f"{where}.retirement_window_months",
        ),
        retirement_not_before_period_start=not_before,
        coverage_margin=margin,
        buffer_share={str(k): _fraction(v, f"{where}.buffer_share.{k}") for k, v in shares.items()},
        margin_from_uncertainty=from_uncertainty,
    )


def _criterion(
    entry: Mapping[str, Any],
    sections: Mapping[str, Section],
    rules: Mapping[str, Rule],
    seen: set[str],
) -> Criterion:
    cid = _identifier(entry, "criterion", seen)
    where = f"criterion {cid}"
    _known(entry, _CRITERION_KEYS, where)
    section = _text(entry, "section", where)
    if section not in sections:
        raise GuideError(f"{where}: unknown section {section!r}")
    applies_to = _words(_FIELDS.require(entry, "applies_to", where), f"{where}.applies_to")
    unknown = [k for k in applies_to if k not in SUBJECT_KINDS]
    if not applies_to or unknown:
        raise GuideError(
            f"{where}.applies_to: give one or more of {SUBJECT_KINDS}"
            + (f", not {unknown}" if unknown else "")
        )
    check = _FIELDS.require(entry, "check", where)
    if check not in CHECKS:
        raise GuideError(f"{where}.check: must be one of {CHECKS}, got {check!r}")
    rule = entry.get("rule")
    if check == "automatic":
        if not isinstance(rule, str) or not rule:
            raise GuideError(f"{where}: an automatic criterion must name its rule")
        if rule not in rules:
            raise GuideError(f"{where}: unknown rule {rule!r} (declare it under [[rules]])")
    elif rule is not None:
        raise GuideError(f"{where}: a judgement criterion names no rule, got {rule!r}")
    return Criterion(
        id=cid,
        section=section,
        requirement_zh=_text(entry, "requirement_zh", where),
        requirement_en=_text(entry, "requirement_en", where),
        evidence_zh=_text(entry, "evidence_zh", where),
        evidence_en=_text(entry, "evidence_en", where),
        clause=_text(entry, "clause", where),
        applies_to=applies_to,
        check=check,
        rule=rule,
    )


def _rule(entry: Mapping[str, Any], seen: set[str]) -> Rule:
    rid = _identifier(entry, "rule", seen)
    if not _RULE_ID.match(rid):
        raise GuideError(f"rule {rid}: rule ids look like 'area.name' (lower case)")
    where = f"rule {rid}"
    _known(entry, _RULE_KEYS, where)
    return Rule(
        id=rid,
        title_zh=_text(entry, "title_zh", where),
        title_en=_text(entry, "title_en", where),
        description_zh=_text(entry, "description_zh", where),
        description_en=_text(entry, "description_en", where),
    )


def _published(raw: Any) -> date:
    if isinstance(raw, date) and not hasattr(raw, "hour"):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise GuideError(f"guide.published: must be a date (YYYY-MM-DD), got {raw!r}")


def parse_guide(document: bytes) -> Guide:
    """Parse and check a guide document; raises GuideError saying what is wrong."""
    try:
        data = tomllib.loads(document.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise GuideError(f"not a TOML document: {error}") from error
    meta = _table(data, "guide", "document")
    seen: set[str] = set()
    standards = []
    for entry in _tables(data, "standards"):
        sid = _identifier(entry, "standard", seen)
        standards.append(
            Standard(
                id=sid,
                citation=_text(entry, "citation", f"standard {sid}"),
                title_zh=str(entry.get("title_zh", "")),
                url=str(entry.get("url", "")),
            )
        )
    seen = set()
    sections: dict[str, Section] = {}
    for entry in _tables(data, "sections"):
        sid = _identifier(entry, "section", seen)
        where = f"section {sid}"
        _known(entry, _SECTION_KEYS, where)
        sections[sid] = Section(
            id=sid,
            title_zh=_text(entry, "title_zh", where),
            title_en=_text(entry, "title_en", where),
            text_zh=_text(entry, "text_zh", where),
            text_en=_text(entry, "text_en", where),
        )
    seen = set()
    rules = {r.id: r for r in (_rule(entry, seen) for entry in _tables(data, "rules"))}
    seen = set()
    criteria = tuple(
        _criterion(entry, sections, rules, seen) for entry in _tables(data, "criteria")
    )
    if not sections or not criteria:
        raise GuideError("a guide has at least one section and one criterion")
    unused = sorted(set(rules) - {c.rule for c in criteria})
    if unused:
        raise GuideError(f"rules named by no criterion: {', '.join(unused)}")
    certification = _table(data, "certification", "document")
    return Guide(
        version=_integer(_FIELDS.require(meta, "version", "guide"), "guide.version", minimum=1),
        title_zh=_text(meta, "title_zh", "guide"),
        title_en=_text(meta, "title_en", "guide"),
        published=_published(_FIELDS.require(meta, "published", "guide")),
        issuer_zh=_text(meta, "issuer_zh", "guide"),
        issuer_en=_text(meta, "issuer_en", "guide"),
        summary_zh=_text(meta, "summary_zh", "guide"),
        summary_en=_text(meta, "summary_en", "guide"),
        standards=tuple(standards),
        sections=tuple(sections.values()),
        rules=tuple(rules.values()),
        criteria=criteria,
        offsets=_offsets(_table(data, "offsets", "document")),
        certificate_validity_months=_integer(
            _FIELDS.require(certification, "validity_months_after_period_end", "certification"),
            "certification.validity_months_after_period_end",
            minimum=1,
        ),
        label_validity_months=_integer(
            _FIELDS.require(certification, "label_validity_months", "certification"),
            "certification.label_validity_months",
            minimum=1,
        ),
        checksum=hashlib.sha256(document).hexdigest(),
    )


def versions(directory: Path = VERSIONS_DIR) -> tuple[int, ...]:
    """The published guide versions, oldest first (files named ``<version>.toml``)."""
    return tuple(sorted(int(p.stem) for p in directory.glob("*.toml") if p.stem.isdigit()))


@cache
def _load(path: Path, version: int) -> Guide:
    guide = parse_guide(path.read_bytes())
    if guide.version != version:
        raise GuideError(f"{path.name}: declares version {guide.version}")
    return guide


def load_guide(version: int | None = None, directory: Path = VERSIONS_DIR) -> Guide:
    """Load a published guide version; the latest when ``version`` is None."""
    known: Sequence[int] = versions(directory)
    if not known:
        raise GuideError(f"no guide versions in {directory}")
    chosen = known[-1] if version is None else version
    if chosen not in known:
        raise GuideError(f"no guide version {chosen}; published: {', '.join(map(str, known))}")
    return _load(directory / f"{chosen}.toml", chosen)
