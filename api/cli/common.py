"""What every ``dichtbij`` command shares: its exit status, usage errors, the scenario argument.

A bad scenario or a bad argument exits with :data:`EXIT_BAD_INPUT` and one line per problem
on standard error; nothing is written to standard output.
"""

from __future__ import annotations

import sys
from importlib import resources

from matching import Scenario, load_scenario

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "CommandFailed", "UsageError", "read_scenario"]

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


class CommandFailed(Exception):  # noqa: N818 - the command failed; it is not an input error
    """The input was fine but the answer failed its own check (exit 1, nothing written)."""


class UsageError(Exception):
    """A usage problem that is not in the scenario itself (file, unknown child, option)."""


def read_scenario(path: str) -> Scenario:
    """The scenario named on the command line: a file, ``-`` for stdin, ``@demo`` bundled."""
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
