"""The ranked options document: exactly what ``dichtbij rank --json`` prints."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["RankDocument"]


class RankDocument(BaseModel):
    """Options first (best score first), then every excluded home with its reasons."""

    model_config = ConfigDict(extra="allow")

    child_id: str
    group: list[str]
    placed_together: bool
    members: list[str]
    split_reason: str | None
    reference_date: str
    lang: str
    audience: str
    options: list[dict[str, Any]]
    excluded: list[dict[str, Any]]
    excluded_counts: dict[str, int]
