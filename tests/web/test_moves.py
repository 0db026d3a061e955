"""The screens of a move (doorplaatsing): a placed child's page offers its options with
'Voorstellen', except the home it lives in, and proposing from there holds the new bed."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.builders import child, home
from tests.web.conftest import Demo, csrf_of, sign_in


def _api(client: TestClient, key: str, method: str, url: str, **kwargs: Any) -> Any:
    response = client.request(method, url, headers={"Authorization": f"Bearer {key}"}, **kwargs)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def test_a_placed_childs_page_offers_a_move_and_proposes_it(fresh_demo: Demo) -> None:
    provider, coordinator = fresh_demo.keys["provider"], fresh_demo.keys["coordinator"]
    org = "pleegzorg-gelderland"
    with TestClient(fresh_demo.app) as client:
        residential = home("H-UIT-RES", organisation=org, type="residential", beds_free=1)
        _api(client, provider, "POST", "/v1/homes", json=residential)
        _api(
            client,
            coordinator,
            "POST",
            "/v1/children",
            json=child("C-UIT", residential_reason="safety"),
        )
        made = _api(
            client,
            coordinator,
            "POST",
            "/v1/proposals",
            json={"child_ids": ["C-UIT"], "home_id": "H-UIT-RES"},
        )
        _api(client, provider, "POST", f"/v1/proposals/{made['id']}/accept")
        _api(client, coordinator, "POST", f"/v1/proposals/{made['id']}/confirm")

        sign_in(client, coordinator)
        # The run page lists the placed child among the children moving out (uitstroom).
        run_page = client.get("/matchronde").text
        run = client.post("/matchronde", data={"csrf": csrf_of(run_page, "/matchronde")})
        assert run.status_code == 200, run.text
        uitstroom = run.text.split('id="uitstroom"', 1)[1].split("</ul>", 1)[0]
        assert '<a href="/kinderen/C-UIT">C-UIT</a> woont in residentiële groep H-UIT-RES' in (
            uitstroom
        )

        page = client.get("/kinderen/C-UIT").text
        offered = page.split('action="/voorstellen"')[1:]
        assert offered, "a placed child's page offers moves"
        homes = [f.split('name="home_id" value="', 1)[1].split('"', 1)[0] for f in offered]
        assert "H-UIT-RES" not in homes  # never 'proposed' to the home it lives in
        form = {"csrf": csrf_of(page, "/voorstellen"), "child_ids": "C-UIT", "home_id": homes[0]}
        answer = client.post("/voorstellen", data=form)
        assert answer.status_code == 200, answer.text
        assert f"Voorgesteld aan woonplek {homes[0]}" in answer.text
        after = _api(client, coordinator, "GET", "/v1/children/C-UIT")
        assert (after["status"], after["current_home"]) == ("proposed", "H-UIT-RES")
