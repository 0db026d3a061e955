"""Part-time places counted apart from full-time beds inside one home.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

``homes.part_time_places_free`` (null: part-time children take ``beds_free``, as before):
the weekend and holiday places of a home that offers both part-time and full-time care;
``homes.part_time_held`` (those held by open proposals, as ``beds_held`` for beds);
``proposals.part_time`` and ``placements.part_time`` (the held or taken places are
part-time places), false for every existing row.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
# 0008 may be added beside this one; the lead re-chains the two when merging.
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("homes", sa.Column("part_time_places_free", sa.Integer(), nullable=True))
    op.add_column(
        "homes",
        sa.Column("part_time_held", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    for table in ("proposals", "placements"):
        op.add_column(
            table,
            sa.Column("part_time", sa.Boolean(), nullable=False, server_default=sa.false()),
        )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 and later), as in 0006 and 0007.
    for table in ("placements", "proposals"):
        op.drop_column(table, "part_time")
    op.drop_column("homes", "part_time_held")
    op.drop_column("homes", "part_time_places_free")
