"""The facts of many homes as arrays, for the array form of every rule and criterion.

Built once per set of homes; the bulk scorer and the reason index both read it, so they
start from the same numbers as the per-pair path, which reads the :class:`Home` itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matching.context import Context
from matching.model import CARE_DOMAINS, CareKind, Home, HomeType
from matching.rules.base import BoolArray, FloatArray, IntArray

__all__ = ["NO_LIMIT", "HomeArrays"]

#: ``max_siblings`` of a home that sets none: only its beds limit a sibling group.
NO_LIMIT = 1 << 30


class HomeArrays:
    """One entry per home, in the order given."""

    def __init__(self, ctx: Context, homes: Sequence[Home]) -> None:
        sc, policy, table = ctx.scenario, ctx.policy, ctx.table
        hs = self.homes = tuple(homes)
        self.position = {h.id: i for i, h in enumerate(hs)}
        self.beds: IntArray = np.array([h.beds_free for h in hs], dtype=np.int64)
        self.part_time_places: IntArray = np.array(
            [-1 if h.part_time_places_free is None else h.part_time_places_free for h in hs],
            dtype=np.int64,
        )
        """-1 where a home does not count part-time places apart (they take ``beds``)."""
        self.age_min: IntArray = np.array([h.age_min for h in hs], dtype=np.int64)
        self.age_max: IntArray = np.array([h.age_max for h in hs], dtype=np.int64)
        self.max_siblings: IntArray = np.array(
            [h.max_siblings if h.max_siblings is not None else NO_LIMIT for h in hs],
            dtype=np.int64,
        )
        self.capability: IntArray = np.array(
            [[h.capability(d) for d in CARE_DOMAINS] for h in hs], dtype=np.int64
        ).reshape(len(hs), len(CARE_DOMAINS))
        self.available: BoolArray = np.array(
            [h.available_on(sc.reference_date) for h in hs], dtype=bool
        )
        self.network: BoolArray = np.array(
            [h.type is HomeType.NETWORK_FOSTER for h in hs], dtype=bool
        )
        self.residential: BoolArray = np.array(
            [h.type is HomeType.RESIDENTIAL for h in hs], dtype=bool
        )
        self.offers: dict[CareKind, BoolArray] = {
            k: np.array([k in h.care_kinds for h in hs], dtype=bool) for k in CareKind
        }
        self.max_km: FloatArray = np.array(
            [policy.max_distance_for(h.type) for h in hs], dtype=np.float64
        )
        self.known: dict[str, list[int]] = {}
        for i, h in enumerate(hs):
            for cid in h.known_to:
                self.known.setdefault(cid, []).append(i)
        self.pc: IntArray = np.array([table.index_of[h.postcode.pc4] for h in hs], dtype=np.intp)

    def __len__(self) -> int:
        return len(self.homes)

    def places(self, part_time: BoolArray | bool, at: IntArray | None = None) -> IntArray:
        """Free places per home (or per entry of ``at``) for units that come for part-time
        care (``part_time``) or not: :meth:`matching.model.Home.places_for`, elementwise."""
        idx = np.arange(len(self.homes)) if at is None else at
        pt = self.part_time_places[idx]
        return np.asarray(np.where(np.asarray(part_time) & (pt >= 0), pt, self.beds[idx]))
