"""Schemas of the municipality audit: aggregates only, every small cell already ``<5``."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BandPublic", "MonthPublic", "ProximityPublic", "RegionPublic"]

Value = float | int | str | None


class MonthPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(description="YYYY-MM")
    placed: Value
    share_within_10km: Value
    partial: bool = Field(
        description="Extension: the chosen dates cut this month (from or to falls inside "
        "it), so its figures count only part of its days ('deels' on the screen)",
    )


class BandPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    band: str = Field(description="e.g. age band '12-17', care level '3', care kind 'part_time'")
    waiting: Value
    waiting_days_median: Value


class RegionPublic(BaseModel):
    """The youth-care region beside a municipality's own figures, as its screen shows it."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(description="The region's key, e.g. foodvalley")
    municipalities: list[str] = Field(description="The region's CBS codes")
    practice: dict[str, Value] = Field(
        description="Metric -> value over the whole region; for a municipality key a cell "
        "is also suppressed where the region without that municipality would be (no small "
        "numbers by subtraction)"
    )


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
    region: RegionPublic | None = Field(
        None,
        description="For one municipality in a known youth-care region: the region's "
        "practice figures beside its own (as on the municipality's screen)",
    )
    waiting_by: dict[str, list[BandPublic]] = Field(
        default_factory=dict,
        description=(
            "Children waiting at the end of the period and their median wait, per band of "
            "age_band, care_level, sibling_group_size and care_kind"
        ),
    )
