"""The API example trip, as a JSON body for the HTTP benchmark and as core objects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from footprint.core.trips import Trip
from footprint.web.trips import EXAMPLE, TripSchema

BODY: dict[str, Any] = EXAMPLE
# 712.844 flight + 36.576 rail + 3.29 car + 160.5 hotel + 2 × 2 × 0.5366 cable car
EXPECTED_TOTAL_KG = Decimal("915.3564")


def core_trip(body: dict[str, Any] = BODY) -> Trip:
    """``body`` as the calculator's objects, built by the API's own schema."""
    data = TripSchema().load(body)
    data.pop("dataset", None)
    return Trip(**data)
