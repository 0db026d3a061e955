"""The ``dichtbij`` command line: one module per command, the parser apart.

Contract: docs/spec/scenario.md. A bad scenario or argument exits with status 2 and one
line per problem on standard error; nothing is written. Output, those lines included, is
Dutch unless ``--lang en``.
"""

from __future__ import annotations

import argparse
import importlib
import io
import sys
from collections.abc import Callable, Sequence
from typing import TextIO, cast

from api.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, CommandFailed, UsageError, read_scenario
from api.cli.parser import build_parser, lang_of
from api.cli.problems import problem_line, reason_text
from matching import Lang, ScenarioError

__all__ = ["EXIT_BAD_INPUT", "UsageError", "main", "read_scenario"]

Command = Callable[[argparse.Namespace, TextIO], None]


def _command(args: argparse.Namespace) -> Command:
    # Only the chosen command's module is imported, so `dichtbij rank` loads the engine
    # alone, not the solver, database, web and chart stacks of the other commands:
    # importing every command module took 8.6 s (median of 5, loaded 2-core machine)
    # against 1.3 s for api.cli.rank alone; `rank --scenario @demo` went 1.40 s -> 0.72 s.
    module = importlib.import_module(args.command_module)
    return cast(Command, module.run)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 an answer failed its own
    check, 2 bad input)."""
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(lang_of(words)).parse_args(words)
    # Every command takes --lang (its help, its output and its refusals); Dutch otherwise.
    lang: Lang = getattr(args, "lang", "nl")
    # Build the whole output first: a failure half-way must not leave half a document.
    buffer = io.StringIO()
    try:
        _command(args)(args, buffer)
    except ScenarioError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"dichtbij: {problem_line(problem, lang)}\n")
        return EXIT_BAD_INPUT
    except UsageError as exc:
        sys.stderr.write(f"dichtbij: {reason_text(str(exc), lang)}\n")
        return EXIT_BAD_INPUT
    except CommandFailed as exc:
        sys.stderr.write(f"dichtbij: {reason_text(str(exc), lang)}\n")
        return EXIT_FAILED
    (out or sys.stdout).write(buffer.getvalue())
    return 0
