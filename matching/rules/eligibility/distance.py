"""Distance: a home may be at most the policy's distance from the parents (by home type),
or, for an intensive need no nearer home can meet, the limit for specialist care."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import CARE_DOMAINS, Child, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "excludes", "limit_km", "limits_km"]


def excludes(d: Any, max_km: Any) -> Any:
    """Elementwise: further from the parents than allowed."""
    return d > max_km


def limit_km(ctx: Context, child: Child, home: Home) -> float:
    """How far from the parents ``home`` may be for ``child``."""
    normal = ctx.policy.max_distance_for(home.type)
    if ctx.specialist_reach(child, home):
        return max(normal, ctx.policy.max_distance_specialist_km)
    return normal


def limits_km(ctx: Context, child: Child, homes: HomeArrays) -> FloatArray:
    """:func:`limit_km` for many homes at once."""
    unmet = ctx.specialist_domains.get(child.id)
    if not unmet:
        return homes.max_km
    columns = [i for i, d in enumerate(CARE_DOMAINS) if d.value in unmet]
    reach = np.any(homes.capability[:, columns] >= 3, axis=1)
    specialist = np.maximum(homes.max_km, ctx.policy.max_distance_specialist_km)
    return np.where(reach, specialist, homes.max_km)


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    max_km = limit_km(ctx, child, home)
    if not excludes(d, max_km):
        return []
    return [Reason(ReasonCode.DISTANCE, child.id, {"distance_km": d, "max_km": max_km})]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    return np.asarray(excludes(d, limits_km(ctx, child, homes)))


RULE = MemberRule(ReasonCode.DISTANCE, _reasons, _mask)
