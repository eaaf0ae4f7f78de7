"""The app's JSON: keys in the order written, UTF-8 as is, and every Decimal in plain
notation (`footprint.core.quantities.plain`), so that a value a view hands over as a
Decimal reads the same on SQLite and PostgreSQL (``"40000"``, never ``"4E+4"``); and read
within the JSON limits of `footprint.platform.limits`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask.json.provider import DefaultJSONProvider

from footprint.core.quantities import plain
from footprint.platform import limits


class JSONProvider(DefaultJSONProvider):
    sort_keys = False
    ensure_ascii = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """JSON no deeper and with no longer integers than the limits allow."""
        return limits.loads(s)

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, Decimal):
            return plain(o)
        return DefaultJSONProvider.default(o)
