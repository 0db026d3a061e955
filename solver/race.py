"""HiGHS and SCIP on the same core at once: the first to prove it answers, the other stops.

On most cores of a national instance HiGHS proves the optimum two to five times faster
than SCIP; on a few (the hard seeds' cores) its root cut loop takes 4 to 12 s where SCIP
needs 1.3 to 5 s, and nothing known before the solve tells the two kinds apart
(docs/solver.md, "HiGHS and SCIP side by side"). Run together on the machine's two
cores, the answer comes as soon as the faster of the two has proven it.

Both must be stoppable, and SCIP is not, in this process: neither MathOpt's interrupter
nor the linear solver wrapper's ``interrupt_solve`` stops it (measured: SCIP ran on to
its optimum). So SCIP runs in a process of its own (:class:`ScipWorker`), which is killed
when HiGHS wins; HiGHS runs here through highspy, whose MIP interrupt callback stops it
when SCIP's answer arrives. One worker at a time, for one part's cores: not a pool.

Measured and not taken (docs/solver.md): HiGHS in a process of its own too (OR-tools'
HiGHS, which MathOpt cannot interrupt): starting and restarting a second interpreter cost
more than it won; a head start for HiGHS before SCIP joins (0.5 s): slower on the hard
seeds, faster on none.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from solver.backends import FloatArray, MipResult, _stdout_to_stderr

__all__ = ["Racer", "ScipWorker", "can_race", "race", "solve_mip_highspy"]

_GAP = 0.5  # the objective is integral: a gap below 1 proves optimality (as solve_mip)


def can_race() -> bool:
    """Two solvers at once need two cores and a process allowed to start another.

    A daemonic process (a Dask worker's, say) may not have children.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores >= 2 and not multiprocessing.current_process().daemon


@dataclass(frozen=True)
class Job:
    objective: FloatArray
    matrix: sp.csr_matrix
    rhs: FloatArray
    time_limit: float
    hint: NDArray[np.bool_] | None
    presolve: bool


class ScipWorker:
    """SCIP in a process of its own, so that it can be stopped (see the module's text).

    A fresh interpreter (``python -m solver.race_worker``), not :mod:`multiprocessing`'s spawn,
    which would run the caller's main module again. Started early: importing OR-tools
    there takes about a second of the other core while this process works on the LP; a
    job sent before it is up waits in the pipe.
    """

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[1])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": root if not path else os.pathsep.join([root, path])}
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "solver.race_worker", str(to_child), str(from_child)],
            pass_fds=(to_child, from_child),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # the solver's own output, never the answer
            env=env,
        )
        os.close(to_child)
        os.close(from_child)
        self._out = Connection(from_parent, readable=False)
        self._in = Connection(to_parent, writable=False)
        self._sender: threading.Thread | None = None
        self.busy = False

    def submit(self, job: Job) -> None:
        """Send the job without waiting: a job of a national core is about a megabyte, and
        the pipe takes 64 kB until the worker reads, which it does only once its
        interpreter is up (measured: a send from here held HiGHS back 0.9 s)."""
        self.busy = True
        self._sender = threading.Thread(target=self._send, args=(job,), daemon=True)
        self._sender.start()

    def _send(self, job: Job) -> None:
        # A worker that is gone cannot take the job: done() says so, result() is None.
        with contextlib.suppress(OSError):
            self._out.send(job)

    def done(self) -> bool:
        """SCIP has answered (or died: then :meth:`result` says so)."""
        return self.busy and (self._in.poll() or self._process.poll() is not None)

    def result(self, timeout: float) -> MipResult | None:
        """SCIP's answer within ``timeout`` seconds (``inf``: wait), or ``None``."""
        try:
            if not self._in.poll(max(0.0, timeout) if math.isfinite(timeout) else None):
                return None
            result: MipResult = self._in.recv()
        except (EOFError, OSError):
            return None
        self.busy = False
        return result

    def close(self) -> None:
        """Stop the worker, at once (SCIP cannot be asked), and reap it."""
        self._process.kill()
        self._process.wait()
        if self._sender is not None:
            self._sender.join()  # a send still under way ends with the reader gone
        self._out.close()
        self._in.close()


def solve_mip_highspy(
    objective: FloatArray,
    matrix: sp.csr_matrix,
    rhs: FloatArray,
    time_limit: float | None,
    hint: NDArray[np.bool_] | None = None,
    presolve: bool = True,
    stop: Callable[[], bool] | None = None,
) -> MipResult:
    """The 0/1 program with HiGHS through highspy, stopped when ``stop`` says so.

    The same model and settings as :func:`solver.backends.solve_mip`'s HiGHS, but
    stoppable: HiGHS asks ``stop`` at its MIP checkpoints and ends when it says so.
    """
    import highspy

    n, m = matrix.shape[1], matrix.shape[0]
    cols = sp.csc_matrix(matrix)
    cols.sort_indices()
    with _stdout_to_stderr():
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        # One thread, as the LP (solver.backends.LpSession): HiGHS' scheduler is one per
        # process, and the other core is SCIP's (a second MIP worker gained nothing on
        # the national cores, measured).
        h.setOptionValue("threads", 1)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", _GAP)
        if not presolve:
            h.setOptionValue("presolve", "off")
        if time_limit is not None and math.isfinite(time_limit):
            h.setOptionValue("time_limit", max(0.01, time_limit))
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        h.addRows(
            m,
            np.full(m, -highspy.kHighsInf),
            np.asarray(rhs, dtype=np.float64),
            0,
            np.zeros(m, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        h.addCols(
            n,
            np.asarray(objective, dtype=np.float64),
            np.zeros(n),
            np.ones(n),
            int(cols.nnz),
            cols.indptr[:-1].astype(np.int32),
            cols.indices.astype(np.int32),
            cols.data.astype(np.float64),
        )
        h.changeColsIntegrality(
            n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
        )
        if hint is not None:
            # A complete start (a sparse one would make HiGHS solve a sub-MIP to fill it).
            start = highspy.HighsSolution()
            start.col_value = hint.astype(np.float64).tolist()
            start.value_valid = True
            h.setSolution(start)
        if stop is not None:

            def check(event: Any) -> None:
                if stop():
                    event.interrupt()

            h.cbMipInterrupt += check
        ran = h.run()
    if ran == highspy.HighsStatus.kError:  # refused (never seen): no answer, no bound
        return MipResult(None, False, math.inf, -math.inf)
    status = h.getModelStatus()
    info = h.getInfo()
    x: NDArray[np.bool_] | None = None
    sol = h.getSolution()
    if sol.value_valid and len(sol.col_value) == n:
        x = np.asarray(sol.col_value, dtype=np.float64) > 0.5
    optimal = status == highspy.HighsModelStatus.kOptimal and x is not None
    bound = float(info.mip_dual_bound)
    if not math.isfinite(bound):
        bound = math.inf
    value = float(np.asarray(objective) @ x) if x is not None else -math.inf
    return MipResult(x, optimal, bound, value)


def race(
    objective: FloatArray,
    matrix: sp.csr_matrix,
    rhs: FloatArray,
    time_limit: float,
    hint: NDArray[np.bool_] | None,
    presolve: bool,
    worker: ScipWorker,
) -> tuple[MipResult, str, bool]:
    """HiGHS here and SCIP in ``worker`` on the same program; the first proof answers.

    Returns the answer, the solver that gave it, and whether the worker is still usable
    (``False`` when it was stopped mid-solve: the caller starts a new one).
    """
    t = time.perf_counter()
    worker.submit(Job(objective, matrix, rhs, time_limit, hint, presolve))
    highs = solve_mip_highspy(objective, matrix, rhs, time_limit, hint, presolve, stop=worker.done)
    if highs.optimal:
        if worker.done():  # both finished: SCIP's answer read, the worker free again
            worker.result(0.0)
            return highs, "highs", True
        return highs, "highs", False  # SCIP is still at it: the worker must go
    # HiGHS was stopped by SCIP's answer, or its time ran out: SCIP's answer, which comes
    # at its own time limit (a second later at most: the worker may have started late).
    scip = worker.result(time_limit - (time.perf_counter() - t) + 1.0)
    if scip is None:
        return highs, "highs", False
    if scip.optimal:
        return scip, "scip", True
    bound = min(scip.bound, highs.bound)
    if scip.x is not None and (highs.x is None or scip.value >= highs.value):
        return MipResult(scip.x, False, bound, scip.value), "scip", True
    return MipResult(highs.x, False, bound, highs.value), "highs", True


class Racer:
    """The races of one part's cores, with one SCIP worker at a time.

    The worker is started with a core, not before: its interpreter takes about 0.9 s to
    start, which is HiGHS' head start (most cores it proves sooner, and SCIP is stopped
    before it began), and it does not slow the LP that comes before the first core.
    A worker that a race stopped mid-solve is replaced when the next core comes.
    """

    def __init__(self) -> None:
        self._worker: ScipWorker | None = None

    def solve(
        self,
        objective: FloatArray,
        matrix: sp.csr_matrix,
        rhs: FloatArray,
        time_limit: float,
        hint: NDArray[np.bool_] | None,
        presolve: bool,
    ) -> tuple[MipResult, str]:
        if self._worker is None:
            self._worker = ScipWorker()
        result, by, reusable = race(
            objective, matrix, rhs, time_limit, hint, presolve, self._worker
        )
        if not reusable:
            self._worker.close()
            self._worker = None
        return result, by

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None
