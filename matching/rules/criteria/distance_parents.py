"""Distance to the parents: the nearer, the more points, none at the policy's maximum."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import Criterion, CriterionCode, round_half_up
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "points"]


def points(weight: int, distance: Any, max_km: float) -> Any:
    """``weight * (1 - d / max)``, at least 0, rounded half up; elementwise."""
    return round_half_up(weight * np.maximum(0.0, 1.0 - distance / max_km))


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    policy = ctx.policy
    w = policy.points_distance_parents
    detail: dict[str, Any] = {
        "distance_km": d,
        "max_km": policy.max_distance_km,
        "parents_postcode": child.parents_postcode.pc4,
        "home_postcode": home.postcode.pc4,
    }
    if d > policy.max_distance_for(home.type) and ctx.specialist_reach(child, home):
        # Why a home this far is an option at all: supra-regional expertise.
        detail["specialist"] = {
            "domains": sorted(
                dom for dom in ctx.specialist_domains[child.id] if home.capability(dom) >= 3
            ),
            "limit_km": policy.max_distance_specialist_km,
        }
    return Criterion(
        CriterionCode.DISTANCE_PARENTS, int(points(w, d, policy.max_distance_km)), w, detail
    )


CRITERION = MemberCriterion(CriterionCode.DISTANCE_PARENTS, _criterion)
