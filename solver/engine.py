"""The lexicographic optimum of one independent part of the batch, proven.

Two routes, both exact:

- A small part goes to CP-SAT with one weighted objective ``Wc * crisis + Wp * placed +
  score``. ``Wp`` exceeds the largest total score the part can reach and ``Wc`` exceeds
  ``Wp`` times (children + 1), so one more placed child always outweighs any difference
  in points and one more crisis child any difference in the rest: the weighted optimum is
  the lexicographic optimum. CP-SAT computes in 64-bit integers, and the weights are
  checked to stay far below 2**62, so nothing overflows and nothing ties.
- A large part (the national one has 230,000 pairs) is proven with the LP relaxation of
  :mod:`solver.relaxation` and solved with HiGHS on the pairs that can still matter:

  1. ``U`` = LP bound of ``g = (children + 1) * crisis + placed``, the first two stages
     as one exact integer objective (its LP is tight in practice).
  2. The LP of ``f = M1 * crisis + M2 * placed + score`` with clique and odd-cycle cuts
     gives the bound ``L`` and reduced costs ``rc``. ``M1`` and ``M2`` are moderate (a
     few thousand), so every number stays far inside double precision.
  3. A start: the LP's integral choices kept, the rest re-solved exactly (fix and solve),
     then the children who come alone moved as a min-cost flow, the groups held
     (:func:`solver.singles.reassign_singles`).
  4. Pairs with ``L + rc < best known f + 1`` cannot be in a better solution. A small core
     is solved first (a strong incumbent), then the core that this incumbent proves
     sufficient, proven optimal (gap below 1 on an integer objective). HiGHS gets each
     core first; SCIP takes over one that HiGHS has not proven within a short head start
     (each is much faster than the other on some cores: :func:`_solve`), unless the core
     is so large that SCIP's own LPs cost more than its cuts save.
  5. If the answer reaches ``g = floor(U)``, no assignment places more (crisis)
     children, and among those with the same counts none scores more, because ``f``
     differs from the score by a constant there. So the answer is the lexicographic
     optimum whatever ``M1`` and ``M2`` were. If it falls short, ``U`` is tightened
     (cuts, then an exact solve of ``g``) and, if it still falls short, the weights are
     raised and the part solved again; as a last resort the exact CP-SAT route runs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from solver.backends import FloatArray, MipResult, solve_cpsat, solve_mip
from solver.batch import Batch, IntArray, LexValue, violations
from solver.greedy import greedy
from solver.relaxation import (
    CliqueCuts,
    CoverCuts,
    Cut,
    OddCycleCuts,
    RowSet,
    base_rows,
    cap_rows,
    cut_rows,
    relax,
    restrict,
    top_pairs,
)
from solver.singles import reassign_singles

__all__ = [
    "EngineOptions",
    "PartBounds",
    "PartResult",
    "exact_objective",
    "exact_weights",
    "solve_part",
]

_INT_LIMIT = 2**62


@dataclass(frozen=True)
class EngineOptions:
    """Tuning knobs; the defaults are the measured best (docs/solver.md)."""

    exact_max_pairs: int = 3000
    """Parts with at most this many pairs go to CP-SAT with exact weights."""
    first_columns: int = 10
    """Best pairs per unit in the first LP working set."""
    column_margin: float = 5.0
    """Columns priced within this of improving are added in the same round."""
    first_delta: float = 12.0
    """Reduced-cost window of the first, small core that finds a strong incumbent."""
    max_escalations: int = 3
    """Times the weights M1, M2 are raised before falling back to exact CP-SAT."""
    fix_window: float = 200.0
    """Reduced-cost window of the pairs re-optimised around the LP's integral choices."""
    direct_max_pairs: int = 20_000
    """Up to this many pairs HiGHS gets all pairs at once, without the LP filtering."""
    weights: tuple[int, int] | None = None
    """First ``(M1, M2)``; by default derived from the scores (tests set tiny ones)."""
    core_backend: str = "auto"
    """The MIP solver of the cores and the fix-and-solve start: ``highs``, ``scip``, or
    ``auto``: HiGHS for ``highs_first`` seconds, then SCIP from the best solution found."""
    highs_first: float = 0.3
    """With ``auto``: HiGHS' time on a core before SCIP takes over, in seconds of CPU (the
    wall time allowed grows by the share of a core the process got in the LP phase). Most
    easy cores take HiGHS under 0.3 s; on the hard ones SCIP, without the separators of
    :data:`solver.backends.SCIP_SEPARATION`, proves in about 1 s what HiGHS needs 3 to 9 s
    for, so a longer head start is mostly lost (``scripts/core_strategies.py``)."""
    quiet_proof: bool = True
    """SCIP runs the proof core (the second, started from the first core's optimum)
    without its primal heuristics: on every proof core SCIP got at the national size they
    cost 0.10 to 0.22 s, at twice the size 0.4 to 0.5 s, and found nothing (docs/solver.md,
    "SCIP's proof core without heuristics")."""
    singles_flow_min_pairs: int = 500_000
    """Improve the start of a part with at least this many pairs by moving the children
    who come alone as a min-cost flow (:func:`solver.singles.reassign_singles`). At four
    times the national size it takes the first core from 86 to 36 s; the national parts
    (190,000 to 211,000 pairs) gain nothing, their hard cores cost their proof, and pay
    about 0.1 s for it (``scripts/core_strategies.py --strategies auto-0.3 no-flow``)."""
    scip_max_pairs: int = 40_000
    """With ``auto``: a core with more pairs than this stays with HiGHS to the end. SCIP in
    OR-tools solves its LPs with GLOP, whose simplex is about ten times slower than HiGHS'
    on these programs (the proof core at four times the national size, 146,013 pairs: 31 s
    for SCIP's root LP, 3 s for HiGHS'), so on large cores SCIP's LP outweighs what its cuts
    save: at four times the size HiGHS proves the two cores in 82.7 and 27.5 s of CPU, SCIP
    in 152.6 and 86.3 s. The cores of the national and twice the national size (7,000 to
    28,000 pairs) are below it (docs/solver.md, "Four times the national size: large cores
    stay with HiGHS, and a start from a min-cost flow")."""


@dataclass(frozen=True)
class PartBounds:
    """Upper bounds per stage.

    ``placed`` bounds the children placed when ``placed_crisis`` crisis children are;
    ``total_score`` bounds the points of any assignment with the same counts as the answer.
    """

    placed_crisis: int
    placed: int
    total_score: int


@dataclass(frozen=True)
class PartResult:
    chosen: IntArray
    optimal: bool
    value: LexValue
    bounds: PartBounds
    route: str
    stats: dict[str, float | int | str] = field(default_factory=dict)


def _score_cap(problem: Batch) -> int:
    """The most points the part could ever reach: each unit in its best home."""
    if problem.n_pairs == 0:
        return 0
    best = np.full(problem.n_units, 0, dtype=np.int64)
    np.maximum.at(best, problem.pair_unit, problem.pair_score)
    return int(best.sum())


def _trivial_bounds(problem: Batch) -> PartBounds:
    has_pair = problem.unit_degree > 0
    return PartBounds(
        int(problem.unit_crisis[has_pair].sum()),
        int(problem.unit_size[has_pair].sum()),
        _score_cap(problem),
    )


def solve_part(problem: Batch, deadline: float, options: EngineOptions | None = None) -> PartResult:
    """The lexicographic optimum of a part (or the best found before ``deadline``)."""
    opts = options or EngineOptions()
    if problem.n_pairs == 0:
        return PartResult(
            np.empty(0, dtype=np.int64), True, LexValue(0, 0, 0), PartBounds(0, 0, 0), "empty"
        )
    if problem.n_pairs <= opts.exact_max_pairs:
        result = _solve_exact(problem, deadline)
    else:
        result = _solve_large(problem, deadline, opts)
    broken = violations(problem, result.chosen)
    if broken:  # pragma: no cover - a solver bug, never an answer
        raise AssertionError("solver answer breaks the rules: " + "; ".join(broken[:5]))
    return result


# ---------------------------------------------------------------------------------------
# Exact weights, CP-SAT


def exact_weights(problem: Batch) -> tuple[int, int]:
    """``(Wc, Wp)`` that make the weighted objective exactly lexicographic (see above)."""
    cap = _score_cap(problem)
    w_placed = cap + 1
    w_crisis = w_placed * (problem.n_children + 1)
    top = w_crisis * int(problem.unit_crisis.sum()) + w_placed * problem.n_children + cap
    if top >= _INT_LIMIT:  # pragma: no cover - needs millions of children
        raise OverflowError("lexicographic weights would overflow 64-bit integers")
    return w_crisis, w_placed


def exact_objective(problem: Batch) -> IntArray:
    """Each pair's weight under :func:`exact_weights`: maximising the sum is lexicographic."""
    w_crisis, w_placed = exact_weights(problem)
    units = problem.pair_unit
    objective: IntArray = (
        w_crisis * problem.unit_crisis[units]
        + w_placed * problem.unit_size[units]
        + problem.pair_score
    )
    return objective


def _solve_exact(problem: Batch, deadline: float, hint: IntArray | None = None) -> PartResult:
    w_crisis, w_placed = exact_weights(problem)
    objective = exact_objective(problem)
    start = greedy(problem) if hint is None else hint
    t0 = time.perf_counter()
    res = solve_cpsat(problem, objective.tolist(), deadline - t0, hint=start)
    chosen, value = res.chosen, problem.value(res.chosen)
    # Stopped before CP-SAT even read the start: keep the start.
    if problem.value(start) > value:
        chosen, value = start, problem.value(start)
    weighted = w_crisis * value.placed_crisis + w_placed * value.placed + value.total_score
    if res.optimal:
        bounds = PartBounds(value.placed_crisis, value.placed, value.total_score)
    elif res.bound < weighted:
        # Stopped before it proved anything, CP-SAT answers UNKNOWN with a bound of 0: no
        # bound at all. Read as one it made the crisis stage look proven and the points'
        # bound negative; what is known without a proof is the trivial bounds.
        bounds = _trivial_bounds(problem)
    else:
        b = res.bound
        crisis_b = min(b // w_crisis, _trivial_bounds(problem).placed_crisis)
        rest = b - w_crisis * value.placed_crisis
        placed_b = (
            min(rest // w_placed, problem.n_children)
            if crisis_b == value.placed_crisis
            else _trivial_bounds(problem).placed
        )
        score_b = rest - w_placed * value.placed
        bounds = PartBounds(int(crisis_b), int(placed_b), int(min(score_b, _score_cap(problem))))
    return PartResult(
        chosen,
        res.optimal,
        value,
        bounds,
        "cp-sat exact weights",
        {"pairs": problem.n_pairs, "time_s": round(time.perf_counter() - t0, 3)},
    )


# ---------------------------------------------------------------------------------------
# LP-guided: relaxation, reduced-cost filtering, HiGHS


def _objective_value(objective: FloatArray, chosen: IntArray) -> int:
    return round(float(objective[chosen].sum()))


@dataclass(frozen=True)
class _Core:
    best: IntArray
    optimal: bool
    bound: float


def _core_mip(
    problem: Batch,
    objective: FloatArray,
    bound: float,
    reduced_cost: FloatArray,
    rows_of: Callable[[IntArray], RowSet],
    incumbent: IntArray,
    deadline: float,
    opts: EngineOptions,
    stats: dict[str, float | int | str],
) -> _Core:
    """Maximise ``objective`` exactly on the pairs whose reduced cost leaves them a chance.

    A solution that uses pair ``p`` reaches at most ``bound + rc_p``, so with an incumbent
    of value ``z`` every pair with ``bound + rc_p < z + 1`` can be dropped. First a small
    core (``first_delta``) finds a strong incumbent quickly; then the core that this
    incumbent proves sufficient is solved with it as a start. That second core needs only
    the solutions the first could not hold, so it leaves out the pairs whose reduced cost
    lets them in neither (below). Both steps run HiGHS without presolve, which on these
    already-filtered models costs more than it saves.
    """
    best = incumbent
    z_best = _objective_value(objective, best)
    eps = 1e-9 * max(1.0, abs(bound))
    outer = bound

    def needed(z: int) -> float:
        # Pairs with rc <= -delta cannot lift a solution above z: bound + rc < z + 1.
        return bound - z - 1.0 + 2 * eps

    delta = first = min(needed(z_best), opts.first_delta)
    for attempt in range(2):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        mask = np.zeros(problem.n_pairs, dtype=bool)
        mask[best] = True
        window = reduced_cost > -delta
        if attempt == 1:
            # Reduced costs add up: a solution reaches at most bound + the sum of its
            # pairs' negative reduced costs (solver.relaxation.lagrangian). One that beats
            # z_best and was not in the first core holds a pair at -first or below, so
            # each of its other pairs lies above -(delta - first). On national seed 11 the
            # proof core is 5,199 pairs instead of 8,319 (docs/solver.md, "Re-measured
            # 2026-12-06"); with delta >= 2 * first nothing is left out.
            window &= (reduced_cost > -(delta - first)) | (reduced_cost <= -first)
        # The best answer so far joins the core, as HiGHS' start: a start cuts the search
        # short, and more pairs in the core never make the proof below invalid.
        keep = np.flatnonzero(window | mask)
        rows = rows_of(keep)
        hint = mask[keep]
        t = time.perf_counter()
        # The second core starts from the first core's optimum, in practice the part's:
        # SCIP's start heuristics search for what is there already (docs/solver.md).
        mip, by = _solve(
            objective[keep], rows.matrix, rows.rhs, remaining, hint, opts, search=attempt == 0
        )
        stats["t_mip"] = round(float(stats.get("t_mip", 0.0)) + time.perf_counter() - t, 3)
        stats[f"mip_{attempt + 1}"] = (
            f"{keep.size} pairs, {time.perf_counter() - t:.2f} s ({by}), bound - start"
            f" {bound - float(objective[best].sum()):.1f}"
        )
        if mip.x is not None:
            found = keep[mip.x]
            if not violations(problem, found) and _objective_value(objective, found) > z_best:
                best, z_best = found, _objective_value(objective, found)
        outside = bound - delta + eps  # the most a solution with a dropped pair reaches
        inner = mip.bound if math.isfinite(mip.bound) else bound
        outer = min(bound, max(inner, outside))
        if not mip.optimal:
            break
        if outside < z_best + 1:
            return _Core(best, True, float(z_best))
        delta = needed(z_best)  # with the new incumbent: provably enough
    return _Core(best, False, outer)


def _solve(
    objective: FloatArray,
    matrix: sp.csr_matrix,
    rhs: FloatArray,
    time_limit: float,
    hint: NDArray[np.bool_] | None,
    opts: EngineOptions,
    presolve: bool = False,
    search: bool = True,
) -> tuple[MipResult, str]:
    """A 0/1 program of the part by ``opts.core_backend``, and which solver answered.

    ``auto``: HiGHS proves most national cores in well under a second, but on a few
    (seeds 12, 14 and 17) its root cut loop takes 3 to 9 s where SCIP, with the
    separators that pay here only, needs 0.5 to 1.3 s; on the easy ones SCIP is up to 2 to
    3 times slower (docs/solver.md, "HiGHS, then SCIP" and "SCIP without the separators
    that do not pay"). No property of the core seen beforehand told the two apart, so
    HiGHS gets a short time and SCIP, started from HiGHS' best solution, the rest. A core
    larger than ``opts.scip_max_pairs`` stays with HiGHS: there SCIP's own LPs cost more
    than its cuts save.
    """
    heuristics = search or not opts.quiet_proof
    if opts.core_backend != "auto":
        mip = solve_mip(
            objective,
            matrix,
            rhs,
            time_limit,
            hint,
            presolve,
            opts.core_backend,
            heuristics=heuristics,
        )
        return mip, opts.core_backend
    if matrix.shape[1] > opts.scip_max_pairs:
        return solve_mip(objective, matrix, rhs, time_limit, hint, presolve), "highs"
    t = time.perf_counter()
    first = solve_mip(objective, matrix, rhs, min(time_limit, opts.highs_first), hint, presolve)
    if first.optimal or time_limit <= opts.highs_first:
        return first, "highs"
    if first.x is not None and (hint is None or first.value > float(objective @ hint)):
        hint = first.x
    second = solve_mip(
        objective,
        matrix,
        rhs,
        time_limit - (time.perf_counter() - t),
        hint,
        presolve,
        "scip",
        heuristics=heuristics,
    )
    if second.x is None or (first.x is not None and first.value > second.value):
        # SCIP found nothing better in its time: HiGHS' solution, with the tighter bound.
        return MipResult(first.x, False, min(first.bound, second.bound), first.value), "highs"
    return second, "highs, then scip"


def _fix_and_solve(
    problem: Batch,
    objective: FloatArray,
    x_lp: FloatArray,
    reduced_cost: FloatArray,
    base: RowSet,
    deadline: float,
    opts: EngineOptions,
) -> IntArray | None:
    """A strong start: keep the LP's integral choices, solve the rest exactly (RINS-like).

    Units the LP places whole stay there; the few units it splits or leaves out are
    re-optimised on the beds that remain, over their pairs within ``opts.fix_window``
    of reduced cost. A small MIP, solved in a fraction of a second.
    """
    whole = x_lp > 1.0 - 1e-6
    # Free the neighbourhood of the fractional part too: units the LP put whole into a
    # home that it also offers fractionally to others.
    mixed = np.zeros(problem.n_homes, dtype=bool)
    mixed[problem.pair_home[(x_lp > 1e-6) & ~whole]] = True
    fixed = np.flatnonzero(whole & ~mixed[problem.pair_home])
    if violations(problem, fixed):
        return None
    used = np.bincount(
        problem.pair_home[fixed], weights=problem.pair_beds[fixed], minlength=problem.n_homes
    )
    done = np.zeros(problem.n_units, dtype=bool)
    done[problem.pair_unit[fixed]] = True
    left = problem.home_beds - used.astype(np.int64)
    free = np.flatnonzero(
        ~done[problem.pair_unit]
        & (problem.pair_beds <= left[problem.pair_home])
        & ~problem.closed_by(fixed)
        & (reduced_cost > -opts.fix_window)
    )
    if free.size == 0:
        return fixed
    rhs = base.rhs.copy()
    rhs[problem.n_units : problem.n_units + problem.n_homes] = left
    rhs[cap_rows(problem)] = problem.cap_left(fixed)
    rows = restrict(RowSet(base.matrix, rhs), free)
    # SCIP proves these small programs as fast as HiGHS or faster on every national seed
    # (seed 17: 0.72 s against 1.11 s; scripts/core_backends.py): no head start for HiGHS.
    backend = "scip" if opts.core_backend == "auto" else opts.core_backend
    mip = solve_mip(
        objective[free], rows.matrix, rows.rhs, deadline - time.perf_counter(), None, True, backend
    )
    if mip.x is None:
        return fixed
    return np.sort(np.concatenate([fixed, free[mip.x]])).astype(np.int64)


def _direct_mip(
    problem: Batch,
    objective: FloatArray,
    base: RowSet,
    incumbent: IntArray,
    deadline: float,
    opts: EngineOptions,
    stats: dict[str, float | int | str],
) -> _Core:
    """One MIP over every pair (:func:`_solve`): for parts too small for the LP filtering to
    pay off."""
    t = time.perf_counter()
    mip, by = _solve(objective, base.matrix, base.rhs, deadline - t, None, opts, True)
    stats["t_mip"] = round(time.perf_counter() - t, 3)
    stats["mip"] = by
    best = incumbent
    if mip.x is not None:
        found = np.flatnonzero(mip.x).astype(np.int64)
        if not violations(problem, found) and _objective_value(objective, found) > _objective_value(
            objective, best
        ):
            best = found
    if mip.optimal:
        return _Core(best, True, float(_objective_value(objective, best)))
    return _Core(best, False, mip.bound)


def _solve_large(problem: Batch, deadline: float, opts: EngineOptions) -> PartResult:
    t0 = time.perf_counter()
    stats: dict[str, float | int | str] = {"pairs": problem.n_pairs}
    units = problem.pair_unit
    n = problem.n_children
    best = greedy(problem)
    trivial = _trivial_bounds(problem)
    base = base_rows(problem)
    separators = (CliqueCuts(problem), CoverCuts(problem), OddCycleCuts(problem))

    def rows_of(cuts: list[Cut]) -> Callable[[IntArray], RowSet]:
        rows = base.stack(cut_rows(problem.n_pairs, cuts)) if cuts else base
        return lambda keep: restrict(rows, keep)

    # The first two stages as one exact integer objective: one more crisis child is worth
    # more than all other children together.
    g = ((n + 1) * problem.unit_crisis[units] + problem.unit_size[units]).astype(np.float64)
    columns = top_pairs(problem, opts.first_columns)
    columns[best] = True
    g_relax = relax(problem, g, base, columns, deadline)
    stats["lp_g_rounds"] = g_relax.rounds
    stats["t_lp_g"] = round(time.perf_counter() - t0, 3)
    u_g = _floor_bound(g_relax.bound)
    g_exact = False

    # One more child is worth four times the best points a child can bring, one more
    # crisis child eight children: large enough that the check in step 5 practically
    # always passes at once, small enough to keep the LP well conditioned.
    max_member = int(np.max(-(-problem.pair_score // np.maximum(problem.unit_size[units], 1))))
    m2 = 4 * max(1, max_member) + 1
    m1 = 8 * m2
    if opts.weights is not None:
        m1, m2 = opts.weights
    columns = g_relax.columns
    cuts: list[Cut] = []
    optimal = False
    bound_f, bound_weights = math.inf, (m1, m2)
    exhausted = False
    more_children: IntArray | None = None  # from an exact solve of g, if one was needed
    for escalation in range(opts.max_escalations + 1):
        f = (
            m1 * problem.unit_crisis[units] + m2 * problem.unit_size[units] + problem.pair_score
        ).astype(np.float64)
        if more_children is not None and _objective_value(f, more_children) > _objective_value(
            f, best
        ):
            best = more_children
        t1, c1 = time.perf_counter(), time.process_time()
        if problem.n_pairs <= opts.direct_max_pairs:
            core = _direct_mip(problem, f, base, best, deadline, opts, stats)
        else:
            f_relax = relax(
                problem,
                f,
                base,
                columns,
                deadline,
                separators,
                cuts,
                tol=1.0,
                margin=opts.column_margin,
            )
            stats["lp_f_rounds"] = f_relax.rounds
            stats["cuts"] = len(f_relax.cuts)
            stats["t_lp_f"] = round(time.perf_counter() - t1, 3)
            columns, cuts = f_relax.columns, f_relax.cuts
            if not math.isfinite(f_relax.bound):
                break
            # A second start: the integral part of the LP answer, completed greedily.
            rounded = greedy(
                problem,
                unit_order=np.argsort(
                    -np.bincount(units, weights=f_relax.x, minlength=problem.n_units),
                    kind="stable",
                ).astype(np.int64),
                pair_preference=f_relax.x + 1e-9 * f,
                fixed=np.flatnonzero(f_relax.x > 1.0 - 1e-6),
            )
            if _objective_value(f, rounded) > _objective_value(f, best):
                best = rounded
            t2 = time.perf_counter()
            polished = _fix_and_solve(
                problem, f, f_relax.x, f_relax.reduced_cost, base, deadline, opts
            )
            stats["t_fix"] = round(time.perf_counter() - t2, 3)
            if polished is not None and _objective_value(f, polished) > _objective_value(f, best):
                best = polished
            if problem.n_pairs >= opts.singles_flow_min_pairs:
                t3 = time.perf_counter()
                best = reassign_singles(problem, f, best, f_relax.bound, f_relax.reduced_cost)
                stats["t_singles"] = round(time.perf_counter() - t3, 3)
            stats["start_gap"] = round(f_relax.bound - _objective_value(f, best), 1)
            # HiGHS' head start is CPU time: on a shared machine this process got
            # ``share`` of a core over the LP phase, so it gets that much more wall time.
            share = (time.process_time() - c1) / max(time.perf_counter() - t1, 1e-6)
            share = min(1.0, max(0.25, share))
            core = _core_mip(
                problem,
                f,
                f_relax.bound,
                f_relax.reduced_cost,
                rows_of(cuts),
                best,
                deadline,
                replace(opts, highs_first=opts.highs_first / share),
                stats,
            )
        best, bound_f, bound_weights = core.best, core.bound, (m1, m2)
        if not core.optimal:
            break
        g_best = int(g[best].sum())
        if u_g is not None and g_best >= u_g:
            optimal = True
            break
        if not g_exact:
            # Settle the first two stages exactly before blaming the weights.
            g_cut = relax(
                problem,
                g,
                base,
                columns,
                deadline,
                separators,
                cuts,
                max_rounds=12,
                target=float(g_best),
            )
            tighter = _floor_bound(g_cut.bound)
            if tighter is not None:
                u_g = tighter if u_g is None else min(u_g, tighter)
            if u_g is not None and g_best < u_g and math.isfinite(g_cut.bound):
                g_core = _core_mip(
                    problem,
                    g,
                    g_cut.bound,
                    g_cut.reduced_cost,
                    rows_of(g_cut.cuts),
                    best,
                    deadline,
                    opts,
                    stats,
                )
                if g_core.optimal:
                    u_g, g_exact = int(g[g_core.best].sum()), True
                    more_children = g_core.best
            if u_g is not None and g_best >= u_g:
                optimal = True
                break
        stats["escalations"] = escalation + 1
        m2, m1 = 8 * m2, 64 * m2
        exhausted = escalation == opts.max_escalations
    stats["weights"] = f"M1={m1} M2={m2}"
    if exhausted:
        # The weights are as high as allowed and still the counts fall short (never seen
        # on the fixtures; tests force it): settle it in exact integer arithmetic.
        exact = _solve_exact(problem, deadline, hint=best)
        return PartResult(
            exact.chosen, exact.optimal, exact.value, exact.bounds, "cp-sat fallback", stats
        )
    value = problem.value(best)
    if optimal:
        bounds = PartBounds(value.placed_crisis, value.placed, value.total_score)
    else:
        crisis_b, placed_b = trivial.placed_crisis, trivial.placed
        if u_g is not None:
            crisis_b = min(u_g // (n + 1), crisis_b)
            if value.placed_crisis == crisis_b:
                placed_b = min(u_g - (n + 1) * crisis_b, placed_b)
        cap = _score_cap(problem)
        score_b = cap
        if math.isfinite(bound_f):
            w1, w2 = bound_weights  # the weights that bound was proven for
            score_b = min(
                cap, math.floor(bound_f + 1e-6) - w1 * value.placed_crisis - w2 * value.placed
            )
        bounds = PartBounds(int(crisis_b), int(placed_b), int(max(score_b, value.total_score)))
    stats["time_s"] = round(time.perf_counter() - t0, 3)
    return PartResult(best, optimal, value, bounds, "lp-guided highs", stats)


def _floor_bound(bound: float) -> int | None:
    """The integer bound implied by a float one, rounding in the safe direction."""
    if not math.isfinite(bound):
        return None
    return math.floor(bound + 1e-9 * max(1.0, abs(bound)))
