"""Who may be placed where, and how good each place is: every rule and criterion, once.

Each eligibility rule is one module of :mod:`matching.rules.eligibility` and each
criterion one of :mod:`matching.rules.criteria`, with its code, its per-pair form and its
array form side by side. Adding a rule means one module (and its tests) plus its place in
the package's rule table. :func:`assess` is the per-pair path that explains;
:mod:`matching.bulk` and :class:`solver.reasons.ReasonIndex` use the array forms.
"""

from matching.rules.base import (
    Criterion,
    CriterionCode,
    MemberScore,
    PairAssessment,
    Reason,
    ReasonCode,
)
from matching.rules.criteria.distance_parents import points as distance_points
from matching.rules.criteria.stability import points as stability_points
from matching.rules.pair import assess, eligibility

__all__ = [
    "Criterion",
    "CriterionCode",
    "MemberScore",
    "PairAssessment",
    "Reason",
    "ReasonCode",
    "assess",
    "distance_points",
    "eligibility",
    "stability_points",
]
