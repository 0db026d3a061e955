"""Language: points where the home speaks one of the child's languages (or it states none)."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "home_languages", "points"]


def home_languages(home: Home) -> tuple[str, ...]:
    # A Dutch home that lists no languages speaks Dutch.
    return home.languages or ("nl",)


def points(weight: int, stated: Any, shared: Any) -> Any:
    """Elementwise: the weight unless the child states languages the home does not speak."""
    return np.where(np.logical_not(stated) | shared, weight, 0)


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    w = ctx.policy.points_language
    if not child.languages:
        return Criterion(CriterionCode.LANGUAGE, w, w, {"applicable": False})
    shared = sorted(set(child.languages) & set(home_languages(home)))
    return Criterion(
        CriterionCode.LANGUAGE,
        int(points(w, True, bool(shared))),
        w,
        {
            "applicable": True,
            "child": list(child.languages),
            "home": list(home_languages(home)),
            "shared": shared,
        },
    )


CRITERION = MemberCriterion(CriterionCode.LANGUAGE, _criterion)
