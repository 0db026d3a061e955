"""``/v1/planning``: a municipality's area planned ahead (extra beds, the price of the last
placed children, the simulation), aggregated like the audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter

from api.db.uow import UnitOfWork
from api.http.deps import CallerDep, Context, ContextDep
from api.http.routes.common import ROUTER_OPTIONS
from api.schemas.planning import (
    CapacityCreate,
    CapacityPublic,
    FrontierCreate,
    FrontierPublic,
    SimulationCreate,
    SimulationPublic,
)
from api.services import planning
from api.services.access import Caller
from matching.explain import Lang
from matching.policy import Policy

__all__ = ["router"]

router = APIRouter(prefix="/v1/planning", tags=["planning"], **ROUTER_OPTIONS)

#: An answer about the area for a count (extra beds, or points of the frontier): the
#: signature planning.capacity_answer and planning.frontier_answer share.
_AreaAnswer = Callable[
    [UnitOfWork, Caller, str | None, int, date, Policy, float, Lang], dict[str, Any]
]


def _area_answer(
    answer: _AreaAnswer,
    caller: Caller,
    ctx: Context,
    asked: CapacityCreate | FrontierCreate,
    count: int,
) -> dict[str, Any]:
    """What ``answer`` says about the area ``asked`` names, with its time limit and language."""
    return answer(
        ctx.uow,
        caller,
        asked.municipality,
        count,
        ctx.today,
        ctx.policy,
        asked.time_limit_s,
        asked.lang,
    )


@router.post("/capacity", response_model=CapacityPublic)
def plan_capacity(caller: CallerDep, ctx: ContextDep, body: CapacityCreate) -> CapacityPublic:
    doc = _area_answer(planning.capacity_answer, caller, ctx, body, body.beds)
    return CapacityPublic.model_validate(doc)


@router.post("/frontier", response_model=FrontierPublic)
def plan_frontier(
    caller: CallerDep, ctx: ContextDep, body: FrontierCreate | None = None
) -> FrontierPublic:
    asked = body or FrontierCreate()
    doc = _area_answer(planning.frontier_answer, caller, ctx, asked, asked.points)
    return FrontierPublic.model_validate(doc)


@router.post("/simulations", response_model=SimulationPublic)
def simulate_planning(
    caller: CallerDep, ctx: ContextDep, body: SimulationCreate | None = None
) -> SimulationPublic:
    asked = body or SimulationCreate()
    doc = planning.simulation_answer(
        ctx.uow,
        caller,
        asked.municipality,
        days=asked.days,
        runs=asked.runs,
        seed=asked.seed,
        policies=asked.policies,
        today=ctx.today,
        policy=ctx.policy,
        scheduler=ctx.settings.dask_scheduler,
        time_limit_s=asked.time_limit_s,
    )
    return SimulationPublic.model_validate(doc)
