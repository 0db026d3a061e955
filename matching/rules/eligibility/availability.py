"""Availability: a home takes no one outside its availability window (reference date)."""

from __future__ import annotations

from datetime import date

from matching.context import Context
from matching.model import Home
from matching.rules.base import BoolArray, Reason, ReasonCode
from matching.rules.eligibility.rule import UnitRule
from matching.rules.homes import HomeArrays
from matching.siblings import Unit

__all__ = ["RULE"]


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _reasons(ctx: Context, unit: Unit, home: Home) -> list[Reason]:
    day = ctx.scenario.reference_date
    if home.available_on(day):
        return []
    detail = {
        "available_from": _iso(home.available_from),
        "available_until": _iso(home.available_until),
        "reference_date": day.isoformat(),
    }
    return [Reason(ReasonCode.AVAILABILITY, detail=detail)]


def _mask(ctx: Context, unit: Unit, homes: HomeArrays) -> BoolArray:
    # HomeArrays.available is Home.available_on on the reference date, home by home.
    return ~homes.available


RULE = UnitRule(ReasonCode.AVAILABILITY, _reasons, _mask)
