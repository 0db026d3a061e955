"""The answer documents as typed models: what ``dichtbij rank|match --json`` print and the API
sends.

The engine builds them whole; nothing adds keys to them later. JSON names are the Python
names (``from`` of a move, a Python keyword, is the one alias). A key that a document
leaves out (a provider's ``detail`` of a confidential reason, ``waiting_list`` when not
asked for) is left unset and so absent from :meth:`Document.to_json`, exactly as the
contract in docs/spec/scenario.md shows it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal, NotRequired

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict

from matching.model import CareDomain, HomeType, SplitReason
from matching.rules.base import CriterionCode, ReasonCode

__all__ = [
    "AssignmentDoc",
    "Audience",
    "ChangeDoc",
    "ChangeField",
    "Confidential",
    "CriterionDoc",
    "DeclineRate",
    "Document",
    "ExcludedCount",
    "ExcludedHome",
    "FrontierPointDoc",
    "FrontierSummaryDoc",
    "GreedyDoc",
    "Lang",
    "MatchDocument",
    "MemberDoc",
    "Move",
    "Option",
    "RankDocument",
    "ReasonDoc",
    "SolverSummary",
    "Stage",
    "StageDoc",
    "Status",
    "TakenReason",
    "UitstroomDoc",
    "UnlockDoc",
    "UnplacedChildDoc",
    "WaitingList",
    "WaitingListEffect",
]


#: The language of what people read: Dutch by default, English on request.
Lang = Literal["nl", "en"]


class Audience(StrEnum):
    """Who reads a document: a coordinator sees everything about the child; a provider
    (a home's organisation) nothing that would locate a confidential child's parents
    (:mod:`matching.privacy`)."""

    COORDINATOR = "coordinator"
    PROVIDER = "provider"


class Status(StrEnum):
    """How far a match got: proven best, a valid answer not proven best (a time limit),
    proven impossible, or nothing found in time."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


#: The code a provider reads instead of a reason that would locate a confidential
#: child's parents.
Confidential = Literal["confidential"]


class Document(BaseModel):
    """A typed answer document.

    The engine builds the small parts (criteria, members, options) with
    ``model_construct``: their types are checked statically (mypy's pydantic plugin).
    Excluded homes and their reasons, thousands per document nationally, are typed
    dicts (:class:`ExcludedHome`, :class:`ReasonDoc`): as models they made a national
    rank document three times as slow to build and to write (2,200 excluded homes).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON values, unset keys left out, in declaration order."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class CriterionDoc(Document):
    """One criterion of a member, or of a group (its members' points summed)."""

    criterion: CriterionCode
    points: int | None = Field(description="None where the audience may not see it")
    max_points: int
    value: Any = Field(description="The measured value (km, level, ...); per child for a group")
    text: str
    detail: dict[str, Any] | None = None
    unit: Literal["km"] | None = None


class ReasonDoc(TypedDict):
    """Why a home is excluded; ``code`` is ``confidential`` where the reason would locate
    the parents for a provider. ``detail`` and ``child_id`` are left out where they do not
    apply (a confidential reason, a reason about the whole unit)."""

    code: ReasonCode | Confidential
    text: str
    detail: NotRequired[dict[str, Any]]
    child_id: NotRequired[str]


class MemberDoc(Document):
    """One member's part of an option's score.

    With ``members=full`` its ``criteria`` in full (sentences and facts, as the option's
    criteria of a single child). By default only ``points``, its points per criterion: the
    sentences are in the option's criteria already, which name each child where the
    members differ, and ten options of a sibling group with every member's sentences and
    facts made a national document of 120 to 190 kB (docs/api.md).
    """

    child_id: str
    score: int | None
    criteria: list[CriterionDoc] | None = Field(
        default=None, description="Every criterion in full; only with members=full"
    )
    points: dict[str, int | None] | None = Field(
        default=None,
        description="Points per criterion (they add up to score); the default instead of "
        "criteria. None where the audience may not see them",
    )


class Move(Document):
    """A competing unit that an option moves, from a home to another or out (``None``)."""

    children: list[str]
    from_: str | None = Field(alias="from")
    to: str | None


class WaitingListEffect(Document):
    """What taking the option does to the other waiting children."""

    others_placed: int
    others_placed_crisis: int
    others_score: int
    unplaced: list[str]
    unplaced_crisis: list[str]
    moves: list[Move]
    no_eligible_home_left: list[str]
    text: str
    short: str


class DeclineRate(Document):
    """How often a home's carers said no to the proposals they answered lately (the
    service's memory; the command line, knowing no proposals, never sets it)."""

    declined: int
    answered: int
    rate: float | None
    since: str


class Option(Document):
    rank: int
    home_id: str
    organisation: str
    home_type: HomeType
    home_type_name: str
    home_postcode: str
    score: int | None
    beds_needed: int
    criteria: list[CriterionDoc]
    members: list[MemberDoc]
    waiting_list_effect: WaitingListEffect | None = None
    decline_rate: DeclineRate | None = None


class ExcludedHome(TypedDict):
    home_id: str
    organisation: str
    home_type: HomeType
    reasons: list[ReasonDoc]


class WaitingList(Document):
    """The part of the waiting list that was re-solved for the effects."""

    competitors: int
    contested: int
    homes: int
    time_s: float


class ExcludedCount(Document):
    """How many homes one reason excludes (a home with several reasons counts under each):
    the summary of a rank document, and why a child placed by no match stays unplaced."""

    code: ReasonCode | Confidential
    homes: int
    text: str


class RankDocument(Document):
    """Options first (best score first), then the excluded homes.

    ``excluded`` lists the nearest few excluded homes with their reasons in full
    (``excluded=nearest``, the default: a person reads a handful, and a national list of
    thousands made the document a megabyte) or every one (``excluded=all``).
    ``excluded_total`` counts them all, ``excluded_counts`` and ``excluded_summary`` count
    them per reason code, whatever the list shows. ``members_shown`` says how each option's
    members are given (:class:`MemberDoc`).
    """

    child_id: str
    group: list[str]
    placed_together: bool
    members: list[str]
    split_reason: SplitReason | None
    reference_date: str
    lang: Lang
    audience: Audience
    options: list[Option]
    excluded: list[ExcludedHome]
    excluded_counts: dict[str, int]
    excluded_total: int = Field(description="Every excluded home, however many are listed")
    excluded_shown: Literal["nearest", "all"] = Field(
        description="'nearest' (the nearest few) or 'all'"
    )
    excluded_summary: list[ExcludedCount] = Field(
        description="Per reason code, most homes first: how many homes it excludes"
    )
    members_shown: Literal["points", "full"] = Field(
        description="'points' (each option's members with their points per criterion) or "
        "'full' (with every criterion in full)"
    )
    waiting_list: WaitingList | None = None

    def to_json(self) -> dict[str, Any]:
        # The excluded homes are plain JSON already; serialising them again through
        # pydantic was most of the cost of a national document, so they go in as they are.
        rest = self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude={"excluded"})
        return {
            key: self.excluded if key == "excluded" else rest[key]
            for key in type(self).model_fields
            if key == "excluded" or key in rest
        }


# ---------------------------------------------------------------------------------------
# The match document


class AssignmentDoc(Document):
    child_id: str
    home_id: str
    score: int


class TakenReason(Document):
    """A suitable home whose beds the optimum gave to children with priority."""

    code: Literal["taken"]
    home_id: str
    score: int
    children: list[str]
    kept_apart_from: list[str]
    siblings_there: list[str] = Field(
        default_factory=list,
        description="brothers and sisters placed apart who live there now or go there, as "
        "many as the home takes of one family (max_siblings)",
    )
    waited_longer: list[str] = Field(
        default_factory=list,
        description="children placed there instead only because they waited longer: the "
        "same points, beds and urgency there",
    )
    text: str


#: What the unlock analysis may change about a home.
ChangeField = Literal[
    "beds_free", "part_time_places_free", "max_siblings", "age_min", "age_max", "capability"
]
#: The stages of the lexicographic objective, in order.
Stage = Literal["placed_crisis", "placed", "total_score"]


class ChangeDoc(Document):
    """One field of a home from ``before`` to ``after``; ``domain`` for a care level."""

    field: ChangeField
    before: int | None
    after: int
    domain: CareDomain | None = None


class UnlockDoc(Document):
    """A home that the listed changes would open for the child, and its points there."""

    home_id: str
    score: int
    changes: list[ChangeDoc]
    placed_there: list[str]
    text: str


class UnplacedChildDoc(Document):
    """Why a child stays unplaced. Only ``child_id`` and ``reasons`` are always given."""

    child_id: str
    group: list[str] | None = None
    crisis: bool | None = None
    eligible_homes: int | None = None
    summary: str | None = None
    reasons: list[ExcludedCount | TakenReason]
    unlock: list[UnlockDoc] | None = None


class StageDoc(Document):
    """One stage of the objective: the value reached and the proven bound."""

    stage: Stage
    value: int
    bound: int


class GreedyDoc(Document):
    placed_crisis: int
    placed: int
    total_score: int


class SolverSummary(Document):
    parts: int
    largest_part_pairs: int
    routes: list[str]
    largest_part: dict[str, Any]


class UitstroomDoc(Document):
    """A child in a residential group for whom a family-like home is eligible now."""

    child_id: str
    current_home: str
    family_homes: list[str]
    moved_to: str | None
    text: str


class FrontierPointDoc(Document):
    """The best assignment placing exactly ``placed`` children (``match --frontier``).

    The contract's keys first; values are ``None`` where no assignment places exactly
    that many children (``status`` ``infeasible``).
    """

    placed: int
    placed_crisis: int | None
    total_score: int | None
    distance_mean_km: float | None
    distance_median_km: float | None
    status: Status
    score_bound: int | None = Field(description="proven upper bound of total_score at this count")
    distance_total_km: float | None
    chosen: bool = Field(description="the point the policy max_extra_distance_km picks")


class FrontierSummaryDoc(Document):
    """The frontier in words, and the point a region's policy picks."""

    text: str | None
    chosen_placed: int | None
    max_extra_distance_km: float | None
    optimal: bool
    wall_time_s: float


class MatchDocument(Document):
    """The batch answer: the contract's keys first, then the figures behind them."""

    status: Status
    placed: int
    placed_crisis: int
    total_score: int
    bound: int
    gap: float
    assignments: list[AssignmentDoc]
    unplaced: list[UnplacedChildDoc]
    frontier: list[FrontierPointDoc] = Field(default_factory=list)
    frontier_summary: FrontierSummaryDoc | None = None
    children: int
    crisis_children: int
    uitstroom: list[UitstroomDoc] = Field(default_factory=list)
    gap_stage: Stage | None
    stages: list[StageDoc]
    greedy: GreedyDoc
    wall_time_s: float
    solver: SolverSummary
    lang: Lang
