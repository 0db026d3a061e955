"""Among equal answers, the child who waited longer.

The ``waiting`` criterion counts whole weeks (docs/scoring.md), so two children who came
in the same week score the same in every home; when one bed is left for them, the optimum
the solver proves is one of two equal answers, and which one used to follow the input
order. The contract says a child who has waited longer is never worse off among
otherwise equal options (docs/spec/scenario.md). So, after the optimum is proven, a child
left without a home takes the bed of a placed child who came later, wherever the two are
exchangeable: the same size of unit, the same urgency, the same points and beds in that
home, no keep-apart conflict with whoever else is placed there and no sibling cap
(``max_siblings``) it would overfill. Every exchange keeps
each stage of the objective as it was, so the answer stays the proven optimum.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

import numpy as np

from matching.context import Context
from solver.batch import Batch, IntArray

__all__ = ["equal_pairs", "longer_waiters_first", "unit_since"]


def unit_since(ctx: Context, problem: Batch) -> list[int]:
    """Per unit, the day its longest-waiting member started waiting (the reference date
    where none is recorded, as the contract says), as an ordinal: smaller waited longer."""
    sc = ctx.scenario
    return [
        min((sc.child(cid).waiting_since or sc.reference_date).toordinal() for cid in members)
        for members in problem.unit_members
    ]


def equal_pairs(problem: Batch, q: int, p: int) -> bool:
    """Whether the units of pairs ``q`` and ``p`` are equal for the match there: the same
    size and urgency, the same points and beds in that home. Between two such units only
    the waiting time decides."""
    v, u = int(problem.pair_unit[q]), int(problem.pair_unit[p])
    return bool(
        problem.unit_size[v] == problem.unit_size[u]
        and problem.unit_crisis[v] == problem.unit_crisis[u]
        and problem.pair_score[q] == problem.pair_score[p]
        and problem.pair_beds[q] == problem.pair_beds[p]
    )


def longer_waiters_first(ctx: Context, problem: Batch, chosen: IntArray) -> IntArray:
    """``chosen`` with every exchange made by which an unplaced unit that waited longer
    takes the place of an exchangeable placed unit that came later (the latest first)."""
    since = unit_since(ctx, problem)
    unit, home = problem.pair_unit, problem.pair_home
    taken: set[int] = {int(p) for p in chosen}
    placed_in: dict[int, set[int]] = defaultdict(set)
    for p in taken:
        placed_in[int(home[p])].add(p)
    placed_units = {int(unit[p]) for p in taken}
    against: dict[int, set[int]] = defaultdict(set)
    for a, b in problem.conflicts.tolist():
        against[a].add(b)
        against[b].add(a)
    order, start = problem.pairs_of_unit
    cap_used = problem.cap_counts(np.array(sorted(taken), dtype=np.int64))

    def exchangeable(q: int, p: int) -> bool:
        return (
            since[int(unit[q])] < since[int(unit[p])]
            and equal_pairs(problem, q, p)
            and not any(c in taken and c != p for c in against[q])
            and _cap_allows(problem, cap_used, q, p)
        )

    # Longest waiting first; a unit an exchange leaves without a home waits its turn
    # again. Each exchange places a unit that waited longer than the one it replaces, so
    # the placed units' waiting days only grow and the queue runs dry.
    queue = [(since[v], v) for v in range(problem.n_units) if v not in placed_units]
    heapq.heapify(queue)
    while queue:
        _, v = heapq.heappop(queue)
        pairs = order[start[v] : start[v + 1]].tolist()
        options = [(q, p) for q in pairs for p in placed_in[int(home[q])] if exchangeable(q, p)]
        if not options:
            continue
        q, p = max(options, key=lambda qp: (since[int(unit[qp[1]])], -qp[0]))
        u = int(unit[p])
        taken.remove(p)
        taken.add(q)
        if cap_used.size:
            for pair, step in ((p, -1), (q, 1)):
                if problem.pair_cap[pair] >= 0:
                    cap_used[problem.pair_cap[pair]] += step
        placed_in[int(home[q])].remove(p)
        placed_in[int(home[q])].add(q)
        placed_units.remove(u)
        placed_units.add(v)
        heapq.heappush(queue, (since[u], u))
    return np.array(sorted(taken), dtype=np.int64)


def _cap_allows(problem: Batch, cap_used: IntArray, q: int, p: int) -> bool:
    """Whether ``q`` may take the place of ``p`` under the sibling caps."""
    if not cap_used.size:
        return True
    c = int(problem.pair_cap[q])
    return c < 0 or c == int(problem.pair_cap[p]) or cap_used[c] < problem.cap_limit[c]
