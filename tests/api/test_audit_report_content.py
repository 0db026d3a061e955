"""What the audit page says: names not codes, the simulated banner, the engine's column on
the same children, hidden cells in words, readable trends, and escaping."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

from api.reports.audit import HIDDEN, HIDDEN_SECONDARY, ReportMeta, metrics_frame, write_report
from matching.audit import REGIONS, SUPPRESSED, PlacementFact, audit
from matching.model import SplitReason
from tests.matching.test_audit import (
    EDE,
    JAN,
    MAR_END,
    _distance_facts,
    _sibling_facts,
    fact,
    fixture,
    waiting,
)

MADE = date(2026, 4, 2)


def _page(tmp_path: Path, facts: list[PlacementFact], lang: str = "nl", **meta: object) -> str:
    report = audit(facts, waiting(), [EDE], JAN, MAR_END)
    folder = tmp_path / lang
    write_report(report, folder, lang=lang, meta=ReportMeta(made_on=MADE, **meta))  # type: ignore[arg-type]
    return (folder / "index.html").read_text()


def test_the_page_names_the_municipality_and_the_date_it_was_made(tmp_path: Path) -> None:
    page = _page(tmp_path, fixture())
    assert "Ede" in page
    assert EDE not in page.split("<body>")[1].split("data:image")[0]
    assert "2 april 2026" in page
    assert "1 januari 2026 – 31 maart 2026" in page


def test_a_region_is_named_when_the_report_covers_all_its_municipalities(tmp_path: Path) -> None:
    codes = list(REGIONS["foodvalley"])
    report = audit(fixture(), waiting(), codes, JAN, MAR_END)
    write_report(report, tmp_path, meta=ReportMeta(made_on=MADE))
    page = (tmp_path / "index.html").read_text()
    assert "Regio: Regio Foodvalley" in page
    for name in ("Barneveld", "Ede", "Veenendaal", "Wageningen"):
        assert name in page


def test_simulated_data_carries_a_banner_and_real_data_does_not(tmp_path: Path) -> None:
    simulated = _page(tmp_path / "sim", fixture(), simulated=True)
    real = _page(tmp_path / "real", fixture())
    assert "Let op: gesimuleerde gegevens" in simulated
    assert 'class="banner"' in simulated
    assert "gesimuleerd" not in real
    assert 'class="banner"' not in real
    english = _page(tmp_path / "sim", fixture(), lang="en", simulated=True)
    assert "Note: simulated data" in english


def test_hidden_cells_read_as_hidden_never_as_under_five(tmp_path: Path) -> None:
    page = _page(tmp_path, fixture())
    tables = page.split("<footer>")[0]
    assert SUPPRESSED not in tables
    assert "&lt;5" not in tables
    assert HIDDEN["nl"] in page  # breakdowns: two children
    assert HIDDEN["en"] in _page(tmp_path, fixture(), lang="en")


def test_no_raw_codes_for_split_reasons(tmp_path: Path) -> None:
    page = _page(tmp_path, fixture())
    for code in ("specialist_care", "severe_conflict", "not_recorded", "sexual_abuse"):
        assert code not in page
    assert "Ernstig conflict tussen broers/zussen" in page


def test_the_engine_column_is_explained_and_counts_the_same_children(tmp_path: Path) -> None:
    # Twenty children placed, only the first twelve through a proposal in Dichtbij.
    facts = [
        f if i < 12 else dataclasses.replace(f, engine=None) for i, f in enumerate(fixture()[:20])
    ]
    page = _page(tmp_path, facts)
    assert "Dat zijn er 12 van de 20 kinderen in deze periode." in page
    assert "betekent niet dat Dichtbij minder kinderen plaatst" in page
    compare = page.split("over dezelfde kinderen</h2>")[1].split("</table>")[0]
    # Both columns of the comparison count the same twelve children.
    assert "<td>Geplaatste kinderen</td><td>12</td><td>12</td>" in compare


def test_without_any_engine_counterpart_the_page_says_there_is_nothing_to_compare(
    tmp_path: Path,
) -> None:
    facts = [dataclasses.replace(f, engine=None) for f in fixture()]
    page = _page(tmp_path, facts)
    assert "er is dus niets te vergelijken" in page
    assert "Praktijk (dezelfde kinderen)" not in page


def test_a_trend_of_small_months_is_shown_per_quarter(tmp_path: Path) -> None:
    # Two children a month for a year: every month hidden, every quarter shown.
    facts = [
        fact(i % 20, ref=f"s{i}", start_date=date(2026, 1, 1) + timedelta(days=15 * i))
        for i in range(24)
    ]
    report = audit(facts, [], [EDE], JAN, date(2026, 12, 31))
    write_report(report, tmp_path, meta=ReportMeta(made_on=MADE))
    page = (tmp_path / "index.html").read_text()
    assert '<th scope="col">Kwartaal</th>' in page
    assert "<td>K1 2026</td><td>6</td>" in page
    assert "januari 2026" not in page.split("Verloop door de tijd")[1]


def test_a_trend_of_large_months_is_shown_per_month(tmp_path: Path) -> None:
    facts = [fact(i % 20, ref=f"m{i}", start_date=date(2026, 1 + i % 3, 10)) for i in range(60)]
    report = audit(facts, [], [EDE], JAN, MAR_END)
    write_report(report, tmp_path, meta=ReportMeta(made_on=MADE))
    page = (tmp_path / "index.html").read_text()
    assert "<td>januari 2026</td><td>20</td>" in page


def test_a_malicious_municipality_name_is_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    page = _page(tmp_path, fixture(), names={EDE: evil})
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_cell_hidden_to_protect_a_small_one_says_so_on_the_page_and_in_the_csv(
    tmp_path: Path,
) -> None:
    # 12 foster, 5 small-scale, 3 residential: residential is small (3); small-scale (5) is
    # hidden only so that 20 - 12 - 5 cannot reveal it, and must not claim "fewer than 5".
    page = _page(tmp_path, fixture())
    row = page.split("Geplaatst in een kleinschalige voorziening", 1)[1].split("</tr>", 1)[0]
    assert "verborgen (om een kleine groep te beschermen)" in row
    assert HIDDEN["nl"] not in row
    residential = page.split("Geplaatst in een leef- of behandelgroep", 1)[1].split("</tr>")[0]
    assert HIDDEN["nl"] in residential
    metrics = (tmp_path / "nl" / "metrics.csv").read_text().splitlines()
    small_scale = next(line for line in metrics if line.startswith("placed_small_scale,"))
    assert ",hidden," in small_scale
    assert next(line for line in metrics if line.startswith("placed_residential,")).count("<5")
    monthly = (tmp_path / "nl" / "monthly.csv").read_text()
    assert "2026-01,hidden," in monthly  # January (8) protects March (3)


def test_withheld_split_reasons_read_as_protecting_on_the_page_in_the_csv_and_json(
    tmp_path: Path,
) -> None:
    # Every reason 4 beside 24 apart: the reasons are withheld, never "fewer than 5".
    report = audit(
        _sibling_facts(0, dict.fromkeys([*SplitReason, None], 4)), [], [EDE], JAN, MAR_END
    )
    write_report(report, tmp_path, meta=ReportMeta(made_on=MADE))
    page = (tmp_path / "index.html").read_text()
    reasons = page.split("Redenen voor het scheiden van broers en zussen")[1].split("</table>")[0]
    assert reasons.count(HIDDEN_SECONDARY["nl"]) == 6
    assert HIDDEN["nl"] not in reasons
    lines = (tmp_path / "split_reasons.csv").read_text().splitlines()
    assert lines[1:] == [
        f"{r},hidden"
        for r in ("specialist_care", "sibling_threat", "severe_conflict", "sexual_abuse_suspected")
    ] + ["other,hidden", "not_recorded,hidden"]
    assert set(report.to_json()["split_reasons"].values()) == {SUPPRESSED}


def test_withheld_distance_bands_read_as_protecting_in_the_charts_table(tmp_path: Path) -> None:
    # Four children in every band: the bands are withheld, 20 placed stays, and the share
    # within 10 km is hidden so that it and the share within 25 km do not give 4 away.
    report = audit(_distance_facts([4, 4, 4, 4, 4]), [], [EDE], JAN, MAR_END)
    write_report(report, tmp_path, meta=ReportMeta(made_on=MADE))
    page = (tmp_path / "index.html").read_text()
    bands = page.split("Afstand tot de ouders</th>")[1].split("</table>")[0]
    rows = bands.split("<tr>")[1:]
    assert len(rows) == 5
    # All children and practice over the children with an engine counterpart (the same
    # twenty): every band withheld; the engine's own bands come after.
    for row in rows:
        cells = row.split("<td")[2:4]
        assert all(HIDDEN_SECONDARY["nl"] in c for c in cells), row
    frame = metrics_frame(report).set_index("metric")
    assert frame.loc["placed", "practice"] == 20
    assert frame.loc["share_within_10km", "practice"] == "hidden"
    assert frame.loc["share_within_25km", "practice"] == 0.6


def test_monthly_csv_says_which_months_the_chosen_dates_cut_as_the_page_does(
    tmp_path: Path,
) -> None:
    # 15 January to 10 March: January and March count only part of their days. The page's
    # trend calls them 'deels'; monthly.csv said nothing of it.
    report = audit(fixture(), waiting(), [EDE], date(2026, 1, 15), date(2026, 3, 10))
    write_report(report, tmp_path, meta=ReportMeta(made_on=MADE))
    rows = (tmp_path / "monthly.csv").read_text().splitlines()
    assert rows[0] == "month,placed,share_within_10km,partial"
    assert [(r.split(",")[0], r.split(",")[-1]) for r in rows[1:]] == [
        ("2026-01", "True"),
        ("2026-02", "False"),
        ("2026-03", "True"),
    ]
    # This small municipality's trend is shown by quarter: the one it shows is cut too.
    assert "K1 2026 (deels)" in (tmp_path / "index.html").read_text()
