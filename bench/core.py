"""The calculation core alone: ``calculate_trip`` on the API example, on one CPU core; and
what a seeded Monte Carlo range costs a trip (the example under CN-2025, whose cable car
is too uncertain for Approach 1), against the same trip ranged by Approach 1."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench import cpu
from bench.example import EXPECTED_TOTAL_KG, core_trip
from footprint.core.datasets import Dataset, parse_dataset
from footprint.core.trips import Trip, calculate_trip
from footprint.web.trips import present

DATASET = Path(__file__).resolve().parents[1] / "footprint" / "datasets" / "CN-2024.toml"
SECOND_EDITION = DATASET.parent / "CN-2025.toml"
TARGET_TRIPS_PER_SECOND = 50_000
TARGET_MONTE_CARLO_MS = 2.0
MONTE_CARLO_TRIPS = 500
TRIPS_PER_REPEAT = 20_000
REPEATS = 7


@contextmanager
def one_core() -> Iterator[str]:
    """Pin this process to its last allowed CPU for the duration (children are not affected)."""
    if not hasattr(os, "sched_setaffinity"):
        yield "not pinned (no sched_setaffinity)"
        return
    allowed = os.sched_getaffinity(0)
    cpu = max(allowed)
    os.sched_setaffinity(0, {cpu})
    try:
        yield f"pinned to CPU {cpu}"
    finally:
        os.sched_setaffinity(0, allowed)


def _best_rate(step: Callable[[], object], n: int, repeats: int) -> tuple[float, list[float]]:
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(n):
            step()
        rates.append(n / (time.perf_counter() - start))
    return max(rates), rates


def run(n: int = TRIPS_PER_REPEAT, repeats: int = REPEATS) -> dict[str, Any]:
    """Trips per second, best of ``repeats`` runs of ``n`` trips (and with presentation)."""
    dataset = parse_dataset(DATASET.read_bytes())
    trip = core_trip()
    result = calculate_trip(trip, dataset)
    if result.total != EXPECTED_TOTAL_KG:
        raise SystemExit(
            f"core: the example trip gives {result.total}, expected {EXPECTED_TOTAL_KG} kgCO2e"
        )
    with one_core() as pinning:
        _best_rate(lambda: calculate_trip(trip, dataset), n // 4, 1)  # warm-up
        busy, used, start = cpu.machine_busy(), time.process_time(), time.perf_counter()
        best, rates = _best_rate(lambda: calculate_trip(trip, dataset), n, repeats)
        best_presented, presented = _best_rate(
            lambda: present(calculate_trip(trip, dataset)), n, repeats
        )
        others = cpu.others_share(
            (busy, cpu.machine_busy()), time.process_time() - used, time.perf_counter() - start
        )
    monte_carlo = _monte_carlo(dataset, trip, repeats)
    return {
        "monte_carlo": monte_carlo,
        "trips_per_repeat": n,
        "repeats": repeats,
        "cpu": pinning,
        "total_kgco2e": str(result.total),
        "trips_per_second": round(best),
        "all_runs": [round(r) for r in rates],
        "with_present_trips_per_second": round(best_presented),
        "with_present_all_runs": [round(r) for r in presented],
        "others_cpu_share": others,
        "target_trips_per_second": TARGET_TRIPS_PER_SECOND,
        "ok": best >= TARGET_TRIPS_PER_SECOND and monte_carlo["ok"],
    }


def _monte_carlo(first: Dataset, trip: Trip, repeats: int) -> dict[str, Any]:
    """Milliseconds per trip with its range by Monte Carlo, and by Approach 1, in one run."""
    second = parse_dataset(SECOND_EDITION.read_bytes(), first)
    approach_1 = replace(second, method=replace(second.method, large_uncertainty="approach_1"))
    if calculate_trip(trip, second).spread.approach != "monte_carlo":
        raise SystemExit("core: the example trip is not ranged by Monte Carlo under CN-2025")
    n = MONTE_CARLO_TRIPS
    with one_core() as pinning:
        _best_rate(lambda: calculate_trip(trip, second), n // 5, 1)  # warm-up: numpy loaded
        rounds = []
        for _ in range(repeats):  # alternating, so that both see the same machine
            _, [drawn] = _best_rate(lambda: calculate_trip(trip, second), n, 1)
            _, [plain] = _best_rate(lambda: calculate_trip(trip, approach_1), n, 1)
            rounds.append((1000 / drawn, 1000 / plain))
    best = min(rounds)
    return {
        "trips_per_round": n,
        "cpu": pinning,
        "ms_per_trip_monte_carlo": round(best[0], 3),
        "ms_per_trip_approach_1": round(best[1], 3),
        "rounds_ms": [[round(a, 3), round(b, 3)] for a, b in rounds],
        "target_ms": TARGET_MONTE_CARLO_MS,
        "ok": best[0] <= TARGET_MONTE_CARLO_MS,
    }
