"""On many tiny random scenarios the solver reaches the optimum that enumeration finds,
and no answer ever breaks a rule. Seeded, so a failure names the scenario that broke."""

from __future__ import annotations

import pytest

from matching import Context, ScenarioError, parse_scenario
from solver import EngineOptions, Status, match
from solver.batch import LexValue
from tests.solver.helpers import brute_force, check_answer, placements_of, random_doc

SEEDS = range(300)
ROUTES = {
    "cp-sat": EngineOptions(),
    # The start with the min-cost flow over the children who come alone, whatever the size.
    "lp-filtered": EngineOptions(
        exact_max_pairs=0, direct_max_pairs=0, first_delta=1.0, singles_flow_min_pairs=0
    ),
    # The cores by SCIP alone, and handed from HiGHS to SCIP at once (HiGHS' 0.01 s).
    "lp-filtered-scip": EngineOptions(
        exact_max_pairs=0, direct_max_pairs=0, first_delta=1.0, core_backend="scip"
    ),
    "lp-filtered-handoff": EngineOptions(
        exact_max_pairs=0, direct_max_pairs=0, first_delta=1.0, highs_first=0.0
    ),
    "highs-direct-handoff": EngineOptions(exact_max_pairs=0, highs_first=0.0),
    # Every core above the size at which SCIP's own LPs cost too much: HiGHS alone.
    "lp-filtered-large-cores": EngineOptions(
        exact_max_pairs=0, direct_max_pairs=0, first_delta=1.0, highs_first=0.0, scip_max_pairs=0
    ),
    # The start without it.
    "lp-filtered-no-flow": EngineOptions(
        exact_max_pairs=0, direct_max_pairs=0, first_delta=1.0, singles_flow_min_pairs=2**62
    ),
    # Weights far too small for the order: the check on the counts must catch every case
    # and raise them (or hand over to exact CP-SAT) until the answer is right.
    "tiny-weights": EngineOptions(exact_max_pairs=0, weights=(1, 1)),
    "tiny-weights-fallback": EngineOptions(exact_max_pairs=0, weights=(1, 1), max_escalations=0),
}


def _context(seed: int) -> Context:
    try:
        return Context.of(parse_scenario(random_doc(seed)))
    except ScenarioError as exc:  # pragma: no cover - the builder makes valid documents
        raise AssertionError(f"seed {seed}: {exc.problems}") from None


@pytest.mark.parametrize("route", list(ROUTES))
def test_the_solver_matches_exhaustive_search(route: str) -> None:
    mismatches = []
    for seed in SEEDS:
        ctx = _context(seed)
        result = match(ctx, options=ROUTES[route])
        assert result.status is Status.OPTIMAL
        homes, scores = placements_of(result.assignments)
        check_answer(ctx, homes, scores)
        found = LexValue(result.placed_crisis, result.placed, result.total_score)
        best = brute_force(ctx)
        if found != best:
            mismatches.append((seed, found, best))
    assert not mismatches


def test_the_random_scenarios_exercise_every_rule() -> None:
    # Guard against a builder that quietly stopped making hard cases.
    docs = [random_doc(seed) for seed in SEEDS]
    kids = [c for d in docs for c in d["children"]]
    assert sum("siblings" in c for c in kids) > 150
    assert sum("split_reason" in c for c in kids) > 15
    assert sum("keep_apart" in c for c in kids) > 60
    assert sum("current_home" in c for c in kids) > 30
    assert sum(c["urgency"] == "crisis" for c in kids) > 300
    unplaced_somewhere = sum(
        match(_context(s), explain=False).placed < len(docs[s]["children"]) for s in SEEDS
    )
    assert unplaced_somewhere > 100
