"""The API example trip, as a JSON body for the HTTP benchmark and as core objects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from footprint.core.trips import Leg, Stay, Trip, Visit

BODY: dict[str, Any] = {
    "travellers": 2,
    "dataset": "CN-2024",
    "transport": [
        {"mode": "flight", "distance_km": 1100, "round_trip": True},
        {"mode": "high_speed_rail", "distance_km": 600},
        {"mode": "car_petrol", "distance_km": 40, "occupants": 4},
    ],
    "lodging": [{"type": "hotel", "nights": 3, "rooms": 1}],
    "attractions": [{"type": "cable_car", "rides": 2}],
}
# 712.844 flight + 36.576 rail + 3.29 car + 160.5 hotel + 2 × 2 × 0.5366 cable car
EXPECTED_TOTAL_KG = Decimal("915.3564")


def core_trip(body: dict[str, Any] = BODY) -> Trip:
    """``body`` as the calculator's objects (what the API's schema would build)."""
    return Trip(
        travellers=body["travellers"],
        transport=tuple(
            Leg(leg["mode"], Decimal(str(leg["distance_km"])), leg.get("round_trip", False),
                leg.get("radiative_forcing", True), leg.get("occupants"))
            for leg in body["transport"]),
        lodging=tuple(Stay(s["nights"], s.get("rooms", 1), s["type"]) for s in body["lodging"]),
        attractions=tuple(Visit(v["rides"], v["type"]) for v in body["attractions"]),
    )
