"""Schemas shared by every resource: pages and RFC 9457 problem details."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = ["MAX_PAGE", "FieldError", "Page", "ProblemDetails", "each_once"]

MAX_PAGE = 500


def each_once(reason: str) -> AfterValidator:
    """A list's validator: no item twice, else ``reason`` ("a child is listed twice")."""

    def check(value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError(reason)
        return value

    checker: Callable[[list[str]], list[str]] = check
    return AfterValidator(checker)


class Page(BaseModel):
    """Where a page of a list starts and how long it may be; ``total`` counts every item."""

    total: int
    offset: int
    limit: int


class FieldError(BaseModel):
    location: str = Field(description="body, query, path, header or file")
    path: str = Field(description="JSON path of the field, e.g. $.capabilities.trauma")
    reason: str
    row: int | None = Field(None, description="CSV imports: the data row, counting from 1")
    column: str | None = Field(None, description="CSV imports: the column name")


class ProblemDetails(BaseModel):
    """An error, as ``application/problem+json`` (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str | None = Field(None, description="Stable word for the kind of conflict (409)")
    errors: list[FieldError] | None = Field(None, description="Offending fields (422)")
    reasons: list[dict[str, object]] | None = Field(
        None, description="Placement rules a proposal breaks (409), as the engine states them"
    )
