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
def serving(cwd: Path) -> Iterator[tuple[str, dict[str, str], list[str]]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DICHTBIJ"))}
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
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
        deadline = time.monotonic() + 20
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
