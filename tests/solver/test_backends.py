"""The thin solver calls: native solver chatter never reaches standard output."""

from __future__ import annotations

import os
import threading

import pytest

from solver.backends import SolverError, _stdout_to_stderr, solve_cpsat
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
