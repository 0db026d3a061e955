"""Time for the service: a clock that tests can hold still or move forward.

Proposals lapse after the policy's hold period and ages are counted on "today", so every
service function takes the current time from a :class:`Clock` instead of the system.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Clock", "FixedClock", "SystemClock", "local_date", "local_time"]

_LOCAL: ZoneInfo | None
try:
    _LOCAL = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # pragma: no cover - minimal images without tzdata
    _LOCAL = None


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware start")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)


def local_date(moment: datetime) -> date:
    """The calendar day in the Netherlands: the reference date of the live state."""
    return local_time(moment).date()


def local_time(moment: datetime) -> datetime:
    """``moment`` on Dutch clocks (CET or CEST), as people read it. Times are kept in UTC;
    one without a zone (the stored columns give them with one, a caller might not) is
    taken as UTC too."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_LOCAL) if _LOCAL is not None else moment
