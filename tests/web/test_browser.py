"""The screens in a real browser (Debian's Chromium through Playwright): the whole matching
flow across the three roles, and an axe-core scan of every page."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.web.conftest import Live

pytestmark = pytest.mark.usefixtures("chromium")


@pytest.fixture
def browser(chromium: Any) -> Any:
    return chromium


def signed_in_page(browser: Any, live: Live, role: str, **options: Any) -> Any:
    context = browser.new_context(base_url=live.url, **options)
    page = context.new_page()
    page.goto("/aanmelden")
    page.get_by_label("Sleutel").fill(live.demo.keys[role])
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(re.compile(r"/(wachtlijst|aanbod|cijfers)$"))
    return page


def placed_in_figures(page: Any) -> str:
    page.goto("/cijfers")
    row = page.locator("#cijfers tbody tr").filter(has_text="Geplaatste kinderen").first
    return str(row.locator("td").first.inner_text())


def test_coordinator_proposes_provider_accepts_coordinator_confirms_municipality_counts(
    browser: Any, live: Live
) -> None:
    town = signed_in_page(browser, live, "municipality")
    before = placed_in_figures(town)

    coordinator = signed_in_page(browser, live, "coordinator")
    coordinator.get_by_role("link", name="C-0001", exact=True).click()
    coordinator.wait_for_selector("h1:has-text('Kind C-0001')")
    # The first ranked home of the demo provider's organisation.
    option = coordinator.locator("article.option").filter(has_text="pleegzorg-gelderland").first
    home_id = option.locator("h3").inner_text().split()[-1]
    option.get_by_role("button", name="Voorstellen").click()
    coordinator.wait_for_selector(f"text=Voorgesteld aan woonplek {home_id}")

    provider = signed_in_page(browser, live, "provider")
    offer = (
        provider.locator("article.option")
        .filter(has_text=f"Woonplek {home_id}")
        .filter(has=provider.get_by_role("button", name="Accepteren"))
    )
    offer.get_by_role("button", name="Accepteren").click()
    provider.wait_for_selector(f"text=Geaccepteerd voor woonplek {home_id}")

    coordinator.goto("/voorstellen")
    row = coordinator.locator("tr").filter(has_text="C-0001").filter(has_text=home_id).first
    row.get_by_role("button", name="Bevestigen").click()
    coordinator.wait_for_selector(f"text=Bevestigd: de plaatsing in woonplek {home_id}")
    coordinator.goto("/kinderen/C-0001")
    assert "geplaatst" in coordinator.locator("dl.facts").inner_text()

    after = placed_in_figures(town)
    assert int(after) == int(before) + 1


PAGES = {
    "coordinator": ["/wachtlijst", "/kinderen/C-0002", "/voorstellen", "/matchronde"],
    "provider": ["/aanbod", "/woonplekken", "/woonplekken/nieuw", "/woonplekken/importeren"],
    "municipality": ["/cijfers", "/planning"],
}


@pytest.fixture
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def propose_to_the_demo_provider(live: Live, child_id: str) -> None:
    """An open proposal, so that the provider's page shows its answer forms."""
    headers = {"Authorization": f"Bearer {live.demo.keys['coordinator']}"}
    ranked = httpx.get(f"{live.url}/v1/children/{child_id}/options", headers=headers).json()
    home = next(
        o["home_id"] for o in ranked["options"] if o["organisation"] == "pleegzorg-gelderland"
    )
    made = httpx.post(
        f"{live.url}/v1/proposals",
        json={"child_ids": ranked["members"], "home_id": home},
        headers=headers,
    )
    assert made.status_code == 201, made.text


@pytest.mark.parametrize("role", list(PAGES))
def test_every_page_has_no_serious_or_critical_axe_violation(
    browser: Any, live: Live, axe: Any, role: str
) -> None:
    if role == "provider":
        propose_to_the_demo_provider(live, "C-0005")
    page = signed_in_page(browser, live, role, bypass_csp=True)
    paths = ["/aanmelden", *PAGES[role]] if role == "coordinator" else PAGES[role]
    found = []
    for path in paths:
        if path == "/aanmelden":
            anonymous = browser.new_context(base_url=live.url, bypass_csp=True).new_page()
            anonymous.goto(path)
            results = axe.run(anonymous)
        else:
            page.goto(path)
            if path == "/aanbod":
                page.wait_for_selector("textarea[name=reason]")
            results = axe.run(page)
        found += [
            f"{path}: {v['id']} ({v['impact']}): {v['help']}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
    assert found == []


def test_the_keyboard_alone_signs_in_and_skips_to_the_content(browser: Any, live: Live) -> None:
    page = browser.new_context(base_url=live.url).new_page()
    page.goto("/aanmelden")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.get_by_label("Sleutel").focus()
    page.keyboard.type(live.demo.keys["municipality"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cijfers$"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"


def test_docs_render_with_every_other_host_cut_off(browser: Any, live: Live) -> None:
    context = browser.new_context(base_url=live.url)
    elsewhere: list[str] = []

    def only_here(route: Any) -> None:
        if route.request.url.startswith(live.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    page = context.new_page()
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Dichtbij" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".opblock-tag")
    assert elsewhere == []


def test_the_municipality_plans_beds_by_keyboard_and_the_answer_passes_axe(
    browser: Any, live: Live, axe: Any
) -> None:
    page = signed_in_page(browser, live, "municipality", bypass_csp=True)
    page.get_by_role("link", name="Planning").click()
    page.wait_for_selector("h1:has-text('Planning')")
    beds = page.get_by_label("Aantal extra bedden")
    beds.fill("2")
    page.get_by_label("Laatste kinderen bekijken (K)").fill("2")
    beds.press("Enter")  # submits the form it belongs to
    page.wait_for_selector("#plan h3")
    assert "Waar 2 extra bedden het meest helpen" in page.locator("#plan").inner_text()
    # Ede's demo area is small: the frontier says why it shows no points (the hidden count
    # of placed children would follow from them) instead of a table of hidden cells.
    grens = page.locator("#grens").inner_text()
    assert "De punten staan er niet" in grens
    assert "minder dan 5" not in grens
    found = [
        f"{v['id']} ({v['impact']}): {v['help']}"
        for v in axe.run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert found == []


#: The width of a small phone (an iPhone 12 to 15): every page must fit it.
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("role", list(PAGES))
def test_no_page_is_wider_than_a_390_px_phone(browser: Any, live: Live, role: str) -> None:
    if role == "provider":
        propose_to_the_demo_provider(live, "C-0009")
    page = signed_in_page(browser, live, role, viewport=PHONE)
    # A refused request (an unknown child) renders the error page, with its table.
    extra = ["/kinderen/C-9999"] if role == "coordinator" else []
    wider = {}
    for path in ["/aanmelden", *PAGES[role], *extra]:
        if path == "/aanmelden":
            shown = browser.new_context(base_url=live.url, viewport=PHONE).new_page()
        else:
            shown = page
        answer = shown.goto(path)
        assert answer.status == (404 if path in extra else 200), path
        width = shown.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wider[path] = width
    assert wider == {}


def _accepted_proposal(live: Live, child_id: str) -> str:
    """A proposal of ``child_id`` to the demo provider, accepted: (its home)."""
    propose_to_the_demo_provider(live, child_id)
    coordinator = {"Authorization": f"Bearer {live.demo.keys['coordinator']}"}
    provider = {"Authorization": f"Bearer {live.demo.keys['provider']}"}
    listed = httpx.get(f"{live.url}/v1/proposals?limit=500", headers=coordinator).json()
    mine = next(
        p for p in listed["items"] if child_id in p["child_ids"] and p["status"] == "proposed"
    )
    accepted = httpx.post(f"{live.url}/v1/proposals/{mine['id']}/accept", headers=provider)
    assert accepted.status_code == 200, accepted.text
    return str(mine["home_id"])


def test_a_proposals_actions_are_in_view_on_a_phone_without_scrolling_sideways(
    browser: Any, live: Live
) -> None:
    # On a 390 px phone the open proposals reflow into one block per proposal, so that
    # Bevestigen and Intrekken are on screen, not off to the right in a scrolling table.
    home = _accepted_proposal(live, "C-0031")
    page = signed_in_page(browser, live, "coordinator", viewport=PHONE)
    for path in ("/voorstellen", "/kinderen/C-0031"):
        page.goto(path)
        row = page.locator("tr").filter(has_text="C-0031").filter(has_text=home).first
        for name in ("Bevestigen", "Intrekken"):
            button = row.get_by_role("button", name=name)
            box = button.bounding_box()
            assert box is not None, (path, name)
            assert box["x"] >= 0, (path, name, box)
            assert box["x"] + box["width"] <= PHONE["width"], (path, name, box)
        scrolls = row.evaluate(
            "r => { const b = r.closest('.table-scroll'); return b.scrollWidth > b.clientWidth; }"
        )
        assert not scrolls, path
    # A desktop keeps the table: its column headings are shown, one row per proposal.
    wide = signed_in_page(browser, live, "coordinator", viewport={"width": 1280, "height": 900})
    wide.goto("/voorstellen")
    heading = wide.locator("table thead th").first
    assert heading.is_visible()
    row = wide.locator("tr").filter(has_text="C-0031").filter(has_text=home).first
    first, second = (row.locator("> *").nth(i).bounding_box() for i in range(2))
    assert first is not None
    assert second is not None
    assert abs(first["y"] - second["y"]) < 2  # side by side, not stacked
