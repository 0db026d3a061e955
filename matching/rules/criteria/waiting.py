"""Waiting: points growing with the whole weeks a child has waited, capped; the same in
every home, so that among otherwise equal children the one who waited longest comes first."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "points", "weeks_waited"]


def weeks_waited(ctx: Context, child: Child) -> int:
    """Whole weeks from ``waiting_since`` to the reference date (0 when not recorded)."""
    if child.waiting_since is None:
        return 0
    return max(0, (ctx.scenario.reference_date - child.waiting_since).days // 7)


def points(per_week: int, cap: int, weeks: Any) -> Any:
    """Elementwise: ``min(cap, per_week × weeks)``; never fewer for a longer wait."""
    return np.minimum(cap, per_week * np.asarray(weeks))


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    policy = ctx.policy
    weeks = weeks_waited(ctx, child)
    cap = policy.points_waiting_max
    return Criterion(
        CriterionCode.WAITING,
        int(points(policy.points_waiting_per_week, cap, weeks)),
        cap,
        {
            "weeks": weeks,
            "waiting_since": child.waiting_since.isoformat() if child.waiting_since else None,
            "per_week": policy.points_waiting_per_week,
        },
    )


CRITERION = MemberCriterion(CriterionCode.WAITING, _criterion)
