"""The one door from the service to the batch solver: :func:`run_match`.

A match run is the same computation as ``dichtbij match --json`` (``solver.match_json``)
on the scenario the service builds from its live state, so the API and the command line
can never disagree about an answer.
"""

from __future__ import annotations

from typing import Any

from matching.explain import Lang
from matching.model import Scenario
from solver import match_json
from solver.planning import match_with_frontier_json

__all__ = ["run_match"]


def run_match(
    scenario: Scenario, time_limit_s: float = 10.0, lang: Lang = "nl", frontier: int = 0
) -> dict[str, Any]:
    """The batch match of ``scenario``: the ``dichtbij match --json`` document.

    A run stopped by ``time_limit_s`` returns the best assignment found, with status
    ``feasible`` and its gap, never nothing. ``frontier`` > 0 adds that many frontier
    points below the optimum (``dichtbij match --frontier K``), with their own time limit.
    """
    if frontier:
        return match_with_frontier_json(scenario, frontier, time_limit_s=time_limit_s, lang=lang)
    return match_json(scenario, time_limit_s=time_limit_s, lang=lang)
