"""``dichtbij token create|list|revoke``: manage API keys in the service's database.

Every command migrates the database first, so it may be the first command run. Key
operations are recorded in the audit trail as the ``operator``'s. What it writes is Dutch
unless ``--lang en``; roles, organisations, prefixes, dates and the key stay as stored.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import timedelta
from typing import TextIO

from api.cli.common import UsageError, texts
from api.cli.serve import settings_from_env
from api.clock import SystemClock
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.services.access import Role
from api.services.audit_trail import operator_record, write_record
from api.services.errors import NotFoundError
from api.services.keys import KeyOptionsError, create_key, list_keys, revoke_key

__all__ = ["run"]

_T = texts("token")


def _create(args: argparse.Namespace, out: TextIO) -> None:
    settings = settings_from_env()
    engine = make_engine(settings.url, **settings.engine_options)
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
        raise UsageError(str(exc)) from None
    finally:
        engine.dispose()
    t = _T[args.lang]
    scope = t["scope"].format(municipality=issued.municipality) if issued.municipality else ""
    expires = issued.expires_at.date().isoformat() if issued.expires_at else t["never"]
    role, organisation = issued.role.value, issued.organisation
    out.write(t["created"].format(role=role, organisation=organisation, scope=scope) + "\n")
    out.write(t["shown_once"].format(prefix=issued.prefix, expires=expires) + "\n")
    # The key is the last line, alone, in every language: scripts take it from there.
    out.write(issued.key + "\n")


def _list(args: argparse.Namespace, out: TextIO) -> None:
    settings = settings_from_env()
    engine = make_engine(settings.url, **settings.engine_options)
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
    t = _T[args.lang]
    prefix, role, organisation, status, expires = t["cols"].split("|")
    out.write(f"{prefix:<13} {role:<13} {organisation:<30} {status:<11} {expires}\n")
    for key in page.items:
        if key.status != "active" and not args.all:
            continue
        until = key.expires_at.date().isoformat() if key.expires_at else t["never"]
        out.write(
            f"{key.prefix:<13} {key.role.value:<13} {key.organisation:<30} "
            f"{t[key.status]:<11} {until}\n"
        )
    if page.total > len(page.items):
        out.write(t["first"].format(shown=len(page.items), total=page.total) + "\n")


def _revoke(args: argparse.Namespace, out: TextIO) -> None:
    settings = settings_from_env()
    engine = make_engine(settings.url, **settings.engine_options)
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
            raise UsageError(f"no API key with prefix '{args.prefix}'") from None
    finally:
        engine.dispose()
    out.write(_T[args.lang]["revoked_key"].format(prefix=args.prefix) + "\n")


_SUBCOMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], None]] = {
    "create": _create,
    "list": _list,
    "revoke": _revoke,
}


def run(args: argparse.Namespace, out: TextIO) -> None:
    _SUBCOMMANDS[args.token_command](args, out)
