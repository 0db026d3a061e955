"""Whom to recruit (kindgerichte werving): the children no registered home could take even
with extra beds, grouped into profiles of a family that could take each of them.

A child counts when no home in the scenario, free or full, is eligible for its placement
unit with as many extra beds as the unit needs: its age, needs, kind of care, distance or
a sibling group that no ``max_siblings`` allows rule out every home there is. Extra beds
cannot help such a child; a new family can.

A child also counts when its unit comes for part-time care and every home that could take
it counts part-time places apart (``part_time_places_free``), and no way of seating the
children the plan places (each with as many extra beds as it likes) leaves such a place
for it. Extra beds never add part-time places (:mod:`solver.planning.capacity`), so
neither do they here: a place another child takes is not free.

Profiles group these children by the parents' municipality (``None`` for a confidential
placement, whose parents' area must not be used), the kind of care and the kind of home
to recruit, then by age, at most :data:`AGE_SPAN` years apart, so that one family could
take any child of its profile. A profile's ``needs`` is the highest level per domain and
``siblings`` the largest group that must live together.

The part-time check is an exact MILP with the plan's deadline: cut short, the plan's own
seating decides (nobody moves) and :attr:`Recruitment.proven` is False, so that the
answer does not claim a list it did not prove.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from matching.bulk import score_all
from matching.context import Context
from matching.model import CARE_DOMAINS, Child, HomeType, Scenario
from matching.siblings import Unit
from solver.batch import build_batch
from solver.planning.deadline import Deadline, solve_milp_on_time
from solver.relaxation import base_rows

__all__ = ["AGE_SPAN", "Profile", "Recruitment", "no_home_at_all", "recruit", "recruitment"]

AGE_SPAN = 6
"""The widest age range of one profile, in years: a family recruited for toddlers is not
the family for teenagers."""

#: Beds added to every home when asking whether any home could take a unit at all: more
#: than any sibling group needs.
_ENOUGH_BEDS = 50


@dataclass(frozen=True)
class Profile:
    municipality: str | None
    municipality_name: str | None
    care_kind: str
    home_type: str
    age_min: int
    age_max: int
    needs: dict[str, int]
    siblings: int
    children: tuple[str, ...]


@dataclass(frozen=True)
class Recruitment:
    """Whom to recruit, and whether the list is proven."""

    profiles: tuple[Profile, ...]
    proven: bool
    """The part-time check, where there was one, was solved to optimality. False: a time
    limit cut it short and the plan's own seating decided, so the list may name children
    whom a home could take once children placed now moved to a bed."""


def _units_only(ctx: Context, child_ids: set[str]) -> Scenario:
    """The scenario with only these children (whole units), every home and ample beds.

    Sibling links are rewritten to each child's own placement unit, so that a group
    that may be split stays split and one that may not stays whole.
    """
    sc = ctx.scenario
    kids = []
    for c in sc.children:
        if c.id not in child_ids:
            continue
        unit = ctx.unit_of[c.id]
        kids.append(replace(c, siblings=frozenset(m for m in unit.members if m != c.id)))
    homes = tuple(replace(h, beds_free=h.beds_free + _ENOUGH_BEDS) for h in sc.homes)
    return Scenario.of(sc.reference_date, sc.policy, homes, tuple(kids), sc.residents)


def no_home_at_all(
    ctx: Context,
    child_ids: Iterable[str],
    placed: Mapping[str, str] | None = None,
    time_limit: float | None = None,
) -> list[Unit]:
    """The units among these children that no registered home could take, whatever its beds.

    With ``placed`` (child id to home id: the plan's placements, which these children are
    not in), also the units that only part-time places could take, where seating the
    placed children, each in any home that could take it with as many extra beds as
    needed, leaves no part-time place for them."""
    units, _ = _no_home(ctx, child_ids, placed, Deadline.within(time_limit))
    return units


def _no_home(
    ctx: Context,
    child_ids: Iterable[str],
    placed: Mapping[str, str] | None,
    deadline: Deadline,
) -> tuple[list[Unit], bool]:
    """:func:`no_home_at_all` by ``deadline``, and whether its part-time check is proven."""
    wanted = set(child_ids)
    units = [u for u in ctx.units if u.members[0] in wanted]
    if not units:
        return [], True
    members = {m for u in units for m in u.members}
    wide = Context.of(_units_only(ctx, members))
    table = score_all(wide)
    has_pair = {table.units[u].members for u in set(table.pair_unit.tolist())}
    # Units with a pair that takes beds: extra beds can place them.
    bedded = {table.units[u].members for u in set(table.pair_unit[~table.pair_part_time].tolist())}
    part_only = [u for u in units if u.members in has_pair and u.members not in bedded]
    out = {u.members for u in units if u.members not in has_pair}
    proven = True
    if part_only and placed is not None:
        waiting, proven = _no_part_time_place(ctx, part_only, placed, deadline)
        out |= waiting
    return [u for u in units if u.members in out], proven


def _no_part_time_place(
    ctx: Context, waiting: list[Unit], placed: Mapping[str, str], deadline: Deadline
) -> tuple[set[tuple[str, ...]], bool]:
    """Which of the ``waiting`` units (each only part-time places can take) get no place in
    the best seating, with ample beds everywhere, of them and of every placed unit that
    takes a part-time place now; the placed ones must all stay placed, though each may
    move (to a bed, or another part-time place) to make room. Exact (HiGHS), and whether
    that is proven; if it has no answer in time, the plan's own seating decides (nobody
    moves)."""
    sc = ctx.scenario
    holders = [
        u
        for u in ctx.units
        if u.members[0] in placed
        and ctx.takes_part_time(u)
        and sc.home(placed[u.members[0]]).part_time_places_free is not None
    ]
    members = {m for u in (*waiting, *holders) for m in u.members}
    wide = Context.of(_units_only(ctx, members))
    problem = build_batch(wide, score_all(wide))
    rows = base_rows(problem)
    index = {m: i for i, m in enumerate(problem.unit_members)}
    held = np.zeros(problem.n_units, dtype=bool)
    held[[index[u.members] for u in holders if u.members in index]] = True
    lower = np.full(rows.rhs.size, -np.inf)
    lower[: problem.n_units][held] = 1.0
    objective = np.where(held[problem.pair_unit], 0.0, problem.unit_size[problem.pair_unit])
    # Where the plan seats them: a valid answer to start from (and to fall back on).
    hint = np.zeros(problem.n_pairs)
    pair_of = {
        (problem.unit_members[u], problem.home_ids[h]): p
        for p, (u, h) in enumerate(
            zip(problem.pair_unit.tolist(), problem.pair_home.tolist(), strict=True)
        )
    }
    for u in holders:
        p = pair_of.get((u.members, placed[u.members[0]]))
        if p is not None:
            hint[p] = 1.0
    res = solve_milp_on_time(
        objective.astype(float),
        rows.matrix,
        lower,
        rows.rhs,
        np.ones(problem.n_pairs),
        # Taken now, after the scoring and the model: they spent part of the time left.
        deadline.left(),
        hint,
    )
    chosen = hint if res.values is None else res.values
    seated = {problem.unit_members[u] for u in problem.pair_unit[chosen > 0.5].tolist()}
    return {u.members for u in waiting if u.members not in seated}, res.optimal


def _home_type(needs: dict[str, int], siblings: int) -> HomeType:
    """What to recruit: intensive needs (level 3) or a group of three or more ask for the
    professional carers of a family home (gezinshuis); otherwise a foster family."""
    if max(needs.values(), default=0) >= 3 or siblings >= 3:
        return HomeType.FAMILY_HOME
    return HomeType.FOSTER


def recruitment(
    ctx: Context,
    child_ids: Iterable[str],
    placed: Mapping[str, str] | None = None,
    time_limit: float | None = None,
) -> tuple[Profile, ...]:
    """Profiles of the children among ``child_ids`` whom no registered home could take
    (with ``placed``, the plan's placements: nor a part-time place they leave free, see
    :func:`no_home_at_all`)."""
    return recruit(ctx, child_ids, placed, Deadline.within(time_limit)).profiles


def recruit(
    ctx: Context,
    child_ids: Iterable[str],
    placed: Mapping[str, str] | None = None,
    deadline: Deadline | None = None,
) -> Recruitment:
    """:func:`recruitment` by ``deadline`` (a plan's, shared with its other steps; none:
    no time limit), saying whether the list is proven."""
    units, proven = _no_home(ctx, child_ids, placed, deadline or Deadline.within(None))
    return Recruitment(_profiles(ctx, units), proven)


def _profiles(ctx: Context, units_found: list[Unit]) -> tuple[Profile, ...]:
    sc = ctx.scenario
    buckets: dict[tuple[str | None, str, str], list[Unit]] = {}
    for unit in units_found:
        kids = [sc.child(m) for m in unit.members]
        first = kids[0]
        place = None if any(c.confidential for c in kids) else ctx.parents_location(first)
        needs = _needs(kids)
        key = (
            None if place is None else place.municipality_code,
            first.kind.value,
            _home_type(needs, unit.size).value,
        )
        buckets.setdefault(key, []).append(unit)
    profiles: list[Profile] = []
    for (municipality, kind, home_type), units in sorted(
        buckets.items(), key=lambda kv: (kv[0][0] or "~", kv[0][1], kv[0][2])
    ):
        units.sort(key=lambda u: (min(sc.child(m).age for m in u.members), u.members))
        bands: list[list[Unit]] = []
        for unit in units:
            if bands and _age_max(sc, [*bands[-1], unit]) - _age_min(sc, bands[-1]) <= AGE_SPAN:
                bands[-1].append(unit)
            else:
                bands.append([unit])
        for band in bands:
            kids = [sc.child(m) for u in band for m in u.members]
            name = None
            if municipality is not None:
                name = ctx.parents_location(kids[0]).municipality_name
            profiles.append(
                Profile(
                    municipality=municipality,
                    municipality_name=name,
                    care_kind=kind,
                    home_type=home_type,
                    age_min=_age_min(sc, band),
                    age_max=_age_max(sc, band),
                    needs=_needs(kids),
                    siblings=max(u.size for u in band),
                    children=tuple(c.id for c in kids),
                )
            )
    return tuple(profiles)


def _needs(kids: list[Child]) -> dict[str, int]:
    out = {d.value: max(c.need(d) for c in kids) for d in CARE_DOMAINS}
    return {d: level for d, level in out.items() if level > 0}


def _age_min(sc: Scenario, units: list[Unit]) -> int:
    return min(sc.child(m).age for u in units for m in u.members)


def _age_max(sc: Scenario, units: list[Unit]) -> int:
    return max(sc.child(m).age for u in units for m in u.members)
