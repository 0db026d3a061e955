"""The audit CSV as Dutch Excel opens it (``format=excel-nl``), beside the plain CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from api.services.csv_formats import in_format
from tests.api.conftest import Client
from tests.api.helpers import add_child, add_home, assert_problem, confirmed_proposal

PARAMS = {"municipality": "0228", "from": "2026-01-01", "to": "2026-11-23"}
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def placed(coordinator: Client, provider: Client) -> None:
    """Ten children placed: enough not to be suppressed, at distances with decimals."""
    for i, postcode in enumerate(["6714", "3905"] * 5):
        add_home(provider, f"H-{i}", postcode=postcode)
        add_child(coordinator, f"C-{i}", parents_postcode="6712", age=9)
        confirmed_proposal(coordinator, provider, [f"C-{i}"], f"H-{i}")


def test_excel_nl_has_semicolons_decimal_commas_and_a_bom() -> None:
    plain = (
        "metric,label,practice,unit\nmedian,Mediaan,4.35,km\nsmall,Klein,<5,\nmonth,M,2026-12,\n"
    )
    data = in_format(plain, "excel-nl")
    assert data.startswith(BOM)
    assert data.decode("utf-8-sig").splitlines() == [
        "metric;label;practice;unit",
        "median;Mediaan;4,35;km",
        "small;Klein;<5;",
        "month;M;2026-12;",
    ]


def test_excel_nl_quotes_cells_with_a_semicolon_and_plain_stays_as_it_was() -> None:
    assert in_format('a,b\n"x;y",1.5\n', "excel-nl").decode("utf-8-sig") == 'a;b\r\n"x;y";1,5\r\n'
    assert in_format("a,b\n1.5,2\n", "csv") == b"a,b\n1.5,2\n"


def test_the_audit_csv_in_excel_nl_holds_the_plain_csvs_figures(
    placed: None, municipality: Client
) -> None:
    plain = municipality.get("/v1/audit/proximity.csv", params=PARAMS)
    excel = municipality.get("/v1/audit/proximity.csv", params={**PARAMS, "format": "excel-nl"})
    assert excel.status_code == 200, excel.text
    assert excel.headers["content-type"].startswith("text/csv")
    assert excel.content.startswith(BOM)
    plain_rows = list(csv.reader(io.StringIO(plain.text)))
    excel_rows = list(csv.reader(io.StringIO(excel.content.decode("utf-8-sig")), delimiter=";"))
    assert len(excel_rows) == len(plain_rows) > 1
    decimals = 0
    for p_row, e_row in zip(plain_rows, excel_rows, strict=True):
        for p_cell, e_cell in zip(p_row, e_row, strict=True):
            if "." in p_cell and p_cell.replace(".", "", 1).lstrip("-").isdigit():
                decimals += 1
                assert e_cell == p_cell.replace(".", ",")
            else:
                assert e_cell == p_cell
    assert decimals > 0  # the report has distances with decimals to convert


def test_an_unknown_csv_format_is_refused_naming_the_parameter(
    placed: None, municipality: Client
) -> None:
    response = municipality.get("/v1/audit/proximity.csv", params={**PARAMS, "format": "xlsx"})
    body = assert_problem(response, 422)
    assert "format" in str(body["errors"])


def test_audit_command_writes_excel_nl_csv_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    argv = ["audit", "--region", "foodvalley", "--from", "2026-01-01", "--to", "2026-06-30"]
    report = tmp_path / "report"
    assert main([*argv, "--out", str(report), "--csv-format", "excel-nl"], out=io.StringIO()) == 0
    for name in ("metrics.csv", "monthly.csv", "split_reasons.csv"):
        data = (report / name).read_bytes()
        assert data.startswith(BOM), name
        assert ";" in data.decode("utf-8-sig").splitlines()[0], name
