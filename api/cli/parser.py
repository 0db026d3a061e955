"""The ``dichtbij`` argument parser: every command's options, and the module that runs it.

The options live here rather than in the command modules so that building the parser
(for any command, ``--help`` included) imports no command: each command module imports
its own stack (the engine, the solver, or the database and web service) at its top.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import NoReturn

from api.services.access import Role
from matching import Audience, Lang

__all__ = ["SPEC", "build_parser", "lang_of"]

#: Where the contract these commands follow is kept, inside the project.
SPEC = "docs/spec/scenario.md"


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a whole number of days") from None
    if not 1 <= days <= 3650:
        raise argparse.ArgumentTypeError("between 1 and 3650 days")
    return days


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _version() -> str:
    try:
        return version("dichtbij")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _runs(parser: argparse.ArgumentParser, module: str) -> None:
    parser.set_defaults(command_module=f"api.cli.{module}")


def _scenario_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument(
        "--scenario",
        required=True,
        help="scenario JSON file, - for stdin, or @demo for the bundled demo",
    )
    _lang_option(sp)


def _lang_option(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of texts")


class _Parser(argparse.ArgumentParser):
    """argparse's parser, refusing in the reader's language (``lang``, set per build)."""

    lang: Lang = "nl"

    def error(self, message: str) -> NoReturn:
        # Imported here: the catalogue is read only when an argument is refused.
        from api.cli.problems import argument_text

        usage = self.format_usage()
        if self.lang == "nl":
            usage = usage.replace("usage: ", "gebruik: ", 1)
            message = f"{self.prog}: fout: {argument_text(message, 'nl')}\n"
        else:
            message = f"{self.prog}: error: {message}\n"
        self.exit(2, usage + message)


def lang_of(argv: Sequence[str]) -> Lang:
    """The language asked for on the command line, before it is parsed: what an argument
    the parser refuses is told in (``--lang en`` or ``--lang=en``; Dutch otherwise)."""
    for i, arg in enumerate(argv):
        if arg == "--lang=en" or (arg == "--lang" and list(argv[i + 1 : i + 2]) == ["en"]):
            return "en"
    return "nl"


def build_parser(lang: Lang = "nl") -> argparse.ArgumentParser:
    """The parser of every command; ``lang``: the language its refusals are written in."""

    class Parser(_Parser):
        pass

    Parser.lang = lang
    # Typed as argparse's own: its subparsers are made of the same class (type(self)).
    p: argparse.ArgumentParser = Parser(
        prog="dichtbij",
        description="Placement matching for Dutch youth care: as close to home as possible.",
        epilog=f"The scenario format and every document are specified in {SPEC}.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("rank", help="ranked options for a child (its sibling group)")
    _scenario_options(r)
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
        "--excluded",
        choices=["nearest", "all"],
        default="nearest",
        help="excluded homes explained: the nearest 8 (default; all are counted by reason) or all",
    )
    r.add_argument(
        "--members",
        choices=["points", "full"],
        default="points",
        help="each option's members: their points per criterion (default; the sentences are "
        "in the option's criteria) or every criterion in full, with its sentence and facts",
    )
    r.add_argument(
        "--waiting-list",
        action="store_true",
        help="per option, its effect on the other waiting children (coordinators)",
    )
    _runs(r, "rank")

    s = sub.add_parser("scores", help="every eligible (child, home) pair with its score")
    _scenario_options(s)
    fmt = s.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--csv", action="store_true")
    _runs(s, "scores")

    d = sub.add_parser("demo", help="rank the bundled demo scenario (Regio Foodvalley)")
    _lang_option(d)
    _runs(d, "demo")

    pol = sub.add_parser("policy", help="the policy defaults and the reason for each")
    pol.add_argument("--json", action="store_true")
    _runs(pol, "policy")

    _serve_and_token(sub)
    _audit(sub)

    m = sub.add_parser(
        "match", help="the batch match of all waiting children: the proven best assignment"
    )
    m.add_argument(
        "--scenario",
        required=True,
        help="scenario JSON file, - for stdin, or @demo for the bundled demo",
    )
    m.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds; the best answer found by then, with status 'feasible' and its gap",
    )
    m.add_argument(
        "--frontier",
        type=int,
        default=0,
        metavar="K",
        help="also the best assignment for each count from placed-K to placed (0-20), "
        "each proven: what placing the last children costs in distance",
    )
    m.add_argument("--json", action="store_true", help="one JSON document on stdout")
    _lang_option(m)
    _runs(m, "match")

    c = sub.add_parser(
        "capacity",
        help="where N extra beds in existing homes place the most children, and whom to recruit",
    )
    _scenario_options(c)
    c.add_argument("--beds", type=int, required=True, metavar="N", help="extra beds (1-500)")
    c.add_argument(
        "--per-home",
        type=int,
        default=None,
        metavar="M",
        help="at most this many extra beds in one home (default: N)",
    )
    c.add_argument(
        "--include-full-homes",
        action="store_true",
        help="also homes without a free bed today (slower on a national scenario)",
    )
    c.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="seconds for the whole plan; a stage it stops is reported as not proven",
    )
    c.add_argument("--json", action="store_true", help="one JSON document on stdout")
    _runs(c, "capacity")
    _simulate(sub)
    return p


def _serve_and_token(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser(
        "serve",
        help="run the HTTP API (SQLite under ./data/, or DATABASE_URL)",
        description=(
            "Run the HTTP API. Without DATABASE_URL an embedded SQLite database under "
            "./data/ is created, migrated and seeded with the demo scenario on first start."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (default 1); they share limits and sessions in the database",
    )
    _runs(serve, "serve")

    token = sub.add_parser("token", help="API keys")
    _runs(token, "token")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser(
        "create", help="create an API key; the key is the last line of output"
    )
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--organisation", required=True, help="the key holder's organisation")
    create.add_argument(
        "--municipality", help="CBS municipality code (4 digits); required for municipality"
    )
    create.add_argument("--label", help="a note to recognise the key by (no personal data)")
    create.add_argument(
        "--expires-in-days",
        type=_days,
        metavar="DAYS",
        help="days the key stays valid (default DICHTBIJ_KEY_LIFETIME_DAYS, 365)",
    )

    listing = token_sub.add_parser("list", help="list API keys by prefix (never the keys)")
    listing.add_argument("--organisation", help="only this organisation's keys")
    listing.add_argument("--role", choices=[r.value for r in Role], help="only this role")
    listing.add_argument("--all", action="store_true", help="also revoked and expired keys")

    revoke = token_sub.add_parser("revoke", help="revoke an API key by its prefix, at once")
    revoke.add_argument("prefix", help="the key's prefix, as `token list` shows it")


def _audit(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "audit",
        help="a municipality's proximity report: CSV, PNG charts and an offline HTML page",
    )
    p.add_argument("--municipality", action="append", help="CBS code (repeatable)")
    p.add_argument("--region", help="a youth-care region instead, e.g. foodvalley")
    p.add_argument("--from", dest="period_from", type=_iso_date, required=True)
    p.add_argument("--to", type=_iso_date, required=True)
    p.add_argument("--out", default="audit-report", help="folder to write (default audit-report)")
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.add_argument(
        "--csv-format",
        choices=["csv", "excel-nl"],
        default="csv",
        help="excel-nl: semicolons, decimal commas and a BOM, as Dutch Excel opens CSV",
    )
    _runs(p, "audit")


def _bounded(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be between {low} and {high}")
        return value

    return parse


def _simulate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "simulate",
        help="months of arrivals, departures, declines and breakdowns under each policy",
        description=(
            "Simulate DAYS days of the scenario's region RUNS times under each placement "
            "policy (fcfs, practice, batch-daily, batch-weekly); each figure comes with its "
            "mean over the runs and a 95% interval. Runs are Dask tasks: in this process, "
            "or on the cluster given by --scheduler. The same seed gives the same answer."
        ),
    )
    p.add_argument(
        "--scenario",
        required=True,
        help="scenario JSON file, - for stdin, or @demo for the bundled demo",
    )
    p.add_argument(
        "--days", type=_bounded(1, 3650, "--days"), required=True, help="days per run (1-3650)"
    )
    p.add_argument(
        "--runs", type=_bounded(1, 100_000, "--runs"), required=True, help="independent runs"
    )
    p.add_argument(
        "--seed",
        type=_bounded(0, 2**63 - 1, "--seed"),
        required=True,
        help="the same seed gives the same answer, in the process or on a cluster",
    )
    p.add_argument(
        "--policies",
        default="fcfs,practice,batch-daily,batch-weekly",
        help="comma-separated: fcfs, practice, batch-daily, batch-weekly (default: all four)",
    )
    p.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: in this process)",
    )
    p.add_argument(
        "--assumptions",
        default=None,
        metavar="FILE",
        help="JSON object overriding the documented assumptions (docs/simulation.md)",
    )
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    _lang_option(p)
    _runs(p, "simulate")
