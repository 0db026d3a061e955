"""Screenshots of the main screens into docs/screens/, from a fresh demo database served
in-process: ``.venv/bin/python scripts/screenshots.py`` (needs Debian's chromium).

The coordinator first proposes child C-0001 to a home of the demo provider, so that the
provider's page has a proposal to answer."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, Demo, make_demo, serve  # noqa: E402

OUT = ROOT / "docs" / "screens"


def page_for(browser: Any, url: str, demo: Demo, role: str | None) -> Any:
    page = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900}).new_page()
    if role is not None:
        page.goto("/aanmelden")
        page.get_by_label("Sleutel").fill(demo.keys[role])
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state()
    return page


def shot(page: Any, name: str, path: str | None = None, full_page: bool = False) -> None:
    if path is not None:
        page.goto(path)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full_page)
    print(OUT / f"{name}.png")


def place(page: Any, demo: Demo, child_id: str) -> str:
    """``child_id`` proposed to a home of the demo provider, accepted and confirmed through
    the API: the child is placed there. Answers the child's id."""
    coordinator = {"Authorization": f"Bearer {demo.keys['coordinator']}"}
    provider = {"Authorization": f"Bearer {demo.keys['provider']}"}
    ranked = page.request.get(f"/v1/children/{child_id}/options", headers=coordinator).json()
    home = next(
        o["home_id"] for o in ranked["options"] if o["organisation"] == "pleegzorg-gelderland"
    )
    made = page.request.post(
        "/v1/proposals",
        data={"child_ids": ranked["members"], "home_id": home},
        headers=coordinator,
    ).json()
    page.request.post(f"/v1/proposals/{made['id']}/accept", headers=provider)
    page.request.post(f"/v1/proposals/{made['id']}/confirm", headers=coordinator)
    return child_id


def main() -> None:
    if CHROMIUM is None:
        raise SystemExit("no chromium binary: apt-get install chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    demo = make_demo(Path(tempfile.mkdtemp()))
    # serve is a generator (a fixture's body) that stops the server in its finally.
    with contextlib.contextmanager(serve)(demo) as live, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        anonymous = page_for(browser, live.url, demo, None)
        shot(anonymous, "aanmelden", "/aanmelden")
        anonymous.goto("/docs")
        anonymous.wait_for_selector(".opblock-tag")
        shot(anonymous, "docs")

        coordinator = page_for(browser, live.url, demo, "coordinator")
        shot(coordinator, "wachtlijst", "/wachtlijst")
        shot(coordinator, "kind", "/kinderen/C-0001")
        coordinator.locator("article.option details").first.locator("summary").click()
        coordinator.locator("article.option").first.scroll_into_view_if_needed()
        shot(coordinator, "kind-uitleg")
        option = coordinator.locator("article.option").filter(has_text="pleegzorg-gelderland")
        option.first.get_by_role("button", name="Voorstellen").click()
        coordinator.wait_for_selector("text=Voorgesteld aan woonplek")
        shot(coordinator, "voorgesteld")
        # Below the proposals: how many homes were weighed, a home held for the child too.
        coordinator.locator("#bekeken").scroll_into_view_if_needed()
        shot(coordinator, "voorgesteld-bekeken")
        coordinator.goto("/matchronde")
        coordinator.get_by_label("Laatste kinderen bekijken (K)").fill("3")
        coordinator.get_by_role("button", name="Matchronde starten").click()
        coordinator.wait_for_selector("#vergelijking")
        shot(coordinator, "matchronde")
        coordinator.locator("#uitstroom").scroll_into_view_if_needed()
        shot(coordinator, "matchronde-uitstroom")
        coordinator.locator("#grens").scroll_into_view_if_needed()
        shot(coordinator, "matchronde-grens")

        provider = page_for(browser, live.url, demo, "provider")
        shot(provider, "aanbod", "/aanbod")
        shot(provider, "woonplekken", "/woonplekken")
        shot(provider, "importeren", "/woonplekken/importeren")
        provider.goto("/woonplekken/nieuw")
        provider.get_by_label("Kenmerk van de woonplek").fill("H-2027-01")
        provider.get_by_label("Postcode").fill("0000")
        provider.get_by_label("Vrije bedden").fill("2")
        provider.get_by_role("button", name="Registreren").click()
        provider.wait_for_selector("#error-summary")
        shot(provider, "woonplek-registreren-fout")

        municipality = page_for(browser, live.url, demo, "municipality")
        shot(municipality, "cijfers", "/cijfers")
        municipality.locator(".charts").scroll_into_view_if_needed()
        shot(municipality, "cijfers-grafieken")
        # The trend with the periods the chosen dates cut, hatched, and the note naming them.
        municipality.locator("figure").filter(
            has=municipality.locator("#trend-deels")
        ).scroll_into_view_if_needed()
        shot(municipality, "cijfers-trend")
        municipality.goto("/planning")
        municipality.get_by_label("Aantal extra bedden").fill("3")
        municipality.get_by_label("Laatste kinderen bekijken (K)").fill("3")
        municipality.get_by_role("button", name="Plan bedden").click()
        municipality.wait_for_selector("#plan")
        shot(municipality, "planning", full_page=True)
        municipality.get_by_label("Dagen").fill("180")
        municipality.get_by_label("Herhalingen").fill("5")
        municipality.get_by_role("button", name="Simuleer").click()
        municipality.wait_for_selector("#simulatie")
        municipality.locator("#simulatie").scroll_into_view_if_needed()
        shot(municipality, "planning-simulatie", full_page=True)
        municipality.goto("/cijfers")
        municipality.get_by_role("button", name="English").click()
        municipality.wait_for_selector("html[lang=en]")
        shot(municipality, "figures-en")

        # Last, as it changes the demo: a child placed (by the API), then its placement's
        # end form answered with every wrong field at once, at the form.
        child = place(coordinator, demo, "C-0005")
        coordinator.goto(f"/kinderen/{child}")
        coordinator.get_by_label("Laatste dag (niet verplicht)").fill("1-1-2099")
        coordinator.get_by_role("button", name="Plaatsing beëindigen").click()
        coordinator.wait_for_selector("#end-error-summary")
        coordinator.locator("#beeindigen").scroll_into_view_if_needed()
        shot(coordinator, "plaatsing-beeindigen-fout")
        browser.close()


if __name__ == "__main__":
    main()
