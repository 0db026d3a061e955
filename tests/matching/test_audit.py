"""Audit metrics on a hand-computed fixture, and small-number suppression everywhere."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.audit import (
    MIN_CELL,
    SUPPRESSED,
    AuditReport,
    Cell,
    EndReason,
    Outcome,
    PlacementFact,
    WaitingFact,
    audit,
    count_cell,
    histogram,
    suppress_partition,
    suppress_sums,
)
from matching.model import HomeType, SplitReason

EDE, WAGENINGEN = "0228", "0289"
JAN, MAR_END = date(2026, 1, 1), date(2026, 3, 31)
DISTANCES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 30]
# 8 placements in January, 9 in February, 3 in March.
STARTS = [date(2026, 1, 10)] * 8 + [date(2026, 2, 10)] * 9 + [date(2026, 3, 10)] * 3
TYPES = [HomeType.FOSTER] * 12 + [HomeType.SMALL_SCALE] * 5 + [HomeType.RESIDENTIAL] * 3


def fact(i: int, **kw: object) -> PlacementFact:
    actual = Outcome(
        home_type=TYPES[i],
        distance_km=float(DISTANCES[i]),
        same_municipality=i < 12,
        keeps_school=None if i >= 15 else i < 9,
    )
    engine = Outcome(HomeType.FOSTER, float(DISTANCES[i]) / 2, True, None if i >= 15 else True)
    base: dict[str, object] = {
        "ref": f"r{i}",
        "municipality": EDE,
        "start_date": STARTS[i],
        "actual": actual,
        "engine": engine,
    }
    base.update(kw)
    return PlacementFact(**base)  # type: ignore[arg-type]


def fixture() -> list[PlacementFact]:
    facts = [fact(i) for i in range(20)]
    # Sibling groups: A (2, together), B (3, together), C (2, split for severe conflict).
    for i, (group, together) in {
        0: ("A", True),
        1: ("A", True),
        2: ("B", True),
        3: ("B", True),
        4: ("B", True),
        5: ("C", False),
        6: ("C", False),
    }.items():
        reason = None if together else SplitReason.SEVERE_CONFLICT
        facts[i] = fact(i, sibling_group=group, together=together, split_reason=reason)
    # Two placements that started earlier broke down within the period.
    facts.append(
        fact(
            0,
            ref="old1",
            start_date=date(2025, 6, 1),
            end_date=date(2026, 2, 1),
            end_reason=EndReason.BREAKDOWN,
        )
    )
    facts.append(
        fact(
            0,
            ref="old2",
            start_date=date(2025, 6, 1),
            end_date=date(2026, 2, 2),
            end_reason=EndReason.BREAKDOWN,
        )
    )
    # Another municipality's children never count.
    facts += [fact(i, ref=f"w{i}", municipality=WAGENINGEN) for i in range(20)]
    return facts


def waiting() -> list[WaitingFact]:
    # 12 waiting at the end of March, waiting 10, 20, ..., 120 days; one placed already.
    out = [WaitingFact(f"q{i}", EDE, MAR_END - timedelta(days=10 * (i + 1))) for i in range(12)]
    out.append(WaitingFact("done", EDE, date(2026, 1, 2), placed_on=date(2026, 2, 1)))
    return out


@pytest.fixture
def report() -> AuditReport:
    return audit(fixture(), waiting(), [EDE], JAN, MAR_END)


def test_metrics_on_the_hand_computed_fixture(report: AuditReport) -> None:
    practice = report.to_json()["practice"]
    assert practice["placed"] == 20
    assert practice["distance_median_km"] == 10.5  # (10 + 11) / 2
    assert practice["distance_p75_km"] == 15.2  # 15 + 0.25 * (16 - 15) = 15.25, shown to 0.1
    assert practice["share_within_5km"] == 0.25
    assert practice["share_within_10km"] == 0.5
    assert practice["share_outside_own_municipality"] == 0.4  # 8 of 20
    assert practice["share_keeping_school"] == 0.6  # 9 of the 15 with a school
    assert practice["placed_family_like"] == 12
    assert practice["share_family_like"] == 0.6
    assert practice["children_in_sibling_groups"] == 7
    assert practice["children_placed_with_all_siblings"] == 5
    assert practice["waiting_at_end"] == 12
    assert practice["waiting_days_median"] == 65  # median of 10..120 by 10


def test_engine_counterpart_for_the_same_children(report: AuditReport) -> None:
    engine = report.to_json()["engine"]
    assert engine["placed"] == 20
    assert engine["distance_median_km"] == 5.2  # half of 10.5 = 5.25, shown to 0.1
    assert engine["share_within_10km"] == SUPPRESSED  # 19 of 20: the one left out is alone
    assert engine["placed_family_like"] == 20


def test_engine_sibling_figures_count_children_the_engine_kept_with_all_siblings() -> None:
    # Fifteen children in sibling groups of three: practice split every group, the engine
    # kept groups 0 to 2 whole (nine children) and split 3 and 4 (six children).
    facts = []
    for i in range(15):
        group = i // 3
        engine = Outcome(HomeType.FOSTER, 5.0, True, None, together=group < 3)
        facts.append(fact(i, sibling_group=f"G{group}", together=False, engine=engine, ref=f"s{i}"))
    engine_json = audit(facts, [], [EDE], JAN, MAR_END).to_json()["engine"]
    assert engine_json["children_in_sibling_groups"] == 15
    assert engine_json["children_placed_with_all_siblings"] == 9
    assert engine_json["children_placed_apart_from_siblings"] == 6
    assert engine_json["share_of_sibling_children_kept_together"] == 0.6
    practice = audit(facts, [], [EDE], JAN, MAR_END).to_json()["practice"]
    assert practice["children_placed_with_all_siblings"] == "<5"  # zero: none together


def test_engine_sibling_figures_below_five_are_suppressed(report: AuditReport) -> None:
    # The hand-computed fixture records no engine sibling facts: zero is a small number.
    engine = report.to_json()["engine"]
    assert engine["children_in_sibling_groups"] == SUPPRESSED
    assert engine["share_of_sibling_children_kept_together"] == SUPPRESSED


def test_cells_below_five_are_suppressed(report: AuditReport) -> None:
    doc = report.to_json()
    practice = doc["practice"]
    assert practice["share_within_25km"] == SUPPRESSED  # 19 of 20: reveals 1 child
    assert practice["distance_p90_km"] == SUPPRESSED  # only 2 children above it
    assert practice["placed_residential"] == SUPPRESSED  # 3 children
    assert practice["children_placed_apart_from_siblings"] == SUPPRESSED  # 2
    assert practice["share_of_sibling_children_kept_together"] == SUPPRESSED  # 5 of 7
    assert practice["breakdowns"] == SUPPRESSED  # 2
    assert doc["split_reasons"]["split_severe_conflict"] == SUPPRESSED
    assert doc["monthly"][2] == {
        "month": "2026-03",
        "placed": SUPPRESSED,
        "share_within_10km": SUPPRESSED,
    }


def test_a_suppressed_cell_cannot_be_recovered_by_subtracting_from_a_total(
    report: AuditReport,
) -> None:
    doc = report.to_json()
    # 12 + 5 + 3 = 20 placed: with only "residential" hidden, 20 - 12 - 5 would give it away.
    assert doc["practice"]["placed_small_scale"] == SUPPRESSED
    assert doc["practice"]["share_small_scale"] == SUPPRESSED
    # 8 + 9 + 3 = 20: with only March hidden it could be derived, so January goes too.
    assert [m["placed"] for m in doc["monthly"]] == [SUPPRESSED, 9, SUPPRESSED]


def test_no_published_number_describes_fewer_than_five_children(report: AuditReport) -> None:
    for cell in (*report.practice, *report.engine, *report.split_reasons):
        if cell.unit == "children" and not cell.suppressed:
            assert cell.value is not None
            assert cell.value >= MIN_CELL, cell


def test_only_the_requested_municipalities_count() -> None:
    both = audit(fixture(), waiting(), [EDE, WAGENINGEN], JAN, MAR_END).to_json()
    assert both["practice"]["placed"] == 40
    only = audit(fixture(), waiting(), [WAGENINGEN], JAN, MAR_END).to_json()
    assert only["practice"]["placed"] == 20
    assert only["practice"]["waiting_at_end"] == SUPPRESSED  # nobody waits in Wageningen


def test_histogram_bins_are_suppressed_with_their_complement() -> None:
    bins = histogram([float(d) for d in DISTANCES], [0, 5, 10, 25])
    # Up to and including 5: 5, above 5 to 10: 5, to 25: 9, above: 1 -> 25+ hidden, and
    # the smallest other (0-5, by name among the fives) hidden to protect it.
    assert [(c.metric, c.written) for c in bins] == [
        ("0-5 km", "hidden"),
        ("5-10 km", 5),
        ("10-25 km", 9),
        ("25+ km", SUPPRESSED),
    ]


def test_a_child_at_exactly_five_km_is_within_5_km_in_the_share_and_the_bands() -> None:
    facts = [fact(i) for i in range(20)]  # distances 1..19 and 30; the fifth is 5.0
    report = audit(facts, [], [EDE], JAN, MAR_END)
    within_5 = report.cell("share_within_5km").value
    first_band = histogram(report.distances, [0, 5, 10, 25])[0]
    assert within_5 == 0.25  # 1, 2, 3, 4 and 5 of 20
    assert first_band.value == 5


def test_waiting_time_by_group_shows_who_waits_longest_with_small_numbers_suppressed() -> None:
    # 10 teenagers waiting 100..190 days, 8 young children 10..80 days, 2 part-time (5 days).
    teens = [
        WaitingFact(f"t{i}", EDE, MAR_END - timedelta(days=100 + 10 * i), age=14, care_level=2)
        for i in range(10)
    ]
    young = [
        WaitingFact(f"y{i}", EDE, MAR_END - timedelta(days=10 * (i + 1)), age=6, care_level=1)
        for i in range(8)
    ]
    part_time = [
        WaitingFact(f"p{i}", EDE, MAR_END - timedelta(days=5), age=9, care_kind="part_time")
        for i in range(2)
    ]
    report = audit([], teens + young + part_time, [EDE], JAN, MAR_END).to_json()
    by_age = {row["band"]: row for row in report["waiting_by"]["age_band"]}
    assert by_age["12-17"] == {"band": "12-17", "waiting": 10, "waiting_days_median": 145.0}
    assert by_age["4-11"] == {"band": "4-11", "waiting": 10, "waiting_days_median": 35.0}
    kinds = {row["band"]: row for row in report["waiting_by"]["care_kind"]}
    assert kinds["part_time"] == {"band": "part_time", "waiting": "<5", "waiting_days_median": "<5"}
    # One suppressed band in a shown total could be recovered: the smallest other goes too.
    assert kinds["unknown"]["waiting"] == "<5"
    levels = {row["band"]: row["waiting"] for row in report["waiting_by"]["care_level"]}
    assert levels == {"1": "<5", "2": 10, "unknown": "<5"}


def _values_a_reader_can_give(cells: list[Cell], zeros_shown: bool) -> list[tuple[int, ...]]:
    """Every filling of the hidden cells consistent with what is published: the total, the
    shown cells, 1-4 (0-4 where zeros are hidden) for a small cell, 5 or more for one
    hidden to protect it. Brute force, independent of the code's own reasoning."""
    total = sum(int(c.value or 0) for c in cells)
    hidden = [c for c in cells if c.suppressed]
    rest = total - sum(int(c.value or 0) for c in cells if not c.suppressed)
    ranges = [
        range(MIN_CELL, rest + 1) if c.secondary else range(1 if zeros_shown else 0, MIN_CELL)
        for c in hidden
    ]
    return [v for v in itertools.product(*ranges) if sum(v) == rest]


@given(
    counts=st.lists(st.integers(0, 14), min_size=1, max_size=6),
    zeros_shown=st.booleans(),
)
def test_no_published_figure_lets_anyone_derive_a_hidden_cell_of_one_to_four(
    counts: list[int], zeros_shown: bool
) -> None:
    cells = [
        Cell(f"c{i}", n, suppressed=0 < n < MIN_CELL if zeros_shown else n < MIN_CELL)
        for i, n in enumerate(counts)
    ]
    out, total_shown = suppress_partition(cells, zeros_shown)
    for c in out:
        # A cell hidden to protect another is not small: its words may say so.
        assert not c.secondary or int(c.value or 0) >= MIN_CELL
        assert c.suppressed or not 0 < int(c.value or 0) < MIN_CELL
    if not total_shown:
        return  # the caller hides the total: no sum to subtract from
    fillings = _values_a_reader_can_give(out, zeros_shown)
    hidden = [c for c in out if c.suppressed]
    for i, c in enumerate(hidden):
        if 0 < int(c.value or 0) < MIN_CELL:
            assert len({f[i] for f in fillings}) > 1, (counts, out)


def test_two_small_cells_that_make_the_total_need_the_total_hidden() -> None:
    # 4 + 4 = 8: each hidden cell holds at most 4, so both are 4 whatever else is hidden.
    _, total_shown = suppress_partition([count_cell("a", 4), count_cell("b", 4)])
    assert not total_shown


def test_a_cell_hidden_to_protect_another_is_written_apart() -> None:
    cells, _ = suppress_partition([count_cell("a", 3), count_cell("b", 9), count_cell("c", 12)])
    assert [c.written for c in cells] == [SUPPRESSED, "hidden", 12]


def test_quarters_before_the_data_starts_are_zeros_that_hide_nothing() -> None:
    # History from January 2026; the period starts in October 2025: K4 2025 placed nobody.
    facts = [fact(i, start_date=date(2026, 1, 5) + timedelta(days=i)) for i in range(13)]
    report = audit(facts, [], [EDE], date(2025, 10, 1), MAR_END)
    assert [(q, p.shown) for q, p, _ in report.quarterly] == [("2025-Q4", 0), ("2026-Q1", 13)]
    assert [p.shown for _, p, _ in report.monthly][:3] == [0, 0, 0]
    assert report.quarterly[0][2].value is None  # no share of nobody
    assert not report.quarterly[0][2].suppressed


def test_months_of_four_and_four_beside_an_empty_one_hide_the_placed_total() -> None:
    # January 4, February 4, March nobody: beside "8 placed" and a shown 0, both hidden
    # months are 4, whatever else is hidden; the total must go.
    days = [date(2026, 1, 5), date(2026, 2, 5)]
    facts = [fact(i, start_date=days[i // 4] + timedelta(days=i % 4)) for i in range(8)]
    report = audit(facts, [], [EDE], JAN, MAR_END)
    assert [p.suppressed for _, p, _ in report.monthly] == [True, True, False]
    placed = next(c for c in report.practice if c.metric == "placed")
    assert placed.suppressed
    assert placed.secondary


def test_waiting_bands_of_four_and_four_hide_the_waiting_total() -> None:
    # 4 toddlers and 4 teenagers waiting: beside "8 waiting" both hidden bands are 4.
    kids = [WaitingFact(f"w{i}", EDE, JAN, age=2 if i < 4 else 14) for i in range(8)]
    report = audit([], kids, [EDE], JAN, MAR_END)
    at_end = report.cell("waiting_at_end")
    assert at_end.suppressed
    assert at_end.written == "hidden"
    assert [row[1].shown for row in report.waiting_by["age_band"]] == [SUPPRESSED, SUPPRESSED]


def test_linked_counts_leave_no_small_count_to_work_out_by_brute_force() -> None:
    """Placed before (a), placed by extra beds (b), still waiting (c): published are the
    waiting children a+b+c, before a, after a+b and the gain b. For every small scenario no
    count of 1-4 children among a, b, c, a+b, b+c (waiting today) and a+b+c is left one
    value by what is shown and what the hidden cells' words say."""
    sums = {
        "waiting": {"a": 1, "b": 1, "c": 1},
        "before": {"a": 1},
        "after": {"a": 1, "b": 1},
        "gain": {"b": 1},
    }
    extra = [{"c": 1}, {"b": 1, "c": 1}]
    for a in range(12):
        for b in range(7):
            for c in range(7):
                atoms = {"a": a, "b": b, "c": c}

                def val(coef: dict[str, int], x: dict[str, int]) -> int:
                    return sum(k * x[n] for n, k in coef.items())

                cells = suppress_sums(
                    atoms,
                    [(count_cell(m, val(coef, atoms)), coef) for m, coef in sums.items()],
                    extra,
                    fixed=("waiting",),
                )
                grid = dict(zip("abc", np.indices((40, 40, 40)).reshape(3, -1), strict=True))
                fit = np.ones(grid["a"].size, dtype=bool)
                for cell, coef in zip(cells, sums.values(), strict=True):
                    v = sum(k * grid[n] for n, k in coef.items())
                    if not cell.suppressed:
                        fit &= v == cell.value
                    elif cell.secondary:
                        fit &= v >= MIN_CELL
                    else:
                        fit &= v < MIN_CELL
                for coef in [*sums.values(), *extra]:
                    v = val(coef, atoms)
                    if 1 <= v < MIN_CELL:
                        seen = sum(k * grid[n][fit] for n, k in coef.items())
                        assert set(np.unique(seen).tolist()) != {v}, (atoms, coef, cells)
