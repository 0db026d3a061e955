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

from matching.audit import MIN_CELL, SUPPRESSED
from solver.simulation.run import FIGURES, RunFigures

__all__ = ["figure", "hide_small_numbers", "simulation_document"]


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
    days: int,
    runs: int,
    seed: int,
    policies: Sequence[str],
    results: Sequence[RunFigures],
    area_children: int | None = None,
) -> dict[str, Any]:
    """The ``dichtbij simulate --json`` document (docs/spec/scenario.md).

    Beyond the contract, each policy after the first carries ``difference``: per figure,
    the mean and interval of its value minus the first policy's in the same run. The runs
    of one seed share their arrivals and carers, so these paired differences are far
    tighter than the two policies' own intervals suggest.

    With ``area_children`` (the scenario's own children: a municipality's area) the
    figures are published as :func:`hide_small_numbers` allows.
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
    if area_children is not None:
        hide_small_numbers(out, by_policy, area_children)
    return {"days": days, "runs": runs, "seed": seed, "policies": out}


#: Figures that are counts of children (hidden as "<5"); the others are medians or shares
#: (hidden as null).
_COUNTS = ("children", "placed", "moves")


def _describes_enough(name: str, r: RunFigures, area_children: int) -> bool:
    """Whether one run's figure describes enough children to publish (the audit's rules,
    matching.audit): a count 5 or more; placed (and its share) only with 5 or more left
    unplaced too; a median at least 5 values on each side, and at least 10 of the area's
    own children behind it (every simulated child is one of them or a copy of one, with
    the same parents' postcode); a share 5 or more on each side."""
    if area_children < MIN_CELL:
        return False
    if name == "children":
        return r.children >= MIN_CELL
    if name in ("placed", "placed_share"):
        return r.placed >= MIN_CELL and r.children - r.placed >= MIN_CELL
    if name == "moves":
        return r.moves >= MIN_CELL
    if name in ("waiting_days_median", "distance_median_km"):
        values = r.waits if name == "waiting_days_median" else r.placements
        return area_children >= 2 * MIN_CELL and values >= 2 * MIN_CELL
    if name == "siblings_together_share":
        apart = r.sibling_groups - r.sibling_groups_together
        return r.sibling_groups == 0 or min(r.sibling_groups_together, apart) >= MIN_CELL
    raise KeyError(name)


def _hidden(name: str) -> dict[str, Any]:
    return {"mean": SUPPRESSED if name in _COUNTS else None, "ci95": [None, None], "hidden": True}


def hide_small_numbers(
    policies: dict[str, dict[str, Any]],
    runs: dict[str, list[RunFigures]],
    area_children: int,
) -> None:
    """Hide, in place, every figure that describes fewer than MIN_CELL children in any run.

    A mean over runs of small counts is no protection: over one day and one run the mean
    of the children is the area's waiting children, and the median distance one child's.
    So a figure is shown only where it is publishable in every run (:func:`_describes_enough`);
    otherwise its mean is ``"<5"`` (a count) or ``null`` (a median or share), its interval
    ``[null, null]`` and ``hidden`` true. An area of fewer than MIN_CELL children shows no
    figure at all. A difference between policies is hidden where either figure is (the
    difference and one figure would give the other)."""
    names = (*FIGURES, "children", "placed_share")
    hidden = {
        policy: {
            name
            for name in names
            if not all(_describes_enough(name, r, area_children) for r in runs[policy])
        }
        for policy in policies
    }
    first = next(iter(policies), None)
    for policy, doc in policies.items():
        for name in hidden[policy]:
            doc[name] = _hidden(name)
        diff = doc.get("difference")
        if diff is None or first is None:
            continue
        for name in FIGURES:
            if name in hidden[policy] or name in hidden[first]:
                diff[name] = {**_hidden(name), "mean": None}


def _difference(
    baseline: str, base: Sequence[RunFigures], mine: Sequence[RunFigures]
) -> dict[str, Any]:
    out: dict[str, Any] = {"against": baseline}
    for name in FIGURES:
        diffs: list[float | None] = []
        for a, b in zip(base, mine, strict=True):
            x, y = a.figure(name), b.figure(name)
            diffs.append(None if x is None or y is None else y - x)
        # A difference of two shares lies between -1 and 1; of counts and medians, anywhere.
        bound = _HIGH.get(name, math.inf)
        out[name] = figure(diffs, low=-bound, high=bound)
    return out
