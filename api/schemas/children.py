"""Child bodies: a scenario child object to register, a partial one to update."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StringConstraints

from api.schemas.common import Page
from matching.model import CareKind, ResidentialReason, SplitReason, Urgency
from matching.scenario import (
    MAX_HISTORY,
    Age,
    ChildIn,
    Code,
    HistoryEventIn,
    Id,
    IsoDate,
    Language,
    Level,
    PostcodeText,
    WishesIn,
)

__all__ = ["ChildCreate", "ChildPage", "ChildPublic", "ChildStatus", "ChildUpdate"]


class ChildStatus(StrEnum):
    """Kept by the service: ``waiting`` for a place, ``proposed`` (an open proposal),
    ``placed`` (a confirmed placement), ``left`` (care ended: home or independent)."""

    WAITING = "waiting"
    PROPOSED = "proposed"
    PLACED = "placed"
    LEFT = "left"


class ChildCreate(ChildIn):
    """A waiting child as in the scenario file; ``siblings`` and ``keep_apart`` name
    children of the same organisation."""


class ChildUpdate(BaseModel):
    """Fields to change; the rest stay. ``id`` cannot change."""

    model_config = ConfigDict(extra="forbid")

    birth_date: IsoDate | None = None
    age: Age | None = None
    parents_postcode: PostcodeText | None = None
    school_postcode: PostcodeText | None = None
    siblings: list[Id] | None = Field(None, max_length=20)
    split_reason: SplitReason | None = None
    split_note: Annotated[str, StringConstraints(max_length=2000)] | None = None
    keep_apart: list[Id] | None = Field(None, max_length=50)
    needs: dict[str, Level] | None = None
    urgency: Urgency | None = None
    min_distance_from_parents_km: StrictFloat | None = Field(None, gt=0, le=300)
    religion: Code | None = None
    languages: list[Language] | None = Field(None, max_length=20)
    current_home: Id | None = None
    care_kind: CareKind | None = None
    waiting_since: IsoDate | None = None
    history: list[HistoryEventIn] | None = Field(None, max_length=MAX_HISTORY)
    wishes: WishesIn | None = None
    residential_reason: ResidentialReason | None = None
    residential_note: Annotated[str, StringConstraints(max_length=2000)] | None = None


class ChildPublic(ChildIn):
    """A stored child: the scenario object plus its organisation and status."""

    organisation: str
    status: ChildStatus
    created_at: datetime
    updated_at: datetime
    lives_with_kept_apart: list[Id] = Field(
        default_factory=list,
        description=(
            "Read only. The children this child lives with (in its current_home, or in the "
            "home it comes to for part-time care) although the two must be kept apart "
            "(keep_apart of either, or a protective split_reason between siblings). "
            "Urgent: nothing moves them apart by itself; one of them must move."
        ),
    )


class ChildPage(Page):
    items: list[ChildPublic]
