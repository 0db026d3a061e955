"""The trade-off frontier: for each number of placed children, the best assignment, proven.

The batch match always takes the lexicographic maximum. Placing its last children may
cost distance for everybody else, and that is a choice a region should see. For each
count ``k`` from ``placed - K`` to ``placed`` two exact MILP stages run over the same
pairs and rules as the batch model (beds, sibling groups as units, keep-apart):

1. the most crisis children among assignments placing exactly ``k`` children; the
   optimum's crisis count bounds it, so when dropping the right units from the optimum
   reaches it, no solve is needed;
2. the highest total score with exactly ``k`` placed and that many crisis children,
   started from the best assignment known.

A point is ``optimal`` when both stages are proven, ``feasible`` when a time limit
stopped the search (the score bound is then reported), ``infeasible`` when no assignment
places exactly ``k`` children (sibling groups can make a count impossible), ``unknown``
when the time ran out before any such assignment was found.
"""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from matching.context import Context
from matching.geo import distance_km
from solver.backends import FloatArray, MipResult
from solver.batch import Batch, IntArray, violations
from solver.planning.deadline import Deadline, solve_milp_on_time
from solver.relaxation import (
    CliqueCuts,
    CoverCuts,
    OddCycleCuts,
    Separator,
    base_rows,
    relax,
    top_pairs,
)

__all__ = ["Frontier", "FrontierPoint", "chosen_point", "frontier", "pairs_of_assignment"]


@dataclass(frozen=True)
class FrontierPoint:
    """The best assignment placing exactly ``placed`` children (``None`` values: none exists)."""

    placed: int
    status: str
    placed_crisis: int | None
    total_score: int | None
    score_bound: int | None
    distance_mean_km: float | None
    distance_median_km: float | None
    distance_total_km: float | None
    assignment: dict[str, str] = field(default_factory=dict)
    """Child id -> home id."""


@dataclass(frozen=True)
class Frontier:
    points: tuple[FrontierPoint, ...]
    wall_time_s: float

    @property
    def optimal(self) -> bool:
        """Every point proven (a point ``unknown`` was cut short too)."""
        return all(p.status in ("optimal", "infeasible") for p in self.points)


def pairs_of_assignment(problem: Batch, assignment: dict[str, str]) -> IntArray:
    """The pair indices of an assignment ``child id -> home id`` (a placed unit's pair)."""
    key = {
        (int(u), problem.home_ids[int(h)]): p
        for p, (u, h) in enumerate(zip(problem.pair_unit, problem.pair_home, strict=True))
    }
    chosen = set()
    for u, members in enumerate(problem.unit_members):
        home = assignment.get(members[0])
        if home is not None:
            chosen.add(key[(u, home)])
    return np.array(sorted(chosen), dtype=np.int64)


def _drop_to(problem: Batch, chosen: IntArray, k: int) -> IntArray | None:
    """The optimum minus units of exactly ``placed - k`` children, losing the fewest crisis
    children and then the fewest points (a small knapsack); ``None`` if no subset fits."""
    drop = int(problem.unit_size[problem.pair_unit[chosen]].sum()) - k
    if drop < 0:
        return None
    # best[j] = (crisis lost, points lost, pairs dropped) for exactly j children dropped
    best: list[tuple[int, int, tuple[int, ...]] | None] = [None] * (drop + 1)
    best[0] = (0, 0, ())
    for p in chosen.tolist():
        u = int(problem.pair_unit[p])
        size, crisis = int(problem.unit_size[u]), int(problem.unit_crisis[u])
        for j in range(drop, size - 1, -1):
            prev = best[j - size]
            if prev is None:
                continue
            cand = (prev[0] + crisis, prev[1] + int(problem.pair_score[p]), (*prev[2], p))
            cur = best[j]
            if cur is None or cand[:2] < cur[:2]:
                best[j] = cand
    end = best[drop]
    if end is None:
        return None
    gone = set(end[2])
    return np.array([p for p in chosen.tolist() if p not in gone], dtype=np.int64)


LARGE = 20_000
"""Above this many pairs, stage 2 filters pairs by a Lagrangian bound before HiGHS."""

MAX_CORE = 20_000
"""The most pairs a MILP handed to HiGHS may have. On the national batch the filtered
core keeps about 200,000 pairs, and HiGHS keeps no time limit there, however it is
called: its presolve (probing) and then its first root LP iteration ran 80 s past a 10 s
limit, with or without presolve, and in those runs never improved the start it was given
(docs/planning.md, "The frontier's time limit"). Such a point keeps the best assignment
known, with the Lagrangian bound, as ``feasible``."""


def _prices(problem: Batch, optimum: IntArray, k: int) -> list[float]:
    """Candidate prices of one placed child for the Lagrangian bound at count ``k``: the
    points the optimum loses per child dropped around ``k`` (the slope of the frontier)."""
    scores = {}
    for j in (k - 1, k, k + 1):
        hint = _drop_to(problem, optimum, j)
        if hint is not None:
            scores[j] = problem.value(hint).total_score
    slopes = []
    if k in scores and k + 1 in scores:
        slopes.append(float(scores[k + 1] - scores[k]))
    if k in scores and k - 1 in scores:
        slopes.append(float(scores[k] - scores[k - 1]))
    if len(slopes) == 2:
        slopes.insert(1, sum(slopes) / 2)
    return slopes


def _distances(ctx: Context, assignment: dict[str, str]) -> list[float]:
    sc = ctx.scenario
    return [
        distance_km(ctx.parents_location(sc.child(cid)), ctx.home_location(sc.home(hid)))
        for cid, hid in assignment.items()
    ]


def assignment_of_pairs(problem: Batch, chosen: IntArray) -> dict[str, str]:
    """Child id to home id for the chosen pairs: the inverse of :func:`pairs_of_assignment`."""
    out: dict[str, str] = {}
    for p in chosen.tolist():
        home = problem.home_ids[int(problem.pair_home[p])]
        for cid in problem.unit_members[int(problem.pair_unit[p])]:
            out[cid] = home
    return out


def _score_bound(status: str, score: int, bound: int | None) -> int | None:
    """A proven upper bound of the points at this count: the score itself when optimal."""
    if status == "optimal":
        return score
    return None if bound is None else max(bound, score)


def _point(
    ctx: Context, problem: Batch, k: int, status: str, chosen: IntArray | None, bound: int | None
) -> FrontierPoint:
    if chosen is None:
        return FrontierPoint(k, status, None, None, None, None, None, None)
    value = problem.value(chosen)
    assignment = assignment_of_pairs(problem, chosen)
    km = _distances(ctx, assignment)
    return FrontierPoint(
        placed=k,
        status=status,
        placed_crisis=value.placed_crisis,
        total_score=value.total_score,
        score_bound=_score_bound(status, value.total_score, bound),
        # Nobody placed: no distance to average (0.0 would claim one).
        distance_mean_km=round(statistics.fmean(km), 2) if km else None,
        distance_median_km=round(statistics.median(km), 2) if km else None,
        distance_total_km=round(math.fsum(km), 2),
        assignment=assignment,
    )


class _Model:
    """The batch rows plus two rows: exactly ``k`` children placed, at least ``c`` crisis."""

    def __init__(self, problem: Batch) -> None:
        units = problem.pair_unit
        self.size = problem.unit_size[units].astype(np.float64)
        self.crisis = problem.unit_crisis[units].astype(np.float64)
        self.score = problem.pair_score.astype(np.float64)
        base = base_rows(problem)
        self.matrix = sp.vstack(
            [
                base.matrix,
                sp.csr_matrix(self.size.reshape(1, -1)),
                sp.csr_matrix(self.crisis.reshape(1, -1)),
            ]
        ).tocsr()
        self.lower = np.concatenate([np.full(base.n_rows, -math.inf), [0.0, 0.0]])
        self.upper = np.concatenate([base.rhs, [0.0, math.inf]])
        self.n = problem.n_pairs
        self.problem = problem
        self.base = base
        self._separators: tuple[Separator, ...] | None = None
        # One more crisis child outweighs any points a unit can bring: the Lagrangian
        # inner problem then keeps the crisis children the count asks for.
        per_member = -(-problem.pair_score // np.maximum(problem.unit_size[units], 1))
        self.crisis_weight = 8.0 * (4.0 * float(per_member.max(initial=0)) + 1.0)

    @property
    def separators(self) -> tuple[Separator, ...]:
        if self._separators is None:
            p = self.problem
            self._separators = (CliqueCuts(p), CoverCuts(p), OddCycleCuts(p))
        return self._separators

    def solve(
        self,
        objective: FloatArray,
        k: int,
        crisis_at_least: int,
        hint: IntArray | None,
        time_limit: float | None,
    ) -> MipResult:
        if self.n > MAX_CORE:
            return MipResult(None, False, math.inf, -math.inf)
        lo, up = self.lower.copy(), self.upper.copy()
        lo[-2] = up[-2] = float(k)
        lo[-1] = float(crisis_at_least)
        x0 = None
        if hint is not None:
            x0 = np.zeros(self.n)
            x0[hint] = 1.0
        return solve_milp_on_time(objective, self.matrix, lo, up, np.ones(self.n), time_limit, x0)

    def score_filtered(
        self, k: int, crisis_at_least: int, hint: IntArray, prices: list[float], deadline: Deadline
    ) -> tuple[IntArray, bool, int | None]:
        """Stage 2 on a large batch: the Lagrangian bound of the count rows, then HiGHS on
        the pairs that bound leaves a chance (as :mod:`solver.engine` does for the match).

        For a price ``lam`` per placed child and ``mu`` per crisis child, every assignment
        ``x`` with ``k`` placed and at least ``c`` crisis children has
        ``score(x) <= lam * k - mu * c + f(x)``, ``f = score - lam * size + mu * crisis``,
        and ``f(x) <= L + rc_p`` for each chosen pair ``p`` (``L`` the Lagrangian bound of
        ``f`` over the batch rows, ``rc`` its reduced costs). So a pair with
        ``lam * k - mu * c + L + rc_p < z + 1`` is in no assignment better than ``z``.
        Returns the best assignment, whether it is proven, and the bound.
        """
        problem = self.problem
        z = int(problem.value(hint).total_score)
        mu = self.crisis_weight
        columns = top_pairs(problem, 10)
        columns[hint] = True
        best_bound, best_rc = math.inf, np.zeros(self.n)
        for lam in prices:
            f = self.score - lam * self.size + mu * self.crisis
            rel = relax(problem, f, self.base, columns, deadline.end, self.separators, tol=1.0)
            columns = rel.columns
            bound = lam * k - mu * crisis_at_least + rel.bound
            if bound < best_bound:
                best_bound, best_rc = bound, rel.reduced_cost
            if best_bound < z + 1.0 - 1e-6:
                return hint, True, z
        if not math.isfinite(best_bound):
            return hint, False, None
        eps = 1e-7 * max(1.0, abs(best_bound))
        mask = np.zeros(self.n, dtype=bool)
        mask[hint] = True
        keep = np.flatnonzero((best_bound + best_rc >= z + 1.0 - eps) | mask)
        outside = np.ones(self.n, dtype=bool)
        outside[keep] = False
        # The most an assignment using a dropped pair can reach.
        reach = best_bound + float(best_rc[outside].max()) if outside.any() else -math.inf
        sub = self.matrix[:, keep].tocsr()
        lo, up = self.lower.copy(), self.upper.copy()
        lo[-2] = up[-2] = float(k)
        lo[-1] = float(crisis_at_least)
        res = MipResult(None, False, math.inf, -math.inf)
        if keep.size <= MAX_CORE:
            res = solve_milp_on_time(
                self.score[keep],
                sub,
                lo,
                up,
                np.ones(keep.size),
                deadline.left(),
                mask[keep].astype(float),
            )
        chosen = hint
        if res.x is not None:
            found = keep[res.x]
            if not violations(problem, found) and problem.value(found) > problem.value(chosen):
                chosen = found
        value = int(problem.value(chosen).total_score)
        proven = res.optimal and reach < value + 1.0 - eps
        inner = res.bound if math.isfinite(res.bound) else best_bound
        bound = math.floor(min(best_bound, max(inner, reach)) + 1e-6)
        return chosen, proven, value if proven else bound


def frontier(
    ctx: Context,
    problem: Batch,
    optimum: IntArray,
    width: int,
    time_limit: float | None = None,
    *,
    optimum_proven: bool = True,
) -> Frontier:
    """The frontier below the lexicographic optimum ``optimum`` (chosen pairs of ``problem``).

    When ``optimum`` is the proven lexicographic optimum (``optimum_proven``) its crisis
    count bounds every point; otherwise stage 1 is always solved. ``time_limit``
    (seconds) is shared evenly by the points still to solve, and in a point stage 1 gets
    half its share; a point a time limit cut short is ``feasible`` (``unknown`` without
    any assignment).
    """
    t0 = time.perf_counter()
    deadline = Deadline.within(time_limit)
    top = problem.value(optimum)
    model = _Model(problem)
    points: list[FrontierPoint] = []
    counts = list(range(top.placed, max(0, top.placed - width) - 1, -1))
    for i, k in enumerate(counts):
        if k == top.placed:
            status = "optimal" if optimum_proven else "feasible"
            points.append(_point(ctx, problem, k, status, optimum, None))
            continue
        share = deadline.split(len(counts) - i)
        bound = top.placed_crisis if optimum_proven else None
        prices = _prices(problem, optimum, k)
        points.append(_solve_point(ctx, problem, model, optimum, k, bound, share, prices))
    points.reverse()
    return Frontier(tuple(points), time.perf_counter() - t0)


def _solve_point(
    ctx: Context,
    problem: Batch,
    model: _Model,
    optimum: IntArray,
    k: int,
    crisis_bound: int | None,
    deadline: Deadline,
    prices: list[float],
) -> FrontierPoint:
    hint = _drop_to(problem, optimum, k)
    proven = True
    # Stage 1: the most crisis children with exactly k placed.
    if (
        crisis_bound is not None
        and hint is not None
        and problem.value(hint).placed_crisis == crisis_bound
    ):
        best_crisis = crisis_bound
    else:
        # Half the point's time: stage 2 must still get its share.
        res = model.solve(model.crisis, k, 0, hint, deadline.share(2))
        if res.infeasible:
            return _point(ctx, problem, k, "infeasible", None, None)
        if res.x is not None:
            found = np.flatnonzero(res.x).astype(np.int64)
            if not violations(problem, found) and (
                hint is None
                or problem.value(found).placed_crisis > problem.value(hint).placed_crisis
            ):
                hint = found
        if hint is None:
            return _point(ctx, problem, k, "unknown", None, None)
        best_crisis = problem.value(hint).placed_crisis
        proven = res.optimal
    # Stage 2: the highest total score with exactly k placed and that many crisis children.
    if problem.n_pairs > LARGE and prices:
        best, ok, upper = model.score_filtered(k, best_crisis, hint, prices, deadline)
        return _point(ctx, problem, k, "optimal" if ok and proven else "feasible", best, upper)
    res = model.solve(model.score, k, best_crisis, hint, deadline.left())
    chosen = hint
    bound: int | None = None
    if res.x is not None:
        found = np.flatnonzero(res.x).astype(np.int64)
        if not violations(problem, found) and (
            chosen is None or problem.value(found) > problem.value(chosen)
        ):
            chosen = found
    if not res.optimal:
        proven = False
        if math.isfinite(res.bound):
            bound = math.floor(res.bound + 1e-6)
    if chosen is None:  # pragma: no cover - stage 1 always leaves an assignment
        return _point(ctx, problem, k, "unknown", None, None)
    broken = violations(problem, chosen)
    if broken:  # pragma: no cover - a solver bug, never an answer
        raise AssertionError("frontier point breaks the rules: " + "; ".join(broken[:5]))
    return _point(ctx, problem, k, "optimal" if proven else "feasible", chosen, bound)


def chosen_point(points: tuple[FrontierPoint, ...], km_per_child: float | None) -> int | None:
    """The point a region's policy picks: most ``placed * km_per_child - total km``.

    ``km_per_child`` is what one more placed child is worth in summed distance to the
    parents (policy ``max_extra_distance_km``); ties go to more children. ``None``: the
    policy is unset and the maximum stands.
    """
    if km_per_child is None:
        return None
    usable = [p for p in points if p.distance_total_km is not None]
    if not usable:
        return None
    best = max(
        usable,
        key=lambda p: (p.placed * km_per_child - (p.distance_total_km or 0.0), p.placed),
    )
    return best.placed
