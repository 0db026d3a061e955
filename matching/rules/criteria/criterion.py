"""The shape of a scoring criterion: its code and its per-pair form.

A criterion's array form is its ``points`` formula, elementwise: the per-pair form calls
it on one number and :mod:`matching.bulk` on arrays, so both give the same points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import Criterion, CriterionCode
from matching.siblings import Unit

__all__ = ["MemberCriterion"]


@dataclass(frozen=True)
class MemberCriterion:
    """``criterion(ctx, unit, home, child, d)``: the child's points in the home, explained;
    ``d`` is the distance from the child's parents."""

    code: CriterionCode
    criterion: Callable[[Context, Unit, Home, Child, float], Criterion]
