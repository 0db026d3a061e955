"""``/v1/proposals``: propose (holds beds), accept/decline (carers), confirm/withdraw."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.deps import CallerDep, ContextDep
from api.http.routes.common import ROUTER_OPTIONS, IdPath, PageDep
from api.schemas.proposals import (
    ProposalConfirm,
    ProposalCreate,
    ProposalDecline,
    ProposalForProvider,
    ProposalPage,
    ProposalPublic,
    ProposalStatus,
    ProposalView,
    ProposalWithdraw,
)
from api.services import proposals

__all__ = ["router"]

router = APIRouter(prefix="/v1/proposals", tags=["proposals"], **ROUTER_OPTIONS)


@router.post("", status_code=201, response_model=ProposalPublic)
def propose(body: ProposalCreate, caller: CallerDep, ctx: ContextDep) -> ProposalPublic:
    return proposals.propose(
        ctx.uow, caller, body.child_ids, body.home_id, ctx.now, ctx.today, ctx.policy
    )


@router.get("", response_model=ProposalPage)
def list_proposals(
    caller: CallerDep,
    ctx: ContextDep,
    page: PageDep,
    status: Annotated[list[ProposalStatus] | None, Query()] = None,
) -> ProposalPage:
    return proposals.list_proposals(
        ctx.uow, caller, status or [], page.offset, page.limit, ctx.today
    )


@router.get("/{proposal_id}", response_model=ProposalView)
def get_proposal(
    proposal_id: IdPath, caller: CallerDep, ctx: ContextDep
) -> ProposalPublic | ProposalForProvider:
    return proposals.get_proposal(ctx.uow, caller, proposal_id, ctx.today)


@router.post("/{proposal_id}/accept", response_model=ProposalForProvider)
def accept(proposal_id: IdPath, caller: CallerDep, ctx: ContextDep) -> ProposalForProvider:
    return proposals.accept(ctx.uow, caller, proposal_id, ctx.now, ctx.today, ctx.policy)


@router.post("/{proposal_id}/decline", response_model=ProposalForProvider)
def decline(
    proposal_id: IdPath, body: ProposalDecline, caller: CallerDep, ctx: ContextDep
) -> ProposalForProvider:
    return proposals.decline(
        ctx.uow, caller, proposal_id, body.reason, ctx.now, ctx.today, code=body.code
    )


@router.post("/{proposal_id}/confirm", response_model=ProposalPublic)
def confirm(
    proposal_id: IdPath, caller: CallerDep, ctx: ContextDep, body: ProposalConfirm | None = None
) -> ProposalPublic:
    start = body.start_date if body is not None else None
    return proposals.confirm(ctx.uow, caller, proposal_id, start, ctx.now, ctx.today, ctx.policy)


@router.post("/{proposal_id}/withdraw", response_model=ProposalPublic)
def withdraw(
    proposal_id: IdPath, caller: CallerDep, ctx: ContextDep, body: ProposalWithdraw | None = None
) -> ProposalPublic:
    reason = body.reason if body is not None else None
    return proposals.withdraw(ctx.uow, caller, proposal_id, reason, ctx.now, ctx.today)
