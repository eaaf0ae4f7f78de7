"""What differs between two guide versions: criteria added, removed and changed, and the
changes to the offset rules' parameters and to how long certificates and labels last.

Before the district publishes a new version it sees what applications under it would
meet differently. Criteria are matched by id. Values are given as text in the form the
guide document writes them (lists joined by commas, shares as ``type = share``), so a
page shows them as they are typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal

from guides.core import Criterion, Guide

CRITERION_FIELDS = tuple(f.name for f in fields(Criterion) if f.name != "id")
"""What a criterion's change is made of: every field but its id (section, requirement and
evidence in both languages, clause, the subjects it applies to, the check, the rule)."""
GUIDE_FIELDS = ("certificate_validity_months", "label_validity_months")


@dataclass(frozen=True, slots=True)
class Change:
    """One field's value before and after."""

    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class CriterionChange:
    id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class GuideDiff:
    old_version: int
    new_version: int
    added: tuple[Criterion, ...]
    removed: tuple[Criterion, ...]
    changed: tuple[CriterionChange, ...]
    offsets: tuple[Change, ...]
    """Changed parameters of the offset rules (`guides.core.OffsetPolicy`)."""
    certification: tuple[Change, ...]
    """Changed validity of certificates and labels, in months."""

    @property
    def empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.offsets or self.certification
        )


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{key} = {_text(value[key])}" for key in sorted(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return "" if value is None else str(value)


def _changes(old: object, new: object, names: tuple[str, ...]) -> tuple[Change, ...]:
    pairs = ((name, _text(getattr(old, name)), _text(getattr(new, name))) for name in names)
    return tuple(Change(name, was, now) for name, was, now in pairs if was != now)


def compare_guides(old: Guide, new: Guide) -> GuideDiff:
    """How ``new`` differs from ``old``; criteria in the order their guide lists them."""
    kept = {c.id for c in new.criteria}
    changed = []
    for criterion in new.criteria:
        was = old.criterion(criterion.id)
        if was is not None:
            found = _changes(was, criterion, CRITERION_FIELDS)
            if found:
                changed.append(CriterionChange(criterion.id, found))
    offset_names = tuple(f.name for f in fields(old.offsets))
    return GuideDiff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(c for c in new.criteria if old.criterion(c.id) is None),
        removed=tuple(c for c in old.criteria if c.id not in kept),
        changed=tuple(changed),
        offsets=_changes(old.offsets, new.offsets, offset_names),
        certification=_changes(old, new, GUIDE_FIELDS),
    )
