"""From many runs to one answer: each figure's mean over the runs and its 95% interval.

The interval is Student's t interval of the mean over the runs (the runs are independent
and identically distributed given the assumptions): ``mean ± t(0.975, n-1) · s / √n``.
With one run, or runs that all agree, it is the mean itself. The interval is cut to the
values a figure can take (no count or distance below 0, no share above 1). Numbers are rounded to
three decimals, so that the answer is the same byte for byte wherever the runs executed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from scipy.stats import t as student_t

from solver.simulation.run import FIGURES, RunFigures

__all__ = ["figure", "simulation_document"]


def figure(
    values: Sequence[float | None], low: float = 0.0, high: float = math.inf
) -> dict[str, Any]:
    """``{"mean", "ci95": [low, high]}``; ``None`` values (nothing measured) are left out,
    and with no value at all both are ``null``."""
    xs = [v for v in values if v is not None]
    if not xs:
        return {"mean": None, "ci95": [None, None]}
    n = len(xs)
    mean = math.fsum(xs) / n
    if n == 1:
        half = 0.0
    else:
        var = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
        half = float(student_t.ppf(0.975, n - 1)) * math.sqrt(var / n)
    return {
        "mean": _r(mean),
        "ci95": [_r(max(low, mean - half)), _r(min(high, mean + half))],
    }


_HIGH = {"siblings_together_share": 1.0}


def _r(x: float) -> float:
    return round(x, 3) + 0.0  # + 0.0: never a negative zero


def simulation_document(
    days: int, runs: int, seed: int, policies: Sequence[str], results: Sequence[RunFigures]
) -> dict[str, Any]:
    """The ``dichtbij simulate --json`` document (docs/spec/scenario.md).

    Beyond the contract, each policy after the first carries ``difference``: per figure,
    the mean and interval of its value minus the first policy's in the same run. The runs
    of one seed share their arrivals and carers, so these paired differences are far
    tighter than the two policies' own intervals suggest.
    """
    out: dict[str, Any] = {}
    by_policy = {
        policy: sorted((r for r in results if r.policy == policy), key=lambda r: r.run)
        for policy in policies
    }
    for policy in policies:
        mine = by_policy[policy]
        doc = {
            name: figure([r.figure(name) for r in mine], high=_HIGH.get(name, math.inf))
            for name in FIGURES
        }
        # Extras beyond the contract: how many children needed a place in the run, and the
        # share of them placed (the counts vary with the arrivals drawn).
        doc["children"] = figure([float(r.children) for r in mine])
        doc["placed_share"] = figure(
            [r.placed / r.children if r.children else None for r in mine], high=1.0
        )
        if policy != policies[0]:
            doc["difference"] = _difference(policies[0], by_policy[policies[0]], mine)
        out[policy] = doc
    return {"days": days, "runs": runs, "seed": seed, "policies": out}


def _difference(
    baseline: str, base: Sequence[RunFigures], mine: Sequence[RunFigures]
) -> dict[str, Any]:
    out: dict[str, Any] = {"against": baseline}
    for name in FIGURES:
        diffs: list[float | None] = []
        for a, b in zip(base, mine, strict=True):
            x, y = a.figure(name), b.figure(name)
            diffs.append(None if x is None or y is None else y - x)
        out[name] = figure(diffs, low=-math.inf)
    return out
