"""Planning for regions: what each extra placed child costs (the frontier), where extra
beds place the most children (capacity) and whom to recruit (recruitment).

One module per job; each builds exact models over the same :class:`~solver.batch.Batch`
as the batch match, so every rule the match obeys holds here too.
"""

from solver.planning.capacity import (
    CapacityPlan,
    PlannedBeds,
    UnverifiedClaimError,
    capacity,
    with_extra_beds,
)
from solver.planning.frontier import (
    Frontier,
    FrontierPoint,
    chosen_point,
    frontier,
    pairs_of_assignment,
)
from solver.planning.recruitment import AGE_SPAN, Profile, no_home_at_all, recruitment

__all__ = [
    "AGE_SPAN",
    "CapacityPlan",
    "Frontier",
    "FrontierPoint",
    "PlannedBeds",
    "Profile",
    "UnverifiedClaimError",
    "capacity",
    "chosen_point",
    "frontier",
    "no_home_at_all",
    "pairs_of_assignment",
    "recruitment",
    "with_extra_beds",
]
