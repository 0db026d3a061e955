"""What the simulation assumes where the scenario says nothing: rates, lengths and risks.

Every number is one field of :class:`Assumptions` with its source or its reason (the
table in docs/simulation.md repeats them). A scenario is a snapshot; these turn it into
months of arrivals, departures, declines and breakdowns.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["Assumptions", "AssumptionsError", "Rates"]


MAX_PER_YEAR = 100_000
"""The most arrivals or bed openings a year an override may set: more than twice the
Netherlands' 42,000 children a year in care with accommodation (the data README); a
larger finite number overflowed the draws or asked for exabytes."""

MAX_DAYS = 1_000_000_000
"""The longest mean stay (or mean-wait floor) an override may set: a billion days, which
is "never ends" in any run (tests use it so); above about 1e306 the draw overflowed."""


class AssumptionsError(ValueError):
    """An override of the assumptions names an unknown field or an impossible value."""


@dataclass(frozen=True, slots=True)
class Assumptions:
    """The simulation's documented assumptions; ``None`` means "derived from the scenario".

    Rates per year are converted to per day with 365 days a year.
    """

    arrivals_per_year: float | None = None
    """Children newly needing a place per year. Derived (Little's law): the scenario's
    waiting children divided by their mean wait so far (``waiting_since``), in years. For
    Regio Foodvalley: 60 children / 73.7 days = about 297 a year, the order of the data
    README's 200-250 children in residential care at any time in that region."""

    min_mean_wait_days: float = 7.0
    """Floor on the mean wait used by Little's law: a snapshot where everyone arrived today
    would otherwise mean infinitely many arrivals."""

    bed_openings_per_year: float | None = None
    """Beds coming free per year in registered (non-network) homes because a child placed
    before the simulation began leaves. Derived: arrivals times the scenario's free
    non-network beds per waiting child (the fixture's capacity assumption: about one free
    bed per waiting child, docs/fixtures.md), so supply keeps the snapshot's proportion."""

    decline_rate: float = 0.2
    """Chance that the carers of a home say no to one proposal (for every policy alike).
    Assumption: no Dutch figure per proposal is published that we know of; the fixture
    records a decline for 8% of the waiting children within the decline memory
    (docs/fixtures.md), which with two to three proposals per child in that time is about
    this order."""

    breakdown_base: float = 0.25
    """Chance that a placement ends unplanned (breakdown) before its planned end. The
    project's illustrative rate (fixtures/history.py, docs/audit.md); reviews of foster
    care report unplanned endings for roughly a fifth to a half of placements (figure as
    remembered from Oosterman et al. 2007, Children and Youth Services Review 29(1);
    not checked from this machine)."""

    breakdown_group_extra: float = 0.2
    """Added for a small-scale or residential group (fixtures/history.py)."""

    breakdown_far_extra: float = 0.15
    """Added when the home lies more than ``far_km`` from the parents (fixtures/history.py)."""

    far_km: float = 25.0

    breakdown_after_days: tuple[int, int] = (20, 240)
    """A breakdown happens uniformly between these days after the start (fixtures/history.py)."""

    stay_crisis_days: float = 42.0
    """Mean stay in crisis care (exponential). Crisis foster care is meant for days to
    weeks (the scenario format: crisisopvang, days to weeks); six weeks is our assumption."""

    stay_short_term_days: float = 180.0
    """Mean stay in short-term care (perspectiefzoekend: while the child's future is
    decided); assumption of half a year."""

    stay_part_time_days: float = 365.0
    """Mean length of a part-time arrangement (weekends and holidays); assumption."""

    long_term_until_age: int = 18
    """Long-term care (perspectiefbiedend) lasts until adulthood (the scenario format)."""

    split_after_days: int = 14
    """Practice only: a sibling group that no home takes together for this many days is
    placed child by child (solver/practice.py: today a group that fits nowhere together is
    split over single beds). Assumption: two weeks of phoning round."""

    batch_rounds: int = 5
    """Batch policies: after declines, the solver runs again the same day at most this often."""

    def __post_init__(self) -> None:
        problems = []
        for name in ("arrivals_per_year", "bed_openings_per_year"):
            v = getattr(self, name)
            if v is not None and not (math.isfinite(v) and 0 <= v <= MAX_PER_YEAR):
                problems.append(f"{name}: must be a number from 0 to {MAX_PER_YEAR}")
        for name in ("decline_rate", "breakdown_base", "breakdown_group_extra"):
            if not 0 <= getattr(self, name) <= 1:
                problems.append(f"{name}: must be between 0 and 1")
        if not 0 <= self.breakdown_far_extra <= 1:
            problems.append("breakdown_far_extra: must be between 0 and 1")
        for name in ("stay_crisis_days", "stay_short_term_days", "stay_part_time_days"):
            v = getattr(self, name)
            if not (math.isfinite(v) and 0 < v <= MAX_DAYS):
                problems.append(f"{name}: must be a number above 0, at most {MAX_DAYS}")
        # The scenario's dates are whole days: a floor below one day on the mean wait only
        # lets Little's law derive millions of arrivals a day from a snapshot of today.
        if not (
            math.isfinite(self.min_mean_wait_days) and 1 <= self.min_mean_wait_days <= MAX_DAYS
        ):
            problems.append(f"min_mean_wait_days: must be a number from 1 to {MAX_DAYS}")
        if not (math.isfinite(self.far_km) and self.far_km > 0):
            problems.append("far_km: must be a number > 0")
        lo, hi = self.breakdown_after_days
        if not 0 <= lo <= hi:
            problems.append("breakdown_after_days: must be [low, high] with 0 <= low <= high")
        if self.split_after_days < 0:
            problems.append("split_after_days: must be >= 0")
        if self.batch_rounds < 1:
            problems.append("batch_rounds: must be >= 1")
        if not 1 <= self.long_term_until_age <= 23:
            problems.append("long_term_until_age: must be between 1 and 23")
        if problems:
            raise AssumptionsError("; ".join(problems))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Assumptions:
        """Overrides from JSON; an unknown key or a value of the wrong type is an error."""
        if not isinstance(data, Mapping):
            raise AssumptionsError("assumptions: must be a JSON object")
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise AssumptionsError(f"{key}: unknown assumption (known: {', '.join(known)})")
            default = getattr(cls(), key)
            values[key] = _coerce(key, value, default)
        return replace(cls(), **values)

    def to_json(self) -> dict[str, Any]:
        return {
            f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v
            for f in fields(self)
        }


def _coerce(key: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            raise AssumptionsError(f"{key}: must be a list of two whole numbers")
        return (value[0], value[1])
    if isinstance(value, bool):
        raise AssumptionsError(f"{key}: must be a number, not true/false")
    if isinstance(default, int) and not isinstance(default, bool):
        if not isinstance(value, int):
            raise AssumptionsError(f"{key}: must be a whole number")
        return value
    if default is None and value is None:
        return None
    if not isinstance(value, int | float):
        raise AssumptionsError(f"{key}: must be a number")
    return float(value)


@dataclass(frozen=True, slots=True)
class Rates:
    """The rates a run draws from, per day, once derived from the scenario."""

    children_per_day: float
    families_per_day: float
    bed_openings_per_day: float
