"""``dichtbij serve``: migrate the database, seed the demo on first start, run the HTTP API.

Uses ``DATABASE_URL`` when it is set and otherwise the embedded SQLite file under
``./data/``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

import uvicorn

from api.cli.common import UsageError
from api.clock import SystemClock
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.http.app import create_app
from api.logs import configure_logging
from api.services.seed import issue_demo_keys, seed_demo
from api.settings import Settings, SettingsError

__all__ = ["run", "settings_from_env"]


def settings_from_env() -> Settings:
    """The service settings; a bad variable is a usage error naming it."""
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise UsageError(str(exc)) from None


def run(args: argparse.Namespace, _out: TextIO) -> None:
    settings = settings_from_env()
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
    app = create_app(settings, clock=clock, engine=engine)
    # The banner goes out before the server starts: uvicorn runs until interrupted.
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    # No Server header: it only tells an attacker which software to look up.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        access_log=False,
        log_level="info",
        # The root handler of api.logs writes uvicorn's lines too, in the same format.
        log_config=None,
        server_header=False,
    )
