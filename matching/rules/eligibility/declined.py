"""Declined: a home whose carers declined the child is not offered to it again for
``decline_memory_days`` (the child's ``history``)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from matching.context import Context
from matching.model import Child, HistoryEvent, HistoryKind, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "recent_declines"]


def recent_declines(ctx: Context, child: Child) -> dict[str, HistoryEvent]:
    """Home id -> the latest decline of this child within the policy's memory."""
    since = ctx.scenario.reference_date - timedelta(days=ctx.policy.decline_memory_days)
    until = ctx.scenario.reference_date
    out: dict[str, HistoryEvent] = {}
    for e in child.history:
        recent = e.event is HistoryKind.DECLINED and _within(e.date, since, until)
        if recent and (e.home_id not in out or out[e.home_id].date < e.date):
            out[e.home_id] = e
    return out


def _within(day: date, since: date, until: date) -> bool:
    return since <= day <= until


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    e = recent_declines(ctx, child).get(home.id)
    if e is None:
        return []
    return [
        Reason(
            ReasonCode.DECLINED,
            child.id,
            {
                "date": e.date.isoformat(),
                "reason": e.reason,
                "memory_days": ctx.policy.decline_memory_days,
            },
        )
    ]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    mask = np.zeros(len(homes), dtype=bool)
    for hid in recent_declines(ctx, child):
        if hid in homes.position:
            mask[homes.position[hid]] = True
    return mask


RULE = MemberRule(ReasonCode.DECLINED, _reasons, _mask)
