"""Care needs: no points (the rule excludes what the home cannot handle); it explains the
child's needs beside the home's capabilities."""

from __future__ import annotations

from matching.context import Context
from matching.model import CARE_DOMAINS, Child, Home
from matching.rules.base import Criterion, CriterionCode
from matching.rules.criteria.criterion import MemberCriterion
from matching.siblings import Unit

__all__ = ["CRITERION"]


def _criterion(ctx: Context, unit: Unit, home: Home, child: Child, d: float) -> Criterion:
    domains = [dm for dm in CARE_DOMAINS if child.need(dm) > 0]
    return Criterion(
        CriterionCode.CARE_NEEDS,
        0,
        0,
        {
            "needs": {dm: child.need(dm) for dm in domains},
            "capabilities": {dm: home.capability(dm) for dm in domains},
        },
    )


CRITERION = MemberCriterion(CriterionCode.CARE_NEEDS, _criterion)
