"""API keys: created on the command line, presented as ``Authorization: Bearer <key>``.

A key is 32 random bytes (``secrets``), shown once; the database keeps only its SHA-256
and a short prefix to recognise it by in lists. A fast hash is enough here: the secret has
256 bits of entropy, so there is nothing for a slow password hash to protect.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from api.db.tables import ApiKeyRow
from api.db.uow import UnitOfWork
from api.services.access import Caller, Role
from api.services.errors import UnauthorizedError
from matching.geo import postcode_table

__all__ = ["KEY_PREFIX", "IssuedKey", "KeyOptionsError", "authenticate", "create_key", "hash_key"]

KEY_PREFIX = "dbk_"
_ORG = re.compile(r"^\S{1,64}$")
_MUNICIPALITY = re.compile(r"^[0-9]{4}$")


class KeyOptionsError(ValueError):
    """The options for a new key are not acceptable."""


@dataclass(frozen=True, slots=True)
class IssuedKey:
    key: str
    prefix: str
    role: Role
    organisation: str
    municipality: str | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(
    uow: UnitOfWork,
    *,
    role: str,
    organisation: str,
    municipality: str | None,
    now: datetime,
    label: str | None = None,
) -> IssuedKey:
    """Create and store a key; the returned :attr:`IssuedKey.key` is never stored."""
    try:
        role_ = Role(role)
    except ValueError:
        raise KeyOptionsError(f"unknown role '{role}' (known: {', '.join(Role)})") from None
    if not _ORG.match(organisation):
        raise KeyOptionsError("organisation must be 1 to 64 characters without spaces")
    if role_ is Role.MUNICIPALITY and not municipality:
        raise KeyOptionsError(
            "--municipality (a CBS code of 4 digits) is required for municipality"
        )
    if municipality is not None:
        if not _MUNICIPALITY.match(municipality):
            raise KeyOptionsError("municipality must be a CBS code of 4 digits, e.g. 0228")
        if municipality not in set(postcode_table().municipality_codes):
            raise KeyOptionsError(f"municipality '{municipality}' is not a known CBS code")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    prefix = secret[: len(KEY_PREFIX) + 8]
    with uow.write() as tx:
        tx.keys.add(
            ApiKeyRow(
                prefix=prefix,
                hash=hash_key(secret),
                role=role_.value,
                organisation=organisation,
                municipality=municipality,
                label=label,
                created_at=now,
                expires_at=None,
                revoked_at=None,
            )
        )
        tx.commit()
    return IssuedKey(secret, prefix, role_, organisation, municipality)


def authenticate(uow: UnitOfWork, key: str | None, now: datetime) -> Caller:
    """The caller a key belongs to; :class:`UnauthorizedError` for a missing or unusable key."""
    if not key:
        raise UnauthorizedError("an API key is required: Authorization: Bearer <key>")
    if not key.startswith(KEY_PREFIX) or len(key) > 128:
        raise UnauthorizedError("unknown API key")
    with uow.read() as tx:
        row = tx.keys.by_hash(hash_key(key))
    if row is None:
        raise UnauthorizedError("unknown API key")
    if row.revoked_at is not None:
        raise UnauthorizedError("this API key has been revoked")
    if row.expires_at is not None and row.expires_at <= now:
        raise UnauthorizedError("this API key has expired")
    return Caller(Role(row.role), row.organisation, row.municipality, row.prefix)
