"""``/v1/match-runs``: a batch match of the waiting children, stored and readable."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.http.deps import ContextDep, UowDep, allowed
from api.http.problems import RATE_LIMITED_RESPONSES
from api.http.routes.common import ROUTER_OPTIONS, IdPath
from api.schemas.match_runs import MatchRunCreate, MatchRunPublic
from api.services import match_runs
from api.services.access import Action, Caller

__all__ = ["router"]

router = APIRouter(prefix="/v1/match-runs", tags=["match runs"], **ROUTER_OPTIONS)


@router.post(
    "",
    status_code=201,
    response_model=MatchRunPublic,
    response_model_exclude_unset=True,
    responses=RATE_LIMITED_RESPONSES,
    summary="Batch match of all waiting children the caller may see (`dichtbij match --json`)",
)
def create_match_run(
    caller: Annotated[Caller, Depends(allowed(Action.MATCH_RUN_CREATE, limit="match_runs"))],
    ctx: ContextDep,
    body: MatchRunCreate | None = None,
) -> MatchRunPublic:
    asked = body or MatchRunCreate()
    return match_runs.create_match_run(
        ctx.uow,
        caller,
        asked.time_limit_s,
        ctx.now,
        ctx.today,
        ctx.policy,
        lang=asked.lang,
        frontier=asked.frontier,
    )


@router.get(
    "/{run_id}",
    response_model=MatchRunPublic,
    response_model_exclude_unset=True,
    summary="Read a stored match run",
)
def get_match_run(
    run_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.MATCH_RUN_READ))],
    uow: UowDep,
) -> MatchRunPublic:
    return match_runs.get_match_run(uow, caller, run_id)
