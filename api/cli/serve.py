"""``dichtbij serve``: migrate the database, seed the demo on first start, run the HTTP API.

Uses ``DATABASE_URL`` when it is set and otherwise the embedded SQLite file under
``./data/``. ``--workers N`` runs N processes (uvicorn's workers), each building the app
from the same environment with :func:`worker_app`; they share the database, and with it
the per-key limits, the web sessions and the data version that keys the engine's caches.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from api.cli.common import UsageError
from api.clock import SystemClock
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.http.app import create_app
from api.logs import configure_logging
from api.services.seed import issue_demo_keys, seed_demo
from api.settings import Settings, SettingsError

__all__ = ["run", "settings_from_env", "worker_app"]


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
    settings = settings_from_env()
    if args.workers > 1 and make_url(settings.url).database in (None, "", ":memory:"):
        raise UsageError("--workers above 1 needs a database file or server, not :memory:")
    configure_logging(settings.log_format)
    engine = make_engine(settings.url, **settings.engine_options)
    migrate(engine)
    clock = SystemClock()
    uow = UnitOfWork(engine)
    lines = [
        "Dichtbij service",
        f"  database: {settings.url_for_display}",
        f"  URL:      http://{args.host}:{args.port}",
        f"  screens:  http://{args.host}:{args.port}/ (sign in with a key below)",
        f"  API docs: http://{args.host}:{args.port}/docs",
    ]
    if args.workers > 1:
        lines.append(f"  workers:  {args.workers} processes")
    if settings.should_seed_demo:
        loaded = seed_demo(uow, clock.now())
        if loaded is not None:
            lines.append(
                f"  demo scenario loaded: {loaded.homes} homes, {loaded.children} children"
            )
            lines.append(
                f"  simulated history (synthetic demo data): {loaded.history} placements "
                "in Regio Foodvalley, January-October 2026"
            )
        lines.append("  demo keys (new on every start; earlier demo keys are revoked):")
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
        uvicorn.run("api.cli.serve:worker_app", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(settings, clock=clock, engine=engine), **options)
