"""A home typed as text (a register form's fields, a row of a CSV file): its body, or every
problem of it at once.

pydantic checks the rules across fields (``age_min`` not above ``age_max``) only once every
field is right by itself, and one such rule at a time; the engine looks the postcode up
only once the body is valid. A form or a file that reported one round of problems per
upload would be corrected one round at a time (a 300-row file three times over). So the
rules are run again on what is right: the wrong fields left out, or where the schema
requires them, a stand-in that passes their own rules; until no pass finds a field wrong
that was not known. A problem a later pass finds is reported only when it is not about a
wrong field nor read from one (a stand-in's or a default's problem is no problem of the
home).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from api.schemas.homes import HomeCreate
from api.services.errors import FieldProblem, InvalidInputError, domain_problem
from matching.errors import InputProblem
from matching.model import Home
from matching.scenario import home_from_schema

__all__ = ["field_of", "home_problems", "named_fields", "problem_fields"]

#: Values that pass the field's own rules, in place of a wrong one whose field is required,
#: so that the rules across fields can still be checked.
_STAND_INS = {
    "id": "x",
    "organisation": "x",
    "type": "foster",
    "postcode": "1234",
    "beds_free": "0",
}
#: Fields whose rules read another field: while that one is wrong (a stand-in or a default
#: in its place), what their rules say is not known.
_READS = {"known_to": {"type"}, "part_time_places_free": {"care_kinds"}}

_NAMED = re.compile(r"\b(" + "|".join(HomeCreate.model_fields) + r")\b")


def field_of(path: str) -> str | None:
    """The field of a problem's path: ``$.languages[0]`` -> languages,
    ``$.capabilities.trauma`` -> capabilities; None for the whole home (``$``)."""
    name = re.split(r"[.\[]", path.removeprefix("$").removeprefix("."), maxsplit=1)[0]
    return name or None


def named_fields(reason: str) -> set[str]:
    """The fields a rule across fields names in its reason ('age_min must not exceed
    age_max' -> age_min, age_max)."""
    return set(_NAMED.findall(reason))


def problem_fields(problem: FieldProblem) -> set[str]:
    """The fields a problem is about: its path's, or those a rule across fields names."""
    name = field_of(problem.path)
    return {name} if name is not None else named_fields(problem.reason)


def _validated(
    document: Mapping[str, Any],
) -> tuple[HomeCreate | None, Home | None, list[FieldProblem]]:
    """The body, the engine's home and the problems of pydantic and of the postcode."""
    try:
        # Form fields and CSV cells are text: the lax reading turns "2" into 2 here.
        body = HomeCreate.model_validate(document, strict=False)
    except ValidationError as exc:
        return None, None, list(InvalidInputError.from_validation(exc).errors)
    found: list[InputProblem] = []
    home = home_from_schema(body, found)
    return body, home, [domain_problem(p.field, p.reason) for p in found]


def home_problems(
    document: Mapping[str, Any],
) -> tuple[HomeCreate | None, Home | None, list[FieldProblem]]:
    """The body and the engine's home (both None when anything is wrong) and every problem
    found, each at its field (the JSON path of the body)."""
    body, home, problems = _validated(document)
    wrong: set[str] = set()
    # Each pass leaves out at least one more field, so this ends.
    while problems and not wrong >= (found := set().union(*map(problem_fields, problems))):
        wrong |= found
        rest = {k: v for k, v in document.items() if k not in wrong}
        rest |= {k: v for k, v in _STAND_INS.items() if k in wrong}
        _, _, more = _validated(rest)
        seen = {(p.path, p.reason) for p in problems}
        for p in more:
            about = problem_fields(p)
            read = set().union(*(_READS.get(f, set()) for f in about))
            if not (about | read) & wrong and (p.path, p.reason) not in seen:
                problems.append(p)
    if problems:
        return None, None, problems
    return body, home, problems
