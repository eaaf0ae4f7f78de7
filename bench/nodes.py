"""Two app nodes against one, with the same number of workers in all, in the same run.

The README's production layout: nodes on one PostgreSQL database and one Redis (the
rate limits' counters), the same key store. In a PostgreSQL database of its own
(created on ``BENCH_POSTGRES_URL``'s server, dropped after) and a Redis key prefix of
its own (``REDIS_URL``, default database 14; its keys deleted after): ``db upgrade`` and
``demo``, then three gunicorns at once — one node of 2 workers, and nodes A and B of 1
worker each. Each measurement is two wrk processes sharing the load's threads and
connections: both against the one node, or one against each of A and B (no balancer in
between). The two are alternated round by round, for the public trip calculator (a
count in Redis, the dataset) and for scanning a demo certificate (the status query);
the verdict is the median two-nodes/one-node ratio of the calm rounds (the database
server's backends count as the measurement's CPU, not others').

On 2 cores the ratio is about 1: the point is that nothing a node must share costs
throughput when there are two.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bench import cpu, http, verify
from bench.environment import prepared
from tests.database import scratch_postgres

PART = "nodes"
TARGET_RATIO = 0.85
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")


@contextmanager
def _database() -> Iterator[str]:
    """The URL of a new PostgreSQL database, dropped afterwards."""
    try:
        with scratch_postgres(POSTGRES, prefix="bench_nodes") as url:
            yield url
    except OperationalError as error:  # no server: say where the benchmark looked
        raise SystemExit(f"{PART}: cannot create a database on {POSTGRES}: {error}") from error


@contextmanager
def _key_prefix() -> Iterator[str]:
    """A Redis key prefix of the benchmark's own, its keys deleted afterwards."""
    import redis

    connection = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    prefix = f"scenic-carbon-bench-{uuid.uuid4().hex[:12]}"
    try:
        connection.ping()
    except redis.RedisError as error:
        raise SystemExit(f"{PART}: Redis unreachable at {REDIS}: {error}") from error
    try:
        yield prefix
    finally:
        for key in connection.scan_iter(match=f"*{prefix}*"):
            connection.delete(key)


def _postmaster(url: str) -> tuple[int, ...]:
    """The PostgreSQL server's main process, if it runs here: its backends do the
    nodes' queries, so their CPU is the measurement's own."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    finally:
        engine.dispose()
    found = cpu.parent(backend)
    return () if found is None else (found,)


def run(load: http.Load) -> dict[str, Any]:
    """Set up the demo on PostgreSQL, serve it as one node and as two, compare."""
    with _database() as url, _key_prefix() as prefix, prepared(database=False) as environment:
        shared = {"DATABASE_URL": url, "REDIS_URL": REDIS, "RATE_LIMIT_KEY_PREFIX": prefix}
        environment = replace(environment, env={**environment.env, **shared})
        environment.run_flask("db", "upgrade")
        tokens = verify.tokens_shown(environment.run_flask("demo"))
        with (
            http.serving(environment, "one node", workers=2) as one,
            http.serving(environment, "node A", workers=1) as first,
            http.serving(environment, "node B", workers=1) as second,
        ):
            token, _ = verify.valid(first, tokens)
            helpers = _postmaster(url)
            results = {}
            for endpoint in (http.TRIPS, verify.endpoint(token)):
                targets = (
                    http.Target("one_node", (one,), endpoint, ways=2, helpers=helpers),
                    http.Target("two_nodes", (first, second), endpoint, ways=2, helpers=helpers),
                )
                runs = http.compare(targets, load, environment.tmp)
                results[endpoint.name] = http.summary(
                    runs, load, "two_nodes", TARGET_RATIO, baseline="one_node"
                )
    return {
        "workers": {"one_node": 2, "two_nodes": "1 + 1"},
        **results,
        "ok": all(result["ok"] for result in results.values()),
    }
