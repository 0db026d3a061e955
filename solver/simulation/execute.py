"""Runs as independent Dask tasks: in this process by default, or on an existing cluster.

One task is one run of one policy. The prepared :class:`~solver.simulation.world.World`
is sent to every worker once (``scatter(broadcast=True)``); each task draws its own
events from ``(seed, run)``, so the answer does not depend on where or in which order
the tasks ran. The results are gathered in run order and aggregated here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from matching import Scenario
from solver.simulation.aggregate import simulation_document
from solver.simulation.assumptions import Assumptions
from solver.simulation.policies import POLICIES
from solver.simulation.run import RunFigures, simulate_run
from solver.simulation.world import World, build_world

__all__ = ["SchedulerError", "run_task", "simulate", "simulate_world"]


class SchedulerError(RuntimeError):
    """The Dask scheduler named by ``--scheduler`` could not be reached, or has no workers."""


#: Seconds to wait for a worker to join a scheduler that has none: without one, the
#: world's scatter failed with a traceback and the tasks would wait for ever.
WORKER_WAIT_S = 10.0


def run_task(world: World, policy: str, days: int, seed: int, run: int) -> RunFigures:
    """What one Dask task does (a module-level function: workers import it by name)."""
    return simulate_run(world, policy, days, seed, run)


@contextlib.contextmanager
def _client(scheduler: str | None) -> Iterator[Any]:
    from distributed import Client, LocalCluster

    if scheduler is None:
        # In this process, on threads; its HTTP endpoint (always started) on a free loopback port.
        with (
            LocalCluster(
                processes=False,
                n_workers=1,
                threads_per_worker=1,
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(scheduler, timeout=10)
    # ValueError: a malformed address; TypeError: tls:// without Dask's TLS configuration.
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise SchedulerError(
            f"--scheduler: cannot reach the Dask scheduler at {scheduler}: {exc}"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_S)
        except (OSError, TimeoutError):
            raise SchedulerError(
                f"--scheduler: the Dask scheduler at {scheduler} has no workers "
                f"(none joined within {WORKER_WAIT_S:g} s): start one with "
                f"'dask worker {scheduler}'"
            ) from None
        yield client


def simulate(
    scenario: Scenario,
    days: int,
    runs: int,
    seed: int,
    policies: Sequence[str] = tuple(POLICIES),
    scheduler: str | None = None,
    assumptions: Assumptions | None = None,
    on_done: Callable[[], None] | None = None,
    timeout_s: float | None = None,
    *,
    hide_small_numbers: bool = False,
) -> dict[str, Any]:
    """The ``dichtbij simulate`` document for a scenario (see :func:`simulate_world`).

    ``hide_small_numbers``: for a municipality, figures describing fewer than 5 children
    are hidden (:func:`solver.simulation.aggregate.hide_small_numbers`); the command line,
    whose reader holds the scenario itself, shows them all."""
    world = build_world(scenario, assumptions)
    area = len(scenario.children) if hide_small_numbers else None
    return simulate_world(
        world, days, runs, seed, policies, scheduler, on_done, timeout_s, area_children=area
    )


def simulate_world(
    world: World,
    days: int,
    runs: int,
    seed: int,
    policies: Sequence[str],
    scheduler: str | None = None,
    on_done: Callable[[], None] | None = None,
    timeout_s: float | None = None,
    area_children: int | None = None,
) -> dict[str, Any]:
    """Every (run, policy) as a Dask task; ``on_done`` is called as each task finishes.

    With ``timeout_s``, tasks not finished by then are cancelled and :class:`TimeoutError`
    is raised (a service answering a request must not run unbounded)."""
    from distributed import as_completed

    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        raise ValueError(f"unknown policies: {', '.join(unknown)}")
    with _client(scheduler) as client:
        shared = client.scatter(world, broadcast=True)
        futures = [
            client.submit(run_task, shared, policy, days, seed, run, pure=False)
            for run in range(runs)
            for policy in policies
        ]
        try:
            for _ in as_completed(futures, timeout=timeout_s):
                if on_done is not None:
                    on_done()
        except TimeoutError:
            client.cancel(futures)
            raise
        results: list[RunFigures] = client.gather(futures)
    return simulation_document(days, runs, seed, policies, results, area_children)
