"""Keep apart: never place a child where a child it must be kept apart from lives.

Keep-apart is symmetric (listed by either child is enough) and holds against residents
who are not waiting too (:attr:`~matching.context.Context.keep_apart`).
"""

from __future__ import annotations

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "homes_to_avoid"]


def homes_to_avoid(ctx: Context, child_id: str) -> set[str]:
    """The homes where someone the child must be kept apart from lives (or is to live)."""
    return {hid for other in ctx.keep_apart[child_id] for hid in ctx.lives_in.get(other, ())}


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    occupants = ctx.occupants.get(home.id, frozenset())
    return [
        Reason(ReasonCode.KEEP_APART, child.id, {"other_child_id": other})
        for other in sorted(ctx.keep_apart[child.id] & occupants)
    ]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    mask = np.zeros(len(homes), dtype=bool)
    for hid in homes_to_avoid(ctx, child.id):
        if hid in homes.position:
            mask[homes.position[hid]] = True
    return mask


RULE = MemberRule(ReasonCode.KEEP_APART, _reasons, _mask)
