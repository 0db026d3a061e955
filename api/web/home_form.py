"""The register-home form: every problem of what was typed at once, each at its field and
in the page's language. What is wrong is found by :func:`api.services.home_checks.home_problems`
(the rules run again on what is right, as for a row of the CSV import); this module puts
each problem at its form field and words it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from api.schemas.homes import HomeCreate
from api.services.errors import FieldProblem
from api.services.home_checks import field_of, home_problems, named_fields
from api.web.i18n import Texts

__all__ = ["FIELDS", "LISTED", "FormErrors", "form_errors", "form_problems", "id_is_right"]

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


def form_problems(document: Mapping[str, Any]) -> tuple[HomeCreate | None, list[FieldProblem]]:
    """The body to register (None when anything is wrong) and every problem found."""
    body, _, problems = home_problems(document)
    return body, problems


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


def id_is_right(problems: list[FieldProblem]) -> bool:
    """Whether none of ``problems`` is at the id field (so that the id can be looked up)."""
    return all(field_of(p.path) != "id" for p in problems)


def form_errors(
    t: Texts, problems: list[FieldProblem], typed: Mapping[str, str], *, id_taken: bool = False
) -> FormErrors:
    """Each problem at the form fields it is about: its path's field, or for a rule across
    fields (path ``$``) every form field its reason names; ``typed``: the form as sent;
    ``id_taken``: a home is registered under the id typed, said with the other problems."""
    errors = FormErrors()
    if id_taken:
        errors.add(["id"], t("form_id_taken"))
    for p in problems:
        name = field_of(p.path)
        if _about_the_ages(p.reason):
            names = ["age_min", "age_max"]
        elif name in FIELDS:
            names = [str(name)]
        else:
            named = named_fields(p.reason)
            names = [n for n in FIELDS if n in named] or ["form"]
        errors.add(names, _worded(t, names[0], p.reason, typed))
    # The summary in the form's order, as a reader goes down the form.
    errors.summary.sort(key=lambda item: FIELDS.index(item[0]) if item[0] in FIELDS else 99)
    return errors
