"""The ``dichtbij`` command line: rank, scores, match and the demo.

Contract: ../shared/spec/scenario.md. A bad scenario exits with status 2 and one line per
problem on standard error; nothing is written. Output is Dutch unless ``--lang en``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any, TextIO, cast

from matching import (
    Audience,
    Context,
    Lang,
    Scenario,
    ScenarioError,
    Unit,
    UnknownChildError,
    load_scenario,
    rank,
    score_all,
)
from matching.explain import HOME_TYPE_NAMES

__all__ = ["EXIT_BAD_INPUT", "UsageError", "main", "read_scenario"]

EXIT_BAD_INPUT = 2

_COLS = {
    "nl": ["#", "woonplek", "soort", "punten", "ouders km", "organisatie"],
    "en": ["#", "home", "kind", "points", "parents km", "organisation"],
}
_T: dict[str, dict[str, str]] = {
    "nl": {
        "options_for": "Opties voor {child}",
        "together": " samen met {others}",
        "split": " (apart van broers/zussen: {reason})",
        "ref": "peildatum {date}",
        "why": "Waarom optie {n} ({home}), {score} punten:",
        "no_options": "Geen enkele woonplek voldoet aan alle regels.",
        "excluded": "Uitgesloten: {n} woonplekken met vrije bedden ({counts}).",
        "nearest_excluded": "Dichtstbijzijnde uitgesloten woonplekken:",
        "stuck": "{n} kinderen hebben geen enkele passende woonplek: {ids}.",
        "batch": "De hele wachtlijst in één keer (dichtbij match), naast de praktijk van nu "
        "(crisis eerst, dan op volgorde van aanmelding, elk het eerste bed dat past):",
        "of": "van",
        "batch_proof": "Bewezen optimaal in {s} s. De afstand geldt voor alle geplaatste "
        "kinderen: wie meer kinderen plaatst, plaatst er ook verder weg, want een kind meer "
        "geplaatst gaat voor afstand. Per kind uitgelegd: dichtbij match --scenario @demo",
        "scenario": "Scenario: {homes} woonplekken ({free} met vrije bedden, {beds} bedden), "
        "{children} wachtende kinderen ({crisis} crisis), peildatum {date}.",
    },
    "en": {
        "options_for": "Options for {child}",
        "together": " together with {others}",
        "split": " (apart from siblings: {reason})",
        "ref": "reference date {date}",
        "why": "Why option {n} ({home}), {score} points:",
        "no_options": "No home meets every rule.",
        "excluded": "Excluded: {n} homes with free beds ({counts}).",
        "nearest_excluded": "Nearest excluded homes:",
        "stuck": "{n} children have no eligible home at all: {ids}.",
        "batch": "The whole waiting list at once (dichtbij match), beside today's practice "
        "(crisis first, then arrival order, each the first bed that fits):",
        "of": "of",
        "batch_proof": "Proven optimal in {s} s. The distance is over all children placed: "
        "placing more children also places some further away, because one more child placed "
        "comes before distance. Explained per child: dichtbij match --scenario @demo --lang en",
        "scenario": "Scenario: {homes} homes ({free} with free beds, {beds} beds), "
        "{children} waiting children ({crisis} crisis), reference date {date}.",
    },
}

#: The demo's comparison table: its header row, then one label per figure.
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


class UsageError(Exception):
    """A usage problem that is not in the scenario itself (file, unknown child)."""


def read_scenario(path: str) -> Scenario:
    if path == "-":
        text = sys.stdin.read()
    elif path == "@demo":
        text = resources.files("matching").joinpath("data/demo-scenario.json").read_text("utf-8")
    else:
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            raise UsageError(f"cannot read scenario file '{path}': {exc.strerror}") from None
    return load_scenario(text)


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
        if k == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def _km(x: Any, lang: Lang) -> str:
    if x is None:
        return "-"
    if isinstance(x, dict):
        return "/".join(_km(v, lang) for v in x.values())
    text = f"{float(x):.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def _print_rank(doc: dict[str, Any], lang: Lang, out: TextIO, explain_top: int = 3) -> None:
    t = _T[lang]
    head = t["options_for"].format(child=doc["child_id"])
    others = [m for m in doc["members"] if m != doc["child_id"]]
    if others:
        head += t["together"].format(others=", ".join(others))
    elif doc["split_reason"]:
        head += t["split"].format(reason=doc["split_reason"])
    out.write(f"{head}, {t['ref'].format(date=doc['reference_date'])}\n\n")
    if not doc["options"]:
        out.write(t["no_options"] + "\n")
    else:
        rows = [_COLS[lang]]
        for o in doc["options"]:
            dist = next(c["value"] for c in o["criteria"] if c["criterion"] == "distance_parents")
            score = "-" if o["score"] is None else str(o["score"])
            rows.append(
                [
                    str(o["rank"]),
                    o["home_id"],
                    o["home_type_name"],
                    score,
                    _km(dist, lang),
                    o["organisation"],
                ]
            )
        _table(rows, out)
        for o in doc["options"][:explain_top]:
            score = "-" if o["score"] is None else o["score"]
            out.write("\n" + t["why"].format(n=o["rank"], home=o["home_id"], score=score) + "\n")
            for c in o["criteria"]:
                pts = "-" if c["points"] is None else f"{c['points']:+d}"
                out.write(f"  {pts:>5}  {c['text']}\n")
    if doc["excluded"]:
        from solver.explain import reason_label

        counts = ", ".join(
            f"{reason_label(k, lang).lower()}: {v}" for k, v in doc["excluded_counts"].items()
        )
        out.write("\n" + t["excluded"].format(n=len(doc["excluded"]), counts=counts) + "\n")
        out.write(t["nearest_excluded"] + "\n")
        for e in doc["excluded"][:8]:
            out.write(f"  {e['home_id']}: " + " ".join(r["text"] for r in e["reasons"]) + "\n")


def _cmd_rank(args: argparse.Namespace, out: TextIO) -> None:
    scenario = read_scenario(args.scenario)
    ctx = Context.of(scenario)
    try:
        result = rank(ctx, args.child)
    except UnknownChildError as exc:
        raise UsageError(str(exc)) from None
    doc = result.to_json(ctx, lang=args.lang, audience=Audience(args.audience), top=args.top)
    if args.waiting_list:
        from api.cli_match import add_waiting_list

        add_waiting_list(doc, ctx, result, args.lang, Audience(args.audience))
    if args.json:
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        _print_rank(doc, args.lang, out)
        if args.waiting_list:
            from api.cli_match import print_waiting_list

            print_waiting_list(doc, args.lang, out)


def _cmd_scores(args: argparse.Namespace, out: TextIO) -> None:
    ctx = Context.of(read_scenario(args.scenario))
    rows = score_all(ctx).rows()
    if args.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["child_id", "home_id", "score"])
        writer.writerows(rows)
    elif args.json:
        json.dump([{"child_id": c, "home_id": h, "score": s} for c, h, s in rows], out, indent=1)
        out.write("\n")
    else:
        cols = (
            ["child_id", "home_id", "score"]
            if args.lang == "en"
            else ["kind", "woonplek", "punten"]
        )
        _table([cols, *[[c, h, str(s)] for c, h, s in rows]], out)


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


def _cmd_demo(args: argparse.Namespace, out: TextIO) -> None:
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
    shown = groups[:1] + singles[:1]
    for unit in shown:
        doc = results[unit.members].to_json(ctx, lang=lang, top=5)
        _print_rank(doc, lang, out, explain_top=1)
        out.write("\n" + "=" * 78 + "\n\n")
    n_stuck = sum(u.size for u in stuck)
    out.write(
        _T[lang]["stuck"].format(n=n_stuck, ids=", ".join(c for u in stuck for c in u.members))
    )
    out.write("\n\n")
    _print_batch(ctx, lang, out)
    out.write("\n")
    names = HOME_TYPE_NAMES[lang]
    out.write(", ".join(f"{k} = {v}" for k, v in names.items()) + "\n")


def _print_batch(ctx: Context, lang: Lang, out: TextIO) -> None:
    """The demo's last word: the optimum for everyone against first come, first served."""
    from solver import match
    from solver.outcomes import Outcomes, outcomes
    from solver.practice import status_quo_of

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
            _km(o.median_km, lang),
            f"{100 * o.share_family_like:.0f}%",
        ]

    out.write(t["batch"] + "\n\n")
    header, labels = _BATCH_ROWS[lang]
    rows = [list(header)]
    rows += [[label, a, b] for label, a, b in zip(labels, cells(best), cells(now), strict=True)]
    _table(rows, out)
    seconds = f"{result.wall_time_s:.2f}"
    out.write(
        "\n" + t["batch_proof"].format(s=seconds.replace(".", ",") if lang == "nl" else seconds)
    )
    out.write("\n")


def _policy_rows() -> list[tuple[str, str, str]]:
    """(key, default, why) for every policy field, nested type points flattened."""
    from matching import Policy
    from matching.policy import TypePoints

    rows = []
    for name, field in Policy.model_fields.items():
        if name == "points_type":
            for t, tf in TypePoints.model_fields.items():
                rows.append((f"points_type.{t}", str(tf.default), tf.description or ""))
            continue
        rows.append((name, str(field.default), field.description or ""))
    return rows


def _cmd_policy(args: argparse.Namespace, out: TextIO) -> None:
    rows = _policy_rows()
    if args.json:
        json.dump({k: {"default": d, "why": w} for k, d, w in rows}, out, indent=2)
        out.write("\n")
        return
    out.write("| key | default | why |\n|---|---:|---|\n")
    for key, default, why in rows:
        out.write(f"| `{key}` | {default} | {why} |\n")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dichtbij",
        description="Placement matching for Dutch youth care: as close to home as possible.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser, scenario: bool = True) -> None:
        if scenario:
            sp.add_argument("--scenario", required=True, help="scenario JSON file, or - for stdin")
        sp.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of texts")

    r = sub.add_parser("rank", help="ranked options for a child (its sibling group)")
    common(r)
    r.add_argument("--child", required=True, help="child id")
    r.add_argument("--top", type=int, default=10, help="number of options (default 10)")
    r.add_argument("--json", action="store_true", help="one JSON document on stdout")
    r.add_argument(
        "--audience",
        choices=[a.value for a in Audience],
        default=Audience.COORDINATOR.value,
        help="who reads it: a provider never sees where the parents live",
    )
    r.add_argument(
        "--waiting-list",
        action="store_true",
        help="per option, its effect on the other waiting children (coordinators)",
    )
    r.set_defaults(func=_cmd_rank)

    s = sub.add_parser("scores", help="every eligible (child, home) pair with its score")
    common(s)
    fmt = s.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    s.set_defaults(func=_cmd_scores)

    d = sub.add_parser("demo", help="rank the bundled demo scenario (Regio Foodvalley)")
    common(d, scenario=False)
    d.set_defaults(func=_cmd_demo)

    pol = sub.add_parser("policy", help="the policy defaults and the reason for each")
    pol.add_argument("--json", action="store_true")
    pol.set_defaults(func=_cmd_policy)

    # Commands of other layers register themselves here, each from its own module.
    for register in _extra_commands():
        register(sub)
    return p


def _extra_commands() -> list[Callable[[Any], None]]:
    """``register(subparsers)`` functions of the command modules (match, serve, ...)."""
    import api.cli_audit
    import api.cli_match
    import api.cli_serve

    return [api.cli_serve.register, api.cli_audit.register, api.cli_match.register]


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
    args = _parser().parse_args(argv)
    if args.command == "rank" and args.top is not None and args.top < 1:
        sys.stderr.write("dichtbij: --top must be at least 1\n")
        return EXIT_BAD_INPUT
    # Build the whole output first: a failure half-way must not leave half a document.
    buffer = io.StringIO()
    try:
        cast(Callable[[argparse.Namespace, TextIO], None], args.func)(args, buffer)
    except ScenarioError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"dichtbij: {problem}\n")
        return EXIT_BAD_INPUT
    except UsageError as exc:
        sys.stderr.write(f"dichtbij: {exc}\n")
        return EXIT_BAD_INPUT
    (out or sys.stdout).write(buffer.getvalue())
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
