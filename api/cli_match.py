"""``dichtbij match`` (the batch match) and ``dichtbij rank --waiting-list`` (option effects).

Parses, calls :mod:`solver`, prints: a readable table by default, ``--json`` for the
contract document of ../shared/spec/scenario.md. Dutch unless ``--lang en``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from api.cli import UsageError, read_scenario
from matching import Audience, Context, Lang, RankResult
from matching.explain import HOME_TYPE_NAMES
from matching.geo import distance_km
from solver import MatchResult, match
from solver.waiting_list import add_effects

__all__ = ["add_waiting_list", "print_waiting_list", "register"]

_T: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Plaatsing van de hele wachtlijst",
        "scenario": "{children} wachtende kinderen ({crisis} crisis), {homes} woonplekken met "
        "{beds} vrije bedden; peildatum {date}.",
        "optimal": "optimaal (bewezen)",
        "feasible": "haalbaar, niet bewezen optimaal (tijdslimiet)",
        "unknown": "onbekend",
        "infeasible": "onmogelijk",
        "status": "Status: {status}, {time} s.",
        "gap": "Mogelijk beter: tot {gap} % op {stage}.",
        "placed": "Geplaatst: {placed} van {children} kinderen, crisis {crisis} van {crisis_all}; "
        "{score} punten (bovengrens {bound}).",
        "greedy": "Wie het eerst komt, het eerst maalt (crisis eerst, dan op volgorde van "
        "aanmelding): {placed} kinderen, crisis {crisis}, {score} punten.",
        "unplaced": "Niet geplaatst: {n} {kids}.",
        "unlock": "Wat een plek zou openen:",
        "stage_placed_crisis": "geplaatste crisiskinderen",
        "stage_placed": "geplaatste kinderen",
        "stage_total_score": "de punten",
        "effects": "Effect op de wachtlijst per optie ({n} {others} ook op deze woonplekken; "
        "elk houdt zijn beste andere plek als uitwijk):",
    },
    "en": {
        "title": "Placement of the whole waiting list",
        "scenario": "{children} waiting children ({crisis} crisis), {homes} homes with {beds} "
        "free beds; reference date {date}.",
        "optimal": "optimal (proven)",
        "feasible": "feasible, not proven optimal (time limit)",
        "unknown": "unknown",
        "infeasible": "infeasible",
        "status": "Status: {status}, {time} s.",
        "gap": "Possibly better: up to {gap} % on {stage}.",
        "placed": "Placed: {placed} of {children} children, crisis {crisis} of {crisis_all}; "
        "{score} points (upper bound {bound}).",
        "greedy": "First come, first served (crisis first, then in order of arrival): "
        "{placed} children, crisis {crisis}, {score} points.",
        "unplaced": "Not placed: {n} {kids}.",
        "unlock": "What would open a place:",
        "stage_placed_crisis": "crisis children placed",
        "stage_placed": "children placed",
        "stage_total_score": "points",
        "effects": "Effect on the waiting list per option ({n} {others} these homes too; "
        "each keeps its best other home as an alternative):",
    },
}
_COLS = {
    "nl": ["kind", "woonplek", "soort", "punten", "ouders km", "samen met"],
    "en": ["child", "home", "kind", "points", "parents km", "together with"],
}


def _num(x: float, lang: Lang, digits: int = 1) -> str:
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def _table(rows: list[list[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
        if k == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _print_match(
    result: MatchResult, ctx: Context, doc: dict[str, Any], lang: Lang, out: TextIO
) -> None:
    t = _T[lang]
    sc = ctx.scenario
    free = [h for h in sc.homes if h.beds_free > 0]
    out.write(t["title"] + "\n")
    out.write(
        t["scenario"].format(
            children=len(sc.children),
            crisis=result.crisis_children,
            homes=len(free),
            beds=sum(h.beds_free for h in free),
            date=sc.reference_date.isoformat(),
        )
        + "\n"
    )
    out.write(
        t["status"].format(status=t[result.status.value], time=_num(result.wall_time_s, lang))
        + "\n"
    )
    if result.gap_stage is not None:
        out.write(
            t["gap"].format(
                gap=_num(100 * result.gap, lang, 2), stage=t["stage_" + result.gap_stage]
            )
            + "\n"
        )
    out.write(
        t["placed"].format(
            placed=result.placed,
            children=result.children,
            crisis=result.placed_crisis,
            crisis_all=result.crisis_children,
            score=result.total_score,
            bound=result.bound,
        )
        + "\n"
    )
    out.write(
        t["greedy"].format(
            placed=result.greedy.placed,
            crisis=result.greedy.placed_crisis,
            score=result.greedy.total_score,
        )
        + "\n\n"
    )
    if result.assignments:
        rows = [_COLS[lang]]
        for a in result.assignments:
            child = sc.child(a.child_id)
            home = sc.home(a.home_id)
            km = distance_km(ctx.parents_location(child), ctx.home_location(home))
            name = a.child_id + (" (crisis)" if a.crisis else "")
            others = ", ".join(m for m in a.group if m != a.child_id)
            rows.append(
                [
                    name,
                    a.home_id,
                    HOME_TYPE_NAMES[lang][home.type.value],
                    str(a.score),
                    _num(km, lang),
                    others,
                ]
            )
        _table(rows, out)
    unplaced = doc["unplaced"]
    if unplaced:
        kids = (
            ("kind" if len(unplaced) == 1 else "kinderen")
            if lang == "nl"
            else ("child" if len(unplaced) == 1 else "children")
        )
        out.write("\n" + t["unplaced"].format(n=len(unplaced), kids=kids) + "\n")
        for u in unplaced:
            out.write(f"  {u.get('summary', u['child_id'])}\n")
            for r in u["reasons"]:
                out.write(f"    - {r['text']}\n")
            if u.get("unlock"):
                out.write(f"    {t['unlock']}\n")
                for x in u["unlock"]:
                    out.write(f"    + {x['text']}\n")


def _cmd_match(args: argparse.Namespace, out: TextIO) -> None:
    if args.time_limit is not None and args.time_limit <= 0:
        raise UsageError("--time-limit must be more than 0 seconds")
    scenario = read_scenario(args.scenario)
    ctx = Context.of(scenario)
    result = match(ctx, time_limit=args.time_limit)
    doc = result.to_json(args.lang)
    if args.json:
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        _print_match(result, ctx, doc, args.lang, out)


def add_waiting_list(
    doc: dict[str, Any],
    ctx: Context,
    ranked: RankResult,
    lang: Lang,
    audience: Audience = Audience.COORDINATOR,
) -> None:
    """Give each option of a ``rank`` document its ``waiting_list_effect`` (keys unchanged).

    The effects name other waiting children and where they would go, which only a
    coordinator may see.
    """
    if audience is not Audience.COORDINATOR:
        raise UsageError("--waiting-list names other children: it is for --audience coordinator")
    add_effects(doc, ctx, ranked, lang)


def print_waiting_list(doc: dict[str, Any], lang: Lang, out: TextIO) -> None:
    """The effects under the ``rank`` table."""
    info = doc.get("waiting_list")
    if info is None:
        return
    n = info["competitors"]
    if lang == "nl":
        others = "ander kind past" if n == 1 else "andere kinderen passen"
    else:
        others = "other child fits" if n == 1 else "other children fit"
    out.write("\n" + _T[lang]["effects"].format(n=n, others=others) + "\n")
    for o in doc["options"]:
        effect = o.get("waiting_list_effect")
        if effect is not None:
            out.write(f"  {o['rank']:>2} {o['home_id']}: {effect['short']}\n")


def register(subparsers: Any) -> None:
    m = subparsers.add_parser(
        "match", help="the batch match of all waiting children: the proven best assignment"
    )
    m.add_argument("--scenario", required=True, help="scenario JSON file, or - for stdin")
    m.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds; the best answer found by then, with status 'feasible' and its gap",
    )
    m.add_argument("--json", action="store_true", help="one JSON document on stdout")
    m.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of texts")
    m.set_defaults(func=_cmd_match)
