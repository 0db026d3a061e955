"""The LP relaxation that proves the optimum: column generation, clique cuts, dual bounds.

The plain LP of the batch (one home per unit, free beds, keep apart) is almost integral:
without sibling groups it is a transportation problem. Groups that fill a home make it
fractional (a group of two half in a two-bed home, a single child in the other half), so
the rows are strengthened with clique cuts: in a home with ``B`` free beds, a pair using
more than ``B / 2`` beds excludes every pair that does not fit beside it. Only the cuts
that the LP solution violates are added.

The LP is solved on a working set of columns (the best pairs of each unit) and priced
over all pairs. Any non-negative dual vector ``y`` gives the Lagrangian bound
``L(y) = y @ rhs + sum(max(0, c - A.T @ y))`` on every integer solution, and the bound
that a pair ``p`` can reach when it is used is ``L + min(0, rc_p)``; that is what
:mod:`solver.engine` uses to drop pairs that cannot be in an optimum. The bound is
computed here from the duals, not taken from the LP solver, so it is valid whatever the
working set and the solver's tolerances.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from solver.backends import FloatArray, LpSession
from solver.batch import Batch, IntArray

__all__ = [
    "CliqueCuts",
    "CoverCuts",
    "Cut",
    "OddCycleCuts",
    "Relaxation",
    "RowSet",
    "Separator",
    "base_rows",
    "cap_rows",
    "cut_rows",
    "lagrangian",
    "relax",
    "restrict",
    "top_pairs",
]

BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class RowSet:
    """Rows ``matrix @ x <= rhs`` over all pairs of a problem."""

    matrix: sp.csr_matrix
    rhs: FloatArray

    @property
    def n_rows(self) -> int:
        return int(self.matrix.shape[0])

    def stack(self, other: RowSet) -> RowSet:
        if other.n_rows == 0:
            return self
        return RowSet(
            sp.vstack([self.matrix, other.matrix]).tocsr(), np.concatenate([self.rhs, other.rhs])
        )


def base_rows(problem: Batch) -> RowSet:
    """One home per unit, the free beds of each home, one row per keep-apart conflict and,
    last, one per sibling cap (rows ``cap_rows(problem)``)."""
    n = problem.n_pairs
    idx = np.arange(n)
    k = problem.conflicts.shape[0]
    capped = np.flatnonzero(problem.pair_cap >= 0) if problem.n_caps else idx[:0]
    rows = np.concatenate(
        [
            problem.pair_unit,
            problem.n_units + problem.pair_home,
            problem.n_units + problem.n_homes + np.repeat(np.arange(k), 2),
            problem.n_units + problem.n_homes + k + problem.pair_cap[capped],
        ]
    )
    cols = np.concatenate([idx, idx, problem.conflicts.reshape(-1), capped])
    vals = np.concatenate(
        [np.ones(n), problem.pair_beds.astype(np.float64), np.ones(2 * k), np.ones(capped.size)]
    )
    m = problem.n_units + problem.n_homes + k + problem.n_caps
    matrix = sp.csr_matrix((vals, (rows, cols)), shape=(m, n))
    rhs = np.concatenate(
        [
            np.ones(problem.n_units),
            problem.home_beds.astype(np.float64),
            np.ones(k),
            problem.cap_limit.astype(np.float64),
        ]
    )
    return RowSet(matrix, rhs)


def cap_rows(problem: Batch) -> slice:
    """Where :func:`base_rows` puts the sibling caps."""
    first = problem.n_units + problem.n_homes + problem.conflicts.shape[0]
    return slice(first, first + problem.n_caps)


Cut = tuple[tuple[int, ...], float]
"""A valid inequality ``sum(x[p] for p in members) <= rhs``, identified by its members
(a pair listed ``k`` times has coefficient ``k``)."""


def cut_rows(n_pairs: int, cuts: Sequence[Cut]) -> RowSet:
    r: list[int] = []
    c: list[int] = []
    for i, (members, _rhs) in enumerate(cuts):
        r.extend([i] * len(members))
        c.extend(members)
    matrix = sp.csr_matrix(
        (np.ones(len(r)), (np.array(r, dtype=np.int64), np.array(c, dtype=np.int64))),
        shape=(len(cuts), n_pairs),
    )
    return RowSet(matrix, np.array([rhs for _, rhs in cuts], dtype=np.float64))


class Separator(Protocol):
    def violated(self, x: FloatArray) -> list[Cut]: ...


class CliqueCuts:
    """The clique inequalities of each home's knapsack of beds.

    In a home with ``B`` beds, call a pair *big* if it needs more than ``B / 2`` beds; two
    big pairs never fit together. For each other pair ``s`` the big pairs that do not fit
    beside it (``b_g > B - b_s``) form a clique with ``s``: ``x_s + sum x_g <= 1``. The
    big pairs alone form one more clique.
    """

    def __init__(self, problem: Batch) -> None:
        self.problem = problem
        beds = problem.home_beds[problem.pair_home]
        self.big = (2 * problem.pair_beds > beds) & (problem.pair_beds > 0)
        self.max_beds = int(problem.pair_beds.max()) if problem.n_pairs else 0
        self.slack = beds - problem.pair_beds  # b_g > slack_s means g does not fit beside s
        big_idx = np.flatnonzero(self.big)
        order = np.argsort(problem.pair_home[big_idx], kind="stable")
        self.big_sorted = big_idx[order]
        self.big_start = np.searchsorted(
            problem.pair_home[self.big_sorted], np.arange(problem.n_homes + 1)
        )

    def violated(self, x: FloatArray, tol: float = 1e-6) -> list[Cut]:
        p = self.problem
        big_idx = np.flatnonzero(self.big & (x > tol))
        if big_idx.size == 0:
            return []
        homes, beds = p.pair_home[big_idx], p.pair_beds[big_idx]
        # sums[t, h]: total x of big pairs in home h that need more than t beds
        sums = np.zeros((self.max_beds + 1, p.n_homes))
        for t in range(self.max_beds + 1):
            sel = beds > t
            sums[t] = np.bincount(homes[sel], weights=x[big_idx[sel]], minlength=p.n_homes)
        small = np.flatnonzero(~self.big & (p.pair_beds > 0) & (self.slack < self.max_beds))
        act = x[small] + sums[self.slack[small], p.pair_home[small]]
        cuts: list[Cut] = []
        for s in small[act > 1.0 + tol].tolist():
            bigs = self._bigs(int(p.pair_home[s]))
            members = [s, *bigs[p.pair_beds[bigs] > self.slack[s]].tolist()]
            cuts.append((tuple(sorted(members)), 1.0))
        for h in np.flatnonzero(sums[0] > 1.0 + tol).tolist():
            cuts.append((tuple(sorted(self._bigs(h).tolist())), 1.0))
        return cuts

    def _bigs(self, h: int) -> IntArray:
        return self.big_sorted[self.big_start[h] : self.big_start[h + 1]]


class CoverCuts:
    """Extended cover inequalities of each home's knapsack of beds.

    A set ``C`` of pairs of one home that needs more beds than the home has free cannot be
    chosen whole: ``sum(x[C]) <= |C| - 1``. Every other pair of the home that needs at
    least as many beds as the largest member of ``C`` can replace that member, so it joins
    the left side too (the extended cover). The clique cuts miss exactly these: a group of
    two half in a three-bed home beside two single children is not a clique but a cover.
    Separation is exact over the pairs the LP uses in a home (few), by enumeration.
    """

    def __init__(self, problem: Batch, max_members: int = 10) -> None:
        self.problem = problem
        self.max_members = max_members

    def violated(self, x: FloatArray, tol: float = 1e-6) -> list[Cut]:
        p = self.problem
        used = np.flatnonzero(x > tol)
        frac_homes = np.unique(p.pair_home[used[x[used] < 1.0 - tol]])
        if frac_homes.size == 0:
            return []
        pairs, start = p.pairs_of_home
        in_home = np.zeros(p.n_homes, dtype=bool)
        in_home[frac_homes] = True
        used = used[in_home[p.pair_home[used]]]
        used = used[np.argsort(p.pair_home[used], kind="stable")]
        bounds = np.searchsorted(p.pair_home[used], [*frac_homes.tolist(), p.n_homes])
        cuts: list[Cut] = []
        for i, h in enumerate(frac_homes.tolist()):
            mine = used[bounds[i] : bounds[i + 1]]
            beds = p.pair_beds[mine]
            cap = int(p.home_beds[h])
            if mine.size > self.max_members or int(beds.sum()) <= cap:
                continue
            best: tuple[float, tuple[int, ...]] | None = None
            for k in range(2, mine.size + 1):
                for combo in itertools.combinations(range(mine.size), k):
                    sel = list(combo)
                    if int(beds[sel].sum()) <= cap:
                        continue
                    excess = float(x[mine[sel]].sum()) - (k - 1)
                    if excess > tol and (best is None or excess > best[0]):
                        best = (excess, tuple(int(mine[j]) for j in sel))
            if best is None:
                continue
            cover = best[1]
            top = int(p.pair_beds[list(cover)].max())
            home_pairs = pairs[start[h] : start[h + 1]]
            extra = home_pairs[p.pair_beds[home_pairs] >= top].tolist()
            members = tuple(sorted(set(cover) | set(extra)))
            cuts.append((members, float(len(cover) - 1)))
        return cuts


class OddCycleCuts:
    """Odd-cycle inequalities of the conflict graph between fractional pairs.

    Two pairs conflict if they place the same unit, or share a home they do not fit into
    together, or put kept-apart units in one home. On an odd cycle ``C`` of conflicts at
    most ``(|C| - 1) / 2`` pairs can be chosen. These cut off the half-integral LP points
    that sibling groups create around two or three homes (a group half in one home, the
    children it displaces half in another). Separation is exact for the cycles through the
    fractional pairs: the shortest odd closed walk with edge weights ``1 - x_i - x_j``,
    found with Dijkstra on the bipartite double cover.
    """

    def __init__(self, problem: Batch, max_cuts: int = 400) -> None:
        self.problem = problem
        self.max_cuts = max_cuts
        self.apart: set[tuple[int, int]] = {
            (min(a, b), max(a, b)) for a, b in problem.conflicts.tolist()
        }

    def _edges(self, frac: IntArray) -> list[tuple[int, int]]:
        p = self.problem
        out: list[tuple[int, int]] = []
        index = {int(v): i for i, v in enumerate(frac.tolist())}
        by_unit: dict[int, list[int]] = {}
        by_home: dict[int, list[int]] = {}
        for v in frac.tolist():
            by_unit.setdefault(int(p.pair_unit[v]), []).append(v)
            by_home.setdefault(int(p.pair_home[v]), []).append(v)
        for group in by_unit.values():
            out.extend((index[a], index[b]) for a, b in itertools.combinations(group, 2))
        for h, group in by_home.items():
            cap = int(p.home_beds[h])
            for a, b in itertools.combinations(group, 2):
                clash = (
                    p.pair_beds[a] + p.pair_beds[b] > cap or (min(a, b), max(a, b)) in self.apart
                )
                if clash and p.pair_unit[a] != p.pair_unit[b]:
                    out.append((index[a], index[b]))
        return out

    def violated(self, x: FloatArray, tol: float = 1e-6) -> list[Cut]:
        frac = np.flatnonzero((x > tol) & (x < 1.0 - tol)).astype(np.int64)
        if frac.size < 3:
            return []
        edges = self._edges(frac)
        if not edges:
            return []
        a = np.array([e[0] for e in edges], dtype=np.int64)
        b = np.array([e[1] for e in edges], dtype=np.int64)
        return [(m, (len(m) - 1) / 2) for m in odd_cycles(x, frac, a, b, self.max_cuts, tol)]


def odd_cycles(
    x: FloatArray, frac: IntArray, a: IntArray, b: IntArray, limit: int, tol: float = 1e-6
) -> list[tuple[int, ...]]:
    """Violated odd cycles of a conflict graph, most violated first: ``frac`` are the
    columns with fractional ``x``, edges ``(a[i], b[i])`` index into ``frac``. At most
    ``(|C| - 1) / 2`` columns of an odd cycle ``C`` can be chosen; found exactly as the
    shortest odd closed walks with edge weights ``1 - x_i - x_j`` (Dijkstra on the
    bipartite double cover). Returns each cycle's columns, sorted, at most ``limit``."""
    k = frac.size
    # Zero weights would vanish from a sparse matrix: shift them up a hair.
    w = np.maximum(0.0, 1.0 - x[frac[a]] - x[frac[b]]) + 1e-9
    rows = np.concatenate([a, a + k, b, b + k])
    cols = np.concatenate([b + k, b, a + k, a])
    graph = sp.csr_matrix((np.concatenate([w, w, w, w]), (rows, cols)), shape=(2 * k, 2 * k))
    dist, pred = dijkstra(graph, indices=np.arange(k), return_predecessors=True)
    found: dict[tuple[int, ...], None] = {}
    for i in np.argsort(dist[np.arange(k), np.arange(k) + k]).tolist():
        if dist[i, i + k] >= 1.0 - 1e-6 or len(found) >= limit:
            break
        walk = [i + k]
        while walk[-1] != i:
            walk.append(int(pred[i, walk[-1]]))
        cycle = _odd_cycle([v % k for v in walk[:-1]])
        if cycle is None:
            continue
        members = tuple(sorted(int(frac[v]) for v in cycle))
        if sum(x[m] for m in members) > (len(members) - 1) / 2 + tol:
            found[members] = None
    return list(found)


def _odd_cycle(walk: list[int]) -> list[int] | None:
    """A simple odd cycle inside a closed walk of odd length (the walk's vertices in order)."""
    seen: dict[int, int] = {}
    for pos, v in enumerate(walk):
        if v in seen:
            start = seen[v]
            inner, outer = walk[start:pos], walk[:start] + walk[pos:]
            # One of the two closed walks is odd; its weight is no more than the whole.
            part = inner if len(inner) % 2 == 1 else outer
            return _odd_cycle(part)
        seen[v] = pos
    return walk if len(walk) % 2 == 1 and len(walk) >= 3 else None


def lagrangian(objective: FloatArray, rows: RowSet, duals: FloatArray) -> tuple[float, FloatArray]:
    """``(L, rc)``: the Lagrangian bound of non-negative ``duals`` and the reduced costs."""
    rc = objective - rows.matrix.T @ duals
    bound = float(duals @ rows.rhs) + float(np.maximum(rc, 0.0).sum())
    return bound, np.asarray(rc, dtype=np.float64)


def top_pairs(problem: Batch, k: int) -> BoolArray:
    """The ``k`` best-scoring pairs of each unit: the first working set of columns."""
    order = np.lexsort((-problem.pair_score, problem.pair_unit))
    start = np.searchsorted(problem.pair_unit[order], np.arange(problem.n_units + 1))
    rank = np.empty(problem.n_pairs, dtype=np.int64)
    rank[order] = np.arange(problem.n_pairs) - np.repeat(start[:-1], np.diff(start))
    return rank < k


@dataclass(frozen=True)
class Relaxation:
    """The best dual bound found, its reduced costs, and the last LP solution."""

    bound: float
    reduced_cost: FloatArray
    lp_value: float
    x: FloatArray
    columns: BoolArray
    cuts: list[Cut]
    rounds: int
    converged: bool


def relax(
    problem: Batch,
    objective: FloatArray,
    base: RowSet,
    columns: BoolArray,
    deadline: float,
    separators: Sequence[Separator] = (),
    cuts: Sequence[Cut] = (),
    tol: float = 1e-6,
    margin: float = 1e-6,
    max_rounds: int = 40,
    target: float | None = None,
    per_unit: int = 5,
) -> Relaxation:
    """Column generation, and cuts from the ``separators``, until the bound is tight.

    Stops when no cut is violated and the bound is within ``tol`` of the restricted LP,
    or when no column can improve it; columns with reduced cost above ``-margin`` are
    added in one batch, which anticipates the next rounds' pricing. With a ``target`` (an
    integer value already reached) it also stops once the bound proves that value optimal.
    """
    columns = columns.copy()
    active: list[Cut] = list(cuts)
    known = {members for members, _ in active}
    extra = cut_rows(problem.n_pairs, active)
    session = LpSession(objective, base.matrix, base.rhs)
    session.add_rows(extra.matrix, extra.rhs)
    in_lp = np.zeros(problem.n_pairs, dtype=bool)
    best_bound = np.inf
    best_rc = np.asarray(objective, dtype=np.float64).copy()
    x_full = np.zeros(problem.n_pairs)
    lp_value = -np.inf
    converged = False
    rounds = 0
    while rounds < max_rounds:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        rounds += 1
        rows = base.stack(extra)
        session.add_columns(np.flatnonzero(columns & ~in_lp))
        in_lp |= columns
        lp = session.solve(remaining)
        if not lp.ok:
            break
        x_full = np.zeros(problem.n_pairs)
        x_full[session.columns] = lp.x
        lp_value = lp.value
        bound, rc = lagrangian(objective, rows, lp.duals)
        if bound < best_bound:
            best_bound, best_rc = bound, rc
        if target is not None and best_bound < target + 1.0 - 1e-9 * max(1.0, abs(best_bound)):
            converged = True
            break
        new_cuts: list[Cut] = []
        for separator in separators:  # cheaper families first; the next only if needed
            new_cuts = [c for c in separator.violated(x_full) if c[0] not in known]
            if new_cuts:
                break
        new_cols = _best_per_unit(problem, ~columns & (rc > -margin), rc, per_unit)
        if not new_cuts and (best_bound - lp_value <= tol or not new_cols.any()):
            converged = True
            break
        if new_cuts:
            active.extend(new_cuts)
            known.update(members for members, _ in new_cuts)
            added = cut_rows(problem.n_pairs, new_cuts)
            session.add_rows(added.matrix, added.rhs)
            extra = extra.stack(added)
        columns |= new_cols
    return Relaxation(best_bound, best_rc, lp_value, x_full, columns, active, rounds, converged)


def _best_per_unit(problem: Batch, mask: BoolArray, rc: FloatArray, k: int) -> BoolArray:
    """At most ``k`` candidate columns per unit, best reduced cost (then score) first.

    Partial pricing: the LP's duals are degenerate, so thousands of columns price out at
    once; the few best per unit carry the information and keep the LP small.
    """
    cand = np.flatnonzero(mask)
    if cand.size == 0:
        return mask
    units = problem.pair_unit[cand]
    order = np.lexsort((-problem.pair_score[cand], -rc[cand], units))
    cand, units = cand[order], units[order]
    first = np.searchsorted(units, units, side="left")
    out = np.zeros_like(mask)
    out[cand[np.arange(cand.size) - first < k]] = True
    return out


def restrict(rows: RowSet, cols: IntArray) -> RowSet:
    """The rows over a subset of the columns, without rows that became empty."""
    sub = rows.matrix[:, cols].tocsr()
    keep = np.diff(sub.indptr) > 0
    return RowSet(sub[keep], rows.rhs[keep])
