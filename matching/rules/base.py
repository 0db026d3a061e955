"""The vocabulary of every rule and criterion: codes, reasons, criteria and verdicts.

A :class:`Reason` or :class:`Criterion` holds a code and the measured facts, never a
sentence: :mod:`matching.explain` turns them into Dutch or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.model import Home
from matching.siblings import Unit

__all__ = [
    "BoolArray",
    "Criterion",
    "CriterionCode",
    "FloatArray",
    "IntArray",
    "MemberScore",
    "PairAssessment",
    "Reason",
    "ReasonCode",
    "round_half_up",
]

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


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
    CARE_KIND = "care_kind"
    DECLINED = "declined"
    BREAKDOWN = "breakdown"
    RESIDENTIAL_GATE = "residential_gate"


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
    WAITING = "waiting"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a home is not an option: a rule's code, the child it concerns (None: the
    whole unit) and the facts a sentence is built from."""

    code: ReasonCode
    child_id: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One criterion's points for one child in one home, out of ``max_points``, with the
    facts behind the number."""

    code: CriterionCode
    points: int
    max_points: int
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MemberScore:
    """A child's criteria in one home; its score is their sum."""

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


def round_half_up(x: Any) -> Any:
    """Points are whole: ``floor(x + 0.5)``, elementwise on arrays, the same on one number.

    ``x`` is first rounded to 9 decimals: a half in exact arithmetic can come out of the
    float division just below it (100 × (1 − 25.5/60) is 57.49999999999999), and the
    sentence beside the points shows the exact numbers, so a coordinator recomputing them
    gets 58 where a bare floor gave 57. Points are at most thousands and the inputs have a
    few decimals, so no true value lies within 1e-9 of a half without being one."""
    return np.floor(np.round(x, 9) + 0.5)
