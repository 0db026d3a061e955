"""First come, first served: the status quo that the batch optimum is measured against.

Coordinators place children one at a time: crisis cases first, then in order of arrival
(scenario order), each taking its best remaining eligible home. :func:`greedy` does this
within the rules (a sibling group whole or not at all) and also serves as the optimiser's
warm start; :func:`status_quo` is what happens today, where a group that does not fit
anywhere together is split over separate homes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from solver.batch import Batch, IntArray

__all__ = ["StatusQuoPlacement", "fcfs_order", "greedy", "status_quo"]


def fcfs_order(problem: Batch) -> IntArray:
    """Units in first-come-first-served order: crisis first, then by arrival."""
    return np.lexsort((problem.unit_arrival, problem.unit_crisis == 0)).astype(np.int64)


def _conflicts_of(problem: Batch) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for a, b in problem.conflicts.tolist():
        out.setdefault(a, []).append(b)
        out.setdefault(b, []).append(a)
    return out


def greedy(
    problem: Batch,
    unit_order: IntArray | None = None,
    pair_preference: NDArray[np.float64] | IntArray | None = None,
    fixed: Iterable[int] = (),
) -> IntArray:
    """Place units one by one, each in its most preferred pair that still fits.

    ``unit_order`` defaults to :func:`fcfs_order`, ``pair_preference`` to the pair score.
    ``fixed`` pairs are taken first (they must be compatible with each other). Returns the
    chosen pair indices; the result never breaks beds, keep-apart, sibling caps or
    one-home-per-unit.
    """
    order = fcfs_order(problem) if unit_order is None else unit_order
    pref = problem.pair_score if pair_preference is None else pair_preference
    pairs, start = problem.pairs_of_unit
    beds_left = problem.home_beds.copy()
    taken = np.zeros(problem.n_pairs, dtype=bool)
    unit_done = np.zeros(problem.n_units, dtype=bool)
    conflicts = _conflicts_of(problem)
    cap_left = problem.cap_limit.copy()

    def fits(p: int) -> bool:
        if beds_left[problem.pair_home[p]] < problem.pair_beds[p]:
            return False
        if cap_left.size and problem.pair_cap[p] >= 0 and cap_left[problem.pair_cap[p]] <= 0:
            return False
        return not any(taken[q] for q in conflicts.get(p, ()))

    def take(p: int) -> None:
        taken[p] = True
        unit_done[problem.pair_unit[p]] = True
        beds_left[problem.pair_home[p]] -= problem.pair_beds[p]
        if cap_left.size and problem.pair_cap[p] >= 0:
            cap_left[problem.pair_cap[p]] -= 1

    for p in fixed:
        if not unit_done[problem.pair_unit[p]] and fits(int(p)):
            take(int(p))
    for u in order.tolist():
        if unit_done[u]:
            continue
        cand = pairs[start[u] : start[u + 1]]
        if cand.size == 0:
            continue
        # Best first; ties go to the earlier pair (lower home index): deterministic.
        ranked = cand[np.lexsort((cand, -np.asarray(pref)[cand]))]
        for p in ranked.tolist():
            if fits(p):
                take(p)
                break
    return np.flatnonzero(taken).astype(np.int64)


@dataclass(frozen=True, slots=True)
class StatusQuoPlacement:
    """One child placed by the status quo; ``split`` when apart from its unsplittable group."""

    child_id: str
    home_id: str
    score: int
    split: bool


def status_quo(
    whole: Batch,
    member_scores: Mapping[tuple[int, str], int],
    single: Batch,
    apart: Mapping[str, frozenset[str]],
) -> list[StatusQuoPlacement]:
    """First come, first served as practised: a group that fits nowhere together is split.

    ``whole`` is the batch with its real units; ``member_scores`` maps ``(pair, child_id)``
    of ``whole`` to the member's share of the pair score; ``single`` is the same batch
    with every child as a unit of its own (scored as a child placed apart from its
    siblings); ``apart`` maps a child to every child it must be kept apart from (both
    directions). Only the split step breaks the sibling rule; beds and keep-apart hold.
    """
    # Free places per capacity row, keyed by (home id, part-time row): the two batches
    # number their rows apart, and a home's beds and part-time places are two rows.
    beds_left: dict[tuple[str, bool], int] = {}
    for b_ in (whole, single):
        for h, b in enumerate(b_.home_beds.tolist()):
            beds_left.setdefault((b_.home_ids[h], b_.part_time_row(h)), int(b))
    living: dict[str, set[str]] = {}
    out: list[StatusQuoPlacement] = []

    def fits(row: tuple[str, bool], beds: int, members: tuple[str, ...]) -> bool:
        if beds_left[row] < beds:
            return False
        there = living.get(row[0], set())
        return not any(apart.get(m, frozenset()) & there for m in members)

    def place(row: tuple[str, bool], beds: int, members: tuple[str, ...]) -> None:
        beds_left[row] -= beds
        living.setdefault(row[0], set()).update(members)

    def row_of(problem: Batch, p: int) -> tuple[str, bool]:
        h = int(problem.pair_home[p])
        return problem.home_ids[h], problem.part_time_row(h)

    pairs, start = whole.pairs_of_unit
    s_pairs, s_start = single.pairs_of_unit
    single_unit = {m[0]: i for i, m in enumerate(single.unit_members)}
    for u in fcfs_order(whole).tolist():
        members = whole.unit_members[u]
        cand = pairs[start[u] : start[u + 1]]
        ranked = cand[np.lexsort((cand, -whole.pair_score[cand]))]
        chosen = next(
            (
                p
                for p in ranked.tolist()
                if fits(row_of(whole, p), int(whole.pair_beds[p]), members)
            ),
            None,
        )
        if chosen is not None:
            home = whole.home_ids[whole.pair_home[chosen]]
            place(row_of(whole, chosen), int(whole.pair_beds[chosen]), members)
            out.extend(
                StatusQuoPlacement(m, home, member_scores[(chosen, m)], False) for m in members
            )
            continue
        if len(members) == 1:
            continue
        # Today's practice: the first bed that says yes, child by child.
        for m in members:
            su = single_unit[m]
            cand = s_pairs[s_start[su] : s_start[su + 1]]
            ranked = cand[np.lexsort((cand, -single.pair_score[cand]))]
            for p in ranked.tolist():
                home = single.home_ids[single.pair_home[p]]
                if fits(row_of(single, p), int(single.pair_beds[p]), (m,)):
                    place(row_of(single, p), int(single.pair_beds[p]), (m,))
                    out.append(StatusQuoPlacement(m, home, int(single.pair_score[p]), True))
                    break
    return out
