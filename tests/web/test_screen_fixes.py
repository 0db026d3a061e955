"""Rules of the screens found missing by a red-team pass: what a provider can still answer,
where the language switch returns to, sign-in retries, the new-home form's errors, local
times, error pages that lead on, and free beds that cannot go below the held ones."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from api.web.i18n import Texts
from matching.model import CARE_DOMAINS, CareKind, HomeType
from tests.web.conftest import Demo, csrf_of, import_homes, sign_in, signed_in


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
    with signed_in(demo.app, demo.keys["coordinator"]) as client:
        page = client.get("/wachtlijst?urgentie=crisis&status=waiting").text
        assert _back_of_switch(page) == "/wachtlijst?urgentie=crisis&status=waiting"


def test_the_language_switch_works_on_an_error_page_after_a_form(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["coordinator"]) as client:
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


def _new_home(client: TestClient, **typed: str) -> Any:  # the test client's response
    page = client.get("/woonplekken/nieuw").text
    body = {
        "csrf": csrf_of(page, "/woonplekken/nieuw"),
        "id": "H-FORM-9",
        "type": "foster",
        "postcode": "6711",
        "beds_free": "1",
        **typed,
    }
    return client.post("/woonplekken/nieuw", data=body)


def _message_at(page: str, name: str) -> str:
    """The error message shown beside the field ``name`` ('' if none)."""
    if f'id="e-{name}"' not in page:
        return ""
    return page.split(f'id="e-{name}"', 1)[1].split("</div>", 1)[0]


def test_every_problem_of_the_new_home_form_shows_at_its_field_at_once(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        bad = _new_home(client, postcode="12345", age_min="12", age_max="4", languages="Pools")
        assert bad.status_code == 422
        assert "Nederlandse postcode" in _message_at(bad.text, "postcode")
        assert "(12) is hoger dan de leeftijd tot en met (4)" in _message_at(bad.text, "age_min")
        assert "(12) is hoger" in _message_at(bad.text, "age_max")
        assert "taalcodes" in _message_at(bad.text, "languages")
        summary = bad.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
        assert "Formulier" not in summary  # every problem has its field
        assert summary.count("<li>") == 3  # the ages once
        # What was typed stays.
        assert 'name="languages" type="text" value="Pools"' in bad.text
        assert 'name="age_min" type="number" value="12"' in bad.text


def test_the_new_home_forms_problems_read_in_english_on_an_english_page(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        client.cookies.set("taal", "en")
        token = csrf_of(client.get("/woonplekken").text, "/taal")
        client.post("/taal", data={"csrf": token, "lang": "en", "back": "/"})
        bad = _new_home(client, age_min="12", age_max="4", languages="Polish")
        assert "two-letter language codes" in _message_at(bad.text, "languages")
        assert "The minimum age (12) is above the maximum age (4)" in bad.text
        assert "pattern" not in bad.text
        assert "age_min 12" not in bad.text


def test_a_taken_home_id_is_an_error_at_the_id_field_keeping_the_form(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        taken = _new_home(client, id="H-00007", postcode="6711", languages="nl")
        assert taken.status_code == 409
        assert "Er is al een woonplek met dit id" in _message_at(taken.text, "id")
        assert 'name="languages" type="text" value="nl"' in taken.text
        assert 'action="/woonplekken/nieuw"' in taken.text


def test_a_taken_home_id_is_reported_with_the_forms_other_problems(fresh_demo: Demo) -> None:
    # A taken id was reported only once every other field was right: a second round.
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        bad = _new_home(client, id="H-00007", postcode="99999", age_min="12", age_max="4")
        assert bad.status_code == 422
        assert "Er is al een woonplek met dit id" in _message_at(bad.text, "id")
        assert "Nederlandse postcode" in _message_at(bad.text, "postcode")
        assert "(12) is hoger" in _message_at(bad.text, "age_min")
        summary = bad.text.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
        assert summary.count("<li>") == 3
        assert summary.index("Er is al een woonplek") < summary.index("postcode")
        # A free id with the same problems says nothing about the id.
        free = _new_home(client, id="H-FORM-8", postcode="99999", age_min="12", age_max="4")
        assert _message_at(free.text, "id") == ""
        homes = client.get(
            "/v1/homes?limit=500",
            headers={"Authorization": f"Bearer {fresh_demo.keys['provider']}"},
        ).json()
        assert "H-FORM-8" not in {h["id"] for h in homes["items"]}


def test_times_are_shown_on_dutch_clocks() -> None:
    nl, en = Texts("nl"), Texts("en")
    # Stored in UTC: 01:19 UTC in December is 02:19 in the Netherlands (CET).
    assert nl.datetime(datetime(2026, 12, 10, 1, 19, tzinfo=UTC)) == "10 december 2026 02:19"
    assert en.datetime(datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == "1 July 2026 14:00"  # CEST
    # SQLite gives times back without a zone: they are UTC too.
    assert nl.datetime(datetime(2026, 12, 10, 1, 19)) == "10 december 2026 02:19"
    # A moment late on New Year's Eve in UTC is New Year's Day in the Netherlands.
    assert nl.date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2027"


def test_an_error_page_leads_on_and_says_only_what_applies(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        bad = client.get("/cijfers?van=morgen", headers={"Referer": "http://testserver/cijfers"})
        assert bad.status_code == 422
        assert 'href="/planning"' in bad.text  # the navigation stays
        assert 'action="/afmelden"' in bad.text
        assert '<a href="/cijfers">Terug naar de vorige pagina</a>' in bad.text
        notice = bad.text.split('class="notice notice-error"', 1)[1].split("</table>", 1)[0]
        assert "niets opgeslagen" not in notice  # a page was asked for, not a change
        assert "Regel" not in notice  # rows are for a file's problems
        assert "<td>Van</td>" in notice  # as the form calls the field


def test_an_english_error_page_speaks_english_not_the_apis_words(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        token = csrf_of(client.get("/woonplekken").text, "/taal")
        client.post("/taal", data={"csrf": token, "lang": "en", "back": "/"})
        # A decline without a reason (a count of free beds is refused at the home's field).
        bad = client.post("/voorstellen/anything/afwijzen", data={"csrf": token, "reason": ""})
        assert bad.status_code == 422
        assert "field(s)" not in bad.text
        assert "nothing was saved" in bad.text
        beds = client.post("/woonplekken/H-00007/bedden", data={"csrf": token, "beds_free": "x"})
        assert beds.status_code == 422
        assert "Home H-00007: enter a whole number from 0 to 200." in beds.text


def test_an_import_without_a_file_names_the_field_in_dutch(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        bad = import_homes(client, b"", "leeg.csv")
        assert bad.status_code == 422
        assert "<td>Bestand</td>" in bad.text
        assert "<td>file</td>" not in bad.text


class _Spent:
    """A rate limiter whose allowance is used up for 63.2 more seconds."""

    def take(self, *_: object) -> float:
        return 63.2


def test_the_rate_limit_page_says_how_long_to_wait(fresh_demo: Demo) -> None:
    fresh_demo.app.state.rate_limiter = _Spent()
    with signed_in(fresh_demo.app, fresh_demo.keys["coordinator"]) as client:
        dutch = client.get("/kinderen/C-0001")
        assert dutch.status_code == 429
        assert "probeer het over 64 seconden opnieuw" in dutch.text
        token = csrf_of(dutch.text, "/taal")
        english = client.post(
            "/taal", data={"csrf": token, "lang": "en", "back": "/kinderen/C-0001"}
        )
        assert "try again in 64 seconds" in english.text
        assert "endpoint" not in english.text


def test_free_beds_below_the_held_ones_are_refused_at_the_homes_field(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        _, home = _propose(client, fresh_demo, "C-0005")
        sign_in(client, fresh_demo.keys["provider"])
        page = client.get("/woonplekken").text
        assert "Vrije bedden (met vastgehouden)" in page  # what the number counts
        row = page.split(f'<th scope="row">{home}</th>', 1)[1].split("</tr>", 1)[0]
        held, free = re.findall(r'<td class="num"[^>]*>(\d+)</td>', row)[:2]
        assert held == "1"
        token = csrf_of(page, f"/woonplekken/{home}/bedden")
        refused = client.post(f"/woonplekken/{home}/bedden", data={"csrf": token, "beds_free": "0"})
        assert refused.status_code == 409
        message = refused.text.split(f'id="beds-error-{home}">', 1)[1].split("</p>", 1)[0]
        assert f"Woonplek {home}: vul ten minste 1 in." in message
        field = refused.text.split(f'id="beds-{home}"', 1)[1].split(">", 1)[0]
        assert 'value="0"' in field
        assert 'aria-invalid="true"' in field
        after = client.get("/woonplekken").text.split(f'<th scope="row">{home}</th>', 1)[1]
        assert re.findall(r'<td class="num"[^>]*>(\d+)</td>', after.split("</tr>", 1)[0])[1] == free


def test_signing_out_without_the_token_keeps_cookie_and_session_together(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        cookie = client.cookies.get("dichtbij_sessie")
        refused = client.post("/afmelden", data={"csrf": "elders"}, follow_redirects=False)
        assert refused.status_code == 403
        assert "dichtbij_sessie" not in refused.headers.get("set-cookie", "")
        # The session lives on for its cookie, and the error page's form signs out.
        assert client.cookies.get("dichtbij_sessie") == cookie
        assert client.get("/aanbod", follow_redirects=False).status_code == 200
        client.post("/afmelden", data={"csrf": csrf_of(refused.text)})
        client.cookies.set("dichtbij_sessie", cookie or "")
        assert client.get("/aanbod", follow_redirects=False).status_code == 303


def test_proposal_buttons_say_which_proposal_to_screen_readers(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        _, home = _propose(client, fresh_demo, "C-0005")
        context = f"het voorstel aan woonplek {home} voor C-0005"
        sign_in(client, fresh_demo.keys["coordinator"])
        child = client.get("/kinderen/C-0005").text
        table = child.split('id="h-proposals"', 1)[1].split("</table>", 1)[0]
        assert '<span class="visually-hidden">Acties</span>' in table
        assert f'Intrekken<span class="visually-hidden"> {context}</span>' in table
        listed = client.get("/voorstellen").text
        assert f'Intrekken<span class="visually-hidden"> {context}</span>' in listed
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        offers = client.get("/aanbod").text
        assert f'Accepteren<span class="visually-hidden"> {context}</span>' in offers
        assert f'Afwijzen<span class="visually-hidden"> {context}</span>' in offers


def test_each_care_kind_checkbox_sits_with_its_label_and_the_hint_is_no_choice(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken/nieuw").text
        kinds = page.split('id="f-care_kinds"', 1)[1].split("</fieldset>", 1)[0]
        grid = kinds.split('class="choice-grid"', 1)[1]
        assert 'class="hint"' not in grid
        for cell in grid.split('<div class="check">')[1:]:
            assert cell.count('type="checkbox"') == 1
            assert cell.count("<label") == 1


def test_the_import_page_lists_the_values_the_import_accepts(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken/importeren").text
        listed = page.split("Toegestane waarden", 1)[1].split("</details>", 1)[0]
        for code in [*HomeType, *CareKind, *CARE_DOMAINS]:
            assert f"<code>{code.value}</code>" in listed, code
        assert "<code>bestandspleeggezin</code>" in listed
        assert "<code>pleeggezin</code>" in listed


def test_the_import_reads_dutch_words_for_the_type_and_care_kinds(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        rows = (
            "code;soort;postcode;vrije_bedden;zorgvormen\n"
            "H-NL-1;Pleeggezin;6711;1;crisisopvang deeltijdpleegzorg\n"
            "H-NL-2;Gezinshuis;6711;2;\n"
        )
        answer = import_homes(client, rows)
        assert answer.status_code == 200, answer.text
        headers = {"Authorization": f"Bearer {fresh_demo.keys['provider']}"}
        first = client.get("/v1/homes/H-NL-1", headers=headers).json()
        assert first["type"] == "foster"
        assert first["care_kinds"] == ["crisis", "part_time"]
        assert client.get("/v1/homes/H-NL-2", headers=headers).json()["type"] == "family_home"


def test_a_refused_import_says_why_in_dutch_and_that_nothing_was_imported(
    fresh_demo: Demo,
) -> None:
    """H-00010 belongs to another organisation: the row says so in Dutch (not 'deze waarde
    wordt niet geaccepteerd'), and the page says no row of the file was imported."""
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        refused = import_homes(
            client,
            "code;soort;postcode;vrije_bedden\nH-OK-1;pleeggezin;6711;1\nH-00010;pleeggezin;6711;1\n",
        )
        assert refused.status_code == 422
        text = html.unescape(refused.text)
        assert "al in gebruik bij een woonplek van een andere organisatie" in text
        assert "deze waarde wordt niet geaccepteerd" not in text
        assert "Er is niets geïmporteerd" in text
        headers = {"Authorization": f"Bearer {fresh_demo.keys['provider']}"}
        assert client.get("/v1/homes/H-OK-1", headers=headers).status_code == 404


def test_an_import_names_the_homes_it_registered_and_those_it_replaced(fresh_demo: Demo) -> None:
    """A row with an own home's id replaces that home (docs/api.md): the page names it, so
    the provider can see which homes lost what the file left empty."""
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        done = import_homes(
            client,
            "code;soort;postcode;vrije_bedden\nH-OK-2;pleeggezin;6711;1\nH-00007;pleeggezin;6741;1\n",
        )
        assert done.status_code == 200, done.text
        text = html.unescape(done.text)
        assert re.search(r"1 woonplek nieuw geregistreerd: H-OK-2", text)
        assert re.search(r"1 woonplek vervangen door de regel in het bestand[^:]*: H-00007", text)


def test_an_address_no_screen_answers_is_a_page_for_a_browser_and_json_for_the_api(
    fresh_demo: Demo,
) -> None:
    """A typo or an old bookmark (a home's own page, which does not exist) in a browser gets
    the screens' 'not found' page with the navigation, not the API's JSON; the API and a
    client that does not ask for HTML keep the problem document."""
    page = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        for path in ("/woonplekken/H-00049", "/kinderen/", "/woonplekken/H-00049/bedden"):
            answer = client.get(path, headers=page)
            assert answer.status_code in (404, 405), path
            assert answer.headers["content-type"].startswith("text/html"), path
            assert "<h1>Niet gevonden</h1>" in answer.text
            assert 'href="/woonplekken"' in answer.text  # the provider's navigation
        api = client.get("/v1/nope", headers=page)
        assert api.headers["content-type"] == "application/problem+json"
        plain = client.get("/bestaatniet")
        assert plain.status_code == 404
        assert plain.headers["content-type"] == "application/problem+json"


def _considered(page: str) -> int:
    said = html.unescape(page).split('id="bekeken">', 1)[1].split("</p>", 1)[0]
    found = re.search(r"Bekeken: ([\d.]+) woonplek", said)
    assert found is not None, said
    return int(found.group(1).replace(".", ""))


def test_the_home_held_for_a_childs_proposal_is_shown_and_counted(fresh_demo: Demo) -> None:
    # A home whose only free bed the child's own proposal holds is no candidate for the
    # ranking: the page named it nowhere and counted one home fewer than before.
    with TestClient(fresh_demo.app) as client:
        coordinator = {"Authorization": f"Bearer {fresh_demo.keys['coordinator']}"}
        provider = {"Authorization": f"Bearer {fresh_demo.keys['provider']}"}
        ranked = client.get("/v1/children/C-0005/options", headers=coordinator).json()
        home = next(
            o["home_id"] for o in ranked["options"] if o["organisation"] == "pleegzorg-gelderland"
        )
        one_bed = client.patch(f"/v1/homes/{home}", json={"beds_free": 1}, headers=provider)
        assert one_bed.status_code == 200, one_bed.text
        sign_in(client, fresh_demo.keys["coordinator"])
        before = _considered(client.get("/kinderen/C-0005").text)
        made = client.post(
            "/v1/proposals", json={"child_ids": ["C-0005"], "home_id": home}, headers=coordinator
        )
        assert made.status_code == 201, made.text
        page = client.get("/kinderen/C-0005")
        assert page.status_code == 200, page.text
        text = html.unescape(page.text)
    options = text.split('id="h-options"', 1)[1]
    held = options.split(f'id="held-{home}"', 1)[1].split("</article>", 1)[0]
    assert "voorgesteld" in held
    assert "vastgehouden voor het voorstel aan C-0005" in held
    assert _considered(page.text) == before
    assert "voorgesteld en vastgehouden voor dit kind: 1." in text
    # The summary per reason counts of the same homes as the sentence above.
    assert f"van de {before} woonplekken" in text or "h-excluded-summary" not in text


def test_the_home_held_for_a_sibling_groups_proposal_is_counted_for_these_children(
    fresh_demo: Demo,
) -> None:
    # The page ranks the whole group placed together; its count of held homes said "for
    # this child" above a proposal for two.
    with TestClient(fresh_demo.app) as client:
        coordinator = {"Authorization": f"Bearer {fresh_demo.keys['coordinator']}"}
        ranked = client.get("/v1/children/C-0015/options", headers=coordinator).json()
        assert ranked["members"] == ["C-0015", "C-0016"]
        beds = {
            o["home_id"]: client.get(f"/v1/homes/{o['home_id']}", headers=coordinator).json()[
                "beds_free"
            ]
            for o in ranked["options"]
        }
        home = next(h for h, free in beds.items() if free == 2)
        made = client.post(
            "/v1/proposals",
            json={"child_ids": ["C-0015", "C-0016"], "home_id": home},
            headers=coordinator,
        )
        assert made.status_code == 201, made.text
        sign_in(client, fresh_demo.keys["coordinator"])
        page = client.get("/kinderen/C-0016").text
        dutch = html.unescape(page)
        client.post("/taal", data={"csrf": csrf_of(page, "/taal"), "lang": "en"})
        english = html.unescape(client.get("/kinderen/C-0016").text)
    assert "voorgesteld en vastgehouden voor deze kinderen: 1." in dutch
    assert "voor dit kind" not in dutch
    assert "proposed and held for these children: 1." in english


def test_an_option_partly_held_by_the_childs_own_proposal_is_tagged_proposed(
    fresh_demo: Demo,
) -> None:
    # A home with a bed left beside the one the child's own proposal holds stays an option:
    # the page showed it as any other, as if it had never been proposed.
    with TestClient(fresh_demo.app) as client:
        coordinator = {"Authorization": f"Bearer {fresh_demo.keys['coordinator']}"}
        provider = {"Authorization": f"Bearer {fresh_demo.keys['provider']}"}
        ranked = client.get("/v1/children/C-0005/options", headers=coordinator).json()
        home = next(
            o["home_id"] for o in ranked["options"] if o["organisation"] == "pleegzorg-gelderland"
        )
        two_beds = client.patch(f"/v1/homes/{home}", json={"beds_free": 2}, headers=provider)
        assert two_beds.status_code == 200, two_beds.text
        made = client.post(
            "/v1/proposals", json={"child_ids": ["C-0005"], "home_id": home}, headers=coordinator
        )
        assert made.status_code == 201, made.text
        sign_in(client, fresh_demo.keys["coordinator"])
        page = client.get("/kinderen/C-0005")
        assert page.status_code == 200, page.text
        dutch = html.unescape(page.text)
        client.post("/taal", data={"csrf": csrf_of(page.text, "/taal"), "lang": "en"})
        english = html.unescape(client.get("/kinderen/C-0005").text)

    def option_of(text: str) -> str:
        options = text.split('id="h-options"', 1)[1].split("</section>", 1)[0]
        assert f'id="held-{home}"' not in options  # an option still, not the fully held card
        found = [a for a in options.split("<article")[1:] if re.search(rf" {home}( <|</h3>)", a)]
        assert len(found) == 1, options
        return found[0].split("</article>", 1)[0]

    dutch_option, english_option = option_of(dutch), option_of(english)
    assert '<span class="tag">voorgesteld</span>' in dutch_option
    assert "Het voorstel aan C-0005 houdt hier 1 bed vast." in dutch_option
    assert '<span class="tag">proposed</span>' in english_option
    assert "The proposal for C-0005 holds 1 bed here." in english_option
