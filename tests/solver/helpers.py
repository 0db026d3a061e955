"""Builders and an independent referee for the solver tests.

:func:`random_doc` makes small valid scenarios rich in the rules the solver must respect;
:func:`brute_force` finds their lexicographic optimum by trying every assignment, using
only :func:`matching.rules.assess` (the per-pair path), never the solver's own arrays.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from matching import Context, Home, Unit, assess
from solver.batch import Batch, LexValue
from tests.builders import child, home, scenario_doc

__all__ = [
    "POSTCODES",
    "all_values",
    "brute_force",
    "check_answer",
    "random_doc",
    "random_problem",
]

# Ede, Wageningen, Veenendaal, Barneveld, and 30-50 km out (Utrecht, Deventer, Nijmegen,
# Apeldoorn): within the distance limit of the centre, so points vary widely, and some
# pairs beyond it.
POSTCODES = ["6712", "6714", "6717", "6708", "3905", "3771", "3511", "7411", "6511", "7311"]


def random_doc(seed: int, max_children: int = 6, max_homes: int = 3) -> dict[str, Any]:
    """A small scenario with crisis children, sibling groups, keep-apart and residents.

    Beds are scarce (fewer than children, as in reality), so that the order of the
    objective matters: who is placed, and at what cost in points.
    """
    rng = random.Random(seed)
    n_children = rng.randint(3, max_children)
    n_homes = rng.randint(1, max_homes)
    kids: list[dict[str, Any]] = []
    i = 0
    while len(kids) < n_children:
        size = rng.choice([1, 1, 1, 2, 2, 3]) if n_children - len(kids) >= 2 else 1
        size = min(size, n_children - len(kids))
        ids = [f"C-{i + k}" for k in range(size)]
        i += size
        split = size > 1 and rng.random() < 0.25
        for k, cid in enumerate(ids):
            crisis = rng.random() < 0.35
            doc = child(
                cid,
                age=rng.randint(2, 17),
                # Crisis cases often come from farther away: their points are lower, so
                # only the lexicographic order places them before nearer children.
                parents_postcode=rng.choice(
                    POSTCODES[6:] if crisis and rng.random() < 0.6 else POSTCODES
                ),
                urgency="crisis" if crisis else "planned",
            )
            if rng.random() < 0.3:
                doc["needs"] = {"trauma": rng.choice([1, 1, 2, 3])}
            if size > 1:
                doc["siblings"] = [s for s in ids if s != cid]
                if split and k == 0:
                    doc["split_reason"] = rng.choice(["severe_conflict", "specialist_care"])
            kids.append(doc)
    homes: list[dict[str, Any]] = []
    for h in range(n_homes):
        lo = rng.choice([0, 0, 0, 4, 12])
        doc = home(
            f"H-{h}",
            type=rng.choice(["foster", "foster", "family_home", "small_scale", "residential"]),
            postcode=rng.choice(POSTCODES),
            beds_free=rng.choice([1, 1, 1, 2, 2, 3]),
            age_min=lo,
            age_max=rng.choice([12, 17, 18, 18]) if lo < 12 else 18,
            capabilities={"trauma": rng.choice([1, 2, 2, 3])},
        )
        if rng.random() < 0.2:
            doc["max_siblings"] = rng.randint(1, 2)
        homes.append(doc)
    # A network home for one child, now and then.
    if rng.random() < 0.3:
        homes.append(
            home(
                f"H-{n_homes}",
                type="network_foster",
                postcode=rng.choice(POSTCODES),
                beds_free=1,
                known_to=[kids[0]["id"]],
            )
        )
    singles = [k for k in kids if "siblings" not in k]
    # A resident waiting for a move (it needs no bed where it lives).
    if singles and rng.random() < 0.3:
        resident = singles.pop()
        resident["current_home"] = rng.choice(homes)["id"]
    # Two unrelated children who must never share a home.
    if len(singles) >= 2 and rng.random() < 0.5:
        a, b = rng.sample(singles, 2)
        a["keep_apart"] = [b["id"]]
        b["keep_apart"] = [a["id"]]
    # A brother or sister placed apart who lives in a home now: with max_siblings, it
    # counts against the home's limit for the others (drawn last, so that the draws above
    # stay those of every seed before).
    placed_apart = {m for k in kids if k.get("split_reason") for m in (k["id"], *k["siblings"])}
    apart = [k for k in kids if k["id"] in placed_apart]
    if apart and rng.random() < 0.5:
        rng.choice(apart)["current_home"] = rng.choice(homes)["id"]
    return scenario_doc(homes, kids)


def _options(ctx: Context) -> list[list[tuple[Home | None, int]]]:
    out: list[list[tuple[Home | None, int]]] = []
    for unit in ctx.units:
        opts: list[tuple[Home | None, int]] = [(None, 0)]
        for h in ctx.candidate_homes:
            verdict = assess(ctx, unit, h)
            if verdict.eligible:
                opts.append((h, verdict.score))
        out.append(opts)
    return out


#: Written out here, not imported: the reference states the rule on its own.
_PROTECTIVE = {"sibling_threat", "severe_conflict", "sexual_abuse_suspected"}


def _apart(ctx: Context) -> set[frozenset[str]]:
    """Pairs never in one home: either child's keep_apart, or a protective split reason
    of either child between brothers and sisters."""
    pairs = {frozenset((c.id, other)) for c in ctx.scenario.children for other in c.keep_apart}
    for c in ctx.scenario.children:
        if c.split_reason is not None and c.split_reason.value in _PROTECTIVE:
            pairs |= {frozenset((c.id, s)) for s in ctx.unit_of[c.id].group if s != c.id}
    return pairs


def _over_family_limit(ctx: Context, placements: Mapping[str, list[str]]) -> bool:
    """Whether children placed apart from their brothers and sisters come to a home where,
    with those who live there now (they may stay), the family passes its ``max_siblings``
    (a group placed whole is checked by the per-pair rules)."""
    for hid, members in placements.items():
        limit = ctx.scenario.home(hid).max_siblings
        if limit is None:
            continue
        newcomers: dict[tuple[str, ...], int] = {}
        for cid in members:
            unit = ctx.unit_of[cid]
            if len(unit.group) > 1 and unit.size == 1 and hid not in ctx.lives_in.get(cid, ()):
                newcomers[unit.group] = newcomers.get(unit.group, 0) + 1
        for group, n in newcomers.items():
            there_now = sum(1 for s in group if hid in ctx.lives_in.get(s, ()))
            if n + there_now > limit:
                return True
    return False


def _beds_needed(ctx: Context, unit: Unit, home_id: str) -> int:
    return sum(1 for cid in unit.members if ctx.scenario.child(cid).current_home != home_id)


def brute_force(ctx: Context) -> LexValue:
    """The lexicographic optimum by enumeration, from the per-pair rules only."""
    return max(all_values(ctx, _options(ctx)), default=LexValue(0, 0, 0))


def all_values(
    ctx: Context, options: list[list[tuple[Home | None, int]]] | None = None
) -> Iterable[LexValue]:
    """The value of every valid assignment, by enumeration, from the per-pair rules only."""
    options = _options(ctx) if options is None else options
    apart = _apart(ctx)
    crisis = {c.id for c in ctx.scenario.children if c.is_crisis}
    for combo in itertools.product(*options):
        used: dict[str, int] = {}
        living: dict[str, list[str]] = {}
        ok = True
        for unit, (h, _score) in zip(ctx.units, combo, strict=True):
            if h is None:
                continue
            used[h.id] = used.get(h.id, 0) + _beds_needed(ctx, unit, h.id)
            if used[h.id] > h.beds_free:
                ok = False
                break
            living.setdefault(h.id, []).extend(unit.members)
        if not ok:
            continue
        if any(
            frozenset(pair) in apart
            for members in living.values()
            for pair in itertools.combinations(members, 2)
        ):
            continue
        if _over_family_limit(ctx, living):
            continue
        value = LexValue(
            sum(
                1
                for unit, (h, _) in zip(ctx.units, combo, strict=True)
                if h
                for m in unit.members
                if m in crisis
            ),
            sum(unit.size for unit, (h, _) in zip(ctx.units, combo, strict=True) if h),
            sum(s for _, s in combo),
        )
        yield value


def check_answer(ctx: Context, placements: Mapping[str, str], scores: Mapping[str, int]) -> None:
    """Every rule of the contract on a batch answer (child -> home), checked from scratch."""
    sc = ctx.scenario
    for unit in ctx.units:
        homes = {placements.get(cid) for cid in unit.members}
        # A unit (a group without split_reason, or one child) is in one home or in none.
        assert len(homes) == 1, f"unit {unit.members} split over {homes}"
        (hid,) = homes
        if hid is None:
            continue
        verdict = assess(ctx, unit, sc.home(hid))
        assert verdict.eligible, f"{unit.members} in {hid}: {verdict.reasons}"
        for m in verdict.members:
            assert scores[m.child_id] == m.score
    for h in ctx.candidate_homes:
        # Part-time places are counted apart where the home says so; all else takes beds.
        for part_time in (False, True):
            newcomers = [
                cid
                for cid, hid in placements.items()
                if hid == h.id
                and sc.child(cid).current_home != h.id
                and (ctx.takes_part_time(ctx.unit_of[cid]) and h.part_time_places_free is not None)
                == part_time
            ]
            free = h.part_time_places_free if part_time else h.beds_free
            assert len(newcomers) <= (free or 0), f"{h.id}: {len(newcomers)} > {free}"
    together: dict[str, list[str]] = {}
    for cid, hid in placements.items():
        together.setdefault(hid, []).append(cid)
    apart = _apart(ctx)
    for members in together.values():
        for a, b in itertools.combinations(members, 2):
            assert frozenset((a, b)) not in apart, (a, b)
    assert not _over_family_limit(ctx, together), together


def random_problem(seed: int, units: int, homes: int, per_unit: int, groups: float = 0.15) -> Batch:
    """A synthetic batch as arrays: scarce beds, some groups, for engine-level tests."""
    rng = np.random.default_rng(seed)
    size = np.where(rng.random(units) < groups, rng.integers(2, 4, units), 1).astype(np.int64)
    beds = rng.integers(1, 4, homes).astype(np.int64)
    pu: list[int] = []
    ph: list[int] = []
    for u in range(units):
        fit = np.flatnonzero(beds >= size[u])
        if fit.size == 0:
            continue
        chosen = rng.choice(fit, size=min(per_unit, fit.size), replace=False)
        pu.extend([u] * chosen.size)
        ph.extend(chosen.tolist())
    pair_unit = np.array(pu, dtype=np.int64)
    pair_home = np.array(ph, dtype=np.int64)
    return Batch(
        unit_members=tuple(
            (f"C-{u}",) if size[u] == 1 else tuple(f"C-{u}-{k}" for k in range(size[u]))
            for u in range(units)
        ),
        unit_size=size,
        unit_crisis=(rng.random(units) < 0.2).astype(np.int64) * size,
        unit_arrival=np.arange(units, dtype=np.int64),
        home_ids=tuple(f"H-{h}" for h in range(homes)),
        home_beds=beds,
        pair_unit=pair_unit,
        pair_home=pair_home,
        pair_score=(rng.integers(50, 400, pair_unit.size) * size[pair_unit]).astype(np.int64),
        pair_beds=size[pair_unit],
        conflicts=np.empty((0, 2), dtype=np.int64),
    )


def placements_of(rows: Iterable[Any]) -> tuple[dict[str, str], dict[str, int]]:
    """child -> home and child -> score from assignments (dataclasses or JSON dicts)."""
    homes: dict[str, str] = {}
    scores: dict[str, int] = {}
    for a in rows:
        cid = a["child_id"] if isinstance(a, dict) else a.child_id
        homes[cid] = a["home_id"] if isinstance(a, dict) else a.home_id
        scores[cid] = a["score"] if isinstance(a, dict) else a.score
    return homes, scores
