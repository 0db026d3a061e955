"""The municipality screen: the audit report's pieces, the simulated banner and the region
beside the municipality's own figures, never another region."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from matching.audit import REGIONS
from tests.web.conftest import Demo, signed_in


def test_the_municipality_sees_its_own_figures_beside_its_region(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/cijfers").text
    head = page.split('id="cijfers"')[1].split("</thead>")[0]
    assert ">Ede</th>" in head
    assert ">Regio Foodvalley</th>" in head
    assert "Barneveld, Ede, Nijkerk" in page  # the region's municipalities, by name
    assert "0228" not in page


def test_the_screen_says_the_demo_history_is_simulated(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/cijfers").text
    assert "Let op: gesimuleerde gegevens" in page


def test_the_screen_explains_the_engine_column_and_hides_cells_in_words(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/cijfers").text
    assert "over dezelfde kinderen" in page
    assert "betekent niet dat Dichtbij minder kinderen plaatst" in page
    assert "&lt;5" not in page
    assert "specialist_care" not in page


def test_the_municipality_is_refused_another_region(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(REGIONS, "amstelland", ("0363", "0362"))
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        answer = client.get("/cijfers", params={"regio": "amstelland"})
        assert answer.status_code == 403
        assert "Amsterdam" not in answer.text
        assert client.get("/cijfers", params={"regio": "foodvalley"}).status_code == 200


@pytest.mark.parametrize(
    "path", ["/cijfers", "/cijfers/nabijheid.csv", "/cijfers/grafiek-trend.png"]
)
def test_an_end_date_after_today_is_refused_naming_the_field(demo: Demo, path: str) -> None:
    # As the API refuses it: figures to a day that has not come would be made up.
    later = (date.today() + timedelta(days=2)).strftime("%-d-%-m-%Y")
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        answer = client.get(path, params={"van": "1-1-2026", "tot": later})
        assert answer.status_code == 422
        assert "Tot en met" in answer.text
        assert "ligt in de toekomst" in answer.text


def test_the_charts_numbers_are_in_tables_their_text_alternative_points_to(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/cijfers", params={"van": "1-1-2026", "tot": "31-10-2026"}).text
    alts = re.findall(r'<img src="/cijfers/grafiek-[a-z]+\.png[^"]*" alt="([^"]+)"', page)
    assert len(alts) == 3
    assert all("tabel" in alt for alt in alts)  # more than the caption again
    bands = page.split('id="tabel-chart_distances"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<th scope="row">([^<]+)</th>', bands) == [
        "≤ 5 km",
        "5–10 km",
        "10–25 km",
        "25–50 km",
        "&gt; 50 km",
    ]
    assert re.search(r'<td class="num">\d+</td>', bands)
    kinds = page.split('id="tabel-chart_types"', 1)[1].split("</table>", 1)[0]
    assert "Geplaatst in een gezinssituatie" in kinds
    assert "Wat Dichtbij had voorgesteld" in kinds


def test_the_trend_marks_the_periods_the_chosen_dates_cut(demo: Demo) -> None:
    # From the 15th of a month to the 10th of another: the first and last months count only
    # part of their days, and the chart, its table and a note under it say which.
    today = date.today()
    end = date(today.year, today.month, 10) if today.day > 10 else today - timedelta(days=25)
    start = date(end.year - 1 if end.month <= 6 else end.year, (end.month - 7) % 12 + 1, 15)
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/cijfers", params={"van": start.isoformat(), "tot": end.isoformat()})
        chart = client.get(
            "/cijfers/grafiek-trend.png", params={"van": start.isoformat(), "tot": end.isoformat()}
        )
    assert page.status_code == 200, page.text
    assert chart.status_code == 200
    text = page.text
    table = text.split("Verloop door de tijd</caption>")[1].split("</table>")[0]
    rows = re.findall(r"<tr( class=\"partial\")?><th scope=\"row\">([^<]+)</th>", table)
    assert len(rows) >= 3, table
    # Months, unless the demo's municipality is too small for them (then quarters).
    (first_cut, first), (last_cut, last) = rows[0], rows[-1]
    assert first_cut
    assert first.endswith("(deels)")
    assert last_cut
    assert last.endswith("(deels)")
    assert not any(cut for cut, _ in rows[1:-1])
    note = text.split('id="trend-deels">')[1].split("</p>")[0]
    assert "Deels in de gekozen periode" in note
    assert f"vanaf {start.day} " in note
    assert f"tot en met {end.day} " in note
