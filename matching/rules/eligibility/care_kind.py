"""Kind of care: a home takes a child only for a kind of care it offers (``care_kinds``)."""

from __future__ import annotations

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "excludes"]


def excludes(child: Child, home: Home) -> bool:
    """The home does not offer the kind of care the child needs."""
    return child.kind not in home.care_kinds


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    if not excludes(child, home):
        return []
    offered = sorted(k.value for k in home.care_kinds)
    return [
        Reason(ReasonCode.CARE_KIND, child.id, {"care_kind": child.kind.value, "offered": offered})
    ]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    return np.asarray(~homes.offers[child.kind])


RULE = MemberRule(ReasonCode.CARE_KIND, _reasons, _mask)
