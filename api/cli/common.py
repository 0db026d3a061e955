"""What every ``dichtbij`` command shares: its exit status, usage errors, the scenario argument
and its sentences (the catalogue ``texts.toml`` beside this module).

A bad scenario or a bad argument exits with :data:`EXIT_BAD_INPUT` and one line per problem
on standard error; nothing is written to standard output.
"""

from __future__ import annotations

import errno
import math
import sys
from functools import cache
from importlib import resources
from typing import Any, Literal

from api.catalogue import pair, read_catalogue
from matching import Scenario, load_scenario

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "MAX_TIME_LIMIT_S",
    "CommandFailed",
    "UsageError",
    "catalogue",
    "check_seconds",
    "os_problem",
    "read_scenario",
    "texts",
]

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


class CommandFailed(Exception):  # noqa: N818 - the command failed; it is not an input error
    """The input was fine but the answer failed its own check (exit 1, nothing written)."""


def os_problem(exc: OSError) -> Literal["missing", "folder", "denied"] | None:
    """The common reasons a file cannot be opened, for the command to say in its own words:
    the system's message (``exc.strerror``) is English whatever the reader's language."""
    if exc.errno == errno.ENOENT:
        return "missing"
    if exc.errno == errno.EISDIR:
        return "folder"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "denied"
    return None


class UsageError(Exception):
    """A usage problem that is not in the scenario itself (file, unknown child, option)."""


#: The longest time limit an option takes: a week. Leaving the option out means no limit.
MAX_TIME_LIMIT_S = 7 * 24 * 3600


def check_seconds(option: str, value: float | None) -> None:
    """Refuse a time limit that is not a number of seconds above 0, at most a week: ``nan``
    or ``inf`` would otherwise pass as 'no limit', and a huge one overflows the solvers'
    own clocks."""
    if value is not None and not (math.isfinite(value) and 0 < value <= MAX_TIME_LIMIT_S):
        raise UsageError(
            f"{option} must be more than 0 and at most {MAX_TIME_LIMIT_S} seconds, not {value}"
        )


def read_scenario(path: str) -> Scenario:
    """The scenario named on the command line: a file, ``-`` for stdin, ``@demo`` bundled."""
    # Bytes, from a file and from stdin alike: the loader decodes them as UTF-8 and names
    # the first bad byte, instead of a decoding error escaping as a traceback.
    text: str | bytes
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        text = stdin.read() if stdin is not None else sys.stdin.read()
    elif path == "@demo":
        text = resources.files("matching").joinpath("data/demo-scenario.json").read_bytes()
    else:
        try:
            with open(path, "rb") as fh:
                text = fh.read()
        except OSError as exc:
            match os_problem(exc):
                case "missing":
                    raise UsageError(
                        f"cannot read scenario file '{path}': it does not exist"
                    ) from None
                case "folder":
                    raise UsageError(
                        f"cannot read scenario file '{path}': it is a folder, not a file"
                    ) from None
                case "denied":
                    raise UsageError(
                        f"cannot read scenario file '{path}': no permission to read it"
                    ) from None
            raise UsageError(f"cannot read scenario file '{path}': {exc.strerror}") from None
    return load_scenario(text)


@cache
def catalogue() -> dict[str, Any]:
    """The commands' catalogue, ``texts.toml`` beside this module, as read."""
    return read_catalogue("api.cli")


def texts(command: str) -> dict[str, dict[str, str]]:
    """The sentences of ``command`` (its table in ``texts.toml``) per language:
    ``texts("rank")["en"]["ref"]``."""
    pairs = [(key, pair(value)) for key, value in catalogue()[command].items()]
    return {lang: {key: p[i] for key, p in pairs} for i, lang in enumerate(("nl", "en"))}
