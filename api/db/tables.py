"""The database tables, as SQLAlchemy 2 declarative rows.

Rows are persistence records, not the domain: :mod:`api.db.mappers` turns them into the
frozen objects of :mod:`matching.model` and back. Column names are the scenario's field
names wherever a field is stored, so the JSON, the Python attribute and the column agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ApiKeyRow",
    "AuditEventChildRow",
    "AuditEventRow",
    "Base",
    "ChildRow",
    "ChildTombstoneRow",
    "DataVersionRow",
    "HomeRow",
    "IdempotencyRow",
    "MatchRunRow",
    "PlacementRow",
    "ProposalChildRow",
    "ProposalRow",
    "RateBucketRow",
    "ServiceStateRow",
    "SiblingLinkRow",
    "UTCDateTime",
    "WebSessionRow",
    "metadata",
]

ID = 64  # the scenario's id length limit
ORG = 64

# Stable constraint names: Alembic migrations refer to them, on SQLite and PostgreSQL alike.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on every database (SQLite stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, _dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class ApiKeyRow(Base):
    """An API key: only its SHA-256 hash is kept, and a short prefix to recognise it by."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str] = mapped_column(String(ORG))
    municipality: Mapped[str | None] = mapped_column(String(4))
    label: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class HomeRow(Base):
    """A registered home. ``beds_held`` counts beds held by open proposals."""

    __tablename__ = "homes"
    __table_args__ = (
        # The last line of defence against double booking: whatever the code does, the
        # database refuses more held beds than free beds.
        CheckConstraint("beds_free >= 0", name="beds_free_nonnegative"),
        CheckConstraint("beds_held >= 0", name="beds_held_nonnegative"),
        CheckConstraint("beds_held <= beds_free", name="beds_held_within_free"),
        Index(None, "organisation", "id"),
    )

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(ORG))
    type: Mapped[str] = mapped_column(String(16))
    postcode: Mapped[str] = mapped_column(String(8))
    beds_free: Mapped[int] = mapped_column(Integer)
    beds_held: Mapped[int] = mapped_column(Integer, default=0)
    age_min: Mapped[int] = mapped_column(Integer)
    age_max: Mapped[int] = mapped_column(Integer)
    max_siblings: Mapped[int | None] = mapped_column(Integer)
    capabilities: Mapped[dict[str, Any]]
    religion: Mapped[str | None] = mapped_column(String(32))
    languages: Mapped[list[Any]]
    available_from: Mapped[date | None] = mapped_column(Date)
    available_until: Mapped[date | None] = mapped_column(Date)
    known_to: Mapped[list[Any]]
    # Null: the default kinds (crisis, short-term, long-term), so the default stays one
    # definition (matching.model.DEFAULT_CARE_KINDS) rather than one copy per row.
    care_kinds: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    # Null: part-time children take beds_free; else the part-time places counted apart.
    part_time_places_free: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Part-time places held by open proposals (as beds_held for beds).
    part_time_held: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Set when carers declined for lack of capacity: the provider is asked to correct
    # beds_free; cleared by its next change of the home.
    beds_check_requested_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]
    # Counts the changes of the home's registered fields, beds_free included (its ETag);
    # holds, which move only beds_held, do not.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class ChildRow(Base):
    """A child known to a coordinating organisation; ``status`` is kept by the service."""

    __tablename__ = "children"
    __table_args__ = (Index(None, "organisation", "status"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(ORG))
    status: Mapped[str] = mapped_column(String(16))
    birth_date: Mapped[date | None] = mapped_column(Date)
    age: Mapped[int | None] = mapped_column(Integer)
    parents_postcode: Mapped[str] = mapped_column(String(8))
    school_postcode: Mapped[str | None] = mapped_column(String(8))
    split_reason: Mapped[str | None] = mapped_column(String(32))
    split_note: Mapped[str | None] = mapped_column(Text)
    keep_apart: Mapped[list[Any]]
    needs: Mapped[dict[str, Any]]
    urgency: Mapped[str] = mapped_column(String(16))
    min_distance_from_parents_km: Mapped[float | None] = mapped_column(Float)
    religion: Mapped[str | None] = mapped_column(String(32))
    languages: Mapped[list[Any]]
    current_home: Mapped[str | None] = mapped_column(String(ID), ForeignKey("homes.id"))
    care_kind: Mapped[str | None] = mapped_column(String(16))
    waiting_since: Mapped[date | None] = mapped_column(Date)
    history: Mapped[list[Any]] = mapped_column(JSON, default=list)
    wishes: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    residential_reason: Mapped[str | None] = mapped_column(String(32))
    residential_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # Counts every change of what a GET shows (its ETag), the service's own included.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))


class SiblingLinkRow(Base):
    """One direction of a sibling relation; the service always stores both directions."""

    __tablename__ = "sibling_links"

    child_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("children.id", ondelete="CASCADE"), primary_key=True
    )
    sibling_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("children.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ProposalRow(Base):
    """A provisional match of one sibling group (or part of a splittable one) to a home."""

    __tablename__ = "proposals"
    __table_args__ = (
        Index(None, "status", "expires_at"),
        Index(None, "organisation", "created_at"),
        Index(None, "home_id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation: Mapped[str] = mapped_column(String(ORG))
    home_id: Mapped[str] = mapped_column(String(ID), ForeignKey("homes.id"))
    status: Mapped[str] = mapped_column(String(16))
    beds: Mapped[int] = mapped_column(Integer)
    # The held places are part-time places (a part-time unit in a home counting them apart).
    part_time: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    split_reason: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)
    decline_reason_code: Mapped[str | None] = mapped_column(String(32))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    # The engine's best option when the proposal was made, per child (audit comparison).
    engine_choice: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class ProposalChildRow(Base):
    """A child in a proposal. No foreign key to ``children``: the history outlives the child."""

    __tablename__ = "proposal_children"

    proposal_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    child_id: Mapped[str] = mapped_column(String(ID), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)


class PlacementRow(Base):
    """A child placed in a home, from a confirmed proposal, until it ends with a reason.

    The facts the proximity audit counts (:class:`matching.audit.PlacementFact`: the
    parents' municipality, distance, kind of home, school kept, siblings together) are
    copied here at confirmation, so removing the child's record keeps the statistics.
    """

    __tablename__ = "placements"
    __table_args__ = (
        Index(None, "organisation", "start_date"),
        Index(None, "home_id", "end_date"),
        Index(None, "child_id", "end_date"),
        # A child lives in one place at a time: at most one open placement per child.
        Index(
            "uq_placements_open_child",
            "child_id",
            unique=True,
            sqlite_where=text("end_date IS NULL"),
            postgresql_where=text("end_date IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    proposal_id: Mapped[str] = mapped_column(String(36), ForeignKey("proposals.id"))
    child_id: Mapped[str] = mapped_column(String(ID))
    organisation: Mapped[str] = mapped_column(String(ORG))
    home_id: Mapped[str] = mapped_column(String(ID), ForeignKey("homes.id"))
    home_type: Mapped[str] = mapped_column(String(16))
    # Takes a part-time place of the home (ending it frees that place, not a bed).
    part_time: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    parents_municipality: Mapped[str] = mapped_column(String(4))
    home_municipality: Mapped[str] = mapped_column(String(4))
    distance_km: Mapped[float] = mapped_column(Float)
    keeps_school: Mapped[bool | None] = mapped_column(Boolean)
    sibling_group: Mapped[str | None] = mapped_column(String(16))
    together: Mapped[bool | None] = mapped_column(Boolean)
    split_reason: Mapped[str | None] = mapped_column(String(32))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(16))
    # What the engine proposed for this child at the time (None where not recorded).
    engine_home_type: Mapped[str | None] = mapped_column(String(16))
    engine_distance_km: Mapped[float | None] = mapped_column(Float)
    engine_same_municipality: Mapped[bool | None] = mapped_column(Boolean)
    engine_keeps_school: Mapped[bool | None] = mapped_column(Boolean)
    engine_together: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class MatchRunRow(Base):
    """A stored batch match: who asked, over whose children, and the solver's answer."""

    __tablename__ = "match_runs"
    __table_args__ = (Index(None, "organisation", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organisation: Mapped[str | None] = mapped_column(String(ORG))
    created_at: Mapped[datetime]
    result: Mapped[dict[str, Any]]


class ServiceStateRow(Base):
    """Small facts about the database itself, such as whether the demo was loaded."""

    __tablename__ = "service_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEventRow(Base):
    """One entry of the audit trail: who did what to which object, when, and how it ended.

    Append-only: the service only ever inserts, and triggers (migration 0002) make the
    database refuse UPDATE and DELETE on this table. It holds no personal data beyond
    object ids: no postcodes, no needs, no free text.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index(None, "at"),
        Index(None, "key_prefix", "id"),
        Index(None, "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    role: Mapped[str] = mapped_column(String(16))
    key_prefix: Mapped[str | None] = mapped_column(String(16))
    organisation: Mapped[str | None] = mapped_column(String(ORG))
    action: Mapped[str] = mapped_column(String(32))
    route: Mapped[str | None] = mapped_column(String(128))
    object_type: Mapped[str | None] = mapped_column(String(16))
    object_id: Mapped[str | None] = mapped_column(String(ID))
    status: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(8))


class AuditEventChildRow(Base):
    """A child whose data an audit event read or changed: "who saw child X" is one join."""

    __tablename__ = "audit_event_children"

    event_id: Mapped[int] = mapped_column(Integer, ForeignKey("audit_events.id"), primary_key=True)
    child_id: Mapped[str] = mapped_column(String(ID), primary_key=True, index=True)


class ChildTombstoneRow(Base):
    """The id of a deleted child: never given to another child, by any organisation."""

    __tablename__ = "child_tombstones"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    deleted_at: Mapped[datetime]


class IdempotencyRow(Base):
    """The first answer to a POST with an ``Idempotency-Key``, per API key, for 24 hours.

    ``status`` is null while the first request is still being served.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index(None, "created_at"),)

    key_prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The children the answer concerns: a replay shows their data again, and is audited so.
    children: Mapped[list[Any] | None] = mapped_column(JSON)


class DataVersionRow(Base):
    """One row: moved on by every commit that changed the engine's data (api.db.version)."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)
    epoch: Mapped[str] = mapped_column(String(32))


class RateBucketRow(Base):
    """A per-key token bucket of an expensive endpoint family, shared by every worker."""

    __tablename__ = "rate_buckets"

    family: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime]


class WebSessionRow(Base):
    """A signed-in browser session of the screens, shared by every worker.

    Only hashes are kept: of the session id (the cookie) and of the API key, as the key
    table keeps it. Neither can be turned back into a cookie or a key."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index(None, "seen_at"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    seen_at: Mapped[datetime]
    lang: Mapped[str] = mapped_column(String(2))
    flash: Mapped[list[Any]] = mapped_column(JSON)
