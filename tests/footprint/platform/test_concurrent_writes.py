"""Concurrent writers on the same database all succeed (SQLite serialises them up front)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from footprint.platform.db import READ_ONLY_ENDPOINTS

WRITERS = 8


def test_concurrent_venue_and_inventory_writes_all_succeed(app, auth):
    operators = [auth("operator", f"Hotel {i}") for i in range(WRITERS)]
    barrier = threading.Barrier(WRITERS)

    def write(i: int) -> list[int]:
        client = app.test_client()
        barrier.wait()
        venue = client.post(
            "/api/v1/venues", headers=operators[i], json={"name": f"Hotel {i}", "kind": "hotel"}
        )
        inventory = client.post(
            f"/api/v1/venues/{venue.json['id']}/inventories",
            headers=operators[i],
            json={
                "period_start": "2025-01-01",
                "period_end": "2025-12-31",
                "lines": [{"kind": "grid_electricity", "quantity": 10, "unit": "MWh"}],
            },
        )
        return [venue.status_code, inventory.status_code]

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = list(pool.map(write, range(WRITERS)))
    assert statuses == [[201, 201]] * WRITERS


def test_every_endpoint_declared_read_only_exists(app):
    assert {"trips.trip_footprint", "offsets.report"} == READ_ONLY_ENDPOINTS
    assert set(app.view_functions) >= READ_ONLY_ENDPOINTS
