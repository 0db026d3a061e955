"""Eligibility and scoring for one placement unit in one home: the per-pair path.

Eligibility returns reasons (never a bare ``False``); scoring returns criteria whose
points add up to the score. Each rule and criterion is defined once, in its own module
under :mod:`matching.rules.eligibility` and :mod:`matching.rules.criteria`; this module
applies them in order. :mod:`matching.bulk` applies their array forms to all pairs at
once, and a property test holds the two paths to identical scores.
"""

from __future__ import annotations

from collections.abc import Mapping

from matching.context import Context
from matching.geo import distance_km
from matching.model import Home
from matching.rules.base import MemberScore, PairAssessment, Reason
from matching.rules.criteria import CRITERIA, wishes
from matching.rules.eligibility import MEMBER_RULES, UNIT_RULES
from matching.siblings import Unit

__all__ = ["assess", "exclusion_reasons"]


def exclusion_reasons(
    ctx: Context, unit: Unit, home: Home, distances: Mapping[str, float]
) -> list[Reason]:
    """Every reason ``home`` is not an option for ``unit``: the unit's rules, then each
    member's, in rule order."""
    reasons = [r for rule in UNIT_RULES for r in rule.reasons(ctx, unit, home)]
    for cid in unit.members:
        child = ctx.scenario.child(cid)
        for member_rule in MEMBER_RULES:
            reasons.extend(member_rule.reasons(ctx, child, home, distances[cid]))
    return reasons


def assess(
    ctx: Context, unit: Unit, home: Home, distances: Mapping[str, float] | None = None
) -> PairAssessment:
    """Eligibility and, if eligible, the explained score of ``unit`` in ``home``.

    ``distances`` (child id -> km from the parents) may be passed when the caller has
    computed them in bulk; they are the same numbers :func:`matching.geo.distance_km` gives.
    """
    sc = ctx.scenario
    if distances is None:
        home_loc = ctx.home_location(home)
        distances = {
            cid: distance_km(ctx.parents_location(sc.child(cid)), home_loc) for cid in unit.members
        }
    reasons = exclusion_reasons(ctx, unit, home, distances)
    if reasons:
        return PairAssessment(unit, home, tuple(reasons), ())
    members = tuple(
        MemberScore(
            cid,
            tuple(
                wishes.apply(
                    ctx.policy,
                    sc.child(cid),
                    c.criterion(ctx, unit, home, sc.child(cid), distances[cid]),
                )
                for c in CRITERIA
            ),
        )
        for cid in unit.members
    )
    return PairAssessment(unit, home, (), members)
