"""Optimisation over the whole waiting list: the batch match, its explanations and baseline.

:func:`match` gives the proven lexicographic optimum (crisis children placed, then
children placed, then total score); :func:`match_json` the ``dichtbij match --json``
document; :func:`waiting_list_effects` what taking one ranked option does to the other
waiting children; :mod:`solver.greedy` the first-come-first-served status quo.
"""

from solver.batch import Batch, LexValue, build_batch, violations
from solver.engine import EngineOptions
from solver.explain import TakenHome, UnplacedChild
from solver.greedy import fcfs_order, greedy, status_quo
from solver.match import Assignment, MatchResult, StageValue, Status, match, match_json
from solver.unlock import Change, Unlock, unlocks

__all__ = [
    "Assignment",
    "Batch",
    "Change",
    "EngineOptions",
    "LexValue",
    "MatchResult",
    "StageValue",
    "Status",
    "TakenHome",
    "Unlock",
    "UnplacedChild",
    "build_batch",
    "fcfs_order",
    "greedy",
    "match",
    "match_json",
    "status_quo",
    "unlocks",
    "violations",
]
