"""``dichtbij audit``: write a municipality's proximity report folder from the database.

The report folder holds CSV files, PNG charts and ``index.html``, a one-page summary that
opens offline. It reads the same database as ``dichtbij serve`` (``DATABASE_URL``, or the
embedded SQLite file under ``./data/``) and applies the same suppression as the API.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from api.cli.common import UsageError, texts
from api.cli.serve import settings_from_env
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.reports import write_report
from api.reports.audit import ReportMeta
from api.services.access import Caller, Role
from api.services.csv_formats import in_format
from api.services.errors import InvalidInputError
from api.services.history import history_simulated
from api.services.proximity import proximity_report, resolve_municipalities

__all__ = ["run"]

_T = texts("audit")

#: The option the user typed for each field the service names by its HTTP query's JSON
#: path: a reader fixes the command line, not a request.
_OPTIONS = {
    "$.municipality": "--municipality",
    "$.region": "--region",
    "$.from": "--from",
    "$.to": "--to",
}
#: A reason that names another field names it by its option too.
_REASONS = {"is after 'to'": "is after --to"}


def _problems(exc: InvalidInputError) -> UsageError:
    return UsageError(
        "; ".join(
            f"{_OPTIONS.get(e.path, e.path)}: {_REASONS.get(e.reason, e.reason)}"
            for e in exc.errors
        )
    )


def run(args: argparse.Namespace, out: TextIO) -> None:
    settings = settings_from_env()
    try:
        codes = resolve_municipalities(args.municipality or [], args.region)
    except InvalidInputError as exc:
        raise _problems(exc) from None
    engine = make_engine(settings.url, **settings.engine_options)
    try:
        migrate(engine)
        # Run locally by whoever holds the database: the operator's (admin) view.
        operator = Caller(Role.ADMIN, "local")
        uow = UnitOfWork(engine)
        try:
            report = proximity_report(
                uow, operator, codes, args.period_from, args.to, today=date.today()
            )
        except InvalidInputError as exc:
            raise _problems(exc) from None
        simulated = history_simulated(uow)
    finally:
        engine.dispose()
    meta = ReportMeta(made_on=date.today(), simulated=simulated)
    files = write_report(report, Path(args.out), lang=args.lang, meta=meta)
    if args.csv_format != "csv":
        for path in files:
            if path.suffix == ".csv":
                path.write_bytes(in_format(path.read_text(encoding="utf-8"), args.csv_format))
    placed = report.cell("placed").shown
    t = _T[args.lang]
    if simulated:
        out.write(t["simulated"] + "\n")
    codes_text = ", ".join(codes)
    out.write(
        t["summary"].format(codes=codes_text, start=args.period_from, end=args.to, placed=placed)
        + "\n"
    )
    for path in files:
        out.write(f"  {path}\n")
