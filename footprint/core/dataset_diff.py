"""What differs between two emission-factor datasets: factors added, removed and changed.

The district publishes a new dataset version beside the current default; before it does,
it sees what the new version would change. Factors are matched by ``(group, key)``, the
pair calculations look them up by (`Dataset.get`), so a factor renamed under a new id but
priced by the same key is a change, not an addition and a removal.
"""

from __future__ import annotations

from dataclasses import dataclass

from footprint.core.datasets import Dataset, Factor

COMPARED = ("value", "unit", "source", "region", "year", "uncertainty", "status")
"""The fields of a factor whose difference is a change (labels and notes are not)."""


@dataclass(frozen=True, slots=True)
class FactorChange:
    old: Factor
    new: Factor
    fields: tuple[str, ...]
    """Which of `COMPARED` differ, in that order."""


@dataclass(frozen=True)
class DatasetDiff:
    old_code: str
    new_code: str
    added: tuple[Factor, ...]
    removed: tuple[Factor, ...]
    changed: tuple[FactorChange, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _by_key(dataset: Dataset) -> dict[tuple[str, str], Factor]:
    return {(f.group, f.key): f for f in dataset.factors.values()}


def compare_datasets(old: Dataset, new: Dataset) -> DatasetDiff:
    """The factors of ``new`` that ``old`` lacks, those it drops and those it changes,
    each list in ``(group, key)`` order."""
    before, after = _by_key(old), _by_key(new)
    changed = []
    for key in sorted(before.keys() & after.keys()):
        was, now = before[key], after[key]
        fields = tuple(name for name in COMPARED if getattr(was, name) != getattr(now, name))
        if fields:
            changed.append(FactorChange(was, now, fields))
    return DatasetDiff(
        old_code=old.code,
        new_code=new.code,
        added=tuple(after[key] for key in sorted(after.keys() - before.keys())),
        removed=tuple(before[key] for key in sorted(before.keys() - after.keys())),
        changed=tuple(changed),
    )
