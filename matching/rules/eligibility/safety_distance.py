"""Safety distance: a secret placement must be at least ``min_distance_from_parents_km`` away."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["NO_MINIMUM", "RULE", "excludes", "minimum_km"]

#: The minimum of a child without one: no distance is below it.
NO_MINIMUM = -math.inf


def minimum_km(child: Child) -> float:
    m = child.min_distance_from_parents_km
    return NO_MINIMUM if m is None else m


def excludes(d: Any, min_km: Any) -> Any:
    """Elementwise: nearer to the parents than the safety minimum."""
    return d < min_km


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    min_km = child.min_distance_from_parents_km
    if min_km is None or not excludes(d, min_km):
        return []
    return [Reason(ReasonCode.SAFETY_DISTANCE, child.id, {"distance_km": d, "min_km": min_km})]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    return np.asarray(excludes(d, minimum_km(child)))


RULE = MemberRule(ReasonCode.SAFETY_DISTANCE, _reasons, _mask)
