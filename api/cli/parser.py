"""The ``dichtbij`` argument parser: every command's options, and the module that runs it.

The options live here rather than in the command modules so that building the parser
(for any command, ``--help`` included) imports no command: each command module imports
its own stack (the engine, the solver, or the database and web service) at its top.

The help is Dutch unless ``--lang en`` is on the command line, as everything the commands
write: :func:`lang_of` reads it before the parser is built, with its help texts from the
catalogue's ``[help]`` table.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from typing import Any, NoReturn

from api.cli.common import texts
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


def _help(sp: argparse.ArgumentParser) -> dict[str, str]:
    """The help texts in the language of the parser ``sp`` (one of :func:`build_parser`'s)."""
    return texts("help")[getattr(sp, "lang", "nl")]


def _scenario_options(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--scenario", required=True, help=_help(sp)["scenario"])
    _lang_option(sp)


def _lang_option(sp: argparse.ArgumentParser, help_key: str = "lang", default: str = "nl") -> None:
    sp.add_argument("--lang", choices=["nl", "en"], default=default, help=_help(sp)[help_key])


class _DutchFormatter(argparse.HelpFormatter):
    """argparse's help, its one word of its own in the usage line in Dutch."""

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "gebruik: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, helping and refusing in the reader's language (``lang``, set per
    build): the texts given to it come from the catalogue, and argparse's own few words
    (the usage line, the two headings, ``-h``) are set here."""

    lang: Lang = "nl"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        dutch = self.lang == "nl"
        if dutch:
            kwargs.setdefault("formatter_class", _DutchFormatter)
        # -h is added below instead, with its help in the reader's language.
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        if dutch:
            # argparse names its two groups itself and offers no other way to rename them.
            self._positionals.title = "argumenten"
            self._optionals.title = "opties"
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=_help(self)["help"],
            )

    def error(self, message: str) -> NoReturn:
        # Imported here: the patterns are compiled only when an argument is refused.
        from api.cli.problems import argument_text

        usage = self.format_usage()
        if self.lang == "nl":
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
    """The parser of every command; ``lang``: the language of its help and its refusals."""

    class Parser(_Parser):
        pass

    Parser.lang = lang
    h = texts("help")[lang]
    # Typed as argparse's own: its subparsers are made of the same class (type(self)).
    p: argparse.ArgumentParser = Parser(
        prog="dichtbij", description=h["description"], epilog=h["epilog"].format(spec=SPEC)
    )
    p.add_argument(
        "--version", action="version", version=f"%(prog)s {_version()}", help=h["version"]
    )
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("rank", help=h["rank"])
    _scenario_options(r)
    r.add_argument("--child", required=True, help=h["rank.child"])
    r.add_argument("--top", type=int, default=10, help=h["rank.top"])
    r.add_argument("--json", action="store_true", help=h["json"])
    r.add_argument(
        "--audience",
        choices=[a.value for a in Audience],
        default=Audience.COORDINATOR.value,
        help=h["rank.audience"],
    )
    r.add_argument(
        "--excluded", choices=["nearest", "all"], default="nearest", help=h["rank.excluded"]
    )
    r.add_argument(
        "--members", choices=["points", "full"], default="points", help=h["rank.members"]
    )
    r.add_argument("--waiting-list", action="store_true", help=h["rank.waiting-list"])
    _runs(r, "rank")

    s = sub.add_parser("scores", help=h["scores"])
    _scenario_options(s)
    fmt = s.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help=h["json"])
    fmt.add_argument("--csv", action="store_true", help=h["scores.csv"])
    _runs(s, "scores")

    d = sub.add_parser("demo", help=h["demo"])
    _lang_option(d)
    _runs(d, "demo")

    pol = sub.add_parser("policy", help=h["policy"])
    pol.add_argument("--json", action="store_true", help=h["policy.json"])
    _lang_option(pol)
    _runs(pol, "policy")

    _serve_and_token(sub, h)
    _audit(sub, h)

    m = sub.add_parser("match", help=h["match"])
    m.add_argument("--scenario", required=True, help=h["scenario"])
    m.add_argument("--time-limit", type=float, default=None, help=h["match.time-limit"])
    m.add_argument("--frontier", type=int, default=0, metavar="K", help=h["match.frontier"])
    m.add_argument("--json", action="store_true", help=h["json"])
    _lang_option(m)
    _runs(m, "match")

    c = sub.add_parser("capacity", help=h["capacity"])
    _scenario_options(c)
    c.add_argument("--beds", type=int, required=True, metavar="N", help=h["capacity.beds"])
    c.add_argument("--per-home", type=int, default=None, metavar="M", help=h["capacity.per-home"])
    c.add_argument(
        "--include-full-homes", action="store_true", help=h["capacity.include-full-homes"]
    )
    c.add_argument("--time-limit", type=float, default=None, help=h["capacity.time-limit"])
    c.add_argument("--json", action="store_true", help=h["json"])
    _runs(c, "capacity")
    _simulate(sub, h)
    return p


def _serve_and_token(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], h: dict[str, str]
) -> None:
    serve = sub.add_parser("serve", help=h["serve"], description=h["serve.description"])
    serve.add_argument("--host", default="127.0.0.1", help=h["serve.host"])
    serve.add_argument("--port", type=int, default=8000, help=h["serve.port"])
    serve.add_argument("--workers", type=int, default=1, help=h["serve.workers"])
    _lang_option(serve)
    _runs(serve, "serve")

    token = sub.add_parser("token", help=h["token"])
    # --lang before the subcommand (`token --lang en list`) or after it: argparse copies
    # every attribute of the subcommand's namespace over the command's, defaults included,
    # so the subcommands leave --lang out of their namespace unless it is given there.
    _lang_option(token)
    _runs(token, "token")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help=h["token.create"])
    create.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help=h["token.create.role"]
    )
    create.add_argument("--organisation", required=True, help=h["token.create.organisation"])
    create.add_argument("--municipality", help=h["token.create.municipality"])
    create.add_argument("--label", help=h["token.create.label"])
    create.add_argument(
        "--expires-in-days",
        type=_days,
        metavar="DAYS",
        help=h["token.create.expires-in-days"],
    )
    _lang_option(create, default=argparse.SUPPRESS)

    listing = token_sub.add_parser("list", help=h["token.list"])
    listing.add_argument("--organisation", help=h["token.list.organisation"])
    listing.add_argument("--role", choices=[r.value for r in Role], help=h["token.list.role"])
    listing.add_argument("--all", action="store_true", help=h["token.list.all"])
    _lang_option(listing, default=argparse.SUPPRESS)

    revoke = token_sub.add_parser("revoke", help=h["token.revoke"])
    revoke.add_argument("prefix", help=h["token.revoke.prefix"])
    _lang_option(revoke, default=argparse.SUPPRESS)


def _audit(sub: argparse._SubParsersAction[argparse.ArgumentParser], h: dict[str, str]) -> None:
    p = sub.add_parser("audit", help=h["audit"])
    p.add_argument("--municipality", action="append", help=h["audit.municipality"])
    p.add_argument("--region", help=h["audit.region"])
    p.add_argument(
        "--from",
        dest="period_from",
        type=_iso_date,
        required=True,
        metavar="DATE",
        help=h["audit.from"],
    )
    p.add_argument("--to", type=_iso_date, required=True, metavar="DATE", help=h["audit.to"])
    p.add_argument("--out", default="audit-report", help=h["audit.out"])
    _lang_option(p, "audit.lang")
    p.add_argument(
        "--csv-format",
        choices=["csv", "excel-nl"],
        default="csv",
        help=h["audit.csv-format"],
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


def _simulate(sub: argparse._SubParsersAction[argparse.ArgumentParser], h: dict[str, str]) -> None:
    p = sub.add_parser("simulate", help=h["simulate"], description=h["simulate.description"])
    p.add_argument("--scenario", required=True, help=h["scenario"])
    p.add_argument(
        "--days", type=_bounded(1, 3650, "--days"), required=True, help=h["simulate.days"]
    )
    p.add_argument(
        "--runs", type=_bounded(1, 100_000, "--runs"), required=True, help=h["simulate.runs"]
    )
    p.add_argument(
        "--seed", type=_bounded(0, 2**63 - 1, "--seed"), required=True, help=h["simulate.seed"]
    )
    p.add_argument(
        "--policies",
        default="fcfs,practice,batch-daily,batch-weekly",
        help=h["simulate.policies"],
    )
    p.add_argument("--scheduler", default=None, metavar="ADDRESS", help=h["simulate.scheduler"])
    p.add_argument("--assumptions", default=None, metavar="FILE", help=h["simulate.assumptions"])
    p.add_argument("--json", action="store_true", help=h["json"])
    _lang_option(p)
    _runs(p, "simulate")
