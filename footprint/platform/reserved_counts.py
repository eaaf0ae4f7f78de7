"""A Redis storage for the generous rate limits that asks Redis once per few requests.

The public limits (``RATE_LIMIT_PUBLIC``: 600 a minute per client address) are counted
in Redis so that they hold across workers and nodes; asking Redis on every request costs
each public request a network round trip (about 0.35 ms on loopback here, more than the
trip calculation itself). This storage — `limits`' own `RedisStorage`, registered for the
``reserving+redis://`` and ``reserving+rediss://`` schemes — takes a limit's requests from
Redis in small reservations instead: the first request of a client takes ``batch`` of
the limit's allowance in one call, the next ``batch - 1`` requests within
`HOLD_SECONDS` are served from what this process holds. Neither `limits` nor
Flask-Limiter offers such batching, hence these few lines.

What a reservation changes: requests are counted before they are made, so a client is
refused at most ``batch - 1`` requests early per process holding an unused reservation,
never let through beyond the limit. Near the limit, when a whole reservation no longer
fits, single requests are asked for, one call each, as plain `RedisStorage` does. Limits
too small for a reservation to be noise (``batch`` = 1, under `PER_RESERVATION` × 2
requests a window) are counted request by request. Only the sliding-window counter
(the strategy of the generous limits) reserves; every other call is `RedisStorage`'s.
"""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

from limits.storage import RedisStorage

SCHEME = "reserving+"
PER_RESERVATION = 10
"""At most this many requests are reserved at once."""
SHARE_OF_LIMIT = 60
"""… and at most one 60th of the limit: ten of 600 a minute, one of 59."""
HOLD_SECONDS = 1.0
"""How long a process keeps an unused reservation; then it asks Redis again."""
MAX_HOLDERS = 10_000
"""Reservations held at once (one per client address); expired ones are dropped beyond."""


def batch(limit: int) -> int:
    """How many requests of a limit of ``limit`` per window one call reserves."""
    return max(1, min(PER_RESERVATION, limit // SHARE_OF_LIMIT))


def reserving(uri: str) -> str:
    """``uri`` as this storage's URI when it names Redis; any other storage unchanged."""
    if uri.startswith(("redis://", "rediss://")):
        return SCHEME + uri
    return uri


class ReservingRedisStorage(RedisStorage):
    """`RedisStorage` whose sliding-window entries are acquired a reservation at a time."""

    STORAGE_SCHEME: ClassVar[list[str]] = ["reserving+redis", "reserving+rediss"]

    def __init__(self, uri: str, **options: Any) -> None:
        super().__init__(uri.removeprefix(SCHEME), **options)
        self._held: dict[str, tuple[int, float]] = {}
        """Per key: the requests still held and until when (``time.monotonic``)."""
        self._lock = threading.Lock()

    def _take_held(self, key: str, now: float) -> bool:
        with self._lock:
            left, until = self._held.get(key, (0, 0.0))
            if left and now < until:
                self._held[key] = (left - 1, until)
                return True
            return False

    def _hold(self, key: str, left: int, now: float) -> None:
        with self._lock:
            if len(self._held) >= MAX_HOLDERS:
                self._held = {k: v for k, v in self._held.items() if v[1] > now}
            self._held[key] = (left, now + HOLD_SECONDS)

    def acquire_sliding_window_entry(
        self, key: str, limit: int, expiry: int, amount: int = 1
    ) -> bool:
        size = batch(limit)
        if amount != 1 or size == 1:
            return super().acquire_sliding_window_entry(key, limit, expiry, amount)
        now = time.monotonic()
        if self._take_held(key, now):
            return True
        if super().acquire_sliding_window_entry(key, limit, expiry, size):
            self._hold(key, size - 1, now)
            return True
        return super().acquire_sliding_window_entry(key, limit, expiry, 1)

    def reset(self) -> int | None:
        with self._lock:
            self._held.clear()
        return super().reset()
