"""The audit report folder: CSV files, valid PNG charts and an offline HTML page."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

from api.reports.audit import metrics_frame, write_report
from matching.audit import SUPPRESSED, audit
from tests.matching.test_audit import EDE, JAN, MAR_END, fixture, waiting

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_report_folder_has_csv_png_and_html(tmp_path: Path) -> None:
    report = audit(fixture(), waiting(), [EDE], JAN, MAR_END)
    files = write_report(report, tmp_path)
    names = sorted(p.name for p in files)
    assert names == [
        "distances.png",
        "index.html",
        "metrics.csv",
        "monthly.csv",
        "split_reasons.csv",
        "trend.png",
        "types.png",
    ]
    for png in tmp_path.glob("*.png"):
        data = png.read_bytes()
        assert data.startswith(PNG_MAGIC)
        assert len(data) > 2000
    with (tmp_path / "metrics.csv").open() as fh:
        rows = {r["metric"]: r for r in csv.DictReader(fh)}
    assert rows["placed"]["practice"] == "20"
    assert rows["breakdowns"]["practice"] == SUPPRESSED
    page = (tmp_path / "index.html").read_text()
    assert page.count("data:image/png;base64,") == 3  # opens offline: nothing linked
    assert "http" not in page
    assert "Geplaatste kinderen" in page


def test_report_never_contains_child_references(tmp_path: Path) -> None:
    report = audit(fixture(), waiting(), [EDE], JAN, MAR_END)
    write_report(report, tmp_path, lang="en")
    for path in tmp_path.glob("*"):
        if path.suffix in {".csv", ".html"}:
            # Chart images are base64: letters in them are not text, so leave them out.
            text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", path.read_text())
            assert "r17" not in text
            assert "old1" not in text
    assert "Children placed" in (tmp_path / "index.html").read_text()


def test_html_numbers_read_as_people_write_them(tmp_path: Path) -> None:
    report = audit(fixture(), waiting(), [EDE], JAN, MAR_END)
    write_report(report, tmp_path / "nl")
    write_report(report, tmp_path / "en", lang="en")
    dutch = (tmp_path / "nl" / "index.html").read_text()
    english = (tmp_path / "en" / "index.html").read_text()
    assert "<td>10,5</td>" in dutch  # the median distance, with a decimal comma
    assert "<td>10.5</td>" in english
    assert "<td>25 %</td>" in dutch  # share within 5 km


def test_a_short_distance_is_never_shown_as_a_percentage(tmp_path: Path) -> None:
    from matching.audit import Outcome
    from matching.model import HomeType
    from tests.matching.test_audit import fact

    near = [
        fact(i, actual=Outcome(HomeType.FOSTER, 0.8, True, None), ref=f"n{i}") for i in range(20)
    ]
    write_report(audit(near, [], [EDE], JAN, MAR_END), tmp_path)
    page = (tmp_path / "index.html").read_text()
    assert "<td>0,8</td>" in page
    assert "80%" not in page


def test_the_csv_compares_the_engine_with_practice_over_the_same_children() -> None:
    # Only the first 12 children have a recorded engine counterpart: practice over all 20
    # beside the engine over 12 compares different children and could flip the conclusion.
    facts = [f if i < 12 else dataclasses.replace(f, engine=None) for i, f in enumerate(fixture())]
    report = audit(facts, waiting(), [EDE], JAN, MAR_END)
    frame = metrics_frame(report)
    assert list(frame.columns) == [
        "metric",
        "label",
        "practice",
        "engine",
        "unit",
        "practice_same_children_as_engine",
    ]
    rows = {r["metric"]: r for r in frame.to_dict("records")}
    assert (rows["placed"]["practice"], rows["placed"]["engine"]) == (20, 12)
    assert rows["placed"]["practice_same_children_as_engine"] == 12
    same = {c.metric: c.shown for c in report.paired_practice}
    assert (
        rows["distance_median_km"]["practice_same_children_as_engine"]
        == (same["distance_median_km"])
    )
    assert rows["distance_median_km"]["practice"] != same["distance_median_km"]
    assert rows["breakdowns"]["practice_same_children_as_engine"] == ""  # no counterpart
