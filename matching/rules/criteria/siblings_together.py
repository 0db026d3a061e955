"""Siblings: points for each child placed together with its sibling group."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.rules.eligibility.siblings import living_here
from matching.siblings import Unit

__all__ = ["CRITERION", "points"]


def points(weight: int, unit_size: Any) -> Any:
    """Elementwise: the weight for a member of a unit of two or more."""
    return np.where(unit_size > 1, weight, 0)


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    w = ctx.policy.points_siblings_together
    if unit.together:
        others = [m for m in unit.members if m != child.id]
        return Criterion(CriterionCode.SIBLINGS, w, w, {"together_with": others})
    if unit.split_from_siblings:
        detail: dict[str, Any] = {
            "split_reason": unit.split_reason.value if unit.split_reason else None,
            "siblings": [m for m in unit.group if m != child.id],
        }
        here = living_here(ctx, unit, home.id)
        if here:  # placed apart may still mean one home, where max_siblings allows it
            detail["living_here"] = here
        return Criterion(CriterionCode.SIBLINGS, 0, w, detail)
    return Criterion(CriterionCode.SIBLINGS, 0, 0, {"applicable": False})


CRITERION = MemberCriterion(CriterionCode.SIBLINGS, _criterion)
