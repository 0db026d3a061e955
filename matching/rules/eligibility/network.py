"""Network: a network foster home takes only the children it is for (``known_to``)."""

from __future__ import annotations

from matching.context import Context
from matching.model import Child, Home, HomeType
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "excludes"]


def excludes(child: Child, home: Home) -> bool:
    """Another child's network home."""
    return home.type is HomeType.NETWORK_FOSTER and child.id not in home.known_to


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    return [Reason(ReasonCode.NETWORK, child.id)] if excludes(child, home) else []


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    strangers = homes.network.copy()
    strangers[homes.known.get(child.id, [])] = False
    return strangers


RULE = MemberRule(ReasonCode.NETWORK, _reasons, _mask)
