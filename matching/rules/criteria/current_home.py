"""Current home: points for staying where the child lives now, unless that is a
residential group: there the child is a candidate to move out to a family ('uitstroom')."""

from __future__ import annotations

from typing import Any

from matching.context import Context
from matching.model import Child, Home, HomeType
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION", "points"]


def points(weight: int, stays: Any) -> Any:
    """Elementwise: the weight where the child stays (``stays`` is 0/1 or a bool)."""
    return stays * weight


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    w = ctx.policy.points_stay_current_home
    if child.current_home is None:
        return Criterion(CriterionCode.CURRENT_HOME, 0, 0, {"applicable": False})
    stays = child.current_home == home.id
    detail = {"applicable": True, "stays": stays, "current_home": child.current_home}
    # A scenario cut down to one home (a proposal's) may not hold the home a moving child
    # leaves; the array form reads the same fact (``ha.residential``) only for homes it has.
    lives_in = ctx.scenario.home_by_id.get(child.current_home)
    if lives_in is not None and lives_in.type is HomeType.RESIDENTIAL:
        # Staying there earns nothing, so no home's sentence may say that leaving costs.
        return Criterion(CriterionCode.CURRENT_HOME, 0, w, {**detail, "residential": True})
    return Criterion(CriterionCode.CURRENT_HOME, int(points(w, stays)), w, detail)


CRITERION = MemberCriterion(CriterionCode.CURRENT_HOME, _criterion)
