"""Candidate search and scoring of every eligible (unit, home) pair at once, vectorised.

For a national instance (3,000 children, 20,000 registered homes) the per-pair path would
take minutes; here a k-d tree finds the homes within the distance limit of each parents'
postcode and numpy applies every rule and criterion to all pairs in a few array passes.
Every rule and criterion is the array form defined beside its per-pair form in
:mod:`matching.rules`, so the scores are identical (a property test compares them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.context import Context
from matching.geo import SpatialIndex, engine_km
from matching.model import CARE_DOMAINS, CareKind, Child, Home
from matching.rules import criteria, eligibility
from matching.rules.base import BoolArray, CriterionCode
from matching.rules.criteria import wishes  # a modifier, not in the criteria package's list
from matching.rules.homes import HomeArrays
from matching.siblings import Unit

__all__ = ["PairScorer", "ScoreTable", "score_all"]

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class ScoreTable:
    """Every eligible pair: unit-level arrays and the member rows that make them up.

    ``pair_*`` arrays have one entry per eligible (unit, home) pair; ``member_*`` arrays
    one per (child, home) row of such a pair, ``member_pair`` pointing at its pair.
    Scores are integer points; a pair's score is the sum of its member rows.
    """

    units: tuple[Unit, ...]
    homes: tuple[Home, ...]
    child_ids: tuple[str, ...]
    pair_unit: IntArray
    pair_home: IntArray
    pair_score: IntArray
    pair_beds: IntArray
    pair_part_time: NDArray[np.bool_]
    """Per pair: the unit takes the home's part-time places (counted apart), not its beds."""
    member_pair: IntArray
    member_child: IntArray
    member_score: IntArray

    @property
    def n_pairs(self) -> int:
        return int(self.pair_unit.size)

    def rows(self) -> list[tuple[str, str, int]]:
        """``(child_id, home_id, score)`` per member row, by child then best score."""
        order = np.lexsort(
            (
                self.pair_home[self.member_pair],
                -self.member_score,
                self.member_child,
            )
        )
        child_ids, homes = self.child_ids, self.homes
        return [
            (
                child_ids[self.member_child[i]],
                homes[self.pair_home[self.member_pair[i]]].id,
                int(self.member_score[i]),
            )
            for i in order
        ]


def _child_arrays(ctx: Context) -> dict[str, NDArray[Any]]:
    sc, table, policy = ctx.scenario, ctx.table, ctx.policy
    kids = sc.children
    n = len(kids)
    parent_pc = np.array([table.index_of[c.parents_postcode.pc4] for c in kids], dtype=np.intp)
    school_pc = np.array(
        [table.index_of[c.school_postcode.pc4] if c.school_postcode else -1 for c in kids],
        dtype=np.intp,
    )
    return {
        "age": np.array([c.age for c in kids], dtype=np.int64),
        "parent_pc": parent_pc,
        "school_pc": school_pc,
        "needs": np.array(
            [eligibility.care_need.needs_of(c) for c in kids], dtype=np.int64
        ).reshape(n, len(CARE_DOMAINS)),
        "min_km": np.array(
            [eligibility.safety_distance.minimum_km(c) for c in kids], dtype=np.float64
        ),
        "commute": np.array([policy.school_commute_km(c.age) for c in kids], dtype=np.float64),
        "kind": np.array([_KINDS.index(c.kind) for c in kids], dtype=np.intp),
        "gated": np.array([eligibility.residential_gate.gated(ctx, c) for c in kids], dtype=bool),
        "lasting": np.array([criteria.stability.applies(c.kind) for c in kids], dtype=bool),
        "weeks": np.array([criteria.waiting.weeks_waited(ctx, c) for c in kids], dtype=np.int64),
    }


_KINDS: tuple[CareKind, ...] = tuple(CareKind)
#: The criteria a child may name in its wishes, by code.
_WISHABLE = (
    CriterionCode.DISTANCE_PARENTS,
    CriterionCode.SCHOOL,
    CriterionCode.SIBLINGS,
    CriterionCode.OWN_MUNICIPALITY,
    CriterionCode.RELIGION,
    CriterionCode.LANGUAGE,
)


def _wished(kids: Sequence[Child]) -> dict[CriterionCode, NDArray[np.bool_]]:
    """Per wishable criterion, which children named it."""
    return {
        code: np.array([c.wishes_for(code.value) for c in kids], dtype=bool) for code in _WISHABLE
    }


def _vocabulary(values: Sequence[str | None]) -> dict[str, int]:
    return {v: i for i, v in enumerate(sorted({v for v in values if v is not None}))}


def score_all(ctx: Context) -> ScoreTable:
    """Find and score every eligible (unit, home) pair of the scenario."""
    sc, table, policy = ctx.scenario, ctx.table, ctx.policy
    kids = sc.children
    child_pos = {c.id: i for i, c in enumerate(kids)}
    ha = HomeArrays(ctx, ctx.candidate_homes)
    homes, home_pos = ha.homes, ha.position
    ca = _child_arrays(ctx)
    n_homes = len(homes)
    home_pc, home_network = ha.pc, ha.network

    # ---- candidate (child, home) rows: spatial query for ordinary homes, known_to for network
    # A home without a free place of the kind a unit takes can have it only where the unit
    # lives whole already (beds and availability, below, decide). So the spatial query asks,
    # for the children of part-time units and for the others apart, only the homes with
    # such a place on the reference date (at four times the national size 20 of 49 million
    # rows), and a child's own home without room is a row of its own.
    units = ctx.units
    unit_of_child = np.empty(len(kids), dtype=np.int64)
    for ui, u in enumerate(units):
        for cid in u.members:
            unit_of_child[child_pos[cid]] = ui
    unit_part_time = np.array([ctx.takes_part_time(u) for u in units], dtype=bool)
    child_part_time = unit_part_time[unit_of_child]
    rows_c: list[NDArray[np.intp]] = []
    rows_h: list[NDArray[np.intp]] = []
    room: dict[bool, BoolArray] = {}
    near: dict[bool, tuple[NDArray[np.intp], NDArray[np.intp]]] = {}
    for part_time in (False, True):
        room[part_time] = ha.available & (ha.places(part_time) >= 1) & ~home_network
        near[part_time] = _near(
            ctx,
            ca["parent_pc"],
            np.flatnonzero(child_part_time == part_time),
            home_pc,
            room[part_time],
        )
        rows_c.append(near[part_time][0])
        rows_h.append(near[part_time][1])
    own = [
        (i, h)
        for i, c in enumerate(kids)
        if c.current_home is not None
        and (h := home_pos.get(c.current_home, -1)) >= 0
        and not (home_network[h] or room[bool(child_part_time[i])][h])
    ]
    own_rows = np.array(own, dtype=np.intp).reshape(-1, 2)
    rows_c.append(own_rows[:, 0])
    rows_h.append(own_rows[:, 1])
    for h in np.flatnonzero(home_network).tolist():
        known = [child_pos[cid] for cid in sorted(homes[h].known_to) if cid in child_pos]
        rows_c.append(np.array(known, dtype=np.intp))
        rows_h.append(np.full(len(known), h, dtype=np.intp))
    # supra-regional expertise: homes beyond the normal limit that meet an unmet
    # intensive need (eligibility.distance.limits_km); the few such children are searched directly
    for cid in sorted(ctx.specialist_domains):
        c = sc.child(cid)
        me = child_pos[cid]
        pt = bool(child_part_time[me])
        far = np.flatnonzero(
            (ctx.distances_from(ctx.parents_location(c), homes) > policy.max_distance_km)
            & (eligibility.distance.limits_km(ctx, c, ha) > ha.max_km)
            & room[pt]
        )
        if far.size:
            # The spatial query of the child's kind may have returned a few of those rows
            # already (its margin); no other row can hold one (a far home has room and is
            # no network home, and every other far row is another child's).
            near_c, near_h = near[pt]
            far = far[~np.isin(far, near_h[near_c == me])]
        rows_c.append(np.full(far.size, me, dtype=np.intp))
        rows_h.append(far.astype(np.intp))
    rc = np.concatenate(rows_c)
    rh = np.concatenate(rows_h)

    # ---- child-level rules (network: the candidate rows above are its array form)
    # The rules that need no distance first: they leave a small part of the candidate rows
    # (3 million on the national fixture), and only those are measured. Filtering keeps
    # the rows' order. Age, kind of care and the residential gate read a few facts of each
    # side: they run once per pair of classes (children, homes with equal facts: about a
    # hundred and a few dozen), and each row looks its pair up.
    offers = np.stack([ha.offers[k] for k in _KINDS], axis=1).reshape(n_homes, len(_KINDS))
    child_class, cr = _classes(np.column_stack((ca["age"], ca["kind"], ca["gated"])))
    home_class, hr = _classes(np.column_stack((ha.age_min, ha.age_max, ha.residential, offers)))
    cr, hr = cr[:, None], hr[None, :]
    fits = ~eligibility.age.excludes(ca["age"][cr], ha.age_min[hr], ha.age_max[hr])
    fits &= offers[hr, ca["kind"][cr]]
    fits &= ~(ca["gated"][cr] & ha.residential[hr])
    ok = fits[child_class[rc], home_class[rh]]
    rc, rh = rc[ok], rh[ok]
    # care needs likewise: a few hundred need profiles against a few hundred capabilities
    need_class, nr = _classes(ca["needs"])
    able_class, ar = _classes(ha.capability)
    meets = ~eligibility.care_need.excludes(ca["needs"][nr, None, :], ha.capability[None, ar, :])
    ok = meets[need_class[rc], able_class[rh]]
    # keep-apart, declines within memory and breakdowns: a few named homes per child
    # (child, home) as one key, child * n_homes + home, looked up in the sorted keys
    forbidden = [
        child_pos[c.id] * n_homes + home_pos[hid]
        for c in kids
        for hid in (
            eligibility.keep_apart.homes_to_avoid(ctx, c.id)
            | set(eligibility.declined.recent_declines(ctx, c))
            | set(eligibility.breakdown.breakdowns(c))
            | {eligibility.care_kind.lives_in_for_part_time(c)}
        )
        if hid in home_pos
    ]
    if forbidden:
        ok &= ~_member(rc.astype(np.int64) * n_homes + rh, np.unique(forbidden))
    rc, rh = rc[ok], rh[ok]
    d = engine_km(
        table.latitudes[ca["parent_pc"][rc]],
        table.longitudes[ca["parent_pc"][rc]],
        table.latitudes[home_pc[rh]],
        table.longitudes[home_pc[rh]],
    )
    limit = ha.max_km[rh]
    if ctx.specialist_domains:
        limit = limit.copy()
        for cid in ctx.specialist_domains:
            mine = rc == child_pos[cid]
            limit[mine] = eligibility.distance.limits_km(ctx, sc.child(cid), ha)[rh[mine]]
    ok = ~eligibility.distance.excludes(d, limit)
    ok &= ~eligibility.safety_distance.excludes(d, ca["min_km"][rc])
    rc, rh, d = rc[ok], rh[ok], d[ok]

    # ---- unit-level rules: every member must be eligible; then beds, siblings, availability
    unit_size = np.array([u.size for u in units], dtype=np.int64)
    ru = unit_of_child[rc]
    key = ru * n_homes + rh
    keys, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    p_unit, p_home = keys // n_homes, keys % n_homes
    current = np.array(
        [home_pos.get(c.current_home, -1) if c.current_home else -1 for c in kids], dtype=np.int64
    )
    lives_there = (current[rc] == rh).astype(np.int64)
    residents_in_unit = np.bincount(inverse, weights=lives_there, minlength=keys.size).astype(
        np.int64
    )
    beds_needed = unit_size[p_unit] - residents_in_unit
    together = unit_size[p_unit] > 1
    pair_ok = counts == unit_size[p_unit]
    part_time = unit_part_time[p_unit] & (ha.part_time_places[p_home] >= 0)
    pair_ok &= ~eligibility.beds.excludes(ha.places(part_time, p_home), beds_needed)
    pair_ok &= ~eligibility.siblings.excludes(
        together,
        unit_size[p_unit],
        ha.max_siblings[p_home],
        _siblings_living_here(ctx, units, home_pos, keys, n_homes),
    )
    # availability's array form: HomeArrays.available, Home.available_on home by home
    pair_ok &= ha.available[p_home]

    new_index = np.cumsum(pair_ok) - 1
    keep_rows = pair_ok[inverse]
    rc, rh, d, lives_there = rc[keep_rows], rh[keep_rows], d[keep_rows], lives_there[keep_rows]
    member_pair = new_index[inverse[keep_rows]]

    score = PairScorer(ctx, ha, ca).scores(rc, rh, d, unit_size[unit_of_child[rc]], lives_there)

    n_pairs = int(pair_ok.sum())
    pair_score = np.bincount(member_pair, weights=score, minlength=n_pairs).astype(np.int64)
    return ScoreTable(
        units=units,
        homes=homes,
        child_ids=tuple(c.id for c in kids),
        pair_unit=p_unit[pair_ok].astype(np.int64),
        pair_home=p_home[pair_ok].astype(np.int64),
        pair_score=pair_score,
        pair_beds=beds_needed[pair_ok].astype(np.int64),
        pair_part_time=part_time[pair_ok],
        member_pair=member_pair.astype(np.int64),
        member_child=rc.astype(np.int64),
        member_score=score,
    )


class PairScorer:
    """The points of (child, home) rows, every criterion's array form elementwise.

    Built once per context (the children's and homes' arrays and vocabularies);
    :meth:`scores` then scores any rows: every eligible pair of the scenario
    (:func:`score_all`) or one unit's eligible homes (:class:`matching.ranking.Ranker`).
    Rows must be eligible pairs: the points of an ineligible pair mean nothing.
    """

    def __init__(
        self, ctx: Context, ha: HomeArrays, ca: dict[str, NDArray[Any]] | None = None
    ) -> None:
        sc, table, policy = ctx.scenario, ctx.table, ctx.policy
        kids, homes = sc.children, ha.homes
        self.policy, self.table, self.ha = policy, table, ha
        self.ca = _child_arrays(ctx) if ca is None else ca
        self.child_position = {c.id: i for i, c in enumerate(kids)}
        self.wished = _wished(kids)
        self.type_points = np.array(
            [criteria.home_type.points(policy, h.type) for h in homes], dtype=np.int64
        )
        muni_vocab = _vocabulary(list(table.municipality_codes))
        self.muni = np.array([muni_vocab[m] for m in table.municipality_codes], dtype=np.int64)
        religions = _vocabulary([c.religion for c in kids] + [h.religion for h in homes])
        self.child_rel = np.array(
            [religions.get(c.religion, -1) if c.religion else -1 for c in kids]
        )
        self.home_rel = np.array(
            [religions.get(h.religion, -2) if h.religion else -2 for h in homes]
        )
        langs = _vocabulary(
            [lang for c in kids for lang in c.languages]
            + [lang for h in homes for lang in criteria.language.home_languages(h)]
        )
        self.child_lang = _language_sets(kids, langs)
        self.home_lang = _language_sets(homes, langs, default=("nl",))

    def scores(
        self,
        rc: IntArray,
        rh: IntArray,
        d: NDArray[np.float64],
        size: IntArray,
        lives_there: IntArray,
    ) -> IntArray:
        """Points per row: child ``rc`` (position in the scenario's children) in home
        ``rh`` (position in the home arrays), ``d`` km from its parents, in a unit of
        ``size`` children, ``lives_there`` 1 where the child lives in the home now."""
        policy, table, ha, ca = self.policy, self.table, self.ha, self.ca
        wished, factor = self.wished, policy.wish_factor
        home_pc = ha.pc

        def weighed(code: CriterionCode, pts: Any) -> IntArray:
            """The points as each child weighs them: scaled where the child named ``code``."""
            pts = np.asarray(pts, dtype=np.int64)
            return np.asarray(
                np.where(wished[code][rc], wishes.scale(pts, factor), pts), dtype=np.int64
            )

        score = self.type_points[rh].copy()
        score += weighed(
            CriterionCode.DISTANCE_PARENTS,
            criteria.distance_parents.points(
                policy.points_distance_parents, d, policy.max_distance_km
            ),
        )

        child_age = ca["age"][rc]
        school_pc = ca["school_pc"][rc]
        has_school = (school_pc >= 0) & (child_age >= policy.school_age)
        sp = np.where(has_school, school_pc, 0)
        d_school = engine_km(
            table.latitudes[sp],
            table.longitudes[sp],
            table.latitudes[home_pc[rh]],
            table.longitudes[home_pc[rh]],
        )
        score += weighed(
            CriterionCode.SCHOOL,
            criteria.school.points(policy.points_school, has_school, d_school <= ca["commute"][rc]),
        )

        score += weighed(
            CriterionCode.SIBLINGS,
            criteria.siblings_together.points(policy.points_siblings_together, size),
        )

        score += np.where(
            ca["lasting"][rc],
            criteria.stability.points(
                policy.points_stability, child_age, ha.age_max[rh], policy.adult_age
            ),
            policy.points_stability,
        ).astype(np.int64)

        # staying earns points only outside residential groups (uitstroom)
        score += criteria.current_home.points(
            policy.points_stay_current_home, lives_there * ~ha.residential[rh]
        )

        same_muni = self.muni[ca["parent_pc"][rc]] == self.muni[home_pc[rh]]
        score += weighed(
            CriterionCode.OWN_MUNICIPALITY,
            criteria.own_municipality.points(policy.points_own_municipality, same_muni),
        )

        child_rel, home_rel = self.child_rel, self.home_rel
        score += weighed(
            CriterionCode.RELIGION,
            criteria.religion.points(
                policy.points_religion, child_rel[rc] != -1, child_rel[rc] == home_rel[rh]
            ),
        )

        child_lang, home_lang = self.child_lang, self.home_lang
        score += weighed(
            CriterionCode.LANGUAGE,
            criteria.language.points(
                policy.points_language,
                np.any(child_lang[rc], axis=1),
                np.any(child_lang[rc] & home_lang[rh], axis=1),
            ),
        )
        score += criteria.waiting.points(
            policy.points_waiting_per_week, policy.points_waiting_max, ca["weeks"][rc]
        ).astype(np.int64)

        return np.asarray(score, dtype=np.int64)


def _near(
    ctx: Context, parent_pc: IntArray, children: IntArray, home_pc: IntArray, homes: BoolArray
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Every (child, home) row of these children and homes whose postcodes may lie within
    the policy's distance of each other (a spatial query per postcode; the exact distance
    rule runs later on every row)."""
    table = ctx.table
    ordinary = np.flatnonzero(homes)
    if children.size == 0 or ordinary.size == 0:
        empty = np.empty(0, dtype=np.intp)
        return empty, empty
    parent_pcs, parent_inverse = np.unique(parent_pc[children], return_inverse=True)
    home_pcs, home_inverse = np.unique(home_pc[ordinary], return_inverse=True)
    index = SpatialIndex(table.latitudes[home_pcs], table.longitudes[home_pcs])
    q_pc, h_pc = index.within(
        table.latitudes[parent_pcs], table.longitudes[parent_pcs], ctx.policy.max_distance_km
    )
    near_c, near_h = _expand(
        q_pc, parent_inverse, len(parent_pcs), h_pc, home_inverse, len(home_pcs)
    )
    return children[near_c].astype(np.intp), ordinary[near_h].astype(np.intp)


def _classes(facts: NDArray[Any]) -> tuple[IntArray, IntArray]:
    """Rows of ``facts`` that are equal share a class: each row's class, and one row per class."""
    _, first, inverse = np.unique(facts, axis=0, return_index=True, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64), first.astype(np.int64)


def _member(keys: IntArray, sorted_keys: IntArray) -> NDArray[np.bool_]:
    """Elementwise: the key is one of ``sorted_keys`` (sorted, not empty). A binary search
    per key: np.isin would sort both arrays together, the rows' keys as well."""
    at = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    return np.asarray(sorted_keys[at] == keys)


def _language_sets(
    objects: Sequence[Child | Home], vocab: dict[str, int], default: tuple[str, ...] = ()
) -> NDArray[np.bool_]:
    """One row per object, one boolean column per language in ``vocab``."""
    out = np.zeros((len(objects), max(1, len(vocab))), dtype=bool)
    for i, obj in enumerate(objects):
        for lang in obj.languages or default:
            out[i, vocab[lang]] = True
    return out


def _expand(
    left_pairs: NDArray[np.intp],
    left_labels: NDArray[np.intp],
    n_left: int,
    right_pairs: NDArray[np.intp],
    right_labels: NDArray[np.intp],
    n_right: int,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Expand label pairs ``(l, r)`` into all item pairs with those labels, vectorised.

    ``left_labels[i]`` is the label of left item ``i`` (likewise right); returns the left
    and the right item index of every expanded pair.
    """
    l_order = np.argsort(left_labels, kind="stable")
    l_start = np.searchsorted(left_labels[l_order], np.arange(n_left + 1))
    r_order = np.argsort(right_labels, kind="stable")
    r_start = np.searchsorted(right_labels[r_order], np.arange(n_right + 1))
    l_count = np.diff(l_start)[left_pairs]
    r_count = np.diff(r_start)[right_pairs]
    sizes = l_count * r_count
    total = int(sizes.sum())
    pair = np.repeat(np.arange(left_pairs.size), sizes)
    offset = np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    left = l_order[l_start[left_pairs[pair]] + offset // r_count[pair]]
    right = r_order[r_start[right_pairs[pair]] + offset % r_count[pair]]
    return left.astype(np.intp), right.astype(np.intp)


def _siblings_living_here(
    ctx: Context, units: Sequence[Unit], home_pos: Mapping[str, int], keys: IntArray, n_homes: int
) -> IntArray:
    """Per (unit, home) key, the brothers and sisters of a unit placed apart who live in
    that home now: :func:`matching.rules.eligibility.siblings.living_here`, elementwise."""
    here = np.zeros(keys.size, dtype=np.int64)
    counted: Counter[int] = Counter()
    for u, unit in enumerate(units):
        for _, hid in eligibility.siblings.living(ctx, unit):
            if hid in home_pos:
                counted[u * n_homes + home_pos[hid]] += 1
    if counted and keys.size:
        ks = np.fromiter(counted.keys(), dtype=np.int64, count=len(counted))
        vs = np.fromiter(counted.values(), dtype=np.int64, count=len(counted))
        pos = np.minimum(np.searchsorted(keys, ks), keys.size - 1)
        hit = keys[pos] == ks
        here[pos[hit]] = vs[hit]
    return here
