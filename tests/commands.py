"""The command line run in-process, as the CLI tests call it: ``dichtbij ARGS`` with its
output caught, and its ``--json`` answer read."""

from __future__ import annotations

import io
import json
from typing import Any

from api.cli import main

__all__ = ["run", "run_json"]


def run(*argv: str) -> tuple[int, str]:
    """The exit status and what was written to the output."""
    out = io.StringIO()
    status = main(list(argv), out=out)
    return status, out.getvalue()


def run_json(*argv: str) -> Any:
    """The ``--json`` answer of a command that succeeds."""
    status, text = run(*argv, "--json")
    assert status == 0
    return json.loads(text)
