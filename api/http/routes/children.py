"""``/v1/children``: coordinators register and maintain waiting children, and rank options."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from api.http.deps import AuditDep, CallerDep, ContextDep, UowDep
from api.http.middleware import write_read_record
from api.http.responses import DocumentResponse
from api.http.routes.common import (
    ETAG_READ,
    IF_MATCH_CHANGE,
    IF_MATCH_REMOVAL,
    REMOVAL,
    ROUTER_OPTIONS,
    IdPath,
    IfMatch,
    PageDep,
)
from api.schemas.children import ChildCreate, ChildPage, ChildPublic, ChildStatus, ChildUpdate
from api.schemas.homes import HomePublic
from api.schemas.options import RankDocument
from api.services import children, homes, options
from matching.documents import Lang

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


@router.post("", status_code=201, response_model=ChildPublic)
def register_child(
    body: ChildCreate, caller: CallerDep, ctx: ContextDep, organisation: OrganisationQuery = None
) -> ChildPublic:
    return children.register_child(ctx.uow, caller, body, organisation, ctx.now, ctx.today)


@router.get("", response_model=ChildPage)
def list_children(
    caller: CallerDep,
    uow: UowDep,
    page: PageDep,
    status: Annotated[list[ChildStatus] | None, Query(description="Only these statuses")] = None,
) -> ChildPage:
    return children.list_children(uow, caller, status or [], page.offset, page.limit)


@router.get("/{child_id}", response_model=ChildPublic, **ETAG_READ)
def get_child(child_id: IdPath, caller: CallerDep, uow: UowDep, response: Response) -> ChildPublic:
    child, response.headers["ETag"] = children.get_child(uow, caller, child_id)
    return child


@router.patch("/{child_id}", response_model=ChildPublic, **IF_MATCH_CHANGE)
def update_child(
    child_id: IdPath,
    body: ChildUpdate,
    caller: CallerDep,
    ctx: ContextDep,
    response: Response,
    if_match: IfMatch = None,
) -> ChildPublic:
    changes = body.model_dump(exclude_unset=True)
    child, response.headers["ETag"] = children.update_child(
        ctx.uow, caller, child_id, changes, ctx.now, ctx.today, if_match=if_match
    )
    return child


@router.delete("/{child_id}", **IF_MATCH_REMOVAL)
def delete_child(
    child_id: IdPath, caller: CallerDep, ctx: ContextDep, if_match: IfMatch = None
) -> None:
    children.delete_child(ctx.uow, caller, child_id, ctx.now, if_match=if_match)


@router.get("/{child_id}/options", response_model=RankDocument)
def child_options(
    child_id: IdPath,
    caller: CallerDep,
    ctx: ContextDep,
    audit: AuditDep,
    request: Request,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    lang: Annotated[Lang, Query()] = "nl",
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
    members: Annotated[
        Literal["points", "full"],
        Query(
            description="Each option's members: their points per criterion (default; every "
            "member's sentence is in the option's criteria) or every criterion in full, with "
            "its sentence and facts (a sibling group's ten options then reach 120 to 190 kB)",
        ),
    ] = "points",
) -> DocumentResponse:
    # A few rankings at once per process, the others waiting their turn in this thread
    # (app.state.ranking_slots); the audit record below is written outside the slot.
    with request.app.state.ranking_slots:
        doc = options.options_for(
            ctx.uow,
            caller,
            child_id,
            top,
            lang,
            ctx.today,
            ctx.policy,
            waiting_list=waiting_list,
            excluded=excluded,
            members=members,
        )
        # With excluded=all the document lists thousands of excluded homes; it is already
        # plain JSON, so it is sent as it is rather than validated field by field.
        response = DocumentResponse(doc)
    write_read_record(ctx.uow, audit, response.status_code)
    return response


@router.put("/{child_id}/network/{home_id}", response_model=HomePublic)
def attach_to_network(
    child_id: IdPath, home_id: IdPath, caller: CallerDep, ctx: ContextDep
) -> HomePublic:
    return homes.attach_to_network(ctx.uow, caller, child_id, home_id, ctx.now)


@router.delete("/{child_id}/network/{home_id}", **REMOVAL)
def detach_from_network(
    child_id: IdPath, home_id: IdPath, caller: CallerDep, ctx: ContextDep
) -> None:
    homes.detach_from_network(ctx.uow, caller, child_id, home_id, ctx.now)
