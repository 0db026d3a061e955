"""Per-key token buckets for the expensive endpoints (ranked options, match runs).

A bucket holds up to ``burst`` tokens and refills at ``per_second``; a request takes one
token or is refused with the time until the next one (429 with ``Retry-After``).
:class:`SharedRateLimiter`, which the service uses, keeps the buckets in the database, so
every worker process of ``dichtbij serve --workers N`` takes from the same bucket and the
limit is the setting whatever N is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from api.db.uow import Tx, UnitOfWork

__all__ = ["Limit", "SharedRateLimiter", "Taker"]


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


def _take(limit: Limit, tokens: float, last: datetime, now: datetime) -> tuple[float, float | None]:
    """The bucket after one request: its tokens, and ``None`` if the request may pass or
    the seconds until a token is available."""
    # A clock that steps back (wall time) refills nothing rather than going negative.
    elapsed = max(0.0, (now - last).total_seconds())
    tokens = min(float(limit.burst), tokens + elapsed * limit.per_second)
    if tokens >= 1.0:
        return tokens - 1.0, None
    return tokens, (1.0 - tokens) / limit.per_second


class Taker(Protocol):
    limits: dict[str, Limit]

    def take(self, family: str, key: str, now: datetime) -> float | None:
        """Take a token; ``None`` if granted, else the seconds until one is available."""

    def take_in(self, tx: Tx, family: str, key: str, now: datetime) -> float | None:
        """:meth:`take` inside a write transaction the caller commits."""


class SharedRateLimiter:
    """Token buckets in the database: a row per (family, key), locked while it is taken.

    On PostgreSQL two workers taking from one bucket wait for each other's row lock only;
    on SQLite every take is a write (``BEGIN IMMEDIATE``), a millisecond, but it waits
    behind any other writer's transaction (docs/api.md, "More than one worker"). A request
    takes its token in its first transaction, the one that checks its key
    (:func:`api.http.deps.allowed_caller`)."""

    def __init__(self, uow: UnitOfWork, limits: dict[str, Limit]) -> None:
        self.uow = uow
        self.limits = dict(limits)
        self._takes = 0

    def take(self, family: str, key: str, now: datetime) -> float | None:
        with self.uow.write() as tx:
            wait = self.take_in(tx, family, key, now)
            tx.commit()
        return wait

    def take_in(self, tx: Tx, family: str, key: str, now: datetime) -> float | None:
        limit = self.limits[family]
        tokens, last = tx.rate_buckets.locked(family, key, float(limit.burst), now)
        tokens, wait = _take(limit, tokens, last, now)
        tx.rate_buckets.put(family, key, tokens, now)
        self._takes += 1
        if self._takes % 1000 == 0:
            # A bucket idle for as long as it takes to refill is full again.
            refill = timedelta(seconds=limit.burst / limit.per_second)
            tx.rate_buckets.drop_idle(family, now - refill)
        return wait
