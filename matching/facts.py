"""The facts of one placement, measured once the way the engine measures them.

Distance to the parents, the municipalities, whether the child keeps its school: the
engine's criteria, the outcome figures, the simulated history and the placements the
service records all take them from here, so they cannot measure differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from matching.geo import Location, distance_km
from matching.policy import Policy

__all__ = ["PlacementFacts", "keeps_school", "placement_facts"]


def keeps_school(policy: Policy, age: int, school: Location | None, home: Location) -> bool | None:
    """Whether a child of ``age`` can stay at its school from ``home``.

    ``None`` where the question does not apply: no school given, or the child is younger
    than the school age. Otherwise the school must lie within the commute the policy
    allows at that age.
    """
    if school is None or age < policy.school_age:
        return None
    return distance_km(school, home) <= policy.school_commute_km(age)


@dataclass(frozen=True, slots=True)
class PlacementFacts:
    distance_km: float
    parents_municipality: str
    home_municipality: str
    keeps_school: bool | None

    @property
    def same_municipality(self) -> bool:
        return self.parents_municipality == self.home_municipality


def placement_facts(
    policy: Policy, age: int, parents: Location, school: Location | None, home: Location
) -> PlacementFacts:
    """The facts of placing a child (``age``, its parents' and school's areas) in ``home``."""
    return PlacementFacts(
        distance_km=distance_km(parents, home),
        parents_municipality=parents.municipality_code,
        home_municipality=home.municipality_code,
        keeps_school=keeps_school(policy, age, school, home),
    )
