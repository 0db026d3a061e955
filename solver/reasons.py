"""Which eligibility rules exclude which homes for a unit, for many homes at once.

:func:`matching.rules.assess` answers for one (unit, home) pair in about 50 µs; explaining
hundreds of unplaced children against 20,000 registered homes that way takes minutes.
:class:`ReasonIndex` applies the array form of the very same rules
(:mod:`matching.rules.eligibility`) to all homes, one unit at a time, in a millisecond;
a test holds it to :func:`matching.ranking.rank`'s ``excluded_counts`` for every child
of the fixtures.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from matching.context import Context
from matching.geo import engine_km
from matching.model import Home
from matching.rules import ReasonCode
from matching.rules.base import BoolArray, FloatArray, IntArray
from matching.rules.eligibility import MEMBER_RULES, UNIT_RULES
from matching.rules.homes import HomeArrays
from matching.siblings import Unit

__all__ = ["ReasonIndex"]


class ReasonIndex:
    """The homes of a scenario as arrays, and the rule masks of a unit against them."""

    def __init__(
        self,
        ctx: Context,
        homes: Sequence[Home] | None = None,
        within: ReasonIndex | None = None,
    ) -> None:
        """``within``, an index over the same scenario that holds every one of ``homes``,
        gives its distances and masks, taken at these homes' rows: each rule decides per
        home, and a unit's masks are worked out once for both indexes."""
        self.ctx = ctx
        self.homes: tuple[Home, ...] = tuple(ctx.candidate_homes if homes is None else homes)
        self.position = {h.id: i for i, h in enumerate(self.homes)}
        self._within = within
        self._rows: IntArray = np.array(
            [within.position[h.id] for h in self.homes] if within is not None else [],
            dtype=np.int64,
        )
        self._distances: dict[str, NDArray[np.float64]] = {}
        self._from: dict[tuple[float, float], NDArray[np.float64]] = {}
        self._last: tuple[tuple[str, ...], dict[ReasonCode, BoolArray]] | None = None

    @cached_property
    def arrays(self) -> HomeArrays:
        """The homes' facts as arrays; built when first needed (an index ``within``
        another reads its masks from there and needs none)."""
        return HomeArrays(self.ctx, self.homes)

    @cached_property
    def _coordinates(self) -> tuple[FloatArray, FloatArray]:
        """Latitude and longitude of every home."""
        table, pc = self.ctx.table, self.arrays.pc
        return table.latitudes[pc], table.longitudes[pc]

    def distances(self, child_id: str) -> FloatArray:
        """Engine distances (0.1 km) from the child's parents to every home, cached."""
        d = self._distances.get(child_id)
        if d is None and self._within is not None:
            d = self._within.distances(child_id)[self._rows]
            self._distances[child_id] = d
        elif d is None:
            # Siblings share their parents' postcode: one computation per place.
            origin = self.ctx.parents_location(self.ctx.scenario.child(child_id))
            at = (origin.latitude, origin.longitude)
            d = self._from.get(at)
            if d is None:
                lat, lon = self._coordinates
                d = self._from[at] = engine_km(at[0], at[1], lat, lon)
            self._distances[child_id] = d
        return d

    def masks(self, unit: Unit) -> dict[ReasonCode, BoolArray]:
        """For each reason code, the homes it excludes (any member), as in ``assess``.

        The last unit's masks are kept (an explanation asks twice per unit); treat them as
        read-only."""
        if self._last is not None and self._last[0] == unit.members:
            return self._last[1]
        if self._within is not None:
            rows = self._rows
            out = {code: mask[rows] for code, mask in self._within.masks(unit).items()}
        else:
            out = self._masks(unit)
        self._last = (unit.members, out)
        return out

    def _masks(self, unit: Unit) -> dict[ReasonCode, BoolArray]:
        ctx, homes = self.ctx, self.arrays
        out = {rule.code: rule.mask(ctx, unit, homes) for rule in UNIT_RULES}
        members = [ctx.scenario.child(cid) for cid in unit.members]
        for rule in MEMBER_RULES:
            mask = np.zeros(len(homes), dtype=bool)
            for c in members:
                mask |= rule.mask(ctx, c, homes, self.distances(c.id))
            out[rule.code] = mask
        return out

    def excluded_counts(self, unit: Unit) -> dict[ReasonCode, int]:
        """Homes excluded per reason code (a home counts once per code), sorted by code."""
        counts = {code: int(mask.sum()) for code, mask in self.masks(unit).items()}
        return {k: v for k, v in sorted(counts.items()) if v}

    def eligible(self, unit: Unit) -> BoolArray:
        """Homes that no rule excludes."""
        excluded = np.zeros(len(self.homes), dtype=bool)
        for mask in self.masks(unit).values():
            excluded |= mask
        return ~excluded
