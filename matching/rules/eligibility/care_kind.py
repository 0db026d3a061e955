"""Kind of care: a home takes a child only for a kind of care it offers (``care_kinds``),
and part-time care only away from where the child lives (weekends and holidays
elsewhere: the home the child lives in cannot give it)."""

from __future__ import annotations

import numpy as np

from matching.context import Context
from matching.model import CareKind, Child, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "excludes", "lives_in_for_part_time"]


def lives_in_for_part_time(child: Child) -> str | None:
    """The home a child in part-time care lives in (its ``current_home``): the one home
    that cannot give it part-time care, since the child keeps living there."""
    return child.current_home if child.kind is CareKind.PART_TIME else None


def excludes(child: Child, home: Home) -> bool:
    """The home does not offer the kind of care the child needs (or is where a child in
    part-time care lives)."""
    return child.kind not in home.care_kinds or lives_in_for_part_time(child) == home.id


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    if not excludes(child, home):
        return []
    offered = sorted(k.value for k in home.care_kinds)
    detail: dict[str, object] = {"care_kind": child.kind.value, "offered": offered}
    if child.kind in home.care_kinds:
        detail["lives_here"] = True
    return [Reason(ReasonCode.CARE_KIND, child.id, detail)]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    mask = np.asarray(~homes.offers[child.kind])
    home = lives_in_for_part_time(child)
    if home is not None and home in homes.position:
        mask = mask.copy()
        mask[homes.position[home]] = True
    return mask


RULE = MemberRule(ReasonCode.CARE_KIND, _reasons, _mask)
