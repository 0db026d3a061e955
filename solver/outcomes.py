"""What an assignment means for the children: the figures the optimum and practice are
compared on (the demo, the benchmark, docs/solver.md).

Distances are the engine's (``matching.geo.distance_km``), "keeps the school" is the
school criterion's own test, and a sibling group counts only if the rules keep it
together (no ``split_reason``): the same definitions as scoring and the audit.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from matching.context import Context
from matching.facts import keeps_school
from matching.geo import distance_km
from matching.model import FAMILY_LIKE_TYPES
from matching.siblings import sibling_groups

__all__ = ["Outcomes", "outcomes"]


@dataclass(frozen=True)
class Outcomes:
    children: int
    crisis: int
    placed: int
    placed_crisis: int
    distances_km: tuple[float, ...]
    """Distance to the parents of every placed child."""
    school_kept: int
    school_children: int
    """Placed children of school age with a school recorded, and of those who keep it."""
    groups: int
    """Sibling groups of two or more that the rules keep together (no split_reason)."""
    groups_together: int
    groups_split: int
    """Groups placed over more than one home (practice does this; the optimum never)."""
    family_like: int

    @property
    def mean_km(self) -> float:
        return statistics.fmean(self.distances_km) if self.distances_km else 0.0

    @property
    def median_km(self) -> float:
        return statistics.median(self.distances_km) if self.distances_km else 0.0

    def share_within(self, km: float) -> float:
        return sum(d <= km for d in self.distances_km) / max(1, self.placed)

    @property
    def share_school_kept(self) -> float:
        return self.school_kept / max(1, self.school_children)

    @property
    def share_family_like(self) -> float:
        return self.family_like / max(1, self.placed)


def outcomes(ctx: Context, placed: Mapping[str, str]) -> Outcomes:
    """The figures of an assignment ``child id -> home id`` on ``ctx``."""
    sc = ctx.scenario
    policy = ctx.policy
    kids = [sc.child(cid) for cid in placed]
    home_of = {c.id: ctx.home_location(sc.home(placed[c.id])) for c in kids}
    kept = [keeps_school(policy, c.age, ctx.school_location(c), home_of[c.id]) for c in kids]
    school = [k for k in kept if k is not None]
    groups = [
        g
        for g in sibling_groups(sc.children)
        if len(g) > 1 and all(sc.child(m).split_reason is None for m in g)
    ]
    return Outcomes(
        children=len(sc.children),
        crisis=sum(c.is_crisis for c in sc.children),
        placed=len(kids),
        placed_crisis=sum(c.is_crisis for c in kids),
        distances_km=tuple(distance_km(ctx.parents_location(c), home_of[c.id]) for c in kids),
        school_kept=sum(school),
        school_children=len(school),
        groups=len(groups),
        groups_together=sum(
            1 for g in groups if all(m in placed for m in g) and len({placed[m] for m in g}) == 1
        ),
        groups_split=sum(1 for g in groups if len({placed[m] for m in g if m in placed}) > 1),
        family_like=sum(1 for c in kids if sc.home(placed[c.id]).type in FAMILY_LIKE_TYPES),
    )
