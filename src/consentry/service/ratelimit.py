"""In-process rate limits: a token bucket per client key.

Each process keeps its own buckets, so with N workers a client gets up to N
times the limit; a single-worker server (the default) enforces it exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable

MAX_KEYS = 100_000


class RateLimiter:
    """Allows ``per_minute`` requests per key, in bursts of up to that many."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    @property
    def enabled(self) -> bool:
        """False when the limit is 0 (off)."""
        return self.capacity > 0

    def allow(self, key: str) -> bool:
        """Take one request from ``key``'s bucket; False when it is empty."""
        if not self.enabled:
            return True
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            return False
        if len(self._buckets) >= MAX_KEYS and key not in self._buckets:
            self._buckets.clear()  # bounded memory; a flood of new keys resets everyone
        self._buckets[key] = (tokens - 1.0, now)
        return True

    def retry_after(self) -> int:
        """Seconds until one more request is allowed, rounded up."""
        return max(1, int(1 / self.rate) + 1) if self.enabled else 0
