"""The thin solver calls: native solver chatter never reaches standard output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

import solver.engine as engine
from solver.backends import (
    SCIP_SEPARATION,
    MipResult,
    SolverError,
    _stdout_to_stderr,
    every_scip_separator,
    solve_cpsat,
    solve_milp,
    solve_mip,
)
from solver.engine import EngineOptions
from solver.relaxation import base_rows
from tests.solver.helpers import random_problem


def test_what_a_solver_prints_goes_to_stderr_not_into_the_json(
    capfd: pytest.CaptureFixture[str],
) -> None:
    with _stdout_to_stderr():
        os.write(1, b"HighsMipSolverData chatter\n")
    os.write(1, b"the document\n")
    out, err = capfd.readouterr()
    assert out == "the document\n"
    assert "HighsMipSolverData chatter" in err


def test_overlapping_solves_restore_stdout_once_the_last_one_ends(
    capfd: pytest.CaptureFixture[str],
) -> None:
    inside = threading.Barrier(2)

    def solve() -> None:
        with _stdout_to_stderr():
            inside.wait()
            os.write(1, b"chatter\n")
            inside.wait()

    threads = [threading.Thread(target=solve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    os.write(1, b"after\n")
    out, err = capfd.readouterr()
    assert out == "after\n"
    assert err.count("chatter") == 2


def test_a_capacity_plan_through_highspy_prints_no_highs_banner() -> None:
    # The banner comes once per process, on the first Highs made: a fresh process shows it.
    root = Path(__file__).resolve().parents[2]
    command = ["api.cli", "capacity", "--scenario", "fixtures/example-scenario.json"]
    done = subprocess.run(
        [sys.executable, "-m", *command, "--beds", "2", "--json"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "HiGHS" not in done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["beds"] == 2


def test_cp_sat_refusing_the_model_is_an_error_not_an_empty_answer() -> None:
    problem = random_problem(3, units=6, homes=3, per_unit=2)
    # Weights this large overflow CP-SAT's 64-bit objective, so it answers MODEL_INVALID.
    huge = [2**62] * problem.n_pairs
    with pytest.raises(SolverError, match="MODEL_INVALID"):
        solve_cpsat(problem, huge, time_limit=None)


def test_cp_sat_proves_a_small_batch_and_returns_its_choice() -> None:
    problem = random_problem(3, units=6, homes=3, per_unit=2)
    result = solve_cpsat(problem, [1] * problem.n_pairs, time_limit=10.0)
    assert result.optimal
    assert result.value == len(result.chosen) > 0


def _optimum(seed: int, backend: str = "highs", **kwargs: Any) -> int:
    """The proven optimum of a random program (its points only) by one solver setting."""
    problem = random_problem(seed, units=60, homes=25, per_unit=4)
    rows = base_rows(problem)
    objective = problem.pair_score.astype(np.float64)
    result = solve_mip(objective, rows.matrix, rows.rhs, 60.0, backend=backend, **kwargs)
    assert result.optimal, (seed, backend, kwargs)
    return round(result.value)


@pytest.mark.parametrize("seed", range(4))
def test_scip_without_three_separators_proves_the_same_optimum_as_with_them(seed: int) -> None:
    # The separators only change how fast SCIP closes the bound, never the answer: the
    # optimum of each program equals SCIP's with every separator and HiGHS'.
    with every_scip_separator():
        every = _optimum(seed, "scip")
    assert _optimum(seed, "scip") == every == _optimum(seed)


@pytest.mark.parametrize("seed", range(4))
def test_scip_without_its_heuristics_proves_the_same_optimum_from_any_start(seed: int) -> None:
    # The engine's proof core runs SCIP without primal heuristics: from a start that is
    # not the optimum (or none) SCIP must still find and prove the optimum by branching.
    none = np.zeros(random_problem(seed, units=60, homes=25, per_unit=4).n_pairs, dtype=bool)
    with_them = _optimum(seed, "scip")
    assert _optimum(seed, "scip", heuristics=False) == with_them
    assert _optimum(seed, "scip", hint=none, heuristics=False) == with_them


def test_every_separator_is_back_on_only_inside_the_block_even_when_it_fails() -> None:
    before = dict(SCIP_SEPARATION)
    assert before  # the engine leaves some out
    seen_inside: list[dict[str, int]] = []

    def failing_experiment() -> None:
        with every_scip_separator():
            seen_inside.append(dict(SCIP_SEPARATION))
            raise RuntimeError("a failed experiment")

    with pytest.raises(RuntimeError):
        failing_experiment()
    assert seen_inside == [{}]
    assert before == SCIP_SEPARATION


def test_the_largest_part_is_the_component_with_the_most_units() -> None:
    problem = random_problem(5, units=40, homes=60, per_unit=1)
    parts = problem.components()
    assert len(parts) > 1
    largest = problem.largest_part()
    assert largest.n_units == max(units.size for units, _ in parts)


def _backends_called(monkeypatch: pytest.MonkeyPatch, options: EngineOptions) -> list[str]:
    """The solvers the engine's core step calls on one program, in order."""
    called: list[str] = []

    def recording(*args: object, **kwargs: object) -> MipResult:
        backend = args[6] if len(args) > 6 else kwargs.get("backend", "highs")
        called.append(str(backend))
        return solve_mip(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "solve_mip", recording)
    problem = random_problem(5, units=1500, homes=600, per_unit=10)
    rows = base_rows(problem)
    mip, _ = engine._solve(
        problem.pair_score.astype(np.float64), rows.matrix, rows.rhs, 60.0, None, options
    )
    assert mip.optimal
    return called


def test_a_core_above_scip_max_pairs_stays_with_highs_and_one_below_may_go_on_to_scip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # HiGHS gets no head start (its 0.01 s), so a core it does not prove at once goes on
    # to SCIP, unless the core has more pairs than scip_max_pairs.
    no_head_start = EngineOptions(highs_first=0.0)
    assert _backends_called(monkeypatch, no_head_start) == ["highs", "scip"]
    assert _backends_called(monkeypatch, replace(no_head_start, scip_max_pairs=0)) == ["highs"]


@pytest.mark.parametrize("seed", range(6))
def test_a_milp_through_highspy_has_the_same_optimum_as_through_mathopt(seed: int) -> None:
    # Rows with two sides and general integers, as the capacity plan's model has them.
    rng = np.random.default_rng(seed)
    n, m = 12, 5
    matrix = sp.csr_matrix(rng.integers(0, 3, size=(m, n)).astype(float))
    lower = np.where(rng.random(m) < 0.3, 1.0, -np.inf)
    upper = rng.integers(2, 6, size=m).astype(float)
    var_upper = rng.integers(1, 3, size=n).astype(float)
    objective = rng.integers(-1, 4, size=n).astype(float)
    answers = [
        solve_milp(objective, matrix, lower, upper, var_upper, 10.0, backend=b)
        for b in ("mathopt", "highspy")
    ]
    assert [a.infeasible for a in answers] == [answers[0].infeasible] * 2
    if answers[0].values is not None:
        assert [a.optimal for a in answers] == [True, True]
        assert answers[1].value == answers[0].value
        got = answers[1].values
        assert got is not None
        rows = matrix @ got
        assert np.all(rows <= upper + 1e-9)
        assert np.all(rows >= lower - 1e-9)
        assert np.all(got >= 0)
        assert np.all(got <= var_upper)


def test_a_milp_through_highspy_proves_infeasibility() -> None:
    matrix = sp.csr_matrix(np.ones((1, 2)))
    res = solve_milp(
        np.ones(2), matrix, np.array([3.0]), np.array([3.0]), np.ones(2), 5.0, backend="highspy"
    )
    assert res.infeasible
    assert res.values is None
    assert not res.optimal
