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
import pytest

from api.services.seed import demo_document
from tests.scratch import free_port

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serving(
    cwd: Path, *args: str, pids: list[int] | None = None, **env_extra: str
) -> Iterator[tuple[str, dict[str, str], list[str]]]:
    """The service started by ``dichtbij serve``: its URL, demo keys and banner (and its
    process id appended to ``pids``)."""
    port = free_port()
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
    if pids is not None:
        pids.append(process.pid)
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
        assert f"  URL:       {url}" in banner
        assert set(keys) == {"coordinator", "provider", "municipality", "admin"}
        assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "Dichtbij"
        listed = httpx.get(
            f"{url}/v1/children", headers={"Authorization": f"Bearer {keys['coordinator']}"}
        )
        assert listed.json()["total"] == children
        first_keys = keys
    with serving(tmp_path) as (url, keys, banner):
        assert not any("demoscenario geladen" in line for line in banner)
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
        assert "  processen: 2 werkprocessen" in banner
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


def _workers_of(parent: int) -> set[int]:
    """The worker processes ``parent`` started (Linux /proc; multiprocessing's resource
    tracker, a child too, left out)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"spawn_main" in command:
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_that_dies_is_replaced_and_the_service_keeps_answering(
    tmp_path: Path,
) -> None:
    pids: list[int] = []
    with serving(tmp_path, "--workers", "2", pids=pids) as (url, keys, _):
        parent = pids[0]
        auth = {"Authorization": f"Bearer {keys['coordinator']}"}
        deadline = time.monotonic() + 60
        while len(workers := _workers_of(parent)) < 2:
            assert time.monotonic() < deadline, workers
            time.sleep(0.1)
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        while not (_workers_of(parent) - workers):
            assert time.monotonic() < deadline, "no worker started in its place"
            time.sleep(0.1)
        # Each on a new connection: whichever worker the kernel hands it to answers.
        answers = []
        while len(answers) < 20:
            assert time.monotonic() < deadline, answers
            try:
                answers.append(httpx.get(f"{url}/v1/children", headers=auth).status_code)
            except httpx.TransportError:  # the new worker may still be starting
                time.sleep(0.1)
        assert answers == [200] * 20
        assert victim not in _workers_of(parent)
