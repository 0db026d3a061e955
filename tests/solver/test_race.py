"""HiGHS and SCIP side by side (solver.race): the first proof answers, the other stops,
and the answer is the one either solver alone proves."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.typing import NDArray

import solver.race as race_module
from solver.backends import FloatArray, MipResult, solve_mip
from solver.engine import EngineOptions, solve_part
from solver.race import Job, Racer, ScipWorker, can_race, race, solve_mip_highspy
from solver.relaxation import base_rows
from tests.solver.helpers import random_problem

Program = tuple[FloatArray, sp.csr_matrix, FloatArray]


def _program(seed: int, units: int = 60) -> Program:
    """A batch's 0/1 program: one home per unit, beds per home (as the engine's cores)."""
    problem = random_problem(seed, units=units, homes=units // 2, per_unit=5)
    rows = base_rows(problem)
    weights = (400 * problem.unit_size[problem.pair_unit] + problem.pair_score).astype(float)
    return weights, rows.matrix, rows.rhs


@pytest.fixture
def worker() -> Iterator[ScipWorker]:
    w = ScipWorker()
    yield w
    w.close()


@pytest.mark.parametrize("seed", range(8))
def test_highs_through_highspy_proves_what_highs_through_mathopt_proves(seed: int) -> None:
    objective, matrix, rhs = _program(seed)
    start = np.zeros(matrix.shape[1], dtype=bool)
    start[0] = True  # a valid start: one pair alone never breaks a row
    ours = solve_mip_highspy(objective, matrix, rhs, 30, start, presolve=False)
    theirs = solve_mip(objective, matrix, rhs, 30, None, presolve=False)
    assert ours.optimal
    assert theirs.optimal
    assert ours.value == theirs.value
    assert ours.x is not None
    assert np.all(matrix @ ours.x.astype(float) <= rhs + 1e-9)


def test_highs_stops_when_asked_and_claims_no_proof() -> None:
    objective, matrix, rhs = _program(1)
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return True

    result = solve_mip_highspy(objective, matrix, rhs, 30, None, presolve=False, stop=stop)
    assert asked
    assert not result.optimal


def test_a_run_highs_refuses_is_no_answer_and_no_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    import highspy

    objective, matrix, rhs = _program(1)
    monkeypatch.setattr(highspy.Highs, "run", lambda self: highspy.HighsStatus.kError)
    result = solve_mip_highspy(objective, matrix, rhs, 30, None, presolve=False)
    assert result.x is None
    assert not result.optimal
    assert result.bound == float("inf")  # not the 0 HiGHS reports: no bound was proven


def test_the_lp_and_the_race_share_one_highs_thread_scheduler() -> None:
    # An LP run first fixes HiGHS' scheduler for the process; a MIP asking for another
    # thread count would be refused at once (seen: "not optimal" in 3 ms, bound 0).
    from solver.backends import LpSession

    objective, matrix, rhs = _program(2)
    lp = LpSession(objective, matrix, rhs)
    lp.add_columns(np.arange(matrix.shape[1]))
    assert lp.solve(30).ok
    result = solve_mip_highspy(objective, matrix, rhs, 30, None, presolve=False)
    assert result.optimal
    assert result.value == solve_mip(objective, matrix, rhs, 30, None, False).value


def test_the_scip_worker_answers_as_scip_here_does_and_is_reaped_on_close() -> None:
    objective, matrix, rhs = _program(2)
    w = ScipWorker()
    w.submit(Job(objective, matrix, rhs, 30.0, None, False))
    answer = w.result(60.0)
    w.close()
    here = solve_mip(objective, matrix, rhs, 30, None, False, "scip")
    assert answer is not None
    assert answer.optimal
    assert answer.value == here.value
    assert w._process.returncode is not None  # killed and waited for: no zombie left


def test_sending_a_large_job_never_waits_for_the_worker_to_read() -> None:
    # A national core is about a megabyte, more than a pipe holds. A frozen worker (as
    # one still starting its interpreter) must not hold the engine: submit returns and
    # close still stops it.
    objective, matrix, rhs = _program(2, units=4000)
    w = ScipWorker()
    os.kill(w._process.pid, signal.SIGSTOP)
    sender = threading.Thread(
        target=w.submit, args=(Job(objective, matrix, rhs, 30.0, None, False),)
    )
    sender.start()
    sender.join(timeout=10)
    assert not sender.is_alive()
    assert w.busy
    w.close()
    assert w._process.returncode is not None


def test_when_highs_proves_first_its_answer_is_taken(worker: ScipWorker) -> None:
    objective, matrix, rhs = _program(3)
    result, by, _ = race(objective, matrix, rhs, 30.0, None, False, worker)
    assert by in {"highs", "scip"}
    assert result.optimal
    assert result.value == solve_mip(objective, matrix, rhs, 30, None, False).value


def _slow_highs(
    seen: list[bool],
) -> Callable[..., MipResult]:
    """HiGHS that finds nothing until told to stop: SCIP must be the one to answer."""

    def solve(
        objective: FloatArray,
        matrix: sp.csr_matrix,
        rhs: FloatArray,
        time_limit: float | None,
        hint: NDArray[np.bool_] | None = None,
        presolve: bool = True,
        stop: Callable[[], bool] | None = None,
    ) -> MipResult:
        assert stop is not None
        deadline = time.monotonic() + 60
        while not stop() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(stop())
        return MipResult(None, False, float("inf"), float("-inf"))

    return solve


def test_when_scip_proves_first_highs_is_stopped_and_scip_answers(
    worker: ScipWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    objective, matrix, rhs = _program(4)
    seen: list[bool] = []
    monkeypatch.setattr(race_module, "solve_mip_highspy", _slow_highs(seen))
    result, by, reusable = race(objective, matrix, rhs, 30.0, None, False, worker)
    assert seen == [True]  # HiGHS was told to stop
    assert by == "scip"
    assert result.optimal
    assert reusable
    assert result.value == solve_mip(objective, matrix, rhs, 30, None, False).value


def test_a_dead_worker_leaves_highs_answer_unproven_not_a_crash(
    worker: ScipWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    objective, matrix, rhs = _program(5)
    worker._process.kill()
    worker._process.wait()
    monkeypatch.setattr(race_module, "solve_mip_highspy", _slow_highs([]))
    result, by, reusable = race(objective, matrix, rhs, 30.0, None, False, worker)
    assert by == "highs"
    assert not result.optimal
    assert not reusable


def test_the_racer_replaces_a_stopped_worker_and_closes_the_last() -> None:
    racer = Racer()
    for seed in (6, 7):
        objective, matrix, rhs = _program(seed)
        result, _ = racer.solve(objective, matrix, rhs, 30.0, None, False)
        assert result.optimal
        assert result.value == solve_mip(objective, matrix, rhs, 30, None, False).value
    racer.close()
    assert racer._worker is None


def test_no_race_on_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not can_race()


@pytest.mark.parametrize("seed", range(3))
def test_the_engine_racing_its_cores_finds_the_optimum_it_finds_alone(seed: int) -> None:
    problem = random_problem(seed, units=150, homes=90, per_unit=8)
    lp = EngineOptions(exact_max_pairs=0, direct_max_pairs=0, first_delta=1.0)
    raced = solve_part(problem, float("inf"), replace(lp, race_min_pairs=0))
    alone = solve_part(problem, float("inf"), replace(lp, race_min_pairs=None))
    exact = solve_part(problem, float("inf"), EngineOptions())
    assert raced.optimal
    assert alone.optimal
    assert exact.optimal
    assert raced.value == alone.value == exact.value
