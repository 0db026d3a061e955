"""Kinds of care, the child's history, wishes and the residential decision.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

``homes.care_kinds`` (null: the default kinds) and ``homes.beds_check_requested_at`` (a
decline for lack of capacity asks the provider to correct its free beds);
``children.care_kind``, ``waiting_since``, ``history`` (declines and breakdowns, ``[]``
for every existing child), ``wishes``, ``residential_reason`` and ``residential_note``;
``proposals.decline_reason_code`` (the structured reason of a decline).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("homes", sa.Column("care_kinds", sa.JSON(), nullable=True))
    op.add_column("homes", sa.Column("beds_check_requested_at", _TS, nullable=True))
    op.add_column("children", sa.Column("care_kind", sa.String(16), nullable=True))
    op.add_column("children", sa.Column("waiting_since", sa.Date(), nullable=True))
    op.add_column("children", sa.Column("history", sa.JSON(), nullable=False, server_default="[]"))
    op.add_column("children", sa.Column("wishes", sa.JSON(), nullable=True))
    op.add_column("children", sa.Column("residential_reason", sa.String(32), nullable=True))
    op.add_column("children", sa.Column("residential_note", sa.Text(), nullable=True))
    op.add_column("proposals", sa.Column("decline_reason_code", sa.String(32), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 and later), as in 0006: a batch recreation of
    # ``children`` would cascade into its sibling links.
    op.drop_column("proposals", "decline_reason_code")
    for column in (
        "residential_note",
        "residential_reason",
        "wishes",
        "history",
        "waiting_since",
        "care_kind",
    ):
        op.drop_column("children", column)
    op.drop_column("homes", "beds_check_requested_at")
    op.drop_column("homes", "care_kinds")
