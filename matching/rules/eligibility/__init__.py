"""The eligibility rules, one module each: its code, its per-pair form, its array form.

Unit rules look at the whole unit (beds, siblings taken together, availability); member
rules at each child of it. :func:`matching.rules.assess` applies them in this order, and
an excluded home lists its reasons in the same order.
"""

from __future__ import annotations

from matching.rules.eligibility import (
    age,
    availability,
    beds,
    breakdown,
    care_kind,
    care_need,
    declined,
    distance,
    keep_apart,
    network,
    residential_gate,
    safety_distance,
    siblings,
)
from matching.rules.eligibility.rule import MemberRule, UnitRule

__all__ = ["MEMBER_RULES", "UNIT_RULES", "MemberRule", "UnitRule"]

UNIT_RULES: tuple[UnitRule, ...] = (beds.RULE, siblings.RULE, availability.RULE)
MEMBER_RULES: tuple[MemberRule, ...] = (
    age.RULE,
    care_need.RULE,
    distance.RULE,
    safety_distance.RULE,
    network.RULE,
    keep_apart.RULE,
    care_kind.RULE,
    declined.RULE,
    breakdown.RULE,
    residential_gate.RULE,
)
