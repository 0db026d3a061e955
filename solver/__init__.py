"""Optimisation over the whole waiting list: the batch match, its explanations and baseline.

:func:`match` gives the proven lexicographic optimum (crisis children placed, then
children placed, then total score); :func:`match_json` the ``dichtbij match --json``
document; :func:`waiting_list_effects` what taking one ranked option does to the other
waiting children; :mod:`solver.greedy` the first-come-first-served status quo.
"""

from solver.engine import EngineOptions
from solver.explain import TakenHome, UnplacedChild
from solver.greedy import fcfs_order, greedy, status_quo
from solver.match import Assignment, MatchResult, StageValue, Status, match, match_json
from solver.problem import LexValue, Problem, build_problem, violations
from solver.unlock import Change, Unlock, unlocks

__all__ = [
    "Assignment",
    "Change",
    "EngineOptions",
    "LexValue",
    "MatchResult",
    "Problem",
    "StageValue",
    "Status",
    "TakenHome",
    "Unlock",
    "UnplacedChild",
    "build_problem",
    "fcfs_order",
    "greedy",
    "match",
    "match_json",
    "status_quo",
    "unlocks",
    "violations",
]
