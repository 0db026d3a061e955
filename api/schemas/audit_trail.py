"""Audit trail bodies: one recorded action, and a page of them (admins only)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import Page

__all__ = ["AuditEventPublic", "AuditTrailPage", "Outcome"]

Outcome = Literal["allowed", "denied", "failed"]


class AuditEventPublic(BaseModel):
    """Who did what to which object, when, and how it ended. Ids only, no personal data."""

    id: int = Field(description="Position in the trail; later events have higher ids")
    at: datetime
    role: str = Field(
        description="The key's role, or 'operator' (command line) or 'system' (lapsed holds)"
    )
    key_prefix: str | None = Field(description="The key's prefix (the key itself is not kept)")
    organisation: str | None
    action: str = Field(description="e.g. child.read, proposal.accept, key.revoke")
    route: str | None = Field(
        description="Method and route template, e.g. GET /v1/children/{child_id}"
    )
    object_type: str | None
    object_id: str | None
    child_ids: list[str] = Field(description="Children whose data the action read or changed")
    status: int = Field(description="The HTTP status of the answer")
    outcome: Outcome


class AuditTrailPage(Page):
    items: list[AuditEventPublic]
