"""Candidate search and scoring of every eligible (unit, home) pair at once, vectorised.

For a national instance (3,000 children, 20,000 registered homes) the per-pair path would
take minutes; here a k-d tree finds the homes within the distance limit of each parents'
postcode and numpy applies every rule and criterion to all pairs in a few array passes.
The arithmetic mirrors :mod:`matching.rules` operation by operation, so the scores are
identical (a property test compares them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.context import Context
from matching.geo import SpatialIndex, great_circle_km, round_km
from matching.model import CARE_DOMAINS, Child, Home, HomeType
from matching.siblings import Unit

__all__ = ["ScoreTable", "score_all"]

IntArray = NDArray[np.int64]
_NO_LIMIT = 1 << 30


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
    member_pair: IntArray
    member_child: IntArray
    member_score: IntArray

    @property
    def n_pairs(self) -> int:
        return int(self.pair_unit.size)

    @cached_property
    def unit_index(self) -> dict[tuple[str, ...], int]:
        return {u.members: i for i, u in enumerate(self.units)}

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
            [[c.need(d) for d in CARE_DOMAINS] for c in kids], dtype=np.int64
        ).reshape(n, len(CARE_DOMAINS)),
        "min_km": np.array(
            [
                c.min_distance_from_parents_km
                if c.min_distance_from_parents_km is not None
                else -1.0
                for c in kids
            ],
            dtype=np.float64,
        ),
        "commute": np.array([policy.school_commute_km(c.age) for c in kids], dtype=np.float64),
    }


def _vocabulary(values: Sequence[str | None]) -> dict[str, int]:
    return {v: i for i, v in enumerate(sorted({v for v in values if v is not None}))}


def score_all(ctx: Context) -> ScoreTable:
    """Find and score every eligible (unit, home) pair of the scenario."""
    sc, table, policy = ctx.scenario, ctx.table, ctx.policy
    kids = sc.children
    child_pos = {c.id: i for i, c in enumerate(kids)}
    homes = ctx.candidate_homes
    home_pos = {h.id: i for i, h in enumerate(homes)}
    ca = _child_arrays(ctx)
    n_homes = len(homes)

    home_pc = np.array([table.index_of[h.postcode.pc4] for h in homes], dtype=np.intp)
    home_network = np.array([h.type is HomeType.NETWORK_FOSTER for h in homes], dtype=bool)

    # ---- candidate (child, home) rows: spatial query for ordinary homes, known_to for network
    ordinary = np.flatnonzero(~home_network)
    parent_pcs, parent_inverse = np.unique(ca["parent_pc"], return_inverse=True)
    ordinary_pcs, ordinary_inverse = np.unique(home_pc[ordinary], return_inverse=True)
    index = SpatialIndex(table.latitudes[ordinary_pcs], table.longitudes[ordinary_pcs])
    q_pc, h_pc = index.within(
        table.latitudes[parent_pcs], table.longitudes[parent_pcs], policy.max_distance_km
    )
    near_c, near_h = _expand(
        q_pc, parent_inverse, len(parent_pcs), h_pc, ordinary_inverse, len(ordinary_pcs)
    )
    rows_c, rows_h = [near_c], [ordinary[near_h]]
    for h in np.flatnonzero(home_network).tolist():
        known = [child_pos[cid] for cid in sorted(homes[h].known_to) if cid in child_pos]
        rows_c.append(np.array(known, dtype=np.intp))
        rows_h.append(np.full(len(known), h, dtype=np.intp))
    rc = np.concatenate(rows_c) if rows_c else np.empty(0, dtype=np.intp)
    rh = np.concatenate(rows_h) if rows_h else np.empty(0, dtype=np.intp)

    # ---- child-level rules
    d = round_km(
        great_circle_km(
            table.latitudes[ca["parent_pc"][rc]],
            table.longitudes[ca["parent_pc"][rc]],
            table.latitudes[home_pc[rh]],
            table.longitudes[home_pc[rh]],
        )
    )
    age_min = np.array([h.age_min for h in homes], dtype=np.int64)
    age_max = np.array([h.age_max for h in homes], dtype=np.int64)
    caps = np.array(
        [[h.capability(dm) for dm in CARE_DOMAINS] for h in homes], dtype=np.int64
    ).reshape(n_homes, len(CARE_DOMAINS))
    max_km = np.array([policy.max_distance_for(h.type) for h in homes], dtype=np.float64)
    age = ca["age"][rc]
    ok = (age >= age_min[rh]) & (age <= age_max[rh])
    ok &= np.all(ca["needs"][rc] <= caps[rh], axis=1)
    ok &= d <= max_km[rh]
    ok &= d >= ca["min_km"][rc]
    forbidden = {
        (child_pos[c.id], home_pos[hid])
        for c in kids
        for other in ctx.keep_apart[c.id]
        for hid in ctx.lives_in.get(other, ())
        if hid in home_pos
    }
    if forbidden:
        ok &= np.array(
            [(c, h) not in forbidden for c, h in zip(rc.tolist(), rh.tolist(), strict=True)],
            dtype=bool,
        )
    rc, rh, d = rc[ok], rh[ok], d[ok]

    # ---- unit-level rules: every member must be eligible; then beds, siblings, availability
    units = ctx.units
    unit_of_child = np.empty(len(kids), dtype=np.int64)
    for ui, u in enumerate(units):
        for cid in u.members:
            unit_of_child[child_pos[cid]] = ui
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
    beds = np.array([h.beds_free for h in homes], dtype=np.int64)
    sib_limit = np.array(
        [h.max_siblings if h.max_siblings is not None else _NO_LIMIT for h in homes], dtype=np.int64
    )
    available = np.array([h.available_on(sc.reference_date) for h in homes], dtype=bool)
    together = unit_size[p_unit] > 1
    pair_ok = counts == unit_size[p_unit]
    pair_ok &= beds[p_home] >= beds_needed
    pair_ok &= ~together | (unit_size[p_unit] <= sib_limit[p_home])
    pair_ok &= available[p_home]

    new_index = np.cumsum(pair_ok) - 1
    keep_rows = pair_ok[inverse]
    rc, rh, d, lives_there = rc[keep_rows], rh[keep_rows], d[keep_rows], lives_there[keep_rows]
    member_pair = new_index[inverse[keep_rows]]

    # ---- member scores: the formulas of matching.rules, elementwise
    type_points = np.array([policy.points_type.for_type(h.type) for h in homes], dtype=np.int64)
    score = type_points[rh].copy()
    w = policy.points_distance_parents
    score += np.floor(w * np.maximum(0.0, 1.0 - d / policy.max_distance_km) + 0.5).astype(np.int64)

    w = policy.points_school
    age = ca["age"][rc]
    school_pc = ca["school_pc"][rc]
    has_school = (school_pc >= 0) & (age >= policy.school_age)
    sp = np.where(has_school, school_pc, 0)
    d_school = round_km(
        great_circle_km(
            table.latitudes[sp],
            table.longitudes[sp],
            table.latitudes[home_pc[rh]],
            table.longitudes[home_pc[rh]],
        )
    )
    score += np.where(~has_school | (d_school <= ca["commute"][rc]), w, 0)

    score += np.where(unit_size[unit_of_child[rc]] > 1, policy.points_siblings_together, 0)

    needed = np.maximum(1, policy.adult_age - age)
    covered = np.minimum(needed, np.maximum(0, age_max[rh] + 1 - age))
    score += np.floor(policy.points_stability * covered / needed + 0.5).astype(np.int64)

    score += lives_there * policy.points_stay_current_home

    muni_vocab = _vocabulary(list(table.municipality_codes))
    muni = np.array([muni_vocab[m] for m in table.municipality_codes], dtype=np.int64)
    same_muni = muni[ca["parent_pc"][rc]] == muni[home_pc[rh]]
    score += np.where(same_muni, policy.points_own_municipality, 0)

    religions = _vocabulary([c.religion for c in kids] + [h.religion for h in homes])
    child_rel = np.array([religions.get(c.religion, -1) if c.religion else -1 for c in kids])
    home_rel = np.array([religions.get(h.religion, -2) if h.religion else -2 for h in homes])
    score += np.where(
        (child_rel[rc] == -1) | (child_rel[rc] == home_rel[rh]), policy.points_religion, 0
    )

    langs = _vocabulary(
        [lang for c in kids for lang in c.languages]
        + [lang for h in homes for lang in (h.languages or ("nl",))]
    )
    child_lang = _language_sets(kids, langs)
    home_lang = _language_sets(homes, langs, default=("nl",))
    lang_ok = np.any(child_lang[rc] & home_lang[rh], axis=1) | ~np.any(child_lang[rc], axis=1)
    score += np.where(lang_ok, policy.points_language, 0)

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
        member_pair=member_pair.astype(np.int64),
        member_child=rc.astype(np.int64),
        member_score=score,
    )


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
