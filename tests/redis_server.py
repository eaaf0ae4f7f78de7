"""The Redis of the tests that share rate-limit counters between app instances and
nodes: ``TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``), each test under a key
prefix of its own, deleted afterwards; a test is skipped if Redis is unreachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip() -> Any:
    """A connection to the test Redis, or the test skipped."""
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {error}")
    return connection


@contextmanager
def own_prefix() -> Iterator[str]:
    """A key prefix of the caller's own in the test Redis, its keys deleted afterwards."""
    connection = redis_or_skip()
    prefix = f"scenic-carbon-test-{uuid.uuid4().hex}"
    try:
        yield prefix
    finally:
        for key in connection.scan_iter(match=f"*{prefix}*"):
            connection.delete(key)
