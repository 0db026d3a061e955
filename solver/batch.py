"""The batch match as plain arrays: placement units, homes with free beds, eligible pairs.

Everything the optimiser needs is taken once from a :class:`~matching.bulk.ScoreTable` and
the :class:`~matching.context.Context`, so the solver code never touches domain objects and
every rule it enforces can be checked against :func:`matching.rules.assess`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse.csgraph import connected_components

from matching.bulk import ScoreTable
from matching.context import Context

__all__ = ["Batch", "IntArray", "LexValue", "build_batch", "sibling_caps", "violations"]

IntArray = NDArray[np.int64]


@dataclass(frozen=True, order=True, slots=True)
class LexValue:
    """The batch objective, compared lexicographically: crisis children, children, points."""

    placed_crisis: int
    placed: int
    total_score: int


@dataclass(frozen=True, eq=False)
class Batch:
    """One batch (or one independent part of it) as arrays.

    ``pair_*`` arrays have one entry per eligible (unit, home) pair. ``conflicts`` lists
    pairs of pair indices that may not both be chosen: two units kept apart
    (``keep_apart``) in the same home. ``pair_cap`` names, per pair, the cap it counts
    against (-1: none) and ``cap_limit`` how many pairs of each cap may be chosen: brothers
    and sisters placed apart (a ``split_reason``) may still share a home, but no more of
    them than its ``max_siblings`` (see :func:`sibling_caps`). ``unit_arrival`` is the
    position of the unit's first child in the scenario (first come, first served).
    """

    unit_members: tuple[tuple[str, ...], ...]
    unit_size: IntArray
    unit_crisis: IntArray
    unit_arrival: IntArray
    home_ids: tuple[str, ...]
    home_beds: IntArray
    pair_unit: IntArray
    pair_home: IntArray
    pair_score: IntArray
    pair_beds: IntArray
    conflicts: IntArray
    pair_key: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    """For each pair, its index in the :class:`ScoreTable` it came from (if any)."""
    pair_cap: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    """Per pair, the sibling cap it counts against, -1 for none; empty: no caps at all."""
    cap_limit: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    """Per cap, how many of its pairs may be chosen at the most."""
    home_part_time: tuple[bool, ...] = ()
    """Per capacity row: it counts a home's part-time places, not its beds. A home that
    counts part-time places apart has two rows with the same id, one per kind of place;
    empty: every row is a home's beds."""

    def part_time_row(self, h: int) -> bool:
        return bool(self.home_part_time) and self.home_part_time[h]

    @property
    def n_caps(self) -> int:
        return int(self.cap_limit.size)

    def cap_counts(self, chosen: IntArray) -> IntArray:
        """Per cap, how many of ``chosen`` count against it."""
        if not self.n_caps:
            return np.zeros(0, dtype=np.int64)
        caps = self.pair_cap[chosen]
        return np.bincount(caps[caps >= 0], minlength=self.n_caps).astype(np.int64)

    def cap_left(self, chosen: IntArray) -> IntArray:
        """Per cap, how many more pairs may be chosen beside ``chosen``."""
        return self.cap_limit - self.cap_counts(chosen)

    def capped_out(self, chosen: IntArray) -> NDArray[np.bool_]:
        """Per pair, whether its cap is full with ``chosen`` (the pairs of ``chosen`` too)."""
        if not self.n_caps:
            return np.zeros(self.n_pairs, dtype=bool)
        full = np.append(self.cap_left(chosen) <= 0, False)  # index -1: no cap, never full
        return full[self.pair_cap]

    def closed_by(self, chosen: IntArray) -> NDArray[np.bool_]:
        """Per pair, whether ``chosen`` closes it: a unit kept apart from its unit is
        chosen in that home, or its sibling cap is full (the pairs of ``chosen`` count)."""
        closed = self.capped_out(chosen)
        if self.conflicts.size:
            mask = np.zeros(self.n_pairs, dtype=bool)
            mask[chosen] = True
            a, b = self.conflicts[:, 0], self.conflicts[:, 1]
            closed[a[mask[b]]] = True
            closed[b[mask[a]]] = True
        return closed

    @property
    def n_units(self) -> int:
        return len(self.unit_members)

    @property
    def n_homes(self) -> int:
        return len(self.home_ids)

    @property
    def n_pairs(self) -> int:
        return int(self.pair_unit.size)

    @property
    def n_children(self) -> int:
        return int(self.unit_size.sum())

    @cached_property
    def pairs_of_unit(self) -> tuple[IntArray, IntArray]:
        """``(order, start)``: the pairs of unit ``u`` are ``order[start[u]:start[u + 1]]``."""
        return _group(self.pair_unit, self.n_units)

    @cached_property
    def pairs_of_home(self) -> tuple[IntArray, IntArray]:
        """``(order, start)``: the pairs of home ``h`` are ``order[start[h]:start[h + 1]]``."""
        return _group(self.pair_home, self.n_homes)

    @cached_property
    def pairs_of_cap(self) -> tuple[IntArray, IntArray]:
        """``(order, start)``: the pairs of cap ``c`` are ``order[start[c]:start[c + 1]]``."""
        capped = np.flatnonzero(self.pair_cap >= 0) if self.n_caps else self.pair_cap[:0]
        order, start = _group(self.pair_cap[capped], self.n_caps)
        return capped[order].astype(np.int64), start

    @cached_property
    def unit_degree(self) -> IntArray:
        return np.bincount(self.pair_unit, minlength=self.n_units).astype(np.int64)

    def value(self, chosen: IntArray) -> LexValue:
        """The lexicographic objective of a set of chosen pairs."""
        units = self.pair_unit[chosen]
        return LexValue(
            int(self.unit_crisis[units].sum()),
            int(self.unit_size[units].sum()),
            int(self.pair_score[chosen].sum()),
        )

    def components(self) -> list[tuple[IntArray, IntArray]]:
        """Independent parts: ``(units, homes)`` of each connected component with a pair.

        Units and homes that share no chain of eligible pairs cannot compete for a bed, so
        the lexicographic optimum of the whole is the sum of the parts' optima (the
        lexicographic order is compatible with addition). Keep-apart conflicts join only
        pairs of the same home, but a home's beds and its part-time places are two rows:
        a conflict joins the rows of its two pairs, so it never spans two components.
        """
        n = self.n_units + self.n_homes
        rows = [self.pair_unit, self.n_units + self.pair_home[self.conflicts[:, 0]]]
        cols = [self.n_units + self.pair_home, self.n_units + self.pair_home[self.conflicts[:, 1]]]
        if self.n_caps:  # a cap too joins the rows of its pairs (beds and part-time places)
            capped = np.flatnonzero(self.pair_cap >= 0)
            first = np.full(self.n_caps, -1, dtype=np.int64)
            first[self.pair_cap[capped[::-1]]] = capped[::-1]
            rows.append(self.n_units + self.pair_home[capped])
            cols.append(self.n_units + self.pair_home[first[self.pair_cap[capped]]])
        graph = sp.coo_matrix(
            (
                np.ones(sum(r.size for r in rows)),
                (np.concatenate(rows), np.concatenate(cols)),
            ),
            shape=(n, n),
        )
        _, label = connected_components(graph, directed=False)
        unit_label = label[: self.n_units]
        home_label = label[self.n_units :]
        used = np.unique(label[self.pair_unit])
        out = []
        for lab in used.tolist():
            out.append(
                (
                    np.flatnonzero(unit_label == lab).astype(np.int64),
                    np.flatnonzero(home_label == lab).astype(np.int64),
                )
            )
        # Smallest first: cheap parts are certain to finish within any time limit.
        out.sort(key=lambda c: (len(c[0]), int(c[0][0])))
        return out

    def largest_part(self) -> Batch:
        """The independent part with the most units (experiments and benchmarks study it:
        on a national instance it holds nearly all the work)."""
        units, homes = max(self.components(), key=lambda part: len(part[0]))
        return self.subproblem(units, homes)[0]

    def subproblem(self, units: IntArray, homes: IntArray) -> tuple[Batch, IntArray]:
        """The part with these units and homes, and the original index of each of its pairs."""
        unit_new = np.full(self.n_units, -1, dtype=np.int64)
        unit_new[units] = np.arange(units.size)
        home_new = np.full(self.n_homes, -1, dtype=np.int64)
        home_new[homes] = np.arange(homes.size)
        keep = np.flatnonzero((unit_new[self.pair_unit] >= 0) & (home_new[self.pair_home] >= 0))
        pair_new = np.full(self.n_pairs, -1, dtype=np.int64)
        pair_new[keep] = np.arange(keep.size)
        conflicts = self.conflicts
        if conflicts.size:
            both = (pair_new[conflicts[:, 0]] >= 0) & (pair_new[conflicts[:, 1]] >= 0)
            conflicts = pair_new[conflicts[both]]
        sub = Batch(
            unit_members=tuple(self.unit_members[u] for u in units.tolist()),
            unit_size=self.unit_size[units],
            unit_crisis=self.unit_crisis[units],
            unit_arrival=self.unit_arrival[units],
            home_ids=tuple(self.home_ids[h] for h in homes.tolist()),
            home_beds=self.home_beds[homes],
            pair_unit=unit_new[self.pair_unit[keep]],
            pair_home=home_new[self.pair_home[keep]],
            pair_score=self.pair_score[keep],
            pair_beds=self.pair_beds[keep],
            conflicts=conflicts.reshape(-1, 2).astype(np.int64),
            pair_key=self.pair_key[keep] if self.pair_key.size else self.pair_key,
            pair_cap=self.pair_cap[keep] if self.n_caps else self.pair_cap,
            cap_limit=self.cap_limit,
            home_part_time=tuple(self.part_time_row(h) for h in homes.tolist())
            if self.home_part_time
            else (),
        )
        return sub, keep.astype(np.int64)


def _group(keys: IntArray, n: int) -> tuple[IntArray, IntArray]:
    order = np.argsort(keys, kind="stable").astype(np.int64)
    start = np.searchsorted(keys[order], np.arange(n + 1)).astype(np.int64)
    return order, start


def build_batch(ctx: Context, table: ScoreTable) -> Batch:
    """The arrays of the whole batch, with keep-apart conflicts in both directions."""
    sc = ctx.scenario
    position = {c.id: i for i, c in enumerate(sc.children)}
    units = table.units
    unit_of_child = {cid: i for i, u in enumerate(units) for cid in u.members}
    n_pairs = table.n_pairs
    pair_unit = table.pair_unit.astype(np.int64)
    pair_home = table.pair_home.astype(np.int64)

    # keep_apart is a safety rule: honour it whichever of the two children lists the other.
    # (A home where a kept-apart child lives now is already excluded by the rules.)
    apart: set[tuple[int, int]] = set()
    for c in sc.children:
        for other in ctx.keep_apart[c.id]:
            if other not in unit_of_child:  # a resident: the rules exclude its home already
                continue
            a, b = unit_of_child[c.id], unit_of_child[other]
            if a != b:
                apart.add((min(a, b), max(a, b)))
    conflicts: list[tuple[int, int]] = []
    if apart:
        by_key = {
            (u, h): i
            for i, (u, h) in enumerate(zip(pair_unit.tolist(), pair_home.tolist(), strict=True))
        }
        homes_of: dict[int, list[int]] = {}
        for u, h in by_key:
            homes_of.setdefault(u, []).append(h)
        for a, b in sorted(apart):
            for h in homes_of.get(a, []):
                pb = by_key.get((b, h))
                if pb is not None:
                    conflicts.append((by_key[(a, h)], pb))

    pair_cap, cap_limit = sibling_caps(
        ctx,
        [u.members for u in units],
        pair_unit,
        pair_home,
        [h.max_siblings for h in table.homes],
        [h.id for h in table.homes],
    )

    # A home that counts part-time places apart gets a second capacity row (same id) for
    # them: pairs that take part-time places point there, so neither kind uses up the other.
    home_ids = [h.id for h in table.homes]
    home_beds = [h.beds_free for h in table.homes]
    home_part_time = [False] * len(home_ids)
    part_row: dict[int, int] = {}
    for h in np.unique(pair_home[table.pair_part_time]).tolist():
        part_row[h] = len(home_ids)
        home_ids.append(table.homes[h].id)
        home_beds.append(table.homes[h].places_for(True))
        home_part_time.append(True)
    if part_row:
        pair_home = pair_home.copy()
        moved = np.flatnonzero(table.pair_part_time)
        pair_home[moved] = [part_row[h] for h in pair_home[moved].tolist()]

    crisis = {c.id for c in sc.children if c.is_crisis}
    return Batch(
        unit_members=tuple(u.members for u in units),
        unit_size=np.array([u.size for u in units], dtype=np.int64),
        unit_crisis=np.array([sum(m in crisis for m in u.members) for u in units], dtype=np.int64),
        unit_arrival=np.array([min(position[m] for m in u.members) for u in units], dtype=np.int64),
        home_ids=tuple(home_ids),
        home_beds=np.array(home_beds, dtype=np.int64),
        pair_unit=pair_unit,
        pair_home=pair_home,
        pair_score=table.pair_score.astype(np.int64),
        pair_beds=table.pair_beds.astype(np.int64),
        conflicts=np.array(conflicts, dtype=np.int64).reshape(-1, 2),
        pair_key=np.arange(n_pairs, dtype=np.int64),
        pair_cap=pair_cap,
        cap_limit=cap_limit,
        home_part_time=tuple(home_part_time) if part_row else (),
    )


def sibling_caps(
    ctx: Context,
    unit_members: Sequence[tuple[str, ...]],
    pair_unit: IntArray,
    pair_home: IntArray,
    max_siblings: Sequence[int | None],
    home_ids: Sequence[str],
) -> tuple[IntArray, IntArray]:
    """``(pair_cap, cap_limit)`` of :class:`Batch`: brothers and sisters placed apart (a
    ``split_reason``) are placed one by one, but where several may go to the same home,
    no more of them than its ``max_siblings`` (``pair_home`` indexes ``max_siblings`` and
    ``home_ids``).

    Those who live there now count as staying (as in the per-pair rule,
    :func:`matching.rules.eligibility.siblings.living_here`): a child left unplaced, or
    not eligible there any more, still lives there. So the cap is on the newcomers, at most
    ``max_siblings`` minus the family living there; staying takes no part of it. A unit
    has one pair per home, so counting a family's pairs at a home counts its children
    there. Only where more newcomers could come than that is a cap made.
    """
    family = np.full(len(unit_members), -1, dtype=np.int64)
    families: dict[tuple[str, ...], int] = {}
    for u, members in enumerate(unit_members):
        unit = ctx.unit_of[members[0]]
        if unit.split_from_siblings:
            family[u] = families.setdefault(unit.group, len(families))
    if not families:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    n_homes = len(home_ids)
    rows: dict[str, list[int]] = {}  # a home's rows (an id may come more than once)
    for h, hid in enumerate(home_ids):
        rows.setdefault(hid, []).append(h)
    lives_in = ctx.lives_in
    limit = np.array([-1 if m is None else m for m in max_siblings], dtype=np.int64)
    # Where each unit placed apart lives now (staying), and how many of each family live
    # in each home: few children, looped over; the pairs are not.
    staying = [
        u * n_homes + h
        for u in np.flatnonzero(family >= 0).tolist()
        for hid in lives_in.get(unit_members[u][0], ())
        for h in rows.get(hid, ())
    ]
    living: Counter[int] = Counter(
        f * n_homes + h
        for group, f in families.items()
        for s in group
        for hid in lives_in.get(s, ())
        for h in rows.get(hid, ())
    )
    pair_family = family[pair_unit]
    newcomer = (pair_family >= 0) & (limit[pair_home] >= 0)
    newcomer &= ~np.isin(pair_unit * n_homes + pair_home, np.array(staying, dtype=np.int64))
    pairs = np.flatnonzero(newcomer)
    key = pair_family[pairs] * n_homes + pair_home[pairs]
    keys, at, coming = np.unique(key, return_inverse=True, return_counts=True)
    there_now = np.array([living.get(k, 0) for k in keys.tolist()], dtype=np.int64)
    room = np.maximum(limit[keys % n_homes] - there_now, 0)
    capped = coming > room
    if not capped.any():
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    cap_of_key = np.cumsum(capped) - 1
    pair_cap = np.full(pair_unit.size, -1, dtype=np.int64)
    pair_cap[pairs[capped[at]]] = cap_of_key[at][capped[at]]
    return pair_cap, room[capped].astype(np.int64)


def violations(problem: Batch, chosen: Sequence[int] | IntArray) -> list[str]:
    """Every broken rule of a set of chosen pairs, in words; empty when the answer is valid.

    Exact integer arithmetic, independent of any solver: the last check before an answer
    leaves the solver.
    """
    idx = np.asarray(chosen, dtype=np.int64)
    out: list[str] = []
    if idx.size and (idx.min() < 0 or idx.max() >= problem.n_pairs):
        return ["a chosen pair does not exist"]
    units = problem.pair_unit[idx]
    twice = np.flatnonzero(np.bincount(units, minlength=problem.n_units) > 1)
    out.extend(f"unit {problem.unit_members[u]} placed twice" for u in twice.tolist())
    used = np.bincount(
        problem.pair_home[idx], weights=problem.pair_beds[idx], minlength=problem.n_homes
    )
    over = np.flatnonzero(used > problem.home_beds)
    out.extend(
        f"home {problem.home_ids[h]}: {int(used[h])} "
        f"{'part-time places' if problem.part_time_row(h) else 'beds'} used, "
        f"{int(problem.home_beds[h])} free"
        for h in over.tolist()
    )
    if problem.conflicts.size and idx.size:
        mask = np.zeros(problem.n_pairs, dtype=bool)
        mask[idx] = True
        both = mask[problem.conflicts[:, 0]] & mask[problem.conflicts[:, 1]]
        for a, b in problem.conflicts[both].tolist():
            out.append(
                f"{problem.unit_members[problem.pair_unit[a]]} and "
                f"{problem.unit_members[problem.pair_unit[b]]} kept apart but both in "
                f"{problem.home_ids[problem.pair_home[a]]}"
            )
    if problem.n_caps and idx.size:
        counts = problem.cap_counts(idx)
        for c in np.flatnonzero(counts > problem.cap_limit).tolist():
            in_cap = idx[problem.pair_cap[idx] == c]
            members = [m for p in in_cap for m in problem.unit_members[problem.pair_unit[p]]]
            home = problem.home_ids[problem.pair_home[in_cap[0]]]
            out.append(
                f"siblings {tuple(members)} all in {home}, which takes at most "
                f"{int(problem.cap_limit[c])} of a family"
            )
    return out
