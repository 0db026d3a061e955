"""``/v1/match-runs``: a batch match of the waiting children, stored and readable."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import CallerDep, ContextDep, UowDep
from api.http.routes.common import ROUTER_OPTIONS, IdPath
from api.schemas.match_runs import MatchRunCreate, MatchRunPublic
from api.services import match_runs

__all__ = ["router"]

router = APIRouter(prefix="/v1/match-runs", tags=["match runs"], **ROUTER_OPTIONS)


@router.post("", status_code=201, response_model=MatchRunPublic, response_model_exclude_unset=True)
def create_match_run(
    caller: CallerDep, ctx: ContextDep, body: MatchRunCreate | None = None
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


@router.get("/{run_id}", response_model=MatchRunPublic, response_model_exclude_unset=True)
def get_match_run(run_id: IdPath, caller: CallerDep, uow: UowDep) -> MatchRunPublic:
    return match_runs.get_match_run(uow, caller, run_id)
