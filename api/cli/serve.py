"""``dichtbij serve``: migrate the database, seed the demo on first start, run the HTTP API.

Uses ``DATABASE_URL`` when it is set and otherwise the embedded SQLite file under
``./data/``. ``--workers N`` runs N processes, each building the app from the same
environment with :func:`worker_app`; they share the database, and with it the per-key
limits, the web sessions and the data version that keys the engine's caches.

Each worker listens on a socket of its own, bound to the same address with
``SO_REUSEPORT``, so that the kernel spreads new connections over the workers (by a hash of
each connection's addresses). uvicorn's own workers share one socket, and the worker that
wakes first accepts every connection waiting: 16 clients connecting at once were found
split 13 to 3 and 14 to 2 between two workers, so one process (one core: Python's lock)
served most of them while the other idled. :func:`_run_workers` starts a worker again if
it dies, and stops them all on SIGINT or SIGTERM. Where the platform has no
``SO_REUSEPORT``, uvicorn's workers serve as before.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import signal
import socket
import sys
import threading
from multiprocessing.process import BaseProcess
from typing import Any, TextIO

import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from api.cli.common import UsageError, texts
from api.clock import SystemClock
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.http.app import create_app
from api.logs import configure_logging
from api.services.seed import issue_demo_keys, seed_demo
from api.settings import Settings, SettingsError

__all__ = ["run", "settings_from_env", "worker_app"]

log = logging.getLogger("dichtbij.serve")

_T = texts("serve")

#: uvicorn's exit code for a worker that could not start (the app, or the socket's bind).
_STARTUP_FAILURE = 3


def settings_from_env() -> Settings:
    """The service settings; a bad variable is a usage error naming it."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise UsageError(str(exc)) from None


def worker_app() -> FastAPI:
    """The app of one worker process (``--workers`` above 1): the parent has migrated and
    seeded the database already."""
    settings = settings_from_env()
    configure_logging(settings.log_format)
    engine = make_engine(settings.url, **settings.engine_options)
    return create_app(settings, clock=SystemClock(), engine=engine)


def run(args: argparse.Namespace, _out: TextIO) -> None:
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    # Checked before the demo keys are issued anew (revoking the last ones): uvicorn took
    # 99999 and said it ran on it, listening nowhere.
    if not 1 <= args.port <= 65535:
        raise UsageError(f"--port must be between 1 and 65535, not {args.port}")
    settings = settings_from_env()
    if args.workers > 1 and make_url(settings.url).database in (None, "", ":memory:"):
        raise UsageError("--workers above 1 needs a database file or server, not :memory:")
    configure_logging(settings.log_format)
    engine = make_engine(settings.url, **settings.engine_options)
    migrate(engine)
    clock = SystemClock()
    uow = UnitOfWork(engine)
    t = _T[args.lang]
    url = f"http://{args.host}:{args.port}"
    lines = [
        t["title"],
        t["database"].format(url=settings.url_for_display),
        t["url"].format(url=url),
        t["screens"].format(url=url),
        t["docs"].format(url=url),
    ]
    if args.workers > 1:
        lines.append(t["workers"].format(n=args.workers))
    if settings.should_seed_demo:
        loaded = seed_demo(uow, clock.now())
        if loaded is not None:
            lines.append(t["demo_loaded"].format(homes=loaded.homes, children=loaded.children))
            lines.append(t["history"].format(n=loaded.history))
        lines.append(t["demo_keys"])
        for key in issue_demo_keys(uow, clock.now()):
            lines.append(f"    {key.role.value:<13} {key.organisation:<30} {key.key}")
    # The banner goes out before the server starts: uvicorn runs until interrupted.
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "access_log": False,
        "log_level": "info",
        # The root handler of api.logs writes uvicorn's lines too, in the same format.
        "log_config": None,
        # No Server header: it only tells an attacker which software to look up.
        "server_header": False,
    }
    if args.workers > 1:
        engine.dispose()  # each worker opens its own connections
        if hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux"):
            _run_workers(args.workers, options)
        else:  # pragma: no cover - not Linux: one shared socket
            uvicorn.run("api.cli.serve:worker_app", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(settings, clock=clock, engine=engine), **options)


def _listening_socket(host: str, port: int, *, shared: bool) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def _worker(options: dict[str, Any]) -> None:
    """One worker process: uvicorn on a socket of its own (``SO_REUSEPORT``)."""
    try:
        sock = _listening_socket(options["host"], options["port"], shared=True)
    except OSError as exc:
        log.error("worker cannot listen on port %s: %s", options["port"], exc)
        sys.exit(_STARTUP_FAILURE)
    config = uvicorn.Config("api.cli.serve:worker_app", factory=True, **options)
    uvicorn.Server(config).run(sockets=[sock])


def _run_workers(count: int, options: dict[str, Any]) -> None:
    """Run ``count`` worker processes until SIGINT or SIGTERM; one that dies is started
    again (one that could not start stops them all, as it would fail again)."""
    # Another program on the port would otherwise go unnoticed as long as it too had
    # SO_REUSEPORT; the workers bind only once the port is known to be free.
    try:
        _listening_socket(options["host"], options["port"], shared=False).close()
    except OSError as exc:
        raise UsageError(f"cannot listen on port {options['port']}: {exc}") from None
    spawn = multiprocessing.get_context("spawn")

    def start() -> BaseProcess:
        process = spawn.Process(target=_worker, args=(options,), name="dichtbij-worker")
        process.start()
        return process

    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    processes = [start() for _ in range(count)]
    while not stop.wait(0.5):
        for i, process in enumerate(processes):
            if process.is_alive():
                continue
            # A worker ends by itself with 0 only when told to stop (a SIGINT to the whole
            # process group, from a terminal); one that could not start would fail again.
            if process.exitcode in (0, _STARTUP_FAILURE):
                stop.set()
                break
            log.error("worker %s ended with %s; starting another", process.pid, process.exitcode)
            processes[i] = start()
    for process in processes:
        process.terminate()  # SIGTERM: uvicorn finishes the requests under way
    for process in processes:
        process.join(30)
        if process.is_alive():  # pragma: no cover - a worker that hangs
            process.kill()
            process.join()
