"""The child's wishes: a criterion the child named in ``wishes.priorities`` counts
``wish_factor`` times, in both paths, and its explanation says when the child was heard."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from matching.model import Child
from matching.policy import Policy
from matching.rules.base import Criterion, round_half_up

__all__ = ["apply", "scale"]


def scale(points: Any, factor: float) -> Any:
    """Elementwise: the points times the factor, rounded half up (whole points)."""
    return round_half_up(points * factor)


def apply(policy: Policy, child: Child, c: Criterion) -> Criterion:
    """``c`` as the child weighs it: scaled, with the wish in its detail, if named."""
    wishes = child.wishes
    if wishes is None or c.code.value not in wishes.priorities:
        return c
    factor = policy.wish_factor
    wish = {
        "factor": factor,
        "heard_on": wishes.heard_on.isoformat() if wishes.heard_on else None,
        "note": wishes.note,
        "base_points": c.points,
        "base_max_points": c.max_points,
    }
    return replace(
        c,
        points=int(scale(c.points, factor)),
        max_points=int(scale(c.max_points, factor)),
        detail={**c.detail, "wish": wish},
    )
