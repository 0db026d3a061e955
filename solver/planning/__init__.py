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
from solver.planning.documents import (
    MAX_FRONTIER,
    capacity_json,
    frontier_docs,
    match_with_frontier,
    match_with_frontier_json,
)
from solver.planning.frontier import (
    Frontier,
    FrontierPoint,
    chosen_point,
    frontier,
    pairs_of_assignment,
)
from solver.planning.recruitment import (
    AGE_SPAN,
    Profile,
    Recruitment,
    no_home_at_all,
    recruit,
    recruitment,
)

__all__ = [
    "AGE_SPAN",
    "MAX_FRONTIER",
    "CapacityPlan",
    "Frontier",
    "FrontierPoint",
    "PlannedBeds",
    "Profile",
    "Recruitment",
    "UnverifiedClaimError",
    "capacity",
    "capacity_json",
    "chosen_point",
    "frontier",
    "frontier_docs",
    "match_with_frontier",
    "match_with_frontier_json",
    "no_home_at_all",
    "pairs_of_assignment",
    "recruit",
    "recruitment",
    "with_extra_beds",
]
