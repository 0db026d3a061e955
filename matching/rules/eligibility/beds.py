"""Beds: a home needs a free bed for every member who does not live there already."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Home
from matching.rules.base import BoolArray, Reason, ReasonCode
from matching.rules.eligibility.rule import UnitRule
from matching.rules.homes import HomeArrays
from matching.siblings import Unit

__all__ = ["RULE", "beds_needed", "excludes"]


def excludes(beds_free: Any, needed: Any) -> Any:
    """Elementwise: too few free beds."""
    return beds_free < needed


def beds_needed(ctx: Context, unit: Unit, home_id: str) -> int:
    """Members who would take a bed: all but those who live in the home now."""
    sc = ctx.scenario
    return sum(1 for cid in unit.members if sc.child(cid).current_home != home_id)


def _reasons(ctx: Context, unit: Unit, home: Home) -> list[Reason]:
    needed = beds_needed(ctx, unit, home.id)
    if not excludes(home.beds_free, needed):
        return []
    return [Reason(ReasonCode.BEDS, detail={"beds_free": home.beds_free, "beds_needed": needed})]


def _mask(ctx: Context, unit: Unit, homes: HomeArrays) -> BoolArray:
    needed = np.full(len(homes), unit.size, dtype=np.int64)
    for cid in unit.members:
        current = ctx.scenario.child(cid).current_home
        if current is not None and current in homes.position:
            needed[homes.position[current]] -= 1
    return np.asarray(excludes(homes.beds, needed))


RULE = UnitRule(ReasonCode.BEDS, _reasons, _mask)
