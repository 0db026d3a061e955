"""A child's facts at the top of its page hold what a coordinator needs before a hearing:
why the siblings are placed apart (the recorded reason and its note) and the child's own
wishes (what it said, how much they weigh, the day it was heard), never only inside the
collapsed explanation of one option; and none of it reaches a provider."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.web.conftest import Demo, csrf_of, sign_in, signed_in

_NOTE = "Broer heeft intensieve behandeling nodig, afgesproken met de jeugdbeschermer"


def _facts(page: str) -> str:
    """The child's facts (the first definition list), as text."""
    facts = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", facts)))


def _record_split_note(client: TestClient, demo: Demo) -> None:
    """C-0057's recorded reason (specialistische zorg, in the demo) gets its note."""
    headers = {"Authorization": f"Bearer {demo.keys['coordinator']}"}
    changed = client.patch("/v1/children/C-0057", json={"split_note": _NOTE}, headers=headers)
    assert changed.status_code == 200, changed.text


def test_the_childs_wishes_are_in_its_facts(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["coordinator"]) as client:
        nl = _facts(client.get("/kinderen/C-0005").text)
        assert "Wens van het kind" in nl
        assert "“wil dicht bij mama en papa wonen”" in nl
        assert "Belangrijkst: afstand tot de ouders (telt 1,5 keer)" in nl
        assert "Gehoord op 13 november 2026" in nl
        # A child that named nothing has no wishes line at all.
        assert "Wens van het kind" not in _facts(client.get("/kinderen/C-0001").text)
        page = client.get("/kinderen/C-0005").text
        client.post("/taal", data={"csrf": csrf_of(page, "/taal"), "lang": "en"})
        en = _facts(client.get("/kinderen/C-0005").text)
        assert "The child's wishes" in en
        assert "Most important: distance to the parents (counts 1.5 times)" in en
        assert "Heard on 13 November 2026" in en


def test_the_recorded_reason_to_place_siblings_apart_is_in_the_facts_of_each_of_them(
    fresh_demo: Demo,
) -> None:
    with TestClient(fresh_demo.app) as client:
        _record_split_note(client, fresh_demo)
        sign_in(client, fresh_demo.keys["coordinator"])
        own = _facts(client.get("/kinderen/C-0057").text)
        assert f"Apart van broers en zussen specialistische zorg “{_NOTE}”" in own
        # Recorded on the brother, it holds for the whole group: his sister's page says so.
        sister = _facts(client.get("/kinderen/C-0056").text)
        assert f"specialistische zorg (vastgelegd bij C-0057) “{_NOTE}”" in sister
        # A group placed together has no such line.
        assert "Apart van broers en zussen" not in _facts(client.get("/kinderen/C-0039").text)


def test_a_provider_never_reads_the_split_note_or_the_childs_words(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        _record_split_note(client, fresh_demo)
        sign_in(client, fresh_demo.keys["provider"])
        for child in ("C-0057", "C-0005"):
            refused = client.get(f"/kinderen/{child}")
            assert refused.status_code in (403, 404)
            assert _NOTE not in html.unescape(refused.text)
        for page in ("/aanbod", "/woonplekken"):
            text = html.unescape(client.get(page).text)
            assert _NOTE not in text
            assert "mama en papa" not in text
