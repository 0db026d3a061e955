"""The scoring criteria, one module each: its code, its per-pair form, its points formula.

:data:`CRITERIA` is the order explanations list them in (that of
:class:`~matching.rules.base.CriterionCode`); a member's score is the sum of its points.
"""

from __future__ import annotations

from matching.rules.criteria import (
    care_needs,
    current_home,
    distance_parents,
    home_type,
    language,
    own_municipality,
    religion,
    school,
    siblings_together,
    stability,
    waiting,
)
from matching.rules.criteria.criterion import MemberCriterion

__all__ = ["CRITERIA", "MemberCriterion"]

CRITERIA: tuple[MemberCriterion, ...] = (
    home_type.CRITERION,
    distance_parents.CRITERION,
    school.CRITERION,
    siblings_together.CRITERION,
    stability.CRITERION,
    current_home.CRITERION,
    own_municipality.CRITERION,
    religion.CRITERION,
    language.CRITERION,
    care_needs.CRITERION,
    waiting.CRITERION,
)
