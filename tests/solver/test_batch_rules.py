"""The batch match on hand-made instances whose optimum is known, one rule per test."""

from __future__ import annotations

import pytest

from matching import Context, assess
from matching.model import Resident, Scenario
from solver import EngineOptions, Status, match
from tests.builders import EDE_NEAR, EDE_PARENTS, GRONINGEN, WAGENINGEN, child, context, home
from tests.solver.helpers import check_answer, placements_of

# The same instances through each route of the engine: CP-SAT with exact weights (small
# parts), HiGHS on all pairs, and HiGHS after the LP has dropped pairs.
ROUTES = {
    "cp-sat": EngineOptions(),
    "highs-direct": EngineOptions(exact_max_pairs=0),
    "lp-filtered": EngineOptions(exact_max_pairs=0, direct_max_pairs=0, first_delta=1.0),
}


@pytest.fixture(params=list(ROUTES))
def options(request: pytest.FixtureRequest) -> EngineOptions:
    return ROUTES[request.param]


def placed(ctx: Context, options: EngineOptions) -> dict[str, str]:
    result = match(ctx, options=options)
    assert result.status is Status.OPTIMAL
    homes, scores = placements_of(result.assignments)
    check_answer(ctx, homes, scores)
    return homes


def test_a_crisis_child_is_placed_even_if_it_lowers_the_total_score(options: EngineOptions) -> None:
    # One bed. The planned child lives next door (more points); the crisis child farther.
    ctx = context(
        [home("H-1", postcode=EDE_NEAR, beds_free=1)],
        [
            child("C-near", parents_postcode=EDE_PARENTS),
            child("C-crisis", parents_postcode=WAGENINGEN, urgency="crisis"),
        ],
    )
    near = assess(ctx, ctx.unit_of["C-near"], ctx.scenario.home("H-1")).score
    far = assess(ctx, ctx.unit_of["C-crisis"], ctx.scenario.home("H-1")).score
    assert near > far  # so the score alone would choose the other child
    assert placed(ctx, options) == {"C-crisis": "H-1"}


def test_placing_more_children_beats_a_higher_total_score(options: EngineOptions) -> None:
    # C-a scores best in H-good, but only C-a fits H-far: both are placed only if C-a
    # gives up its best home.
    ctx = context(
        [
            home("H-good", postcode=EDE_NEAR, beds_free=1),
            home("H-far", postcode=WAGENINGEN, beds_free=1, age_max=10),
        ],
        [child("C-a", age=8), child("C-b", age=15)],
    )
    assert placed(ctx, options) == {"C-a": "H-far", "C-b": "H-good"}


def test_a_sibling_group_is_never_split(options: EngineOptions) -> None:
    siblings = [child("C-1", siblings=["C-2"]), child("C-2", siblings=["C-1"])]
    apart = context([home("H-1"), home("H-2")], siblings)
    assert placed(apart, options) == {}
    together = context([home("H-1"), home("H-2", beds_free=2)], siblings)
    assert placed(together, options) == {"C-1": "H-2", "C-2": "H-2"}


def test_a_sibling_group_with_a_split_reason_may_be_placed_apart(options: EngineOptions) -> None:
    ctx = context(
        [home("H-1"), home("H-2")],
        [
            child("C-1", siblings=["C-2"], split_reason="severe_conflict"),
            child("C-2", siblings=["C-1"]),
        ],
    )
    assert set(placed(ctx, options)) == {"C-1", "C-2"}


def test_children_kept_apart_never_share_a_home(options: EngineOptions) -> None:
    kids = [child("C-1", keep_apart=["C-2"]), child("C-2", keep_apart=["C-1"])]
    one_home = context([home("H-1", beds_free=2)], kids)
    assert len(placed(one_home, options)) == 1
    two_homes = context([home("H-1", beds_free=2), home("H-2", postcode=WAGENINGEN)], kids)
    homes = placed(two_homes, options)
    assert len(homes) == 2
    assert homes["C-1"] != homes["C-2"]


def test_keep_apart_listed_by_one_child_only_still_holds(options: EngineOptions) -> None:
    kids = [child("C-1", keep_apart=["C-2"]), child("C-2")]
    assert len(placed(context([home("H-1", beds_free=2)], kids), options)) == 1


@pytest.mark.parametrize(
    ("reason", "together"),
    [
        ("sibling_threat", False),
        ("severe_conflict", False),
        ("sexual_abuse_suspected", False),
        ("specialist_care", True),
    ],
)
def test_a_protective_split_reason_keeps_siblings_out_of_one_home(
    options: EngineOptions, reason: str, together: bool
) -> None:
    # One child's recorded reason is enough: C-1 is a threat to C-2 (or the reverse).
    kids = [child("C-1", siblings=["C-2"], split_reason=reason), child("C-2")]
    one_home = context([home("H-1", beds_free=2)], kids)
    assert len(placed(one_home, options)) == (2 if together else 1)
    # Nor may the other come to the home where one already lives.
    living = [child("C-1", siblings=["C-2"], split_reason=reason, current_home="H-1")]
    ctx = context([home("H-1", beds_free=1)], [*living, child("C-2")])
    assert ("C-2" in placed(ctx, options)) is together
    if not together:
        verdict = assess(ctx, ctx.unit_of["C-2"], ctx.scenario.home("H-1"))
        assert [r.code.value for r in verdict.reasons] == ["keep_apart"]


def test_free_beds_are_never_exceeded(options: EngineOptions) -> None:
    ctx = context([home("H-1", beds_free=2)], [child(f"C-{i}") for i in range(4)])
    assert len(placed(ctx, options)) == 2


def test_a_child_staying_in_its_current_home_needs_no_bed(options: EngineOptions) -> None:
    ctx = context(
        [home("H-full", beds_free=0), home("H-1", beds_free=1)],
        [child("C-stays", current_home="H-full"), child("C-new")],
    )
    assert placed(ctx, options) == {"C-stays": "H-full", "C-new": "H-1"}


def test_a_resident_keeps_out_a_child_it_must_be_kept_apart_from(options: EngineOptions) -> None:
    # Only the resident lists the newcomer: keep_apart holds whoever records it.
    ctx = context(
        [home("H-1", beds_free=1)],
        [child("C-resident", current_home="H-1", keep_apart=["C-new"]), child("C-new")],
    )
    assert "C-new" not in placed(ctx, options)


def test_a_placed_child_who_is_not_waiting_still_keeps_out_a_kept_apart_child(
    options: EngineOptions,
) -> None:
    # Residents are not matched and take no bed, but the batch honours keep-apart with them.
    base = context(
        [home("H-1", beds_free=1), home("H-2", beds_free=1, postcode=WAGENINGEN)],
        [child("C-new"), child("C-other")],
    ).scenario
    resident = Resident("C-placed", "H-1", frozenset({"C-new"}))
    ctx = Context.of(
        Scenario.of(base.reference_date, base.policy, base.homes, base.children, (resident,))
    )
    assert placed(ctx, options) == {"C-new": "H-2", "C-other": "H-1"}


def test_no_eligible_home_leaves_the_child_unplaced_with_the_rules_counted() -> None:
    ctx = context([home("H-1", postcode=GRONINGEN), home("H-2", age_max=5)], [child("C-1", age=9)])
    result = match(ctx)
    assert result.placed == 0
    (why,) = result.unplaced
    assert why.eligible_homes == 0
    assert dict(why.excluded_counts) == {"age": 1, "distance": 1}


def test_the_answer_on_the_region_fixture_obeys_every_rule(region: Context) -> None:
    result = match(region)
    assert result.status is Status.OPTIMAL
    assert result.gap == 0
    assert result.bound == result.total_score
    homes, scores = placements_of(result.assignments)
    check_answer(region, homes, scores)
    assert result.placed == len(homes)
    assert result.total_score == sum(scores.values())
    # The optimum is never worse than first come, first served.
    assert (result.placed_crisis, result.placed, result.total_score) >= (
        result.greedy.placed_crisis,
        result.greedy.placed,
        result.greedy.total_score,
    )


def test_the_region_optimum_is_the_same_on_every_route(region: Context) -> None:
    values = {
        name: (r.placed_crisis, r.placed, r.total_score)
        for name, opts in ROUTES.items()
        if (r := match(region, options=opts, explain=False))
    }
    assert len(set(values.values())) == 1, values
