"""``dichtbij simulate``: months of arrivals, departures, declines and breakdowns, run under
each placement policy, many times, as independent tasks on Dask.

:mod:`~solver.simulation.assumptions` the documented rates; :mod:`~solver.simulation.world`
the scenario prepared once; :mod:`~solver.simulation.events` what happens whatever the
policy; :mod:`~solver.simulation.state` and :mod:`~solver.simulation.policies` one run's
state and the placement policies; :mod:`~solver.simulation.run` the day loop;
:mod:`~solver.simulation.aggregate` means and intervals; :mod:`~solver.simulation.execute`
the Dask tasks. See docs/simulation.md.
"""

from solver.simulation.assumptions import Assumptions, AssumptionsError
from solver.simulation.execute import SchedulerError, simulate, simulate_world
from solver.simulation.policies import POLICIES
from solver.simulation.run import FIGURES, RunFigures, simulate_run
from solver.simulation.world import World, build_world

__all__ = [
    "FIGURES",
    "POLICIES",
    "Assumptions",
    "AssumptionsError",
    "RunFigures",
    "SchedulerError",
    "World",
    "build_world",
    "simulate",
    "simulate_run",
    "simulate_world",
]
