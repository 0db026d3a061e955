"""CSV import of files as Dutch Excel saves them: encodings, Dutch headers and dates,
semicolons and trailing empty rows, and still every row or none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.services.home_columns import HOME_COLUMNS, canonical_column, iso_date, template_csv
from tests.api.conftest import Client
from tests.api.helpers import assert_problem


def upload(client: Client, data: bytes) -> Any:
    return client.post("/v1/homes/import", files={"file": ("homes.csv", data, "text/csv")})


DUTCH = (
    "Code;Soort;Postcode;Vrije bedden;Leeftijd_min;leeftijd max;Talen;Beschikbaar vanaf;"
    "Zorg.trauma\r\n"
    "H-1;foster;6714;2;0;12;nl ar;1-12-2026;2\r\n"
    "H-2;family_home;6708;3;;;;05-01-2027;\r\n"
    ";;;;;;;;\r\n"
    ";;;;;;;;\r\n"
)


def test_a_dutch_excel_file_is_imported(provider: Client) -> None:
    response = upload(provider, DUTCH.encode("cp1252"))
    assert response.status_code == 200, response.text
    assert response.json() == {"created": ["H-1", "H-2"], "updated": []}
    h1 = provider.get("/v1/homes/H-1").json()
    assert (h1["beds_free"], h1["age_max"], h1["languages"]) == (2, 12, ["nl", "ar"])
    assert h1["available_from"] == "2026-12-01"
    assert h1["capabilities"] == {"trauma": 2}
    assert provider.get("/v1/homes/H-2").json()["available_from"] == "2027-01-05"


def test_a_cp1252_file_is_read_as_cp1252(provider: Client) -> None:
    # "é" is byte 0xE9 in Windows-1252 and not UTF-8: the header cell comes back intact.
    data = "Code;Soort;Postcode;Vrije bedden;Opmerking café\n".encode("cp1252")
    body = assert_problem(upload(provider, data), 422)
    assert [e["column"] for e in body["errors"]] == ["Opmerking café"]


def test_utf16_with_a_byte_order_mark_is_imported(provider: Client) -> None:
    for encoding in ("utf-16", "utf-16-be"):
        data = DUTCH.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        response = upload(provider, data)
        assert response.status_code == 200, (encoding, response.text)
    assert provider.get("/v1/homes").json()["total"] == 2


def test_utf8_with_a_byte_order_mark_is_imported(provider: Client) -> None:
    response = upload(provider, DUTCH.encode("utf-8-sig"))
    assert response.status_code == 200, response.text


def test_utf16_without_a_byte_order_mark_is_refused_by_name(provider: Client) -> None:
    body = assert_problem(upload(provider, DUTCH.encode("utf-16-le")), 422)
    assert "NUL" in body["errors"][0]["reason"]


def test_a_bad_dutch_date_names_row_and_column_and_imports_nothing(provider: Client) -> None:
    text = DUTCH.replace("05-01-2027", "31-02-2027")
    body = assert_problem(upload(provider, text.encode("cp1252")), 422)
    # Named as the file's header writes it, with the API's path beside it.
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3, "Beschikbaar vanaf")]
    assert body["errors"][0]["path"] == "$.available_from"
    # The reason names both ways a file may write a date, as the import reads both.
    assert body["errors"][0]["reason"] == "must be a date (1-12-2026 or 2026-12-01)"
    assert "nothing was imported" in body["detail"]
    assert provider.get("/v1/homes").json()["total"] == 0


def test_an_unknown_dutch_header_is_named_as_written(provider: Client) -> None:
    body = assert_problem(upload(provider, b"Code;Soort;Postcode;Vrije bedden;Kleur\n"), 422)
    assert {e["column"]: e["reason"] for e in body["errors"]} == {"Kleur": "unknown column"}


def test_dutch_names_case_and_spaces_map_to_the_api_names() -> None:
    assert canonical_column(" Vrije Bedden ") == "beds_free"
    assert canonical_column("vrije_bedden") == "beds_free"
    assert canonical_column("ZORG.Trauma") == "capabilities.trauma"
    assert canonical_column("Age_Max") == "age_max"
    assert canonical_column("kleur") == "kleur"


def test_dutch_dates_are_day_first_and_other_text_is_left_to_the_schema() -> None:
    assert iso_date("1-12-2026") == "2026-12-01"
    assert iso_date("01/02/2026") == "2026-02-01"
    assert iso_date("2026-12-01") == "2026-12-01"
    assert iso_date("32-1-2026") == "32-1-2026"


def test_the_template_is_importable_as_it_is(provider: Client) -> None:
    response = upload(provider, template_csv("org-a").encode())
    assert response.status_code == 200, response.text
    header = template_csv("org-a").splitlines()[0].split(",")
    assert {c.name for c in HOME_COLUMNS} <= set(header)


def test_docs_list_every_import_column_with_its_dutch_name() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    for column in HOME_COLUMNS:
        assert f"| `{column.name}` | `{column.dutch}` | {column.kind} |" in docs, column.name
