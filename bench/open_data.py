"""Open data: the retirements CSV of 100,000 retirements, streamed, against a small export.

The registry is filled through bulk inserts of what the export reads (issuances of one
project, retirements of ten credits each across them; the ledger and the blocks, which
the export does not read, are left out), first to `SIZES[0]` retirements and then to
`SIZES[1]`. At each size, in-process on one connection to the benchmark's SQLite file:

- ``GET /api/v1/open-data/retirements.csv`` through the Flask test client, unbuffered,
  read chunk by chunk to the end (best of `REPEATS`): wall seconds and bytes;
- the same stream under ``tracemalloc``: the peak of Python memory allocated while it
  ran (flat memory: the peak must not grow with the number of rows);
- the release (`certify.services.open_data.release`): the descriptor made anew (a pass
  over every file to hash it), then remembered; and that the descriptor's ``bytes`` and
  ``hash`` are those of the stream.

``ok``: 100,000 retirements stream in at most `TARGET_SECONDS`, the peak for the large
export is at most `FLAT_GROWTH` above the small one's, and the descriptor states the
bytes served. ``python -m bench opendata``, or alone ``python -m bench.open_data``; in a
database and key store of its own, as `bench.verify`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from bench.environment import Environment, prepared

SIZES = (10_000, 100_000)
TARGET_ROWS, TARGET_SECONDS = 100_000, 2.0
FLAT_GROWTH = 0.25
"""The large export's peak may be at most 25 % above the small one's."""
REPEATS = 3
PER_RETIREMENT = 10
RETIREMENTS_PER_ISSUANCE = 1_000
URL = "/api/v1/open-data/retirements.csv"
HOLDER = "Bench Holder 武陵源"


def _fill(models: Any, db: Any, *, project_id: int, holder_id: int, start: int, end: int) -> None:
    """Retirements ``start`` < n ≤ ``end`` and the issuances they come from."""
    at = datetime(2026, 1, 1, tzinfo=UTC)
    first_issuance = start // RETIREMENTS_PER_ISSUANCE
    last_issuance = end // RETIREMENTS_PER_ISSUANCE
    credits = RETIREMENTS_PER_ISSUANCE * PER_RETIREMENT
    db.session.execute(
        insert(models.Issuance),
        [
            {
                "id": i + 1,
                "project_id": project_id,
                "vintage": 2020 + i % 5,
                "programme": "WLY",
                "number_start": i * credits + 1,
                "number_end": (i + 1) * credits,
                "quantity": credits,
                "buffer_quantity": 0,
            }
            for i in range(first_issuance, last_issuance)
        ],
    )
    rows = []
    for n in range(start, end):
        issuance, offset = divmod(n, RETIREMENTS_PER_ISSUANCE)
        number = issuance * credits + offset * PER_RETIREMENT + 1
        rows.append(
            {
                "id": n + 1,
                "issuance_id": issuance + 1,
                "number_start": number,
                "number_end": number + PER_RETIREMENT - 1,
                "quantity": PER_RETIREMENT,
                "organisation_id": holder_id,
                "beneficiary": f"游客 Visitor {n + 1}",
                "purpose": "Carbon-neutral trip, offset 碳中和出行",
                "retired_at": at + timedelta(seconds=n),
            }
        )
        if len(rows) == 10_000:
            db.session.execute(insert(models.Retirement), rows)
            rows = []
    if rows:
        db.session.execute(insert(models.Retirement), rows)
    db.session.commit()


def _stream(client: Any) -> tuple[int, str, float]:
    """Bytes, sha256 and wall seconds of one download of the CSV, read chunk by chunk."""
    started = time.perf_counter()
    response = client.get(URL, buffered=False)
    digest, size = hashlib.sha256(), 0
    for chunk in response.iter_encoded():
        digest.update(chunk)
        size += len(chunk)
    response.close()
    return size, f"sha256:{digest.hexdigest()}", time.perf_counter() - started


def _peak(client: Any) -> int:
    """The peak of Python allocations while one download streams (tracemalloc)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline = tracemalloc.get_traced_memory()[0]
        _stream(client)
        return tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()


def _measure(app: Any, client: Any, rows: int) -> dict[str, Any]:
    from certify.services import open_data

    runs = [_stream(client) for _ in range(REPEATS)]
    size, digest, _ = runs[0]
    with app.test_request_context():
        open_data._released.clear()
        started = time.perf_counter()
        made = open_data.release()
        uncached = time.perf_counter() - started
        started = time.perf_counter()
        open_data.release()
        cached = time.perf_counter() - started
    (stated,) = [r for r in made.package["resources"] if r["name"] == "retirements"]
    seconds = min(run[2] for run in runs)
    return {
        "retirements": rows,
        "bytes": size,
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds),
        "peak_traced_mib": round(_peak(client) / 2**20, 2),
        "descriptor_uncached_seconds": round(uncached, 3),
        "descriptor_cached_ms": round(cached * 1000, 2),
        "descriptor_states_the_bytes": stated["bytes"] == size and stated["hash"] == digest,
    }


def run() -> dict[str, Any]:
    """The benchmark, in a database and key store of its own (other parts fill theirs)."""
    with prepared() as environment:
        return _run(environment)


def _run(environment: Environment) -> dict[str, Any]:
    os.environ.update(environment.env)
    from certify.models import registry as models
    from certify.services import registry
    from footprint.accounts import organisations
    from footprint.accounts.models import Role
    from footprint.accounts.users import create_user
    from footprint.platform.app import create_app
    from footprint.platform.db import db

    app = create_app()
    client = app.test_client()
    sizes: list[dict[str, Any]] = []
    with app.app_context():
        admin, _ = create_user(
            "bench-admin@example.com", role=Role.ADMIN, organisation_name="Bench Registry"
        )
        project = registry.create_project(
            admin,
            data={
                "code": "BENCH02",
                "name": "Bench forest 碳汇林",
                "standard": "WLY",
                "methodology": "CCER-14-001-V01",
                "project_type": "other",
                "region": "CN-HN",
            },
        )
        create_user("bench-holder@example.com", role=Role.OPERATOR, organisation_name=HOLDER)
        holder = organisations.named(HOLDER, field="holder")
        project_id, holder_id = project.id, holder.id
        filled = 0
        for rows in SIZES:
            _fill(models, db, project_id=project_id, holder_id=holder_id, start=filled, end=rows)
            filled = rows
            db.session.remove()
            _stream(client)  # warm: compiled queries, caches
            sizes.append(_measure(app, client, rows))
    small, large = sizes[0], sizes[-1]
    growth = large["peak_traced_mib"] / small["peak_traced_mib"] - 1
    fast = large["retirements"] >= TARGET_ROWS and large["seconds"] <= TARGET_SECONDS
    flat = growth <= FLAT_GROWTH
    stated = all(size["descriptor_states_the_bytes"] for size in sizes)
    for size in sizes:
        print(
            f"opendata {size['retirements']:>7,} retirements: {size['bytes'] / 2**20:6.1f} MiB "
            f"in {size['seconds']:.3f} s ({size['rows_per_second']:,}/s), peak "
            f"{size['peak_traced_mib']:.2f} MiB traced; descriptor "
            f"{size['descriptor_uncached_seconds']:.3f} s made, "
            f"{size['descriptor_cached_ms']:.2f} ms remembered",
            file=sys.stderr,
        )
    return {
        "database": environment.env["DATABASE_URL"].split(":")[0],
        "sizes": sizes,
        "peak_growth": round(growth, 3),
        "target_seconds": TARGET_SECONDS,
        "flat_growth_allowed": FLAT_GROWTH,
        "ok": fast and flat and stated,
    }


if __name__ == "__main__":
    results = run()
    print(json.dumps(results, indent=2))
    sys.exit(0 if results["ok"] else 1)
