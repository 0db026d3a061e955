"""Age: the child's age must lie within the home's ``age_min`` .. ``age_max``."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import Child, Home
from matching.rules.base import BoolArray, FloatArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "excludes"]


def excludes(age: Any, age_min: Any, age_max: Any) -> Any:
    """Elementwise: the age is outside the range."""
    return (age < age_min) | (age > age_max)


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    if not excludes(child.age, home.age_min, home.age_max):
        return []
    detail = {"age": child.age, "age_min": home.age_min, "age_max": home.age_max}
    return [Reason(ReasonCode.AGE, child.id, detail)]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    return np.asarray(excludes(child.age, homes.age_min, homes.age_max))


RULE = MemberRule(ReasonCode.AGE, _reasons, _mask)
