"""``dichtbij audit``: write a municipality's proximity report folder from the database.

The report folder holds CSV files, PNG charts and ``index.html``, a one-page summary that
opens offline. It reads the same database as ``dichtbij serve`` (``DATABASE_URL``, or the
embedded SQLite file under ``./data/``) and applies the same suppression as the API.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

__all__ = ["register"]


def _fail(message: str) -> SystemExit:
    sys.stderr.write(f"dichtbij: {message}\n")
    return SystemExit(2)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _cmd_audit(args: argparse.Namespace, out: TextIO) -> None:
    # Imported here: the database and chart libraries load only when an audit is written.
    from api.audit_report import write_report
    from api.db.engine import make_engine, migrate
    from api.db.uow import UnitOfWork
    from api.services.access import Caller, Role
    from api.services.errors import InvalidInputError
    from api.services.proximity import proximity_report, resolve_municipalities
    from api.settings import Settings, SettingsError

    try:
        settings = Settings.from_env()
        codes = resolve_municipalities(args.municipality or [], args.region)
    except SettingsError as exc:
        raise _fail(str(exc)) from None
    except InvalidInputError as exc:
        raise _fail("; ".join(f"{e.path}: {e.reason}" for e in exc.errors)) from None
    engine = make_engine(settings.url, **settings.engine_options)
    try:
        migrate(engine)
        # Run locally by whoever holds the database: the operator's (admin) view.
        operator = Caller(Role.ADMIN, "local")
        try:
            report = proximity_report(
                UnitOfWork(engine), operator, codes, args.period_from, args.to
            )
        except InvalidInputError as exc:
            raise _fail("; ".join(f"{e.path}: {e.reason}" for e in exc.errors)) from None
    finally:
        engine.dispose()
    files = write_report(report, Path(args.out), lang=args.lang)
    placed = report.cell("placed").shown
    out.write(
        f"Audit {', '.join(codes)} {args.period_from} - {args.to}: {placed} children placed.\n"
    )
    for path in files:
        out.write(f"  {path}\n")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "audit",
        help="a municipality's proximity report: CSV, PNG charts and an offline HTML page",
    )
    p.add_argument("--municipality", action="append", help="CBS code (repeatable)")
    p.add_argument("--region", help="a youth-care region instead, e.g. foodvalley")
    p.add_argument("--from", dest="period_from", type=_date, required=True)
    p.add_argument("--to", type=_date, required=True)
    p.add_argument("--out", default="audit-report", help="folder to write (default audit-report)")
    p.add_argument("--lang", choices=["nl", "en"], default="nl")
    p.set_defaults(func=_cmd_audit)
