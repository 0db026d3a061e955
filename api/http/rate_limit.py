"""Per-key token buckets for the expensive endpoints (ranked options, match runs).

A bucket holds up to ``burst`` tokens and refills at ``per_second``; a request takes one
token or is refused with the time until the next one (429 with ``Retry-After``). Buckets
live in the process: with several worker processes each enforces its own limit, so the
effective limit is the setting times the number of workers (docs/api.md).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Limit", "RateLimiter"]

# Above this many buckets, full ones (keys idle long enough to have refilled) are dropped:
# the memory a flood of distinct keys can take is bounded, and nothing is forgotten that
# would change an answer.
_MAX_BUCKETS = 10_000


@dataclass(frozen=True, slots=True)
class Limit:
    """``burst`` requests at once, then ``per_second`` on average."""

    burst: int
    per_second: float

    @classmethod
    def per_minute(cls, rate: int, burst: int) -> Limit:
        return cls(burst, rate / 60)

    @classmethod
    def per_hour(cls, rate: int, burst: int) -> Limit:
        return cls(burst, rate / 3600)


class RateLimiter:
    """Token buckets keyed by (endpoint family, key prefix); safe across threads."""

    def __init__(self, limits: dict[str, Limit]) -> None:
        self.limits = dict(limits)
        self._buckets: dict[tuple[str, str], tuple[float, datetime]] = {}
        self._lock = threading.Lock()

    def take(self, family: str, key: str, now: datetime) -> float | None:
        """Take a token; ``None`` if granted, else the seconds until one is available."""
        limit = self.limits[family]
        with self._lock:
            tokens, last = self._buckets.get((family, key), (float(limit.burst), now))
            # A clock that steps back (wall time) refills nothing rather than going negative.
            elapsed = max(0.0, (now - last).total_seconds())
            tokens = min(float(limit.burst), tokens + elapsed * limit.per_second)
            if tokens >= 1.0:
                self._buckets[(family, key)] = (tokens - 1.0, now)
                self._prune(now)
                return None
            self._buckets[(family, key)] = (tokens, now)
            return (1.0 - tokens) / limit.per_second

    def _prune(self, now: datetime) -> None:
        if len(self._buckets) <= _MAX_BUCKETS:
            return
        for bucket, (tokens, last) in list(self._buckets.items()):
            limit = self.limits[bucket[0]]
            refilled = tokens + (now - last).total_seconds() * limit.per_second
            if refilled >= limit.burst:
                del self._buckets[bucket]
