"""Beds: a home needs a free place for every member who does not live there already: a
part-time place for a unit that comes for part-time care where the home counts those
apart (``part_time_places_free``), else a bed."""

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
    part_time = ctx.takes_part_time(unit) and home.part_time_places_free is not None
    free = home.places_for(part_time)
    if not excludes(free, needed):
        return []
    detail: dict[str, object] = {"beds_free": free, "beds_needed": needed}
    if part_time:
        detail["part_time"] = True
    return [Reason(ReasonCode.BEDS, detail=detail)]


def _mask(ctx: Context, unit: Unit, homes: HomeArrays) -> BoolArray:
    needed = np.full(len(homes), unit.size, dtype=np.int64)
    for cid in unit.members:
        current = ctx.scenario.child(cid).current_home
        if current is not None and current in homes.position:
            needed[homes.position[current]] -= 1
    return np.asarray(excludes(homes.places(ctx.takes_part_time(unit)), needed))


RULE = UnitRule(ReasonCode.BEDS, _reasons, _mask)
