"""``dichtbij rank``: the ranked options for one child (its sibling group), explained.

``--json`` prints the contract document of docs/spec/scenario.md; ``--waiting-list`` adds,
per option, its effect on the other waiting children (coordinators only).
"""

from __future__ import annotations

import argparse
from typing import TextIO

from api.cli.common import UsageError, read_scenario, texts
from api.cli.output import km, table, write_json
from matching import Audience, Context, Lang, UnknownChildError, rank
from matching.documents import RankDocument
from matching.explain import SPLIT_REASON_NAMES, reason_label
from matching.privacy import confidential_group
from matching.ranking import NEAREST_EXCLUDED

__all__ = ["print_rank", "run"]

_COLS = {
    "nl": ["#", "woonplek", "soort", "punten", "ouders km", "organisatie"],
    "en": ["#", "home", "kind", "points", "parents km", "organisation"],
}
#: The column of points in ``_COLS``, left out where no option has a score (a provider).
_POINTS = 3
_T = texts("rank")


def print_rank(
    doc: RankDocument, lang: Lang, out: TextIO, explain_top: int = 3, secret: bool = False
) -> None:
    """The options as a table, the best few explained, then the nearest excluded homes
    (``secret``: a provider's document of a confidential group, whose excluded homes come
    by id, not nearest first)."""
    t = _T[lang]
    head = t["options_for"].format(child=doc.child_id)
    others = [m for m in doc.members if m != doc.child_id]
    if others:
        head += t["together"].format(others=", ".join(others))
    elif doc.split_reason:
        head += t["split"].format(
            reason=SPLIT_REASON_NAMES[lang].get(doc.split_reason, doc.split_reason)
        )
    out.write(f"{head}, {t['ref'].format(date=doc.reference_date)}\n\n")
    if not doc.options:
        out.write(t["no_options"] + "\n")
    else:
        # A provider is told no score (docs/scoring.md, "Audiences"): no column of points
        # and no total in the heading, rather than a dash where a number would be.
        scored = any(o.score is not None for o in doc.options)
        rows = [[col for i, col in enumerate(_COLS[lang]) if scored or i != _POINTS]]
        for o in doc.options:
            dist = next(c.value for c in o.criteria if c.criterion == "distance_parents")
            points = [str(o.score)] if scored else []
            # None only where the parents' location is confidential (a provider's view).
            distance = t["confidential"] if dist is None else km(dist, lang)
            rows.append(
                [str(o.rank), o.home_id, o.home_type_name, *points, distance, o.organisation]
            )
        table(rows, out)
        for o in doc.options[:explain_top]:
            why = t["why"] if o.score is not None else t["why_unscored"]
            out.write("\n" + why.format(n=o.rank, home=o.home_id, score=o.score) + "\n")
            for c in o.criteria:
                # A criterion without points for this reader says why in its sentence.
                pts = "" if c.points is None else f"{c.points:+d}"
                out.write(f"  {pts:>5}  {c.text}\n")
    if doc.excluded:
        counts = ", ".join(
            f"{reason_label(k, lang).lower()}: {v}" for k, v in doc.excluded_counts.items()
        )
        line = t["excluded_one" if doc.excluded_total == 1 else "excluded"]
        out.write("\n" + line.format(n=doc.excluded_total, counts=counts) + "\n")
        out.write(t["excluded_by_id" if secret else "nearest_excluded"] + "\n")
        for e in doc.excluded[:NEAREST_EXCLUDED]:
            out.write(f"  {e['home_id']}: " + " ".join(r["text"] for r in e["reasons"]) + "\n")


def _print_waiting_list(doc: RankDocument, lang: Lang, out: TextIO) -> None:
    """The effects under the ``rank`` table."""
    if doc.waiting_list is None:
        return
    n = doc.waiting_list.competitors
    if lang == "nl":
        others = "ander kind past" if n == 1 else "andere kinderen passen"
    else:
        others = "other child fits" if n == 1 else "other children fit"
    out.write("\n" + _T[lang]["effects"].format(n=n, others=others) + "\n")
    for o in doc.options:
        if o.waiting_list_effect is not None:
            out.write(f"  {o.rank:>2} {o.home_id}: {o.waiting_list_effect.short}\n")


def run(args: argparse.Namespace, out: TextIO) -> None:
    if args.top < 1:
        raise UsageError("--top must be at least 1")
    audience = Audience(args.audience)
    scenario = read_scenario(args.scenario)
    ctx = Context.of(scenario)
    try:
        result = rank(ctx, args.child)
    except UnknownChildError as exc:
        raise UsageError(str(exc)) from None
    doc = result.document(
        ctx,
        lang=args.lang,
        audience=audience,
        top=args.top,
        excluded=args.excluded,
        members=args.members,
    )
    if args.waiting_list:
        if audience is not Audience.COORDINATOR:
            # The effects name other waiting children and where they would go.
            raise UsageError(
                "--waiting-list names other children: it is for --audience coordinator"
            )
        # Imported only here: loading the solver (OR-tools, SciPy, pandas) costs about
        # 0.9 s, more than the whole of a plain `rank` (measured with -X importtime).
        from solver.waiting_list import with_effects

        doc, _ = with_effects(doc, ctx, result, args.lang)
    if args.json:
        write_json(doc.to_json(), out)
    else:
        secret = audience is Audience.PROVIDER and confidential_group(
            ctx.scenario.child(cid) for cid in doc.group
        )
        print_rank(doc, args.lang, out, secret=secret)
        if doc.waiting_list is not None:
            _print_waiting_list(doc, args.lang, out)
