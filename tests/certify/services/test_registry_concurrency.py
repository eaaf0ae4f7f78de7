"""Exactly-once retirement under concurrent requests, in threads and in processes.

Runs on whichever database the suite runs on (SQLite by default, PostgreSQL with
TEST_DATABASE_URL): the guarantee comes from the database, not from one process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from certify.models.registry import Retirement
from certify.services import ledger
from footprint.platform.db import db
from tests.certify.builders import serial
from tests.certify.races import assert_exactly_one_won, overlapping

CONTENDERS = 8


def test_concurrent_overlapping_retirements_in_threads_let_exactly_one_win(app, registry):
    barrier = threading.Barrier(CONTENDERS)

    def attempt(i: int) -> int:
        client = app.test_client()
        barrier.wait()
        return client.post(
            "/api/v1/registry/retirements", json=overlapping(i), headers=registry.holder
        ).status_code

    with ThreadPoolExecutor(CONTENDERS) as pool:
        statuses = list(pool.map(attempt, range(CONTENDERS)))
    assert_exactly_one_won(app, statuses)


def _retire_in_own_process(
    database_url: str, token_header: str, i: int, start_at: float, results: multiprocessing.Queue
) -> None:
    import time

    os.environ["DATABASE_URL"] = database_url
    from footprint.platform.app import create_app

    client = create_app({"TESTING": True}).test_client()
    time.sleep(max(0.0, start_at - time.time()))
    response = client.post(
        "/api/v1/registry/retirements", json=overlapping(i), headers={"Authorization": token_header}
    )
    results.put(response.status_code)


@pytest.mark.processes
def test_concurrent_overlapping_retirements_in_processes_let_exactly_one_win(app, registry):
    import time

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 4  # time for every child to import and build its app
    children = [
        context.Process(
            target=_retire_in_own_process,
            args=(
                os.environ["DATABASE_URL"],
                registry.holder["Authorization"],
                i,
                start_at,
                results,
            ),
        )
        for i in range(CONTENDERS)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    statuses = [results.get(timeout=5) for _ in children]
    assert_exactly_one_won(app, statuses)


def test_concurrent_disjoint_retirements_all_succeed(app, registry):
    barrier = threading.Barrier(CONTENDERS)

    def attempt(i: int) -> int:
        client = app.test_client()
        barrier.wait()
        body = {
            "serial_start": serial(1 + 10 * i),
            "serial_end": serial(10 + 10 * i),
            "beneficiary": f"Claim {i}",
            "purpose": "disjoint",
        }
        return client.post(
            "/api/v1/registry/retirements", json=body, headers=registry.holder
        ).status_code

    with ThreadPoolExecutor(CONTENDERS) as pool:
        statuses = list(pool.map(attempt, range(CONTENDERS)))
    assert statuses == [201] * CONTENDERS
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Retirement)) == CONTENDERS
        assert ledger.check() == []
