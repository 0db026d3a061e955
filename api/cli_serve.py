"""``dichtbij serve`` and ``dichtbij token create|list|revoke``: run the HTTP service, and
manage API keys.

All use ``DATABASE_URL`` when it is set and otherwise the embedded SQLite file under
``./data/``; all migrate the database first, so any may be the first command run. Key
operations are recorded in the audit trail as the ``operator``'s.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TextIO

from api.services.access import Role

if TYPE_CHECKING:
    from api.settings import Settings

# The database, web and key modules are imported inside each command: `dichtbij match`
# and `dichtbij rank` register these commands too and must not pay for loading them.

__all__ = ["register"]


def _usage_error(message: str) -> SystemExit:
    # Exit like a bad scenario does (status 2, one line on standard error), without
    # importing api.cli: that module may be running as __main__.
    sys.stderr.write(f"dichtbij: {message}\n")
    return SystemExit(2)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("a whole number of days") from None
    if not 1 <= days <= 3650:
        raise argparse.ArgumentTypeError("between 1 and 3650 days")
    return days


def _settings() -> Settings:
    from api.settings import Settings, SettingsError

    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise _usage_error(str(exc)) from None


def _cmd_serve(args: argparse.Namespace, _out: TextIO) -> None:
    import uvicorn

    from api.app import create_app
    from api.clock import SystemClock
    from api.db.engine import make_engine, migrate
    from api.db.uow import UnitOfWork
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
        server_header=False,
    )


def _cmd_token_create(args: argparse.Namespace, out: TextIO) -> None:
    from api.clock import SystemClock
    from api.db.engine import make_engine, migrate
    from api.db.uow import UnitOfWork
    from api.services.audit_trail import operator_record
    from api.services.keys import KeyOptionsError, create_key

    settings = _settings()
    engine = make_engine(settings.url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    now = SystemClock().now()
    days = args.expires_in_days or settings.key_lifetime_days
    record = operator_record("key.create", now, command="token create", success_status=201)
    try:
        migrate(engine)
        issued = create_key(
            UnitOfWork(engine).audited(record),
            role=args.role,
            organisation=args.organisation,
            municipality=args.municipality,
            now=now,
            label=args.label,
            expires_at=now + timedelta(days=days),
        )
    except KeyOptionsError as exc:
        raise _usage_error(str(exc)) from None
    finally:
        engine.dispose()
    scope = f" (municipality {issued.municipality})" if issued.municipality else ""
    expires = issued.expires_at.date().isoformat() if issued.expires_at else "never"
    out.write(
        f"API key for role {issued.role.value}, organisation {issued.organisation}{scope}.\n"
        f"Prefix {issued.prefix}; expires {expires}. It is shown only now: the database keeps "
        "only its hash.\n"
    )
    out.write(issued.key + "\n")


def _cmd_token_list(args: argparse.Namespace, out: TextIO) -> None:
    from api.clock import SystemClock
    from api.db.engine import make_engine, migrate
    from api.db.uow import UnitOfWork
    from api.services.audit_trail import operator_record, write_record
    from api.services.keys import list_keys

    settings = _settings()
    engine = make_engine(settings.url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    now = SystemClock().now()
    try:
        migrate(engine)
        uow = UnitOfWork(engine)
        page = list_keys(
            uow,
            organisation=args.organisation,
            role=Role(args.role) if args.role else None,
            offset=0,
            limit=500,
            now=now,
        )
        write_record(uow, operator_record("key.list", now, command="token list"), 200)
    finally:
        engine.dispose()
    out.write(f"{'prefix':<13} {'role':<13} {'organisation':<30} {'status':<8} expires\n")
    for key in page.items:
        if key.status != "active" and not args.all:
            continue
        expires = key.expires_at.date().isoformat() if key.expires_at else "never"
        out.write(
            f"{key.prefix:<13} {key.role.value:<13} {key.organisation:<30} "
            f"{key.status:<8} {expires}\n"
        )
    if page.total > len(page.items):
        out.write(f"(first {len(page.items)} of {page.total}; narrow with --organisation)\n")


def _cmd_token_revoke(args: argparse.Namespace, out: TextIO) -> None:
    from api.clock import SystemClock
    from api.db.engine import make_engine, migrate
    from api.db.uow import UnitOfWork
    from api.services.audit_trail import operator_record, write_record
    from api.services.errors import NotFoundError
    from api.services.keys import revoke_key

    settings = _settings()
    engine = make_engine(settings.url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    now = SystemClock().now()
    record = operator_record("key.revoke", now, command="token revoke", success_status=204)
    record.about(object_id=args.prefix)
    try:
        migrate(engine)
        uow = UnitOfWork(engine)
        try:
            revoke_key(uow.audited(record), args.prefix, now)
        except NotFoundError:
            write_record(uow, record, 404)
            raise _usage_error(f"no API key with prefix '{args.prefix}'") from None
    finally:
        engine.dispose()
    out.write(f"API key {args.prefix} is revoked; it stops working at its next request.\n")


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
    create.add_argument(
        "--expires-in-days",
        type=_days,
        metavar="DAYS",
        help="days the key stays valid (default DICHTBIJ_KEY_LIFETIME_DAYS, 365)",
    )
    create.set_defaults(func=_cmd_token_create)

    listing = token_sub.add_parser("list", help="list API keys by prefix (never the keys)")
    listing.add_argument("--organisation", help="only this organisation's keys")
    listing.add_argument("--role", choices=[r.value for r in Role], help="only this role")
    listing.add_argument("--all", action="store_true", help="also revoked and expired keys")
    listing.set_defaults(func=_cmd_token_list)

    revoke = token_sub.add_parser("revoke", help="revoke an API key by its prefix, at once")
    revoke.add_argument("prefix", help="the key's prefix, as `token list` shows it")
    revoke.set_defaults(func=_cmd_token_revoke)
