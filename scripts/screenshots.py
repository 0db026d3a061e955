"""Screenshots of the main screens into docs/screens/, from a fresh demo database served
in-process: ``.venv/bin/python scripts/screenshots.py`` (needs Debian's chromium)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, make_demo, serve  # noqa: E402

SHOTS = {
    None: [("aanmelden", "/aanmelden")],
    "coordinator": [
        ("wachtlijst", "/wachtlijst"),
        ("kind", "/kinderen/C-0001"),
        ("voorstellen", "/voorstellen"),
    ],
    "provider": [("aanbod", "/aanbod"), ("woonplekken", "/woonplekken")],
    "municipality": [("cijfers", "/cijfers")],
}


def main() -> None:
    if CHROMIUM is None:
        raise SystemExit("no chromium binary: apt-get install chromium")
    out = ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    demo = make_demo(Path(tempfile.mkdtemp()))
    server = serve(demo)
    live = next(server)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role, shots in SHOTS.items():
            page = browser.new_context(
                base_url=live.url, viewport={"width": 1280, "height": 900}
            ).new_page()
            if role is not None:
                page.goto("/aanmelden")
                page.get_by_label("Sleutel").fill(demo.keys[role])
                page.get_by_role("button", name="Aanmelden").click()
                page.wait_for_load_state()
            for name, path in shots:
                page.goto(path)
                page.screenshot(path=str(out / f"{name}.png"), full_page=False)
                print(out / f"{name}.png")
        browser.close()
    server.close()


if __name__ == "__main__":
    main()
