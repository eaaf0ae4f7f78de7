"""The forest a trip's plain-language equivalent is measured against, where an edition's
rules take it from the registry (`footprint.core.datasets.Method.forest`): the verified
sequestration of the district's own forest-sink projects, credits issued per hectare
and year, rather than a growth rate read from a table.

The registry belongs to the certification side, a layer above this one, so it offers
the figure: at start-up `certify` gives each app a provider (`provide`), which
`measured` asks. The answer is kept for a few seconds per database, like the default
dataset (`footprint.services.datasets.default_code`), so that the calculator's kept
pages, whose version names it, move within seconds of a new issuance.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask, current_app

from footprint.core.trips import ForestSink
from footprint.platform.db import db
from footprint.services.datasets import DEFAULT_TTL_SECONDS

EXTENSION = "scenic_carbon_forest_sink"
Provider = Callable[[], ForestSink | None]

_kept: dict[str, tuple[float, ForestSink | None]] = {}


def provide(app: Flask, provider: Provider) -> None:
    """``provider`` measures the registry's forest sink for ``app``."""
    app.extensions[EXTENSION] = provider


def measured() -> ForestSink | None:
    """The registry's measured forest sink (None: no provider, or no forest measured),
    read again at most every few seconds."""
    provider: Provider | None = current_app.extensions.get(EXTENSION)
    if provider is None:
        return None
    url = str(db.engine.url)
    now = time.monotonic()
    kept = _kept.get(url)
    if kept is None or kept[0] <= now:
        kept = (now + DEFAULT_TTL_SECONDS, provider())
        _kept[url] = kept
    return kept[1]


def clear() -> None:
    """Forget what was measured (for a process whose database was replaced under it)."""
    _kept.clear()
