"""The engine's policy: every weight and threshold in one typed object with documented defaults.

A scenario's ``policy`` object overrides any of these fields; an unknown key is an error.
Each default says why it was chosen, so that a coordinator or a municipality can argue
with the number rather than with the code.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from matching.model import HomeType

__all__ = ["Points", "Policy", "TypePoints"]

#: The bounds every points field shares (a criterion's or a kind of home's weight).
Points = Annotated[int, Field(ge=0, le=1000)]


class _Frozen(BaseModel):
    # Strict, as a home's and a child's fields are: a number is a JSON number and a switch
    # a JSON boolean, so that ``"residential_requires_reason": "off"`` (or 0, or "no") is
    # an error rather than quietly turning the residential gate off.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class TypePoints(_Frozen):
    """Points for the kind of home: the family-first hierarchy of the Youth Act.

    The steps (40 points each) are worth about 24 km of distance to the parents at the
    default distance weight, so a foster family somewhat further away still beats a
    small-scale home next door, but not one across the region.
    """

    network_foster: Points = Field(
        120,
        description="Netwerkpleegzorg: the child's own network; lowest breakdown rates.",
    )
    foster: Points = Field(80, description="A foster family (bestandspleeggezin).")
    family_home: Points = Field(80, description="A gezinshuis: a family setting, like foster care.")
    small_scale: Points = Field(40, description="Kleinschalige voorziening: 4 to 6 children.")
    residential: Points = Field(0, description="Large groups: the last resort.")

    def for_type(self, home_type: HomeType) -> int:
        return int(getattr(self, home_type.value))


class Policy(_Frozen):
    """Weights (points, higher is better) and thresholds (km, years, days)."""

    max_distance_km: float = Field(
        60.0,
        gt=0,
        le=400,
        description=(
            "Hard limit on the distance between a home and the parents. 60 km keeps a "
            "visit within about an hour by car or public transport in most of the "
            "country, and matches the regional scale of Dutch youth-care regions."
        ),
    )
    max_distance_network_km: float = Field(
        150.0,
        gt=0,
        le=400,
        description=(
            "Hard limit for a network foster home (relatives, people the child knows). "
            "Family first outweighs distance: a grandparent across the country is still "
            "a better place than strangers nearby. Distance points still fall with distance."
        ),
    )
    max_distance_specialist_km: float = Field(
        120.0,
        gt=0,
        le=400,
        description=(
            "Supra-regional expertise (bovenregionale expertise): a child with an intensive "
            "(level 3) need in a domain that no home within max_distance_km can meet may be "
            "placed up to this far in a home that meets it. About two hours away: specialist "
            "care is organised across regions."
        ),
    )
    school_commute_primary_km: float = Field(
        10.0,
        gt=0,
        le=100,
        description=(
            "A child under 12 (primary school) keeps its school if the home is at most "
            "this far from it: a drive or school transport (leerlingenvervoer) of 15-20 min."
        ),
    )
    school_commute_secondary_km: float = Field(
        20.0,
        gt=0,
        le=100,
        description=(
            "A child of 12 or older keeps its school within this distance: a bicycle or "
            "bus commute that Dutch secondary pupils commonly make."
        ),
    )
    school_age: int = Field(
        4,
        ge=0,
        le=23,
        description="Children from this age go to school (compulsory from 5; most start at 4).",
    )
    adult_age: int = Field(
        18,
        ge=1,
        le=23,
        description="The age until which a home is expected to keep a child (stability).",
    )
    points_type: TypePoints = Field(default_factory=TypePoints)
    points_distance_parents: Points = Field(
        100,
        description=(
            "Full points at 0 km, falling linearly to 0 at max_distance_km: each km "
            "costs the same, so a coordinator can recompute it by hand."
        ),
    )
    points_school: Points = Field(
        40,
        description="For keeping the current school; a school change is a second loss.",
    )
    points_siblings_together: Points = Field(
        50,
        description=(
            "Per member of a sibling group placed together: keeps groups attractive when "
            "beds are scarce, on top of the rule that an unsplittable group is never split."
        ),
    )
    points_stability: Points = Field(
        30,
        description=(
            "Scaled by the share of the years until adult_age that the home's age range "
            "covers: a home that must let the child go at 12 means another move later."
        ),
    )
    points_stay_current_home: Points = Field(
        60,
        description=(
            "For staying in the child's current home: every move (doorplaatsing) harms "
            "the child, so a move must gain more than this to be proposed."
        ),
    )
    points_own_municipality: Points = Field(
        15,
        description=("The home is in the parents' municipality: same youth-care team, local ties."),
    )
    points_religion: Points = Field(
        5,
        description=(
            "Small on purpose: research finds no better outcomes from matching on "
            "background, though it can help parents accept the placement."
        ),
    )
    points_language: Points = Field(
        5,
        description="Small on purpose, as for religion; a shared language at home.",
    )
    decline_memory_days: int = Field(
        180,
        ge=0,
        le=3650,
        description=(
            "How long a home that declined a child is not offered to that child again. "
            "Half a year: carers' circumstances change, but proposing the same child to a "
            "family that just said no wastes weeks and strains the relationship."
        ),
    )
    residential_requires_reason: bool = Field(
        True,
        description=(
            "A residential group is an option only for a child with a recorded "
            "residential_reason (after the regional expert team): the last resort, never "
            "the default (Samen Stroomopwaarts, Regio Foodvalley)."
        ),
    )
    wish_factor: float = Field(
        1.5,
        ge=1.0,
        le=5.0,
        description=(
            "The points of a criterion the child named in wishes.priorities are multiplied "
            "by this factor (UN Convention art. 12; 'Mijn Thuis'): heard, and weighed."
        ),
    )
    points_waiting_per_week: int = Field(
        1,
        ge=0,
        le=100,
        description=(
            "Per whole week waited since waiting_since, in every home: who waits longest "
            "comes first among otherwise equal children."
        ),
    )
    points_waiting_max: Points = Field(
        26,
        description=(
            "Cap on the waiting points (half a year at the default rate), so that waiting "
            "never outweighs a home's fit: less than one step of the family-first order."
        ),
    )
    hold_period_days: int = Field(
        5,
        ge=1,
        le=60,
        description="How long a proposal holds the beds before it lapses (API).",
    )
    max_extra_distance_km: float | None = Field(
        None,
        ge=0,
        le=10000,
        description=(
            "What one more placed child is worth in distance to the parents, summed over "
            "all placed children. Unset, the batch match always places the most children. "
            "Set, `match --frontier` picks the point with the most placed x this - summed "
            "km: a region's own, stated trade-off (docs/planning.md)."
        ),
    )

    def max_distance_for(self, home_type: HomeType) -> float:
        if home_type is HomeType.NETWORK_FOSTER:
            return self.max_distance_network_km
        return self.max_distance_km

    def school_commute_km(self, age: int) -> float:
        return self.school_commute_primary_km if age < 12 else self.school_commute_secondary_km

    @property
    def search_radius_km(self) -> float:
        """The widest distance any home may be from the parents."""
        return max(self.max_distance_km, self.max_distance_network_km)
