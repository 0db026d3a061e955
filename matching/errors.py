"""Errors in the input the engine is given: one :class:`InputProblem` per thing wrong.

Here rather than in :mod:`matching.scenario` so that every check (scenario fields,
sibling groups) can name its problems without importing the loader.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["InputProblem", "ScenarioError"]


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
