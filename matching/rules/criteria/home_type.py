"""Type: points by kind of home, family-like first (the Youth Act's order)."""

from __future__ import annotations

from matching.context import Context
from matching.model import Child, Home, HomeType
from matching.policy import Policy
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "max_points", "points"]


def points(policy: Policy, home_type: HomeType) -> int:
    return policy.points_type.for_type(home_type)


def max_points(policy: Policy) -> int:
    return max(points(policy, t) for t in HomeType)


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    policy = ctx.policy
    return Criterion(
        CriterionCode.TYPE,
        points(policy, home.type),
        max_points(policy),
        {"home_type": home.type.value},
    )


CRITERION = MemberCriterion(CriterionCode.TYPE, _criterion)
