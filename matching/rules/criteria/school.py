"""School: full points where the child keeps its school (or the question does not apply)."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.facts import keeps_school
from matching.geo import distance_km
from matching.model import Child, Home
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "points"]


def points(weight: int, applies: Any, kept: Any) -> Any:
    """Elementwise: the weight unless the rule applies and the school is lost."""
    return np.where(np.logical_not(applies) | kept, weight, 0)


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    policy = ctx.policy
    w = policy.points_school
    school = ctx.school_location(child)
    home_loc = ctx.home_location(home)
    keeps = keeps_school(policy, child.age, school, home_loc)
    if school is None or keeps is None:
        why = "too_young" if child.age < policy.school_age else "no_school"
        return Criterion(CriterionCode.SCHOOL, w, w, {"applicable": False, "why": why})
    return Criterion(
        CriterionCode.SCHOOL,
        int(points(w, True, keeps)),
        w,
        {
            "applicable": True,
            "distance_km": distance_km(school, home_loc),
            "commute_km": policy.school_commute_km(child.age),
            "school_postcode": child.school_postcode.pc4 if child.school_postcode else None,
            "keeps_school": keeps,
        },
    )


CRITERION = MemberCriterion(CriterionCode.SCHOOL, _criterion)
