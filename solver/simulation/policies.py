"""Placement policies: who is offered which home, and when.

- ``fcfs``: first come, first served (crisis first, then the longest wait); each unit is
  offered its best remaining home by points, then the next after a no.
- ``practice``: today's practice as the coordinator phones round: the eligible homes with a
  free bed in order of distance to the parents, the first carers to say yes take the
  child; a sibling group that no home takes together for ``split_after_days`` is placed
  child by child (as :mod:`solver.practice` splits a group that fits nowhere together).
- ``batch-daily``, ``batch-weekly``: the real solver (:func:`solver.engine.solve_part`, the
  proven lexicographic optimum) over the whole waiting list every day or every seventh
  day; every proposal is put to the carers, and after a no the solver runs again that day.

Every policy meets the same carers: the same decline rate, the same answer to the same
offer (:func:`solver.simulation.events.keyed_uniform`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from solver.batch import Batch
from solver.engine import solve_part
from solver.simulation.state import WHOLE, Option, RunState, Waiting

__all__ = [
    "POLICIES",
    "Step",
    "batch_step",
    "day_batch",
    "everyone_best",
    "fcfs_step",
    "optimum",
    "practice_step",
]

Step = Callable[[RunState, int], None]


def _first_yes(state: RunState, item: Waiting, options: list[Option], day: int) -> bool:
    # In order, and only until the first yes: each offer is a call the carers answer.
    return any(state.offer(item, option, day) for option in options)


def fcfs_step(state: RunState, day: int) -> None:
    """Each waiting unit in turn takes its best remaining home that says yes."""
    if not state.changed:
        return
    state.changed = False
    for item in state.ordered_waiting():
        options = sorted(state.options(item, day), key=lambda o: (-o.score, o.pair))
        _first_yes(state, item, options, day)


def practice_step(state: RunState, day: int) -> None:
    """Phone round by distance; split a group that waited too long for a home together."""
    split_after = state.world.assumptions.split_after_days
    due = [
        it
        for it in state.waiting
        if it.kind == WHOLE and len(it.children) > 1 and day - it.since >= split_after
    ]
    if not state.changed and not due:
        return
    state.changed = False
    for item in state.ordered_waiting():
        options = sorted(state.options(item, day), key=lambda o: (o.km, o.pair))
        if _first_yes(state, item, options, day):
            continue
        if item in due:
            for single in state.split(item):
                options = sorted(state.options(single, day), key=lambda o: (o.km, o.pair))
                _first_yes(state, single, options, day)


def batch_step(cadence: int) -> Step:
    """The solver over the whole waiting list every ``cadence`` days."""

    def step(state: RunState, day: int) -> None:
        if day % cadence or not state.changed:
            return
        state.changed = False
        for _ in range(state.world.assumptions.batch_rounds):
            items = state.ordered_waiting()
            proposals = _solve(state, items, day)
            if not proposals:
                return
            declined = [not state.offer(item, option, day) for item, option in proposals]
            if not any(declined):
                return
        state.changed = True  # declines left open proposals: try again next time

    return step


def _solve(state: RunState, items: list[Waiting], day: int) -> list[tuple[Waiting, Option]]:
    """The lexicographic optimum over ``items`` and today's free beds, as proposals."""
    found = day_batch(state, items, day)
    if found is None:
        return []
    batch, kept, unit_of, options = found
    return [(kept[unit_of[p]], options[p]) for p in optimum(batch)]


def optimum(batch: Batch) -> list[int]:
    """The chosen pairs of the lexicographic optimum, in pair order."""
    chosen = everyone_best(batch)
    if chosen is None:
        chosen = []
        for units, part_homes in batch.components():
            sub, index = batch.subproblem(units, part_homes)
            chosen.extend(index[solve_part(sub, math.inf).chosen].tolist())
    return sorted(chosen)


def day_batch(
    state: RunState, items: list[Waiting], day: int
) -> tuple[Batch, list[Waiting], list[int], list[Option]] | None:
    """Today's batch over ``items`` (those with an open pair): the units, each pair's unit
    and option; ``None`` when no unit has an open pair."""
    unit_of: list[int] = []
    options: list[Option] = []
    kept: list[Waiting] = []
    for item in items:
        mine = state.options(item, day)
        if not mine:
            continue
        unit_of.extend([len(kept)] * len(mine))
        options.extend(mine)
        kept.append(item)
    if not options:
        return None
    homes = sorted({o.home for o in options})
    local = {g: i for i, g in enumerate(homes)}
    pair_unit = np.array(unit_of, dtype=np.int64)
    pair_home = np.array([local[o.home] for o in options], dtype=np.int64)
    beds = np.array(
        [
            int(state.pairs(kept[u]).pair_beds[o.pair])
            for u, o in zip(unit_of, options, strict=True)
        ],
        dtype=np.int64,
    )
    batch = Batch(
        unit_members=tuple(tuple(str(c) for c in it.children) for it in kept),
        unit_size=np.array([len(it.children) for it in kept], dtype=np.int64),
        unit_crisis=np.array([it.crisis for it in kept], dtype=np.int64),
        unit_arrival=np.arange(len(kept), dtype=np.int64),
        home_ids=tuple(str(g) for g in homes),
        home_beds=np.array([state.beds[g] for g in homes], dtype=np.int64),
        pair_unit=pair_unit,
        pair_home=pair_home,
        pair_score=np.array([o.score for o in options], dtype=np.int64),
        pair_beds=beds,
        conflicts=_conflicts(state, kept, pair_unit, pair_home),
    )
    return batch, kept, unit_of, options


def everyone_best(batch: Batch) -> list[int] | None:
    """Each unit's best pair, if together they fit (beds, keep-apart); else ``None``.

    When they fit, that is the lexicographic optimum: every unit with a pair is placed (so
    every crisis child and every child who can be), each in its best home. Most simulated
    days are like that (a bed came free, one family arrived), and the solver is skipped.
    """
    order = np.lexsort((np.arange(batch.n_pairs), -batch.pair_score, batch.pair_unit))
    first = np.ones(order.size, dtype=bool)
    first[1:] = batch.pair_unit[order[1:]] != batch.pair_unit[order[:-1]]
    best = order[first]
    used = np.bincount(
        batch.pair_home[best], weights=batch.pair_beds[best], minlength=batch.n_homes
    )
    if np.any(used > batch.home_beds):
        return None
    if batch.conflicts.size:
        mask = np.zeros(batch.n_pairs, dtype=bool)
        mask[best] = True
        if np.any(mask[batch.conflicts[:, 0]] & mask[batch.conflicts[:, 1]]):
            return None
    return [int(p) for p in best]


def _conflicts(
    state: RunState, kept: list[Waiting], pair_unit: np.ndarray, pair_home: np.ndarray
) -> np.ndarray:
    """Pairs that may not both be chosen: two units kept apart, in the same home."""
    w = state.world
    apart = [
        frozenset().union(*(w.child_keep_apart[state.child_template[c]] for c in it.children))
        for it in kept
    ]
    templates = [frozenset(state.child_template[c] for c in it.children) for it in kept]
    out: list[tuple[int, int]] = []
    risky = [u for u, a in enumerate(apart) if a]
    if risky:
        by_home: dict[int, list[int]] = {}
        for p, h in enumerate(pair_home.tolist()):
            by_home.setdefault(h, []).append(p)
        for ps in by_home.values():
            for i, p in enumerate(ps):
                for q in ps[i + 1 :]:
                    a, b = int(pair_unit[p]), int(pair_unit[q])
                    if apart[a] & templates[b] or apart[b] & templates[a]:
                        out.append((p, q))
    return np.array(out, dtype=np.int64).reshape(-1, 2)


#: The policies by the names ``--policies`` takes, in the order the answer lists them.
POLICIES: dict[str, Step] = {
    "fcfs": fcfs_step,
    "practice": practice_step,
    "batch-daily": batch_step(1),
    "batch-weekly": batch_step(7),
}
