"""Siblings: a sibling group placed together must fit the home's ``max_siblings``."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Home
from matching.rules.base import BoolArray, Reason, ReasonCode
from matching.rules.eligibility.rule import UnitRule
from matching.rules.homes import HomeArrays
from matching.siblings import Unit

__all__ = ["RULE", "excludes"]


def excludes(together: Any, size: Any, max_siblings: Any) -> Any:
    """Elementwise: a group placed together that is larger than the home takes
    (``max_siblings`` is :data:`~matching.rules.homes.NO_LIMIT` where none is set)."""
    return together & (size > max_siblings)


def _reasons(ctx: Context, unit: Unit, home: Home) -> list[Reason]:
    limit = home.max_siblings
    if limit is None or not excludes(unit.together, unit.size, limit):
        return []
    return [Reason(ReasonCode.SIBLINGS, detail={"group_size": unit.size, "max_siblings": limit})]


def _mask(ctx: Context, unit: Unit, homes: HomeArrays) -> BoolArray:
    return np.asarray(excludes(unit.together, unit.size, homes.max_siblings), dtype=bool)


RULE = UnitRule(ReasonCode.SIBLINGS, _reasons, _mask)
