"""The thin solver calls: native solver chatter never reaches standard output."""

from __future__ import annotations

import os
import threading

import numpy as np
import pytest

from solver.backends import (
    SCIP_SEPARATION,
    SolverError,
    _stdout_to_stderr,
    every_scip_separator,
    solve_cpsat,
    solve_mip,
)
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


def test_scip_without_three_separators_proves_the_same_optimum_as_with_them() -> None:
    # The separators only change how fast SCIP closes the bound, never the answer: the
    # optimum of each program equals SCIP's with every separator and HiGHS'.
    for seed in range(4):
        problem = random_problem(seed, units=60, homes=25, per_unit=4)
        rows = base_rows(problem)
        objective = problem.pair_score.astype(np.float64)
        ours = solve_mip(objective, rows.matrix, rows.rhs, 60.0, backend="scip")
        with every_scip_separator():
            every = solve_mip(objective, rows.matrix, rows.rhs, 60.0, backend="scip")
        highs = solve_mip(objective, rows.matrix, rows.rhs, 60.0)
        assert ours.optimal
        assert every.optimal
        assert highs.optimal
        assert round(ours.value) == round(every.value) == round(highs.value), seed


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
