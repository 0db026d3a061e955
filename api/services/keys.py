"""API keys: created by an admin or on the command line, presented as ``Bearer <key>``.

A key is 32 random bytes (``secrets``), shown once; the database keeps only its SHA-256
and a short prefix to recognise it by in lists and to revoke it with. A fast hash is
enough here: the secret has 256 bits of entropy, so there is nothing for a slow password
hash to protect. Every request looks its key up again (no cache), so a revocation or an
expiry takes effect at the very next request. Creating, listing and revoking keys are
recorded in the audit trail.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from api.db.tables import ApiKeyRow
from api.db.uow import Tx, UnitOfWork
from api.schemas.keys import KeyIssued, KeyPage, KeyPublic, KeyStatus
from api.services.access import Caller, Role
from api.services.errors import NotFoundError, UnauthorizedError
from matching.geo import postcode_table

__all__ = [
    "KEY_PREFIX",
    "IssuedKey",
    "KeyOptionsError",
    "authenticate",
    "authenticate_hash",
    "authenticate_in",
    "caller_in",
    "create_key",
    "hash_key",
    "issue_key",
    "key_public",
    "key_status",
    "list_keys",
    "revoke_key",
]

KEY_PREFIX = "dbk_"
_PREFIX_LENGTH = len(KEY_PREFIX) + 8
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
    expires_at: datetime | None = None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _checked_role(role: str, organisation: str, municipality: str | None) -> Role:
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
    return role_


def create_key(
    uow: UnitOfWork,
    *,
    role: str,
    organisation: str,
    municipality: str | None,
    now: datetime,
    label: str | None = None,
    expires_at: datetime | None = None,
) -> IssuedKey:
    """Create and store a key; the returned :attr:`IssuedKey.key` is never stored."""
    role_ = _checked_role(role, organisation, municipality)
    if expires_at is not None and expires_at <= now:
        raise KeyOptionsError("a key must expire after it is created")
    # A prefix is 48 random bits: a clash is all but impossible, and then simply retried.
    for attempt in range(3):
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        prefix = secret[:_PREFIX_LENGTH]
        with uow.write() as tx:
            tx.audit.about(object_id=prefix)
            row = ApiKeyRow(
                prefix=prefix,
                hash=hash_key(secret),
                role=role_.value,
                organisation=organisation,
                municipality=municipality,
                label=label,
                created_at=now,
                expires_at=expires_at,
                revoked_at=None,
            )
            try:
                tx.keys.add(row)
                tx.commit()
            except IntegrityError:
                if attempt == 2:
                    raise
                continue
        return IssuedKey(secret, prefix, role_, organisation, municipality, expires_at)
    raise AssertionError("unreachable")  # pragma: no cover


def issue_key(
    uow: UnitOfWork,
    *,
    role: str,
    organisation: str,
    municipality: str | None,
    label: str | None,
    lifetime_days: int,
    now: datetime,
) -> KeyIssued:
    """Create a key that expires after ``lifetime_days`` (the admin endpoint)."""
    issued = create_key(
        uow,
        role=role,
        organisation=organisation,
        municipality=municipality,
        now=now,
        label=label,
        expires_at=now + timedelta(days=lifetime_days),
    )
    with uow.read() as tx:
        row = tx.keys.by_prefix(issued.prefix)
    assert row is not None
    return KeyIssued.model_validate({**key_public(row, now).model_dump(), "key": issued.key})


def authenticate(uow: UnitOfWork, key: str | None, now: datetime) -> Caller:
    """The caller a key belongs to; :class:`UnauthorizedError` for a missing or unusable key.

    Looked up on every request: revoking a key or letting it expire needs no restart and
    no cache to run out."""
    digest = _digest_of(key)
    with uow.read() as tx:
        return caller_in(tx, digest, now)


def _digest_of(key: str | None) -> str:
    if not key:
        raise UnauthorizedError("an API key is required: Authorization: Bearer <key>")
    if not key.startswith(KEY_PREFIX) or len(key) > 128:
        raise UnauthorizedError("unknown API key")
    return hash_key(key)


def authenticate_in(tx: Tx, key: str | None, now: datetime) -> Caller:
    """:func:`authenticate` inside a transaction the caller has open (a request's first
    transaction also takes its rate-limit token: :func:`api.http.deps.allowed_caller`)."""
    return caller_in(tx, _digest_of(key), now)


def authenticate_hash(uow: UnitOfWork, digest: str, now: datetime) -> Caller:
    """:func:`authenticate` for a key known by its hash only (a signed-in web session
    keeps no key, only its hash)."""
    with uow.read() as tx:
        return caller_in(tx, digest, now)


def caller_in(tx: Tx, digest: str, now: datetime) -> Caller:
    """The caller of the key with hash ``digest``, read in ``tx``."""
    row = tx.keys.by_hash(digest)
    if row is None:
        raise UnauthorizedError("unknown API key")
    if row.revoked_at is not None:
        raise UnauthorizedError("this API key has been revoked")
    if row.expires_at is not None and row.expires_at <= now:
        raise UnauthorizedError("this API key has expired")
    return Caller(Role(row.role), row.organisation, row.municipality, row.prefix)


def key_status(row: ApiKeyRow, now: datetime) -> KeyStatus:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def key_public(row: ApiKeyRow, now: datetime) -> KeyPublic:
    """A key as an admin sees it: prefix and facts, never the hash."""
    return KeyPublic(
        prefix=row.prefix,
        role=Role(row.role),
        organisation=row.organisation,
        municipality=row.municipality,
        label=row.label,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        status=key_status(row, now),
    )


def list_keys(
    uow: UnitOfWork,
    *,
    organisation: str | None,
    role: Role | None,
    offset: int,
    limit: int,
    now: datetime,
) -> KeyPage:
    with uow.read() as tx:
        rows, total = tx.keys.page(
            organisation=organisation,
            role=role.value if role is not None else None,
            offset=offset,
            limit=limit,
        )
    return KeyPage(
        items=[key_public(r, now) for r in rows], total=total, offset=offset, limit=limit
    )


def revoke_key(uow: UnitOfWork, prefix: str, now: datetime) -> None:
    """Revoke the key with ``prefix`` from this moment on; revoking it again changes nothing."""
    with uow.write() as tx:
        row = tx.keys.by_prefix(prefix)
        if row is None:
            raise NotFoundError("key", prefix)
        tx.audit.about(object_id=row.prefix)
        tx.keys.revoke(prefix, now)
        tx.commit()
