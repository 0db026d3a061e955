"""The simulation: figures known by hand, reproducible by seed, the same on a Dask cluster,
and every simulated day within the rules (beds, declines, breakdowns)."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from matching import Context, Scenario
from solver.batch import violations
from solver.engine import solve_part
from solver.simulation import (
    FIGURES,
    POLICIES,
    Assumptions,
    AssumptionsError,
    RunFigures,
    build_world,
    simulate,
    simulate_run,
    simulate_world,
)
from solver.simulation.aggregate import simulation_document
from solver.simulation.events import draw_events
from solver.simulation.policies import day_batch, everyone_best
from solver.simulation.run import begin_day
from solver.simulation.state import RunState
from tests.builders import child, home, scenario

#: Nothing happens but what the scenario holds: no arrivals, no beds coming free, carers
#: who always say yes, placements that neither end nor break down within the test's days.
QUIET = Assumptions(
    arrivals_per_year=0,
    bed_openings_per_year=0,
    decline_rate=0,
    breakdown_base=0,
    breakdown_group_extra=0,
    breakdown_far_extra=0,
    stay_crisis_days=1e9,
    stay_short_term_days=1e9,
    stay_part_time_days=1e9,
)
ALL = tuple(POLICIES)


def exact(value: float) -> dict[str, Any]:
    return {"mean": value, "ci95": [value, value]}


def test_one_child_one_bed_is_placed_at_once_in_every_run_under_every_policy() -> None:
    sc = scenario([home("H-1")], [child("C-1")])
    doc = simulate(sc, days=30, runs=3, seed=1, policies=ALL, assumptions=QUIET)
    assert (doc["days"], doc["runs"], doc["seed"]) == (30, 3, 1)
    assert list(doc["policies"]) == list(ALL)
    assert "difference" not in doc["policies"]["fcfs"]
    for name, figures in doc["policies"].items():
        if name != "fcfs":
            assert figures["difference"]["placed"] == exact(0.0)
        assert figures["placed"] == exact(1.0)
        assert figures["waiting_days_median"] == exact(0.0)
        assert figures["moves"] == exact(0.0)
        assert figures["siblings_together_share"] == {"mean": None, "ci95": [None, None]}
        assert figures["distance_median_km"]["ci95"][0] == figures["distance_median_km"]["mean"]


def test_one_bed_two_children_places_the_crisis_child_and_the_other_waits_all_along() -> None:
    sc = scenario([home("H-1")], [child("C-1"), child("C-2", urgency="crisis")])
    doc = simulate(sc, days=40, runs=2, seed=3, policies=ALL, assumptions=QUIET)
    for figures in doc["policies"].values():
        assert figures["placed"] == exact(1.0)
        # waits: 0 days for the crisis child, all 40 days (still waiting) for the other
        assert figures["waiting_days_median"] == exact(20.0)


def test_the_progress_callback_hears_of_every_task_once() -> None:
    sc = scenario([home("H-1")], [child("C-1")])
    ticks: list[int] = []
    simulate_world(
        build_world(sc, QUIET), 5, 3, 1, ("fcfs", "batch-weekly"), None, lambda: ticks.append(1)
    )
    assert len(ticks) == 3 * 2


def test_carers_who_always_decline_place_nobody() -> None:
    sc = scenario([home("H-1"), home("H-2")], [child("C-1")])
    doc = simulate(
        sc, days=20, runs=2, seed=5, policies=ALL, assumptions=replace(QUIET, decline_rate=1.0)
    )
    for figures in doc["policies"].values():
        assert figures["placed"] == exact(0.0)
        assert figures["waiting_days_median"] == exact(20.0)


def test_a_declined_home_is_not_offered_again_within_the_decline_memory() -> None:
    sc = scenario([home("H-1")], [child("C-1")], policy={"decline_memory_days": 10})
    world = build_world(sc, replace(QUIET, decline_rate=1.0))
    state = RunState(world, seed=1, run=0)
    item = state.waiting[0]
    [option] = state.options(item, 0)
    assert state.offer(item, option, 0) is False
    assert state.options(item, 10) == []  # remembered through day 0 + 10
    assert [o.home for o in state.options(item, 11)] == [option.home]


def test_the_scenarios_own_history_holds_a_decline_for_its_memory_and_a_breakdown_for_ever() -> (
    None
):
    declined = {"home_id": "H-1", "event": "declined", "date": "2026-11-20"}
    broke = {"home_id": "H-2", "event": "breakdown", "date": "2025-01-10"}
    sc = scenario(
        [home("H-1"), home("H-2")],
        [child("C-1", history=[declined, broke])],
        policy={"decline_memory_days": 10},
    )
    quiet = replace(QUIET, stay_crisis_days=1.0)
    state = RunState(build_world(sc, quiet), seed=1, run=0)
    item = state.waiting[0]
    # declined on day -3 (2026-11-20): remembered through day 7; H-2 never again
    assert state.options(item, 7) == []
    assert [state.world.home_ids[o.home] for o in state.options(item, 8)] == ["H-1"]
    assert [state.world.home_ids[o.home] for o in state.options(item, 4000)] == ["H-1"]
    assert 8 in state.expiries


def test_a_breakdown_frees_the_bed_and_the_child_waits_again_never_for_that_home() -> None:
    sc = scenario([home("H-1"), home("H-2", postcode="6708")], [child("C-1")])
    always = replace(QUIET, breakdown_base=1.0, breakdown_after_days=(5, 5))
    world = build_world(sc, always)
    state = RunState(world, seed=1, run=0)
    item = state.waiting[0]
    first = max(state.options(item, 0), key=lambda o: o.score)
    assert state.offer(item, first, 0)
    assert state.waiting == []
    assert state.beds[first.home] == 0
    state.end_placements(5)
    assert state.beds[first.home] == 1
    [again] = state.waiting
    assert again.crisis == 1
    assert again.since == 5
    assert [o.home for o in state.options(again, 400)] != []
    assert all(o.home != first.home for o in state.options(again, 400))
    assert state.offer(again, state.options(again, 6)[0], 6)
    assert state.moves == 1


def test_a_sibling_group_placed_together_counts_as_together() -> None:
    kids = [child("C-1", siblings=["C-2"]), child("C-2", age=10, siblings=["C-1"])]
    sc = scenario([home("H-1", beds_free=2)], kids)
    doc = simulate(sc, days=10, runs=1, seed=1, policies=ALL, assumptions=QUIET)
    for figures in doc["policies"].values():
        assert figures["placed"] == exact(2.0)
        assert figures["siblings_together_share"] == exact(1.0)


def test_practice_splits_a_group_no_home_takes_together_after_the_agreed_wait() -> None:
    kids = [child("C-1", siblings=["C-2"]), child("C-2", age=10, siblings=["C-1"])]
    sc = scenario([home("H-1"), home("H-2", postcode="6708")], kids)
    quiet = replace(QUIET, split_after_days=7)
    doc = simulate(sc, days=30, runs=1, seed=1, policies=ALL, assumptions=quiet)
    practice = doc["policies"]["practice"]
    assert practice["difference"]["against"] == "fcfs"
    assert practice["difference"]["placed"] == exact(2.0)
    assert practice["difference"]["siblings_together_share"] == {"mean": None, "ci95": [None, None]}
    assert practice["placed"] == exact(2.0)
    assert practice["siblings_together_share"] == exact(0.0)
    assert practice["waiting_days_median"] == exact(7.0)
    for name in ("fcfs", "batch-daily", "batch-weekly"):  # the rule: together or not at all
        assert doc["policies"][name]["placed"] == exact(0.0)


@pytest.fixture(scope="module")
def region_world(region: Context) -> Any:
    return build_world(region.scenario)


def test_the_same_seed_gives_the_same_run_and_another_seed_another(region_world: Any) -> None:
    for policy in ALL:
        a = simulate_run(region_world, policy, 60, seed=11, run=2)
        assert simulate_run(region_world, policy, 60, seed=11, run=2) == a
    runs = {simulate_run(region_world, "fcfs", 60, seed=s, run=0) for s in range(4)}
    assert len({(r.placed, r.children, r.distance_median_km) for r in runs}) > 1


def test_every_simulated_day_keeps_the_beds_and_the_memory(region_world: Any) -> None:
    days = 120
    events = draw_events(region_world, days, seed=4, run=0)
    for policy, step in POLICIES.items():
        state = RunState(region_world, seed=4, run=0)
        for day in range(days):
            begin_day(state, events, day)
            step(state, day)
            assert min(state.beds) >= 0, (policy, day)
        memory = region_world.decline_memory_days
        declined: dict[tuple[int, int], int] = {}
        broke: set[tuple[int, int]] = set()
        for day, event, children, home_now in state.log:
            for c in children:
                if event == "placed":
                    assert (c, home_now) not in broke, (policy, day, c)
                    assert declined.get((c, home_now), -999) + memory < day, (policy, day, c)
                elif event == "declined":
                    declined[(c, home_now)] = day
                else:
                    broke.add((c, home_now))
        events_seen = {e for _, e, _, _ in state.log}
        assert events_seen == {"placed", "declined", "breakdown"}, policy


def test_the_shortcut_without_the_solver_is_taken_only_where_it_is_the_optimum(
    region_world: Any,
) -> None:
    days = 60
    events = draw_events(region_world, days, seed=8, run=0)
    state = RunState(region_world, seed=8, run=0)
    step = POLICIES["batch-daily"]
    shortcut = solved = 0
    for day in range(days):
        begin_day(state, events, day)
        found = day_batch(state, state.ordered_waiting(), day)
        if found is not None:
            batch = found[0]
            by_solver: list[int] = []
            for units, homes in batch.components():
                sub, index = batch.subproblem(units, homes)
                by_solver.extend(index[solve_part(sub, math.inf).chosen].tolist())
            fast = everyone_best(batch)
            if fast is not None:
                shortcut += 1
                assert batch.value(np.array(fast)) == batch.value(np.array(by_solver)), day
                assert violations(batch, fast) == []
            else:
                solved += 1
        step(state, day)
    assert shortcut > 0
    assert solved > 0


def test_arrivals_follow_the_scenario_rate(region: Context, region_world: Any) -> None:
    sc: Scenario = region.scenario
    waited = [(sc.reference_date - c.waiting_since).days for c in sc.children if c.waiting_since]
    per_day = len(sc.children) / (sum(waited) / len(sc.children))
    assert region_world.rates.children_per_day == pytest.approx(per_day)
    events = draw_events(region_world, 3650, seed=1, run=0)
    families = sum(len(a) for a in events.arrivals)
    assert families / 3650 == pytest.approx(region_world.rates.families_per_day, rel=0.05)


@pytest.mark.slow
def test_a_local_cluster_of_two_worker_processes_gives_the_same_answer(
    region_world: Any,
) -> None:
    from distributed import LocalCluster

    policies = ("fcfs", "practice", "batch-weekly")
    here = simulate_world(region_world, 90, 4, 2026, policies)
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        there = simulate_world(
            region_world, 90, 4, 2026, policies, scheduler=cluster.scheduler_address
        )
    assert json.dumps(there) == json.dumps(here)
    assert set(here["policies"]["fcfs"]) >= set(FIGURES)


def test_assumptions_refuse_unknown_keys_and_impossible_values() -> None:
    with pytest.raises(AssumptionsError, match="arrivals_per_week: unknown"):
        Assumptions.from_mapping({"arrivals_per_week": 3})
    with pytest.raises(AssumptionsError, match="decline_rate: must be between 0 and 1"):
        Assumptions.from_mapping({"decline_rate": 1.5})
    with pytest.raises(AssumptionsError, match="breakdown_after_days"):
        Assumptions.from_mapping({"breakdown_after_days": [9, 3]})
    with pytest.raises(AssumptionsError, match="split_after_days: must be a whole number"):
        Assumptions.from_mapping({"split_after_days": 2.5})
    assert Assumptions.from_mapping({"decline_rate": 0}).decline_rate == 0.0


def test_quiet_assumptions_round_trip_through_json(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(QUIET.to_json()))
    assert Assumptions.from_mapping(json.loads(path.read_text())) == QUIET


def _run(run: int, **figures: int) -> RunFigures:
    base = {
        "placed": 20,
        "moves": 6,
        "children": 40,
        "placements": 20,
        "waits": 40,
        "sibling_groups": 12,
        "sibling_groups_together": 6,
    }
    base.update(figures)
    return RunFigures(
        run=run,
        policy="fcfs",
        waiting_days_median=10.0,
        distance_median_km=7.0,
        siblings_together_share=base["sibling_groups_together"] / base["sibling_groups"],
        **base,
    )


def test_a_municipality_reads_no_figure_that_describes_fewer_than_five_children() -> None:
    # Two runs; in the second only 3 children stay unplaced and only 9 are placed.
    runs = [_run(0), _run(1, placed=9, children=12, placements=9)]
    doc = simulation_document(1, 2, 1, ["fcfs"], runs, area_children=12)["policies"]["fcfs"]
    hidden = {"mean": "<5", "ci95": [None, None], "hidden": True}
    assert doc["placed"] == hidden  # 3 left unplaced in run 1: placed would give them
    assert doc["placed_share"] == {**hidden, "mean": None}
    assert doc["distance_median_km"] == {**hidden, "mean": None}  # 9 placements < 10
    assert doc["children"]["mean"] == 26.0  # 40 and 12: every run 5 or more
    assert doc["waiting_days_median"]["mean"] == 10.0
    assert doc["siblings_together_share"]["mean"] == 0.5
    # The command line's reader holds the scenario: nothing hidden there.
    open_doc = simulation_document(1, 2, 1, ["fcfs"], runs)["policies"]["fcfs"]
    assert open_doc["placed"]["mean"] == 14.5
    assert "hidden" not in open_doc["placed"]


def test_an_area_of_fewer_than_ten_children_shows_no_median_and_of_five_no_figure() -> None:
    runs = [_run(0)]
    nine = simulation_document(1, 1, 1, ["fcfs"], runs, area_children=9)["policies"]["fcfs"]
    assert nine["distance_median_km"]["hidden"] is True
    assert nine["waiting_days_median"]["hidden"] is True
    assert nine["placed"]["mean"] == 20.0
    four = simulation_document(1, 1, 1, ["fcfs"], runs, area_children=4)["policies"]["fcfs"]
    assert all(four[name].get("hidden") for name in (*FIGURES, "children", "placed_share"))


def test_a_difference_of_shares_stays_between_minus_one_and_one() -> None:
    # Two runs whose shares of sibling groups together differ by +0.9 and -0.9 between
    # the policies: the t interval of the mean (0 +- 12.7 * 0.9) once read [-11.4; 11.4],
    # a difference of two shares that no run can have.
    fcfs = [
        _run(0, sibling_groups_together=1, sibling_groups=10),
        _run(1, sibling_groups_together=10, sibling_groups=10),
    ]
    daily = [
        replace(_run(0, sibling_groups_together=10, sibling_groups=10, placed=40), policy="d"),
        replace(_run(1, sibling_groups_together=1, sibling_groups=10, placed=0), policy="d"),
    ]
    doc = simulation_document(1, 2, 1, ["fcfs", "d"], fcfs + daily)
    difference = doc["policies"]["d"]["difference"]
    assert difference["siblings_together_share"] == {"mean": 0.0, "ci95": [-1.0, 1.0]}
    # A count's difference is not cut: +20 and -20 placed, t interval about +-254.
    assert difference["placed"]["mean"] == 0.0
    assert difference["placed"]["ci95"][0] < -200
    assert difference["placed"]["ci95"][1] > 200
