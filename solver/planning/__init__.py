"""Planning for regions: what each extra placed child costs (the frontier), where extra
beds place the most children (capacity) and whom to recruit (recruitment).

One module per job; each builds exact models over the same :class:`~solver.batch.Batch`
as the batch match, so every rule the match obeys holds here too.
"""

from solver.planning.frontier import (
    Frontier,
    FrontierPoint,
    chosen_point,
    frontier,
    pairs_of_assignment,
)

__all__ = ["Frontier", "FrontierPoint", "chosen_point", "frontier", "pairs_of_assignment"]
