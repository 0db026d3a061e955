"""Siblings: a sibling group placed together must fit the home's ``max_siblings``, and so
must brothers and sisters placed apart (a ``split_reason``) who would share a home: a
child placed apart is not eligible where its siblings who live there now, with it, would
be more than the home takes of one family. (Siblings who come there in the same batch are
held to the limit by the solver: :func:`solver.batch.sibling_caps`.)"""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Home
from matching.rules.base import BoolArray, Reason, ReasonCode
from matching.rules.eligibility.rule import UnitRule
from matching.rules.homes import HomeArrays
from matching.siblings import Unit

__all__ = ["RULE", "excludes", "living", "living_here"]


def excludes(together: Any, size: Any, max_siblings: Any, living_here: Any = 0) -> Any:
    """Elementwise: a group placed together that is larger than the home takes, or a
    child placed apart whose ``living_here`` siblings, with it, are (``max_siblings`` is
    :data:`~matching.rules.homes.NO_LIMIT` where none is set)."""
    return (together | (living_here > 0)) & (size + living_here > max_siblings)


def living(ctx: Context, unit: Unit) -> list[tuple[str, str]]:
    """``(sibling, home id)`` for each brother or sister of a unit placed apart and each
    home it lives in now."""
    if not unit.split_from_siblings:
        return []
    return [
        (s, hid) for s in unit.group if s not in unit.members for hid in ctx.lives_in.get(s, ())
    ]


def living_here(ctx: Context, unit: Unit, home_id: str) -> list[str]:
    """The brothers and sisters of a unit placed apart who live in the home now."""
    return [s for s, hid in living(ctx, unit) if hid == home_id]


def _reasons(ctx: Context, unit: Unit, home: Home) -> list[Reason]:
    limit = home.max_siblings
    here = living_here(ctx, unit, home.id)
    if limit is None or not excludes(unit.together, unit.size, limit, len(here)):
        return []
    detail: dict[str, Any] = {"group_size": unit.size + len(here), "max_siblings": limit}
    if here:
        detail["living_here"] = here
    return [Reason(ReasonCode.SIBLINGS, detail=detail)]


def _mask(ctx: Context, unit: Unit, homes: HomeArrays) -> BoolArray:
    here = np.zeros(len(homes), dtype=np.int64)
    for _, hid in living(ctx, unit):
        if hid in homes.position:
            here[homes.position[hid]] += 1
    return np.asarray(excludes(unit.together, unit.size, homes.max_siblings, here), dtype=bool)


RULE = UnitRule(ReasonCode.SIBLINGS, _reasons, _mask)
