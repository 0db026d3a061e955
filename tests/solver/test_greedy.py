"""First come, first served: the baseline (and the optimiser's warm start)."""

from __future__ import annotations

from dataclasses import replace

from matching import Context, Scenario, ScenarioError, parse_scenario, score_all
from matching.model import SplitReason
from solver.batch import build_batch, violations
from solver.greedy import fcfs_order, greedy, status_quo
from tests.builders import WAGENINGEN, child, context, home
from tests.solver.helpers import check_answer, random_doc


def placed(ctx: Context) -> dict[str, str]:
    problem = build_batch(ctx, score_all(ctx))
    chosen = greedy(problem)
    assert violations(problem, chosen) == []
    return {
        m: problem.home_ids[problem.pair_home[p]]
        for p in chosen.tolist()
        for m in problem.unit_members[problem.pair_unit[p]]
    }


def test_crisis_children_go_first_then_arrival_order() -> None:
    ctx = context(
        [home("H-1", beds_free=1)],
        [
            child("C-first"),
            child("C-second"),
            child("C-crisis", urgency="crisis", parents_postcode=WAGENINGEN),
        ],
    )
    problem = build_batch(ctx, score_all(ctx))
    order = [problem.unit_members[u][0] for u in fcfs_order(problem).tolist()]
    assert order == ["C-crisis", "C-first", "C-second"]
    assert placed(ctx) == {"C-crisis": "H-1"}


def test_each_child_takes_its_best_remaining_home() -> None:
    ctx = context(
        [home("H-near"), home("H-far", postcode=WAGENINGEN)],
        [child("C-1"), child("C-2")],
    )
    assert placed(ctx) == {"C-1": "H-near", "C-2": "H-far"}


def test_greedy_never_breaks_a_rule() -> None:
    for seed in range(60):
        try:
            ctx = Context.of(parse_scenario(random_doc(seed)))
        except ScenarioError as exc:  # pragma: no cover
            raise AssertionError(exc.problems) from None
        homes = placed(ctx)
        table = score_all(ctx)
        scores = {
            table.child_ids[table.member_child[i]]: int(table.member_score[i])
            for i in range(table.member_pair.size)
            if homes.get(table.child_ids[table.member_child[i]])
            == table.homes[table.pair_home[table.member_pair[i]]].id
        }
        check_answer(ctx, homes, scores)


def _split_everyone(sc: Scenario) -> Scenario:
    kids = tuple(
        replace(c, split_reason=SplitReason.OTHER, split_note="status quo") if c.siblings else c
        for c in sc.children
    )
    return Scenario.of(sc.reference_date, sc.policy, sc.homes, kids)


def test_the_status_quo_splits_a_group_that_fits_nowhere_together() -> None:
    ctx = context(
        [home("H-1"), home("H-2", postcode=WAGENINGEN)],
        [child("C-1", siblings=["C-2"]), child("C-2", siblings=["C-1"])],
    )
    whole = build_batch(ctx, score_all(ctx))
    single_ctx = Context.of(_split_everyone(ctx.scenario))
    single = build_batch(single_ctx, score_all(single_ctx))
    result = status_quo(whole, {}, single, {})
    assert {(p.child_id, p.home_id, p.split) for p in result} == {
        ("C-1", "H-1", True),
        ("C-2", "H-2", True),
    }
