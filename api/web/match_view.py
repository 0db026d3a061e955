"""A match run beside today's practice, for the match run page: the figures of the
optimum the run found and of first come, first served, on the same waiting list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from api.db.uow import UnitOfWork
from api.services.access import Caller
from api.services.match_runs import run_scenario
from matching.context import Context
from matching.policy import Policy
from solver.outcomes import Outcomes, outcomes
from solver.practice import status_quo_of

__all__ = ["Comparison", "compare_with_practice"]


@dataclass(frozen=True)
class Comparison:
    engine: Outcomes
    practice: Outcomes


def compare_with_practice(
    uow: UnitOfWork, caller: Caller, run: dict[str, Any], today: date, policy: Policy
) -> Comparison:
    """The run's assignments and today's practice measured on the caller's waiting list,
    read as :func:`api.services.match_runs.create_match_run` read it."""
    scenario = run_scenario(uow, caller, today, policy)
    ctx = Context.of(scenario)
    placed = {a["child_id"]: a["home_id"] for a in run["assignments"]}
    practice = {p.child_id: p.home_id for p in status_quo_of(ctx)}
    return Comparison(outcomes(ctx, placed), outcomes(ctx, practice))
