"""One simulated run of one policy: the day loop and the run's figures.

Each day, in this order: placements that end today end (the bed comes free; after a
breakdown the unit waits again), beds come free in registered homes, new families
arrive, and the policy makes its offers.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from solver.simulation.events import Events, draw_events
from solver.simulation.policies import POLICIES
from solver.simulation.state import RunState
from solver.simulation.world import World

__all__ = ["FIGURES", "RunFigures", "begin_day", "simulate_run"]

#: The figures of the answer, per policy, in the contract's order.
FIGURES = (
    "placed",
    "waiting_days_median",
    "distance_median_km",
    "siblings_together_share",
    "moves",
)


@dataclass(frozen=True, slots=True)
class RunFigures:
    """What one run measured; ``None`` where there was nothing to measure."""

    run: int
    policy: str
    placed: int
    waiting_days_median: float | None
    distance_median_km: float | None
    siblings_together_share: float | None
    moves: int
    children: int
    placements: int
    # How many values each figure rests on (for publishing: matching.audit's small numbers).
    waits: int = 0
    sibling_groups: int = 0
    sibling_groups_together: int = 0

    def figure(self, name: str) -> float | None:
        value: float | int | None = getattr(self, name)
        return None if value is None else float(value)


def simulate_run(
    world: World, policy: str, days: int, seed: int, run: int, events: Events | None = None
) -> RunFigures:
    """Simulate ``days`` days under ``policy``; the same arguments give the same figures."""
    step = POLICIES[policy]
    ev = draw_events(world, days, seed, run) if events is None else events
    state = RunState(world, seed, run)
    for day in range(days):
        begin_day(state, ev, day)
        step(state, day)
    return _figures(state, policy, days, run)


def begin_day(state: RunState, events: Events, day: int) -> None:
    """What ``day`` brings before the policy places anyone: placements that end, beds
    that open, families that arrive, in that order."""
    state.end_placements(day)
    for home in events.openings[day]:
        state.open_bed(home)
    for template in events.arrivals[day]:
        state.add_family(template, day)


def _figures(state: RunState, policy: str, days: int, run: int) -> RunFigures:
    waits = state.waits + [days - it.since for it in state.waiting]
    groups = [f.children for f in state.families if len(f.children) > 1]
    placed_groups = [g for g in groups if any(state.child_placed[c] for c in g)]
    together = sum(
        1
        for g in placed_groups
        if all(c in state.first_home for c in g) and len({state.first_home[c] for c in g}) == 1
    )
    return RunFigures(
        run=run,
        policy=policy,
        placed=sum(state.child_placed),
        waiting_days_median=float(statistics.median(waits)) if waits else None,
        distance_median_km=float(statistics.median(state.distances)) if state.distances else None,
        siblings_together_share=together / len(placed_groups) if placed_groups else None,
        moves=state.moves,
        children=len(state.child_template),
        placements=len(state.distances),
        waits=len(waits),
        sibling_groups=len(placed_groups),
        sibling_groups_together=together,
    )
