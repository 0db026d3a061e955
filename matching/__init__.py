"""Dichtbij's domain: who may be placed where, how good each place is, and why.

No I/O beyond reading the shipped postcode table; no web or database code.
"""

from matching.bulk import ScoreTable, score_all
from matching.context import Context
from matching.errors import InputProblem
from matching.explain import Audience, Lang
from matching.model import Child, Home, HomeType, Postcode, Scenario, SplitReason, Urgency
from matching.policy import Policy
from matching.ranking import RankResult, UnknownChildError, rank
from matching.rules import Criterion, CriterionCode, PairAssessment, Reason, ReasonCode, assess
from matching.scenario import ScenarioError, load_scenario, parse_scenario
from matching.siblings import Unit, placement_units

__all__ = [
    "Audience",
    "Child",
    "Context",
    "Criterion",
    "CriterionCode",
    "Home",
    "HomeType",
    "InputProblem",
    "Lang",
    "PairAssessment",
    "Policy",
    "Postcode",
    "RankResult",
    "Reason",
    "ReasonCode",
    "Scenario",
    "ScenarioError",
    "ScoreTable",
    "SplitReason",
    "Unit",
    "UnknownChildError",
    "Urgency",
    "assess",
    "load_scenario",
    "parse_scenario",
    "placement_units",
    "rank",
    "score_all",
]
