"""Rules of the screens found missing by a red-team pass: what a provider can still answer,
where the language switch returns to, sign-in retries, the new-home form's errors, local
times, error pages that lead on, and free beds that cannot go below the held ones."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from tests.web.conftest import Demo, csrf_of, sign_in


def _propose(client: TestClient, demo: Demo, child_id: str) -> tuple[str, str]:
    """A proposal by the API to the demo provider's first option: (proposal id, home id)."""
    headers = {"Authorization": f"Bearer {demo.keys['coordinator']}"}
    ranked = client.get(f"/v1/children/{child_id}/options", headers=headers).json()
    home = next(
        o["home_id"] for o in ranked["options"] if o["organisation"] == "pleegzorg-gelderland"
    )
    made = client.post(
        "/v1/proposals", json={"child_ids": ranked["members"], "home_id": home}, headers=headers
    )
    assert made.status_code == 201, made.text
    return made.json()["id"], home


def test_a_provider_can_decline_a_proposal_it_already_accepted(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        proposal, home = _propose(client, fresh_demo, "C-0005")
        sign_in(client, fresh_demo.keys["provider"])
        page = client.get("/aanbod").text
        accepted = client.post(
            f"/voorstellen/{proposal}/accepteren",
            data={"csrf": csrf_of(page, f"/voorstellen/{proposal}/accepteren")},
        )
        assert accepted.status_code == 200
        page = accepted.text
        article = page.split(f'id="p-{proposal}"', 1)[1].split("</article>", 1)[0]
        assert "Vervalt" in article  # the hold still lapses once accepted
        assert f"/voorstellen/{proposal}/accepteren" not in article
        declined = client.post(
            f"/voorstellen/{proposal}/afwijzen",
            data={"csrf": csrf_of(page, f"/voorstellen/{proposal}/afwijzen"), "reason": "ziek"},
        )
        assert declined.status_code == 200
        assert f"Afgewezen voor woonplek {home}" in declined.text


def _back_of_switch(page: str) -> str:
    form = page.split('action="/taal"', 1)[1].split("</form>", 1)[0]
    return html.unescape(form.split('name="back" value="', 1)[1].split('"', 1)[0])


def test_the_language_switch_returns_to_the_page_with_its_filters(demo: Demo) -> None:
    with TestClient(demo.app) as client:
        sign_in(client, demo.keys["coordinator"])
        page = client.get("/wachtlijst?urgentie=crisis&status=waiting").text
        assert _back_of_switch(page) == "/wachtlijst?urgentie=crisis&status=waiting"


def test_the_language_switch_works_on_an_error_page_after_a_form(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        sign_in(client, fresh_demo.keys["coordinator"])
        token = csrf_of(client.get("/voorstellen").text, "/taal")
        refused = client.post(
            "/voorstellen/P-bestaat-niet/bevestigen",
            data={"csrf": token},
            headers={"Referer": "http://testserver/voorstellen"},
        )
        assert refused.status_code == 404
        # Still signed in on the error page: the navigation and signing out are there.
        assert 'href="/wachtlijst"' in refused.text
        assert 'action="/afmelden"' in refused.text
        # The switch carries the session's token and returns to a page, not to the
        # form's POST-only target.
        assert csrf_of(refused.text, "/taal") == token
        assert _back_of_switch(refused.text) == "/voorstellen"
        switched = client.post("/taal", data={"csrf": token, "lang": "en", "back": "/voorstellen"})
        assert switched.status_code == 200
        assert '<html lang="en">' in switched.text


def test_sign_in_can_be_retried_after_the_forms_cookie_lapsed(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        token = csrf_of(client.get("/aanmelden").text, "/aanmelden")
        client.cookies.clear()  # the form's cookie lapsed (30 minutes) before sending
        key = fresh_demo.keys["coordinator"]
        refused = client.post("/aanmelden", data={"key": key, "csrf": token})
        assert refused.status_code == 403
        again = csrf_of(refused.text, "/aanmelden")
        assert again
        assert again != token
        retried = client.post(
            "/aanmelden", data={"key": key, "csrf": again}, follow_redirects=False
        )
        assert retried.status_code == 303
        assert retried.headers["location"] == "/wachtlijst"
