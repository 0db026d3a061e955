"""The batch match of the whole waiting list: :func:`match` and its typed result.

Crisis children placed first, then as many children as possible, then the highest total
score; every sibling group without a ``split_reason`` in one home or not at all; free
beds and ``keep_apart`` respected. The batch is split into independent parts (units and
homes that compete for the same beds), each solved exactly by :mod:`solver.engine`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching.bulk import ScoreTable, score_all
from matching.context import Context
from matching.documents import (
    AssignmentDoc,
    FrontierPointDoc,
    FrontierSummaryDoc,
    GreedyDoc,
    MatchDocument,
    SolverSummary,
    StageDoc,
    Status,
    UnplacedChildDoc,
)
from matching.explain import Lang
from matching.model import Scenario
from matching.rules import ReasonCode
from matching.rules.eligibility.siblings import living_here
from solver.batch import Batch, IntArray, LexValue, build_batch, violations
from solver.engine import EngineOptions, solve_part
from solver.explain import TakenHome, UnplacedChild, unplaced_doc
from solver.greedy import greedy
from solver.reasons import ReasonIndex
from solver.uitstroom import UitstroomCandidate, uitstroom, uitstroom_docs
from solver.unlock import PlacesLeft, unlocks
from solver.waiting_ties import equal_pairs, longer_waiters_first, unit_since

__all__ = [
    "Assignment",
    "MatchResult",
    "PartSummary",
    "StageValue",
    "Status",
    "match",
    "match_json",
]


@dataclass(frozen=True, slots=True)
class Assignment:
    """A placed child: the home and the child's own points (its share of the group's)."""

    child_id: str
    home_id: str
    score: int
    crisis: bool
    group: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StageValue:
    """One stage of the lexicographic objective: its value and a proven upper bound."""

    stage: str
    value: int
    bound: int


@dataclass(frozen=True, slots=True)
class PartSummary:
    """One independent part of the batch and how it was solved."""

    units: int
    homes: int
    pairs: int
    route: str
    optimal: bool
    stats: dict[str, float | int | str]


@dataclass(frozen=True)
class MatchResult:
    """The batch answer. ``bound`` and ``gap`` are explained in docs/solver.md."""

    status: Status
    placed: int
    placed_crisis: int
    total_score: int
    bound: int
    gap: float
    gap_stage: str | None
    wall_time_s: float
    assignments: tuple[Assignment, ...]
    unplaced: tuple[UnplacedChild, ...]
    unplaced_ids: tuple[str, ...]
    stages: tuple[StageValue, ...]
    greedy: LexValue
    parts: tuple[PartSummary, ...] = field(default=())
    children: int = 0
    crisis_children: int = 0
    uitstroom: tuple[UitstroomCandidate, ...] = ()

    def document(
        self,
        lang: Lang = "nl",
        frontier: tuple[list[FrontierPointDoc], FrontierSummaryDoc] | None = None,
    ) -> MatchDocument:
        """The ``dichtbij match --json`` document (contract keys first, then extras);
        ``frontier`` (from :mod:`solver.planning`) adds the frontier keys."""
        by_child = {u.child_id: u for u in self.unplaced}
        extra: dict[str, Any] = {}
        if frontier is not None:
            extra = {"frontier": frontier[0], "frontier_summary": frontier[1]}
        return MatchDocument(
            status=self.status.value,
            placed=self.placed,
            placed_crisis=self.placed_crisis,
            total_score=self.total_score,
            bound=self.bound,
            gap=self.gap,
            assignments=[
                AssignmentDoc(child_id=a.child_id, home_id=a.home_id, score=a.score)
                for a in self.assignments
            ],
            unplaced=[
                unplaced_doc(by_child[cid], lang)
                if cid in by_child
                else UnplacedChildDoc(child_id=cid, reasons=[])
                for cid in self.unplaced_ids
            ],
            **extra,
            children=self.children,
            crisis_children=self.crisis_children,
            uitstroom=uitstroom_docs(self.uitstroom, lang),
            gap_stage=self.gap_stage,
            stages=[StageDoc(stage=s.stage, value=s.value, bound=s.bound) for s in self.stages],
            greedy=GreedyDoc(
                placed_crisis=self.greedy.placed_crisis,
                placed=self.greedy.placed,
                total_score=self.greedy.total_score,
            ),
            wall_time_s=round(self.wall_time_s, 3),
            solver=SolverSummary(
                parts=len(self.parts),
                largest_part_pairs=max((p.pairs for p in self.parts), default=0),
                routes=sorted({p.route for p in self.parts}),
                largest_part=dict(max(self.parts, key=lambda p: p.pairs).stats)
                if self.parts
                else {},
            ),
            lang=lang,
        )

    def to_json(self, lang: Lang = "nl") -> dict[str, Any]:
        """:meth:`document` as plain JSON."""
        return self.document(lang).to_json()


def match(
    ctx: Context,
    table: ScoreTable | None = None,
    time_limit: float | None = None,
    options: EngineOptions | None = None,
    explain: bool = True,
) -> MatchResult:
    """The lexicographic optimum of the whole waiting list, proven, or the best found in time.

    With ``time_limit`` (seconds, from this call) the best valid assignment found so far is
    returned with status ``feasible`` and its gap. ``explain`` adds the reasons for every
    unplaced child and what would open a place for it.
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit if time_limit is not None else math.inf
    table = score_all(ctx) if table is None else table
    problem = build_batch(ctx, table)
    chosen_parts: list[IntArray] = []
    parts: list[PartSummary] = []
    bound = [0, 0, 0]
    optimal = True
    for units, homes in problem.components():
        sub, pair_index = problem.subproblem(units, homes)
        res = solve_part(sub, deadline, options)
        chosen_parts.append(pair_index[res.chosen])
        optimal &= res.optimal
        bound[0] += res.bounds.placed_crisis
        bound[1] += res.bounds.placed
        bound[2] += res.bounds.total_score
        parts.append(
            PartSummary(sub.n_units, sub.n_homes, sub.n_pairs, res.route, res.optimal, res.stats)
        )
    chosen = np.sort(np.concatenate(chosen_parts)) if chosen_parts else np.empty(0, dtype=np.int64)
    proven = problem.value(chosen)
    chosen = longer_waiters_first(ctx, problem, chosen)
    if problem.value(chosen) != proven:  # pragma: no cover - exchanges keep every stage
        raise AssertionError("the waiting-time tie-break changed the objective")
    broken = violations(problem, chosen)
    if broken:  # pragma: no cover - a solver bug must never become an answer
        raise AssertionError("batch answer breaks the rules: " + "; ".join(broken[:5]))
    value = problem.value(chosen)
    if optimal:
        bound = [value.placed_crisis, value.placed, value.total_score]
    assignments = _assignments(ctx, table, problem, chosen)
    placed_ids = {a.child_id for a in assignments}
    unplaced_ids = tuple(c.id for c in ctx.scenario.children if c.id not in placed_ids)
    unplaced = _explain(ctx, problem, chosen) if explain else ()
    gap, gap_stage = _gap(value, bound)
    sc = ctx.scenario
    return MatchResult(
        status=Status.OPTIMAL if optimal else Status.FEASIBLE,
        placed=value.placed,
        placed_crisis=value.placed_crisis,
        total_score=value.total_score,
        bound=bound[2],
        gap=gap,
        gap_stage=gap_stage,
        wall_time_s=time.perf_counter() - t0,
        assignments=assignments,
        unplaced=unplaced,
        unplaced_ids=unplaced_ids,
        stages=(
            StageValue("placed_crisis", value.placed_crisis, bound[0]),
            StageValue("placed", value.placed, bound[1]),
            StageValue("total_score", value.total_score, bound[2]),
        ),
        greedy=problem.value(greedy(problem)),
        parts=tuple(parts),
        children=len(sc.children),
        crisis_children=sum(1 for c in sc.children if c.is_crisis),
        uitstroom=uitstroom(ctx, table, {a.child_id: a.home_id for a in assignments}),
    )


def match_json(
    scenario: Scenario, time_limit_s: float | None = None, lang: Lang = "nl"
) -> dict[str, Any]:
    """The ``dichtbij match --json`` document for a scenario (the HTTP service calls this)."""
    ctx = Context.of(scenario)
    return match(ctx, time_limit=time_limit_s).to_json(lang)


def _gap(value: LexValue, bound: list[int]) -> tuple[float, str | None]:
    """Relative gap of the first stage that is not proven optimal (0 when optimal)."""
    stages = (
        ("placed_crisis", value.placed_crisis, bound[0]),
        ("placed", value.placed, bound[1]),
        ("total_score", value.total_score, bound[2]),
    )
    for name, v, b in stages:
        if b > v:
            return round((b - v) / max(1, b), 6), name
    return 0.0, None


def _assignments(
    ctx: Context, table: ScoreTable, problem: Batch, chosen: IntArray
) -> tuple[Assignment, ...]:
    order = np.argsort(table.member_pair, kind="stable")
    start = np.searchsorted(table.member_pair[order], np.arange(table.n_pairs + 1))
    sc = ctx.scenario
    rows: list[Assignment] = []
    for p in chosen.tolist():
        key = int(problem.pair_key[p])
        home = problem.home_ids[problem.pair_home[p]]
        group = problem.unit_members[problem.pair_unit[p]]
        for m in order[start[key] : start[key + 1]].tolist():
            cid = table.child_ids[table.member_child[m]]
            rows.append(
                Assignment(cid, home, int(table.member_score[m]), sc.child(cid).is_crisis, group)
            )
    position = {c.id: i for i, c in enumerate(sc.children)}
    rows.sort(key=lambda a: position[a.child_id])
    return tuple(rows)


def _explain(ctx: Context, problem: Batch, chosen: IntArray) -> tuple[UnplacedChild, ...]:
    sc = ctx.scenario
    units = ctx.units
    placed_units = set(problem.pair_unit[chosen].tolist())
    used = np.bincount(
        problem.pair_home[chosen], weights=problem.pair_beds[chosen], minlength=problem.n_homes
    ).astype(np.int64)
    left = (problem.home_beds - used).tolist()
    # What is left per home, for a unit that takes beds and for one that takes part-time
    # places (the home's part-time row where it counts those apart).
    beds_left = {
        hid: int(left[h]) for h, hid in enumerate(problem.home_ids) if not problem.part_time_row(h)
    }
    part_time_left = dict(beds_left)
    for hid in beds_left:
        counted = sc.home(hid).part_time_places_free
        if counted is not None:  # no part-time row: none of its part-time places is used
            part_time_left[hid] = counted
    part_time_left |= {
        hid: int(left[h]) for h, hid in enumerate(problem.home_ids) if problem.part_time_row(h)
    }
    placed_at: dict[str, tuple[str, ...]] = {}
    chosen_at_home: dict[int, list[int]] = {}
    for p in chosen.tolist():
        h = int(problem.pair_home[p])
        placed_at[problem.home_ids[h]] = (
            placed_at.get(problem.home_ids[h], ()) + problem.unit_members[problem.pair_unit[p]]
        )
        chosen_at_home.setdefault(h, []).append(p)
    chosen_mask = np.zeros(problem.n_pairs, dtype=bool)
    chosen_mask[chosen] = True
    conflict_with: dict[int, list[int]] = {}
    for a, b in problem.conflicts.tolist():
        if chosen_mask[b]:
            conflict_with.setdefault(a, []).append(b)
        if chosen_mask[a]:
            conflict_with.setdefault(b, []).append(a)
    cap_full = problem.cap_left(chosen) <= 0
    crisis = {c.id for c in sc.children if c.is_crisis}
    everything = ReasonIndex(ctx, sc.homes)
    candidates = ReasonIndex(ctx, within=everything)
    beds_places = PlacesLeft.of(everything, beds_left)
    part_time_places = PlacesLeft.of(everything, part_time_left)
    pairs, start = problem.pairs_of_unit
    since = unit_since(ctx, problem)
    out: list[UnplacedChild] = []
    for u in range(problem.n_units):
        if u in placed_units:
            continue
        unit = units[u]
        mine = pairs[start[u] : start[u + 1]]
        mine = mine[np.lexsort((mine, -problem.pair_score[mine]))]
        taken: list[TakenHome] = []
        for p in mine.tolist():
            h = int(problem.pair_home[p])
            there = tuple(
                m
                for q in chosen_at_home.get(h, [])
                for m in problem.unit_members[problem.pair_unit[q]]
            )
            apart = tuple(
                m
                for q in conflict_with.get(p, [])
                for m in problem.unit_members[problem.pair_unit[q]]
            )
            cap = int(problem.pair_cap[p]) if problem.n_caps else -1
            family_living: tuple[str, ...] = ()
            family_there: tuple[str, ...] = ()
            family_limit: int | None = None
            if cap >= 0 and cap_full[cap]:
                # those who live there now (they count as staying) and those who come
                family_living = tuple(living_here(ctx, unit, problem.home_ids[h]))
                family_limit = sc.home(problem.home_ids[h]).max_siblings
                family_there = family_living + tuple(
                    m
                    for q in chosen_at_home.get(h, [])
                    if problem.pair_cap[q] == cap
                    for m in problem.unit_members[problem.pair_unit[q]]
                )
            taken.append(
                TakenHome(
                    home_id=problem.home_ids[h],
                    home_type=sc.home(problem.home_ids[h]).type.value,
                    score=int(problem.pair_score[p]),
                    beds_free=int(problem.home_beds[h]),
                    beds_needed=int(problem.pair_beds[p]),
                    beds_left=int(left[h]),
                    part_time=problem.part_time_row(h),
                    placed=there,
                    placed_crisis=tuple(m for m in there if m in crisis),
                    kept_apart_from=apart,
                    siblings_there=family_there,
                    siblings_living=family_living,
                    max_siblings=family_limit,
                    # The equal units placed there (as solver.waiting_ties judges them)
                    # that came first: the only reason this one is not there.
                    waited_longer=tuple(
                        m
                        for q in chosen_at_home.get(h, [])
                        if since[problem.pair_unit[q]] < since[u] and equal_pairs(problem, q, p)
                        for m in problem.unit_members[problem.pair_unit[q]]
                    ),
                )
            )
        counts: dict[ReasonCode, int] = {}
        if mine.size == 0:
            counts = candidates.excluded_counts(unit)
        opened = unlocks(
            ctx,
            unit,
            everything,
            part_time_places if ctx.takes_part_time(unit) else beds_places,
            placed_at,
        )
        for cid in unit.members:
            out.append(
                UnplacedChild(
                    child_id=cid,
                    unit=unit.members,
                    crisis=cid in crisis,
                    eligible_homes=int(mine.size),
                    homes_considered=len(candidates.homes),
                    excluded_counts=counts,
                    taken=tuple(taken),
                    unlock=opened,
                )
            )
    position = {c.id: i for i, c in enumerate(sc.children)}
    out.sort(key=lambda x: position[x.child_id])
    return tuple(out)
