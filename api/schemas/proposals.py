"""Proposal bodies: propose a sibling group to a home, then answer, confirm or withdraw."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from api.schemas.common import Page
from matching.scenario import Id

__all__ = [
    "ProposalChild",
    "ProposalConfirm",
    "ProposalCreate",
    "ProposalDecline",
    "ProposalPage",
    "ProposalPublic",
    "ProposalStatus",
    "ProposalWithdraw",
]

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ProposalStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProposalCreate(_Body):
    child_ids: list[Id] = Field(min_length=1, max_length=20)
    home_id: Id

    @field_validator("child_ids")
    @classmethod
    def _distinct(cls, value: list[Id]) -> list[Id]:
        if len(set(value)) != len(value):
            raise ValueError("a child is listed twice")
        return value


class ProposalDecline(_Body):
    reason: Reason = Field(description="Why the carers decline; kept with the proposal")


class ProposalWithdraw(_Body):
    reason: Reason | None = None


class ProposalConfirm(_Body):
    start_date: date | None = Field(None, description="First day of the placement; default today")


class ProposalChild(BaseModel):
    """What carers need to decide: no postcodes, nothing about where the parents live."""

    child_id: str
    age: int
    needs: dict[str, int]
    urgency: str


class ProposalPublic(BaseModel):
    id: str
    status: ProposalStatus
    home_id: str
    organisation: str = Field(description="The coordinating organisation that proposed")
    child_ids: list[str]
    children: list[ProposalChild]
    beds: int = Field(description="Beds held (children already living in the home need none)")
    split_reason: str | None = Field(
        None, description="Set when part of a sibling group is proposed on its own"
    )
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    decline_reason: str | None
    withdraw_reason: str | None


class ProposalPage(Page):
    items: list[ProposalPublic]
