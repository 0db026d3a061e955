"""How a planning answer keeps its time limit: one deadline its solver calls share, and the
one way they call HiGHS so that it stops when told (docs/planning.md, "The plan's time
limit").

HiGHS's presolve does not look at the time limit (ERGO-Code/HiGHS#1501): through MathOpt
(an older HiGHS) and with its aggregator (presolve rule 12) it ran minutes past the limit
on national models. HiGHS 1.16 through highspy with the aggregator off presolves them in
a second or two, so every MILP of the plan, the frontier and the recruitment goes there.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import scipy.sparse as sp

from solver.backends import HIGHS_AGGREGATOR, FloatArray, MipResult, solve_milp

__all__ = ["MIN_STEP_S", "Deadline", "solve_milp_on_time"]

MIN_STEP_S = 0.05
"""Seconds a solver call still gets once its deadline has passed: enough to take its
start and hand it back, so that every call after the deadline adds this much at most."""


@dataclass(frozen=True)
class Deadline:
    """A moment on :func:`time.perf_counter`'s clock (``inf``: no time limit)."""

    end: float

    @classmethod
    def within(cls, seconds: float | None) -> Deadline:
        """The deadline ``seconds`` from now (none for ``None``)."""
        return cls(math.inf if seconds is None else time.perf_counter() + seconds)

    def earlier(self, seconds: float) -> Deadline:
        """This deadline less ``seconds``: time kept free for what comes after."""
        return Deadline(self.end - seconds)

    def left(self) -> float | None:
        """The seconds a solver call may take now: at least :data:`MIN_STEP_S`, ``None``
        without a time limit."""
        rest = self.end - time.perf_counter()
        return max(rest, MIN_STEP_S) if math.isfinite(rest) else None

    def share(self, calls: int) -> float | None:
        """A fair share of the time left for the next of ``calls`` calls still to come: an
        early one must not take it all."""
        rest = self.left()
        return None if rest is None else max(MIN_STEP_S, rest / max(calls, 1))

    def split(self, parts: int) -> Deadline:
        """The deadline of the next of ``parts`` pieces of work sharing the time left."""
        if not math.isfinite(self.end):
            return self
        now = time.perf_counter()
        return Deadline(now + max(self.end - now, 0.0) / max(parts, 1))


def solve_milp_on_time(
    objective: FloatArray,
    matrix: sp.csr_matrix,
    row_lower: FloatArray,
    row_upper: FloatArray,
    var_upper: FloatArray,
    time_limit: float | None,
    hint: FloatArray | None = None,
) -> MipResult:
    """:func:`solver.backends.solve_milp` with HiGHS 1.16 through highspy and its presolve
    aggregator off: the call that keeps ``time_limit`` on national models."""
    return solve_milp(
        objective,
        matrix,
        row_lower,
        row_upper,
        var_upper,
        time_limit,
        hint,
        presolve_rules_off=HIGHS_AGGREGATOR,
        backend="highspy",
    )
