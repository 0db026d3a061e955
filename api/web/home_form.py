"""The register-home form: every problem of what was typed at once, each at its field and
in the page's language.

pydantic checks the rules across fields (``age_min`` not above ``age_max``) only once
every field is right by itself, and the service checks the postcode only once the body
is valid; a form that showed one problem per send would be corrected one field at a time.
So the rules are run again on what is right, with the wrong fields left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from api.schemas.homes import HomeCreate
from api.services.errors import FieldProblem, InvalidInputError, domain_problem
from api.web.i18n import Texts
from matching.errors import InputProblem
from matching.scenario import home_from_schema

__all__ = ["FIELDS", "LISTED", "FormErrors", "form_errors", "form_problems"]

#: The form's fields that a problem can be shown at, in the order of the form.
FIELDS = (
    "id",
    "type",
    "postcode",
    "beds_free",
    "age_min",
    "age_max",
    "max_siblings",
    "capabilities",
    "languages",
    "care_kinds",
    "part_time_places_free",
)
#: Those of :data:`FIELDS` the form takes as ticks or a list, not as one text.
LISTED = ("capabilities", "languages", "care_kinds")

#: Values that pass the field's own rules, in place of a wrong one whose field has no
#: default, so that the rules across fields can still be checked.
_STAND_INS = {"id": "x", "type": "foster", "postcode": "1234", "beds_free": "0"}

_NAMED = re.compile(r"\b(" + "|".join(FIELDS) + r")\b")


def _field_of(path: str) -> str | None:
    """The form field of a problem's path: ``$.languages[0]`` -> languages; None for the
    whole form (``$``)."""
    name = re.split(r"[.\[]", path.removeprefix("$").removeprefix("."), maxsplit=1)[0]
    return name or None


def _validated(document: Mapping[str, Any]) -> tuple[HomeCreate | None, list[FieldProblem]]:
    """The body and the problems of pydantic and of the engine's postcode reader."""
    try:
        # Form fields are text, as CSV cells are: the lax reading turns "2" into 2 here.
        body = HomeCreate.model_validate(document, strict=False)
    except ValidationError as exc:
        return None, list(InvalidInputError.from_validation(exc).errors)
    found: list[InputProblem] = []
    home_from_schema(body, found)
    return body, [domain_problem(p.field, p.reason) for p in found]


def _fields_of(problem: FieldProblem) -> set[str]:
    """The fields a problem is about: its path's, or those a rule across fields names."""
    name = _field_of(problem.path)
    return {name} if name is not None else set(_NAMED.findall(problem.reason))


def form_problems(document: Mapping[str, Any]) -> tuple[HomeCreate | None, list[FieldProblem]]:
    """The body to register (None when anything is wrong) and every problem found."""
    body, problems = _validated(document)
    wrong: set[str] = set()
    # Again without the fields found wrong, for what the last pass could not reach; each
    # pass leaves out at least one more field, so this ends.
    while problems and not wrong >= (found := set().union(*map(_fields_of, problems))):
        wrong |= found
        rest = {k: v for k, v in document.items() if k not in wrong}
        rest |= {k: v for k, v in _STAND_INS.items() if k in wrong}
        _, more = _validated(rest)
        seen = {(p.path, p.reason) for p in problems}
        problems += [
            p for p in more if not _fields_of(p) & wrong and (p.path, p.reason) not in seen
        ]
    return (body if not problems else None), problems


@dataclass
class FormErrors:
    """Messages per field (shown beside it) and the summary at the top: (field, message),
    field "form" for a problem of no one field."""

    at: dict[str, list[str]] = field(default_factory=dict)
    summary: list[tuple[str, str]] = field(default_factory=list)

    def add(self, names: list[str], message: str) -> None:
        for name in names:
            if message not in self.at.setdefault(name, []):
                self.at[name].append(message)
        if (names[0], message) not in self.summary:
            self.summary.append((names[0], message))

    def __bool__(self) -> bool:
        return bool(self.summary)


def _about_the_ages(reason: str) -> bool:
    """The rule that the lowest age is not above the highest, however the service words it
    and whichever field it names (``$``, ``$.age_min`` or ``$.age_max``)."""
    return "age_min" in reason and "age_max" in reason


def _worded(t: Texts, name: str, reason: str, typed: Mapping[str, str]) -> str:
    """A reason as the form's reader reads it: the form's own words where the service's
    would name a pattern or a field code, else the reason in the page's language."""
    if _about_the_ages(reason):
        low, high = typed.get("age_min") or "0", typed.get("age_max") or "23"
        return t("form_ages_order").format(low=low, high=high)
    if name == "languages" and "pattern" in reason:
        return t("form_languages_invalid")
    return t.reason(reason)


def form_errors(t: Texts, problems: list[FieldProblem], typed: Mapping[str, str]) -> FormErrors:
    """Each problem at the form fields it is about: its path's field, or for a rule across
    fields (path ``$``) every form field its reason names; ``typed``: the form as sent."""
    errors = FormErrors()
    for p in problems:
        name = _field_of(p.path)
        if _about_the_ages(p.reason):
            names = ["age_min", "age_max"]
        elif name in FIELDS:
            names = [str(name)]
        else:
            named = set(_NAMED.findall(p.reason))
            names = [n for n in FIELDS if n in named] or ["form"]
        errors.add(names, _worded(t, names[0], p.reason, typed))
    # The summary in the form's order, as a reader goes down the form.
    errors.summary.sort(key=lambda item: FIELDS.index(item[0]) if item[0] in FIELDS else 99)
    return errors
