"""``/v1/placements``: placements recorded on confirmation, and ending them with a reason."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import CallerDep, ContextDep, UowDep
from api.http.routes.common import ROUTER_OPTIONS, IdPath, PageDep
from api.schemas.placements import (
    PlacementEnd,
    PlacementForProvider,
    PlacementPage,
    PlacementPublic,
    PlacementsEnd,
    PlacementsEnded,
    PlacementView,
)
from api.services import placements

__all__ = ["router"]

router = APIRouter(prefix="/v1/placements", tags=["placements"], **ROUTER_OPTIONS)


@router.get("", response_model=PlacementPage)
def list_placements(
    caller: CallerDep,
    uow: UowDep,
    page: PageDep,
    open_only: Annotated[
        bool, Query(alias="open", description="Only placements not ended")
    ] = False,
) -> PlacementPage:
    return placements.list_placements(uow, caller, open_only, page.offset, page.limit)


@router.post("/end", response_model=PlacementsEnded)
def end_placements(body: PlacementsEnd, caller: CallerDep, ctx: ContextDep) -> PlacementsEnded:
    ended = placements.end_placements(
        ctx.uow, caller, body.placement_ids, body.reason, body.end_date, ctx.now, ctx.today
    )
    return PlacementsEnded(items=ended)


@router.get("/{placement_id}", response_model=PlacementView)
def get_placement(
    placement_id: IdPath, caller: CallerDep, uow: UowDep
) -> PlacementPublic | PlacementForProvider:
    return placements.get_placement(uow, caller, placement_id)


@router.post("/{placement_id}/end", response_model=PlacementPublic)
def end_placement(
    placement_id: IdPath, body: PlacementEnd, caller: CallerDep, ctx: ContextDep
) -> PlacementPublic:
    return placements.end_placement(
        ctx.uow, caller, placement_id, body.reason, body.end_date, ctx.now, ctx.today
    )
