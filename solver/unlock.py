"""What would open a place: the smallest change to a home that makes it take a child.

For a child (its unit) that stays unplaced, look at every registered home, full ones
included, that fails only rules a provider can change: free beds, ``max_siblings``, the
age range and the care levels it can handle. The change is the least that fixes each
failing rule; the result is checked with :func:`matching.rules.assess` on the changed
home, which also gives the points the placement would score. Homes that the batch
filled are included too: there the change is the extra bed(s) beside those placed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from matching.context import Context
from matching.explain import DOMAIN_NAMES, HOME_TYPE_NAMES, Lang, join_words, level_text
from matching.model import CARE_DOMAINS, Home
from matching.rules import ReasonCode, assess
from matching.rules.base import BoolArray, IntArray
from matching.rules.eligibility import age, beds, care_need, siblings
from matching.siblings import Unit
from solver.reasons import ReasonIndex

__all__ = [
    "Change",
    "PlacesLeft",
    "Unlock",
    "change_text",
    "unlock_text",
    "unlocks",
]

_CHANGEABLE = {ReasonCode.BEDS, ReasonCode.SIBLINGS, ReasonCode.AGE, ReasonCode.CARE_NEED}
#: The fields that count free places: beds, and part-time places where counted apart.
_PLACES = ("beds_free", "part_time_places_free")


@dataclass(frozen=True, slots=True)
class Change:
    """One field of a home, from ``before`` to ``after``; ``domain`` for a care level."""

    field: str
    before: int | None
    after: int
    domain: str | None = None


@dataclass(frozen=True)
class Unlock:
    """A home that the listed changes would open for the unit, and the points it would score."""

    home_id: str
    home_type: str
    organisation: str
    score: int
    changes: tuple[Change, ...]
    placed_there: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        """How much has to change: one per field, plus every extra bed beyond the first."""
        return _size(self.changes)


def _size(changes: tuple[Change, ...]) -> int:
    extra = sum(max(0, c.after - (c.before or 0) - 1) for c in changes if c.field in _PLACES)
    return len(changes) + extra


@dataclass(frozen=True)
class PlacesLeft:
    """A batch answer's places left per home, as arrays over the homes of a ReasonIndex.

    Built once per match (:meth:`of`) rather than per unplaced unit: turning the mapping
    into arrays loops in Python over every home.
    """

    counted: BoolArray  #: the home is in the mapping (the batch had it)
    left: IntArray  #: its places left; 0 where not counted

    @classmethod
    def of(cls, index: ReasonIndex, beds_left: Mapping[str, int]) -> PlacesLeft:
        n = len(index.homes)
        counted = np.zeros(n, dtype=bool)
        left = np.zeros(n, dtype=np.int64)
        for hid, places in beds_left.items():
            i = index.position.get(hid)
            if i is not None:
                counted[i] = True
                left[i] = places
        return cls(counted, left)


def _needed(ctx: Context, unit: Unit, index: ReasonIndex) -> IntArray:
    """Per home, the places the unit would take: its members not living there already."""
    needed = np.full(len(index.homes), len(unit.members), dtype=np.int64)
    for cid in unit.members:
        home_id = ctx.scenario.child(cid).current_home
        i = index.position.get(home_id) if home_id is not None else None
        if i is not None:
            needed[i] -= 1
    return needed


@dataclass(frozen=True)
class _Wants:
    """What a unit asks of a home, worked out once per unit rather than per home."""

    part_time: bool  #: comes for part-time care
    youngest: int
    oldest: int
    needs: IntArray  #: the highest need per domain, in the order of CARE_DOMAINS

    @classmethod
    def of(cls, ctx: Context, unit: Unit) -> _Wants:
        members = [ctx.scenario.child(cid) for cid in unit.members]
        needs = np.max([care_need.needs_of(c) for c in members], axis=0)
        youngest = min(c.age for c in members)
        oldest = max(c.age for c in members)
        return cls(ctx.takes_part_time(unit), youngest, oldest, needs)


def _family_there(
    ctx: Context, unit: Unit, home_id: str, placed_at: Mapping[str, tuple[str, ...]] | None
) -> int:
    """Brothers and sisters of a unit placed apart who live in the home now or whom the
    batch answer places there: what its ``max_siblings`` counts beside the unit."""
    there = set(siblings.living_here(ctx, unit, home_id))
    if placed_at and unit.split_from_siblings:
        family = set(unit.group) - set(unit.members)
        there |= family & set(placed_at.get(home_id, ()))
    return len(there)


def _changes(
    ctx: Context,
    home: Home,
    unit: Unit,
    wants: _Wants,
    beds_needed: int,
    placed_at: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Change, ...]:
    """The least change to each failing changeable rule; the tests are the rules' own."""
    out: list[Change] = []
    part_time = wants.part_time and home.part_time_places_free is not None
    free = home.places_for(part_time)
    if beds.excludes(free, beds_needed):
        out.append(Change(_PLACES[1] if part_time else _PLACES[0], free, beds_needed))
    limit = home.max_siblings
    # brothers and sisters placed apart who live there now, or whom the batch places
    # there, count too
    here = _family_there(ctx, unit, home.id, placed_at)
    if limit is not None and siblings.excludes(unit.together, unit.size, limit, here):
        out.append(Change("max_siblings", limit, unit.size + here))
    youngest, oldest = wants.youngest, wants.oldest
    if age.excludes(youngest, home.age_min, home.age_max) and youngest < home.age_min:
        out.append(Change("age_min", home.age_min, youngest))
    if age.excludes(oldest, home.age_min, home.age_max) and oldest > home.age_max:
        out.append(Change("age_max", home.age_max, oldest))
    caps = np.array([home.capability(d) for d in CARE_DOMAINS], dtype=np.int64)
    # One domain per row: the rule's test along a last axis of length one.
    short = care_need.excludes(wants.needs[:, None], caps[:, None])
    for domain, need, cap, fails in zip(
        CARE_DOMAINS, wants.needs.tolist(), caps.tolist(), short.tolist(), strict=True
    ):
        if fails:
            out.append(Change("capability", cap, need, domain.value))
    return tuple(out)


def _apply(home: Home, changes: tuple[Change, ...]) -> Home:
    fields: dict[str, object] = {}
    caps = dict(home.capabilities)
    for c in changes:
        if c.field == "capability" and c.domain is not None:
            caps[c.domain] = c.after
        else:
            fields[c.field] = c.after
    return replace(home, capabilities=caps, **fields)  # type: ignore[arg-type]


def unlocks(
    ctx: Context,
    unit: Unit,
    index: ReasonIndex,
    beds_left: Mapping[str, int] | PlacesLeft | None = None,
    placed_at: Mapping[str, tuple[str, ...]] | None = None,
    limit: int = 3,
    examine: int = 12,
) -> tuple[Unlock, ...]:
    """The best few homes that a small change would open for ``unit``; smallest change first.

    ``index`` covers the homes to consider (all registered homes, full ones included).
    ``beds_left`` and ``placed_at`` describe a batch answer: a home the batch filled is
    offered with the extra bed(s) it would need. ``beds_left`` counts the places this unit
    would take: part-time places where the home counts them apart and the unit comes for
    part-time care; a match passes it as :class:`PlacesLeft`, built once. Up to
    ``examine`` candidates, fewest rules to change and then nearest to the parents first,
    are checked with ``assess``.
    """
    masks = index.masks(unit)
    n = len(index.homes)
    changeable = np.ones(n, dtype=bool)
    for code, mask in masks.items():
        if code not in _CHANGEABLE:
            changeable &= ~mask
    # Already eligible homes are candidates only where the batch took the beds.
    failing = np.zeros(n, dtype=bool)
    for code in _CHANGEABLE:
        failing |= masks[code]
    places = PlacesLeft.of(index, beds_left) if isinstance(beds_left, Mapping) else beds_left
    needed_at = _needed(ctx, unit, index)
    full_now = np.zeros(n, dtype=bool)
    if places is not None:
        full_now = places.counted & ~failing & changeable & (places.left < needed_at)
    # Homes the batch filled up to max_siblings with the unit's brothers and sisters.
    capped_now = np.zeros(n, dtype=bool)
    if placed_at and unit.split_from_siblings:
        for hid in placed_at:
            i = index.position.get(hid)
            if i is None or failing[i] or not changeable[i]:
                continue
            limit_h = index.homes[i].max_siblings
            there = _family_there(ctx, unit, hid, placed_at)
            capped_now[i] = limit_h is not None and there > 0 and there + unit.size > limit_h
    candidates = np.flatnonzero(changeable & (failing | full_now | capped_now))
    if candidates.size == 0:
        return ()
    # Fewest rules to change first, then nearest to the parents.
    n_rules = sum(masks[code][candidates].astype(np.int64) for code in _CHANGEABLE)
    n_rules = n_rules + (full_now[candidates] & ~masks[ReasonCode.BEDS][candidates])
    n_rules = n_rules + capped_now[candidates]
    dist = {cid: index.distances(cid) for cid in unit.members}
    nearest = np.min([dist[cid][candidates] for cid in unit.members], axis=0)
    candidates = candidates[np.lexsort((nearest, n_rules))][:examine]
    # The changes first, then ``assess`` (the slow part, for the points) smallest change
    # first and only while a home can still be among the best ``limit``; same answer.
    wants = _Wants.of(ctx, unit)
    options: list[tuple[int, int, tuple[Change, ...]]] = []
    for i in candidates.tolist():
        home = index.homes[i]
        needed = int(needed_at[i])
        if places is not None and places.counted[i]:
            # Beside the batch's placements: the places they use plus the unit's.
            part_time = wants.part_time and home.part_time_places_free is not None
            needed += home.places_for(part_time) - int(places.left[i])
        changes = _changes(ctx, home, unit, wants, needed, placed_at)
        if changes:
            options.append((_size(changes), i, changes))
    options.sort(key=lambda o: o[0])
    found: list[Unlock] = []
    for size, i, changes in options:
        if len(found) >= limit > 0 and size > found[limit - 1].size:
            break
        home = index.homes[i]
        occupants = placed_at.get(home.id, ()) if placed_at else ()
        opened = _apply(home, changes)
        verdict = assess(ctx, unit, opened, {cid: float(d[i]) for cid, d in dist.items()})
        if not verdict.eligible:
            continue
        found.append(
            Unlock(home.id, home.type.value, home.organisation, verdict.score, changes, occupants)
        )
    found.sort(key=lambda u: (u.size, -u.score, u.home_id))
    return tuple(found[:limit])


def change_text(change: Change, lang: Lang = "nl") -> str:
    a, b = change.before, change.after
    if change.field == "beds_free":
        k = b - (a or 0)
        if lang == "nl":
            return f"{k} extra {'bed' if k == 1 else 'bedden'} ({a} → {b})"
        return f"{k} more {'bed' if k == 1 else 'beds'} ({a} → {b})"
    if change.field == "part_time_places_free":
        k = b - (a or 0)
        if lang == "nl":
            return f"{k} extra {'deeltijdplaats' if k == 1 else 'deeltijdplaatsen'} ({a} → {b})"
        return f"{k} more part-time {'place' if k == 1 else 'places'} ({a} → {b})"
    if change.field == "max_siblings":
        if lang == "nl":
            return f"{b} broers en zussen samen opnemen (nu {a})"
        return f"take {b} siblings together (now {a})"
    if change.field == "age_min":
        return f"leeftijd vanaf {b} jaar (nu {a})" if lang == "nl" else f"ages from {b} (now {a})"
    if change.field == "age_max":
        if lang == "nl":
            return f"leeftijd tot en met {b} jaar (nu {a})"
        return f"ages up to {b} (now {a})"
    domain = DOMAIN_NAMES[lang].get(change.domain or "", change.domain or "")
    # Levels in words with their numbers ('matig (2)'), as the explanations name them; the
    # name says it is a level ("op niveau matig (2)" said it twice).
    after, before = level_text(b, lang), level_text(a or 0, lang)
    if lang == "nl":
        return f"{domain} {after} aankunnen in plaats van {before}"
    # "medical care" is already care: not "medical care care at moderate (2)".
    care = domain if domain.endswith("care") else f"{domain} care"
    return f"{care} at {after} instead of {before}"


def unlock_text(unlock: Unlock, lang: Lang = "nl") -> str:
    kind = HOME_TYPE_NAMES[lang][unlock.home_type]
    what = join_words([change_text(c, lang) for c in unlock.changes], lang)
    there = ""
    if unlock.placed_there:
        names = join_words(list(unlock.placed_there), lang)
        there = (
            f"; {names} {'komt' if len(unlock.placed_there) == 1 else 'komen'} er ook"
            if lang == "nl"
            else f"; {names} {'goes' if len(unlock.placed_there) == 1 else 'go'} there too"
        )
    if lang == "nl":
        return (
            f"{unlock.home_id} ({kind}, {unlock.organisation}): {what} zou een plek openen "
            f"({unlock.score} punten){there}."
        )
    return (
        f"{unlock.home_id} ({kind}, {unlock.organisation}): {what} would open a place "
        f"({unlock.score} points){there}."
    )
