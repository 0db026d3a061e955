"""Thin, typed calls into the solvers: HiGHS MIP through OR-tools' MathOpt, CP-SAT, and
the LP relaxation in HiGHS itself (highspy), kept alive between rounds.

Models are handed over as sparse arrays. MathOpt's model proto is filled straight from
numpy rather than variable by variable, and HiGHS' MIP is reached through MathOpt because
it returns the incumbent and the bound when a time limit stops the search. MathOpt and
highspy are imported on first use: a region, solved by CP-SAT alone, does not pay for
loading them.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from solver.batch import Batch, IntArray

if TYPE_CHECKING:
    from ortools.math_opt import model_parameters_pb2, model_pb2, parameters_pb2, result_pb2

__all__ = [
    "HIGHS_AGGREGATOR",
    "CpSatResult",
    "LpResult",
    "LpSession",
    "MipResult",
    "SolverError",
    "add_le_rows",
    "add_unit_columns",
    "solve_cpsat",
    "solve_milp",
    "solve_mip",
]

FloatArray = NDArray[np.float64]
_INF = math.inf


@dataclass(frozen=True)
class LpResult:
    """An LP optimum over the given columns: primal values, row duals (>= 0), objective."""

    ok: bool
    x: FloatArray
    duals: FloatArray
    value: float


@dataclass(frozen=True)
class MipResult:
    """A MIP answer: ``x`` is 0/1 (``None`` when no solution was found)."""

    x: NDArray[np.bool_] | None
    optimal: bool
    bound: float
    value: float
    values: IntArray | None = None
    """Integer values of every variable (:func:`solve_milp` only)."""
    infeasible: bool = False
    """Proven: no solution exists (:func:`solve_milp` only)."""


def _model_proto(
    objective: FloatArray, matrix: sp.csr_matrix, rhs: FloatArray, integer: bool
) -> model_pb2.ModelProto:
    """``max objective @ x`` s.t. ``matrix @ x <= rhs``, ``0 <= x <= 1``."""
    n, m = matrix.shape[1], matrix.shape[0]
    from ortools.math_opt import model_pb2

    proto = model_pb2.ModelProto()
    var = proto.variables
    var.ids.extend(range(n))
    var.lower_bounds.extend(np.zeros(n).tolist())
    var.upper_bounds.extend(np.ones(n).tolist())
    var.integers.extend([integer] * n)
    con = proto.linear_constraints
    con.ids.extend(range(m))
    con.lower_bounds.extend([-_INF] * m)
    con.upper_bounds.extend(np.asarray(rhs, dtype=np.float64).tolist())
    coo = matrix.tocoo()
    order = np.lexsort((coo.col, coo.row))  # MathOpt wants row-major, sorted entries
    mat = proto.linear_constraint_matrix
    mat.row_ids.extend(coo.row[order].tolist())
    mat.column_ids.extend(coo.col[order].tolist())
    mat.coefficients.extend(coo.data[order].astype(np.float64).tolist())
    proto.objective.maximize = True
    nz = np.flatnonzero(objective)
    proto.objective.linear_coefficients.ids.extend(nz.tolist())
    proto.objective.linear_coefficients.values.extend(objective[nz].astype(np.float64).tolist())
    return proto


def _params(
    time_limit: float | None, mip: bool, presolve: bool = True
) -> parameters_pb2.SolveParametersProto:
    from ortools.math_opt import parameters_pb2

    params = parameters_pb2.SolveParametersProto()
    if not presolve:
        params.presolve = parameters_pb2.EMPHASIS_OFF
    if time_limit is not None and math.isfinite(time_limit):
        params.time_limit.FromTimedelta(timedelta(seconds=max(0.01, time_limit)))
    if mip:
        # The objective is integral: a gap below 1 proves optimality; no relative slack.
        params.relative_gap_tolerance = 0.0
        params.absolute_gap_tolerance = 0.5
    else:
        params.lp_algorithm = parameters_pb2.LP_ALGORITHM_DUAL_SIMPLEX
    return params


_SOLVERS = {"highs": "SOLVER_TYPE_HIGHS", "scip": "SOLVER_TYPE_GSCIP"}

SCIP_SEPARATION: dict[str, int] = {
    "constraints/linear/sepafreq": -1,
    "separating/aggregation/freq": -1,
    "separating/gomory/freq": -1,
}
"""SCIP's separators switched off on our programs (0/1 columns in unit rows, beds rows
and our own cut rows). What closes the bound there are SCIP's zero-half cuts; on seed 17's
proof core the linear rows' knapsack cuts took 1.9 of 3.5 s and the aggregation (c-MIR,
flow cover) and Gomory separators most of the rest, for a few cuts each. Without them
SCIP proves the hard cores 2 to 3 times faster and the easy ones no slower
(docs/solver.md, "SCIP without the separators that do not pay")."""


@contextlib.contextmanager
def every_scip_separator() -> Iterator[None]:
    """SCIP as it comes, every separator on, for as long as the block runs: what the
    experiments compare :data:`SCIP_SEPARATION` with (``scripts/core_backends.py``)."""
    saved = dict(SCIP_SEPARATION)
    SCIP_SEPARATION.clear()
    try:
        yield
    finally:
        SCIP_SEPARATION.update(saved)


_quiet_lock = threading.Lock()
_quiet_depth = 0
_saved_stdout: int | None = None


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send what the C++ solvers print to file descriptor 1 to standard error instead.

    HiGHS prints some diagnostics (``HighsMipSolverData::...``) with plain ``printf``,
    whatever its log settings; on standard output they would corrupt ``dichtbij match
    --json``. Solves may run in several threads (the HTTP service), so the first one in
    redirects and the last one out restores.
    """
    global _quiet_depth, _saved_stdout
    with _quiet_lock:
        if _quiet_depth == 0:
            try:
                sys.stdout.flush()
                _saved_stdout = os.dup(1)
                os.dup2(2, 1)
            except (OSError, ValueError):  # no usable descriptors (embedded use): leave them
                _saved_stdout = None
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _saved_stdout is not None:
                os.dup2(_saved_stdout, 1)
                os.close(_saved_stdout)
                _saved_stdout = None


def _new_highs() -> Any:
    """A ``highspy.Highs`` with its output off, called inside :func:`_stdout_to_stderr`.

    HiGHS prints its banner (version and copyright, in English) when the first one of a
    process is made, before any option can turn it off; it reached standard error on every
    capacity plan of the Dutch command line and stood between the service's log lines.
    While it is made, descriptor 1 (standard error there) points at the null device, under
    the lock so that no solve ending meanwhile restores standard output under it.
    """
    import highspy

    with _quiet_lock:
        try:
            sys.stdout.flush()
            saved: int | None = os.dup(1)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.close(null)
        except (OSError, ValueError):  # no usable descriptors (embedded use): leave them
            saved = None
        try:
            h = highspy.Highs()  # type: ignore[no-untyped-call]
            h.setOptionValue("output_flag", False)
        finally:
            if saved is not None:
                os.dup2(saved, 1)
                os.close(saved)
    return h


def _run(
    proto: model_pb2.ModelProto,
    params: parameters_pb2.SolveParametersProto,
    model_params: model_parameters_pb2.ModelSolveParametersProto | None = None,
    backend: str = "highs",
) -> result_pb2.SolveResultProto:
    from ortools.math_opt import callback_pb2, model_parameters_pb2, parameters_pb2
    from ortools.math_opt.core.python import solver as mathopt_core

    if backend == "scip":
        # A copy: the caller's parameters stay as they were given.
        given, params = params, parameters_pb2.SolveParametersProto()
        params.CopyFrom(given)
        for name, value in SCIP_SEPARATION.items():
            params.gscip.int_params[name] = value
    with _stdout_to_stderr():
        result: result_pb2.SolveResultProto = mathopt_core.solve(
            proto,
            getattr(parameters_pb2, _SOLVERS[backend]),
            parameters_pb2.SolverInitializerProto(),
            params,
            model_params or model_parameters_pb2.ModelSolveParametersProto(),
            None,
            callback_pb2.CallbackRegistrationProto(),
            None,
            None,
        )
    return result


def add_unit_columns(h: Any, objective: FloatArray, columns: sp.spmatrix) -> None:
    """Add ``columns`` (rows x new columns) to the HiGHS model ``h``, bounds 0 and 1."""
    cols = sp.csc_matrix(columns)
    cols.sort_indices()
    k = int(cols.shape[1])
    h.addCols(
        k,
        np.asarray(objective, dtype=np.float64),
        np.zeros(k),
        np.ones(k),
        int(cols.nnz),
        cols.indptr[:-1].astype(np.int32),
        cols.indices.astype(np.int32),
        cols.data.astype(np.float64),
    )


def add_le_rows(h: Any, rows: sp.spmatrix, rhs: FloatArray) -> None:
    """Add the rows ``rows @ x <= rhs`` (over the model's columns) to the HiGHS model ``h``."""
    sub = sp.csr_matrix(rows)
    sub.sort_indices()
    m = int(sub.shape[0])
    h.addRows(
        m,
        np.full(m, -h.getInfinity()),
        np.asarray(rhs, dtype=np.float64),
        int(sub.nnz),
        sub.indptr[:-1].astype(np.int32),
        sub.indices.astype(np.int32),
        sub.data.astype(np.float64),
    )


class LpSession:
    """One LP kept alive in HiGHS (highspy) while columns and cut rows are added to it.

    Column generation and cut loops change the LP a little each round; rebuilding and
    solving it from scratch every round cost most of the relaxation's time. Here HiGHS
    keeps its basis, so a round after adding columns (primal feasible) or cuts (dual
    feasible) takes a few simplex iterations. Rows are given over every pair of the
    problem; the LP holds the columns added so far.
    """

    def __init__(self, objective: FloatArray, rows: sp.csr_matrix, rhs: FloatArray) -> None:
        import highspy

        self._hs = highspy
        self._objective = np.asarray(objective, dtype=np.float64)
        self._blocks: list[sp.csc_matrix] = [rows.tocsc()]
        self.columns = np.empty(0, dtype=np.int64)
        with _stdout_to_stderr():
            self._h = _new_highs()
            self._h.changeObjectiveSense(highspy.ObjSense.kMaximize)
            m = rows.shape[0]
            empty = np.zeros(0, dtype=np.int32)
            self._h.addRows(
                m,
                np.full(m, -highspy.kHighsInf),
                np.asarray(rhs, dtype=np.float64),
                0,
                np.zeros(m, dtype=np.int32),
                empty,
                np.zeros(0),
            )

    @property
    def n_rows(self) -> int:
        return sum(int(b.shape[0]) for b in self._blocks)

    def add_columns(self, cols: IntArray) -> None:
        """Add these pairs (indices over the problem) as columns, bounds 0 and 1."""
        cols = np.asarray(cols, dtype=np.int64)
        if cols.size == 0:
            return
        with _stdout_to_stderr():
            add_unit_columns(
                self._h, self._objective[cols], sp.vstack([b[:, cols] for b in self._blocks])
            )
        self.columns = np.concatenate([self.columns, cols])

    def add_rows(self, rows: sp.csr_matrix, rhs: FloatArray) -> None:
        """Add rows ``rows @ x <= rhs`` given over every pair of the problem."""
        m = int(rows.shape[0])
        if m == 0:
            return
        self._blocks.append(rows.tocsc())
        with _stdout_to_stderr():
            add_le_rows(self._h, rows.tocsr()[:, self.columns], rhs)

    def solve(self, time_limit: float | None) -> LpResult:
        """The LP optimum over the columns so far: ``x`` in the order of :attr:`columns`."""
        h = self._h
        if time_limit is not None and math.isfinite(time_limit):
            h.setOptionValue("time_limit", max(0.01, time_limit))
        with _stdout_to_stderr():
            h.run()
        n, m = self.columns.size, self.n_rows
        if h.getModelStatus() != self._hs.HighsModelStatus.kOptimal:
            return LpResult(False, np.zeros(n), np.zeros(m), -_INF)
        sol = h.getSolution()
        x = np.clip(np.asarray(sol.col_value, dtype=np.float64), 0.0, 1.0)
        # Clipped: a tiny negative dual of a tolerance would make the bound invalid.
        duals = np.maximum(np.asarray(sol.row_dual, dtype=np.float64), 0.0)
        return LpResult(True, x, duals, float(self._objective[self.columns] @ x))


def solve_mip(
    objective: FloatArray,
    matrix: sp.csr_matrix,
    rhs: FloatArray,
    time_limit: float | None,
    hint: NDArray[np.bool_] | None = None,
    presolve: bool = True,
    backend: str = "highs",
    heuristics: bool = True,
) -> MipResult:
    """The 0/1 program with HiGHS: the best solution found and the proven bound.

    ``presolve=False`` suits a model that is already reduced: on the filtered core of the
    national instance HiGHS' presolve costs more than it saves (measured 13.6 s against
    21.7 s on 84,000 pairs). ``backend="scip"`` runs SCIP instead (the engine hands it
    the cores HiGHS does not prove quickly). ``heuristics=False`` switches SCIP's primal
    heuristics off, for a program whose start is already its optimum in practice.
    """
    from ortools.math_opt import model_parameters_pb2, parameters_pb2, result_pb2

    n = matrix.shape[1]
    model_params = model_parameters_pb2.ModelSolveParametersProto()
    if hint is not None:
        h = model_params.solution_hints.add()
        h.variable_values.ids.extend(range(n))
        h.variable_values.values.extend(hint.astype(np.float64).tolist())
    params = _params(time_limit, True, presolve)
    if not heuristics and backend == "scip":
        params.heuristics = parameters_pb2.EMPHASIS_OFF
    result = _run(_model_proto(objective, matrix, rhs, integer=True), params, model_params, backend)
    term = result.termination
    optimal = term.reason == result_pb2.TERMINATION_REASON_OPTIMAL
    x: NDArray[np.bool_] | None = None
    if result.solutions and result.solutions[0].HasField("primal_solution"):
        pv = result.solutions[0].primal_solution.variable_values
        values = np.zeros(n)
        values[np.asarray(pv.ids, dtype=np.int64)] = np.asarray(pv.values)
        x = values > 0.5
    bound = term.objective_bounds.dual_bound
    value = float(objective @ x) if x is not None else -_INF
    return MipResult(x, optimal and x is not None, float(bound), value)


HIGHS_AGGREGATOR = 1 << 12
"""HiGHS' presolve rule 12, the aggregator, as a bit of its ``presolve_rule_off`` option.
On the capacity plan's model (0/1 pairs plus an integer ``y_h`` of extra beds in every
home's bed row) it ran for 60 to 80 s on a 0599 area of 22,771 columns, checking no time
limit (HiGHS 1.16 presolve, ERGO-Code/HiGHS#1501), where without it presolve takes 2 s
and the stage is proven in 5 (docs/planning.md, "The plan's time limit")."""


def solve_milp(
    objective: FloatArray,
    matrix: sp.csr_matrix,
    row_lower: FloatArray,
    row_upper: FloatArray,
    var_upper: FloatArray,
    time_limit: float | None,
    hint: FloatArray | None = None,
    presolve_rules_off: int = 0,
    backend: Literal["mathopt", "highspy"] = "mathopt",
) -> MipResult:
    """``max objective @ x`` s.t. ``row_lower <= matrix @ x <= row_upper``, ``x`` integer in
    ``[0, var_upper]``, with HiGHS: rows with two sides (an exact count) and general integer
    variables (extra beds), which :func:`solve_mip` does not take. :attr:`MipResult.values`
    holds the integer values; ``infeasible`` is set when HiGHS proved no solution exists.
    ``presolve_rules_off`` is HiGHS' bit mask of presolve rules not to run (such as
    :data:`HIGHS_AGGREGATOR`). ``backend="highspy"`` calls HiGHS through highspy instead of
    MathOpt: a newer HiGHS (1.16), whose presolve reduces the capacity plan's model in a
    second where MathOpt's ran past its time limit (docs/planning.md, "The plan's time
    limit").
    """
    if backend == "highspy":
        return _milp_highspy(
            objective, matrix, row_lower, row_upper, var_upper, time_limit, hint, presolve_rules_off
        )
    from ortools.math_opt import model_parameters_pb2, result_pb2

    n = matrix.shape[1]
    proto = _model_proto(objective, matrix, np.asarray(row_upper, dtype=np.float64), integer=True)
    del proto.variables.upper_bounds[:]
    proto.variables.upper_bounds.extend(np.asarray(var_upper, dtype=np.float64).tolist())
    del proto.linear_constraints.lower_bounds[:]
    proto.linear_constraints.lower_bounds.extend(np.asarray(row_lower, dtype=np.float64).tolist())
    model_params = model_parameters_pb2.ModelSolveParametersProto()
    if hint is not None:
        h = model_params.solution_hints.add()
        h.variable_values.ids.extend(range(n))
        h.variable_values.values.extend(np.asarray(hint, dtype=np.float64).tolist())
    params = _params(time_limit, True)
    if presolve_rules_off:
        params.highs.int_options["presolve_rule_off"] = presolve_rules_off
    result = _run(proto, params, model_params)
    term = result.termination
    optimal = term.reason == result_pb2.TERMINATION_REASON_OPTIMAL
    values: IntArray | None = None
    if result.solutions and result.solutions[0].HasField("primal_solution"):
        pv = result.solutions[0].primal_solution.variable_values
        raw = np.zeros(n)
        raw[np.asarray(pv.ids, dtype=np.int64)] = np.asarray(pv.values)
        values = np.rint(raw).astype(np.int64)
    value = float(objective @ values) if values is not None else -_INF
    return MipResult(
        values > 0 if values is not None else None,
        optimal and values is not None,
        float(term.objective_bounds.dual_bound),
        value,
        values,
        # Every variable is bounded, so "infeasible or unbounded" is infeasible.
        term.reason
        in (
            result_pb2.TERMINATION_REASON_INFEASIBLE,
            result_pb2.TERMINATION_REASON_INFEASIBLE_OR_UNBOUNDED,
        ),
    )


def _milp_highspy(
    objective: FloatArray,
    matrix: sp.csr_matrix,
    row_lower: FloatArray,
    row_upper: FloatArray,
    var_upper: FloatArray,
    time_limit: float | None,
    hint: FloatArray | None,
    presolve_rules_off: int,
) -> MipResult:
    """:func:`solve_milp` with HiGHS through highspy, with the same tolerances as MathOpt's
    call (:func:`_params`): the objective is integral, a gap below 1 proves it."""
    import highspy

    n, m = int(matrix.shape[1]), int(matrix.shape[0])
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, m
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.asarray(objective, dtype=np.float64)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.asarray(var_upper, dtype=np.float64)
    low = np.asarray(row_lower, dtype=np.float64)
    up = np.asarray(row_upper, dtype=np.float64)
    lp.row_lower_ = np.where(np.isinf(low), -inf, low)
    lp.row_upper_ = np.where(np.isinf(up), inf, up)
    cols = sp.csc_matrix(matrix)
    cols.sort_indices()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = cols.indptr.astype(np.int32)
    lp.a_matrix_.index_ = cols.indices.astype(np.int32)
    lp.a_matrix_.value_ = cols.data.astype(np.float64)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    with _stdout_to_stderr():
        h = _new_highs()
        if time_limit is not None and math.isfinite(time_limit):
            h.setOptionValue("time_limit", max(0.01, time_limit))
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.5)
        if presolve_rules_off:
            h.setOptionValue("presolve_rule_off", presolve_rules_off)
        h.passModel(lp)
        if hint is not None:
            start = highspy.HighsSolution()
            start.col_value = np.asarray(hint, dtype=np.float64).tolist()
            start.value_valid = True
            h.setSolution(start)
        h.run()
    status = h.getModelStatus()
    info = h.getInfo()
    values: IntArray | None = None
    if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        values = np.rint(np.asarray(h.getSolution().col_value, dtype=np.float64)).astype(np.int64)
    ms = highspy.HighsModelStatus
    return MipResult(
        values > 0 if values is not None else None,
        status == ms.kOptimal and values is not None,
        float(info.mip_dual_bound),
        float(objective @ values) if values is not None else -_INF,
        values,
        status in (ms.kInfeasible, ms.kUnboundedOrInfeasible),
    )


class SolverError(RuntimeError):
    """A solver answered neither optimal nor feasible where an answer always exists."""


@dataclass(frozen=True)
class CpSatResult:
    """CP-SAT's answer over the pairs of a :class:`Batch`."""

    chosen: IntArray
    optimal: bool
    bound: int
    value: int


def solve_cpsat(
    problem: Batch,
    objective: list[int],
    time_limit: float | None,
    hint: IntArray | None = None,
    workers: int = 1,
) -> CpSatResult:
    """Maximise an integer objective over the pairs, in exact integer arithmetic.

    Built in the order of the OR-tools samples: variables keyed by pair, constraints
    (one home per unit, free beds, keep apart, sibling caps), objective, solve, read back.
    """
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x_{p}") for p in range(problem.n_pairs)]
    pairs, start = problem.pairs_of_unit
    for u in range(problem.n_units):
        mine = pairs[start[u] : start[u + 1]].tolist()
        if len(mine) > 1:
            model.add_at_most_one(x[p] for p in mine)
    hp, hs = problem.pairs_of_home
    for h in range(problem.n_homes):
        mine = hp[hs[h] : hs[h + 1]]
        beds = problem.pair_beds[mine]
        if int(beds.sum()) > int(problem.home_beds[h]):
            model.add(
                cp_model.LinearExpr.weighted_sum([x[p] for p in mine.tolist()], beds.tolist())
                <= int(problem.home_beds[h])
            )
    for a, b in problem.conflicts.tolist():
        model.add_at_most_one(x[a], x[b])
    capped, cap_start = problem.pairs_of_cap
    for c, limit in enumerate(problem.cap_limit.tolist()):
        model.add(sum(x[p] for p in capped[cap_start[c] : cap_start[c + 1]].tolist()) <= limit)
    model.maximize(cp_model.LinearExpr.weighted_sum(x, objective))
    if hint is not None:
        chosen = set(hint.tolist())
        for p in range(problem.n_pairs):
            model.add_hint(x[p], p in chosen)
    cp = cp_model.CpSolver()
    cp.parameters.num_workers = workers
    if time_limit is not None and math.isfinite(time_limit):
        cp.parameters.max_time_in_seconds = max(0.01, time_limit)
    status = cp.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen_arr = np.array(
            [p for p in range(problem.n_pairs) if cp.boolean_value(x[p])], dtype=np.int64
        )
        return CpSatResult(
            chosen_arr,
            status == cp_model.OPTIMAL,
            int(cp.best_objective_bound),
            int(cp.objective_value),
        )
    if status == cp_model.UNKNOWN and time_limit is not None and math.isfinite(time_limit):
        # The time limit came before CP-SAT found any assignment: the caller keeps its start.
        return CpSatResult(np.empty(0, dtype=np.int64), False, int(cp.best_objective_bound), 0)
    # Placing nobody is always an answer, so INFEASIBLE or MODEL_INVALID (or UNKNOWN with no
    # time limit) means the model itself is wrong: never pass that off as "no placements".
    raise SolverError(
        f"CP-SAT returned {cp.status_name(status)} for a batch of {problem.n_pairs} pairs: "
        f"{cp.solution_info() or 'no further information'}"
    )
