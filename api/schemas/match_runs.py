"""Match run bodies: the solver's ``dichtbij match --json`` document plus the stored id."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from matching.documents import (
    AssignmentDoc,
    FrontierPointDoc,
    FrontierSummaryDoc,
    Lang,
    Status,
    UitstroomDoc,
    UnplacedChildDoc,
)

__all__ = ["MatchRunCreate", "MatchRunPublic"]


class MatchRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_limit_s: StrictFloat = Field(
        10.0, gt=0, le=120, description="Solver time limit in seconds"
    )
    lang: Lang = Field("nl", description="Language of the explanations stored")
    frontier: StrictInt = Field(
        0,
        ge=0,
        le=20,
        description=(
            "Also the best assignment for each count from placed - frontier to placed, each "
            "proven (`dichtbij match --frontier K`); the frontier has its own time_limit_s"
        ),
    )


class MatchRunPublic(BaseModel):
    """Same keys as ``dichtbij match --json``, plus ``id``, ``created_at``, ``organisation``."""

    model_config = ConfigDict(extra="allow")

    id: str
    created_at: datetime
    organisation: str | None = Field(description="Whose children; null for an admin's run")
    status: Status
    placed: int
    placed_crisis: int
    total_score: int | float | None
    bound: int | float | None
    gap: float | None
    assignments: list[AssignmentDoc]
    unplaced: list[UnplacedChildDoc]
    frontier: list[FrontierPointDoc] | None = Field(
        None, description="Only when asked for: one point per number of placed children"
    )
    frontier_summary: FrontierSummaryDoc | None = None
    uitstroom: list[UitstroomDoc] = Field(
        default_factory=list,
        description="Children in a residential group for whom a family-like home is eligible "
        "now, and the move this run makes for each (as `dichtbij match --json`)",
    )
