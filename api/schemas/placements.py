"""Placement bodies: a placement as recorded on confirmation, and how it ends."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Page, each_once
from matching.audit import EndReason
from matching.model import HomeType, SplitReason
from matching.scenario import Id, IsoDate

__all__ = [
    "EndReason",
    "PlacementEnd",
    "PlacementForProvider",
    "PlacementPage",
    "PlacementPublic",
    "PlacementView",
    "PlacementsEnd",
    "PlacementsEnded",
]


class PlacementEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: EndReason
    end_date: IsoDate | None = Field(None, description="Last day of the placement; default today")


class PlacementsEnd(PlacementEnd):
    """Brothers and sisters placed in one home, ended together: one reason, one last day,
    all or none."""

    placement_ids: Annotated[list[Id], each_once("a placement is listed twice")] = Field(
        min_length=1, max_length=20, description="The placements to end, each once"
    )


class PlacementPublic(BaseModel):
    """A placement as the coordinating organisation (and an admin) sees it."""

    audience: Literal["coordinator"] = "coordinator"
    id: str
    proposal_id: str
    child_id: str
    home_id: str
    organisation: str
    home_type: HomeType
    split_reason: SplitReason | None = Field(description="Set when placed apart from siblings")
    start_date: date
    end_date: date | None
    end_reason: EndReason | None


class PlacementForProvider(BaseModel):
    """A placement in one of the provider's homes: no reason why siblings live apart, and
    for a confidential placement not the coordinating organisation either."""

    audience: Literal["provider"] = "provider"
    id: str
    proposal_id: str
    child_id: str
    home_id: str
    organisation: str | None = Field(
        description="The coordinating organisation; null when the placement is confidential"
    )
    home_type: HomeType
    start_date: date
    end_date: date | None
    end_reason: EndReason | None


PlacementView = Annotated[PlacementPublic | PlacementForProvider, Field(discriminator="audience")]


class PlacementPage(Page):
    items: list[PlacementView]


class PlacementsEnded(BaseModel):
    """The placements ended together, in the order asked."""

    items: list[PlacementPublic]
