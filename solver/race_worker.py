"""The SCIP worker of :mod:`solver.race`: ``python -m solver.race_worker IN OUT``.

Reads jobs (:class:`solver.race.Job`) from the pipe ``IN``, solves each with SCIP and
writes the :class:`solver.backends.MipResult` to the pipe ``OUT``, until ``IN`` closes or
the engine kills the process (which is how SCIP is stopped).
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from solver.backends import solve_mip


def serve(inbox: Connection, outbox: Connection) -> None:
    """Solve each job with SCIP and send the answer back."""
    while True:
        try:
            job = inbox.recv()
        except EOFError:
            return
        result = solve_mip(
            job.objective, job.matrix, job.rhs, job.time_limit, job.hint, job.presolve, "scip"
        )
        outbox.send(result)


if __name__ == "__main__":
    serve(
        Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False)
    )
