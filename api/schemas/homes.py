"""Home bodies: a scenario home object to register, a partial one to update."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from api.schemas.common import Page
from matching.model import CareKind, HomeType
from matching.scenario import Age, Code, HomeIn, Id, IsoDate, Language, Level, PostcodeText

__all__ = ["HomeCreate", "HomeImportResult", "HomePage", "HomePublic", "HomeUpdate"]


class HomeCreate(HomeIn):
    """A home as in the scenario file; ``organisation`` must be the caller's own.

    Unlike in a scenario file, a ``network_foster`` home may be stored with an empty
    ``known_to``: the children it is for are attached by their own coordinators
    (``PUT /v1/children/{id}/network/{home_id}``), because a provider may only name
    children it has been told about. Until then it is an option for no child.
    """

    known_to_required: ClassVar[bool] = False


class HomeUpdate(BaseModel):
    """Fields to change; the rest stay. ``id`` and ``organisation`` cannot change."""

    model_config = ConfigDict(extra="forbid")

    type: HomeType | None = None
    postcode: PostcodeText | None = None
    beds_free: StrictInt | None = Field(None, ge=0, le=200)
    age_min: Age | None = None
    age_max: Age | None = None
    max_siblings: StrictInt | None = Field(None, ge=1, le=200)
    capabilities: dict[str, Level] | None = None
    religion: Code | None = None
    languages: list[Language] | None = Field(None, max_length=20)
    available_from: IsoDate | None = None
    available_until: IsoDate | None = None
    known_to: list[Id] | None = Field(None, max_length=50)
    care_kinds: list[CareKind] | None = Field(None, min_length=1, max_length=4)
    part_time_places_free: StrictInt | None = Field(None, ge=0, le=200)

    #: Fields that may not be null: leaving them out keeps them, ``null`` is an error.
    REQUIRED: ClassVar[frozenset[str]] = frozenset(
        {"type", "postcode", "beds_free", "age_min", "age_max"}
    )


class HomePublic(HomeIn):
    """A stored home: the scenario object plus what the service keeps about it.

    A coordinator sees in ``known_to`` only its own organisation's children, so a network
    foster home may show none: the registration rules (checked when the home was stored)
    are not applied again to this view of it.
    """

    beds_held: int = Field(description="Beds held by open proposals (not free for others)")
    part_time_held: int = Field(
        0, description="Part-time places held by open proposals (not free for others)"
    )
    beds_check_requested_at: datetime | None = Field(
        None,
        description=(
            "Set when carers declined a proposal for lack of capacity: please correct "
            "beds_free; cleared by the next change of the home"
        ),
    )
    created_at: datetime
    updated_at: datetime

    @model_validator(mode="after")
    def _consistent(self) -> HomePublic:  # replaces HomeIn's rules of registration
        return self


class HomePage(Page):
    items: list[HomePublic]


class HomeImportResult(BaseModel):
    created: list[str] = Field(description="Ids of the homes registered by this import")
    updated: list[str] = Field(description="Ids of existing own homes replaced by this import")
