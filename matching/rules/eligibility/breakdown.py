"""Breakdown: a home where the child's placement broke down is never offered to it again."""

from __future__ import annotations

import numpy as np

from matching.context import Context
from matching.model import Child, HistoryEvent, HistoryKind, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "breakdowns"]


def breakdowns(child: Child) -> dict[str, HistoryEvent]:
    """Home id -> the latest breakdown of this child's placement there."""
    out: dict[str, HistoryEvent] = {}
    for e in child.history:
        if e.event is HistoryKind.BREAKDOWN and (
            e.home_id not in out or out[e.home_id].date < e.date
        ):
            out[e.home_id] = e
    return out


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    e = breakdowns(child).get(home.id)
    if e is None:
        return []
    return [
        Reason(ReasonCode.BREAKDOWN, child.id, {"date": e.date.isoformat(), "reason": e.reason})
    ]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    mask = np.zeros(len(homes), dtype=bool)
    for hid in breakdowns(child):
        if hid in homes.position:
            mask[homes.position[hid]] = True
    return mask


RULE = MemberRule(ReasonCode.BREAKDOWN, _reasons, _mask)
