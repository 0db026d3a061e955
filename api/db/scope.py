"""Whose rows a list holds: a value the services compute and the repositories apply.

Apart from the repositories (which import SQLAlchemy) so that :mod:`api.services.access`,
which the command line's parser reads for the role names, stays free of the database.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Scope"]


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose rows a list holds: those of ``organisation`` (its own) and those about the
    homes of ``home_organisation``; ``None`` limits nothing."""

    organisation: str | None = None
    home_organisation: str | None = None
