"""Eligibility and scoring for one placement unit in one home: the per-pair path.

Eligibility returns reasons (never a bare ``False``); scoring returns criteria whose
points add up to the score. Both are language-neutral: a :class:`Reason` or
:class:`Criterion` holds a code and the measured facts, and :mod:`matching.explain`
turns them into Dutch or English sentences. :mod:`matching.bulk` computes the same
numbers vectorised; a property test holds the two paths to identical scores.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from matching.context import Context
from matching.facts import keeps_school
from matching.geo import distance_km
from matching.model import CARE_DOMAINS, Child, Home, HomeType
from matching.siblings import Unit

__all__ = [
    "Criterion",
    "CriterionCode",
    "MemberScore",
    "PairAssessment",
    "Reason",
    "ReasonCode",
    "assess",
    "distance_points",
    "stability_points",
]


class ReasonCode(StrEnum):
    """Why a home is not an option; stable codes for machines, sentences for people."""

    BEDS = "beds"
    SIBLINGS = "siblings"
    AGE = "age"
    CARE_NEED = "care_need"
    DISTANCE = "distance"
    SAFETY_DISTANCE = "safety_distance"
    AVAILABILITY = "availability"
    NETWORK = "network"
    KEEP_APART = "keep_apart"


class CriterionCode(StrEnum):
    """The scoring criteria, in the order explanations list them."""

    TYPE = "type"
    DISTANCE_PARENTS = "distance_parents"
    SCHOOL = "school"
    SIBLINGS = "siblings"
    STABILITY = "stability"
    CURRENT_HOME = "current_home"
    OWN_MUNICIPALITY = "own_municipality"
    RELIGION = "religion"
    LANGUAGE = "language"
    CARE_NEEDS = "care_needs"


@dataclass(frozen=True, slots=True)
class Reason:
    code: ReasonCode
    child_id: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Criterion:
    code: CriterionCode
    points: int
    max_points: int
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MemberScore:
    child_id: str
    criteria: tuple[Criterion, ...]

    @property
    def score(self) -> int:
        return sum(c.points for c in self.criteria)


@dataclass(frozen=True, slots=True)
class PairAssessment:
    """The verdict on one unit in one home: reasons if excluded, else member scores."""

    unit: Unit
    home: Home
    reasons: tuple[Reason, ...]
    members: tuple[MemberScore, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def score(self) -> int:
        return sum(m.score for m in self.members)


# ---------------------------------------------------------------------------------------
# Formulas shared with the bulk path (matching.bulk applies the same arithmetic to arrays)


def distance_points(weight: int, distance: float, max_km: float) -> int:
    """``weight * (1 - d / max)``, at least 0, rounded half up."""
    return math.floor(weight * max(0.0, 1.0 - distance / max_km) + 0.5)


def stability_points(weight: int, age: int, age_max: int, adult_age: int) -> int:
    """Share of the years until adulthood that the home's age range covers."""
    needed = max(1, adult_age - age)
    covered = min(needed, max(0, age_max + 1 - age))
    return math.floor(weight * covered / needed + 0.5)


def _home_languages(home: Home) -> tuple[str, ...]:
    # A Dutch home that lists no languages speaks Dutch.
    return home.languages or ("nl",)


# ---------------------------------------------------------------------------------------
# Eligibility


def _eligibility(ctx: Context, unit: Unit, home: Home, dist: Mapping[str, float]) -> list[Reason]:
    sc = ctx.scenario
    policy = ctx.policy
    members = [sc.child(cid) for cid in unit.members]
    reasons: list[Reason] = []

    needed = sum(1 for c in members if c.current_home != home.id)
    if home.beds_free < needed:
        reasons.append(
            Reason(ReasonCode.BEDS, detail={"beds_free": home.beds_free, "beds_needed": needed})
        )
    limit = home.sibling_limit()
    if unit.together and limit is not None and unit.size > limit:
        reasons.append(
            Reason(ReasonCode.SIBLINGS, detail={"group_size": unit.size, "max_siblings": limit})
        )
    if not home.available_on(sc.reference_date):
        reasons.append(
            Reason(
                ReasonCode.AVAILABILITY,
                detail={
                    "available_from": _iso(home.available_from),
                    "available_until": _iso(home.available_until),
                    "reference_date": sc.reference_date.isoformat(),
                },
            )
        )
    max_km = policy.max_distance_for(home.type)
    occupants = ctx.occupants.get(home.id, frozenset())
    for c in members:
        if not home.age_min <= c.age <= home.age_max:
            reasons.append(
                Reason(
                    ReasonCode.AGE,
                    c.id,
                    {"age": c.age, "age_min": home.age_min, "age_max": home.age_max},
                )
            )
        for domain in CARE_DOMAINS:
            need = c.need(domain)
            if need > home.capability(domain):
                reasons.append(
                    Reason(
                        ReasonCode.CARE_NEED,
                        c.id,
                        {
                            "domain": domain.value,
                            "need": need,
                            "capability": home.capability(domain),
                        },
                    )
                )
        d = dist[c.id]
        if d > max_km:
            reasons.append(Reason(ReasonCode.DISTANCE, c.id, {"distance_km": d, "max_km": max_km}))
        if c.min_distance_from_parents_km is not None and d < c.min_distance_from_parents_km:
            reasons.append(
                Reason(
                    ReasonCode.SAFETY_DISTANCE,
                    c.id,
                    {"distance_km": d, "min_km": c.min_distance_from_parents_km},
                )
            )
        if home.type is HomeType.NETWORK_FOSTER and c.id not in home.known_to:
            reasons.append(Reason(ReasonCode.NETWORK, c.id))
        for other in sorted(ctx.keep_apart[c.id] & occupants):
            reasons.append(Reason(ReasonCode.KEEP_APART, c.id, {"other_child_id": other}))
    return reasons


def _iso(d: Any) -> str | None:
    return None if d is None else str(d.isoformat())


# ---------------------------------------------------------------------------------------
# Scoring


def _member_criteria(
    ctx: Context, unit: Unit, home: Home, child: Child, d_parents: float
) -> tuple[Criterion, ...]:
    policy = ctx.policy
    table = ctx.table
    home_loc = ctx.home_location(home)
    crit: list[Criterion] = []

    w = policy.points_type.for_type(home.type)
    crit.append(Criterion(CriterionCode.TYPE, w, _max_type(ctx), {"home_type": home.type.value}))

    crit.append(
        Criterion(
            CriterionCode.DISTANCE_PARENTS,
            distance_points(policy.points_distance_parents, d_parents, policy.max_distance_km),
            policy.points_distance_parents,
            {
                "distance_km": d_parents,
                "max_km": policy.max_distance_km,
                "parents_postcode": child.parents_postcode.pc4,
                "home_postcode": home.postcode.pc4,
            },
        )
    )

    w = policy.points_school
    school = ctx.school_location(child)
    keeps = keeps_school(policy, child.age, school, home_loc)
    if school is None or keeps is None:
        why = "too_young" if child.age < policy.school_age else "no_school"
        crit.append(Criterion(CriterionCode.SCHOOL, w, w, {"applicable": False, "why": why}))
    else:
        d_school = distance_km(school, home_loc)
        commute = policy.school_commute_km(child.age)
        crit.append(
            Criterion(
                CriterionCode.SCHOOL,
                w if keeps else 0,
                w,
                {
                    "applicable": True,
                    "distance_km": d_school,
                    "commute_km": commute,
                    "school_postcode": child.school_postcode.pc4 if child.school_postcode else None,
                    "keeps_school": keeps,
                },
            )
        )

    w = policy.points_siblings_together
    if unit.together:
        others = [m for m in unit.members if m != child.id]
        crit.append(Criterion(CriterionCode.SIBLINGS, w, w, {"together_with": others}))
    elif unit.split_from_siblings:
        crit.append(
            Criterion(
                CriterionCode.SIBLINGS,
                0,
                w,
                {
                    "split_reason": unit.split_reason.value if unit.split_reason else None,
                    "siblings": [m for m in unit.group if m != child.id],
                },
            )
        )
    else:
        crit.append(Criterion(CriterionCode.SIBLINGS, 0, 0, {"applicable": False}))

    w = policy.points_stability
    crit.append(
        Criterion(
            CriterionCode.STABILITY,
            stability_points(w, child.age, home.age_max, policy.adult_age),
            w,
            {"age": child.age, "age_max": home.age_max, "adult_age": policy.adult_age},
        )
    )

    w = policy.points_stay_current_home
    if child.current_home is None:
        crit.append(Criterion(CriterionCode.CURRENT_HOME, 0, 0, {"applicable": False}))
    else:
        stays = child.current_home == home.id
        crit.append(
            Criterion(
                CriterionCode.CURRENT_HOME,
                w if stays else 0,
                w,
                {"applicable": True, "stays": stays, "current_home": child.current_home},
            )
        )

    w = policy.points_own_municipality
    parents_m = ctx.parents_location(child).municipality_code
    home_m = home_loc.municipality_code
    names = _municipality_names(table)
    crit.append(
        Criterion(
            CriterionCode.OWN_MUNICIPALITY,
            w if parents_m == home_m else 0,
            w,
            {
                "parents_municipality": names.get(parents_m, parents_m),
                "home_municipality": names.get(home_m, home_m),
                "same": parents_m == home_m,
            },
        )
    )

    w = policy.points_religion
    if child.religion is None:
        crit.append(Criterion(CriterionCode.RELIGION, w, w, {"applicable": False}))
    else:
        same = home.religion == child.religion
        crit.append(
            Criterion(
                CriterionCode.RELIGION,
                w if same else 0,
                w,
                {"applicable": True, "child": child.religion, "home": home.religion, "same": same},
            )
        )

    w = policy.points_language
    if not child.languages:
        crit.append(Criterion(CriterionCode.LANGUAGE, w, w, {"applicable": False}))
    else:
        shared = sorted(set(child.languages) & set(_home_languages(home)))
        crit.append(
            Criterion(
                CriterionCode.LANGUAGE,
                w if shared else 0,
                w,
                {
                    "applicable": True,
                    "child": list(child.languages),
                    "home": list(_home_languages(home)),
                    "shared": shared,
                },
            )
        )

    crit.append(
        Criterion(
            CriterionCode.CARE_NEEDS,
            0,
            0,
            {
                "needs": {d: child.need(d) for d in CARE_DOMAINS if child.need(d) > 0},
                "capabilities": {d: home.capability(d) for d in CARE_DOMAINS if child.need(d) > 0},
            },
        )
    )
    return tuple(crit)


def _max_type(ctx: Context) -> int:
    pt = ctx.policy.points_type
    return max(pt.for_type(t) for t in HomeType)


_NAMES: dict[int, dict[str, str]] = {}


def _municipality_names(table: Any) -> dict[str, str]:
    key = id(table)
    if key not in _NAMES:
        _NAMES[key] = table.municipality_names()
    return _NAMES[key]


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
    reasons = _eligibility(ctx, unit, home, distances)
    if reasons:
        return PairAssessment(unit, home, tuple(reasons), ())
    members = tuple(
        MemberScore(cid, _member_criteria(ctx, unit, home, sc.child(cid), distances[cid]))
        for cid in unit.members
    )
    return PairAssessment(unit, home, (), members)
