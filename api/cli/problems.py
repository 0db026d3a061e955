"""What a command says when its input is wrong, in the reader's language: Dutch unless
``--lang en``.

The engine and the commands write their reasons in English (the HTTP API's language, and
what the code's own tests read); this turns each into Dutch with the patterns of the
catalogue's ``[problems]`` table, keeping every id, field name and value, since the reader
fixes a JSON file or an option by them. A reason no pattern knows stays as it was written:
an English sentence that names the problem beats a Dutch one that hides it (the tests keep
every reason the loader and the commands can give in the table).
"""

from __future__ import annotations

import re
from functools import cache

from api.cli.common import catalogue
from matching import InputProblem, Lang

__all__ = ["argument_text", "problem_line", "reason_text"]

Patterns = tuple[tuple[re.Pattern[str], str], ...]


@cache
def _patterns(key: str) -> Patterns:
    return tuple((re.compile(p), dutch) for p, dutch in catalogue()["problems"][key])


def _dutch(text: str, key: str) -> str | None:
    for pattern, dutch in _patterns(key):
        found = pattern.fullmatch(text)
        if found:
            # A list of allowed values reads "'a', 'b' or 'c'": its last word in Dutch too.
            groups = [(g or "").replace("' or '", "' of '") for g in found.groups()]
            return dutch.format(None, *groups)
    return None


#: A reason told under the name of what it is about: an option (``--assumptions``), an
#: environment variable (``DATABASE_URL``), a key or a path (``policy.max_distance_km``,
#: ``$.to``). The name is kept as written; the reason after it is translated on its own.
_NAMED = re.compile(r"([^\s:;]+): (.+)")


def _reason(text: str) -> str | None:
    """The Dutch of ``text``: a reason of the table; or reasons joined by '; ' (a service
    lists every problem it found); or a reason under a name. None when any part has no
    Dutch wording, so that a sentence is never left half English."""
    whole = _dutch(text, "reasons")
    if whole is not None:
        return whole
    if "; " in text:
        parts = [_reason(part) for part in text.split("; ")]
        return None if None in parts else "; ".join(p for p in parts if p is not None)
    named = _NAMED.fullmatch(text)
    if named:
        rest = _reason(named.group(2))
        return None if rest is None else f"{named.group(1)}: {rest}"
    return None


def knows(text: str) -> bool:
    """Whether a Dutch wording is known for the reason ``text`` (the tests ask)."""
    return _reason(text) is not None


def reason_text(reason: str, lang: Lang) -> str:
    """One reason in ``lang`` (of a scenario's field, or a command's own refusal: a file it
    cannot read, an option out of range, a setting); a reason without Dutch words stays as
    written."""
    if lang == "en":
        return reason
    return _reason(reason) or reason


def problem_line(problem: InputProblem, lang: Lang) -> str:
    """One problem of a scenario as a line says it: which object, which field, why."""
    if lang == "en":
        return str(problem)
    obj = _dutch(problem.object, "objects") or problem.object
    return f"{obj}: veld '{problem.field}': {reason_text(problem.reason, lang)}"


_ARGUMENT = re.compile(r"argument (\S+): (.+)")


def argument_text(message: str, lang: Lang) -> str:
    """The argument parser's refusal in ``lang``: its own words ('the following arguments are
    required: --child'), or an option's check beneath its name ('argument --days: ...')."""
    if lang == "en":
        return message
    known = _dutch(message, "reasons")
    if known is not None:
        return known
    found = _ARGUMENT.fullmatch(message)
    if found:
        return f"optie {found.group(1)}: {reason_text(found.group(2), lang)}"
    return message
