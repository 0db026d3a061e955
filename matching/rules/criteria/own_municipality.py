"""Own municipality: points where the home lies in the parents' municipality."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.geo import PostcodeTable
from matching.model import Child, Home
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "points"]


def points(weight: int, same: Any) -> Any:
    """Elementwise: the weight where the municipalities are the same."""
    return np.where(same, weight, 0)


_NAMES: dict[int, dict[str, str]] = {}


def _municipality_names(table: PostcodeTable) -> dict[str, str]:
    # One dict per table, built on first use: the names are only for explanations.
    key = id(table)
    if key not in _NAMES:
        _NAMES[key] = table.municipality_names()
    return _NAMES[key]


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    w = ctx.policy.points_own_municipality
    parents_m = ctx.parents_location(child).municipality_code
    home_m = ctx.home_location(home).municipality_code
    names = _municipality_names(ctx.table)
    return Criterion(
        CriterionCode.OWN_MUNICIPALITY,
        int(points(w, parents_m == home_m)),
        w,
        {
            "parents_municipality": names.get(parents_m, parents_m),
            "home_municipality": names.get(home_m, home_m),
            "same": parents_m == home_m,
        },
    )


CRITERION = MemberCriterion(CriterionCode.OWN_MUNICIPALITY, _criterion)
