"""Schemas of the municipality audit: aggregates only, every small cell already ``<5``."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["MonthPublic", "ProximityPublic"]

Value = float | int | str | None


class MonthPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(description="YYYY-MM")
    placed: Value
    share_within_10km: Value


class ProximityPublic(BaseModel):
    """How close to home children of the municipalities were placed in the period."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    municipalities: list[str]
    period_from: date = Field(alias="from")
    period_to: date = Field(alias="to")
    min_cell: int = Field(description="Cells about fewer children than this are suppressed")
    suppressed_as: str
    practice: dict[str, Value] = Field(description="Metric -> value, as placed in practice")
    engine: dict[str, Value] = Field(
        description="The same metrics for what Dichtbij proposed at the time (where recorded)"
    )
    split_reasons: dict[str, Value]
    monthly: list[MonthPublic]
