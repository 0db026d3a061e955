"""The shape of an eligibility rule: its code, its per-pair form and its array form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.homes import HomeArrays
from matching.siblings import Unit

__all__ = ["MemberRule", "UnitRule"]


@dataclass(frozen=True)
class UnitRule:
    """A rule on the whole unit: ``reasons`` for one home, ``mask`` over many."""

    code: ReasonCode
    reasons: Callable[[Context, Unit, Home], list[Reason]]
    mask: Callable[[Context, Unit, HomeArrays], BoolArray]


@dataclass(frozen=True)
class MemberRule:
    """A rule on one child: ``reasons`` for one home at distance ``d`` from the parents,
    ``mask`` over many homes with their distances."""

    code: ReasonCode
    reasons: Callable[[Context, Child, Home, float], list[Reason]]
    mask: Callable[[Context, Child, HomeArrays, FloatArray], BoolArray]
