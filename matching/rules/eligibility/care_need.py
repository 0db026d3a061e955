"""Care needs: in every care domain the home must handle at least the child's level."""

from __future__ import annotations

from typing import Any

import numpy as np

from matching.context import Context
from matching.model import CARE_DOMAINS, Child, Home
from matching.rules.base import BoolArray, FloatArray, IntArray, Reason, ReasonCode
from matching.rules.eligibility.rule import MemberRule
from matching.rules.homes import HomeArrays

__all__ = ["RULE", "excludes", "needs_of"]


def needs_of(child: Child) -> IntArray:
    """The child's level per domain, in the order of :data:`~matching.model.CARE_DOMAINS`."""
    return np.array([child.need(d) for d in CARE_DOMAINS], dtype=np.int64)


def excludes(needs: Any, capabilities: Any) -> Any:
    """Along the last axis (the domains): some need above what the home can handle."""
    return np.any(needs > capabilities, axis=-1)


def _reasons(ctx: Context, child: Child, home: Home, d: float) -> list[Reason]:
    return [
        Reason(
            ReasonCode.CARE_NEED,
            child.id,
            {"domain": domain.value, "need": child.need(domain), "capability": cap},
        )
        for domain in CARE_DOMAINS
        if child.need(domain) > (cap := home.capability(domain))
    ]


def _mask(ctx: Context, child: Child, homes: HomeArrays, d: FloatArray) -> BoolArray:
    return np.asarray(excludes(needs_of(child), homes.capability))


RULE = MemberRule(ReasonCode.CARE_NEED, _reasons, _mask)
