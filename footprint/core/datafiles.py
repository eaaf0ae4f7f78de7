"""Reading the versioned data files (factor datasets, guide versions, category ranges):
the field readers they share, each naming where a bad value is.

Every file kind has its own error type (`DatasetError`, `GuideError`, …); a `DataFile`
raises that one, so a parser reads ``_FIELDS.decimal(raw, where)`` and its callers
catch what they expect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True, slots=True)
class DataFile:
    """The field readers of one kind of data file, raising ``error``."""

    error: type[ValueError]

    def require(self, entry: Mapping[str, Any], name: str, where: str) -> Any:
        """``entry[name]``, or the error saying it is missing."""
        if name not in entry:
            raise self.error(f"{where}: missing '{name}'")
        return entry[name]

    def required_decimal(self, entry: Mapping[str, Any], name: str, where: str) -> Decimal:
        """The quantity ``entry[name]``, which must be there."""
        return self.decimal(self.require(entry, name, where), f"{where}.{name}")

    def decimal(self, raw: Any, where: str) -> Decimal:
        """A quantity, written as a decimal string so that it loads exactly."""
        if not isinstance(raw, str):
            raise self.error(f"{where}: quantities are written as decimal strings, got {raw!r}")
        try:
            value = Decimal(raw)
        except InvalidOperation as problem:
            raise self.error(f"{where}: {raw!r} is not a decimal number") from problem
        if not value.is_finite():
            raise self.error(f"{where}: {raw!r} is not finite")
        return value
