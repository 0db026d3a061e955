"""``dichtbij serve`` and ``dichtbij token create``: run the HTTP service, issue API keys.

Both use ``DATABASE_URL`` when it is set and otherwise the embedded SQLite file under
``./data/``; both migrate the database first, so either may be the first command run.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any, TextIO

from api.clock import SystemClock
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.services.access import Role
from api.services.keys import KeyOptionsError, create_key
from api.settings import Settings, SettingsError

__all__ = ["register"]


def _usage_error(message: str) -> SystemExit:
    # Exit like a bad scenario does (status 2, one line on standard error), without
    # importing api.cli: that module may be running as __main__.
    sys.stderr.write(f"dichtbij: {message}\n")
    return SystemExit(2)


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise _usage_error(str(exc)) from None


def _cmd_serve(args: argparse.Namespace, _out: TextIO) -> None:
    import uvicorn

    from api.app import create_app
    from api.services.seed import issue_demo_keys, seed_demo

    settings = _settings()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per step is noise
    engine = make_engine(settings.url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    migrate(engine)
    clock = SystemClock()
    uow = UnitOfWork(engine)
    lines = [
        "Dichtbij service",
        f"  database: {settings.url_for_display}",
        f"  URL:      http://{args.host}:{args.port}",
        f"  API docs: http://{args.host}:{args.port}/docs",
    ]
    if settings.should_seed_demo:
        loaded = seed_demo(uow, clock.now())
        if loaded is not None:
            lines.append(
                f"  demo scenario loaded: {loaded.homes} homes, {loaded.children} children"
            )
        lines.append("  demo keys (new on every start; earlier demo keys are revoked):")
        for key in issue_demo_keys(uow, clock.now()):
            lines.append(f"    {key.role.value:<13} {key.organisation:<30} {key.key}")
    app = create_app(settings, clock=clock, engine=engine)
    # The banner goes out before the server starts: uvicorn runs until interrupted.
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
    uvicorn.run(app, host=args.host, port=args.port, access_log=False, log_level="info")


def _cmd_token_create(args: argparse.Namespace, out: TextIO) -> None:
    settings = _settings()
    engine = make_engine(settings.url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    try:
        migrate(engine)
        issued = create_key(
            UnitOfWork(engine),
            role=args.role,
            organisation=args.organisation,
            municipality=args.municipality,
            now=SystemClock().now(),
            label=args.label,
        )
    except KeyOptionsError as exc:
        raise _usage_error(str(exc)) from None
    finally:
        engine.dispose()
    scope = f" (municipality {issued.municipality})" if issued.municipality else ""
    out.write(
        f"API key for role {issued.role.value}, organisation {issued.organisation}{scope}.\n"
        f"Prefix {issued.prefix}; it is shown only now, the database keeps only its hash.\n"
    )
    out.write(issued.key + "\n")


def register(subparsers: Any) -> None:
    """Add ``serve`` and ``token`` to the ``dichtbij`` command line."""
    serve = subparsers.add_parser(
        "serve",
        help="run the HTTP API (SQLite under ./data/, or DATABASE_URL)",
        description=(
            "Run the HTTP API. Without DATABASE_URL an embedded SQLite database under "
            "./data/ is created, migrated and seeded with the demo scenario on first start."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.set_defaults(func=_cmd_serve)

    token = subparsers.add_parser("token", help="API keys")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser(
        "create", help="create an API key; the key is the last line of output"
    )
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--organisation", required=True, help="the key holder's organisation")
    create.add_argument(
        "--municipality", help="CBS municipality code (4 digits); required for municipality"
    )
    create.add_argument("--label", help="a note to recognise the key by (no personal data)")
    create.set_defaults(func=_cmd_token_create)
