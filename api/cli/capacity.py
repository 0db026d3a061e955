"""``dichtbij capacity``: where N extra beds in existing homes place the most children
(crisis children first), verified by matching again, and whom to recruit.

Calls :mod:`solver.planning`; prints a readable answer by default, ``--json`` for the
contract document of docs/spec/scenario.md ("Planning commands"). Dutch unless
``--lang en``. Exits 1 when matching again with the planned beds does not confirm the
plan's claim.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from api.cli.common import CommandFailed, UsageError, check_seconds, read_scenario, texts
from api.cli.output import table, write_json
from matching import Context, Lang
from matching.explain import HOME_TYPE_NAMES, counted
from matching.model import CareKind
from solver.planning import UnverifiedClaimError, capacity, capacity_json

__all__ = ["run"]

MAX_BEDS = 500

_T = texts("capacity")


def _print(doc: dict[str, Any], ctx: Context, lang: Lang, out: TextIO) -> None:
    t = _T[lang]
    out.write(t["title"].format(beds=counted(doc["beds"], t["n_extra_beds"])) + "\n")
    out.write(
        t["before"].format(
            placed=counted(doc["placed_before"], t["n_children"]),
            crisis=doc["placed_crisis_before"],
        )
        + "\n"
    )
    out.write(
        t["after"].format(
            placed=counted(doc["placed_after"], t["n_children"]),
            extra=doc["extra_placed"],
            crisis=doc["placed_crisis_after"],
            extra_crisis=doc["extra_crisis"],
            used=doc["beds_used"],
            beds=doc["beds"],
            gain=doc["score_gain"],
        )
        + "\n"
    )
    v = doc["verified"]
    placed = counted(v["placed"], t["n_children"])
    out.write(t["verified"].format(placed=placed, crisis=v["placed_crisis"]) + "\n")
    beds = counted(doc["beds"], t["n_extra_beds"])
    if doc["counts_proven"]:
        out.write(t["counts_proven"].format(beds=beds) + "\n")
    elif doc["crisis_proven"]:
        out.write(t["crisis_proven"].format(beds=beds) + "\n")
    if not doc["optimal"]:
        out.write(t["not_proven"] + "\n")
    out.write("\n")
    if doc["plan"]:
        rows = [t["cols"].split("|")]
        for b in doc["plan"]:
            home = ctx.scenario.home(b["home_id"])
            place = ctx.home_location(home)
            rows.append(
                [
                    b["home_id"],
                    HOME_TYPE_NAMES[lang][home.type.value],
                    place.municipality_name,
                    str(b["extra_beds"]),
                    ", ".join(b["children"]),
                ]
            )
        table(rows, out)
    else:
        out.write(t["none"] + "\n")
    if doc["rearranged"]:
        out.write(t["rearranged"].format(ids=", ".join(doc["rearranged"])) + "\n")
    out.write("\n")
    if doc["recruitment"]:
        out.write(t["recruit"] + "\n")
        if any(p["care_kind"] == CareKind.PART_TIME.value for p in doc["recruitment"]):
            out.write(t["recruit_part_time"] + "\n")
        for p in doc["recruitment"]:
            out.write(f"  - {p['text']}\n")
    else:
        out.write(t["no_recruit"] + "\n")
    if doc["recruitment_text"]:
        out.write(doc["recruitment_text"] + "\n")


def run(args: argparse.Namespace, out: TextIO) -> None:
    if not 1 <= args.beds <= MAX_BEDS:
        raise UsageError(f"--beds must be between 1 and {MAX_BEDS}, not {args.beds}")
    if args.per_home is not None and args.per_home < 1:
        raise UsageError(f"--per-home must be at least 1, not {args.per_home}")
    check_seconds("--time-limit", args.time_limit)
    ctx = Context.of(read_scenario(args.scenario))
    try:
        plan = capacity(
            ctx,
            args.beds,
            per_home=args.per_home,
            include_full=args.include_full_homes,
            time_limit=args.time_limit,
        )
    except UnverifiedClaimError as exc:
        raise CommandFailed(f"the capacity plan did not hold when checked: {exc}") from None
    doc = capacity_json(ctx, plan, args.lang)
    if args.json:
        write_json(doc, out)
    else:
        _print(doc, ctx, args.lang, out)
