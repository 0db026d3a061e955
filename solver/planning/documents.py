"""The planning answers as documents: the frontier keys of ``dichtbij match --json`` (and
of a match run) and the ``dichtbij capacity --json`` document."""

from __future__ import annotations

from typing import Any

from matching.bulk import score_all
from matching.context import Context
from matching.documents import FrontierPointDoc, FrontierSummaryDoc, MatchDocument
from matching.explain import Lang
from matching.model import Scenario
from solver.batch import build_batch
from solver.match import MatchResult, Status, match
from solver.planning.capacity import CapacityPlan
from solver.planning.explain import choice_text, frontier_text, profile_text, recruitment_text
from solver.planning.frontier import Frontier, chosen_point, frontier, pairs_of_assignment
from solver.planning.recruitment import Profile

__all__ = [
    "MAX_FRONTIER",
    "capacity_json",
    "frontier_docs",
    "match_with_frontier",
    "match_with_frontier_json",
    "profile_json",
]

MAX_FRONTIER = 20
"""The widest frontier asked for in one run: each point is one or two exact solves."""


def frontier_docs(
    front: Frontier, km: float | None, lang: Lang
) -> tuple[list[FrontierPointDoc], FrontierSummaryDoc]:
    picked = chosen_point(front.points, km)
    top = front.points[-1].placed if front.points else 0
    text = frontier_text(front.points, lang)
    choice = choice_text(picked, top, km, lang)
    if choice is not None:
        text = choice if text is None else f"{text} {choice}"
    points = [
        FrontierPointDoc(
            placed=p.placed,
            placed_crisis=p.placed_crisis,
            total_score=p.total_score,
            distance_mean_km=p.distance_mean_km,
            distance_median_km=p.distance_median_km,
            status=p.status,
            score_bound=p.score_bound,
            distance_total_km=p.distance_total_km,
            chosen=p.placed == picked,
        )
        for p in front.points
    ]
    summary = FrontierSummaryDoc(
        text=text,
        chosen_placed=picked,
        max_extra_distance_km=km,
        optimal=front.optimal,
        wall_time_s=round(front.wall_time_s, 3),
    )
    return points, summary


def match_with_frontier(
    ctx: Context, width: int, time_limit: float | None = None, lang: Lang = "nl"
) -> tuple[MatchResult, Frontier | None, MatchDocument]:
    """The batch match and, for ``width`` > 0, its frontier of ``width`` points below.

    ``time_limit`` bounds the match and, separately, the frontier. The frontier's first
    stage leans on the match's crisis count as a bound, so it is used only when the
    match is proven optimal; otherwise every point is solved in full.
    """
    if not 0 <= width <= MAX_FRONTIER:
        raise ValueError(f"frontier: between 0 and {MAX_FRONTIER} points, not {width}")
    table = score_all(ctx)
    result = match(ctx, table, time_limit=time_limit)
    if width == 0:
        return result, None, result.document(lang)
    problem = build_batch(ctx, table)
    optimum = pairs_of_assignment(problem, {a.child_id: a.home_id for a in result.assignments})
    front = frontier(
        ctx,
        problem,
        optimum,
        width,
        time_limit,
        optimum_proven=result.status is Status.OPTIMAL,
    )
    km = ctx.policy.max_extra_distance_km
    return result, front, result.document(lang, frontier_docs(front, km, lang))


def match_with_frontier_json(
    scenario: Scenario, width: int, time_limit_s: float | None = None, lang: Lang = "nl"
) -> dict[str, Any]:
    """The ``dichtbij match --frontier K --json`` document (a match run with ``frontier``)."""
    _, _, doc = match_with_frontier(Context.of(scenario), width, time_limit_s, lang)
    return doc.to_json()


def profile_json(p: Profile, lang: Lang) -> dict[str, Any]:
    """One recruitment profile as a document, naming its children."""
    return {
        "municipality": p.municipality,
        "care_kind": p.care_kind,
        "home_type": p.home_type,
        "age_min": p.age_min,
        "age_max": p.age_max,
        "needs": p.needs,
        "siblings": p.siblings,
        "children": list(p.children),
        "municipality_name": p.municipality_name,
        "text": profile_text(p, lang),
    }


def capacity_json(ctx: Context, plan: CapacityPlan, lang: Lang = "nl") -> dict[str, Any]:
    """The ``dichtbij capacity --json`` document: the contract's keys, then aggregates."""
    sc = ctx.scenario
    by_municipality: dict[str, dict[str, Any]] = {}
    by_type: dict[str, dict[str, int]] = {}
    for b in plan.plan:
        home = sc.home(b.home_id)
        place = ctx.home_location(home)
        m = by_municipality.setdefault(
            place.municipality_code,
            {
                "municipality": place.municipality_code,
                "municipality_name": place.municipality_name,
                "extra_beds": 0,
                "children": 0,
            },
        )
        m["extra_beds"] += b.extra_beds
        m["children"] += len(b.children)
        t = by_type.setdefault(home.type.value, {"extra_beds": 0, "children": 0})
        t["extra_beds"] += b.extra_beds
        t["children"] += len(b.children)
    return {
        "beds": plan.beds,
        "plan": [
            {"home_id": b.home_id, "extra_beds": b.extra_beds, "children": list(b.children)}
            for b in plan.plan
        ],
        "extra_placed": plan.extra_placed,
        "extra_crisis": plan.extra_crisis,
        "score_gain": plan.score_gain,
        "recruitment": [profile_json(p, lang) for p in plan.recruitment],
        "beds_used": sum(b.extra_beds for b in plan.plan),
        "placed_before": plan.before.placed,
        "placed_crisis_before": plan.before.placed_crisis,
        "placed_after": plan.after.placed,
        "placed_crisis_after": plan.after.placed_crisis,
        "verified": {
            "placed": plan.verified.placed,
            "placed_crisis": plan.verified.placed_crisis,
            "total_score": plan.verified.total_score,
        },
        "optimal": plan.optimal,
        "status": plan.status.value,
        "counts_proven": plan.counts_proven,
        "crisis_proven": plan.crisis_proven,
        "recruitment_proven": plan.recruitment_proven,
        "recruitment_text": recruitment_text(plan.recruitment_proven, lang),
        "rearranged": list(plan.rearranged),
        "by_municipality": sorted(
            by_municipality.values(), key=lambda m: (-m["extra_beds"], m["municipality"])
        ),
        "by_home_type": [
            {"home_type": k, **v}
            for k, v in sorted(by_type.items(), key=lambda kv: -kv[1]["extra_beds"])
        ],
        "wall_time_s": round(plan.wall_time_s, 3),
        "lang": lang,
    }
