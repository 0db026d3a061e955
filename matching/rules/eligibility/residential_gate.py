"""Residential gate: a residential group only for a child with a recorded
``residential_reason`` (policy ``residential_requires_reason``): the last resort."""

from __future__ import annotations

import numpy as np

from matching.context import Context
from matching.model import Child, Home, HomeType
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "gated"]


def gated(ctx: Context, child: Child) -> bool:
    """Residential groups are closed to this child: no recorded reason, and the policy
    asks for one."""
    return ctx.policy.residential_requires_reason and child.residential_reason is None


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    if home.type is HomeType.RESIDENTIAL and gated(ctx, child):
        return [Reason(ReasonCode.RESIDENTIAL_GATE, child.id)]
    return []


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    if gated(ctx, child):
        return homes.residential.copy()
    return np.zeros(len(homes), dtype=bool)


RULE = MemberRule(ReasonCode.RESIDENTIAL_GATE, _reasons, _mask)
