"""Audit trail: events and the children they concern, append-only by trigger.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Both tables refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) with a trigger, so
not even a bug in the service, or someone with the service's own database login using a
SQL console, can quietly rewrite history. Dropping the table remains possible for its
owner; docs/security.md says how to deny that too (a separate owner role).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)
_TABLES = ("audit_events", "audit_event_children")
_MESSAGE = "the audit trail is append-only"


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("key_prefix", sa.String(16), nullable=True),
        sa.Column("organisation", sa.String(64), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("route", sa.String(128), nullable=True),
        sa.Column("object_type", sa.String(16), nullable=True),
        sa.Column("object_id", sa.String(64), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_key_prefix_id", "audit_events", ["key_prefix", "id"])
    op.create_index(
        "ix_audit_events_object_type_object_id", "audit_events", ["object_type", "object_id"]
    )
    op.create_table(
        "audit_event_children",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["audit_events.id"], name="fk_audit_event_children_event_id_audit_events"
        ),
        sa.PrimaryKeyConstraint("event_id", "child_id", name="pk_audit_event_children"),
    )
    op.create_index("ix_audit_event_children_child_id", "audit_event_children", ["child_id"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"""
            CREATE FUNCTION audit_trail_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{_MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'restrict_violation';
            END
            $$
            """
        )
        for table in _TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only()"
            )
    else:
        for table in _TABLES:
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: {verb} on {table} refused'); END"
                )


def downgrade() -> None:
    # Dropping a table drops its triggers; only the PostgreSQL function is left to remove.
    op.drop_table("audit_event_children")
    op.drop_table("audit_events")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_trail_append_only()")
