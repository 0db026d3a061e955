"""Sign-in, sessions and CSRF of the screens, their role rules, and what carers never see.

These run in-process (no browser): they check the answers and that a refused form changes
nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from api.services.keys import create_key, revoke_key
from tests.web.conftest import Demo, csrf_of, sign_in, signed_in


def open_proposals(client: TestClient) -> int:
    page = client.get("/voorstellen").text
    return page.count("/bevestigen") + page.count("/intrekken")


def test_a_session_cookie_is_httponly_and_samesite_strict(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        page = client.get("/aanmelden")
        token = csrf_of(page.text, "/aanmelden")
        answer = client.post(
            "/aanmelden",
            data={"key": fresh_demo.keys["coordinator"], "csrf": token},
            follow_redirects=False,
        )
        cookie = answer.headers["set-cookie"]
        assert "dichtbij_sessie=" in cookie
        assert "httponly" in cookie.lower()
        assert "samesite=strict" in cookie.lower()
        assert fresh_demo.keys["coordinator"] not in cookie
        assert answer.headers["location"] == "/wachtlijst"


def test_an_unknown_key_does_not_sign_in(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        token = csrf_of(client.get("/aanmelden").text, "/aanmelden")
        answer = client.post("/aanmelden", data={"key": "dbk_nonsense", "csrf": token})
        assert answer.status_code == 401
        assert "Aanmelden is niet gelukt" in answer.text
        assert client.get("/wachtlijst", follow_redirects=False).headers["location"] == (
            "/aanmelden"
        )


def test_sign_in_without_the_forms_token_is_refused(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        client.get("/aanmelden")
        answer = client.post("/aanmelden", data={"key": fresh_demo.keys["coordinator"]})
        assert answer.status_code == 403
        assert "dichtbij_sessie" not in answer.headers.get("set-cookie", "")


def test_a_form_posted_without_its_token_is_refused_and_changes_nothing(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["coordinator"]) as client:
        before = open_proposals(client)
        page = client.get("/kinderen/C-0001").text
        home = re.search(r'name="home_id" value="([^"]+)"', page)
        assert home is not None
        body = {"child_ids": "C-0001", "home_id": home.group(1)}
        missing = client.post("/voorstellen", data=body)
        wrong = client.post("/voorstellen", data={**body, "csrf": "x" * 43})
        foreign = client.post(
            "/voorstellen",
            data={**body, "csrf": csrf_of(page, "/voorstellen")},
            headers={"Origin": "https://elders.example"},
        )
        assert [missing.status_code, wrong.status_code, foreign.status_code] == [403, 403, 403]
        assert "Dit formulier is verlopen" in missing.text
        assert open_proposals(client) == before
        assert "status_proposed" not in client.get("/kinderen/C-0001").text
        # With its token the same form works.
        done = client.post("/voorstellen", data={**body, "csrf": csrf_of(page, "/voorstellen")})
        assert done.status_code == 200
        assert open_proposals(client) == before + 1


def test_signing_out_ends_the_session(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        cookie = client.cookies.get("dichtbij_sessie")
        page = client.get("/aanbod").text
        client.post("/afmelden", data={"csrf": csrf_of(page)})
        client.cookies.set("dichtbij_sessie", cookie or "")
        assert client.get("/aanbod", follow_redirects=False).status_code == 303


def test_screens_keep_the_apis_roles(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as provider, TestClient(fresh_demo.app) as town:
        sign_in(provider, fresh_demo.keys["provider"])
        sign_in(town, fresh_demo.keys["municipality"])
        # A provider may not read children at all: their URLs do not exist for it.
        assert provider.get("/kinderen/C-0001").status_code == 404
        assert provider.get("/wachtlijst").status_code == 403
        assert town.get("/wachtlijst").status_code == 403
        assert town.get("/woonplekken").status_code == 403
        assert provider.get("/cijfers").status_code == 403
        page = provider.get("/aanbod").text
        confirm = provider.post("/voorstellen/anything/bevestigen", data={"csrf": csrf_of(page)})
        assert confirm.status_code == 403


def test_a_provider_never_sees_a_confidential_childs_origin(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as coordinator, TestClient(fresh_demo.app) as provider:
        sign_in(coordinator, fresh_demo.keys["coordinator"])
        registered = coordinator.post(
            "/v1/children",
            json={
                "id": "C-GEHEIM",
                "age": 8,
                "parents_postcode": "6711",
                "school_postcode": "6712",
                "min_distance_from_parents_km": 5,
            },
            headers={"Authorization": f"Bearer {fresh_demo.keys['coordinator']}"},
        )
        assert registered.status_code == 201, registered.text
        page = coordinator.get("/kinderen/C-GEHEIM").text
        first = page.split('<article class="option"')[1]
        home = re.search(r'name="home_id" value="([^"]+)"', first)
        owner = re.search(r'<p class="option-meta">([^ <]+)', first)
        assert home is not None
        assert owner is not None
        carers = create_key(
            fresh_demo.uow,
            role="provider",
            organisation=owner.group(1),
            municipality=None,
            now=datetime.now(UTC),
        )
        sign_in(provider, carers.key)
        answer = coordinator.post(
            "/voorstellen",
            data={
                "csrf": csrf_of(page, "/voorstellen"),
                "child_ids": "C-GEHEIM",
                "home_id": home.group(1),
            },
        )
        assert answer.status_code == 200
        offers = provider.get("/aanbod").text
        offer = next(a for a in offers.split("<article")[1:] if "C-GEHEIM" in a)
        assert "Geheime plaatsing" in offer
        assert "jeugdbescherming-foodvalley" not in offer  # the coordinating organisation
        # (/woonplekken shows the provider's own homes' postcodes, which it may know.)
        for where in ("/aanbod", "/woonplekken/importeren"):
            text = provider.get(where).text
            # Parents' PC4, the school's PC4 and the school's town.
            for origin in ("6711", "6712", "Ede,"):
                assert origin not in text, (where, origin)


def test_a_match_run_shows_the_optimum_beside_practice_and_why_children_wait(
    demo: Demo,
) -> None:
    with signed_in(demo.app, demo.keys["coordinator"]) as client:
        page = client.get("/matchronde").text
        run = client.post("/matchronde", data={"csrf": csrf_of(page, "/matchronde")})
        assert run.status_code == 200
        table = run.text.split('id="vergelijking"', 1)[1].split("</table>", 1)[0]
        assert "Geplaatste kinderen" in table
        assert re.search(r"\d+ van \d+", table)
        assert "Waarom:" in run.text
        assert "Wat een plek zou openen:" in run.text


def beds_shown(page: str, home_id: str) -> str:
    field = re.search(rf'id="beds-{home_id}"[^>]* value="(\d+)"', page)
    assert field is not None
    return field.group(1)


def test_a_provider_changes_free_beds_in_place_and_a_bad_number_changes_nothing(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken").text
        token = csrf_of(page, "/woonplekken/H-00007/bedden")
        bad = client.post("/woonplekken/H-00007/bedden", data={"csrf": token, "beds_free": "-1"})
        assert bad.status_code == 422
        assert "Vrije bedden" in bad.text  # the field by its name, never its code
        assert beds_shown(client.get("/woonplekken").text, "H-00007") == "3"
        good = client.post("/woonplekken/H-00007/bedden", data={"csrf": token, "beds_free": "1"})
        assert good.status_code == 200
        assert "De vrije bedden van woonplek H-00007 zijn opgeslagen." in good.text
        assert beds_shown(good.text, "H-00007") == "1"


def test_a_csv_import_through_the_screen_is_all_rows_or_none(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken/importeren").text
        token = csrf_of(page, "/woonplekken/importeren")
        template = client.get("/woonplekken/sjabloon.csv")
        assert template.headers["content-type"].startswith("text/csv")
        # A second row with a postcode that is no Dutch area: the first is not stored either.
        rows = (
            template.text
            + template.text.splitlines()[1]
            .replace("H-NIEUW-1,", "H-NIEUW-2,")
            .replace(",3911,", ",0000,")
            + "\n"
        )
        refused = client.post(
            "/woonplekken/importeren",
            data={"csrf": token},
            files={"file": ("homes.csv", rows.encode(), "text/csv")},
        )
        assert refused.status_code == 422
        assert "H-NIEUW-1" not in client.get("/woonplekken").text
        accepted = client.post(
            "/woonplekken/importeren",
            data={"csrf": token},
            files={"file": ("homes.csv", template.content, "text/csv")},
        )
        assert accepted.status_code == 200, accepted.text
        assert "Geïmporteerd: 1 woonplek." in accepted.text
        assert "H-NIEUW-1" in client.get("/woonplekken").text


def test_a_refused_step_says_in_dutch_why_and_changes_nothing(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["coordinator"]) as client:
        page = client.get("/kinderen/C-0001").text
        homes = re.findall(r'name="home_id" value="([^"]+)"', page)
        token = csrf_of(page, "/voorstellen")
        first = client.post(
            "/voorstellen", data={"csrf": token, "child_ids": "C-0001", "home_id": homes[0]}
        )
        assert first.status_code == 200
        before = open_proposals(client)
        again = client.post(
            "/voorstellen", data={"csrf": token, "child_ids": "C-0001", "home_id": homes[1]}
        )
        assert again.status_code == 409
        assert "Dit kind wacht niet meer." in again.text
        assert open_proposals(client) == before


def test_the_waiting_list_puts_crisis_first_and_a_sibling_group_on_one_line(
    demo: Demo,
) -> None:
    with signed_in(demo.app, demo.keys["coordinator"]) as client:
        page = client.get("/wachtlijst").text
        rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
        crisis = ["Crisis</span>" in r for r in rows]
        assert crisis == sorted(crisis, reverse=True)  # every crisis line before the rest
        siblings = [r for r in rows if "C-0049" in r]
        assert len(siblings) == 1
        assert "C-0050" in siblings[0]
        assert "2 kinderen" in siblings[0]
        only = client.get("/wachtlijst", params={"urgentie": "planned"}).text
        assert "tag-crisis" not in only


def test_the_language_switch_never_sends_the_browser_to_another_host(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        token = csrf_of(client.get("/cijfers").text, "/taal")
        for back in ("//elders.example/x", "/\\elders.example", "https://elders.example"):
            answer = client.post(
                "/taal",
                data={"csrf": token, "lang": "en", "back": back},
                follow_redirects=False,
            )
            assert answer.headers["location"] == "/", back
        english = client.get("/cijfers").text
        assert '<html lang="en">' in english
        assert "Proximity figures" in english


def test_a_provider_registers_a_home_by_form_and_a_bad_field_is_named(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken/nieuw").text
        body = {
            "csrf": csrf_of(page, "/woonplekken/nieuw"),
            "id": "H-FORM-1",
            "type": "family_home",
            "postcode": "0000",
            "beds_free": "2",
            "age_min": "4",
            "age_max": "18",
            "cap_trauma": "2",
            "languages": "nl, en",
        }
        bad = client.post("/woonplekken/nieuw", data=body)
        assert bad.status_code == 422
        assert 'id="f-postcode" name="postcode" type="text" value="0000"' in bad.text
        assert 'aria-invalid="true"' in bad.text.split('id="f-postcode"', 1)[1][:400]
        assert "H-FORM-1" not in client.get("/woonplekken").text
        good = client.post("/woonplekken/nieuw", data={**body, "postcode": "6711"})
        assert good.status_code == 200
        assert "Woonplek H-FORM-1 is geregistreerd." in good.text
        stored = client.get(
            "/v1/homes/H-FORM-1",
            headers={"Authorization": f"Bearer {fresh_demo.keys['provider']}"},
        ).json()
        assert stored["capabilities"] == {"trauma": 2}
        assert stored["languages"] == ["nl", "en"]
        assert stored["organisation"] == "pleegzorg-gelderland"


def test_revoking_a_key_ends_its_sessions_at_the_next_request(fresh_demo: Demo) -> None:
    issued = create_key(
        fresh_demo.uow,
        role="coordinator",
        organisation="jeugdbescherming-foodvalley",
        municipality=None,
        now=datetime.now(UTC),
    )
    with TestClient(fresh_demo.app) as client:
        sign_in(client, issued.key)
        assert client.get("/wachtlijst").status_code == 200
        revoke_key(fresh_demo.uow, issued.prefix, datetime.now(UTC))
        answer = client.get("/wachtlijst", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"] == "/aanmelden"


def test_the_waiting_list_counts_the_wait_from_the_recorded_waiting_since(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["coordinator"]) as client:
        page = client.get("/wachtlijst").text
        rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
        # The demo records waits of weeks to months: not every child has waited 0 days.
        assert any("0 dagen" not in r for r in rows)
        planned = [r for r in rows if "Crisis</span>" not in r]
        days = [int(r.split(" dag", 1)[0].rsplit(">", 1)[-1].replace(".", "")) for r in planned]
        assert days == sorted(days, reverse=True)  # the longest wait first


def test_a_match_run_page_lists_uitstroom_with_the_move_it_makes(fresh_demo: Demo) -> None:
    # Other tests change the shared demo (the browser flow places children): a demo of its
    # own. The demo's C-0005 lives in residential group H-00027 and a foster family is eligible.
    with signed_in(fresh_demo.app, fresh_demo.keys["coordinator"]) as client:
        page = client.get("/matchronde").text
        run = client.post("/matchronde", data={"csrf": csrf_of(page, "/matchronde")}).text
        assert "Uitstroom uit residentiële groepen" in run
        section = run.split('id="uitstroom"', 1)[1].split("</ul>", 1)[0]
        assert '<a href="/kinderen/C-0005">C-0005</a> woont in residentiële groep H-00027' in (
            section
        )
        assert re.search(
            r"\d+ gezinsgerichte woonplek(ken)? geschikt: verhuist naar H-\d+\.", section
        )


def part_time_shown(page: str, home_id: str) -> str | None:
    field = re.search(rf'id="part-time-{home_id}"[^>]* value="(\d*)"', page)
    return None if field is None else field.group(1)


def test_a_provider_registers_part_time_places_and_changes_them_in_place(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken/nieuw").text
        assert "Deeltijdpleegzorg" in page
        body = {
            "csrf": csrf_of(page, "/woonplekken/nieuw"),
            "id": "H-WEEKEND",
            "type": "foster",
            "postcode": "6711",
            "beds_free": "0",
            "kind_long_term": "1",
            "kind_part_time": "1",
            "part_time_places_free": "2",
        }
        made = client.post("/woonplekken/nieuw", data=body)
        assert made.status_code == 200, made.text
        stored = client.get(
            "/v1/homes/H-WEEKEND",
            headers={"Authorization": f"Bearer {fresh_demo.keys['provider']}"},
        ).json()
        assert (stored["care_kinds"], stored["part_time_places_free"]) == (
            ["long_term", "part_time"],
            2,
        )
        assert part_time_shown(made.text, "H-WEEKEND") == "2"
        # A home without part-time care says so instead of offering the field.
        assert part_time_shown(made.text, "H-00007") is None
        token = csrf_of(made.text, "/woonplekken/H-WEEKEND/deeltijdplaatsen")
        bad = client.post(
            "/woonplekken/H-WEEKEND/deeltijdplaatsen",
            data={"csrf": token, "part_time_places_free": "-1"},
        )
        assert bad.status_code == 422
        assert part_time_shown(client.get("/woonplekken").text, "H-WEEKEND") == "2"
        good = client.post(
            "/woonplekken/H-WEEKEND/deeltijdplaatsen",
            data={"csrf": token, "part_time_places_free": "1"},
        )
        assert "De vrije deeltijdplaatsen van woonplek H-WEEKEND zijn opgeslagen." in good.text
        assert part_time_shown(good.text, "H-WEEKEND") == "1"
        cleared = client.post(
            "/woonplekken/H-WEEKEND/deeltijdplaatsen",
            data={"csrf": token, "part_time_places_free": ""},
        )
        assert part_time_shown(cleared.text, "H-WEEKEND") == ""


def test_part_time_places_without_part_time_care_are_refused_on_the_form(
    fresh_demo: Demo,
) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken/nieuw").text
        body = {
            "csrf": csrf_of(page, "/woonplekken/nieuw"),
            "id": "H-NO-WEEKEND",
            "type": "foster",
            "postcode": "6711",
            "beds_free": "1",
            "part_time_places_free": "2",
        }
        bad = client.post("/woonplekken/nieuw", data=body)
        assert bad.status_code == 422
        assert "H-NO-WEEKEND" not in client.get("/woonplekken").text


def test_a_refused_step_and_a_field_problem_read_in_dutch_only(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken").text
        token = csrf_of(page, "/woonplekken/H-00007/bedden")
        bad = client.post("/woonplekken/H-00007/bedden", data={"csrf": token, "beds_free": "x"})
        assert bad.status_code == 422
        notice = bad.text.split('class="notice notice-error"', 1)[1].split("</div>", 1)[0]
        assert "Woonplek H-00007: vul een heel getal van 0 tot en met 200 in." in notice
        for english in ("a whole number", "$.beds_free", "invalid"):
            assert english not in notice, english
        # A refused step: an id already in use.
        form = client.get("/woonplekken/nieuw").text
        body = {
            "csrf": csrf_of(form, "/woonplekken/nieuw"),
            "id": "H-00007",
            "type": "foster",
            "postcode": "6711",
            "beds_free": "1",
        }
        taken = client.post("/woonplekken/nieuw", data=body)
        assert taken.status_code == 409
        notice = taken.text.split('class="notice notice-error"', 1)[1].split("</div>", 1)[0]
        assert "Er is al een woonplek met dit id." in notice
        assert "already in use" not in notice
        assert "id_taken" not in notice
        client.post(
            "/taal", data={"csrf": csrf_of(client.get("/woonplekken").text, "/taal"), "lang": "en"}
        )
        english = client.post("/woonplekken/nieuw", data=body)
        assert "A home with this id already exists." in english.text


def test_the_figures_form_takes_and_shows_dutch_dates(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/cijfers", params={"van": "1-1-2026", "tot": "30-6-2026"})
        assert page.status_code == 200
        assert 'name="van" type="text"' in page.text
        assert 'value="1-1-2026"' in page.text
        assert 'value="30-6-2026"' in page.text
        bad = client.get("/cijfers", params={"van": "31-2-2026"})
        assert bad.status_code == 422
        assert "moet een datum zijn (1-12-2026 of 2026-12-01)" in bad.text
        assert "YYYY" not in bad.text


def test_a_childs_page_counts_the_excluded_homes_and_explains_the_nearest(fresh_demo: Demo) -> None:
    # Other tests change the shared demo (the browser flow proposes children): its own.
    with signed_in(fresh_demo.app, fresh_demo.keys["coordinator"]) as client:
        page = client.get("/kinderen/C-0001").text
    assert "Uitgesloten woonplekken per reden" in page
    summary = page.split('id="h-excluded-summary"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"<li>[^<]+: \d+ van de \d+ woonplekken\.</li>", summary)
    nearest = page.split('id="h-excluded"', 1)[1].split("</section>", 1)[0]
    assert 1 <= nearest.count('<th scope="row">') <= 8


def test_a_match_run_counts_unplaced_children_not_lines(fresh_demo: Demo) -> None:
    # Sibling groups share one line; the heading counts the children on them, so that it
    # adds up with the comparison's "placed N of M".
    with signed_in(fresh_demo.app, fresh_demo.keys["coordinator"]) as client:
        page = client.get("/matchronde").text
        run = client.post("/matchronde", data={"csrf": csrf_of(page, "/matchronde")}).text
        table = run.split('id="vergelijking"', 1)[1].split("</table>", 1)[0]
        placed = re.search(r'<td class="num">(\d+) van (\d+)</td>', table)
        assert placed is not None
        heading = re.search(r"<h2>Niet geplaatst: (\d+) kinderen</h2>", run)
        assert heading is not None
        lines = run.count('<article class="option" aria-labelledby="u-')
        assert int(heading.group(1)) == int(placed.group(2)) - int(placed.group(1))
        assert int(heading.group(1)) > lines  # the demo has an unplaced sibling group
