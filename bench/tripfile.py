"""A synthetic ticketing export for ``flask footprints batch``, written line by line.

The mix imitates a scenic area's visitors: mostly rail and coach arrivals, some flights
and cars (shared or not), hotels of several classes, and rides on the area's attractions;
parties of 1 to 4, some round trips. Every row is valid, so the whole file gets priced.
The file is streamed to disk: memory does not depend on its length.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from footprint.core.batch import COLUMNS

# (mode, weight, one-way distance range in km)
MODES = (
    ("high_speed_rail", 30, (150, 1500)),
    ("flight", 15, (600, 2500)),
    ("coach", 12, (50, 400)),
    ("rail", 6, (100, 900)),
    ("car_petrol", 10, (20, 500)),
    ("car_diesel", 3, (20, 500)),
    ("car_hybrid", 3, (20, 500)),
    ("car_electric", 4, (20, 400)),
    ("taxi", 8, (3, 40)),
    ("bus", 5, (2, 30)),
    ("shuttle_bus", 10, (5, 40)),
    ("boat", 2, (2, 20)),
)
VEHICLES = frozenset({"car_petrol", "car_diesel", "car_hybrid", "car_electric", "taxi"})
LODGING = (("hotel", 40), ("hotel_luxury", 10), ("guesthouse", 25), ("homestay", 25))
ATTRACTIONS = (("cable_car", 40), ("elevator", 30), ("sightseeing_bus", 50), ("boat", 10))
SEED = 2024
Row = tuple[str, str, str, str, str, str, str, str]


def _weighted(table: tuple[tuple[str, int], ...]) -> list[str]:
    """Each name repeated by its weight, to draw from with ``choice``."""
    return [name for name, weight in table for _ in range(weight)]


class _Trips:
    """Rows of random trips, one trip at a time."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.modes = _weighted(tuple((mode, weight) for mode, weight, _ in MODES))
        self.ranges = {mode: km for mode, _, km in MODES}
        self.lodging, self.attractions = _weighted(LODGING), _weighted(ATTRACTIONS)

    def _leg(self, trip_id: str, travellers: str) -> Row:
        rng = self.rng
        mode = rng.choice(self.modes)
        low, high = self.ranges[mode]
        km = f"{rng.uniform(low, high):.1f}" if rng.random() < 0.5 else str(rng.randint(low, high))
        round_trip = rng.choice(("true", "false", "", "1"))
        occupants = str(rng.randint(1, 5)) if mode in VEHICLES and rng.random() < 0.6 else ""
        rf = rng.choice(("", "", "", "false")) if mode == "flight" else ""
        return (trip_id, "transport", mode, km, travellers, round_trip, occupants, rf)

    def trip(self, number: int) -> list[Row]:
        rng = self.rng
        trip_id, travellers = f"T{number:08d}", str(rng.choice((1, 2, 2, 2, 3, 4)))
        rows = [self._leg(trip_id, travellers) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        if rng.random() < 0.7:
            nights_rooms = str(rng.randint(1, 4) * rng.choice((1, 1, 1, 2)))
            rows.append(
                (trip_id, "lodging", rng.choice(self.lodging), nights_rooms, travellers, "", "", "")
            )
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            rows.append(
                (
                    trip_id,
                    "attractions",
                    rng.choice(self.attractions),
                    str(rng.choice((1, 1, 2))),
                    travellers,
                    "",
                    "",
                    "",
                )
            )
        return rows


def write_trip_file(path: Path, lines: int, seed: int = SEED) -> int:
    """Write the header and exactly ``lines`` trip lines to ``path``; the number of trips."""
    trips = _Trips(seed)
    written = number = 0
    with path.open("w", newline="", encoding="utf-8", buffering=1 << 20) as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        while written < lines:
            number += 1
            rows = trips.trip(number)[: lines - written]
            out.writerows(rows)
            written += len(rows)
    return number
