"""API key bodies: what an admin asks for, what a listing shows (never a hash or a key)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from api.schemas.common import Page
from api.services.access import Role

__all__ = ["KeyCreate", "KeyIssued", "KeyPage", "KeyPublic", "KeyStatus"]

KeyStatus = Literal["active", "expired", "revoked"]


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    organisation: Annotated[str, StringConstraints(pattern=r"^\S{1,64}$")]
    municipality: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")] | None = Field(
        None, description="CBS code; required for the municipality role"
    )
    label: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        None, description="A note to recognise the key by (no personal data)"
    )
    expires_in_days: StrictInt | None = Field(
        None, ge=1, le=3650, description="Default: the service's key lifetime (365 days)"
    )


class KeyPublic(BaseModel):
    """A key as listed: its prefix recognises it; the key itself is never kept."""

    prefix: str
    role: Role
    organisation: str
    municipality: str | None
    label: str | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    status: KeyStatus


class KeyIssued(KeyPublic):
    key: str = Field(description="The key, shown only in this answer: store it now")


class KeyPage(Page):
    items: list[KeyPublic]
