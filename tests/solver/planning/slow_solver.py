"""A fake HiGHS as it behaved on national planning models: it takes every second it is
given, proves nothing and answers with its start; and where its presolve ignores the time
limit (through MathOpt, or with the aggregator on: docs/planning.md, "The plan's time
limit"), it runs ``overrun_s`` past it."""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np
import pytest
import scipy.sparse as sp

from solver.backends import HIGHS_AGGREGATOR, FloatArray, MipResult

__all__ = ["SlowSolver", "slow_solver"]


@dataclass
class SlowSolver:
    overrun_s: float
    limits: list[float] = field(default_factory=list)
    """The time limit of every call, in order."""

    def __call__(
        self,
        objective: FloatArray,
        matrix: sp.csr_matrix,
        row_lower: FloatArray,
        row_upper: FloatArray,
        var_upper: FloatArray,
        time_limit: float | None,
        hint: FloatArray | None = None,
        presolve_rules_off: int = 0,
        backend: str = "mathopt",
    ) -> MipResult:
        assert time_limit is not None, "a planning solve without a time limit"
        self.limits.append(time_limit)
        keeps_time = backend == "highspy" and presolve_rules_off & HIGHS_AGGREGATOR
        time.sleep(max(time_limit, 0.0) + (0.0 if keeps_time else self.overrun_s))
        if hint is None:
            return MipResult(None, False, math.inf, -math.inf, None)
        values = np.rint(hint).astype(np.int64)
        return MipResult(values > 0, False, math.inf, float(objective @ values), values)


def slow_solver(monkeypatch: pytest.MonkeyPatch, overrun_s: float = 0.0) -> SlowSolver:
    """Put the fake in place of ``solve_milp`` in every planning module that calls it."""
    fake = SlowSolver(overrun_s)
    for name, module in list(sys.modules.items()):
        if name.startswith("solver.planning.") and hasattr(module, "solve_milp"):
            monkeypatch.setattr(module, "solve_milp", fake)
    return fake
