"""Religion: points where the home shares the child's religion (or the child states none)."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "points"]


def points(weight: int, stated: Any, same: Any) -> Any:
    """Elementwise: the weight unless the child states a religion the home does not share."""
    return np.where(np.logical_not(stated) | same, weight, 0)


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    w = ctx.policy.points_religion
    if child.religion is None:
        return Criterion(CriterionCode.RELIGION, w, w, {"applicable": False})
    same = home.religion == child.religion
    return Criterion(
        CriterionCode.RELIGION,
        int(points(w, True, same)),
        w,
        {"applicable": True, "child": child.religion, "home": home.religion, "same": same},
    )


CRITERION = MemberCriterion(CriterionCode.RELIGION, _criterion)
