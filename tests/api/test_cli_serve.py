"""``dichtbij serve`` on a fresh checkout: creates, migrates and seeds ./data/, prints the URL
and one demo key per role, and answers the contract's endpoints."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.services.seed import demo_document
from tests.api.test_concurrency import _free_port

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serving(
    cwd: Path, *args: str, **env_extra: str
) -> Iterator[tuple[str, dict[str, str], list[str]]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DICHTBIJ"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_extra)
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner: list[str] = []
        keys: dict[str, str] = {}
        while "admin" not in keys:
            line = process.stdout.readline()
            assert line, "serve exited before printing its keys"
            banner.append(line.rstrip())
            parts = line.split()
            if len(parts) == 3 and parts[2].startswith("dbk_"):
                keys[parts[0]] = parts[2]
        url = f"http://127.0.0.1:{port}"
        # Two workers each import the app (seconds on a busy machine) before answering.
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "server did not answer"
                time.sleep(0.05)
        yield url, keys, banner
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def test_serve_on_a_fresh_checkout(tmp_path: Path) -> None:
    children = len(demo_document()["children"])
    with serving(tmp_path) as (url, keys, banner):
        assert (tmp_path / "data" / "dichtbij.sqlite3").exists()
        assert f"  URL:      {url}" in banner
        assert set(keys) == {"coordinator", "provider", "municipality", "admin"}
        assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "Dichtbij"
        listed = httpx.get(
            f"{url}/v1/children", headers={"Authorization": f"Bearer {keys['coordinator']}"}
        )
        assert listed.json()["total"] == children
        first_keys = keys
    with serving(tmp_path) as (url, keys, banner):
        assert not any("demo scenario loaded" in line for line in banner)
        old = httpx.get(
            f"{url}/v1/homes", headers={"Authorization": f"Bearer {first_keys['admin']}"}
        )
        assert old.status_code == 401
        new = httpx.get(
            f"{url}/v1/children", headers={"Authorization": f"Bearer {keys['coordinator']}"}
        )
        assert new.json()["total"] == children


def test_two_workers_share_the_limits_and_the_sessions(tmp_path: Path) -> None:
    # 3 options at once per key, then one a minute: the limit of the service, not per worker.
    limits = {"DICHTBIJ_OPTIONS_BURST": "3", "DICHTBIJ_OPTIONS_PER_MINUTE": "1"}
    with serving(tmp_path, "--workers", "2", **limits) as (url, keys, banner):
        assert "  workers:  2 processes" in banner
        auth = {"Authorization": f"Bearer {keys['coordinator']}"}
        child_id = httpx.get(f"{url}/v1/children", headers=auth).json()["items"][0]["id"]
        # A new connection per request: the processes take turns accepting them.
        statuses = [
            httpx.get(f"{url}/v1/children/{child_id}/options", headers=auth).status_code
            for _ in range(12)
        ]
        assert statuses == [200] * 3 + [429] * 9
        with httpx.Client(base_url=url) as browser:
            page = browser.get("/aanmelden")
            form = page.text.split('action="/aanmelden"', 1)[1]
            token = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            signed = browser.post("/aanmelden", data={"key": keys["provider"], "csrf": token})
            assert signed.status_code == 303
            cookie = browser.cookies["dichtbij_sessie"]
        for _ in range(8):
            page = httpx.get(
                f"{url}/aanbod", cookies={"dichtbij_sessie": cookie}, follow_redirects=False
            )
            assert page.status_code == 200
