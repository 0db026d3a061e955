"""Audit metrics on a hand-computed fixture, and small-number suppression everywhere."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.audit import (
    DISTANCE_EDGES,
    MIN_CELL,
    SUPPRESSED,
    SUPPRESSED_SECONDARY,
    WITHIN_KM,
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
    # 5 with all their siblings beside 7 in groups would give the 2 apart: hidden too.
    assert report.cell("children_placed_with_all_siblings").written == SUPPRESSED_SECONDARY
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
        "partial": False,  # 1 January to 31 March: every month whole
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
    # Every band is listed, children or not, so a listed band tells nothing and the empty
    # ones ("<5" too) keep the part-time 2 from being worked out of the shown 18.
    assert list(kinds) == ["crisis", "short_term", "long_term", "part_time", "unknown"]
    assert [kinds[k]["waiting"] for k in kinds] == ["<5", "<5", "<5", "<5", 18]
    assert list(by_age) == ["0-3", "4-11", "12-17", "18+", "unknown"]
    levels = {row["band"]: row["waiting"] for row in report["waiting_by"]["care_level"]}
    assert levels == {"0": "<5", "1": 8, "2": 10, "3": "<5", "unknown": "<5"}


def test_a_waiting_band_is_listed_whether_or_not_a_child_is_in_it() -> None:
    # Five children of five different ages: were only the bands with children listed,
    # five listed bands of a total of five would each hold exactly one child.
    kids = [
        WaitingFact(f"k{i}", EDE, MAR_END - timedelta(days=30), age=age)
        for i, age in enumerate([2, 7, 14, 19, 5])
    ]
    report = audit([], kids, [EDE], JAN, MAR_END).to_json()
    rows = report["waiting_by"]["age_band"]
    assert [r["band"] for r in rows] == ["0-3", "4-11", "12-17", "18+", "unknown"]
    assert all(r["waiting"] == "<5" for r in rows)
    assert [r["band"] for r in report["waiting_by"]["sibling_group_size"]] == [
        "1",
        "2",
        "3+",
        "unknown",
    ]


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


def test_months_of_four_and_four_beside_an_empty_one_are_withheld_not_the_total() -> None:
    # January 4, February 4, March nobody: "fewer than 5" beside "8 placed" and a shown 0
    # would make both 4. The total cannot be what gives way: the quarter (8) and the
    # engine's column over the same children (8) publish it too. The months are withheld.
    days = [date(2026, 1, 5), date(2026, 2, 5)]
    facts = [fact(i, start_date=days[i // 4] + timedelta(days=i % 4)) for i in range(8)]
    report = audit(facts, [], [EDE], JAN, MAR_END)
    assert [p.written for _, p, _ in report.monthly] == ["hidden", "hidden", 0]
    assert [p.written for _, p, _ in report.quarterly] == [8]
    assert report.cell("placed").written == 8
    assert report.cell("placed", engine=True).written == 8
    assert [s.written for _, _, s in report.monthly][:2] == ["hidden", "hidden"]
    assert report.to_json()["monthly"][0]["placed"] == SUPPRESSED  # the JSON's one word


def test_waiting_bands_of_four_and_four_are_withheld_beside_the_waiting_total() -> None:
    # 4 children in every age band (unknown included), 20 waiting: beside "20 waiting" five
    # bands of "fewer than 5" are all 4. Hiding the 20 would not help: the care level
    # "unknown" band holds all 20 children. The bands are withheld.
    ages = [2, 6, 14, 19, None]
    kids = [WaitingFact(f"w{i}", EDE, JAN, age=ages[i // 4]) for i in range(20)]
    report = audit([], kids, [EDE], JAN, MAR_END)
    assert report.cell("waiting_at_end").written == 20
    levels = [(b, n.written) for b, n, _ in report.waiting_by["care_level"]]
    assert levels == [("0", "<5"), ("1", "<5"), ("2", "<5"), ("3", "<5"), ("unknown", 20)]
    rows = [(b, n.written, m.written) for b, n, m in report.waiting_by["age_band"]]
    assert rows == [(b, "hidden", "hidden") for b in ("0-3", "4-11", "12-17", "18+", "unknown")]
    # 4 and 4 in two of five bands is no longer determined: the empty bands read "<5" too.
    kids = [WaitingFact(f"w{i}", EDE, JAN, age=2 if i < 4 else 14) for i in range(8)]
    rows = [
        (b, n.written) for b, n, _ in audit([], kids, [EDE], JAN, MAR_END).waiting_by["age_band"]
    ]
    assert rows == [
        ("0-3", "<5"),
        ("4-11", "<5"),
        ("12-17", "<5"),
        ("18+", "<5"),
        ("unknown", "<5"),
    ]


# ---------------------------------------------------------------------------------------
# What a reader can work out of everything published together, by brute force


Words = Callable[[int], bool]


def _count_words(cell: Cell, zeros_shown: bool = False) -> Words:
    """The counts a cell's words allow: its value; 1-4 (0-4 where zeros are hidden) for
    "fewer than 5"; at least 5 for one hidden to protect another; anything when withheld
    (a month withheld with its quarter's zeros may be 0)."""
    if not cell.suppressed:
        return lambda v: v == cell.value
    if cell.withheld:
        return lambda v: True
    if cell.secondary:
        return lambda v: v >= MIN_CELL
    return lambda v: (1 if zeros_shown else 0) <= v < MIN_CELL


def _share_words(cell: Cell, total: int) -> Words:
    """The counts within a share of ``total`` that its words allow (shown to 0.001)."""
    if not cell.suppressed:
        return lambda hits: total > 0 and round(hits / total, 3) == cell.value
    if cell.withheld:
        return lambda hits: True
    if cell.secondary:
        return lambda hits: hits >= MIN_CELL and total - hits >= MIN_CELL
    return lambda hits: hits < MIN_CELL or total - hits < MIN_CELL


def _parts_a_reader_can_give(total: int, words: Sequence[Words]) -> list[set[int]] | None:
    """For parts that add up to ``total``, each allowed by its words: the values each part
    can take in some filling (None: no filling at all). Sums reachable before and after
    each part, so no filling is listed one by one."""
    options = [[v for v in range(total + 1) if ok(v)] for ok in words]
    before = [{0}]
    for values in options:
        before.append({a + v for a in before[-1] for v in values if a + v <= total})
    after = [{0}]
    for values in reversed(options):
        after.append({a + v for a in after[-1] for v in values if a + v <= total})
    after.reverse()
    if total not in before[-1]:
        return None
    out = []
    for i, values in enumerate(options):
        others = {a + b for a in before[i] for b in after[i + 1] if a + b <= total}
        out.append({v for v in values if total - v in others})
    return out


def _sibling_values(report: AuditReport) -> dict[str, set[int]]:
    """Every value a reader could give each sibling count and split reason from the
    published cells: children in groups, with all siblings, apart, the share kept together
    and the reasons (which add up to those apart)."""
    in_groups, with_all, apart, share = (
        report.cell(m)
        for m in (
            "children_in_sibling_groups",
            "children_placed_with_all_siblings",
            "children_placed_apart_from_siblings",
            "share_of_sibling_children_kept_together",
        )
    )
    reasons = report.split_reasons
    seen: dict[str, set[int]] = {c.metric: set() for c in (with_all, apart, *reasons)}
    most = int(in_groups.value or 0) if not in_groups.suppressed else MIN_CELL - 1
    for g in filter(_count_words(in_groups), range(most + 1)):
        for t in filter(_count_words(with_all), range(g + 1)):
            s = g - t
            if not (_count_words(apart)(s) and _share_words(share, g)(t)):
                continue
            parts = _parts_a_reader_can_give(s, [_count_words(r) for r in reasons])
            if parts is None:
                continue
            seen[with_all.metric].add(t)
            seen[apart.metric].add(s)
            for r, values in zip(reasons, parts, strict=True):
                seen[r.metric] |= values
    return seen


def _true_counts(facts: Sequence[PlacementFact]) -> dict[str, int]:
    groups: dict[str, list[PlacementFact]] = {}
    for f in facts:
        if f.sibling_group is not None:
            groups.setdefault(f.sibling_group, []).append(f)
    split = [f for g in groups.values() if not all(f.together for f in g) for f in g]
    out = {
        "children_placed_with_all_siblings": sum(len(g) for g in groups.values()) - len(split),
        "children_placed_apart_from_siblings": len(split),
    }
    for reason in [*SplitReason, None]:
        key = f"split_{reason.value if reason else 'not_recorded'}"
        out[key] = sum(1 for f in split if f.split_reason == reason)
    return out


def _assert_no_small_count_follows(
    seen: dict[str, set[int]], truth: dict[str, int], cells: Sequence[Cell]
) -> None:
    for cell in cells:
        if cell.metric not in seen:
            continue
        assert truth[cell.metric] in seen[cell.metric], (cell, seen[cell.metric])
        if cell.suppressed and 0 < truth[cell.metric] < MIN_CELL:
            assert len(seen[cell.metric]) > 1, (cell.metric, truth[cell.metric], cells)


def _sibling_facts(with_all: int, reasons: dict[SplitReason | None, int]) -> list[PlacementFact]:
    """``with_all`` children in one group placed together; for each reason, that many
    children placed apart from their siblings (in pairs, the last alone if odd)."""
    facts = [
        fact(i % 20, ref=f"t{i}", sibling_group="together", together=True) for i in range(with_all)
    ]
    for reason, n in reasons.items():
        name = reason.value if reason else "none"
        facts += [
            fact(
                i % 20,
                ref=f"{name}{i}",
                sibling_group=f"{name}{i // 2}",
                together=False,
                split_reason=reason,
            )
            for i in range(n)
        ]
    return facts


def test_split_reasons_of_four_and_four_beside_four_together_give_nothing_away() -> None:
    # 4 together, 4 apart for severe conflict, 4 apart for another reason: 12 in groups.
    # Published as 12, "<5", 8: with-all would be 12 - 8 = 4. The apart count is hidden
    # (it protects with-all), so the reasons (each 0-4, adding up to 8-12) stay open.
    facts = _sibling_facts(4, {SplitReason.SEVERE_CONFLICT: 4, SplitReason.OTHER: 4})
    report = audit(facts, [], [EDE], JAN, MAR_END)
    assert [
        report.cell(m).written
        for m in (
            "children_in_sibling_groups",
            "children_placed_with_all_siblings",
            "children_placed_apart_from_siblings",
            "share_of_sibling_children_kept_together",
        )
    ] == [12, SUPPRESSED, SUPPRESSED_SECONDARY, SUPPRESSED]
    assert [c.written for c in report.split_reasons] == [SUPPRESSED] * 6
    _assert_no_small_count_follows(
        _sibling_values(report), _true_counts(facts), [*report.practice, *report.split_reasons]
    )


def test_six_split_reasons_of_four_are_withheld_beside_the_children_apart() -> None:
    # Every reason (and "not recorded") 4 beside 24 apart: six times "fewer than 5" makes
    # 24 only as six fours. Hiding the 24 would not do (24 in groups, none together, gives
    # it back), so the reasons are withheld: they read as hidden to protect, and say
    # nothing of their size.
    facts = _sibling_facts(0, dict.fromkeys([*SplitReason, None], 4))
    report = audit(facts, [], [EDE], JAN, MAR_END)
    assert report.cell("children_in_sibling_groups").written == 24
    assert report.cell("children_placed_apart_from_siblings").written == 24
    assert [c.written for c in report.split_reasons] == [SUPPRESSED_SECONDARY] * 6
    assert all(c.withheld and c.value is None for c in report.split_reasons)
    assert report.to_json()["split_reasons"] == {c.metric: SUPPRESSED for c in report.split_reasons}
    _assert_no_small_count_follows(
        _sibling_values(report), _true_counts(facts), [*report.practice, *report.split_reasons]
    )


def test_the_fixtures_sibling_counts_give_nothing_away(report: AuditReport) -> None:
    facts = fixture()[:20]
    _assert_no_small_count_follows(
        _sibling_values(report), _true_counts(facts), [*report.practice, *report.split_reasons]
    )


@given(
    with_all=st.integers(0, 9),
    apart=st.lists(st.integers(0, 6), min_size=6, max_size=6),
)
def test_no_sibling_count_or_split_reason_of_one_to_four_can_be_worked_out(
    with_all: int, apart: list[int]
) -> None:
    facts = _sibling_facts(with_all, dict(zip([*SplitReason, None], apart, strict=True)))
    report = audit(facts, [], [EDE], JAN, MAR_END)
    _assert_no_small_count_follows(
        _sibling_values(report), _true_counts(facts), [*report.practice, *report.split_reasons]
    )


def _distance_values(report: AuditReport) -> dict[str, set[int]]:
    """Every value a reader could give each distance band and each share's count from the
    placed count, the shares within 5, 10 and 25 km and the chart's bands (the shares are
    sums of the first bands)."""
    n = int(report.cell("placed").value or 0)
    assert not report.cell("placed").suppressed
    bands = report.distance_bands
    shares = [report.cell(f"share_within_{km}km") for km in WITHIN_KM]
    cuts = [DISTANCE_EDGES.index(km) for km in WITHIN_KM]  # bands below each share's cut
    seen: dict[str, set[int]] = {c.metric: set() for c in (*bands, *shares)}
    words = [_count_words(b) for b in bands]
    for first in itertools.product(*(filter(w, range(n + 1)) for w in words[:-2])):
        within = [sum(first[:cut]) for cut in cuts]
        if sum(first) > n or not all(
            _share_words(c, n)(h) for c, h in zip(shares, within, strict=True)
        ):
            continue
        rest = n - sum(first)
        for last in filter(words[-2], range(rest + 1)):
            if not words[-1](rest - last):
                continue
            for b, v in zip(bands, (*first, last, rest - last), strict=True):
                seen[b.metric].add(v)
            for c, h in zip(shares, within, strict=True):
                seen[c.metric].add(h)
    return seen


#: A distance inside each band of DISTANCE_EDGES.
BAND_KM = (2.5, 7.5, 17.0, 37.0, 60.0)


def _distance_facts(per_band: Sequence[int]) -> list[PlacementFact]:
    kms = [km for km, n in zip(BAND_KM, per_band, strict=True) for _ in range(n)]
    return [
        fact(
            i % 20,
            ref=f"d{i}",
            actual=Outcome(HomeType.FOSTER, km, True, None),
            start_date=JAN + timedelta(days=i % 80),
        )
        for i, km in enumerate(kms)
    ]


def _assert_no_distance_count_follows(report: AuditReport, per_band: Sequence[int]) -> None:
    n = sum(per_band)
    truth = {b.metric: v for b, v in zip(report.distance_bands, per_band, strict=True)}
    seen = _distance_values(report)
    for b in report.distance_bands:
        assert truth[b.metric] in seen[b.metric]
        if b.suppressed and 0 < truth[b.metric] < MIN_CELL:
            assert len(seen[b.metric]) > 1, (b.metric, per_band, report.distance_bands)
    for km in WITHIN_KM:
        share = report.cell(f"share_within_{km}km")
        hits = sum(v for v, hi in zip(per_band, DISTANCE_EDGES[1:], strict=False) if hi <= km)
        assert hits in seen[share.metric]
        small = 0 < hits < MIN_CELL or 0 < n - hits < MIN_CELL
        if share.suppressed and small:
            assert len(seen[share.metric]) > 1, (share.metric, per_band)


def test_two_distance_bands_of_four_beside_a_shown_share_give_nothing_away() -> None:
    # 4 children within 5 km, 4 in 5-10 km, 12 in 10-25 km: 20 placed. 8 of 20 within 10
    # km (40 %) with both bands "fewer than 5" would make both 4; the share gives way (the
    # bands are the chart's, the share the table's, but a share is a sum of bands).
    per_band = [4, 4, 12, 0, 0]
    report = audit(_distance_facts(per_band), [], [EDE], JAN, MAR_END)
    assert report.cell("placed").written == 20
    assert [report.cell(f"share_within_{km}km").written for km in WITHIN_KM] == [
        SUPPRESSED,
        SUPPRESSED_SECONDARY,
        SUPPRESSED,
    ]
    assert [b.written for b in report.distance_bands] == [
        SUPPRESSED,
        SUPPRESSED,
        12,
        SUPPRESSED,
        SUPPRESSED,
    ]
    _assert_no_distance_count_follows(report, per_band)


def test_two_shares_never_give_the_small_band_between_them() -> None:
    # 10 within 5 km and 12 within 10 km of 30: the 2 in 5-10 km by subtraction.
    per_band = [10, 2, 10, 5, 3]
    report = audit(_distance_facts(per_band), [], [EDE], JAN, MAR_END)
    assert report.cell("placed").written == 30
    assert report.cell("share_within_10km").written == 0.4
    assert report.cell("share_within_5km").written == SUPPRESSED_SECONDARY
    assert [b.written for b in report.distance_bands] == [
        SUPPRESSED_SECONDARY,
        SUPPRESSED,
        10,
        SUPPRESSED_SECONDARY,
        SUPPRESSED,
    ]
    _assert_no_distance_count_follows(report, per_band)


def test_five_distance_bands_of_four_are_withheld_and_the_placed_count_stays() -> None:
    # Four children in every band: five "fewer than 5" beside 20 placed are five fours,
    # whatever else is hidden. The placed count stays (the engine's column and the months
    # publish it too); the bands are withheld, and one share goes so that 8 within 10 km
    # and 12 within 25 km do not give the 4 between them.
    per_band = [4, 4, 4, 4, 4]
    report = audit(_distance_facts(per_band), [], [EDE], JAN, MAR_END)
    assert report.cell("placed").written == 20
    assert [b.written for b in report.distance_bands] == [SUPPRESSED_SECONDARY] * 5
    assert all(b.withheld for b in report.distance_bands)
    assert [report.cell(f"share_within_{km}km").written for km in WITHIN_KM] == [
        SUPPRESSED,
        SUPPRESSED_SECONDARY,
        0.6,
    ]
    _assert_no_distance_count_follows(report, per_band)


@given(per_band=st.lists(st.integers(0, 7), min_size=5, max_size=5))
def test_no_distance_band_or_share_of_one_to_four_can_be_worked_out(per_band: list[int]) -> None:
    report = audit(_distance_facts(per_band), [], [EDE], JAN, MAR_END)
    if report.cell("placed").suppressed:
        assert all(b.suppressed for b in report.distance_bands)  # fewer than 5 in all
        return
    _assert_no_distance_count_follows(report, per_band)


def test_months_within_a_shown_quarter_give_nothing_away() -> None:
    # January-March 3 each, April 5, May 4, June nobody. Beside 18 placed the months
    # alone protect May; but with most months hidden the page shows quarters, and a
    # second quarter of 9 beside April's 5 and June's 0 would give May's 4.
    per_month = {1: 3, 2: 3, 3: 3, 4: 5, 5: 4, 6: 0}
    facts = [
        fact(i % 20, ref=f"m{m}-{i}", start_date=date(2026, m, 1 + i))
        for m, n in per_month.items()
        for i in range(n)
    ]
    report = audit(facts, [], [EDE], JAN, date(2026, 6, 30))
    months = [p for _, p, _ in report.monthly]
    quarters = [p for _, p, _ in report.quarterly]
    assert report.cell("placed").written == 18
    assert [q.written for q in quarters] == [9, 9]
    assert [m.written for m in months] == [
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED,
        SUPPRESSED_SECONDARY,
        SUPPRESSED,
        0,
    ]
    for q, in_q in zip(quarters, (months[:3], months[3:]), strict=True):
        words = [_count_words(m, zeros_shown=True) for m in in_q]
        parts = _parts_a_reader_can_give(int(q.value or 0), words)
        assert parts is not None
        for m, values in zip(in_q, parts, strict=True):
            assert not m.suppressed or len(values) > 1, (m, values)


def _period_values(report: AuditReport) -> tuple[list[set[int]], list[set[int]]]:
    """Every value a reader could give each month and each quarter from the placed count,
    the months and the quarters (months add up to their quarter, quarters to the count;
    a period of nobody is shown as 0, so a month "fewer than 5" holds 1-4)."""
    months = [p for _, p, _ in report.monthly]
    quarters = [p for _, p, _ in report.quarterly]
    in_quarter = [
        [
            i
            for i, (m, _, _) in enumerate(report.monthly)
            if m[:4] == q[:4] and (int(m[5:]) - 1) // 3 + 1 == int(q[-1])
        ]
        for q, _, _ in report.quarterly
    ]
    placed = report.cell("placed")
    totals = [int(placed.value or 0)] if not placed.suppressed else list(range(MIN_CELL))
    # Per quarter: each total its words allow that its months can make, and their values.
    by_total = []
    for cell, idx in zip(quarters, in_quarter, strict=True):
        words = [_count_words(months[i], zeros_shown=True) for i in idx]
        by_total.append(
            {
                q: parts
                for q in filter(_count_words(cell, zeros_shown=True), range(max(totals) + 1))
                if (parts := _parts_a_reader_can_give(q, words)) is not None
            }
        )
    month_values: list[set[int]] = [set() for _ in months]
    quarter_values: list[set[int]] = [set() for _ in quarters]
    for n in totals:
        options = [lambda q, allowed=allowed: q in allowed for allowed in by_total]
        per_quarter = _parts_a_reader_can_give(n, options)
        for j, values in enumerate(per_quarter or []):
            quarter_values[j] |= values
            for q in values:
                for i, possible in zip(in_quarter[j], by_total[j][q], strict=True):
                    month_values[i] |= possible
    return month_values, quarter_values


@given(
    per_month=st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 4, 5, 6, 9]), min_size=2, max_size=9),
    first=st.sampled_from([1, 2, 3, 11]),
)
def test_no_month_or_quarter_of_one_to_four_can_be_worked_out(
    per_month: list[int], first: int
) -> None:
    starts = []
    y, m = 2025, first
    for _ in per_month:
        starts.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    facts = [
        fact(i % 20, ref=f"p{k}-{i}", start_date=start + timedelta(days=i))
        for k, (start, n) in enumerate(zip(starts, per_month, strict=True))
        for i in range(n)
    ]
    report = audit(facts, [], [EDE], starts[0], date(y, m, 1) - timedelta(days=1))
    month_values, quarter_values = _period_values(report)
    quarter_truth: dict[str, int] = {}
    for start, n in zip(starts, per_month, strict=True):
        q = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        quarter_truth[q] = quarter_truth.get(q, 0) + n
    checks = [
        *zip([p for _, p, _ in report.monthly], per_month, month_values, strict=True),
        *zip(
            [p for _, p, _ in report.quarterly],
            [quarter_truth[q] for q, _, _ in report.quarterly],
            quarter_values,
            strict=True,
        ),
    ]
    for cell, truth, values in checks:
        assert truth in values, (cell, truth, values)
        if cell.suppressed and 0 < truth < MIN_CELL:
            assert len(values) > 1, (per_month, cell, values)


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


def test_a_period_is_partial_where_the_chosen_dates_fall_inside_it() -> None:
    # One decision for the chart's 'deels', monthly.csv and the JSON's `partial`.
    report = audit([], [], [EDE], date(2026, 1, 15), date(2026, 12, 31))
    assert report.cut("2026-01") == (True, False)
    assert not report.partial("2026-02")
    assert not report.partial("2026-12")  # up to its last day
    assert report.partial("2026-Q1")
    assert not report.partial("2026-Q4")
    assert [m["partial"] for m in report.to_json()["monthly"]] == [True] + [False] * 11
