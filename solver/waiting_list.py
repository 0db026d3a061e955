"""Ranked options that see the waiting list: what taking one option does to the others.

For a child's ranked options (the homes of ``dichtbij rank``), only the children who could
also use one of those homes compete with it. This module solves that part of the batch
twice per option: once with the child free (the batch optimum of the part) and once with
the option taken. The difference, for the other children, is the option's effect:
children who would no longer be placed, crisis children among them, points lost, and who
moves where. Each competitor keeps its best eligible home outside these options as an
alternative (held free for it), so the effect is the first-order one: who loses out
directly on these homes. A warning names any child that the option would leave with no
eligible home at all, whatever the rest of the batch does.

Only the competing children and the option homes are scored (on a sub-scenario with
every sibling group and every current resident kept whole, so the scores are those of
the full scenario), which keeps a national instance well under a second.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from matching.bulk import ScoreTable, score_all
from matching.context import Context
from matching.documents import Move as MoveDoc
from matching.documents import RankDocument, WaitingList, WaitingListEffect
from matching.explain import Lang
from matching.model import Scenario
from matching.ranking import RankResult
from matching.rules.eligibility.siblings import living_here
from solver.batch import Batch, IntArray, LexValue, sibling_caps
from solver.engine import solve_part

__all__ = [
    "OptionEffect",
    "WaitingListEffects",
    "effect_text",
    "waiting_list_effects",
    "with_effects",
]


@dataclass(frozen=True)
class Move:
    """A competing unit that the option moves: from a home to another, or out (``None``)."""

    children: tuple[str, ...]
    from_home: str | None
    to_home: str | None


@dataclass(frozen=True)
class OptionEffect:
    """What taking ``home_id`` for the child does to the other children of its part."""

    home_id: str
    others_placed: int
    others_placed_crisis: int
    others_score: int
    unplaced: tuple[str, ...]
    unplaced_crisis: tuple[str, ...]
    moves: tuple[Move, ...]
    no_eligible_home_left: tuple[str, ...]


@dataclass(frozen=True)
class WaitingListEffects:
    """Per option its effect, plus the size of the part that was re-solved."""

    child_id: str
    competitors: int
    """Other children who could use one of the options."""
    contested: int
    """Of those, the ones for whom an option beats their best other home: re-solved."""
    homes: int
    effects: tuple[OptionEffect, ...]
    time_s: float


def _sub_scenario(sc: Scenario, child_ids: set[str], home_ids: Sequence[str] | None) -> Scenario:
    """Some children and some homes, closed so that every rule and score stays the same.

    Added: every current resident (beds and keep-apart depend on who lives where), whole
    sibling groups (units and bonuses depend on them) and keep-apart partners (the rules
    look them up). A brother or sister named who is a :class:`~matching.model.Resident`
    (placed, while this child waits again after its own placement ended) stays in the
    scenario's residents, and has no siblings of its own to follow.
    """
    wanted = set(child_ids)
    wanted.update(c.id for c in sc.children if c.current_home is not None)
    listed_by: dict[str, set[str]] = {}
    for c in sc.children:
        for s in c.siblings | c.keep_apart:
            listed_by.setdefault(s, set()).add(c.id)
    frontier = set(wanted)
    while frontier:
        extra: set[str] = set()
        for cid in frontier:
            child = sc.child_by_id.get(cid)
            if child is not None:
                extra |= child.siblings | child.keep_apart
            extra |= listed_by.get(cid, set())
        frontier = extra - wanted
        wanted |= frontier
    children = tuple(c for c in sc.children if c.id in wanted)
    homes = sc.homes if home_ids is None else tuple(sc.home(h) for h in home_ids)
    return Scenario.of(sc.reference_date, sc.policy, homes, children, sc.residents)


def _pairs_by_unit(
    table: ScoreTable, part_time: bool
) -> dict[tuple[str, ...], list[tuple[str, int, int]]]:
    """unit members -> [(home_id, pair score, beds)], for the pairs that take the same kind
    of place as a unit that comes (``part_time``) or not for part-time care: where a home
    counts part-time places apart, a part-time child and a full-time child never compete."""
    out: dict[tuple[str, ...], list[tuple[str, int, int]]] = {}
    home_ids = [h.id for h in table.homes]
    counts_apart = [h.part_time_places_free is not None for h in table.homes]
    for u, h, score, b, pt in zip(
        table.pair_unit.tolist(),
        table.pair_home.tolist(),
        table.pair_score.tolist(),
        table.pair_beds.tolist(),
        table.pair_part_time.tolist(),
        strict=True,
    ):
        if pt != (part_time and counts_apart[h]):
            continue
        out.setdefault(table.units[u].members, []).append((home_ids[h], score, b))
    return out


class _Alternatives:
    """Per unit (of a scored sub-scenario): its best home outside the options, and the
    units that have a single eligible home at all (which one option could take away)."""

    def __init__(self, table: ScoreTable, options: Sequence[str]) -> None:
        ids = np.array([h.id for h in table.homes], dtype=object)
        in_options = np.isin(ids, np.array(list(options), dtype=object))[table.pair_home]
        degree = np.bincount(table.pair_unit, minlength=len(table.units))
        self.best_outside: dict[tuple[str, ...], tuple[str, int, int]] = {}
        outside = np.flatnonzero(~in_options)
        order = outside[np.lexsort((-table.pair_score[outside], table.pair_unit[outside]))]
        first = order[np.r_[True, np.diff(table.pair_unit[order]) != 0]] if order.size else order
        for p in first.tolist():
            unit = table.units[table.pair_unit[p]].members
            self.best_outside[unit] = (
                str(ids[table.pair_home[p]]),
                int(table.pair_score[p]),
                int(table.pair_beds[p]),
            )
        self.only_home: dict[tuple[str, ...], tuple[str, int]] = {}
        for p in np.flatnonzero(degree[table.pair_unit] == 1).tolist():
            unit = table.units[table.pair_unit[p]].members
            self.only_home[unit] = (str(ids[table.pair_home[p]]), int(table.pair_beds[p]))


def _contested(
    unit: tuple[str, ...],
    on_options: dict[tuple[str, ...], list[tuple[str, int, int]]],
    wide: _Alternatives,
) -> bool:
    """Whether an option beats the unit's best other home.

    A competitor whose best other home scores at least as well as every option can take
    that home in an optimum whatever the child does, so leaving it out changes no
    effect, only the size of the problem (most competitors, nationally).
    """
    outside = wide.best_outside.get(unit)
    return outside is None or max(x[1] for x in on_options[unit]) > outside[1]


def waiting_list_effects(
    ctx: Context, ranked: RankResult, top: int | None = 10, time_limit: float | None = None
) -> WaitingListEffects:
    """The effect on the other waiting children of each of the first ``top`` options."""
    t0 = time.perf_counter()
    deadline = t0 + time_limit if time_limit is not None else math.inf
    sc = ctx.scenario
    me = ranked.unit.members
    options = [pa.home.id for pa in (ranked.options if top is None else ranked.options[:top])]
    if not options:
        return WaitingListEffects(ranked.child_id, 0, 0, 0, (), time.perf_counter() - t0)

    # Who else could use one of these homes: score every child against the option homes.
    near = score_all(Context(_sub_scenario(sc, {c.id for c in sc.children}, options), ctx.table))
    part_time = ctx.takes_part_time(ranked.unit)
    on_options = _pairs_by_unit(near, part_time)
    competitors = [u for u in on_options if u != me]
    # Their (and the child's) other homes: score those children against every home.
    wanted = {cid for u in [me, *competitors] for cid in u}
    wide = _Alternatives(score_all(Context(_sub_scenario(sc, wanted, None), ctx.table)), options)

    units = [me, *[u for u in competitors if _contested(u, on_options, wide)]]
    option_index = {h: i for i, h in enumerate(options)}
    home_ids = list(options)
    home_beds = [sc.home(h).places_for(part_time) for h in options]
    pair_unit: list[int] = []
    pair_home: list[int] = []
    pair_score: list[int] = []
    pair_beds: list[int] = []

    def add(ui: int, h: int, score: int, b: int) -> None:
        pair_unit.append(ui)
        pair_home.append(h)
        pair_score.append(score)
        pair_beds.append(b)

    for ui, u in enumerate(units):
        for hid, score, b in on_options.get(u, []):
            add(ui, option_index[hid], score, b)
        outside = wide.best_outside.get(u)
        if outside is not None:
            # The unit's best other home, held free for it: its alternative to these homes.
            hid, score, b = outside
            home_ids.append(hid)
            home_beds.append(b)
            add(ui, len(home_ids) - 1, score, b)
    crisis = {c.id for c in sc.children if c.is_crisis}
    apart = _apart_pairs(ctx, units)
    problem = _problem(
        units, crisis, sc, home_ids, home_beds, pair_unit, pair_home, pair_score, pair_beds, apart
    )
    # Brothers and sisters placed apart who compete for one option home: no more of them
    # there than its max_siblings (an outside home is each unit's own row: no cap).
    max_siblings = [sc.home(h).max_siblings for h in options] + [None] * (
        len(home_ids) - len(options)
    )
    pair_cap, cap_limit = sibling_caps(
        ctx, units, problem.pair_unit, problem.pair_home, max_siblings, home_ids
    )
    problem = replace(problem, pair_cap=pair_cap, cap_limit=cap_limit)

    # Its brothers and sisters placed apart: a home whose max_siblings the child fills
    # (with the family living there) is as closed to them as to a child kept apart from it.
    family = {
        ui
        for ui, u in enumerate(units)
        if ui and ranked.unit.split_from_siblings and ctx.unit_of[u[0]].group == ranked.unit.group
    }
    base = solve_part(problem, deadline)
    base_at = _where(problem, base.chosen)
    mine = [p for p in base.chosen.tolist() if problem.pair_unit[p] == 0]
    base_others = _minus(problem.value(base.chosen), problem.value(np.array(mine, dtype=np.int64)))

    effects: list[OptionEffect] = []
    for h, hid in enumerate(options):
        p_me = next(
            (
                i
                for i in range(problem.n_pairs)
                if problem.pair_unit[i] == 0 and problem.pair_home[i] == h
            ),
            None,
        )
        if p_me is None:  # pragma: no cover - an option is an eligible pair by definition
            continue
        forced = _force(problem, p_me, apart)
        res = solve_part(forced, deadline)
        after = forced.value(res.chosen)
        after_at = _where(forced, res.chosen)
        lost = [u for u in range(1, len(units)) if u in base_at and u not in after_at]
        moves = tuple(
            Move(units[u], base_at.get(u), after_at.get(u))
            for u in range(1, len(units))
            if base_at.get(u) != after_at.get(u)
        )
        effects.append(
            OptionEffect(
                home_id=hid,
                others_placed=after.placed - base_others.placed,
                others_placed_crisis=after.placed_crisis - base_others.placed_crisis,
                others_score=after.total_score - base_others.total_score,
                unplaced=tuple(m for u in lost for m in units[u]),
                unplaced_crisis=tuple(m for u in lost for m in units[u] if m in crisis),
                moves=moves,
                no_eligible_home_left=_stranded(
                    units,
                    wide,
                    hid,
                    sc.home(hid).places_for(part_time),
                    int(problem.pair_beds[p_me]),
                    apart | _closed_to_family(ctx, ranked, hid, units, family),
                ),
            )
        )
    return WaitingListEffects(
        ranked.child_id,
        len(competitors),
        len(units) - 1,
        len(options),
        tuple(effects),
        time.perf_counter() - t0,
    )


def _apart_pairs(ctx: Context, units: list[tuple[str, ...]]) -> set[tuple[int, int]]:
    index = {m: i for i, u in enumerate(units) for m in u}
    out: set[tuple[int, int]] = set()
    for i, u in enumerate(units):
        for m in u:
            for other in ctx.keep_apart.get(m, ()):
                j = index.get(other)
                if j is not None and j != i:
                    out.add((min(i, j), max(i, j)))
    return out


def _problem(
    units: list[tuple[str, ...]],
    crisis: set[str],
    sc: Scenario,
    home_ids: list[str],
    home_beds: list[int],
    pair_unit: list[int],
    pair_home: list[int],
    pair_score: list[int],
    pair_beds: list[int],
    apart: set[tuple[int, int]],
) -> Batch:
    position = {c.id: i for i, c in enumerate(sc.children)}
    at: dict[tuple[int, int], int] = {
        (u, h): i for i, (u, h) in enumerate(zip(pair_unit, pair_home, strict=True))
    }
    conflicts = [
        (i, at[(b, h)])
        for a, b in sorted(apart)
        for (u, h), i in at.items()
        if u == a and (b, h) in at
    ]
    return Batch(
        unit_members=tuple(units),
        unit_size=np.array([len(u) for u in units], dtype=np.int64),
        unit_crisis=np.array([sum(m in crisis for m in u) for u in units], dtype=np.int64),
        unit_arrival=np.array([min(position[m] for m in u) for u in units], dtype=np.int64),
        home_ids=tuple(home_ids),
        home_beds=np.array(home_beds, dtype=np.int64),
        pair_unit=np.array(pair_unit, dtype=np.int64),
        pair_home=np.array(pair_home, dtype=np.int64),
        pair_score=np.array(pair_score, dtype=np.int64),
        pair_beds=np.array(pair_beds, dtype=np.int64),
        conflicts=np.array(conflicts, dtype=np.int64).reshape(-1, 2),
    )


def _force(problem: Batch, p_me: int, apart: set[tuple[int, int]]) -> Batch:
    """The part without the child's unit, its option's beds taken, kept-apart units out."""
    h = int(problem.pair_home[p_me])
    beds = problem.home_beds.copy()
    beds[h] -= int(problem.pair_beds[p_me])
    banned = np.array([b for a, b in apart if a == 0], dtype=np.int64)
    keep = (problem.pair_unit != 0) & ~(
        (problem.pair_home == h) & np.isin(problem.pair_unit, banned)
    )
    renumber = np.full(problem.n_pairs, -1, dtype=np.int64)
    renumber[keep] = np.arange(int(keep.sum()))
    cap_limit = problem.cap_limit.copy()
    if problem.n_caps and problem.pair_cap[p_me] >= 0:  # the child itself is one of them
        cap_limit[problem.pair_cap[p_me]] -= 1
    conflicts = problem.conflicts
    if conflicts.size:
        both = keep[conflicts[:, 0]] & keep[conflicts[:, 1]]
        conflicts = renumber[conflicts[both]]
    return replace(
        problem,
        home_beds=beds,
        pair_unit=problem.pair_unit[keep],
        pair_home=problem.pair_home[keep],
        pair_score=problem.pair_score[keep],
        pair_beds=problem.pair_beds[keep],
        conflicts=conflicts.reshape(-1, 2),
        pair_key=problem.pair_key[keep] if problem.pair_key.size else problem.pair_key,
        pair_cap=problem.pair_cap[keep] if problem.n_caps else problem.pair_cap,
        cap_limit=cap_limit,
    )


def _where(problem: Batch, chosen: IntArray) -> dict[int, str]:
    return {
        int(problem.pair_unit[p]): problem.home_ids[problem.pair_home[p]] for p in chosen.tolist()
    }


def _minus(a: LexValue, b: LexValue) -> LexValue:
    return LexValue(
        a.placed_crisis - b.placed_crisis, a.placed - b.placed, a.total_score - b.total_score
    )


def _closed_to_family(
    ctx: Context,
    ranked: RankResult,
    home_id: str,
    units: list[tuple[str, ...]],
    family: set[int],
) -> set[tuple[int, int]]:
    """The brothers and sisters (placed apart) for whom the child in ``home_id`` leaves no
    room there, as pairs with the child (unit 0): those who live there now and the child
    fill the home's ``max_siblings``. A sibling who lives there itself stays, room or not."""
    limit = ctx.scenario.home(home_id).max_siblings
    if limit is None or not family:
        return set()
    there = len(living_here(ctx, ranked.unit, home_id))
    if there + ranked.unit.size < limit:
        return set()
    return {(0, ui) for ui in family if home_id not in ctx.lives_in.get(units[ui][0], ())}


def _stranded(
    units: list[tuple[str, ...]],
    wide: _Alternatives,
    home_id: str,
    beds_free: int,
    p_beds: int,
    apart: set[tuple[int, int]],
) -> tuple[str, ...]:
    """Children for whom this option leaves no eligible home at all (by the rules alone).

    Only a unit whose one eligible home is this option can lose every home: the option
    takes beds it needs, or puts a child it must be kept apart from there (``apart``: a
    brother or sister in a home that takes one child of a family counts so too).
    """
    out: list[str] = []
    for ui in range(1, len(units)):
        only = wide.only_home.get(units[ui])
        if only is None or only[0] != home_id:
            continue
        if beds_free - p_beds < only[1] or (0, ui) in apart:
            out.extend(units[ui])
    return tuple(out)


def effect_text(effect: OptionEffect, lang: Lang = "nl", prefix: bool = True) -> str:
    """The effect in one or two sentences, and a warning where it leaves a child stranded."""
    parts: list[str] = []
    if effect.others_placed < 0:
        who = ", ".join(
            m + (" (crisis)" if m in effect.unplaced_crisis else "") for m in effect.unplaced
        )
        k = -effect.others_placed
        if lang == "nl":
            parts.append(
                f"{k} {'ander kind' if k == 1 else 'andere kinderen'} minder geplaatst ({who})"
            )
        else:
            parts.append(f"{k} other {'child' if k == 1 else 'children'} fewer placed ({who})")
    if effect.others_score != 0 or not parts:
        pts = effect.others_score
        if lang == "nl":
            parts.append(
                "geen verschil voor de andere wachtende kinderen"
                if pts == 0 and not parts
                else f"de anderen samen {abs(pts)} punten {'minder' if pts < 0 else 'meer'}"
            )
        else:
            parts.append(
                "no difference for the other waiting children"
                if pts == 0 and not parts
                else f"the others {abs(pts)} points {'fewer' if pts < 0 else 'more'} in total"
            )
    moved = [m for m in effect.moves if m.to_home is not None and m.from_home is not None]
    if moved:
        shown = "; ".join(f"{'+'.join(m.children)} {m.from_home} → {m.to_home}" for m in moved[:3])
        parts.append(("verschuivingen: " if lang == "nl" else "moves: ") + shown)
    body = "; ".join(parts)
    head = (
        ("Effect op de wachtlijst: " if lang == "nl" else "Effect on the waiting list: ")
        if prefix
        else ""
    )
    text = head + (body if prefix else body[:1].upper() + body[1:]) + "."
    if effect.no_eligible_home_left:
        names = ", ".join(effect.no_eligible_home_left)
        verb = "houdt" if len(effect.no_eligible_home_left) == 1 else "houden"
        text += (
            f" Let op: {names} {verb} dan geen enkele geschikte woonplek over."
            if lang == "nl"
            else f" Warning: {names} would then have no eligible home at all."
        )
    return text


def with_effects(
    doc: RankDocument, ctx: Context, ranked: RankResult, lang: Lang
) -> tuple[RankDocument, set[str]]:
    """The rank document (``ranked.document``) with each option's ``waiting_list_effect``
    and a ``waiting_list`` summary, and the other children the effects name: only a
    coordinator of their organisation may read them.
    """
    effects = waiting_list_effects(ctx, ranked, top=len(doc.options))
    by_home = {e.home_id: e for e in effects.effects}
    options = [
        option
        if (e := by_home.get(option.home_id)) is None
        else option.model_copy(update={"waiting_list_effect": _effect_doc(e, lang)})
        for option in doc.options
    ]
    summary = WaitingList(
        competitors=effects.competitors,
        contested=effects.contested,
        homes=effects.homes,
        time_s=round(effects.time_s, 3),
    )
    named: set[str] = set()
    for e in effects.effects:
        named.update(e.unplaced, e.no_eligible_home_left, *(m.children for m in e.moves))
    return doc.model_copy(update={"options": options, "waiting_list": summary}), named


def _effect_doc(e: OptionEffect, lang: Lang) -> WaitingListEffect:
    return WaitingListEffect(
        others_placed=e.others_placed,
        others_placed_crisis=e.others_placed_crisis,
        others_score=e.others_score,
        unplaced=list(e.unplaced),
        unplaced_crisis=list(e.unplaced_crisis),
        moves=[
            MoveDoc(children=list(m.children), from_=m.from_home, to=m.to_home) for m in e.moves
        ],
        no_eligible_home_left=list(e.no_eligible_home_left),
        text=effect_text(e, lang),
        short=effect_text(e, lang, prefix=False),
    )
