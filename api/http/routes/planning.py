"""``/v1/planning``: a municipality's area planned ahead (extra beds, the price of the last
placed children, the simulation), aggregated like the audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.http.deps import ContextDep, allowed
from api.http.problems import RATE_LIMITED_RESPONSES
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
from api.services.access import Action, Caller

__all__ = ["router"]

router = APIRouter(prefix="/v1/planning", tags=["planning"], **ROUTER_OPTIONS)


@router.post(
    "/capacity",
    response_model=CapacityPublic,
    responses=RATE_LIMITED_RESPONSES,
    summary="Where extra beds place the most of the area's children (`dichtbij capacity`)",
)
def plan_capacity(
    caller: Annotated[Caller, Depends(allowed(Action.PLANNING_CAPACITY, limit="planning"))],
    ctx: ContextDep,
    body: CapacityCreate,
) -> CapacityPublic:
    doc = planning.capacity_answer(
        ctx.uow,
        caller,
        body.municipality,
        body.beds,
        ctx.today,
        ctx.policy,
        body.time_limit_s,
        body.lang,
    )
    return CapacityPublic.model_validate(doc)


@router.post(
    "/frontier",
    response_model=FrontierPublic,
    responses=RATE_LIMITED_RESPONSES,
    summary="What placing the area's last children costs (`dichtbij match --frontier K`)",
)
def plan_frontier(
    caller: Annotated[Caller, Depends(allowed(Action.PLANNING_FRONTIER, limit="planning"))],
    ctx: ContextDep,
    body: FrontierCreate | None = None,
) -> FrontierPublic:
    asked = body or FrontierCreate()
    doc = planning.frontier_answer(
        ctx.uow,
        caller,
        asked.municipality,
        asked.points,
        ctx.today,
        ctx.policy,
        asked.time_limit_s,
        asked.lang,
    )
    return FrontierPublic.model_validate(doc)


@router.post(
    "/simulations",
    response_model=SimulationPublic,
    responses=RATE_LIMITED_RESPONSES,
    summary="The area under each placement policy, many runs (`dichtbij simulate`)",
)
def simulate_planning(
    caller: Annotated[Caller, Depends(allowed(Action.PLANNING_SIMULATION, limit="planning"))],
    ctx: ContextDep,
    body: SimulationCreate | None = None,
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
