"""``/v1/children``: coordinators register and maintain waiting children, and rank options."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from api.http.deps import NowDep, SettingsDep, TodayDep, UowDep, allowed
from api.http.problems import PROBLEM_RESPONSES, RATE_LIMITED_RESPONSES
from api.http.routes.common import ETAG_HEADERS, ROUTER_OPTIONS, IdPath, IfMatch, Limit, Offset
from api.schemas.children import ChildCreate, ChildPage, ChildPublic, ChildStatus, ChildUpdate
from api.schemas.homes import HomePublic
from api.schemas.options import RankDocument
from api.services import children, homes, options
from api.services.access import Action, Caller

__all__ = ["router"]

router = APIRouter(prefix="/v1/children", tags=["children"], **ROUTER_OPTIONS)

OrganisationQuery = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=64,
        description="Admins only: the organisation the child belongs to",
    ),
]


@router.post("", status_code=201, response_model=ChildPublic, summary="Register a child")
def register_child(
    body: ChildCreate,
    caller: Annotated[Caller, Depends(allowed(Action.CHILD_CREATE))],
    uow: UowDep,
    now: NowDep,
    today: TodayDep,
    organisation: OrganisationQuery = None,
) -> ChildPublic:
    return children.register_child(uow, caller, body, organisation, now, today)


@router.get("", response_model=ChildPage, summary="List the organisation's children")
def list_children(
    caller: Annotated[Caller, Depends(allowed(Action.CHILD_LIST))],
    uow: UowDep,
    status: Annotated[list[ChildStatus] | None, Query(description="Only these statuses")] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> ChildPage:
    return children.list_children(uow, caller, status or [], offset, limit)


@router.get(
    "/{child_id}",
    response_model=ChildPublic,
    responses={200: {"headers": ETAG_HEADERS}},
    summary="Read a child",
)
def get_child(
    child_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.CHILD_READ))],
    uow: UowDep,
    response: Response,
) -> ChildPublic:
    child, response.headers["ETag"] = children.get_child(uow, caller, child_id)
    return child


@router.patch(
    "/{child_id}",
    response_model=ChildPublic,
    responses={200: {"headers": ETAG_HEADERS}, 412: PROBLEM_RESPONSES[412]},
    summary="Change a child",
)
def update_child(
    child_id: IdPath,
    body: ChildUpdate,
    caller: Annotated[Caller, Depends(allowed(Action.CHILD_UPDATE))],
    uow: UowDep,
    now: NowDep,
    today: TodayDep,
    response: Response,
    if_match: IfMatch = None,
) -> ChildPublic:
    changes = body.model_dump(exclude_unset=True)
    child, response.headers["ETag"] = children.update_child(
        uow, caller, child_id, changes, now, today, if_match=if_match
    )
    return child


@router.delete(
    "/{child_id}",
    status_code=204,
    response_model=None,
    responses={412: PROBLEM_RESPONSES[412]},
    summary="Remove a child's record",
)
def delete_child(
    child_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.CHILD_DELETE))],
    uow: UowDep,
    now: NowDep,
    if_match: IfMatch = None,
) -> None:
    children.delete_child(uow, caller, child_id, now, if_match=if_match)


@router.get(
    "/{child_id}/options",
    response_model=RankDocument,
    responses=RATE_LIMITED_RESPONSES,
    summary="Ranked options: the same document as `dichtbij rank --json`",
)
def child_options(
    child_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.CHILD_OPTIONS, limit="options"))],
    uow: UowDep,
    settings: SettingsDep,
    today: TodayDep,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    lang: Annotated[Literal["nl", "en"], Query()] = "nl",
    waiting_list: Annotated[
        bool,
        Query(
            description="Add per option its effect on the other waiting children (who would "
            "lose a place or move, and a warning when one is left with no eligible home)",
        ),
    ] = False,
    excluded: Annotated[
        Literal["nearest", "all"],
        Query(
            description="Excluded homes explained with their reasons: the nearest 8 "
            "(default; every excluded home is counted per reason in `excluded_summary`) "
            "or all of them (thousands nationally, about a megabyte)",
        ),
    ] = "nearest",
) -> JSONResponse:
    doc = options.options_for(
        uow,
        caller,
        child_id,
        top,
        lang,
        today,
        settings.policy,
        waiting_list=waiting_list,
        excluded=excluded,
    )
    # With excluded=all the document lists thousands of excluded homes; it is already plain
    # JSON, so it is sent as it is rather than validated field by field against the model.
    return JSONResponse(doc)


@router.put(
    "/{child_id}/network/{home_id}",
    response_model=HomePublic,
    summary="Attach the child to a network foster home (add it to the home's known_to)",
)
def attach_to_network(
    child_id: IdPath,
    home_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.CHILD_NETWORK_ATTACH))],
    uow: UowDep,
    now: NowDep,
) -> HomePublic:
    return homes.attach_to_network(uow, caller, child_id, home_id, now)


@router.delete(
    "/{child_id}/network/{home_id}",
    status_code=204,
    response_model=None,
    summary="Detach the child from a network foster home",
)
def detach_from_network(
    child_id: IdPath,
    home_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.CHILD_NETWORK_DETACH))],
    uow: UowDep,
    now: NowDep,
) -> None:
    homes.detach_from_network(uow, caller, child_id, home_id, now)
