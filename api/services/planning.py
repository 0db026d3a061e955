"""The planning answers of one municipality's area, aggregated for the municipality.

The area is the municipality's own waiting children (those whose parents' postcode lies in
it, decided exactly as the audit decides a child's municipality), their whole sibling
groups, and every home that can take one of them: a candidate home within the policy's
distance limit of the parents, with the children who live in it now as residents. Over
that scenario run the extra-beds plan (:mod:`solver.planning`), the frontier of the batch
match and the simulation (:mod:`solver.simulation`).

What leaves here is aggregated: no child id, no home id (the audit shows no homes either),
counts that describe children's circumstances published through the audit's own
suppression (:func:`matching.audit.count_cell`). The children read are named to the
audit trail, as every read of children is.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import numpy as np

from api.db.uow import Tx, UnitOfWork
from api.schemas.children import ChildStatus
from api.services.access import Caller, Role
from api.services.errors import (
    FieldProblem,
    ForbiddenError,
    InvalidInputError,
    UnavailableError,
)
from api.services.live import Within, waiting_scenario
from matching.audit import MIN_CELL, SUPPRESSED, Cell, count_cell, suppress_sums
from matching.context import Context
from matching.explain import CARE_KIND_NAMES, HOME_TYPE_NAMES, Lang, need_text
from matching.geo import SpatialIndex, postcode_table
from matching.model import CARE_DOMAINS, HomeType, Scenario
from matching.policy import Policy
from solver.planning import (
    CapacityPlan,
    UnverifiedClaimError,
    capacity,
    capacity_json,
    match_with_frontier,
)
from solver.planning.documents import MAX_FRONTIER
from solver.planning.explain import choice_text, frontier_text
from solver.planning.frontier import FrontierPoint
from solver.planning.recruitment import Profile
from solver.simulation import POLICIES, SchedulerError, simulate

__all__ = [
    "CAPACITY_COUNTS",
    "area_of",
    "area_scenario",
    "capacity_answer",
    "frontier_answer",
    "municipality_of",
    "simulation_answer",
]

_CODE = re.compile(r"^[0-9]{4}$")


def municipality_of(caller: Caller, asked: str | None) -> str:
    """The municipality a request is about: a municipality key's own (asking for another
    is refused), an admin's must name one."""
    if caller.role is Role.MUNICIPALITY:
        if asked is not None and asked != caller.municipality:
            raise ForbiddenError("a municipality key plans only for its own municipality")
        if caller.municipality is None:
            raise ForbiddenError("this municipality key names no municipality")
        return caller.municipality
    if asked is None:
        raise InvalidInputError([FieldProblem("$.municipality", "required for an admin key")])
    if not _CODE.match(asked) or asked not in set(postcode_table().municipality_codes):
        raise InvalidInputError(
            [FieldProblem("$.municipality", "not a known 4-digit CBS municipality code")]
        )
    return asked


def area_of(scenario: Scenario, municipality: str) -> Scenario:
    """The area of ``municipality`` within a scenario of every waiting child and home."""
    ctx = Context.of(scenario)
    own = {
        c.id for c in scenario.children if ctx.parents_location(c).municipality_code == municipality
    }
    # Whole sibling groups: a sibling registered at another address still moves with them.
    kept = set(own)
    frontier = list(own)
    while frontier:
        for s in scenario.child(frontier.pop()).siblings:
            if s not in kept and s in scenario.child_by_id:
                kept.add(s)
                frontier.append(s)
    children = tuple(c for c in scenario.children if c.id in kept)
    homes_all = scenario.homes
    near: set[str] = {c.current_home for c in children if c.current_home}
    if homes_all:
        # Per pair the farthest the distance rule lets the home be from the parents: its
        # kind's limit, or the specialist limit for a child with an intensive (level 3)
        # need (the rule's own exception). A home too many costs time; one too few would
        # change the answer. The specialist exception itself is decided in the area as in
        # the whole: every home within the normal limits of such a child stays.
        policy = scenario.policy
        network = np.array([h.type is HomeType.NETWORK_FOSTER for h in homes_all])
        for c in children:
            intensive = any(level >= 3 for level in c.needs.values())
            extra = policy.max_distance_specialist_km if intensive else 0.0
            reach = np.where(
                network,
                max(policy.max_distance_network_km, extra),
                max(policy.max_distance_km, extra),
            )
            km = ctx.distances_from(ctx.parents_location(c), homes_all)
            near.update(homes_all[i].id for i in np.flatnonzero(km <= reach))
    homes = tuple(h for h in homes_all if h.id in near)
    residents = tuple(r for r in scenario.residents if r.home_id in near)
    known = kept | {r.id for r in residents}
    closed = tuple(
        dataclasses.replace(
            c,
            siblings=frozenset(s for s in c.siblings if s in known),
            keep_apart=frozenset(k for k in c.keep_apart if k in known),
        )
        for c in children
    )
    return Scenario.of(scenario.reference_date, scenario.policy, homes, closed, residents)


def area_scenario(uow: UnitOfWork, municipality: str, today: date, policy: Policy) -> Scenario:
    """The municipality's waiting children and the homes near them, read in one
    transaction; the children are named to the audit trail.

    Only the part of the database the area can hold is read (:func:`_reach`); the area
    itself is still decided by :func:`area_of`, on that part instead of on every waiting
    child and home of the country, with the same answer (``tests/api/test_planning_area.py``
    holds the two together).
    """
    with uow.read() as tx:
        part = waiting_scenario(tx, None, today, policy, within=_reach(tx, municipality, policy))
        area = area_of(part, municipality)
        tx.audit.about(object_id=municipality, children=[c.id for c in area.children])
    return area


def _reach(tx: Tx, municipality: str, policy: Policy) -> Within:
    """What the area of ``municipality`` can hold: its waiting children (by their parents'
    postcode) closed over sibling groups, and the postcodes within the farthest any home
    may be from the parents of one of them. :func:`area_of` keeps exactly the homes within
    each pair's own limit, all of which lie in these postcodes."""
    table = postcode_table()
    waiting = (ChildStatus.WAITING.value,)
    own = [
        pc
        for pc, code in zip(table.pc4s, table.municipality_codes, strict=True)
        if code == municipality
    ]
    rows = {r.id: r for r in tx.children.scenario_rows(None, waiting, parents_postcodes=own)}
    frontier = set(rows)
    while frontier:
        linked = set().union(*tx.children.siblings_of(frontier).values()) - rows.keys()
        found = tx.children.scenario_rows(None, waiting, ids=linked) if linked else ()
        rows.update((r.id, r) for r in found)
        frontier = {r.id for r in found}
    # The widest kind's limit, or the specialist limit for a child with an intensive
    # (level 3) need: the farthest area_of can keep a home from these parents.
    origins: dict[float, set[str]] = {}
    for r in rows.values():
        intensive = any(int(level) >= 3 for level in r.needs.values())
        extra = policy.max_distance_specialist_km if intensive else 0.0
        origins.setdefault(max(policy.search_radius_km, extra), set()).add(r.parents_postcode)
    postcodes: set[str] = set()
    for radius_km, pc4s in origins.items():
        places = [table.locate(pc) for pc in sorted(pc4s)]
        _, near = _postcode_index().within(
            np.array([p.latitude for p in places]),
            np.array([p.longitude for p in places]),
            radius_km,
        )
        postcodes.update(table.pc4s[i] for i in near)
    return Within(frozenset(rows), frozenset(postcodes))


@cache
def _postcode_index() -> SpatialIndex:
    """The centroids of every PC4 of the postcode table, in its order."""
    table = postcode_table()
    return SpatialIndex(table.latitudes, table.longitudes)


def _shown(cell: Cell) -> int | str:
    value = cell.shown
    return value if isinstance(value, int | str) else SUPPRESSED


def _area(ctx: Context, municipality: str, waiting: Cell | None = None) -> dict[str, Any]:
    sc = ctx.scenario
    names = postcode_table().municipality_names()
    waiting = waiting or count_cell("children_waiting", len(sc.children))
    return {
        "municipality": municipality,
        "municipality_name": names.get(municipality, municipality),
        "children_waiting": _shown(waiting),
        "homes_considered": len(sc.homes),
        "min_cell": MIN_CELL,
        "suppressed_as": SUPPRESSED,
    }


#: Age bands of the recruitment profiles a municipality reads (the audit's bands).
_AGE_BANDS = ((0, 3), (4, 11), (12, 17), (18, 23))
_WORDS = {
    "nl": {
        "recruit": "Werf {homes} {where} voor {kinds}, leeftijd {ages}",
        "a": "een",
        "near": "bij {name} ({code})",
        "far": "ver van de ouders (geheime plaatsing)",
        "either": "bij {name} ({code}) of ver van de ouders (geheime plaatsing)",
        "or": " of ",
        "needs": ", zorgbehoefte van minstens 5 van hen: {needs}",
        "siblings": ", ook voor broers en zussen samen (groepen van {n} of meer)",
        "count": ": {n} kinderen.",
        "cut_short": (
            "Wie te werven is niet bewezen, want de tijd was op: misschien kan een "
            "geregistreerde woonplek enkele van deze kinderen toch nemen als andere kinderen "
            "naar een bed verhuizen. Een langere time_limit_s gaat dat na."
        ),
    },
    "en": {
        "recruit": "Recruit {homes} {where} for {kinds}, age {ages}",
        "a": "a",
        "near": "near {name} ({code})",
        "far": "far from the parents (confidential placement)",
        "either": "near {name} ({code}) or far from the parents (confidential placement)",
        "or": " or ",
        "needs": ", care needs of at least 5 of them: {needs}",
        "siblings": ", also for siblings together (groups of {n} or more)",
        "count": ": {n} children.",
        "cut_short": (
            "Whom to recruit is not proven, because time ran out: a registered home might "
            "still take some of these children if other children moved to a bed. A longer "
            "time_limit_s checks that."
        ),
    },
}


@dataclass(frozen=True)
class _Recruit:
    """One child of a recruitment profile, as the aggregation sees it."""

    secret: bool
    home_type: str
    care_kind: str
    band: tuple[int, int]
    needs: dict[str, int]
    siblings: int  # the size of the group it must live with, itself included


#: From the finest grouping to the coarsest: a group of fewer than MIN_CELL children at
#: one step joins the next; whatever is left at the end makes all one profile.
_GROUPINGS: tuple[Callable[[_Recruit], tuple[object, ...]], ...] = (
    lambda r: (r.secret, r.home_type, r.care_kind, r.band),
    lambda r: (r.secret, r.home_type, r.care_kind),
    lambda r: (r.secret, r.home_type),
    lambda r: (r.home_type,),
)


def _groups_of(kids: list[_Recruit]) -> list[list[_Recruit]]:
    """The children in groups of at least MIN_CELL, as fine as that allows."""
    groups: list[list[_Recruit]] = []
    rest = kids
    for key in _GROUPINGS:
        by: dict[tuple[object, ...], list[_Recruit]] = {}
        for r in rest:
            by.setdefault(key(r), []).append(r)
        rest = []
        for members in by.values():
            if len(members) >= MIN_CELL:
                groups.append(members)
            else:
                rest += members
    # A few left over would be a group of their own, or a count by subtraction: then one
    # profile covers every child.
    return [kids] if rest else groups


def _at_least_min_cell(values: list[int]) -> int:
    """The highest value that at least MIN_CELL of ``values`` reach (0 if none)."""
    ranked = sorted(values, reverse=True)
    return ranked[MIN_CELL - 1] if len(ranked) >= MIN_CELL else 0


def _profile_doc(group: list[_Recruit], code: str, name: str, lang: Lang) -> dict[str, Any]:
    words = _WORDS[lang]
    homes = sorted({r.home_type for r in group})
    kinds = sorted({r.care_kind for r in group})
    age_min, age_max = min(r.band[0] for r in group), max(r.band[1] for r in group)
    needs = {
        d.value: level
        for d in CARE_DOMAINS
        if (level := _at_least_min_cell([r.needs.get(d.value, 0) for r in group])) > 0
    }
    siblings = _at_least_min_cell([r.siblings for r in group])
    secret = {r.secret for r in group}
    where = words["far" if secret == {True} else "near" if secret == {False} else "either"]
    text = words["recruit"].format(
        homes=words["or"].join(f"{words['a']} {HOME_TYPE_NAMES[lang][h]}" for h in homes),
        where=where.format(name=name, code=code),
        kinds=words["or"].join(CARE_KIND_NAMES[lang].get(k, k) for k in kinds),
        ages=f"{age_min}-{age_max}",
    )
    if needs:
        named = ", ".join(need_text(d, n, lang) for d, n in needs.items())
        text += words["needs"].format(needs=named)
    if siblings > 1:
        text += words["siblings"].format(n=siblings)
    return {
        "municipality": None if secret == {True} else code,
        "municipality_name": None if secret == {True} else name,
        "care_kind": ",".join(kinds),
        "home_type": ",".join(homes),
        "age_min": age_min,
        "age_max": age_max,
        "needs": needs,
        "siblings": siblings if siblings > 1 else 1,
        "children": len(group),
        "text": text + words["count"].format(n=len(group)),
    }


def recruitment_profiles(
    ctx: Context, code: str, profiles: Sequence[Profile], lang: Lang
) -> tuple[list[dict[str, Any]], int | str]:
    """Whom to recruit, as a municipality may read it: profiles that each describe at least
    :data:`~matching.audit.MIN_CELL` children, or none, and how many children in all.

    The solver's profiles are one family each and often one child or one sibling pair
    (their exact ages and needs single them out), so their children are grouped again,
    coarser step by step (age band, then kind of care, then secrecy) until every group
    holds at least MIN_CELL; what a group says is true of at least MIN_CELL of its
    children (the need level and sibling group size that many reach). Fewer children in
    all: no profile (the count reads ``<5``); nobody: 0."""
    sc = ctx.scenario
    kids = []
    for p in profiles:
        for cid in p.children:
            child = sc.child(cid)
            band = next((b for b in _AGE_BANDS if child.age <= b[1]), _AGE_BANDS[-1])
            kids.append(
                _Recruit(
                    secret=p.municipality is None,
                    home_type=p.home_type,
                    care_kind=p.care_kind,
                    band=band,
                    needs={d.value: child.need(d) for d in CARE_DOMAINS if child.need(d)},
                    siblings=ctx.unit_of[cid].size,
                )
            )
    if not kids:
        return [], 0
    if len(kids) < MIN_CELL:
        return [], _shown(count_cell("recruitment_children", len(kids)))
    name = postcode_table().municipality_names().get(code, code)
    return [_profile_doc(g, code, name, lang) for g in _groups_of(kids)], len(kids)


#: Children in crisis ("c") or not ("n"): every count below is split so.
_KINDS = ("c", "n")


def _sums(*parts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in parts:
        for k, v in part.items():
            out[k] = out.get(k, 0) + v
    return out


def _of(kinds: Sequence[str], states: Sequence[str], atoms: Sequence[str]) -> dict[str, int]:
    """The atoms of these kinds (crisis or not) in these states, each counted once."""
    return {a: 1 for a in atoms if a.split("|")[0] in kinds and a.split("|")[1] in states}


def _area_counts(ctx: Context, placed: int, placed_crisis: int) -> dict[str, Cell]:
    """The area's waiting children and the children the match places (and of them in
    crisis), published so that no count of 1-4 children follows from them: not the
    children left waiting (waiting minus placed), nor those not in crisis. The frontier
    and the plan for extra beds publish these three the same way (both rest on the same
    match), so that reading both answers together gives away nothing either hides."""
    crisis = sum(c.is_crisis for c in ctx.scenario.children)
    n = len(ctx.scenario.children)
    atoms = {
        "c|placed": placed_crisis,
        "n|placed": placed - placed_crisis,
        "c|waiting": crisis - placed_crisis,
        "n|waiting": n - crisis - (placed - placed_crisis),
    }
    names = list(atoms)
    every = ("placed", "waiting")
    cells = [
        (count_cell("children_waiting", n), _of(_KINDS, every, names)),
        (count_cell("placed", placed), _of(_KINDS, ("placed",), names)),
        (count_cell("placed_crisis", placed_crisis), _of(("c",), ("placed",), names)),
    ]
    counts = [_of(kinds, states, names) for kinds in ("c", "n") for states in ("waiting", every)]
    counts += [_of(_KINDS, ("waiting",), names), _of(("n",), ("placed",), names)]
    shown = suppress_sums(atoms, cells, counts, fixed=("children_waiting",))
    return {c.metric: c for c in shown}


def _renamed(cell: Cell, metric: str) -> Cell:
    return dataclasses.replace(cell, metric=metric)


def _capacity_counts(ctx: Context, plan: CapacityPlan, doc: dict[str, Any]) -> dict[str, Cell]:
    """The plan's counts of children as a municipality may read them.

    Every child of the area is in one state: placed before and after (``stay``), placed
    before but not after (``gave``: the lexicographic rule may move a planned child aside
    for a crisis child), newly placed (``new``, credited to the municipality and kind of
    its home, or ``rearranged``), or waiting after as before (``wait``); in crisis or not.
    The published counts are sums (and the gains differences) of these, so the audit's
    rule runs over all of them at once (:func:`matching.audit.suppress_sums`): each count
    below 5 is ``<5``, and further counts are hidden until none of 1-4 children, published
    or not (the children still waiting, those not in crisis, those the beds place), can be
    worked out from the rest. Placed before (and in crisis), and the waiting children, are
    fixed as :func:`_area_counts` publishes them for the frontier."""
    sc = ctx.scenario
    credit: dict[str, str] = {}
    for b in plan.plan:
        home = sc.home(b.home_id)
        where = f"{ctx.home_location(home).municipality_code}/{home.type.value}"
        for cid in b.children:
            credit[cid] = where
    atoms: dict[str, int] = {}
    for cid in plan.newly_placed:
        key = f"{'c' if sc.child(cid).is_crisis else 'n'}|new|{credit.get(cid, 'rearranged')}"
        atoms[key] = atoms.get(key, 0) + 1
    before = {"c": plan.before.placed_crisis, "n": plan.before.placed - plan.before.placed_crisis}
    after = {"c": plan.after.placed_crisis, "n": plan.after.placed - plan.after.placed_crisis}
    total = {"c": sum(c.is_crisis for c in sc.children)}
    total["n"] = len(sc.children) - total["c"]
    recruited = [sc.child(cid) for p in plan.recruitment for cid in p.children]
    rec = {"c": sum(c.is_crisis for c in recruited)}
    rec["n"] = len(recruited) - rec["c"]
    for k in _KINDS:
        new = sum(v for a, v in atoms.items() if a.startswith(f"{k}|new|"))
        gave = new - (after[k] - before[k])
        atoms[f"{k}|gave"] = gave
        atoms[f"{k}|stay"] = before[k] - gave
        # Waiting before and after: whom to recruit (no home could take them) and the
        # others (more beds would place them). A child to recruit is never placed after;
        # one that gave way (a part-time place another child took) is counted in ``gave``.
        waiting = total[k] - before[k] - new
        atoms[f"{k}|rec"] = min(rec[k], waiting)
        atoms[f"{k}|wait"] = waiting - atoms[f"{k}|rec"]
    names = sorted(atoms)
    area = _area_counts(ctx, plan.before.placed, plan.before.placed_crisis)
    if any(v < 0 for v in atoms.values()):  # pragma: no cover - counts that do not add up
        raise AssertionError("capacity: the plan's counts do not add up")

    def of(kinds: Sequence[str], states: Sequence[str]) -> dict[str, int]:
        return _of(kinds, states, names)

    def gain(kinds: Sequence[str]) -> dict[str, int]:
        return _sums(of(kinds, ("new",)), dict.fromkeys(of(kinds, ("gave",)), -1))

    every = ("stay", "gave", "new", "wait", "rec")
    cells: list[tuple[Cell, dict[str, int]]] = [
        (area["children_waiting"], of(_KINDS, every)),
        (_renamed(area["placed"], "placed_before"), of(_KINDS, ("stay", "gave"))),
        (
            _renamed(area["placed_crisis"], "placed_crisis_before"),
            of(("c",), ("stay", "gave")),
        ),
        (count_cell("placed_after", plan.after.placed), of(_KINDS, ("stay", "new"))),
        (count_cell("placed_crisis_after", plan.after.placed_crisis), of(("c",), ("stay", "new"))),
        (count_cell("extra_placed", plan.extra_placed), gain(_KINDS)),
        (count_cell("extra_crisis", plan.extra_crisis), gain(("c",))),
        (
            count_cell("rearranged", len(plan.rearranged)),
            {a: 1 for a in names if a.endswith("|rearranged")},
        ),
        # Published as 0 when nobody is to be recruited (docs/planning.md): shown, then.
        (
            count_cell("recruitment_children", len(recruited))
            if recruited
            else Cell("recruitment_children", 0, suppressed=False, unit="children"),
            of(_KINDS, ("rec",)),
        ),
    ]
    for m in doc["by_municipality"]:
        code = m["municipality"]
        cells.append(
            (
                count_cell(f"municipality:{code}", m["children"]),
                {a: 1 for a in names if a.split("|")[-1].startswith(f"{code}/")},
            )
        )
    for t in doc["by_home_type"]:
        kind = t["home_type"]
        cells.append(
            (
                count_cell(f"home_type:{kind}", t["children"]),
                {a: 1 for a in names if a.endswith(f"/{kind}")},
            )
        )
    verified = plan.verified.placed
    if verified == plan.after.placed:  # the re-check confirms the count: one figure
        cells.append((count_cell("verified_placed", verified), of(_KINDS, ("stay", "new"))))
    counts = [
        of(kinds, states)
        for kinds in (("c",), ("n",), _KINDS)
        for states in (
            ("stay",),
            ("gave",),
            ("new",),
            ("wait",),
            ("rec",),
            ("wait", "rec"),
            ("new", "wait", "rec"),  # waiting today
            ("gave", "wait", "rec"),  # waiting after
            ("stay", "gave", "new", "wait"),  # all but those to recruit
            ("stay", "new", "wait"),  # placed after, or more beds would place them
            every,
        )
    ]
    counts += [{a: 1} for a in names]
    fixed = ("children_waiting", "placed_before", "placed_crisis_before")
    shown = {c.metric: c for c in suppress_sums(atoms, cells, counts, fixed=fixed)}
    if "verified_placed" not in shown:  # pragma: no cover - the matcher found more
        shown["verified_placed"] = count_cell("verified_placed", verified).hidden(secondary=True)
    return shown


#: The counts of children before and after the extra beds that a capacity answer gives
#: at its top level, each a number or, where it is below MIN_CELL or could be worked out
#: from the others, SUPPRESSED.
CAPACITY_COUNTS = (
    "extra_placed",
    "placed_before",
    "placed_after",
    "extra_crisis",
    "placed_crisis_before",
    "placed_crisis_after",
    "verified_placed",
)


def capacity_answer(
    uow: UnitOfWork,
    caller: Caller,
    municipality: str | None,
    beds: int,
    today: date,
    policy: Policy,
    time_limit_s: float,
    lang: Lang = "nl",
) -> dict[str, Any]:
    """Where ``beds`` extra beds place the most of the area's children, and whom to
    recruit, as the municipality may read it."""
    code = municipality_of(caller, municipality)
    ctx = Context.of(area_scenario(uow, code, today, policy))
    try:
        plan = capacity(ctx, beds, time_limit=time_limit_s)
    except UnverifiedClaimError:
        # As `dichtbij capacity` exits 1: an unconfirmed plan is never shown (nor its
        # counts, which the error names unsuppressed).
        raise UnavailableError(
            "matching again with the planned beds did not confirm the plan; "
            "try a longer time_limit_s"
        ) from None
    doc = capacity_json(ctx, plan, lang)
    recruitment, recruited = recruitment_profiles(ctx, code, plan.recruitment, lang)
    shown = _capacity_counts(ctx, plan, doc)
    if shown["recruitment_children"].suppressed:
        # Hidden so that the children waiting minus these does not give away a few; the
        # profiles add up to it, so they go too.
        recruitment, recruited = [], _shown(shown["recruitment_children"])

    def rows(key: str, prefix: str, name: str) -> list[dict[str, Any]]:
        return [{**row, "children": _shown(shown[f"{prefix}:{row[name]}"])} for row in doc[key]]

    return {
        **_area(ctx, code, shown["children_waiting"]),
        "beds": doc["beds"],
        "beds_used": doc["beds_used"],
        **{key: _shown(shown[key]) for key in CAPACITY_COUNTS},
        "optimal": doc["optimal"],
        "status": doc["status"],
        "counts_proven": doc["counts_proven"],
        "rearranged": _shown(shown["rearranged"]),
        "by_municipality": rows("by_municipality", "municipality", "municipality"),
        "by_home_type": rows("by_home_type", "home_type", "home_type"),
        "recruitment_children": recruited,
        "recruitment": recruitment,
        "recruitment_proven": doc["recruitment_proven"],
        "recruitment_text": None if doc["recruitment_proven"] else _WORDS[lang]["cut_short"],
        "wall_time_s": doc["wall_time_s"],
        "lang": lang,
    }


#: The fewest children a frontier point's distances describe: a median needs 5 on each
#: side (the audit's rule for a percentile, matching.audit), and a mean or a sum of fewer
#: distances is as near to one child's distance from its parents' home.
MIN_DISTANCE_CHILDREN = 2 * MIN_CELL


def _frontier_points(points: Sequence[FrontierPoint], area: dict[str, Cell]) -> list[FrontierPoint]:
    """The points as a municipality may read them (counts still unpublished here).

    Distances only where the point places at least MIN_DISTANCE_CHILDREN children. With
    the top's count hidden, no point may tell it, in this answer or beside another one
    asked with another number of points: the number of points (fewer than asked where the
    frontier reaches 0), the scores (0 where nobody is placed, a child's points apart) and
    where the first distance appears each did. So then the points are shown only where
    even the widest frontier (MAX_FRONTIER points below the top) places enough children
    for distances, a rule that does not depend on the number asked for; they carry their
    distances and status, never a score or a summed distance (divided by the mean it is
    the count). Otherwise no point is shown."""
    if not points:
        return []
    top = max(p.placed for p in points)
    hidden = area["placed"].suppressed
    if hidden and top - MAX_FRONTIER < MIN_DISTANCE_CHILDREN:
        return []
    out = []
    for p in points:
        ok = p.placed >= MIN_DISTANCE_CHILDREN
        out.append(
            dataclasses.replace(
                p,
                distance_mean_km=p.distance_mean_km if ok else None,
                distance_median_km=p.distance_median_km if ok else None,
                distance_total_km=p.distance_total_km if ok and not hidden else None,
                total_score=None if hidden else p.total_score,
                score_bound=None if hidden else p.score_bound,
                assignment={},
            )
        )
    return out


def _point_counts(
    point: FrontierPoint, top: FrontierPoint, area: dict[str, Cell]
) -> dict[str, Any]:
    """A point's placed and crisis children. The top point is the match itself, published
    as the area's counts; below it a point is an assignment that places exactly ``k``
    (``k`` follows from the top's count and its place, so it is hidden with the top), and
    its crisis count is shown only where it and the children not in crisis both number 5
    or more (as the audit's share)."""
    if point.placed == top.placed:
        return {
            "placed": _shown(area["placed"]),
            "placed_crisis": _shown(area["placed_crisis"]),
        }
    placed = count_cell("placed", point.placed)
    if area["placed"].suppressed:
        placed = placed.hidden(secondary=True)
    crisis = point.placed_crisis
    if crisis is None:
        return {"placed": _shown(placed), "placed_crisis": None}
    ok = not placed.suppressed and crisis >= MIN_CELL and point.placed - crisis >= MIN_CELL
    return {"placed": _shown(placed), "placed_crisis": crisis if ok else SUPPRESSED}


_DISTANCES_HIDDEN = {
    "nl": (
        "De afstanden staan er niet: een punt toont ze pas vanaf 10 geplaatste kinderen, "
        "want een gemiddelde of mediaan van minder kinderen ligt dicht bij de afstand van "
        "één kind tot het huis van zijn ouders."
    ),
    "en": (
        "The distances are not shown: a point shows them from 10 placed children, because "
        "a mean or median of fewer children is close to one child's distance from its "
        "parents' home."
    ),
}


_POINTS_HIDDEN = {
    "nl": (
        "De punten staan er niet: het aantal geplaatste kinderen is verborgen, omdat er een "
        "klein aantal kinderen uit af te leiden is, en uit de punten zou het te herleiden zijn."
    ),
    "en": (
        "The points are not shown: the number of placed children is hidden, because a small "
        "number of children could be worked out from it, and the points would give it away."
    ),
}


def frontier_answer(
    uow: UnitOfWork,
    caller: Caller,
    municipality: str | None,
    points: int,
    today: date,
    policy: Policy,
    time_limit_s: float,
    lang: Lang = "nl",
) -> dict[str, Any]:
    """What placing the area's last children costs in distance (points only: counts,
    scores and distances, never who), with the counts and distances of few children
    hidden (:func:`_area_counts`, :func:`_frontier_points`)."""
    code = municipality_of(caller, municipality)
    ctx = Context.of(area_scenario(uow, code, today, policy))
    result, front, doc = match_with_frontier(ctx, points, time_limit_s, lang)
    area = _area_counts(ctx, result.placed, result.placed_crisis)
    counts_shown = not area["placed"].suppressed
    published = _frontier_points(front.points if front else (), area)
    top = published[-1] if published else None
    frontier = []
    for p, d in zip(published, doc.frontier if published else (), strict=True):
        point = d.model_dump(mode="json")
        point.update(
            total_score=p.total_score,
            score_bound=p.score_bound,
            distance_mean_km=p.distance_mean_km,
            distance_median_km=p.distance_median_km,
            distance_total_km=p.distance_total_km,
        )
        if top is not None:
            point.update(_point_counts(p, top, area))
        frontier.append(point)
    summary = None
    if doc.frontier_summary is not None:
        summary = doc.frontier_summary.model_dump(mode="json")
        # The solver's sentence names the counts and the summed distance: said again from
        # what is published (the policy's choice names counts too, so only with them).
        text = frontier_text(tuple(published), lang, counts=counts_shown)
        if counts_shown and top is not None:
            km = summary["max_extra_distance_km"]
            choice = choice_text(summary["chosen_placed"], top.placed, km, lang)
            if choice is not None:
                text = choice if text is None else f"{text} {choice}"
        # Distances there were, but none may be shown: say why, not "no trade-off".
        had = front is not None and any(p.distance_mean_km is not None for p in front.points)
        if text is None and not published and front is not None and front.points:
            text = _POINTS_HIDDEN[lang]
        elif text is None and had and all(p.distance_mean_km is None for p in published):
            text = _DISTANCES_HIDDEN[lang]
        summary["text"] = text
        if not counts_shown:
            summary["chosen_placed"] = None
    return {
        **_area(ctx, code, area["children_waiting"]),
        "status": result.status.value,
        "placed": _shown(area["placed"]),
        "frontier": frontier,
        "frontier_summary": summary,
        "lang": lang,
    }


def simulation_answer(
    uow: UnitOfWork,
    caller: Caller,
    municipality: str | None,
    *,
    days: int,
    runs: int,
    seed: int,
    policies: Sequence[str],
    today: date,
    policy: Policy,
    scheduler: str | None,
    time_limit_s: float,
) -> dict[str, Any]:
    """The simulation of the area under each policy: every figure's mean and 95% interval
    over the runs, no child; a figure that describes fewer than 5 children in any run is
    hidden (a mean over one run of one day is the area's own count)."""
    unknown = [p for p in policies if p not in POLICIES]
    if unknown or not policies or len(set(policies)) != len(policies):
        known = ", ".join(POLICIES)
        raise InvalidInputError([FieldProblem("$.policies", f"distinct policies among: {known}")])
    code = municipality_of(caller, municipality)
    area = area_scenario(uow, code, today, policy)
    try:
        doc = simulate(
            area,
            days,
            runs,
            seed,
            list(policies),
            scheduler=scheduler,
            timeout_s=time_limit_s,
            hide_small_numbers=True,
        )
    except SchedulerError:
        raise UnavailableError(
            "the simulation's Dask scheduler does not answer or has no workers"
        ) from None
    except TimeoutError:
        raise UnavailableError(
            f"the simulation did not finish within {time_limit_s:g} s: ask for fewer runs or days"
        ) from None
    return {**_area(Context.of(area), code), **doc}
