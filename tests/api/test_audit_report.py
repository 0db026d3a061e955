"""The audit report folder: CSV files, valid PNG charts and an offline HTML page."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from api.audit_report import write_report
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
