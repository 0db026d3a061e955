"""``GET /v1/audit/proximity``: aggregates for a municipality's own children, nothing else."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tests.api.conftest import Api, Client
from tests.api.helpers import add_child, add_home, assert_problem, confirmed_proposal

PERIOD = {"from": "2026-01-01", "to": "2026-11-23"}  # up to the clock's day
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def placed(coordinator: Client, provider: Client) -> None:
    """Ten children of Ede parents placed: five 1 km away in Ede, five in Veenendaal (7.7 km);
    two children of Wageningen parents placed in Ede."""
    for i in range(12):
        near = i < 5 or i >= 10
        add_home(provider, f"H-{i}", postcode="6714" if near else "3905")
        parents = "6712" if i < 10 else "6708"
        add_child(coordinator, f"C-{i}", parents_postcode=parents, age=9)
        confirmed_proposal(coordinator, provider, [f"C-{i}"], f"H-{i}")


def test_municipality_sees_its_own_aggregates(placed: None, municipality: Client) -> None:
    response = municipality.get("/v1/audit/proximity", params={"municipality": "0228", **PERIOD})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["municipalities"] == ["0228"]
    practice = body["practice"]
    assert practice["placed"] == 10
    assert practice["share_within_5km"] == 0.5
    assert practice["share_outside_own_municipality"] == 0.5
    assert practice["share_within_10km"] == "<5"  # all ten: the complement is zero children
    assert practice["distance_median_km"] == 4.3  # (1.0 + 7.7) / 2 = 4.35, shown to 0.1 km
    assert practice["breakdowns"] == "<5"


def test_the_engines_choice_at_proposal_time_is_the_counterpart(
    placed: None, municipality: Client
) -> None:
    # Each child was proposed when only its own home was still free: the engine's best
    # option then was that same home, so the two columns agree.
    body = municipality.get("/v1/audit/proximity", params={"municipality": "0228", **PERIOD}).json()
    assert body["engine"]["placed"] == 10
    assert body["engine"]["share_within_5km"] == body["practice"]["share_within_5km"] == 0.5


def test_no_child_identifier_or_postcode_leaves_the_audit(
    placed: None, municipality: Client
) -> None:
    text = municipality.get("/v1/audit/proximity", params={"municipality": "0228", **PERIOD}).text
    for secret in ("C-1", "H-1", "6712", "6714", "3905"):
        assert secret not in text


def test_a_municipality_key_cannot_read_another_municipalitys_figures(
    placed: None, api: Api
) -> None:
    wageningen = api.as_role("municipality", "gemeente-wageningen", "0289")
    response = wageningen.get("/v1/audit/proximity", params={"municipality": "0228", **PERIOD})
    assert_problem(response, 403)
    region = wageningen.get("/v1/audit/proximity", params={"region": "foodvalley", **PERIOD})
    assert_problem(region, 403)
    own = wageningen.get("/v1/audit/proximity", params={"municipality": "0289", **PERIOD})
    assert own.json()["practice"]["placed"] == "<5"  # two children


def test_admin_sees_a_regional_view(placed: None, admin: Client) -> None:
    body = admin.get("/v1/audit/proximity", params={"region": "foodvalley", **PERIOD}).json()
    assert body["practice"]["placed"] == 12
    assert len(body["municipalities"]) == 8


@pytest.mark.parametrize("who", ["coordinator", "provider", "anonymous"])
def test_other_roles_get_no_aggregates(
    placed: None, who: str, request: pytest.FixtureRequest
) -> None:
    client: Client = request.getfixturevalue(who)
    response = client.get("/v1/audit/proximity", params={"municipality": "0228", **PERIOD})
    assert response.status_code == (401 if who == "anonymous" else 403)


def test_csv_and_png_variants(placed: None, municipality: Client) -> None:
    params = {"municipality": "0228", **PERIOD}
    csv = municipality.get("/v1/audit/proximity.csv", params=params)
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.splitlines()
    # The first five columns as outside readers know them; the like-for-like one added.
    assert lines[0] == "metric,label,practice,engine,unit,practice_same_children_as_engine"
    assert any(line.startswith("placed,") and ",10," in line for line in lines)
    for chart in ("distances", "trend", "types"):
        png = municipality.get("/v1/audit/proximity.png", params={**params, "chart": chart})
        assert png.status_code == 200
        assert png.headers["content-type"] == "image/png"
        assert png.content.startswith(PNG_MAGIC)


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"municipality": "12", **PERIOD}, "$.municipality"),
        ({"municipality": "9999", **PERIOD}, "$.municipality"),
        ({"municipality": "0000", **PERIOD}, "$.municipality"),
        ({"region": "atlantis", **PERIOD}, "$.region"),
        ({**PERIOD}, "$.municipality"),
        ({"municipality": "0228", "from": "2026-12-01", "to": "2026-01-01"}, "$.from"),
    ],
)
def test_bad_queries_are_rejected_naming_the_field(
    admin: Client, params: dict[str, str], path: str
) -> None:
    body = assert_problem(admin.get("/v1/audit/proximity", params=params), 422)
    assert path in json.dumps(body)


def test_audit_command_writes_a_report_folder_from_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.cli import main

    folder = tmp_path
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder / 'audit.sqlite3'}")
    out = io.StringIO()
    argv = ["audit", "--region", "foodvalley", "--from", "2026-01-01", "--to", "2026-06-30"]
    assert main([*argv, "--out", str(folder / "report")], out=out) == 0
    names = {p.name for p in (folder / "report").iterdir()}
    assert {"index.html", "metrics.csv", "distances.png", "trend.png", "types.png"} <= names
    assert "kinderen geplaatst" in out.getvalue()


def test_audit_command_rejects_an_unknown_municipality(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from api.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    argv = ["audit", "--municipality", "12", "--from", "2026-01-01", "--to", "2026-02-01"]
    assert main(argv) == 2
    assert "--municipality" in capsys.readouterr().err


def test_the_simulated_demo_history_feeds_the_audit_and_is_never_offered(
    api: Api, admin: Client, coordinator: Client
) -> None:
    from api.services.history import load_history

    n = load_history(api.uow, api.clock.now())
    params = {"region": "foodvalley", "from": "2026-01-01", "to": "2026-10-31"}
    body = admin.get("/v1/audit/proximity", params=params).json()
    assert body["practice"]["placed"] == n
    assert isinstance(body["engine"]["placed"], int)
    assert body["engine"]["placed"] < n  # the engine never splits a group without a reason
    assert isinstance(body["practice"]["breakdowns"], int)
    homes = coordinator.get("/v1/homes", params={"limit": 500}).json()
    assert not [h for h in homes["items"] if h["id"].startswith("HIST-")]


def test_the_engines_choice_records_whether_siblings_stay_together(
    api: Api, coordinator: Client, provider: Client
) -> None:
    from sqlalchemy import select

    from api.db.tables import PlacementRow

    add_home(provider, "H-2", beds_free=2)
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    add_child(coordinator, "C-3")
    confirmed_proposal(coordinator, provider, ["C-1", "C-2"], "H-2")
    confirmed_proposal(coordinator, provider, ["C-3"], "H-1")
    with api.uow.read() as tx:
        rows = tx.session.execute(select(PlacementRow.child_id, PlacementRow.engine_together))
        together = dict(rows.all())
    # The pair's best option was the two-bed home for both; C-3 has no siblings to keep.
    assert together == {"C-1": True, "C-2": True, "C-3": None}


def test_storing_the_simulated_history_marks_the_database_as_simulated(api: Api) -> None:
    from api.services.history import history_simulated, load_history

    assert history_simulated(api.uow) is False
    load_history(api.uow, api.clock.now())
    assert history_simulated(api.uow) is True


def test_the_audit_command_banners_a_database_with_simulated_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from api.cli import main
    from api.db.engine import make_engine, migrate
    from api.db.uow import UnitOfWork
    from api.services.history import load_history

    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    argv = ["audit", "--region", "foodvalley", "--from", "2026-01-01", "--to", "2026-10-31"]
    assert main([*argv, "--out", str(tmp_path / "real")], out=io.StringIO()) == 0
    engine = make_engine(url)
    migrate(engine)
    load_history(UnitOfWork(engine), datetime(2026, 11, 1, tzinfo=UTC))
    engine.dispose()
    out = io.StringIO()
    assert main([*argv, "--out", str(tmp_path / "sim")], out=out) == 0
    assert "gesimuleerde plaatsingen" in out.getvalue()
    simulated = (tmp_path / "sim" / "index.html").read_text()
    assert "Let op: gesimuleerde gegevens" in simulated
    assert "Regio Foodvalley" in simulated
    assert "Let op" not in (tmp_path / "real" / "index.html").read_text()


def test_a_region_figure_is_hidden_when_the_other_municipalities_part_is_small(
    placed: None, api: Api
) -> None:
    from datetime import date

    from api.services.access import Caller, Role
    from api.services.proximity import region_view

    start, end = date(2026, 1, 1), date(2026, 12, 31)
    ede = Caller(Role.MUNICIPALITY, "gemeente-ede", "0228")
    view = region_view(api.uow, ede, "foodvalley", start, end)
    cells = {c.metric: c for c in view.practice}
    # Twelve placed in the region, ten of them Ede's: the other two would follow by
    # subtraction, so Ede sees the region's count hidden; not as "fewer than 5", which
    # twelve are not, but as hidden to protect a small group.
    assert cells["placed"].suppressed
    assert cells["placed"].written == "hidden"
    admin = Caller(Role.ADMIN, "beheer")
    whole = {c.metric: c for c in region_view(api.uow, admin, "foodvalley", start, end).practice}
    assert whole["placed"].shown == 12


def test_a_municipality_sees_its_region_with_enough_children_elsewhere(
    placed: None, api: Api, coordinator: Client, provider: Client
) -> None:
    from datetime import date

    from api.services.access import Caller, Role
    from api.services.proximity import region_view

    for i in range(12, 18):  # six more Wageningen children: eight in all
        add_home(provider, f"H-{i}", postcode="6714")
        add_child(coordinator, f"C-{i}", parents_postcode="6708", age=9)
        confirmed_proposal(coordinator, provider, [f"C-{i}"], f"H-{i}")
    ede = Caller(Role.MUNICIPALITY, "gemeente-ede", "0228")
    view = region_view(api.uow, ede, "foodvalley", date(2026, 1, 1), date(2026, 12, 31))
    cells = {c.metric: c for c in view.practice}
    assert cells["placed"].shown == 18


def test_a_municipality_is_refused_another_regions_aggregate(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from api.services.access import Caller, Role
    from api.services.errors import ForbiddenError
    from api.services.proximity import region_view
    from matching.audit import REGIONS

    monkeypatch.setitem(REGIONS, "amstelland", ("0363", "0362"))
    ede = Caller(Role.MUNICIPALITY, "gemeente-ede", "0228")
    with pytest.raises(ForbiddenError):
        region_view(api.uow, ede, "amstelland", date(2026, 1, 1), date(2026, 12, 31))


def test_waiting_by_sibling_group_size_counts_the_whole_connected_group(
    api: Api, coordinator: Client
) -> None:
    # A chain: C-1 and C-3 are each linked to C-2 only, yet all three are one group.
    from api.db.proximity import waiting_facts

    add_child(coordinator, "C-1", parents_postcode="6712")
    add_child(coordinator, "C-2", parents_postcode="6712", siblings=["C-1"])
    add_child(coordinator, "C-3", parents_postcode="6712", siblings=["C-2"])
    add_child(coordinator, "C-alone", parents_postcode="6712")
    with api.uow.read() as tx:
        facts = waiting_facts(tx.session, ["0228"], api.clock.now().date())
    sizes = {f.ref: f.sibling_group_size for f in facts}
    assert sizes == {"C-1": 3, "C-2": 3, "C-3": 3, "C-alone": 1}


def test_a_municipality_keys_api_answer_shows_its_region_as_its_screen_does(
    placed: None, municipality: Client, admin: Client, api: Api
) -> None:
    from datetime import date

    from api.services.access import Caller, Role
    from api.services.proximity import region_view

    body = municipality.get("/v1/audit/proximity", params={"municipality": "0228", **PERIOD})
    assert body.status_code == 200, body.text
    region = body.json()["region"]
    assert region["region"] == "foodvalley"
    assert "0228" in region["municipalities"]
    # The same cells, suppressed the same way, as the screen's region column.
    ede = Caller(Role.MUNICIPALITY, "gemeente-ede", "0228")
    view = region_view(api.uow, ede, "foodvalley", date(2026, 1, 1), date(2026, 12, 31))
    assert region["practice"] == {c.metric: c.shown for c in view.practice}
    assert region["practice"]["placed"] == "<5"  # Ede's ten of twelve: the rest is small
    whole = admin.get("/v1/audit/proximity", params={"municipality": "0228", **PERIOD}).json()
    assert whole["region"]["practice"]["placed"] == 12
    two = admin.get("/v1/audit/proximity", params={"municipality": "0228,0289", **PERIOD}).json()
    assert two["region"] is None


@pytest.mark.parametrize("suffix", ["", ".csv", ".png"])
def test_an_end_after_today_is_refused_naming_the_field(admin: Client, suffix: str) -> None:
    # Figures to a day that has not come would be made up: the wait measured to it, today's
    # waiting list as its end. The clock's day (2026-11-23) is the last one allowed.
    params = {"municipality": "0228", "from": "2026-01-01", "to": "2026-11-24"}
    body = assert_problem(admin.get(f"/v1/audit/proximity{suffix}", params=params), 422)
    assert body["errors"] == [{"location": "query", "path": "$.to", "reason": "is in the future"}]
    params["to"] = "2026-11-23"
    assert admin.get(f"/v1/audit/proximity{suffix}", params=params).status_code == 200


def test_each_month_says_whether_the_chosen_dates_cut_it(
    placed: None, municipality: Client
) -> None:
    # The chart and the page call a cut month 'deels' (it counts only part of its days and
    # reads as a dip); the JSON said nothing of it.
    cut = municipality.get(
        "/v1/audit/proximity",
        params={"municipality": "0228", "from": "2026-01-15", "to": "2026-11-23"},
    )
    assert cut.status_code == 200, cut.text
    months = {m["month"]: m["partial"] for m in cut.json()["monthly"]}
    assert months["2026-01"] is True
    assert months["2026-11"] is True
    assert not any(
        partial for month, partial in months.items() if month not in ("2026-01", "2026-11")
    )
    whole = municipality.get(
        "/v1/audit/proximity",
        params={"municipality": "0228", "from": "2026-01-01", "to": "2026-10-31"},
    ).json()
    assert [m["partial"] for m in whole["monthly"]] == [False] * 10
    assert set(whole["monthly"][0]) == {"month", "placed", "share_within_10km", "partial"}
