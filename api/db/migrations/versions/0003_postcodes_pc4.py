"""Keep postcodes as PC4 only: the engine measures between PC4 areas and needs nothing finer.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

A PC6 (``6712AB``) covers a street or part of one, about twenty addresses: close to an
address, which the engine never needs (data minimisation, AVG article 5(1)(c)). From now
on the service stores the PC4 of whatever it is given; this step cuts what is stored
already. There is no way back: the downgrade leaves the PC4s.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("homes", "postcode"),
    ("children", "parents_postcode"),
    ("children", "school_postcode"),
)


def upgrade() -> None:
    # Stored postcodes are canonical ("6712" or "6712AB"), so the PC4 is the first four.
    for table, column in _COLUMNS:
        op.execute(
            f"UPDATE {table} SET {column} = SUBSTR({column}, 1, 4) "
            f"WHERE {column} IS NOT NULL AND LENGTH({column}) > 4"
        )


def downgrade() -> None:
    """Nothing to undo: the letters are gone, and PC4 is valid at every revision."""
