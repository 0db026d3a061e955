"""Errors in the input the engine is given: one :class:`InputProblem` per thing wrong.

Here rather than in :mod:`matching.scenario` so that every check (scenario fields,
sibling groups) can name its problems without importing the loader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CrossFieldError", "InputProblem", "ScenarioError", "error_location"]


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One thing wrong with the input: which object, which field, why."""

    object: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.object}: field '{self.field}': {self.reason}"


class ScenarioError(ValueError):
    """A scenario that cannot be used; :attr:`problems` lists every problem found."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CrossFieldError(ValueError):
    """A rule between fields, broken (``age_min`` above ``age_max``). Raised by a schema's
    model validator, which pydantic locates at the object itself: :attr:`field` names the
    field the user must change, and :func:`error_location` appends it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field


def error_location(error: Mapping[str, Any]) -> tuple[int | str, ...]:
    """Where one of pydantic's errors lies: its ``loc``, and for a broken rule between
    fields (:class:`CrossFieldError`, which pydantic places at the object) the field to
    change, so that no reader reports the whole object where one field is wrong."""
    loc = tuple(error.get("loc", ()))
    cause = (error.get("ctx") or {}).get("error")
    return (*loc, cause.field) if isinstance(cause, CrossFieldError) else loc
