"""Which eligibility rules exclude which homes for a unit, for many homes at once.

:func:`matching.rules.assess` answers for one (unit, home) pair in about 50 µs; explaining
hundreds of unplaced children against 20,000 registered homes that way takes minutes.
:class:`ReasonIndex` applies the same rules to arrays of homes, one unit at a time, in a
millisecond. It mirrors ``matching.rules._eligibility`` rule by rule, and a test holds it
to :func:`matching.ranking.rank`'s ``excluded_counts`` for every child of the fixtures.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from matching.context import Context
from matching.geo import great_circle_km, round_km
from matching.model import CARE_DOMAINS, Home, HomeType
from matching.rules import ReasonCode
from matching.siblings import Unit

__all__ = ["ReasonIndex"]

BoolArray = NDArray[np.bool_]


class ReasonIndex:
    """The homes of a scenario as arrays, and the rule masks of a unit against them."""

    def __init__(self, ctx: Context, homes: Sequence[Home] | None = None) -> None:
        self.ctx = ctx
        sc = ctx.scenario
        self.homes: tuple[Home, ...] = tuple(ctx.candidate_homes if homes is None else homes)
        self.position = {h.id: i for i, h in enumerate(self.homes)}
        hs = self.homes
        self.beds = np.array([h.beds_free for h in hs], dtype=np.int64)
        self.age_min = np.array([h.age_min for h in hs], dtype=np.int64)
        self.age_max = np.array([h.age_max for h in hs], dtype=np.int64)
        self.max_siblings = np.array(
            [h.max_siblings if h.max_siblings is not None else 1 << 30 for h in hs], dtype=np.int64
        )
        self.capability = np.array(
            [[h.capability(d) for d in CARE_DOMAINS] for h in hs], dtype=np.int64
        ).reshape(len(hs), len(CARE_DOMAINS))
        self.available = np.array([h.available_on(sc.reference_date) for h in hs], dtype=bool)
        self.network = np.array([h.type is HomeType.NETWORK_FOSTER for h in hs], dtype=bool)
        self.known: dict[str, list[int]] = {}
        for i, h in enumerate(hs):
            for cid in h.known_to:
                self.known.setdefault(cid, []).append(i)
        policy = ctx.policy
        self.max_km = np.array([policy.max_distance_for(h.type) for h in hs], dtype=np.float64)
        table = ctx.table
        pc = np.array([table.index_of[h.postcode.pc4] for h in hs], dtype=np.intp)
        self._lat = table.latitudes[pc]
        self._lon = table.longitudes[pc]
        self._distances: dict[str, NDArray[np.float64]] = {}

    def distances(self, child_id: str) -> NDArray[np.float64]:
        """Engine distances (0.1 km) from the child's parents to every home.

        The arithmetic of :meth:`Context.distances_from`, with the homes' coordinates
        looked up once instead of per call.
        """
        d = self._distances.get(child_id)
        if d is None:
            origin = self.ctx.parents_location(self.ctx.scenario.child(child_id))
            d = round_km(great_circle_km(origin.latitude, origin.longitude, self._lat, self._lon))
            self._distances[child_id] = d
        return d

    def masks(self, unit: Unit) -> dict[ReasonCode, BoolArray]:
        """For each reason code, the homes it excludes (any member), as in ``assess``."""
        sc = self.ctx.scenario
        n = len(self.homes)
        members = [sc.child(cid) for cid in unit.members]
        needed = np.full(n, len(members), dtype=np.int64)
        for c in members:
            if c.current_home is not None and c.current_home in self.position:
                needed[self.position[c.current_home]] -= 1
        out: dict[ReasonCode, BoolArray] = {
            ReasonCode.BEDS: self.beds < needed,
            ReasonCode.SIBLINGS: np.full(n, False)
            if not unit.together
            else unit.size > self.max_siblings,
            ReasonCode.AVAILABILITY: ~self.available,
        }
        age = np.zeros(n, dtype=bool)
        care = np.zeros(n, dtype=bool)
        distance = np.zeros(n, dtype=bool)
        safety = np.zeros(n, dtype=bool)
        network = np.zeros(n, dtype=bool)
        apart = np.zeros(n, dtype=bool)
        for c in members:
            age |= (c.age < self.age_min) | (c.age > self.age_max)
            needs = np.array([c.need(d) for d in CARE_DOMAINS], dtype=np.int64)
            care |= np.any(needs > self.capability, axis=1)
            d = self.distances(c.id)
            distance |= d > self.max_km
            if c.min_distance_from_parents_km is not None:
                safety |= d < c.min_distance_from_parents_km
            strangers = self.network.copy()
            strangers[self.known.get(c.id, [])] = False
            network |= strangers
            for other in self.ctx.keep_apart[c.id]:
                for where in self.ctx.lives_in.get(other, ()):
                    if where in self.position:
                        apart[self.position[where]] = True
        out[ReasonCode.AGE] = age
        out[ReasonCode.CARE_NEED] = care
        out[ReasonCode.DISTANCE] = distance
        out[ReasonCode.SAFETY_DISTANCE] = safety
        out[ReasonCode.NETWORK] = network
        out[ReasonCode.KEEP_APART] = apart
        return out

    def excluded_counts(self, unit: Unit) -> dict[str, int]:
        """Homes excluded per reason code (a home counts once per code), sorted by code."""
        counts = {code.value: int(mask.sum()) for code, mask in self.masks(unit).items()}
        return {k: v for k, v in sorted(counts.items()) if v}

    def eligible(self, unit: Unit) -> BoolArray:
        """Homes that no rule excludes."""
        masks = self.masks(unit)
        excluded = np.zeros(len(self.homes), dtype=bool)
        for mask in masks.values():
            excluded |= mask
        return ~excluded
