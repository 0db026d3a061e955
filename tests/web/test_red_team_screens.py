"""Screens as a placement coordinator, a provider and a municipality auditor read them,
found wrong by a red-team pass in a browser: counts that must match the lines shown, every
chart downloadable, and the end-placement form's problems named as the form names them."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import text

from api.reports.audit import _fmt
from api.services.history import SIMULATED_HISTORY
from solver.unlock import Change, change_text
from tests.web.conftest import Demo, csrf_of, sign_in, signed_in
from tests.web.test_end_placement import _coordinator_ending_c0039, _open_placement, _placed_group
from tests.web.test_screen_fixes import _propose


def _counts(page: str) -> tuple[int, int]:
    found = re.search(r"<p>(\d+) kind(?:eren)? · (\d+) regels?</p>", page)
    assert found, page
    return int(found[1]), int(found[2])


def _children_on_lines(page: str) -> int:
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return sum(
        len(cell.split(", "))
        for cell in re.findall(r'<th scope="row"><a href="/kinderen/[^"]+">([^<]+)</a>', table)
    )


def test_the_waiting_lists_child_count_follows_the_filter(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["coordinator"]) as client:
        everyone = client.get("/wachtlijst").text
        crisis = client.get("/wachtlijst?urgentie=crisis").text
        all_children, all_lines = _counts(everyone)
        children, lines = _counts(crisis)
        assert all_children == _children_on_lines(everyone)
        # "59 kinderen · 10 regels" over the crisis lines read as 59 children in crisis.
        assert children == _children_on_lines(crisis)
        assert 0 < children < all_children
        assert 0 < lines < all_lines


def test_every_chart_on_the_figures_page_can_be_downloaded(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/cijfers").text
        shown = set(re.findall(r'<img src="(/cijfers/grafiek-[a-z]+\.png\?[^"]+)"', page))
        assert len(shown) == 3
        downloads = page.split("<h2>Downloads</h2>", 1)[1]
        link = r'<a href="(/cijfers/grafiek-[a-z]+\.png\?[^"]+)" download>'
        offered = set(re.findall(link, downloads))
        # Only the kinds of home chart was offered; the auditor's report needs all three.
        assert offered == shown
        for url in offered:
            answer = client.get(url.replace("&amp;", "&"))
            assert answer.status_code == 200
            assert answer.headers["content-type"] == "image/png"


def test_a_wrong_last_day_is_named_as_the_end_placement_form_names_it(
    fresh_demo: Demo,
) -> None:
    with TestClient(fresh_demo.app) as client:
        _, action = _coordinator_ending_c0039(client, fresh_demo)
        page = client.get("/kinderen/C-0039").text
        assert "Laatste dag (niet verplicht)" in page
        form = {"csrf": csrf_of(page, action), "reason": "move", "confirm": "1"}
        refused = client.post(action, data={**form, "end_date": "31-12-2099"})
        assert refused.status_code == 422
        summary = refused.text.split('id="end-error-summary"', 1)[1].split("</ul>", 1)[0]
        # The page called the field "Einddatum", a word the form does not use.
        assert '<a href="#end-date">Laatste dag</a>: ligt in de toekomst' in summary
        assert _open_placement(client, fresh_demo, "C-0039") is not None


def test_the_planning_form_names_every_wrong_field_at_once(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/planning").text
        token = csrf_of(page, "/planning/bedden")
        refused = client.post(
            "/planning/bedden", data={"csrf": token, "bedden": "0", "laatste": "99"}
        )
        assert refused.status_code == 422
        text = html.unescape(refused.text)
        # Only the beds were named; the K of 99 came back after the beds were put right.
        assert "Aantal extra bedden" in text
        assert "Laatste kinderen bekijken (K)" in text
        assert "moet een heel getal van 0 tot en met 20 zijn" in text


def test_a_period_the_wrong_way_round_names_the_figures_fields(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = client.get("/cijfers").text
        assert ">Tot en met</label>" in page
        refused = client.get("/cijfers?van=1-1-2027&tot=1-1-2026")
        assert refused.status_code == 422
        cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", refused.text.split("<tbody>", 1)[1])
        # "ligt na de einddatum" named a field the form does not have.
        assert cells[:2] == ["Van", "ligt na de datum bij &#39;Tot en met&#39;"]


def test_a_sibling_groups_line_says_whose_wait_it_shows(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["coordinator"]) as client:
        listed = html.unescape(client.get("/wachtlijst").text)
        line = next(r for r in listed.split("<tr>") if ">C-0003, C-0004</a>" in r)
        # The line shows C-0004's wait but links to C-0003, whose page says 15 October.
        assert "Wacht sinds 14 mei 2026 (C-0004 het langst)" in line
        assert 'href="/kinderen/C-0003"' in line
        page = html.unescape(client.get("/kinderen/C-0003").text)
        assert "<dd>15 oktober 2026</dd>" in page
        # A line of one child (whichever other tests left waiting) names no one.
        singles = [r for r in listed.split("<tr>")[1:] if re.search(r">C-\d+</a>", r)]
        assert singles
        assert not any("het langst" in r for r in singles)


def test_every_distance_on_the_figures_page_shows_its_tenth(demo: Demo) -> None:
    with signed_in(demo.app, demo.keys["municipality"]) as client:
        page = html.unescape(client.get("/cijfers").text)
    rows = re.findall(r"<tr><th scope=\"row\">([^<]*\(km\))</th>(.*?)</tr>", page, re.S)
    assert len(rows) >= 5
    cells = [c for _, row in rows for c in re.findall(r"<td[^>]*>([^<]*)</td>", row)]
    numbers = [c.strip() for c in cells if c.strip()[:1].isdigit()]
    assert numbers
    # The 90th percentile read "21" beside "8,3" (and "21,0" in the CSV).
    assert all(re.fullmatch(r"\d+,\d", n) for n in numbers), numbers
    assert _fmt(21.0, "km", "nl") == "21,0"
    assert _fmt(21.0, "km", "en") == "21.0"
    assert _fmt(53, "days", "nl") == "53"


def test_the_simulated_history_among_closed_proposals_is_said_to_be_simulated(
    demo: Demo,
) -> None:
    for role, path in (("coordinator", "/voorstellen"), ("provider", "/aanbod")):
        with signed_in(demo.app, demo.keys[role]) as client:
            page = html.unescape(client.get(path).text)
        closed = page.split("<h2>Onlangs afgehandeld</h2>", 1)[1]
        # Twenty HIST- proposals read as real ones: the banner was on the figures page only.
        assert "HIST-" in closed
        assert "zijn gesimuleerd voor een demonstratie" in closed


def test_closed_proposals_without_simulated_ones_carry_no_such_note(fresh_demo: Demo) -> None:
    with fresh_demo.uow.write() as tx:
        tx.session.execute(
            text("DELETE FROM service_state WHERE key = :k"), {"k": SIMULATED_HISTORY}
        )
        tx.commit()
    with signed_in(fresh_demo.app, fresh_demo.keys["coordinator"]) as client:
        page = html.unescape(client.get("/voorstellen").text)
    assert "zijn gesimuleerd voor een demonstratie" not in page


def _landmark_names(page: str) -> list[str]:
    """The accessible names of a page's region landmarks: sections named by their heading
    and the boxes wide tables scroll in."""
    headings = dict(re.findall(r'<h\d id="([^"]+)"[^>]*>(.*?)</h\d>', page, re.S))
    sections = re.findall(r'<section[^>]*aria-labelledby="([^"]+)"', page)
    named = [re.sub(r"<[^>]+>", "", headings[s]).strip() for s in sections if s in headings]
    return named + re.findall(r'role="region" aria-label="([^"]+)"', page)


def test_no_two_landmarks_on_a_page_share_a_name(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        _placed_group(client, fresh_demo)
        sign_in(client, fresh_demo.keys["coordinator"])
        pages = [client.get(p).text for p in ("/kinderen/C-0039", "/kinderen/C-0049")]
        form = {"csrf": csrf_of(client.get("/matchronde").text, "/matchronde"), "laatste": "2"}
        pages.append(client.post("/matchronde", data=form).text)
    for page in pages:
        names = _landmark_names(html.unescape(page))
        assert len(names) >= 2
        # A section headed "Voorstellen" held a table box also named "Voorstellen".
        assert len(names) == len(set(names)), names


def test_a_childs_page_says_why_the_carers_declined(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        proposal, home = _propose(client, fresh_demo, "C-0005")
        provider = {"Authorization": f"Bearer {fresh_demo.keys['provider']}"}
        declined = client.post(
            f"/v1/proposals/{proposal}/decline",
            json={"reason": "Het gezin is ziek"},
            headers=provider,
        )
        assert declined.status_code == 200, declined.text
        sign_in(client, fresh_demo.keys["coordinator"])
        page = html.unescape(client.get("/kinderen/C-0005").text)
    section = page.split('id="h-proposals"', 1)[1].split("</section>", 1)[0]
    row = next(r for r in section.split("<tr>") if f">{home}</th>" in r)
    # The row said "afgewezen" only; the reason was on the Voorstellen page alone.
    assert "afgewezen" in row
    assert "Reden: Het gezin is ziek" in row


def test_what_would_open_a_place_says_care_once_in_english() -> None:
    medical = Change("capability", 1, 2, domain="medical")
    # The English match run read "medical care care at level 2 (now 1)".
    # A level's name says it is a level: not "at level moderate (2)", "op niveau matig (2)".
    assert change_text(medical, "en") == "medical care at moderate (2) instead of light (1)"
    assert change_text(Change("capability", 0, 3, domain="autism"), "en") == (
        "autism care at intensive (3) instead of none (0)"
    )
    assert change_text(medical, "nl") == "medische zorg matig (2) aankunnen in plaats van licht (1)"


def test_free_beds_out_of_range_are_refused_at_the_homes_field(fresh_demo: Demo) -> None:
    with signed_in(fresh_demo.app, fresh_demo.keys["provider"]) as client:
        page = client.get("/woonplekken").text
        before = page.split('id="beds-H-00005"', 1)[1].split(">", 1)[0]
        token = csrf_of(page, "/woonplekken/H-00005/bedden")
        for typed in ("-1", "500", "twee"):
            refused = client.post(
                "/woonplekken/H-00005/bedden", data={"csrf": token, "beds_free": typed}
            )
            # An error page said "Vrije bedden" without saying which of 32 homes.
            assert refused.status_code == 422
            message = refused.text.split('id="beds-error-H-00005">', 1)[1].split("</p>", 1)[0]
            assert message == "Woonplek H-00005: vul een heel getal van 0 tot en met 200 in."
            field = refused.text.split('id="beds-H-00005"', 1)[1].split(">", 1)[0]
            assert f'value="{typed}"' in field
            assert 'aria-invalid="true"' in field
        after = client.get("/woonplekken").text.split('id="beds-H-00005"', 1)[1].split(">", 1)[0]
        assert after == before
        other = client.post("/woonplekken/H-00002/bedden", data={"csrf": token, "beds_free": "x"})
        assert other.status_code == 404  # another provider's home stays unknown
