"""``dichtbij match``: the batch match of the whole waiting list, proven best.

Calls :mod:`solver` and prints a readable table by default, ``--json`` for the contract
document of docs/spec/scenario.md. Dutch unless ``--lang en``.
"""

from __future__ import annotations

import argparse
from typing import TextIO

from api.cli.common import UsageError, check_seconds, read_scenario, texts
from api.cli.output import km, number, table, write_json
from matching import Context, Lang
from matching.documents import MatchDocument
from matching.explain import HOME_TYPE_NAMES, children_text, counted
from matching.geo import distance_km
from solver import MatchResult
from solver.planning import MAX_FRONTIER, match_with_frontier

__all__ = ["run"]

_T = texts("match")
_COLS = {
    "nl": ["kind", "woonplek", "soort", "punten", "ouders km", "samen met"],
    "en": ["child", "home", "kind", "points", "parents km", "together with"],
}


def _print_match(
    result: MatchResult, ctx: Context, doc: MatchDocument, lang: Lang, out: TextIO
) -> None:
    t = _T[lang]
    sc = ctx.scenario
    free = [h for h in sc.homes if h.beds_free > 0]
    out.write(t["title"] + "\n")
    out.write(
        t["scenario"].format(
            children=counted(len(sc.children), t["n_children"]),
            crisis=result.crisis_children,
            homes=counted(len(free), t["n_homes"]),
            beds=counted(sum(h.beds_free for h in free), t["n_beds"]),
            date=sc.reference_date.isoformat(),
        )
        + "\n"
    )
    out.write(
        t["status"].format(status=t[result.status.value], time=number(result.wall_time_s, lang))
        + "\n"
    )
    if result.gap_stage is not None:
        out.write(
            t["gap"].format(
                gap=number(100 * result.gap, lang, 2), stage=t["stage_" + result.gap_stage]
            )
            + "\n"
        )
    out.write(
        t["placed"].format(
            placed=result.placed,
            children=children_text(result.children, lang),
            crisis=result.placed_crisis,
            crisis_all=result.crisis_children,
            score=result.total_score,
            bound=result.bound,
        )
        + "\n"
    )
    out.write(
        t["greedy"].format(
            placed=children_text(result.greedy.placed, lang),
            crisis=result.greedy.placed_crisis,
            score=result.greedy.total_score,
        )
        + "\n\n"
    )
    if result.assignments:
        rows = [_COLS[lang]]
        home_of = {a.child_id: a.home_id for a in result.assignments}
        for a in result.assignments:
            child = sc.child(a.child_id)
            home = sc.home(a.home_id)
            km = distance_km(ctx.parents_location(child), ctx.home_location(home))
            name = a.child_id + (" (crisis)" if a.crisis else "")
            # Brothers and sisters placed apart (a split_reason) may still share a home.
            family = ctx.unit_of[a.child_id].group
            others = ", ".join(m for m in family if m != a.child_id and home_of.get(m) == a.home_id)
            rows.append(
                [
                    name,
                    a.home_id,
                    HOME_TYPE_NAMES[lang][home.type.value],
                    str(a.score),
                    number(km, lang),
                    others,
                ]
            )
        table(rows, out)
    unplaced = doc.unplaced
    if unplaced:
        kids = (
            ("kind" if len(unplaced) == 1 else "kinderen")
            if lang == "nl"
            else ("child" if len(unplaced) == 1 else "children")
        )
        # Under the table a blank line; without one, the line above already ends in one.
        gap = "\n" if result.assignments else ""
        out.write(gap + t["unplaced"].format(n=len(unplaced), kids=kids) + "\n")
        for u in unplaced:
            out.write(f"  {u.child_id if u.summary is None else u.summary}\n")
            for r in u.reasons:
                out.write(f"    - {r.text}\n")
            if u.unlock:
                out.write(f"    {t['unlock']}\n")
                for x in u.unlock:
                    out.write(f"    + {x.text}\n")
    if doc.uitstroom:
        out.write("\n" + t["uitstroom"] + "\n")
        for move in doc.uitstroom:
            out.write(f"  {move.text}\n")


#: A frontier point's status in the table's language (the JSON keeps the codes).
_POINT_STATUS = {
    "nl": {
        "optimal": "optimaal",
        "feasible": "haalbaar",
        "infeasible": "onmogelijk",
        "unknown": "onbekend",
    },
    "en": {},
}


def _print_frontier(doc: MatchDocument, lang: Lang, out: TextIO) -> None:
    summary = doc.frontier_summary
    if summary is None:
        return
    head = (
        ["geplaatst", "crisis", "punten", "gemiddeld km", "mediaan km", "status", "keuze"]
        if lang == "nl"
        else ["placed", "crisis", "points", "mean km", "median km", "status", "choice"]
    )
    rows = [head]
    for p in doc.frontier:
        rows.append(
            [
                str(p.placed),
                "-" if p.placed_crisis is None else str(p.placed_crisis),
                "-" if p.total_score is None else str(p.total_score),
                km(p.distance_mean_km, lang),
                km(p.distance_median_km, lang),
                _POINT_STATUS[lang].get(p.status, p.status),
                "*" if p.chosen else "",
            ]
        )
    out.write(
        "\n"
        + (
            "Wat elk extra geplaatst kind kost"
            if lang == "nl"
            else "What each extra placed child costs"
        )
        + "\n"
    )
    table(rows, out)
    if summary.text:
        out.write(summary.text + "\n")


def run(args: argparse.Namespace, out: TextIO) -> None:
    check_seconds("--time-limit", args.time_limit)
    if not 0 <= args.frontier <= MAX_FRONTIER:
        raise UsageError(f"--frontier must be between 0 and {MAX_FRONTIER}, not {args.frontier}")
    scenario = read_scenario(args.scenario)
    ctx = Context.of(scenario)
    result, _, doc = match_with_frontier(ctx, args.frontier, args.time_limit, args.lang)
    if args.json:
        write_json(doc.to_json(), out)
    else:
        _print_match(result, ctx, doc, args.lang, out)
        _print_frontier(doc, args.lang, out)
