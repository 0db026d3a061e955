"""Ending a placement on the child's page (a breakdown above all): a reason and a ticked
confirmation, since it cannot be undone; the home is not offered to the child again, and the
page of a child whose brother or sister still lives there keeps working."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.web.conftest import Demo, csrf_of, sign_in
from tests.web.test_screen_fixes import _propose


def _placed_group(client: TestClient, demo: Demo, child: str = "C-0039") -> str:
    """C-0039 and its two siblings (or ``child`` with its group) placed together in a home
    of the demo provider."""
    proposal, home = _propose(client, demo, child)
    provider = {"Authorization": f"Bearer {demo.keys['provider']}"}
    coordinator = {"Authorization": f"Bearer {demo.keys['coordinator']}"}
    assert client.post(f"/v1/proposals/{proposal}/accept", headers=provider).status_code == 200
    assert client.post(f"/v1/proposals/{proposal}/confirm", headers=coordinator).status_code == 200
    return home


def _open_placement(client: TestClient, demo: Demo, child_id: str) -> dict[str, object] | None:
    headers = {"Authorization": f"Bearer {demo.keys['coordinator']}"}
    page = client.get("/v1/placements?open=true&limit=500", headers=headers).json()
    return next((p for p in page["items"] if p["child_id"] == child_id), None)


def _coordinator_ending_c0039(client: TestClient, demo: Demo) -> tuple[str, str]:
    """C-0039's group placed together, and the coordinator signed in: the home and the
    end form's action for C-0039's placement."""
    home = _placed_group(client, demo)
    placement = _open_placement(client, demo, "C-0039")
    assert placement is not None
    sign_in(client, demo.keys["coordinator"])
    return home, f"/plaatsingen/{placement['id']}/beeindigen"


def test_a_coordinator_ends_a_placement_that_broke_down_on_the_childs_page(
    fresh_demo: Demo,
) -> None:
    with TestClient(fresh_demo.app) as client:
        home, action = _coordinator_ending_c0039(client, fresh_demo)
        page = client.get("/kinderen/C-0039").text
        assert f'action="{action}"' in page
        assert 'for="end-reason"' in page
        assert 'for="end-confirm"' in page

        # Without the ticked confirmation nothing ends.
        token = csrf_of(page, action)
        unticked = client.post(action, data={"csrf": token, "reason": "breakdown"})
        assert unticked.status_code == 422
        assert "vink aan dat u dit bevestigt" in html.unescape(unticked.text)
        assert _open_placement(client, fresh_demo, "C-0039") is not None

        ended = client.post(
            action,
            data={"csrf": token, "reason": "breakdown", "confirm": "1"},
            follow_redirects=False,
        )
        assert ended.status_code == 303
        assert ended.headers["location"] == "/kinderen/C-0039"
        assert _open_placement(client, fresh_demo, "C-0039") is None

        # Its brother and sister still live there; the child waits again. Its page (with
        # each option's effect on the waiting list) answers, says what happened, and never
        # offers the home where the placement broke down.
        after = client.get("/kinderen/C-0039")
        assert after.status_code == 200, after.text
        text = html.unescape(after.text)
        assert f"De plaatsing van C-0039 in woonplek {home} is beëindigd" in text
        assert not re.search(rf"<h3[^>]*>\d+\. [^<]*{home}", text)
        assert f'action="{action}"' not in text
        coordinator = {"Authorization": f"Bearer {fresh_demo.keys['coordinator']}"}
        child = client.get("/v1/children/C-0039", headers=coordinator).json()
        assert child["status"] == "waiting"
        assert {"home_id": home, "event": "breakdown"}.items() <= child["history"][-1].items()


def test_a_provider_cannot_end_a_placement_from_the_screens(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        _placed_group(client, fresh_demo)
        placement = _open_placement(client, fresh_demo, "C-0039")
        assert placement is not None
        sign_in(client, fresh_demo.keys["provider"])
        token = csrf_of(client.get("/aanbod").text)
        refused = client.post(
            f"/plaatsingen/{placement['id']}/beeindigen",
            data={"csrf": token, "reason": "breakdown", "confirm": "1"},
        )
        assert refused.status_code == 403
        assert _open_placement(client, fresh_demo, "C-0039") is not None


def _group_ids(page: str) -> list[str]:
    return re.findall(r'name="group_ids" value="([^"]+)"', page)


def test_a_coordinator_ends_the_whole_groups_placements_with_one_form(fresh_demo: Demo) -> None:
    # C-0039, C-0040 and C-0041 live together in one home: one reason, one last day and one
    # tick end all three placements, in one transaction.
    with TestClient(fresh_demo.app) as client:
        home = _placed_group(client, fresh_demo)
        sign_in(client, fresh_demo.keys["coordinator"])
        page = client.get("/kinderen/C-0040").text
        text = html.unescape(page)
        assert "Wiens plaatsing eindigt?" in text
        assert f"Die van de hele broer-zusgroep in woonplek {home}: C-0040, C-0039, C-0041" in text
        placement = _open_placement(client, fresh_demo, "C-0040")
        assert placement is not None
        action = f"/plaatsingen/{placement['id']}/beeindigen"
        ids = _group_ids(page)
        assert len(ids) == 3
        ended = client.post(
            action,
            data={
                "csrf": csrf_of(page, action),
                "scope": "group",
                "group_ids": ids,
                "reason": "breakdown",
                "confirm": "1",
            },
            follow_redirects=False,
        )
        assert ended.status_code == 303, ended.text
        for child in ("C-0039", "C-0040", "C-0041"):
            assert _open_placement(client, fresh_demo, child) is None
        after = html.unescape(client.get("/kinderen/C-0040").text)
        said = f"De plaatsingen van C-0040, C-0039 en C-0041 in woonplek {home} zijn beëindigd"
        assert said in after
        assert "de kinderen wachten weer op een plek" in after  # the group, not "het kind"
        coordinator = {"Authorization": f"Bearer {fresh_demo.keys['coordinator']}"}
        for child in ("C-0039", "C-0040", "C-0041"):
            record = client.get(f"/v1/children/{child}", headers=coordinator).json()
            assert record["status"] == "waiting"
            assert {"home_id": home, "event": "breakdown"}.items() <= record["history"][-1].items()


def test_ending_a_group_changes_nothing_when_one_placement_cannot_end(fresh_demo: Demo) -> None:
    # The page listed three placements; one of them ended meanwhile (another coordinator,
    # another tab). The group's form is refused as a whole and the other two stay open.
    with TestClient(fresh_demo.app) as client:
        _placed_group(client, fresh_demo)
        sign_in(client, fresh_demo.keys["coordinator"])
        page = client.get("/kinderen/C-0039").text
        ids = _group_ids(page)
        placement = _open_placement(client, fresh_demo, "C-0039")
        sister = _open_placement(client, fresh_demo, "C-0041")
        assert placement is not None
        assert sister is not None
        coordinator = {"Authorization": f"Bearer {fresh_demo.keys['coordinator']}"}
        gone = client.post(
            f"/v1/placements/{sister['id']}/end", json={"reason": "move"}, headers=coordinator
        )
        assert gone.status_code == 200, gone.text
        action = f"/plaatsingen/{placement['id']}/beeindigen"
        refused = client.post(
            action,
            data={
                "csrf": csrf_of(page, action),
                "scope": "group",
                "group_ids": ids,
                "reason": "breakdown",
                "confirm": "1",
            },
        )
        assert refused.status_code == 409
        said = html.unescape(refused.text)
        assert "Deze plaatsing is al beëindigd." not in said  # C-0039's has not
        assert "De plaatsing van een van deze kinderen is al beëindigd" in said
        assert _open_placement(client, fresh_demo, "C-0039") is not None
        assert _open_placement(client, fresh_demo, "C-0040") is not None
        child = client.get("/v1/children/C-0039", headers=coordinator).json()
        assert child["status"] == "placed"
        assert not any(e["event"] == "breakdown" for e in child.get("history") or [])
        # The child alone still ends, as before.
        alone = client.post(
            action,
            data={
                "csrf": csrf_of(page, action),
                "scope": "child",
                "reason": "move",
                "confirm": "1",
            },
            follow_redirects=False,
        )
        assert alone.status_code == 303
        assert _open_placement(client, fresh_demo, "C-0039") is None
        assert _open_placement(client, fresh_demo, "C-0040") is not None


def test_a_child_placed_alone_has_no_group_choice(fresh_demo: Demo) -> None:
    with TestClient(fresh_demo.app) as client:
        _placed_group(client, fresh_demo, "C-0005")  # no brothers or sisters
        sign_in(client, fresh_demo.keys["coordinator"])
        page = client.get("/kinderen/C-0005").text
        assert "/beeindigen" in page
        assert "Wiens plaatsing eindigt?" not in html.unescape(page)
        assert not _group_ids(page)


def test_every_wrong_field_of_the_end_form_is_said_at_once_on_the_form_as_typed(
    fresh_demo: Demo,
) -> None:
    # No reason, a last day in the future (the service's own rule) and no tick: one answer
    # names all three at their fields, on the child's page, with what was typed kept.
    with TestClient(fresh_demo.app) as client:
        _, action = _coordinator_ending_c0039(client, fresh_demo)
        page = client.get("/kinderen/C-0039").text
        token = csrf_of(page, action)
        wrong = client.post(
            action,
            data={
                "csrf": token,
                "scope": "group",
                "group_ids": _group_ids(page),
                "end_date": "1-1-2099",
            },
        )
        assert wrong.status_code == 422
        text = html.unescape(wrong.text)
        assert f'action="{action}"' in text  # the form itself, not an error page
        summary = text.split('id="end-error-summary"')[1].split("</ul>")[0]
        assert '<a href="#end-reason">Reden</a>: kies waarom de plaatsing eindigt' in summary
        assert '<a href="#end-date">Laatste dag</a>: ligt in de toekomst' in summary
        assert '<a href="#end-confirm">Bevestiging</a>: vink aan dat u dit bevestigt' in summary
        assert re.search(r'id="end-date"[^>]* value="1-1-2099"[^>]*aria-invalid="true"', text)
        assert re.search(r'id="end-scope-group"[^>]* checked', text)
        assert 'id="end-e-reason"' in text
        assert _open_placement(client, fresh_demo, "C-0039") is not None

        # Fixed but for the day: said again at its field, the reason kept as chosen.
        again = client.post(
            action,
            data={"csrf": token, "reason": "move", "confirm": "1", "end_date": "1-1-2000"},
        )
        assert again.status_code == 422
        text = html.unescape(again.text)
        assert "Laatste dag</a>: ligt voor de begindatum van de plaatsing" in text
        assert '<option value="move" selected>' in text
        assert re.search(r'id="end-confirm"[^>]* checked', text)


def test_the_last_days_hint_and_its_error_name_the_same_dates_in_each_language(
    fresh_demo: Demo,
) -> None:
    # The English hint said "For example 2026-12-01" and its error "1-12-2026 or
    # 2026-12-01": each language's hint now gives the forms its error gives, in its order.
    with TestClient(fresh_demo.app) as client:
        _, action = _coordinator_ending_c0039(client, fresh_demo)
        said = {}
        for lang in ("nl", "en"):
            page = client.get("/kinderen/C-0039").text
            if lang == "en":
                client.post("/taal", data={"csrf": csrf_of(page, "/taal"), "lang": "en"})
                page = client.get("/kinderen/C-0039").text
            form = {"csrf": csrf_of(page, action), "reason": "move", "confirm": "1"}
            refused = client.post(action, data={**form, "end_date": "the first of May"})
            assert refused.status_code == 422
            text = html.unescape(refused.text)
            hint = text.split('id="end-date-hint">', 1)[1].split("</p>", 1)[0]
            error = text.split('id="end-error-summary"', 1)[1].split("</ul>", 1)[0]
            said[lang] = (hint, re.sub(r"<[^>]+>", "", error).split(": ", 1)[1].strip())
        assert said["nl"] == (
            "Leeg: vandaag. Bijvoorbeeld 1-12-2026 of 2026-12-01; niet na vandaag.",
            "moet een datum zijn (1-12-2026 of 2026-12-01)",
        )
        assert said["en"] == (
            "Empty: today. For example 2026-12-01, or day first 1-12-2026; not after today.",
            "a date (2026-12-01, or day first 1-12-2026)",
        )
