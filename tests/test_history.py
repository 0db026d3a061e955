"""The simulated demo history: deterministic, valid facts, practice against the engine."""

from __future__ import annotations

from fixtures.history import HORIZON, simulate_history
from matching.audit import EndReason


def test_history_is_deterministic_and_its_facts_are_consistent() -> None:
    first, waiting = simulate_history(months=2, seed=5)
    again, waiting_again = simulate_history(months=2, seed=5)
    assert [p.fact for p in first] == [p.fact for p in again]
    assert waiting == waiting_again
    assert len(first) > 40  # two months of about 60 waiting children each
    assert len({p.child_id for p in first}) == len(first)  # a child is placed once
    for p in first:
        f = p.fact
        assert f.actual.home_type is p.home.type
        assert f.start_date.day == 15
        assert (f.end_date is None) == (f.end_reason is None)
        if f.end_date is not None:
            assert f.start_date < f.end_date <= HORIZON
        assert (f.sibling_group is None) == (f.together is None)


def test_practice_splits_siblings_the_engine_keeps_together() -> None:
    placements, _ = simulate_history(months=2, seed=5)
    split = [p for p in placements if p.fact.together is False and p.fact.split_reason is None]
    assert split, "first come, first served splits some groups without a recorded reason"
    assert any(p.fact.end_reason is EndReason.BREAKDOWN for p in placements)
    assert any(p.fact.engine is not None for p in placements)
