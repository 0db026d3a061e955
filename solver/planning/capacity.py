"""Where extra beds help most: the ``N`` extra beds in existing homes that place the most
children (crisis children first), found by one exact MILP and verified by matching again.

The model is the batch model over a *widened* scenario, in which every home considered
has ``beds_free + cap`` beds, so that every pair the free beds alone excluded (a sibling
group too big for today's beds) is a column. Beds are the only rule that free beds
change (``max_siblings`` unset means "as many as the beds", and no criterion reads the
beds), so the widened pairs are exactly the pairs that some number of extra beds makes
eligible, with the same points. Per home an integer ``y_h`` (extra beds, ``0..cap``):

- every unit in at most one home, keep-apart pairs never together (as the batch);
- ``sum(beds of the units in h) - y_h <= beds_free_h``;
- ``sum(y_h) <= N``.

Four stages, each proven by HiGHS unless a time limit stops it: the most crisis
children, then the most children, then the fewest extra beds that still place them (a
bed that places nobody new is not worth funding), then the highest total score.
Then the claim is checked the way anyone could: the beds are added to the scenario and
the normal matcher (:func:`solver.match`) runs again; it must place at least as many
(crisis) children, otherwise :class:`UnverifiedClaimError` is raised. Last, whom to
recruit (:mod:`solver.planning.recruitment`), by the same deadline.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from matching.bulk import score_all
from matching.context import Context
from matching.documents import Status
from matching.model import Home, Scenario
from solver.backends import FloatArray
from solver.batch import Batch, IntArray, LexValue, build_batch, violations
from solver.match import MatchResult, match
from solver.planning.deadline import Deadline, solve_milp_on_time
from solver.planning.frontier import assignment_of_pairs, pairs_of_assignment
from solver.planning.recruitment import Profile, recruit
from solver.relaxation import base_rows

__all__ = [
    "CapacityPlan",
    "PlannedBeds",
    "UnverifiedClaimError",
    "capacity",
    "with_extra_beds",
]


class UnverifiedClaimError(RuntimeError):
    """Matching again with the planned beds did not place what the plan claimed."""


@dataclass(frozen=True)
class PlannedBeds:
    home_id: str
    extra_beds: int
    children: tuple[str, ...]
    """The newly placed children these beds make room for (directly or by a chain of moves)."""


@dataclass(frozen=True)
class CapacityPlan:
    beds: int
    plan: tuple[PlannedBeds, ...]
    before: LexValue
    after: LexValue
    verified: LexValue
    """The normal matcher's answer on the scenario with the planned beds added."""
    optimal: bool
    """Every stage of the plan's MILP was proven (no time limit stopped it), and so was the
    list of whom to recruit (:attr:`recruitment_proven`)."""
    counts_proven: bool
    """No ``N`` beds place more crisis children, nor then more children: proven."""
    crisis_proven: bool
    """No ``N`` beds place more crisis children: proven (also on the national route)."""
    newly_placed: tuple[str, ...]
    rearranged: tuple[str, ...]
    """Newly placed children no single home's beds can be credited with."""
    assignment: dict[str, str] = field(default_factory=dict)
    recruitment: tuple[Profile, ...] = ()
    """Profiles of the children no registered home could take, whatever its beds."""
    wall_time_s: float = 0.0
    recruitment_proven: bool = True
    """The recruitment's part-time check was proven: False when the time limit cut it short
    and the plan's own seating decided (the list may name children whom a home could take
    once others moved)."""

    @property
    def extra_placed(self) -> int:
        return self.after.placed - self.before.placed

    @property
    def extra_crisis(self) -> int:
        return self.after.placed_crisis - self.before.placed_crisis

    @property
    def score_gain(self) -> int:
        return self.after.total_score - self.before.total_score

    @property
    def status(self) -> Status:
        """``optimal`` when every stage is proven, else ``feasible``: a valid, verified plan
        that a time limit cut short, the plan's stages or its recruitment check (or the
        national route, which does not prove the count of children)."""
        return Status.OPTIMAL if self.optimal else Status.FEASIBLE


def with_extra_beds(scenario: Scenario, extra: dict[str, int]) -> Scenario:
    """The scenario with ``extra[home_id]`` more free beds in those homes."""
    homes = tuple(
        replace(h, beds_free=h.beds_free + extra[h.id]) if extra.get(h.id) else h
        for h in scenario.homes
    )
    return Scenario.of(
        scenario.reference_date, scenario.policy, homes, scenario.children, scenario.residents
    )


def _considered(ctx: Context, include_full: bool) -> list[Home]:
    return [h for h in ctx.scenario.homes if include_full or ctx.is_candidate(h)]


def capacity(
    ctx: Context,
    beds: int,
    *,
    per_home: int | None = None,
    include_full: bool = False,
    time_limit: float | None = None,
    baseline: MatchResult | None = None,
) -> CapacityPlan:
    """The plan for ``beds`` extra beds, verified by matching again with them added.

    ``per_home`` caps the extra beds of one home (default: ``beds``); ``include_full``
    also considers homes without a free bed today. ``time_limit`` (seconds) bounds the
    whole computation, the match before and the match after included: the plan's stages
    stop early enough to leave the match after twice as long as the match before took. A
    stage stopped by it leaves ``optimal`` False and the best plan found so far stands (at
    worst the match itself: no beds, nobody more placed); the claim is still verified.
    Whom to recruit is checked last, by the same deadline; cut short, it leaves
    ``recruitment_proven`` and ``optimal`` False.
    """
    t0 = time.perf_counter()
    deadline = Deadline.within(time_limit)
    left = deadline.left
    sc = ctx.scenario
    base = baseline or match(ctx, time_limit=left(), explain=False)
    # The match after runs on the same area with a few more beds: it gets twice as long as
    # the match before took, kept free of the plan's stages.
    check_s = 2 * base.wall_time_s
    before = LexValue(base.placed_crisis, base.placed, base.total_score)
    cap = beds if per_home is None else min(beds, per_home)
    homes = _considered(ctx, include_full)
    wide_ctx = Context.of(with_extra_beds(sc, {h.id: cap for h in homes}))
    table = score_all(wide_ctx)
    problem = build_batch(wide_ctx, table)
    # A home that counts part-time places apart has a second row for them (same id): its
    # free places are those, and extra beds never add to them (the widening adds beds).
    part_time = [problem.part_time_row(h) for h in range(problem.n_homes)]
    beds_now = np.array(
        [sc.home(hid).places_for(pt) for hid, pt in zip(problem.home_ids, part_time, strict=True)],
        dtype=np.int64,
    )
    considered = {h.id for h in homes}
    y_upper = np.array(
        [
            cap if hid in considered and not pt else 0
            for hid, pt in zip(problem.home_ids, part_time, strict=True)
        ],
        dtype=float,
    )
    start = pairs_of_assignment(problem, {a.child_id: a.home_id for a in base.assignments})
    room = _Room(problem, beds_now, y_upper, beds, deadline.earlier(check_s))
    if problem.n_pairs > LARGE:
        chosen, optimal, crisis_proven = _large(sc, room, start)
        counts_proven = False
    else:
        chosen, _, optimal, counts_proven = _plan(room, start)
        crisis_proven = counts_proven
    if problem.value(chosen) <= problem.value(start):
        # Nothing gained: the match's own assignment, not an equal one that swaps children
        # (which would list a child as newly placed while nobody more is).
        chosen = start
    after = problem.value(chosen)
    used = np.bincount(
        problem.pair_home[chosen], weights=problem.pair_beds[chosen], minlength=problem.n_homes
    ).astype(np.int64)
    extra = np.maximum(used - beds_now, 0)
    assert int(extra.sum()) <= beds
    assert np.all(extra <= y_upper)
    extra_by_home = {problem.home_ids[h]: int(extra[h]) for h in np.flatnonzero(extra).tolist()}
    assignment = assignment_of_pairs(problem, chosen)
    before_homes = {a.child_id: a.home_id for a in base.assignments}
    credit = _credit(sc, before_homes, assignment, extra_by_home)
    newly = tuple(c.id for c in sc.children if c.id in assignment and c.id not in before_homes)
    credited = {cid for kids in credit.values() for cid in kids}
    plan = tuple(
        PlannedBeds(hid, n, tuple(sorted(credit.get(hid, ()), key=newly.index)))
        for hid, n in sorted(
            extra_by_home.items(), key=lambda kv: (-len(credit.get(kv[0], ())), kv[0])
        )
    )
    # Never less than the match before took: cut short, it could fail a plan that holds.
    rest = left()
    check = match(
        Context.of(with_extra_beds(sc, extra_by_home)),
        time_limit=None if rest is None else max(rest, check_s),
        explain=False,
    )
    verified = LexValue(check.placed_crisis, check.placed, check.total_score)
    claim = (after.placed_crisis, after.placed)
    if (verified.placed_crisis, verified.placed) < claim:
        raise UnverifiedClaimError(
            f"with the planned beds the matcher places {verified.placed} children "
            f"({verified.placed_crisis} crisis), the plan claimed {after.placed} "
            f"({after.placed_crisis} crisis)"
        )
    if verified > after:
        # The matcher did better with the same beds (the plan was cut short by its time
        # limit): its assignment is a real, checked one, so the plan claims that.
        after = verified
        assignment = {a.child_id: a.home_id for a in check.assignments}
        credit = _credit(sc, before_homes, assignment, extra_by_home)
        newly = tuple(c.id for c in sc.children if c.id in assignment and c.id not in before_homes)
        credited = {cid for kids in credit.values() for cid in kids}
        order = sorted(extra_by_home, key=lambda hid: (-len(credit.get(hid, ())), hid))
        plan = tuple(
            PlannedBeds(
                hid, extra_by_home[hid], tuple(sorted(credit.get(hid, ()), key=newly.index))
            )
            for hid in order
        )
    recruited = recruit(
        ctx, (c.id for c in sc.children if c.id not in assignment), assignment, deadline
    )
    return CapacityPlan(
        beds=beds,
        plan=plan,
        before=before,
        after=after,
        verified=verified,
        optimal=optimal and base.status.value == "optimal" and recruited.proven,
        counts_proven=counts_proven and base.status.value == "optimal",
        crisis_proven=crisis_proven and base.status.value == "optimal",
        newly_placed=newly,
        rearranged=tuple(c for c in newly if c not in credited),
        assignment=assignment,
        recruitment=recruited.profiles,
        wall_time_s=time.perf_counter() - t0,
        recruitment_proven=recruited.proven,
    )


LARGE = 20_000
"""Above this many pairs the plan starts from the direct placements (:func:`_direct`)."""


@dataclass(frozen=True)
class _Room:
    """Where a plan may add beds: per home of ``problem`` its free beds now and the most
    extra beds it may get (``y_upper``), ``budget`` extra beds in all, and the
    ``deadline`` of the plan's stages."""

    problem: Batch
    beds_now: IntArray
    y_upper: FloatArray
    budget: int
    deadline: Deadline


def _large(sc: Scenario, room: _Room, start: IntArray) -> tuple[IntArray, bool, bool]:
    """The route for a national batch (the answer, ``False``: not proven, and whether the
    crisis count is), where "most children" over every pair and bed
    stalls HiGHS: the most crisis children any ``budget`` beds can place (exact on the
    whole model, seconds), the matcher's own optimum with those beds, then the beds left
    on the best direct placements of the children still unplaced. Not proven best in the
    number of children; the claim is verified all the same."""
    problem = room.problem
    chosen, _, crisis_proven, _ = _plan(room, start, stages=1)
    used = np.bincount(
        problem.pair_home[chosen], weights=problem.pair_beds[chosen], minlength=problem.n_homes
    ).astype(np.int64)
    extra = np.maximum(used - room.beds_now, 0)
    beds_of = {problem.home_ids[h]: int(extra[h]) for h in np.flatnonzero(extra).tolist()}
    res = match(
        Context.of(with_extra_beds(sc, beds_of)), time_limit=room.deadline.left(), explain=False
    )
    try:
        start = pairs_of_assignment(problem, {a.child_id: a.home_id for a in res.assignments})
    except KeyError:  # a pair the widened model lacks (full homes): keep the MILP's answer
        start = chosen
    if problem.value(start) < problem.value(chosen):
        start = chosen
    rest = room.budget - int(extra.sum())
    if rest > 0:
        widened = replace(
            room, beds_now=room.beds_now + extra, y_upper=room.y_upper - extra, budget=rest
        )
        start = _direct(widened, start)
    return start, False, crisis_proven


def _direct(room: _Room, start: IntArray) -> IntArray:
    """``start`` (the match) plus the best extra placements of the children it left
    unplaced, with everyone in ``start`` staying where they are."""
    problem = room.problem
    placed = np.zeros(problem.n_units, dtype=bool)
    placed[problem.pair_unit[start]] = True
    units = np.flatnonzero(~placed & (problem.unit_degree > 0)).astype(np.int64)
    if units.size == 0:
        return start
    used = np.bincount(
        problem.pair_home[start], weights=problem.pair_beds[start], minlength=problem.n_homes
    ).astype(np.int64)
    homes = np.arange(problem.n_homes, dtype=np.int64)
    sub, keep = problem.subproblem(units, homes)
    # A pair that would share a home with a kept-apart child the match placed there, or
    # pass a sibling cap that the match's brothers and sisters fill: out.
    x_upper = np.ones(sub.n_pairs)
    x_upper[problem.closed_by(start)[keep]] = 0.0
    if problem.n_caps:  # brothers and sisters the match placed there count against a cap
        sub = replace(sub, cap_limit=np.maximum(problem.cap_left(start), 0))
    sub_room = replace(room, problem=sub, beds_now=room.beds_now - used)
    chosen, _, _, _ = _plan(sub_room, np.empty(0, dtype=np.int64), x_upper)
    return np.sort(np.concatenate([start, keep[chosen]])).astype(np.int64)


def _plan(
    room: _Room, start: IntArray, x_upper: FloatArray | None = None, stages: int = 4
) -> tuple[IntArray, IntArray, bool, bool]:
    """The lexicographic stages over ``[x pairs | y homes]``: the chosen pairs, the extra
    beds per home, whether every stage was proven and whether the counts were. ``start``
    may use extra beds (within the budget); ``x_upper`` 0 forbids a pair."""
    problem, beds_now, y_upper, budget = room.problem, room.beds_now, room.y_upper, room.budget
    n, m = problem.n_pairs, problem.n_homes
    units = problem.pair_unit
    base = base_rows(problem)
    # base rows: units, homes (beds), conflicts; the home rows get -y_h.
    y_cols = sp.csr_matrix(
        (
            -np.ones(m),
            (problem.n_units + np.arange(m), np.arange(m)),
        ),
        shape=(base.n_rows, m),
    )
    crisis = np.concatenate([problem.unit_crisis[units].astype(float), np.zeros(m)])
    placed = np.concatenate([problem.unit_size[units].astype(float), np.zeros(m)])
    score = np.concatenate([problem.pair_score.astype(float), np.zeros(m)])
    budget_row = np.concatenate([np.zeros(n), np.ones(m)])
    matrix = sp.vstack(
        [
            sp.hstack([base.matrix, y_cols]),
            sp.csr_matrix(budget_row.reshape(1, -1)),
            sp.csr_matrix(crisis.reshape(1, -1)),
            sp.csr_matrix(placed.reshape(1, -1)),
        ]
    ).tocsr()
    rhs = base.rhs.copy()
    rhs[problem.n_units : problem.n_units + m] = beds_now
    upper = np.concatenate([rhs, [float(budget), math.inf, math.inf]])
    lower = np.full(upper.size, -math.inf)
    lower[-2:] = 0.0
    var_upper = np.concatenate([np.ones(n) if x_upper is None else x_upper, y_upper])
    hint = np.zeros(n + m)
    hint[start] = 1.0
    used = np.bincount(
        problem.pair_home[start], weights=problem.pair_beds[start], minlength=m
    ).astype(np.int64)
    hint[n:] = np.maximum(used - beds_now, 0)
    fewest_beds = -np.concatenate([np.zeros(n), np.ones(m)])
    proven = counts_proven = True
    # Measured nationally: "most crisis children" alone is proven in seconds, while one
    # weighted objective (children + 1) * crisis + placed had no bound after 55 s.
    for stage, objective in enumerate((crisis, placed, fewest_beds, score)[:stages]):
        share = room.deadline.share(stages - stage)
        res = solve_milp_on_time(objective, matrix, lower, upper, var_upper, share, hint)
        if (
            res.values is not None
            and float(objective @ res.values) >= float(objective @ hint)
            and _valid(problem, res.values, beds_now, int(upper[-3]), lower, matrix)
        ):
            hint = res.values.astype(float)
        proven &= res.optimal
        if stage < 2:
            counts_proven &= res.optimal
        # Keep what this stage reached while the next one optimises the next criterion.
        reached = float(objective @ hint)
        if stage == 0:
            lower[-2] = reached
        elif stage == 1:
            lower[-1] = reached
        elif stage == 2:
            upper[-3] = -reached  # no more beds than the children placed need
    x = np.flatnonzero(hint[:n] > 0.5).astype(np.int64)
    y = np.rint(hint[n:]).astype(np.int64)
    return x, y, proven, counts_proven


def _valid(
    problem: Batch,
    values: IntArray,
    beds_now: IntArray,
    budget: int,
    lower: FloatArray,
    matrix: sp.csr_matrix,
) -> bool:
    """The solver's answer checked in exact integers: the batch rules with the extra beds
    it chose, the budget, and the counts the earlier stages reached."""
    n = problem.n_pairs
    x = np.flatnonzero(values[:n] > 0)
    y = values[n:]
    if np.any(values < 0) or np.any(values[:n] > 1) or int(y.sum()) > budget:
        return False
    if violations(replace(problem, home_beds=beds_now + y), x):
        return False
    counts = matrix[-2:] @ values
    return bool(np.all(counts >= lower[-2:] - 1e-9))


def _credit(
    sc: Scenario,
    before: dict[str, str],
    after: dict[str, str],
    extra: dict[str, int],
) -> dict[str, list[str]]:
    """Which home's extra beds make room for each newly placed child.

    A newly placed child in a home with extra beds is credited to it. One placed in a
    home without them took a bed that someone placed there before left: follow that
    child to its new home, and so on, until a home with extra beds (a chain of moves).
    """
    leavers: dict[str, list[str]] = {}
    for cid, hid in before.items():
        if after.get(cid) != hid:
            leavers.setdefault(hid, []).append(cid)
    credit: dict[str, list[str]] = {}
    for c in sc.children:
        if c.id not in after or c.id in before:
            continue
        home = after[c.id]
        seen = {home}
        while home not in extra:
            nxt = next(
                (after[m] for m in leavers.get(home, []) if m in after and after[m] not in seen),
                None,
            )
            if nxt is None:
                break
            home = nxt
            seen.add(home)
        if home in extra:
            credit.setdefault(home, []).append(c.id)
    return credit
