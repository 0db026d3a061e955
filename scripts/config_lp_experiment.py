"""Experiment (issue 12): does a configuration LP close the gap of the national seeds?

The idea in docs/solver.md, "Not reached, and the way there": a column per (home, set of
units that fits its free beds together), priced by a knapsack over the beds, so that the
LP holds the convex hull of every home's beds. This script builds it and measures, on
the largest part of each national seed, how far its bound stays above the optimum of the
engine's weighted objective ``f``, beside the pair LP with the engine's cuts:

- ``pair``: the pair LP with clique, cover and odd-cycle cuts (as :mod:`solver.engine`);
- ``config``: the configuration LP, Lagrangian bound after column generation;
- ``config+odd``: with the odd-cycle cuts over the pairs as rows (robust: their duals
  enter the pricing per pair, so it stays a knapsack);
- ``cols-odd (restricted)``: odd-cycle cuts over the *configurations* (non-robust, rank-1
  {0, 1/2} cuts), on the columns generated only, without pricing: not a valid bound, an
  optimistic estimate of what such cuts could give.
- with ``--column-mip``: every configuration that can still be in a solution better than
  the optimum (reduced cost within the gap) is enumerated and HiGHS proves the set
  packing over them, with the optimum as its start.

Run: ``.venv/bin/python scripts/config_lp_experiment.py --seeds 11 12 16``.
The code below is the experiment's, not the engine's: nothing in :mod:`solver` uses it.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from fixtures.generate import dumps_scenario, generate_national
from matching import Context, parse_scenario
from matching.bulk import score_all
from solver.backends import FloatArray, LpResult, add_le_rows, add_unit_columns, solve_mip
from solver.batch import Batch, IntArray, build_batch, violations
from solver.engine import solve_part
from solver.relaxation import (
    CliqueCuts,
    CoverCuts,
    Cut,
    OddCycleCuts,
    Separator,
    base_rows,
    cut_rows,
    odd_cycles,
    relax,
    top_pairs,
)

_EPS = 1e-9


class ColumnSession:
    """An LP over fixed rows ``<= rhs`` whose columns arrive as they are generated (highspy).

    :class:`solver.backends.LpSession` takes its columns from a matrix over every pair;
    here a column is any vector over the rows (a set of pairs in one home), given with its
    objective. HiGHS keeps its basis between rounds, as there.
    """

    def __init__(self, rhs: FloatArray) -> None:
        self._hs = highspy
        self.n_rows = int(rhs.size)
        self.n_columns = 0
        self._objective: list[FloatArray] = []
        self._h = highspy.Highs()  # type: ignore[no-untyped-call]
        self._h.setOptionValue("output_flag", False)
        self._h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        empty = np.zeros(0, dtype=np.int32)
        self._h.addRows(
            self.n_rows,
            np.full(self.n_rows, -highspy.kHighsInf),
            np.asarray(rhs, dtype=np.float64),
            0,
            np.zeros(self.n_rows, dtype=np.int32),
            empty,
            np.zeros(0),
        )

    def add_columns(self, objective: FloatArray, columns: sp.csc_matrix) -> None:
        """Add the columns of ``columns`` (rows x new columns), bounds 0 and 1."""
        k = int(columns.shape[1])
        if k == 0:
            return
        add_unit_columns(self._h, objective, columns)
        self._objective.append(np.asarray(objective, dtype=np.float64))
        self.n_columns += k

    def add_rows(self, rows: sp.csr_matrix, rhs: FloatArray) -> None:
        """Add rows ``rows @ x <= rhs`` given over the columns so far."""
        m = int(rows.shape[0])
        if m == 0:
            return
        add_le_rows(self._h, rows, rhs)
        self.n_rows += m

    def solve(self, time_limit: float | None) -> LpResult:
        """The LP optimum over the columns so far, in the order they were added."""
        h = self._h
        if time_limit is not None and math.isfinite(time_limit):
            h.setOptionValue("time_limit", max(0.01, time_limit))
        h.run()
        if h.getModelStatus() != self._hs.HighsModelStatus.kOptimal:
            return LpResult(False, np.zeros(self.n_columns), np.zeros(self.n_rows), -math.inf)
        sol = h.getSolution()
        x = np.clip(np.asarray(sol.col_value, dtype=np.float64), 0.0, 1.0)
        # Clipped: a tiny negative dual of a tolerance would make the bound invalid.
        duals = np.maximum(np.asarray(sol.row_dual, dtype=np.float64), 0.0)
        objective = np.concatenate(self._objective) if self._objective else np.zeros(0)
        return LpResult(True, x, duals, float(objective @ x))


@dataclass(frozen=True)
class Pricing:
    """The best configuration of every home under the given duals.

    ``value[h]`` is the largest reduced profit (before the home's own dual) of a set of
    pairs that fits home ``h``; ``members[h]`` that set (pair indices).
    """

    value: FloatArray
    members: list[IntArray]


class Pricer:
    """Best configuration per home: a 0/1 knapsack over each home's free beds."""

    def __init__(self, problem: Batch) -> None:
        self.problem = problem
        p = problem
        conflicts = p.conflicts.reshape(-1, 2)
        same = p.pair_home[conflicts[:, 0]] == p.pair_home[conflicts[:, 1]]
        self.inner = conflicts[same]
        self.cross = conflicts[~same]
        k = self.cross.shape[0]
        # cross[i] = (a, b): row i of the master holds every column with a or b.
        self.cross_matrix = sp.csr_matrix(
            (np.ones(2 * k), (np.repeat(np.arange(k), 2), self.cross.reshape(-1))),
            shape=(k, p.n_pairs),
        )
        self.cap = p.home_beds.astype(np.int64)
        self.max_cap = int(self.cap.max()) if self.cap.size else 0
        self.inner_homes = np.zeros(p.n_homes, dtype=bool)
        self.inner_homes[p.pair_home[self.inner[:, 0]]] = True

    def price(self, rp: FloatArray) -> Pricing:
        """The best configuration of every home for the reduced profits ``rp`` of the
        pairs (exact, keep apart respected)."""
        p = self.problem
        value, members = self._knapsacks(rp)
        if self.inner.size:
            chosen = np.zeros(p.n_pairs, dtype=bool)
            for m in members:
                chosen[m] = True
            broken = chosen[self.inner[:, 0]] & chosen[self.inner[:, 1]]
            for h in np.unique(p.pair_home[self.inner[broken, 0]]).tolist():
                value[h], members[h] = self._one_home(h, rp)
        return Pricing(value, members)

    def _knapsacks(self, rp: FloatArray) -> tuple[FloatArray, list[IntArray]]:
        """Every home's knapsack at once, ignoring keep apart."""
        p = self.problem
        n_homes = p.n_homes
        pos = rp > _EPS
        free = pos & (p.pair_beds == 0)
        value = np.bincount(p.pair_home[free], weights=rp[free], minlength=n_homes).astype(
            np.float64
        )
        beds = p.pair_beds
        home = p.pair_home
        idx = np.flatnonzero(pos & (beds > 0) & (beds <= self.cap[home]))
        # Of the pairs that take w beds, only the best cap // w of a home can be chosen.
        order = np.lexsort((-rp[idx], beds[idx], home[idx]))
        idx = idx[order]
        key = home[idx] * (self.max_cap + 1) + beds[idx]
        first = np.searchsorted(key, key, side="left")
        rank = np.arange(idx.size) - first
        idx = idx[rank < self.cap[home[idx]] // beds[idx]]
        h_of = home[idx]
        pos_in_home = np.arange(idx.size) - np.searchsorted(h_of, h_of, side="left")
        n_items = int(pos_in_home.max()) + 1 if idx.size else 0
        width = self.max_cap + 1
        weight = np.full((n_items, n_homes), width, dtype=np.int64)
        profit = np.zeros((n_items, n_homes))
        item = np.full((n_items, n_homes), -1, dtype=np.int64)
        weight[pos_in_home, h_of] = beds[idx]
        profit[pos_in_home, h_of] = rp[idx]
        item[pos_in_home, h_of] = idx
        # dp[h, c]: the best profit within c beds of home h.
        dp = np.zeros((n_homes, width))
        take = np.zeros((n_items, n_homes, width), dtype=bool)
        rows = np.arange(n_homes)[:, None]
        beds_axis = np.arange(width)[None, :]
        for j in range(n_items):
            w = weight[j][:, None]
            rest = beds_axis - w
            cand = np.where(rest >= 0, dp[rows, np.maximum(rest, 0)] + profit[j][:, None], -np.inf)
            better = cand > dp + _EPS
            take[j] = better
            dp = np.where(better, cand, dp)
        cap = np.minimum(self.cap, self.max_cap)
        value += dp[np.arange(n_homes), cap]
        chosen = np.zeros(p.n_pairs, dtype=bool)
        chosen[free] = True
        c = cap.copy()
        for j in range(n_items - 1, -1, -1):
            t = take[j, np.arange(n_homes), c]
            chosen[item[j, t]] = True
            c = c - np.where(t, weight[j], 0)
        sel = np.flatnonzero(chosen)
        sel = sel[np.argsort(home[sel], kind="stable")]
        bounds = np.searchsorted(home[sel], np.arange(n_homes + 1))
        members = [sel[bounds[h] : bounds[h + 1]] for h in range(n_homes)]
        return value, members

    def _one_home(self, h: int, rp: FloatArray) -> tuple[float, IntArray]:
        """One home's best configuration with keep apart: branch on a violated pair."""
        p = self.problem
        pairs, start = p.pairs_of_home
        mine = pairs[start[h] : start[h + 1]]
        mine = mine[rp[mine] > _EPS]
        inner = [(a, b) for a, b in self.inner.tolist() if p.pair_home[a] == h]
        best: tuple[float, IntArray] = (0.0, np.empty(0, dtype=np.int64))
        stack: list[frozenset[int]] = [frozenset()]
        while stack:
            excluded = stack.pop()
            allowed = mine[~np.isin(mine, list(excluded))] if excluded else mine
            val, sel = _knapsack(allowed, rp[allowed], p.pair_beds[allowed], int(self.cap[h]))
            if val <= best[0] + _EPS:
                continue
            in_sel = set(sel.tolist())
            clash = next(((a, b) for a, b in inner if a in in_sel and b in in_sel), None)
            if clash is None:
                best = (val, sel)
            else:
                stack.extend([excluded | {clash[0]}, excluded | {clash[1]}])
        return best


def _knapsack(
    pairs: IntArray, profit: FloatArray, weight: IntArray, cap: int
) -> tuple[float, IntArray]:
    """The most profitable subset of ``pairs`` within ``cap`` beds (profits positive)."""
    dp = np.zeros(cap + 1)
    keep = np.zeros((pairs.size, cap + 1), dtype=bool)
    for j in range(pairs.size):
        w = int(weight[j])
        if w > cap:
            continue
        if w == 0:
            dp += profit[j]
            keep[j] = True
            continue
        cand = dp[: cap + 1 - w] + profit[j]
        better = cand > dp[w:] + _EPS
        keep[j, w:] = better
        dp[w:] = np.where(better, cand, dp[w:])
    out: list[int] = []
    c = cap
    for j in range(pairs.size - 1, -1, -1):
        if keep[j, c]:
            out.append(int(pairs[j]))
            c -= int(weight[j])
    return float(dp[cap]), np.array(sorted(out), dtype=np.int64)


@dataclass(frozen=True)
class ConfigurationBound:
    """The configuration LP after column generation and cuts: the best Lagrangian bound,
    the configurations generated (home, pairs, value), the rows over them (``matrix @ x
    <= rhs``, cuts included) and the last LP solution."""

    bound: float
    lp_value: float
    homes: IntArray
    columns: list[IntArray]
    value: FloatArray
    matrix: sp.csc_matrix
    rhs: FloatArray
    x: FloatArray
    rounds: int
    cuts: int
    converged: bool
    duals: FloatArray
    """The last LP's duals, with ``pair_rows`` (the rows over the pairs) for pricing."""
    pair_rows: sp.csr_matrix
    last_bound: float


class _Master:
    """The configuration LP in HiGHS, its rows kept over the pairs too, for pricing."""

    def __init__(self, problem: Batch, pricer: Pricer, objective: FloatArray) -> None:
        p = problem
        self.problem = problem
        self.objective = objective
        self.n_fixed = p.n_units + p.n_homes
        k = int(pricer.cross.shape[0])
        # Rows over pairs: units, then homes (empty here: a home row counts columns, not
        # pairs), then keep apart across two rows of a home, then cuts.
        unit_rows = sp.csr_matrix(
            (np.ones(p.n_pairs), (p.pair_unit, np.arange(p.n_pairs))),
            shape=(p.n_units, p.n_pairs),
        )
        self.pair_rows = sp.vstack(
            [unit_rows, sp.csr_matrix((p.n_homes, p.n_pairs)), pricer.cross_matrix]
        ).tocsr()
        self.rhs = np.ones(self.n_fixed + k)
        self.session = ColumnSession(self.rhs)
        self.homes: list[int] = []
        self.columns: list[IntArray] = []
        self.values: list[float] = []
        self.blocks: list[sp.csc_matrix] = []
        self.known: set[tuple[int, ...]] = set()

    def incidence(self) -> sp.csc_matrix:
        """Pairs x columns: 1 where the configuration holds the pair."""
        n = len(self.columns)
        sizes = np.array([c.size for c in self.columns], dtype=np.int64)
        pairs = np.concatenate(self.columns) if n else np.empty(0, dtype=np.int64)
        return sp.csc_matrix(
            (np.ones(pairs.size), (pairs, np.repeat(np.arange(n), sizes))),
            shape=(self.problem.n_pairs, n),
        )

    def add(self, homes: list[int], columns: list[IntArray]) -> int:
        new_h: list[int] = []
        new_c: list[IntArray] = []
        for h, c in zip(homes, columns, strict=True):
            key = (h, *c.tolist())
            if c.size == 0 or key in self.known:
                continue
            self.known.add(key)
            new_h.append(h)
            new_c.append(c)
        if not new_c:
            return 0
        k = len(new_c)
        sizes = np.array([c.size for c in new_c], dtype=np.int64)
        pairs = np.concatenate(new_c)
        gather = sp.csc_matrix(
            (np.ones(pairs.size), (np.arange(pairs.size), np.repeat(np.arange(k), sizes))),
            shape=(pairs.size, k),
        )
        home_part = sp.csc_matrix(
            (np.ones(k), (self.n_units_offset(np.array(new_h, dtype=np.int64)), np.arange(k))),
            shape=(self.pair_rows.shape[0], k),
        )
        matrix = (self.pair_rows[:, pairs] @ gather + home_part).tocsc()
        value = gather.T @ self.objective[pairs]
        self.session.add_columns(value, matrix)
        self.homes.extend(new_h)
        self.columns.extend(new_c)
        self.values.extend(np.asarray(value, dtype=np.float64).tolist())
        self.blocks.append(matrix)
        return k

    def n_units_offset(self, homes: IntArray) -> IntArray:
        return homes + self.problem.n_units

    def add_cuts(self, cuts: list[Cut]) -> None:
        rows = cut_rows(self.problem.n_pairs, cuts)
        over_columns = (rows.matrix @ self.incidence()).tocsr()
        self.session.add_rows(over_columns, rows.rhs)
        before = self.matrix()
        self.pair_rows = sp.vstack([self.pair_rows, rows.matrix]).tocsr()
        self.rhs = np.concatenate([self.rhs, rows.rhs])
        self.blocks = [sp.vstack([before, over_columns]).tocsc()]

    def matrix(self) -> sp.csc_matrix:
        m = self.pair_rows.shape[0]
        if not self.blocks:
            return sp.csc_matrix((m, 0))
        blocks = [
            b if b.shape[0] == m else sp.vstack([b, sp.csr_matrix((m - b.shape[0], b.shape[1]))])
            for b in self.blocks
        ]
        return sp.hstack(blocks).tocsc()


def _columns_of(problem: Batch, chosen: IntArray) -> tuple[list[int], list[IntArray]]:
    chosen = np.sort(np.asarray(chosen, dtype=np.int64))
    homes = problem.pair_home[chosen]
    out_h: list[int] = []
    out_c: list[IntArray] = []
    for h in np.unique(homes).tolist():
        out_h.append(int(h))
        out_c.append(chosen[homes == h])
    return out_h, out_c


def configuration_bound(
    problem: Batch,
    objective: FloatArray,
    start: IntArray,
    deadline: float,
    separators: Sequence[Separator] = (),
    target: float | None = None,
    max_rounds: int = 200,
    tol: float = 1e-6,
) -> ConfigurationBound:
    """Column generation on the configuration LP, from the configurations of ``start``.

    Cuts over the pairs (``x_p`` = the sum of the configurations holding ``p``) from the
    ``separators`` are added as rows; their duals enter the pricing per pair, so the
    pricing stays a knapsack. Stops when no column and no cut improves the LP, or, with a
    ``target`` (an integer value already reached), once the bound proves it optimal.
    """
    p = problem
    objective = np.asarray(objective, dtype=np.float64)
    pricer = Pricer(p)
    master = _Master(p, pricer, objective)
    homes, cols = _columns_of(p, start)
    master.add(homes, cols)
    master.add(list(range(p.n_homes)), pricer.price(objective).members)
    known_cuts: set[tuple[int, ...]] = set()
    best = np.inf
    rounds = 0
    converged = False
    x = np.zeros(0)
    duals = np.zeros(0)
    bound = np.inf
    lp_value = -np.inf
    n_u, n_h = p.n_units, p.n_homes
    while rounds < max_rounds:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        rounds += 1
        lp = master.session.solve(remaining)
        if not lp.ok:
            break
        x, lp_value = lp.x, lp.value
        duals = lp.duals
        mu = duals[n_u : n_u + n_h]
        rp = objective - master.pair_rows.T @ duals
        priced = pricer.price(np.asarray(rp, dtype=np.float64))
        gain = priced.value - mu
        bound = float(duals @ master.rhs + np.maximum(gain, 0.0).sum())
        best = min(best, bound)
        if target is not None and best < target + 1.0 - 1e-9 * max(1.0, abs(best)):
            converged = True
            break
        better = np.flatnonzero(gain > tol)
        added = master.add(better.tolist(), [priced.members[h] for h in better.tolist()])
        new_cuts: list[Cut] = []
        if separators:
            x_pair = master.incidence()[:, : x.size] @ x
            for separator in separators:
                new_cuts = [c for c in separator.violated(x_pair) if c[0] not in known_cuts]
                if new_cuts:
                    break
        if new_cuts:
            known_cuts.update(m for m, _ in new_cuts)
            master.add_cuts(new_cuts)
        elif added == 0 or best - lp_value <= tol:
            converged = True
            break
    return ConfigurationBound(
        best,
        lp_value,
        np.array(master.homes, dtype=np.int64),
        master.columns,
        np.array(master.values),
        master.matrix(),
        master.rhs,
        x,
        rounds,
        len(known_cuts),
        converged,
        duals,
        master.pair_rows,
        bound,
    )


def configurations_mip(
    problem: Batch,
    relaxation: ConfigurationBound,
    start: IntArray,
    deadline: float,
) -> tuple[IntArray, bool, float]:
    """The best assignment made of the generated configurations (HiGHS), ``start`` as
    its first solution (its configurations are the first columns).

    Returns the chosen pairs, whether HiGHS proved it optimal over these columns, and its
    bound there (not a bound over all configurations).
    """
    homes, _ = _columns_of(problem, start)
    n = len(relaxation.columns)
    hint = np.zeros(n, dtype=bool)
    hint[: len(homes)] = True
    mip = solve_mip(
        relaxation.value,
        relaxation.matrix.tocsr(),
        relaxation.rhs,
        deadline - time.perf_counter(),
        hint,
        presolve=False,
    )
    if mip.x is None:
        return np.asarray(start, dtype=np.int64), False, mip.bound
    chosen = np.sort(np.concatenate([relaxation.columns[i] for i in np.flatnonzero(mip.x)]))
    return chosen.astype(np.int64), mip.optimal, mip.bound


# ---------------------------------------------------------------------------------------
# Measurements


def column_odd_cycles(
    problem: Batch, relaxation: ConfigurationBound, max_rounds: int = 30
) -> float:
    """The restricted LP value after odd-cycle cuts over the configurations (no pricing).

    Two configurations conflict when they share a unit or a home. Not a valid bound: new
    configurations priced against these cuts could raise it again; an optimistic estimate.
    """
    matrix = relaxation.matrix.tocsc()
    session = ColumnSession(relaxation.rhs)
    session.add_columns(relaxation.value, matrix)
    lp = session.solve(None)
    fixed = problem.n_units + problem.n_homes
    known: set[tuple[int, ...]] = set()
    for _ in range(max_rounds):
        x = lp.x
        frac = np.flatnonzero((x > 1e-6) & (x < 1 - 1e-6))
        if frac.size < 3:
            break
        sub = matrix[:fixed][:, frac]
        shared = (sub.T @ sub).tocoo()
        upper = shared.row < shared.col
        a, b = shared.row[upper], shared.col[upper]
        cuts = {
            members: (len(members) - 1) / 2
            for members in odd_cycles(x, frac, a, b, 400)
            if members not in known
        }
        if not cuts:
            break
        known.update(cuts)
        r = [i for i, m in enumerate(cuts) for _ in m]
        c = [v for m in cuts for v in m]
        rows_m = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(cuts), matrix.shape[1]))
        session.add_rows(rows_m, np.array(list(cuts.values())))
        lp = session.solve(None)
    return lp.value


def column_mip(
    problem: Batch, objective: FloatArray, relaxation: ConfigurationBound, best: IntArray
) -> tuple[int, int, float, float, bool, float]:
    """Enumerate every configuration whose reduced cost leaves it a chance to beat ``best``
    and prove the set packing over them with HiGHS (``best`` as start).

    Returns (columns, pairs in them, enumeration CPU s, MIP CPU s, proven optimal, value).
    """
    p = problem
    t0 = time.process_time()
    rows_n = relaxation.pair_rows.shape[0]
    duals = np.concatenate([relaxation.duals, np.zeros(rows_n - relaxation.duals.size)])
    rp = np.asarray(objective - relaxation.pair_rows.T @ duals, dtype=np.float64)
    mu = duals[p.n_units : p.n_units + p.n_homes]
    pricer = Pricer(p)
    best_h = pricer.price(rp).value
    bound = float(duals @ relaxation.rhs + np.maximum(best_h - mu, 0.0).sum())
    z = float(objective[best].sum())
    delta = bound - z - 1.0 + 1e-6
    # A solution above z uses in home h only sets with rp >= max(mu_h, best_h) - delta.
    need = np.maximum(mu, best_h) - delta
    apart: dict[int, set[int]] = {}
    for a, b in pricer.inner.tolist():
        apart.setdefault(a, set()).add(b)
        apart.setdefault(b, set()).add(a)
    pairs_h, start = p.pairs_of_home
    homes: list[int] = []
    columns: list[IntArray] = []
    for h in range(p.n_homes):
        mine = pairs_h[start[h] : start[h + 1]]
        r = rp[mine]
        keep = r >= need[h] - max(float(best_h[h]), 0.0) - 1e-9
        mine, r = mine[keep], r[keep]
        order = np.argsort(-r)
        mine, r = mine[order], r[order]
        w = p.pair_beds[mine]
        for chosen in _subsets(mine, r, w, int(p.home_beds[h]), float(need[h]), apart):
            homes.append(h)
            columns.append(np.sort(mine[chosen]))
    # The start's own configurations join (as HiGHS' start): more columns never make
    # the proof invalid.
    seen = {(h, tuple(c.tolist())) for h, c in zip(homes, columns, strict=True)}
    for h, c in zip(*_columns_of(p, best), strict=True):
        if (h, tuple(c.tolist())) not in seen:
            homes.append(h)
            columns.append(c)
    t1 = time.process_time()
    n = len(columns)
    if n == 0:  # nothing placed and no configuration can lift a solution above it
        return 0, 0, t1 - t0, 0.0, True, 0.0
    sizes = np.array([c.size for c in columns], dtype=np.int64)
    allp = np.concatenate(columns)
    col_of = np.repeat(np.arange(n), sizes)
    cross = pricer.cross_matrix[:, allp].tocoo()
    r_idx = np.concatenate(
        [p.pair_unit[allp], p.n_units + np.array(homes), cross.row + p.n_units + p.n_homes]
    )
    c_idx = np.concatenate([col_of, np.arange(n), col_of[cross.col]])
    m = p.n_units + p.n_homes + int(pricer.cross.shape[0])
    matrix = sp.csr_matrix((np.ones(r_idx.size), (r_idx, c_idx)), shape=(m, n))
    value = np.bincount(col_of, weights=objective[allp], minlength=n).astype(np.float64)
    index = {(h, tuple(c.tolist())): i for i, (h, c) in enumerate(zip(homes, columns, strict=True))}
    hint = np.zeros(n, dtype=bool)
    for h, c in zip(*_columns_of(p, best), strict=True):
        hint[index[(h, tuple(c.tolist()))]] = True
    t2 = time.process_time()
    mip = solve_mip(value, matrix, np.ones(m), None, hint, presolve=False)
    t_mip = time.process_time() - t2
    return n, int(np.unique(allp).size), t1 - t0, t_mip, mip.optimal, mip.value


def _subsets(
    mine: IntArray, r: FloatArray, w: IntArray, cap: int, need: float, apart: dict[int, set[int]]
) -> list[list[int]]:
    """Every non-empty set of these pairs that fits ``cap`` beds with ``sum(r) >= need``."""
    m = mine.size
    if m == 0:
        return []
    rpos = np.maximum(r, 0.0)
    zero_suffix = np.concatenate([np.cumsum((rpos * (w == 0))[::-1])[::-1], [0.0]])
    bedded = np.flatnonzero(w > 0)
    prefix = np.concatenate([[0.0], np.cumsum(rpos[bedded])])
    nxt = np.searchsorted(bedded, np.arange(m + 1))
    out: list[list[int]] = []
    chosen: list[int] = []

    def visit(i: int, cur: float, used: int) -> None:
        j = int(nxt[i])
        # Each bedded pair takes at least one bed: the best cap - used of the rest.
        ub = zero_suffix[i] + prefix[min(j + cap - used, bedded.size)] - prefix[j]
        if cur + ub < need - 1e-9:
            return
        if i == m:
            if chosen and cur >= need - 1e-9:
                out.append(list(chosen))
            return
        q = int(mine[i])
        if used + w[i] <= cap and not any(int(mine[k]) in apart.get(q, ()) for k in chosen):
            chosen.append(i)
            visit(i + 1, cur + float(r[i]), used + int(w[i]))
            chosen.pop()
        visit(i + 1, cur, used)

    visit(0, 0.0, 0)
    return out


def _weights(problem: Batch) -> tuple[int, int]:
    """``(M1, M2)`` exactly as :func:`solver.engine._solve_large` derives them first."""
    units = problem.pair_unit
    max_member = int(np.max(-(-problem.pair_score // np.maximum(problem.unit_size[units], 1))))
    m2 = 4 * max(1, max_member) + 1
    return 8 * m2, m2


def measure(seed: int, with_column_mip: bool) -> dict[str, float | int | str]:
    ctx = Context.of(parse_scenario(json.loads(dumps_scenario(generate_national(seed)))))
    part = build_batch(ctx, score_all(ctx)).largest_part()
    m1, m2 = _weights(part)
    pu = part.pair_unit
    f = (m1 * part.unit_crisis[pu] + m2 * part.unit_size[pu] + part.pair_score).astype(np.float64)
    row: dict[str, float | int | str] = {"seed": seed, "pairs": part.n_pairs}
    c = time.process_time()
    result = solve_part(part, math.inf)
    row["engine_cpu"] = round(time.process_time() - c, 2)
    row["engine_weights"] = str(result.stats.get("weights"))
    optimum = result.chosen
    z = float(f[optimum].sum())
    row["f_opt"] = int(z)

    c = time.process_time()
    base = base_rows(part)
    columns = top_pairs(part, 10)
    columns[optimum] = True
    separators = (CliqueCuts(part), CoverCuts(part), OddCycleCuts(part))
    pair = relax(part, f, base, columns, math.inf, separators, tol=1e-6, margin=5.0, max_rounds=200)
    row["pair_gap"] = round(pair.bound - z, 2)
    row["pair_cpu"] = round(time.process_time() - c, 2)

    c = time.process_time()
    plain = configuration_bound(part, f, optimum, math.inf)
    row["config_gap"] = round(plain.bound - z, 2)
    row["config_rounds"] = plain.rounds
    row["config_cpu"] = round(time.process_time() - c, 2)

    c = time.process_time()
    odd = configuration_bound(part, f, optimum, math.inf, (OddCycleCuts(part),))
    row["config_odd_gap"] = round(odd.bound - z, 2)
    row["config_odd_rounds"] = odd.rounds
    row["config_odd_cpu"] = round(time.process_time() - c, 2)
    row["columns"] = len(odd.columns)

    row["cols_odd_restricted_gap"] = round(column_odd_cycles(part, odd) - z, 2)
    if with_column_mip:
        n, pairs, t_enum, t_mip, proven, _ = column_mip(part, f, odd, optimum)
        row["column_mip"] = f"{n} columns ({pairs} pairs), enum {t_enum:.1f} s, MIP {t_mip:.1f} s"
        row["column_mip_proven"] = str(proven)
    return row


def check(cases: int = 150) -> list[str]:
    """Against enumeration on small random batches (beds, zero-bed pairs, keep apart): the
    bounds never fall below the optimum, the pricing finds each home's best set, and the
    column MIP proves the optimum. Returns what went wrong (empty: nothing)."""
    rng = np.random.default_rng(5)
    wrong: list[str] = []
    for seed in range(cases):
        p = _random_batch(seed, rng)
        f = (50 * p.unit_crisis[p.pair_unit] + 10 * p.unit_size[p.pair_unit] + p.pair_score).astype(
            np.float64
        )
        valid = _valid_assignments(p)
        optimum = max(valid, key=lambda c: float(f[c].sum()))
        z = float(f[optimum].sum())
        for separators in ((), (OddCycleCuts(p),)):
            cb = configuration_bound(p, f, np.empty(0, dtype=np.int64), math.inf, separators)
            if cb.bound < z - 1e-6:
                wrong.append(f"case {seed}: bound {cb.bound} below the optimum {z}")
        rp = rng.normal(0.0, 100.0, p.n_pairs)
        priced = Pricer(p).price(rp)
        pairs, start = p.pairs_of_home
        for h in range(p.n_homes):
            mine = pairs[start[h] : start[h + 1]].tolist()
            fits = [
                list(c)
                for k in range(len(mine) + 1)
                for c in itertools.combinations(mine, k)
                if not violations(p, np.array(c, dtype=np.int64))
            ]
            best = max(float(rp[c].sum()) for c in fits)
            got = priced.members[h]
            if abs(best - priced.value[h]) > 1e-6 or abs(float(rp[got].sum()) - best) > 1e-6:
                wrong.append(f"case {seed}, home {h}: priced {priced.value[h]}, best {best}")
            if violations(p, got):
                wrong.append(f"case {seed}, home {h}: priced set breaks a rule")
        cb = configuration_bound(p, f, optimum, math.inf, (OddCycleCuts(p),))
        if not column_mip(p, f, cb, optimum)[4]:
            wrong.append(f"case {seed}: column MIP did not prove the optimum")
    return wrong


def _random_batch(seed: int, rng: np.random.Generator) -> Batch:
    """A small scarce batch with sibling groups, zero-bed pairs and keep apart in a home."""
    size_rng = np.random.default_rng(seed)
    units, homes = 7, 3
    size = np.where(size_rng.random(units) < 0.4, size_rng.integers(2, 4, units), 1)
    home_beds = size_rng.integers(1, 4, homes)
    pu: list[int] = []
    ph: list[int] = []
    for u in range(units):
        fit = np.flatnonzero(home_beds >= size[u])
        chosen: list[int] = (
            size_rng.choice(fit, size=min(2, fit.size), replace=False).tolist() if fit.size else []
        )
        pu.extend([u] * len(chosen))
        ph.extend(int(h) for h in chosen)
    pair_unit = np.array(pu, dtype=np.int64)
    pair_home = np.array(ph, dtype=np.int64)
    beds = size[pair_unit].astype(np.int64)
    beds[rng.random(beds.size) < 0.15] = 0  # a child who already lives there
    conflicts = [
        (a, b)
        for a, b in itertools.combinations(range(pair_unit.size), 2)
        if pair_home[a] == pair_home[b] and rng.random() < 0.2
    ]
    return Batch(
        unit_members=tuple(tuple(f"C-{u}-{k}" for k in range(size[u])) for u in range(units)),
        unit_size=size.astype(np.int64),
        unit_crisis=(size_rng.random(units) < 0.2).astype(np.int64) * size,
        unit_arrival=np.arange(units, dtype=np.int64),
        home_ids=tuple(f"H-{h}" for h in range(homes)),
        home_beds=home_beds.astype(np.int64),
        pair_unit=pair_unit,
        pair_home=pair_home,
        pair_score=(size_rng.integers(50, 400, pair_unit.size) * size[pair_unit]).astype(np.int64),
        pair_beds=beds,
        conflicts=np.array(conflicts, dtype=np.int64).reshape(-1, 2),
    )


def _valid_assignments(problem: Batch) -> list[IntArray]:
    pairs, start = problem.pairs_of_unit
    options = [[-1, *pairs[start[u] : start[u + 1]].tolist()] for u in range(problem.n_units)]
    out = []
    for combo in itertools.product(*options):
        chosen = np.array([q for q in combo if q >= 0], dtype=np.int64)
        if not violations(problem, chosen):
            out.append(chosen)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(11, 21)))
    parser.add_argument("--column-mip", action="store_true")
    parser.add_argument("--check", action="store_true", help="verify against enumeration")
    args = parser.parse_args()
    if args.check:
        wrong = check()
        print("\n".join(wrong) or "check: every bound valid, every pricing exact")
        raise SystemExit(1 if wrong else 0)
    print(f"load average before: {os.getloadavg()}", flush=True)
    rows = []
    for seed in args.seeds:
        row = measure(seed, args.column_mip)
        print(json.dumps(row), flush=True)
        rows.append(row)
    print(f"load average after: {os.getloadavg()}")
    keys = list(rows[0]) if rows else []
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row.get(k, "")) for k in keys) + " |")


if __name__ == "__main__":
    main()
