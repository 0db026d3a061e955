"""Proposal bodies: propose a sibling group to a home, then answer, confirm or withdraw."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from api.schemas.common import Page, each_once
from matching.errors import CrossFieldError
from matching.model import SplitReason, Urgency
from matching.scenario import Id, IsoDate

__all__ = [
    "CarerChild",
    "DeclineReason",
    "ProposalChild",
    "ProposalConfirm",
    "ProposalCreate",
    "ProposalDecline",
    "ProposalForProvider",
    "ProposalPage",
    "ProposalPublic",
    "ProposalStatus",
    "ProposalView",
    "ProposalWithdraw",
    "SchoolArea",
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
    child_ids: Annotated[list[Id], each_once("a child is listed twice")] = Field(
        min_length=1, max_length=20
    )
    home_id: Id


class DeclineReason(StrEnum):
    """Why carers decline, in categories a region can count and act on."""

    NO_CAPACITY = "no_capacity"
    CHILD_PROFILE = "child_profile"
    TIMING = "timing"
    CARER_CIRCUMSTANCES = "carer_circumstances"
    OTHER = "other"


class ProposalDecline(_Body):
    reason_code: DeclineReason | None = Field(
        None,
        description=(
            "The kind of reason; written into each child's history. Without it the "
            "decline counts as 'other' and reason is required"
        ),
    )
    reason: Reason | None = Field(
        None, description="The carers' own words; required with 'other' or without reason_code"
    )

    @model_validator(mode="after")
    def _note_with_other(self) -> ProposalDecline:
        if self.reason_code in (None, DeclineReason.OTHER) and self.reason is None:
            raise CrossFieldError(
                "reason",
                "reason (the carers' note) is required when reason_code is 'other' or absent",
            )
        return self

    @property
    def code(self) -> DeclineReason:
        return self.reason_code or DeclineReason.OTHER


class ProposalWithdraw(_Body):
    reason: Reason | None = None


class ProposalConfirm(_Body):
    start_date: IsoDate | None = Field(
        None, description="First day of the placement; default today"
    )


class ProposalChild(BaseModel):
    """A child in the coordinator's view of a proposal."""

    child_id: str
    age: int
    needs: dict[str, int]
    urgency: Urgency


class ProposalPublic(BaseModel):
    """A proposal as the coordinating organisation (and an admin) sees it."""

    audience: Literal["coordinator"] = "coordinator"
    id: str
    status: ProposalStatus
    home_id: str
    organisation: str = Field(description="The coordinating organisation that proposed")
    child_ids: list[str]
    children: list[ProposalChild]
    beds: int = Field(description="Beds held (children already living in the home need none)")
    split_reason: SplitReason | None = Field(
        None, description="Set when part of a sibling group is proposed on its own"
    )
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    decline_reason: str | None
    decline_reason_code: DeclineReason | None = None
    withdraw_reason: str | None


class SchoolArea(BaseModel):
    """Where the child goes to school, as coarsely as carers need it: the municipality, and
    how far it is from their home. Never the school's postcode."""

    municipality: str
    distance_km: float = Field(description="From the proposed home, as the engine measures")


class CarerChild(BaseModel):
    """What carers need to decide about one child, and nothing that locates its parents."""

    child_id: str
    age: int
    needs: dict[str, int]
    urgency: Urgency = Field(description="crisis or planned: how soon the child needs the bed")
    confidential: bool = Field(
        description="A secret placement: the parents must not learn where the child lives"
    )
    school_area: SchoolArea | None = Field(
        description="Null for a confidential placement, or when no school is recorded"
    )
    lives_here: bool = Field(
        False,
        description=(
            "The coordinator records the child as living in this home already, so the "
            "proposal holds no bed for it: accept only if that is so"
        ),
    )


class ProposalForProvider(BaseModel):
    """A proposal as the carers' organisation sees it: age, needs, sibling group size and
    school area; never a postcode, nor the parents' municipality, nor why siblings are
    apart, nor the coordinator's notes. For a confidential placement nothing about where
    the child comes from: no school area, and not even the coordinating organisation (a
    regional organisation would narrow the parents' region down)."""

    audience: Literal["provider"] = "provider"
    id: str
    status: ProposalStatus
    home_id: str
    organisation: str | None = Field(
        description="The coordinating organisation; null when a child's placement is confidential"
    )
    child_ids: list[str]
    children: list[CarerChild]
    sibling_group_size: int = Field(
        description="Children in the whole sibling group, those proposed here included"
    )
    beds: int
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    decline_reason: str | None = Field(description="The carers' own reason, when they declined")
    decline_reason_code: DeclineReason | None = Field(
        None, description="The kind of reason, when they declined (no_capacity, ...)"
    )
    beds_check_requested: bool = Field(
        False,
        description=(
            "Declined for no_capacity: please correct the home's beds_free "
            "(the home shows beds_check_requested_at until then)"
        ),
    )


ProposalView = Annotated[ProposalPublic | ProposalForProvider, Field(discriminator="audience")]


class ProposalPage(Page):
    items: list[ProposalView]
