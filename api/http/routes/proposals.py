"""``/v1/proposals``: propose (holds beds), accept/decline (carers), confirm/withdraw."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.http.deps import NowDep, SettingsDep, TodayDep, UowDep, allowed
from api.http.routes.common import ROUTER_OPTIONS, IdPath, Limit, Offset
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
from api.services.access import Action, Caller

__all__ = ["router"]

router = APIRouter(prefix="/v1/proposals", tags=["proposals"], **ROUTER_OPTIONS)


@router.post(
    "",
    status_code=201,
    response_model=ProposalPublic,
    summary="Propose a sibling group for a home and hold the beds",
)
def propose(
    body: ProposalCreate,
    caller: Annotated[Caller, Depends(allowed(Action.PROPOSAL_CREATE))],
    uow: UowDep,
    settings: SettingsDep,
    now: NowDep,
    today: TodayDep,
) -> ProposalPublic:
    return proposals.propose(uow, caller, body.child_ids, body.home_id, now, today, settings.policy)


@router.get("", response_model=ProposalPage, summary="List proposals the caller may see")
def list_proposals(
    caller: Annotated[Caller, Depends(allowed(Action.PROPOSAL_LIST))],
    uow: UowDep,
    today: TodayDep,
    status: Annotated[list[ProposalStatus] | None, Query()] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> ProposalPage:
    return proposals.list_proposals(uow, caller, status or [], offset, limit, today)


@router.get(
    "/{proposal_id}",
    response_model=ProposalView,
    summary="Read a proposal (the provider of the home gets the carers' view)",
)
def get_proposal(
    proposal_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.PROPOSAL_READ))],
    uow: UowDep,
    today: TodayDep,
) -> ProposalPublic | ProposalForProvider:
    return proposals.get_proposal(uow, caller, proposal_id, today)


@router.post("/{proposal_id}/accept", response_model=ProposalForProvider, summary="Carers accept")
def accept(
    proposal_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.PROPOSAL_ACCEPT))],
    uow: UowDep,
    settings: SettingsDep,
    now: NowDep,
    today: TodayDep,
) -> ProposalForProvider:
    return proposals.accept(uow, caller, proposal_id, now, today, settings.policy)


@router.post(
    "/{proposal_id}/decline",
    response_model=ProposalForProvider,
    summary="Carers decline, with a reason; the beds are freed",
)
def decline(
    proposal_id: IdPath,
    body: ProposalDecline,
    caller: Annotated[Caller, Depends(allowed(Action.PROPOSAL_DECLINE))],
    uow: UowDep,
    now: NowDep,
    today: TodayDep,
) -> ProposalForProvider:
    return proposals.decline(uow, caller, proposal_id, body.reason, now, today, code=body.code)


@router.post(
    "/{proposal_id}/confirm",
    response_model=ProposalPublic,
    summary="Confirm an accepted proposal: the children are placed",
)
def confirm(
    proposal_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.PROPOSAL_CONFIRM))],
    uow: UowDep,
    settings: SettingsDep,
    now: NowDep,
    today: TodayDep,
    body: ProposalConfirm | None = None,
) -> ProposalPublic:
    start = body.start_date if body is not None else None
    return proposals.confirm(uow, caller, proposal_id, start, now, today, settings.policy)


@router.post(
    "/{proposal_id}/withdraw",
    response_model=ProposalPublic,
    summary="Withdraw a proposal; the beds are freed",
)
def withdraw(
    proposal_id: IdPath,
    caller: Annotated[Caller, Depends(allowed(Action.PROPOSAL_WITHDRAW))],
    uow: UowDep,
    now: NowDep,
    today: TodayDep,
    body: ProposalWithdraw | None = None,
) -> ProposalPublic:
    reason = body.reason if body is not None else None
    return proposals.withdraw(uow, caller, proposal_id, reason, now, today)
