"""The one door from the service to the batch solver: :func:`run_match`.

The solver (``solver/``, ``dichtbij match``) is built in parallel with this service. This
module is the only place that knows how to call it; until it exists, a match run answers
503 with a clear message rather than a made-up result.
"""

from __future__ import annotations

import importlib
from typing import Any

from api.services.errors import UnavailableError
from matching.model import Scenario

__all__ = ["SolverUnavailableError", "run_match"]


class SolverUnavailableError(UnavailableError):
    """The batch solver is not installed in this build."""


def run_match(scenario: Scenario, time_limit_s: float = 10.0) -> dict[str, Any]:
    """The batch match of ``scenario``: the ``dichtbij match --json`` document."""
    try:
        solver: Any = importlib.import_module("solver")
    except ImportError:  # pragma: no cover - the package ships with the project
        raise SolverUnavailableError("the batch solver is not installed") from None
    entry = getattr(solver, "match_json", None)
    if entry is None:
        raise SolverUnavailableError("the batch solver is not available in this build yet")
    document: dict[str, Any] = entry(scenario, time_limit_s=time_limit_s)
    return document
