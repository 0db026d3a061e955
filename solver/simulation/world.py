"""The simulated region, prepared once: every placement unit that can ever wait, every home,
and every eligible (unit, home) pair with its score and distance, as plain arrays.

The scenario is scored once (:func:`matching.score_all`) with every home opened (beds,
availability window) and every child's memory cleared; what changes from day to day
(free beds, a home's window, declines, breakdowns, waiting points) is applied by the run
as filters on these arrays. So a simulated day costs a few array operations and, for the
batch policies, one solver call on the day's waiting list; the scenario is never reloaded.

Arrivals are copies of the scenario's own sibling groups (``T:`` ids): a new family with
the same profile (ages, needs, parents' postcode, kind of care, wishes) and, where the
original has one, its own network home with the same beds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from numpy.typing import NDArray

from matching import Context, Scenario, score_all
from matching.geo import engine_km
from matching.model import Child, HistoryKind, Home, HomeType
from matching.siblings import sibling_groups
from solver.batch import IntArray, build_batch
from solver.practice import split_everyone
from solver.simulation.assumptions import Assumptions, Rates

__all__ = ["NEVER", "PairSet", "World", "build_world"]

FloatArray = NDArray[np.float64]
#: A day offset that is never reached: an open-ended window or a permanent memory.
NEVER = 10**9
_COPY = "T:"


@dataclass(frozen=True, eq=False)
class PairSet:
    """Placement units and their eligible pairs (as :class:`solver.batch.Batch`, for every
    unit that can ever wait). ``member_*`` rows give each member's distance to its home."""

    unit_members: tuple[tuple[int, ...], ...]
    unit_size: IntArray
    unit_family: IntArray
    pair_unit: IntArray
    pair_home: IntArray
    pair_score: IntArray
    pair_beds: IntArray
    pair_km: FloatArray
    """Mean distance of the members to the home (siblings share their parents' postcode)."""
    member_pair: IntArray
    member_child: IntArray
    member_km: FloatArray
    pair_order: IntArray
    pair_start: IntArray
    member_order: IntArray
    member_start: IntArray

    @property
    def n_units(self) -> int:
        return len(self.unit_members)

    def pairs_of(self, unit: int) -> IntArray:
        return self.pair_order[self.pair_start[unit] : self.pair_start[unit + 1]]

    def members_of_pair(self, pair: int) -> IntArray:
        return self.member_order[self.member_start[pair] : self.member_start[pair + 1]]


@dataclass(frozen=True, eq=False)
class World:
    """Everything a run needs, picklable, shipped once to each Dask worker."""

    reference_date: date
    rates: Rates
    assumptions: Assumptions
    waiting_per_week: int
    waiting_cap: int
    decline_memory_days: int
    # homes (template index space; network homes are copied per family at run time)
    home_ids: tuple[str, ...]
    home_type: tuple[str, ...]
    home_network: NDArray[np.bool_]
    home_beds: IntArray
    home_cap: IntArray
    home_from: IntArray
    home_until: IntArray
    opening_weight: FloatArray
    # children (originals first, then the arrival templates)
    child_ids: tuple[str, ...]
    child_age: IntArray
    child_crisis: NDArray[np.bool_]
    child_kind: tuple[str, ...]
    child_wait_start: IntArray
    child_current_home: IntArray
    child_keep_apart: tuple[frozenset[int], ...]
    child_history: tuple[tuple[tuple[int, int], ...], ...]
    """Per child: ``(home, forbidden until day)`` from its recorded declines and breakdowns."""
    # families: a sibling group (or a single child)
    family_members: tuple[tuple[int, ...], ...]
    family_units: tuple[tuple[int, ...], ...]
    """The units of ``whole`` a family waits as (one for a group placed together)."""
    initial_families: tuple[int, ...]
    arrival_templates: tuple[int, ...]
    whole: PairSet
    single: PairSet
    single_unit_of_child: IntArray

    def available(self, home: int, day: int) -> bool:
        return bool(self.home_from[home] <= day <= self.home_until[home])


def _opened(home: Home, beds: int) -> Home:
    # One capacity per home: part-time places are counted with its beds (see _beds).
    return replace(
        home,
        beds_free=beds,
        part_time_places_free=None,
        available_from=None,
        available_until=None,
    )


def _beds(home: Home) -> int:
    """A home's free places in the simulation: its beds and, where it counts them apart,
    its part-time places, as one number (a documented simplification)."""
    return home.beds_free + (home.part_time_places_free or 0)


def _cleared(child: Child, cid: str, siblings: frozenset[str], copy: bool) -> Child:
    return replace(
        child,
        id=cid,
        siblings=siblings,
        waiting_since=None,
        history=(),
        keep_apart=frozenset() if copy else child.keep_apart,
        current_home=None if copy else child.current_home,
    )


def build_world(scenario: Scenario, assumptions: Assumptions | None = None) -> World:
    """Prepare a scenario for simulation (once per ``dichtbij simulate``)."""
    a = assumptions or Assumptions()
    sc = scenario
    groups = sibling_groups(sc.children)
    copyable = [g for g in groups if all(sc.child(c).current_home is None for c in g)]
    biggest = max((len(g) for g in groups), default=1)

    kids: list[Child] = [_cleared(c, c.id, c.siblings, copy=False) for c in sc.children]
    copies: dict[str, str] = {}
    for g in copyable:
        for cid in g:
            copies[cid] = _COPY + cid
    for g in copyable:
        for cid in g:
            c = sc.child(cid)
            kids.append(
                _cleared(c, copies[cid], frozenset(copies[s] for s in c.siblings), copy=True)
            )
    # Every home opened wide: beds and windows are the run's business, not the scorer's.
    wide = max(4, biggest)
    homes = tuple(
        _opened(
            replace(h, known_to=h.known_to | {copies[k] for k in h.known_to if k in copies}),
            wide,
        )
        for h in sc.homes
    )
    template = Scenario.of(sc.reference_date, sc.policy, homes, tuple(kids), sc.residents)
    ctx = Context.of(template)
    whole, _ = _pair_set(ctx, template)
    single_sc = split_everyone(template)
    single, single_units = _pair_set(Context(single_sc, ctx.table), single_sc)

    child_pos = {c.id: i for i, c in enumerate(kids)}
    home_pos = {h.id: i for i, h in enumerate(sc.homes)}
    ref = sc.reference_date

    def offset(d: date | None, default: int) -> int:
        return default if d is None else (d - ref).days

    families = sibling_groups(template.children)
    family_of = {cid: f for f, g in enumerate(families) for cid in g}
    unit_family = np.array([family_of[kids[m[0]].id] for m in whole.unit_members], dtype=np.int64)
    whole = replace(whole, unit_family=unit_family)
    single = replace(
        single,
        unit_family=np.array(
            [family_of[kids[m[0]].id] for m in single.unit_members], dtype=np.int64
        ),
    )
    family_units: list[list[int]] = [[] for _ in families]
    for u, f in enumerate(unit_family.tolist()):
        family_units[f].append(u)
    n_original = len(sc.children)
    initial = tuple(f for f, g in enumerate(families) if child_pos[g[0]] < n_original)
    arrivals = tuple(f for f, g in enumerate(families) if child_pos[g[0]] >= n_original)

    history: list[tuple[tuple[int, int], ...]] = []
    for c in kids:
        original = sc.child_by_id.get(c.id)
        events: list[tuple[int, int]] = []
        for e in original.history if original is not None else ():
            if e.home_id not in home_pos:
                continue
            until = (
                NEVER
                if e.event is HistoryKind.BREAKDOWN
                else (e.date - ref).days + sc.policy.decline_memory_days
            )
            events.append((home_pos[e.home_id], until))
        history.append(tuple(events))

    non_network = [h for h in sc.homes if h.type is not HomeType.NETWORK_FOSTER]
    n_wait = len(sc.children)
    waited = [(ref - c.waiting_since).days for c in sc.children if c.waiting_since is not None]
    waited += [0] * (n_wait - len(waited))
    mean_wait = max(a.min_mean_wait_days, float(np.mean(waited)) if waited else 0.0)
    per_day = (
        a.arrivals_per_year / 365.0
        if a.arrivals_per_year is not None
        else (n_wait / mean_wait if n_wait else 0.0)
    )
    sizes = [len(families[f]) for f in arrivals]
    free_non_network = sum(_beds(h) for h in non_network)
    openings = (
        a.bed_openings_per_year / 365.0
        if a.bed_openings_per_year is not None
        else (per_day * free_non_network / n_wait if n_wait else 0.0)
    )
    rates = Rates(
        children_per_day=per_day,
        families_per_day=per_day / float(np.mean(sizes)) if sizes else 0.0,
        bed_openings_per_day=openings,
    )
    network = np.array([h.type is HomeType.NETWORK_FOSTER for h in sc.homes], dtype=bool)
    beds = np.array([_beds(h) for h in sc.homes], dtype=np.int64)
    cap = np.array([max(_beds(h), h.max_siblings or 1, 1) for h in sc.homes], dtype=np.int64)
    return World(
        reference_date=ref,
        rates=rates,
        assumptions=a,
        waiting_per_week=sc.policy.points_waiting_per_week,
        waiting_cap=sc.policy.points_waiting_max,
        decline_memory_days=sc.policy.decline_memory_days,
        home_ids=tuple(h.id for h in sc.homes),
        home_type=tuple(h.type.value for h in sc.homes),
        home_network=network,
        home_beds=beds,
        home_cap=cap,
        home_from=np.array([offset(h.available_from, -NEVER) for h in sc.homes], dtype=np.int64),
        home_until=np.array([offset(h.available_until, NEVER) for h in sc.homes], dtype=np.int64),
        opening_weight=np.where(network, 0.0, cap.astype(np.float64)),
        child_ids=tuple(c.id for c in kids),
        child_age=np.array([c.age for c in kids], dtype=np.int64),
        child_crisis=np.array([c.is_crisis for c in kids], dtype=bool),
        child_kind=tuple(c.kind.value for c in kids),
        child_wait_start=np.array(
            [
                offset(sc.child(c.id).waiting_since, 0) if c.id in sc.child_by_id else 0
                for c in kids
            ],
            dtype=np.int64,
        ),
        child_current_home=np.array(
            [home_pos[c.current_home] if c.current_home else -1 for c in kids], dtype=np.int64
        ),
        child_keep_apart=tuple(
            frozenset(child_pos[k] for k in ctx.keep_apart.get(c.id, ()) if k in child_pos)
            for c in kids
        ),
        child_history=tuple(history),
        family_members=tuple(tuple(child_pos[c] for c in g) for g in families),
        family_units=tuple(tuple(u) for u in family_units),
        initial_families=initial,
        arrival_templates=arrivals,
        whole=whole,
        single=single,
        single_unit_of_child=single_units,
    )


def _pair_set(ctx: Context, sc: Scenario) -> tuple[PairSet, IntArray]:
    """The scored pairs of ``sc`` (homes in scenario order), and each child's unit."""
    table = score_all(ctx)
    batch = build_batch(ctx, table)
    child_pos = {c.id: i for i, c in enumerate(sc.children)}
    home_pos = {h.id: i for i, h in enumerate(sc.homes)}
    table_home = np.array([home_pos[h.id] for h in table.homes], dtype=np.int64)
    pair_home = table_home[batch.pair_home]
    member_child = np.array(
        [child_pos[table.child_ids[c]] for c in table.member_child.tolist()], dtype=np.int64
    )
    member_pair = table.member_pair.astype(np.int64)  # build_batch keeps the table's pairs
    parents = [ctx.parents_location(c) for c in sc.children]
    homes = [ctx.home_location(h) for h in sc.homes]
    member_home = pair_home[member_pair]
    member_km = engine_km(
        np.array([parents[c].latitude for c in member_child.tolist()]),
        np.array([parents[c].longitude for c in member_child.tolist()]),
        np.array([homes[h].latitude for h in member_home.tolist()]),
        np.array([homes[h].longitude for h in member_home.tolist()]),
    ).astype(np.float64)
    n_pairs = batch.n_pairs
    km_sum = np.bincount(member_pair, weights=member_km, minlength=n_pairs)
    km_count = np.bincount(member_pair, minlength=n_pairs)
    pair_order, pair_start = batch.pairs_of_unit
    member_order = np.argsort(member_pair, kind="stable").astype(np.int64)
    member_start = np.searchsorted(member_pair[member_order], np.arange(n_pairs + 1)).astype(
        np.int64
    )
    unit_members = tuple(tuple(child_pos[m] for m in members) for members in batch.unit_members)
    unit_of_child = np.full(len(sc.children), -1, dtype=np.int64)
    for u, members in enumerate(unit_members):
        for m in members:
            unit_of_child[m] = u
    out = PairSet(
        unit_members=unit_members,
        unit_size=batch.unit_size,
        unit_family=np.zeros(len(unit_members), dtype=np.int64),
        pair_unit=batch.pair_unit,
        pair_home=pair_home,
        pair_score=batch.pair_score,
        pair_beds=batch.pair_beds,
        pair_km=km_sum / np.maximum(km_count, 1),
        member_pair=member_pair,
        member_child=member_child,
        member_km=member_km,
        pair_order=pair_order,
        pair_start=pair_start,
        member_order=member_order,
        member_start=member_start,
    )
    return out, unit_of_child
