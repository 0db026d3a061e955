"""The screens' CSV downloads and import as Dutch Excel users need them."""

from __future__ import annotations

from tests.web.conftest import Demo, csrf_of, import_homes, signed_in


def test_the_figures_download_comes_in_excel_nl_on_request(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["municipality"]) as client:
        plain = client.get("/cijfers/nabijheid.csv")
        excel = client.get("/cijfers/nabijheid.csv", params={"formaat": "excel-nl"})
        assert plain.status_code == excel.status_code == 200, excel.text
        assert not plain.content.startswith(b"\xef\xbb\xbf")
        assert plain.text.splitlines()[0].count(",") >= 4
        assert excel.content.startswith(b"\xef\xbb\xbf")
        assert excel.content.decode("utf-8-sig").splitlines()[0].count(";") >= 4
        assert client.get("/cijfers/nabijheid.csv", params={"formaat": "xls"}).status_code == 422
        # The figures page offers both downloads.
        page = client.get("/cijfers").text
        assert "/cijfers/nabijheid.csv?" in page
        assert "formaat=excel-nl" in page


def test_a_utf16_file_with_dutch_headers_imports_through_the_screen(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        # What Excel writes as "Unicode text": UTF-16 with a BOM, tab-separated.
        text = (
            "Code\tSoort\tPostcode\tVrije bedden\tBeschikbaar vanaf\r\n"
            "H-XL-1\tfoster\t6711\t1\t1-12-2026\r\n"
        )
        response = import_homes(client, text.encode("utf-16"))
        assert response.status_code == 200, response.text
        assert "H-XL-1" in client.get("/woonplekken").text


def test_the_import_page_lists_the_columns_and_words_column_problems_in_dutch(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken/importeren").text
        assert "<code>vrije_bedden</code>" in page
        token = csrf_of(page, "/woonplekken/importeren")
        data = "Code;Soort;Postcode;Vrije bedden;Opmerking café\n".encode("cp1252")
        refused = client.post(
            "/woonplekken/importeren",
            data={"csrf": token},
            files={"file": ("woonplekken.csv", data, "text/csv")},
        )
        assert refused.status_code == 422
        assert "Opmerking café" in refused.text
        assert "onbekende kolom" in refused.text
