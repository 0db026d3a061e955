"""Placement bodies: a placement as recorded on confirmation, and how it ends."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import Page
from matching.audit import EndReason

__all__ = ["EndReason", "PlacementEnd", "PlacementPage", "PlacementPublic"]


class PlacementEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: EndReason
    end_date: date | None = Field(None, description="Last day of the placement; default today")


class PlacementPublic(BaseModel):
    id: str
    proposal_id: str
    child_id: str
    home_id: str
    organisation: str
    home_type: str
    split_reason: str | None = Field(description="Set when placed apart from siblings")
    start_date: date
    end_date: date | None
    end_reason: EndReason | None


class PlacementPage(Page):
    items: list[PlacementPublic]
