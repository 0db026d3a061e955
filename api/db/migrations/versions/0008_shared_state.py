"""State shared by worker processes: the data version, rate buckets, web sessions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

``data_version`` is one row that every commit changing the engine's data moves on
(:mod:`api.db.version`); caches of the engine's work are keyed by it. It starts with a
random epoch, so a cache never mistakes one database, or one filling of it, for another.

``rate_buckets`` holds the per-key token buckets of the expensive endpoints and
``web_sessions`` the signed-in browser sessions (only hashes of the session id and of the
key): with them in the database, ``dichtbij serve --workers N`` shares both between its
processes instead of each worker keeping its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    version = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("epoch", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_data_version"),
    )
    op.bulk_insert(version, [{"id": 1, "version": 1, "epoch": secrets.token_hex(16)}])
    op.create_table(
        "rate_buckets",
        sa.Column("family", sa.String(32), nullable=False),
        sa.Column("key_prefix", sa.String(16), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("family", "key_prefix", name="pk_rate_buckets"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("seen_at", _TS, nullable=False),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("flash", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name="pk_web_sessions"),
    )
    op.create_index("ix_web_sessions_seen_at", "web_sessions", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_web_sessions_seen_at", table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("rate_buckets")
    op.drop_table("data_version")
