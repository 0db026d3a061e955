"""Stability: the share of the years until adulthood that the home's age range covers."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import CareKind, Child, Home
from matching.rules.base import Criterion, CriterionCode, round_half_up
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "applies", "points"]

#: Kinds of care meant to last: a home that must let the child go early means another
#: move. Crisis and part-time care are temporary by design, so no points are lost there.
LASTING = frozenset({CareKind.SHORT_TERM, CareKind.LONG_TERM})


def applies(kind: CareKind) -> bool:
    return kind in LASTING


def points(weight: int, age: Any, age_max: Any, adult_age: int) -> Any:
    """Elementwise, rounded half up."""
    needed = np.maximum(1, adult_age - age)
    covered = np.minimum(needed, np.maximum(0, age_max + 1 - age))
    return round_half_up(weight * covered / needed)


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    policy = ctx.policy
    w = policy.points_stability
    if not applies(child.kind):
        return Criterion(
            CriterionCode.STABILITY, w, w, {"applicable": False, "care_kind": child.kind.value}
        )
    return Criterion(
        CriterionCode.STABILITY,
        int(points(w, child.age, home.age_max, policy.adult_age)),
        w,
        {"age": child.age, "age_max": home.age_max, "adult_age": policy.adult_age},
    )


CRITERION = MemberCriterion(CriterionCode.STABILITY, _criterion)
