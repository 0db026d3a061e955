"""Schemas of the planning answers for a municipality's area: aggregates only.

A count of children that says something about them (crisis, whom to recruit, waiting) is
published as the audit publishes it: below ``min_cell`` it reads ``suppressed_as``
(``<5``). No child id and no home id appears in any answer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt

from matching.documents import FrontierSummaryDoc, Lang, Status
from matching.model import CareKind, HomeType

__all__ = [
    "AreaPublic",
    "CapacityCreate",
    "CapacityPublic",
    "FigurePublic",
    "FrontierCreate",
    "FrontierPointPublic",
    "FrontierPublic",
    "PolicyFiguresPublic",
    "SimulationCreate",
    "SimulationPublic",
]

Count = int | str
"""A count of children, or ``<5`` where the audit would suppress it."""

PolicyName = Literal["fcfs", "practice", "batch-daily", "batch-weekly"]


def _default_policies() -> list[PolicyName]:
    return ["practice", "batch-weekly"]


_MUNICIPALITY = Field(
    None,
    description="CBS code of the area; a municipality key plans for its own (may be left out), "
    "an admin key must name one",
    pattern=r"^[0-9]{4}$",
)


class CapacityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    municipality: str | None = _MUNICIPALITY
    beds: StrictInt = Field(ge=1, le=100, description="Extra beds in existing homes to plan")
    time_limit_s: StrictFloat = Field(20.0, gt=0, le=60, description="Time limit in seconds")
    lang: Lang = Field("nl", description="Language of the answer's sentences")


class FrontierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    municipality: str | None = _MUNICIPALITY
    points: StrictInt = Field(
        5, ge=1, le=20, description="Points below the most children placed (`--frontier K`)"
    )
    time_limit_s: StrictFloat = Field(
        20.0, gt=0, le=60, description="Time limit in seconds, for the match and the frontier"
    )
    lang: Lang = Field("nl", description="Language of the answer's sentences")


class SimulationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    municipality: str | None = _MUNICIPALITY
    days: StrictInt = Field(180, ge=1, le=730, description="Days simulated per run")
    runs: StrictInt = Field(10, ge=1, le=50, description="Independent runs per policy")
    seed: StrictInt = Field(1, ge=0, le=2**31 - 1, description="Seed of the first run")
    policies: list[PolicyName] = Field(
        default_factory=_default_policies,
        min_length=1,
        max_length=4,
        description="Placement policies compared; the first is the baseline of `difference`",
    )
    time_limit_s: StrictFloat = Field(
        120.0, gt=0, le=300, description="Time limit in seconds for all runs together"
    )


class AreaPublic(BaseModel):
    """The area the answer is about."""

    model_config = ConfigDict(extra="forbid")

    municipality: str
    municipality_name: str
    children_waiting: Count = Field(description="Waiting children whose parents live here")
    homes_considered: int = Field(description="Homes with a free bed within reach of them")
    min_cell: int = Field(description="Counts of fewer children than this are suppressed")
    suppressed_as: str


class GroupPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    extra_beds: int
    children: Count = Field(description="Children the extra beds place (directly or by moves)")


class MunicipalityGroupPublic(GroupPublic):
    municipality: str = Field(description="Municipality of the homes")
    municipality_name: str


class HomeTypeGroupPublic(GroupPublic):
    home_type: HomeType


class ProfilePublic(BaseModel):
    """A family to recruit: children no registered home can take, even with extra beds."""

    model_config = ConfigDict(extra="forbid")

    municipality: str | None = Field(description="Parents' municipality; null if confidential")
    municipality_name: str | None
    care_kind: CareKind
    home_type: HomeType
    age_min: int
    age_max: int
    needs: dict[str, int]
    siblings: int
    children: Count
    text: str


class CapacityPublic(AreaPublic):
    """Where N extra beds place the most of the area's children (`dichtbij capacity`),
    per municipality and kind of home, and whom to recruit."""

    beds: int
    beds_used: int
    extra_placed: Count
    placed_before: Count
    placed_after: Count
    extra_crisis: Count
    placed_crisis_before: Count
    placed_crisis_after: Count
    verified_placed: Count = Field(
        description="Matching again with the beds added places this many"
    )
    optimal: bool
    status: Status = Field(
        description="optimal: proven best; feasible: a time limit cut the plan short (or "
        "the national route, which does not prove the count of children)"
    )
    counts_proven: bool
    rearranged: Count = Field(
        description="Newly placed children no single home can be credited with"
    )
    by_municipality: list[MunicipalityGroupPublic]
    by_home_type: list[HomeTypeGroupPublic]
    recruitment_children: Count
    recruitment: list[ProfilePublic]
    recruitment_proven: bool = Field(
        description="The list of whom to recruit is proven; false when the time limit cut "
        "its check short (then status is feasible)"
    )
    recruitment_text: str | None = Field(
        description="Why the list of whom to recruit is not proven, in words (null when it is)"
    )
    wall_time_s: float
    lang: Lang


class FrontierPointPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    placed: Count
    placed_crisis: Count | None
    total_score: int | None
    distance_mean_km: float | None
    distance_median_km: float | None
    status: Status
    score_bound: int | None
    distance_total_km: float | None
    chosen: bool


class FrontierPublic(AreaPublic):
    """What placing the area's last children costs in distance (`match --frontier K`)."""

    status: Status = Field(description="The batch match's status")
    placed: Count
    frontier: list[FrontierPointPublic]
    frontier_summary: FrontierSummaryDoc | None
    lang: Lang


class FigurePublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mean: float | str | None = Field(
        description='The mean over the runs; "<5" for a hidden count, null for a hidden median'
        " or share (and where nothing was measured)"
    )
    ci95: list[float | None] = Field(description="95% interval of the mean over the runs")
    hidden: bool = Field(
        default=False, description="Hidden: a run's figure describes fewer than 5 children"
    )


class PolicyFiguresPublic(BaseModel):
    model_config = ConfigDict(extra="allow")

    placed: FigurePublic
    waiting_days_median: FigurePublic
    distance_median_km: FigurePublic
    siblings_together_share: FigurePublic
    moves: FigurePublic
    children: FigurePublic
    placed_share: FigurePublic


class SimulationPublic(AreaPublic):
    """`dichtbij simulate` over the area: per policy each figure's mean and 95% interval;
    after the first policy, ``difference`` (paired, against the first)."""

    days: int
    runs: int
    seed: int
    policies: dict[str, PolicyFiguresPublic]
