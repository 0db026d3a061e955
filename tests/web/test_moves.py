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


def _add_home(client: TestClient, provider: str, home_id: str, **fields: Any) -> None:
    """A home of the demo provider's organisation."""
    made = home(home_id, organisation="pleegzorg-gelderland", **fields)
    _api(client, provider, "POST", "/v1/homes", json=made)


def _add_child(client: TestClient, coordinator: str, child_id: str, **fields: Any) -> None:
    _api(client, coordinator, "POST", "/v1/children", json=child(child_id, **fields))


def _propose(client: TestClient, coordinator: str, child_id: str, home_id: str) -> Any:
    body = {"child_ids": [child_id], "home_id": home_id}
    return _api(client, coordinator, "POST", "/v1/proposals", json=body)


def _place(
    client: TestClient, provider: str, coordinator: str, child_id: str, home_id: str
) -> None:
    """``child_id`` proposed to ``home_id``, accepted and confirmed: it lives there."""
    made = _propose(client, coordinator, child_id, home_id)
    _api(client, provider, "POST", f"/v1/proposals/{made['id']}/accept")
    _api(client, coordinator, "POST", f"/v1/proposals/{made['id']}/confirm")


def test_a_placed_childs_page_offers_a_move_and_proposes_it(fresh_demo: Demo) -> None:
    provider, coordinator = fresh_demo.keys["provider"], fresh_demo.keys["coordinator"]
    with TestClient(fresh_demo.app) as client:
        _add_home(client, provider, "H-UIT-RES", type="residential", beds_free=1)
        _add_child(client, coordinator, "C-UIT", residential_reason="safety")
        _place(client, provider, coordinator, "C-UIT", "H-UIT-RES")

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
        facts = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
        # A placed child no longer waits: its page says where it lives instead.
        assert "<dt>Woont nu in</dt><dd>H-UIT-RES</dd>" in facts
        assert "Wacht sinds" not in facts
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


def test_a_childs_page_shows_the_wait_the_waiting_list_shows_and_a_secret_placement(
    fresh_demo: Demo,
) -> None:
    coordinator = fresh_demo.keys["coordinator"]
    with TestClient(fresh_demo.app) as client:
        _add_child(
            client,
            coordinator,
            "C-WACHT",
            waiting_since="2026-03-02",
            min_distance_from_parents_km=40.0,
        )
        sign_in(client, coordinator)
        line = client.get("/wachtlijst").text.split('href="/kinderen/C-WACHT"', 1)[1]
        assert "2 maart 2026" in line.split("</tr>", 1)[0]
        page = client.get("/kinderen/C-WACHT").text
        facts = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
        # Since when it waits, as recorded, not the day the record was made.
        assert "<dt>Wacht sinds</dt><dd>2 maart 2026</dd>" in facts
        assert "<dt>Geheime plaatsing</dt><dd>ja: minstens 40,0 km van de ouders" in facts


def test_a_providers_card_says_a_single_child_has_no_siblings(fresh_demo: Demo) -> None:
    # sibling_group_size counts the whole group, the proposed child included: 1 is none.
    provider, coordinator = fresh_demo.keys["provider"], fresh_demo.keys["coordinator"]
    with TestClient(fresh_demo.app) as client:
        _add_home(client, provider, "H-ENIG", beds_free=1)
        _add_child(client, coordinator, "C-ENIG")
        _propose(client, coordinator, "C-ENIG", "H-ENIG")
        sign_in(client, provider)
        card = client.get("/aanbod").text.split("Woonplek H-ENIG", 1)[1].split("</dl>", 1)[0]
        assert "<dt>Broer-zusgroep</dt><dd>geen broers of zussen</dd>" in card


def test_a_placed_childs_own_home_is_marked_among_its_options(fresh_demo: Demo) -> None:
    provider, coordinator = fresh_demo.keys["provider"], fresh_demo.keys["coordinator"]
    with TestClient(fresh_demo.app) as client:
        _add_home(client, provider, "H-THUIS", beds_free=1)
        _add_child(client, coordinator, "C-THUIS")
        _place(client, provider, coordinator, "C-THUIS", "H-THUIS")
        sign_in(client, coordinator)
        page = client.get("/kinderen/C-THUIS").text
        own = page.split("H-THUIS <span", 1)[1].split("</article>", 1)[0]
        # Where it lives is said, not offered as a place needing "0 beds".
        assert own.startswith(' class="tag">Hier woont het kind nu</span></h3>')
        assert "0 bedden" not in own
        assert 'action="/voorstellen"' not in own


def test_children_kept_apart_who_live_together_are_an_urgent_warning(fresh_demo: Demo) -> None:
    """A keep-apart recorded for two children placed in one home is accepted, and then
    the waiting list and both children's pages say, first of all, that one must move."""
    provider, coordinator = fresh_demo.keys["provider"], fresh_demo.keys["coordinator"]
    with TestClient(fresh_demo.app) as client:
        _add_home(client, provider, "H-SAMEN", beds_free=2)
        for cid in ("C-SAMEN-1", "C-SAMEN-2"):
            _add_child(client, coordinator, cid)
            _place(client, provider, coordinator, cid, "H-SAMEN")
        sign_in(client, coordinator)
        assert "wonen samen" not in client.get("/wachtlijst").text
        _api(
            client,
            coordinator,
            "PATCH",
            "/v1/children/C-SAMEN-2",
            json={"keep_apart": ["C-SAMEN-1"]},
        )
        listed = client.get("/wachtlijst").text
        warning = listed.split('role="alert"', 1)[1].split("</div>", 1)[0]
        assert "Urgent: kinderen die gescheiden moeten blijven, wonen samen" in warning
        assert (
            '<a href="/kinderen/C-SAMEN-1">C-SAMEN-1 woont samen met C-SAMEN-2, van wie het '
            "gescheiden moet blijven.</a>"
        ) in warning
        page = client.get("/kinderen/C-SAMEN-1").text
        alert = page.split('role="alert"', 1)[1].split("</div>", 1)[0]
        assert "C-SAMEN-1 woont samen met C-SAMEN-2" in alert
        assert '<a href="/kinderen/C-SAMEN-2">' in alert
        # Staying is not among its options: no 'Voorstellen' and no option for that home.
        assert "H-SAMEN</h3>" not in page.split('id="h-options"', 1)[1]
        client.post("/taal", data={"csrf": csrf_of(page, "/taal"), "lang": "en"})
        english = client.get("/kinderen/C-SAMEN-2").text
        assert "Urgent: children who must be kept apart live together" in english
        assert "C-SAMEN-2 lives with C-SAMEN-1, from whom it must be kept apart." in english
