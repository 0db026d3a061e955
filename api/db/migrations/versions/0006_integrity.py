"""Integrity: tombstones of deleted children, stored Idempotency-Key answers, versions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

``child_tombstones`` keeps the id of every deleted child, so that the id is never given to
another child (the audit trail and the placement history would mix two children). Ids of
children deleted before this revision are recovered from what outlives a child: its
placements, its proposals and the audit trail's list of children an action concerned.

``idempotency_keys`` holds, per API key and ``Idempotency-Key`` header, a fingerprint of
the request and the first answer to it (24 hours), and the children that answer
concerns (a replay is recorded in the audit trail as reading them); a row without a
status is a request still in flight.

``homes.version`` and ``children.version`` count the changes of each object: the ETag a
GET returns and the ``If-Match`` a PATCH or DELETE may send.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "child_tombstones",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("deleted_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_child_tombstones"),
    )
    # Every child id the history names that no longer has a record was deleted. The time
    # of deletion is not known for them; the migration's own time stands in.
    op.execute(
        """
        INSERT INTO child_tombstones (id, deleted_at)
        SELECT gone.child_id, CURRENT_TIMESTAMP FROM (
            SELECT child_id FROM placements
            UNION SELECT child_id FROM proposal_children
            UNION SELECT child_id FROM audit_event_children
        ) AS gone
        WHERE gone.child_id NOT IN (SELECT id FROM children)
        """
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key_prefix", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("headers", sa.JSON(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("children", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("key_prefix", "idempotency_key", name="pk_idempotency_keys"),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])
    for table in ("homes", "children"):
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35 and later): recreating ``children`` the batch way
    # would cascade into its sibling links.
    for table in ("children", "homes"):
        op.drop_column(table, "version")
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_table("child_tombstones")
