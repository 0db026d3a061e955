"""Distance: a home may be at most the policy's distance from the parents (by home type)."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "excludes"]


def excludes(d: Any, max_km: Any) -> Any:
    """Elementwise: further from the parents than allowed."""
    return d > max_km


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    max_km = ctx.policy.max_distance_for(home.type)
    if not excludes(d, max_km):
        return []
    return [Reason(ReasonCode.DISTANCE, child.id, {"distance_km": d, "max_km": max_km})]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    return np.asarray(excludes(d, homes.max_km))


RULE = MemberRule(ReasonCode.DISTANCE, _reasons, _mask)
