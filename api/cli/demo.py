"""``dichtbij demo``: the bundled Regio Foodvalley scenario, ranked and matched in one page.

Shows one sibling group and one child on their own with their options (crisis first), the
children no home fits, and the batch match beside today's first-come-first-served practice.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from typing import TextIO

from api.cli.common import read_scenario, texts
from api.cli.output import km, number, table
from api.cli.rank import print_rank
from matching import Context, Lang, Scenario, Unit, rank
from matching.explain import HOME_TYPE_NAMES, criterion_text, reason_text
from matching.ranking import RankResult
from matching.rules import ReasonCode
from solver import match
from solver.outcomes import Outcomes, outcomes
from solver.practice import status_quo_of
from solver.uitstroom import uitstroom_docs

__all__ = ["run"]

_T = texts("demo")

#: The comparison table: its header row, then one label per figure.
_BATCH_ROWS: dict[str, tuple[tuple[str, str, str], tuple[str, ...]]] = {
    "nl": (
        ("", "Dichtbij", "praktijk"),
        (
            "geplaatste kinderen",
            "crisiskinderen geplaatst",
            "broers-zussengroepen samen geplaatst",
            "groepen zonder vastgelegde reden gesplitst",
            "afstand tot de ouders, mediaan (km)",
            "in een gezinssituatie",
        ),
    ),
    "en": (
        ("", "Dichtbij", "practice"),
        (
            "children placed",
            "crisis children placed",
            "sibling groups placed together",
            "groups split without a recorded reason",
            "distance to the parents, median (km)",
            "in a family-like home",
        ),
    ),
}


def _scenario_line(scenario: Scenario, lang: Lang) -> str:
    free = [h for h in scenario.homes if h.beds_free > 0]
    return _T[lang]["scenario"].format(
        homes=len(scenario.homes),
        free=len(free),
        beds=sum(h.beds_free for h in free),
        children=len(scenario.children),
        crisis=sum(1 for c in scenario.children if c.is_crisis),
        date=scenario.reference_date.isoformat(),
    )


def _print_care(
    ctx: Context, results: dict[tuple[str, ...], RankResult], lang: Lang, out: TextIO
) -> None:
    """A declined home, a child's wish and the uitstroom list: issue 13 on the demo data."""
    t = _T[lang]
    out.write(t["memory"] + "\n\n")
    declined = [
        (cid, e)
        for r in results.values()
        for e in r.excluded
        for reason in e.reasons
        if reason.code is ReasonCode.DECLINED and (cid := reason.child_id)
    ]
    for cid, e in declined[:1]:
        [reason] = [r for r in e.reasons if r.code is ReasonCode.DECLINED]
        out.write(
            "  "
            + t["declined"].format(
                child=cid, home=e.home.id, text=reason_text(replace(reason, child_id=None), lang)
            )
        )
        out.write("\n")
    for members, r in results.items():
        if not r.options:
            continue
        best = r.options[0]
        wished = [
            c
            for m in best.members
            for c in m.criteria
            if "wish" in c.detail and m.child_id in members
        ]
        if wished:
            text = criterion_text(wished[0], lang)
            out.write("  " + t["wish"].format(child=members[0], home=best.home.id, text=text))
            out.write("\n")
            break
    out.write("\n" + t["uitstroom"] + "\n")
    for u in uitstroom_docs(match(ctx, explain=False).uitstroom, lang):
        out.write(f"  {u.text}\n")
    out.write("\n")


def _print_batch(ctx: Context, lang: Lang, out: TextIO) -> None:
    """The demo's last word: the optimum for everyone against first come, first served."""
    t = _T[lang]
    result = match(ctx, explain=False)
    best = outcomes(ctx, {a.child_id: a.home_id for a in result.assignments})
    now = outcomes(ctx, {p.child_id: p.home_id for p in status_quo_of(ctx)})

    def cells(o: Outcomes) -> list[str]:
        of = t["of"]
        return [
            f"{o.placed} {of} {o.children}",
            f"{o.placed_crisis} {of} {o.crisis}",
            f"{o.groups_together} {of} {o.groups}",
            str(o.groups_split),
            km(o.median_km, lang),
            f"{100 * o.share_family_like:.0f}%",
        ]

    out.write(t["batch"] + "\n\n")
    header, labels = _BATCH_ROWS[lang]
    rows = [list(header)]
    rows += [[label, a, b] for label, a, b in zip(labels, cells(best), cells(now), strict=True)]
    table(rows, out)
    out.write("\n" + t["batch_proof"].format(s=number(result.wall_time_s, lang, 2)) + "\n")


def run(args: argparse.Namespace, out: TextIO) -> None:
    scenario = read_scenario("@demo")
    ctx = Context.of(scenario)
    lang: Lang = args.lang
    out.write("Dichtbij demo: Regio Foodvalley (bundled demo scenario)\n")
    out.write(_scenario_line(scenario, lang) + "\n\n")
    results = {u.members: rank(ctx, u.members[0]) for u in ctx.units}
    stuck = [u for u in ctx.units if not results[u.members].options]

    # Show a sibling group and a child on its own, each with options, crisis first.
    def crisis_first(u: Unit) -> bool:
        return not any(scenario.child(c).is_crisis for c in u.members)

    with_options = sorted((u for u in ctx.units if results[u.members].options), key=crisis_first)
    groups = [u for u in with_options if u.together]
    singles = [u for u in with_options if not u.together]
    for unit in groups[:1] + singles[:1]:
        doc = results[unit.members].document(ctx, lang=lang, top=5)
        print_rank(doc, lang, out, explain_top=1)
        out.write("\n" + "=" * 78 + "\n\n")
    n_stuck = sum(u.size for u in stuck)
    out.write(
        _T[lang]["stuck"].format(n=n_stuck, ids=", ".join(c for u in stuck for c in u.members))
    )
    out.write("\n\n")
    _print_care(ctx, results, lang, out)
    _print_batch(ctx, lang, out)
    out.write("\n")
    names = HOME_TYPE_NAMES[lang]
    out.write(", ".join(f"{k} = {v}" for k, v in names.items()) + "\n")
