"""Whom to recruit (kindgerichte werving): the children no registered home could take even
with extra beds, grouped into profiles of a family that could take each of them.

A child counts when no home in the scenario, free or full, is eligible for its placement
unit with as many extra beds as the unit needs: its age, needs, kind of care, distance or
a sibling group that no ``max_siblings`` allows rule out every home there is. Extra beds
cannot help such a child; a new family can.

Profiles group these children by the parents' municipality (``None`` for a confidential
placement, whose parents' area must not be used), the kind of care and the kind of home
to recruit, then by age, at most :data:`AGE_SPAN` years apart, so that one family could
take any child of its profile. A profile's ``needs`` is the highest level per domain and
``siblings`` the largest group that must live together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from matching.bulk import score_all
from matching.context import Context
from matching.model import CARE_DOMAINS, Child, HomeType, Scenario
from matching.siblings import Unit

__all__ = ["AGE_SPAN", "Profile", "no_home_at_all", "recruitment"]

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


def no_home_at_all(ctx: Context, child_ids: Iterable[str]) -> list[Unit]:
    """The units among these children that no registered home could take, whatever its beds."""
    wanted = set(child_ids)
    units = [u for u in ctx.units if u.members[0] in wanted]
    if not units:
        return []
    members = {m for u in units for m in u.members}
    wide = Context.of(_units_only(ctx, members))
    table = score_all(wide)
    has_pair = {table.units[u].members for u in set(table.pair_unit.tolist())}
    return [u for u in units if u.members not in has_pair]


def _home_type(needs: dict[str, int], siblings: int) -> HomeType:
    """What to recruit: intensive needs (level 3) or a group of three or more ask for the
    professional carers of a family home (gezinshuis); otherwise a foster family."""
    if max(needs.values(), default=0) >= 3 or siblings >= 3:
        return HomeType.FAMILY_HOME
    return HomeType.FOSTER


def recruitment(ctx: Context, child_ids: Iterable[str]) -> tuple[Profile, ...]:
    """Profiles of the children among ``child_ids`` whom no registered home could take."""
    sc = ctx.scenario
    buckets: dict[tuple[str | None, str, str], list[Unit]] = {}
    for unit in no_home_at_all(ctx, child_ids):
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
