"""Texts and number formats of the web screens: Dutch by default, English available.

Numbers, dates and percentages go through Babel (``nl_NL`` or ``en_GB``); plural forms
follow the locale's CLDR rules, so a screen says '1 kind' and '2 kinderen'. The words
themselves are data, in the catalogue ``texts.toml`` beside this module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from api.catalogue import pair, read_catalogue
from api.clock import local_date, local_time
from matching.documents import Lang
from matching.explain import (
    CARE_KIND_NAMES,
    DOMAIN_NAMES,
    HOME_TYPE_NAMES,
    LEVEL_NAMES,
    join_words,
    level_text,
)

__all__ = ["LANGS", "Lang", "Texts", "catalogue"]

LANGS: tuple[Lang, ...] = ("nl", "en")
_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


_CATALOGUE = read_catalogue("api.web")


def catalogue(section: str) -> dict[str, tuple[str, str]]:
    """A table of the catalogue (``texts.toml``): (Dutch, English) per key."""
    return {key: pair(value) for key, value in _CATALOGUE[section].items()}


_TEXTS = catalogue("texts")
#: What a refused step means, per :class:`~api.services.errors.ConflictError` code.
CONFLICTS = catalogue("conflicts")
#: A refused step whose code is not listed above, in words (never the bare code).
UNKNOWN_CONFLICT = ("Deze stap kan nu niet worden gezet.", "This step cannot be taken now.")
#: What each kind of refusal means, where the service's sentence is English.
PROBLEM_DETAILS = catalogue("problem_details")
#: Dutch for every validation reason the code can answer, as patterns; the first match wins.
_REASON_PATTERNS = tuple(
    (re.compile(pattern), dutch) for pattern, dutch in map(pair, _CATALOGUE["reasons"]["nl"])
)
#: What a Dutch page says of a reason no pattern knows (never the English beside it).
_UNKNOWN_REASON_NL = "deze waarde wordt niet geaccepteerd"
#: The fields a problem may name, as a person reads them on a screen.
_FIELD_LABELS = catalogue("field_labels")
#: Counted nouns: (Dutch one and other, English one and other).
_NOUNS = {what: (pair(nl), pair(en)) for what, (nl, en) in _CATALOGUE["nouns"].items()}


#: ``date`` under another name: inside :class:`Texts` the name is its method.
Day = date


class Texts:
    """The texts and formats of one language, as the templates use them."""

    def __init__(self, lang: Lang) -> None:
        self.lang: Lang = lang
        self.locale = Locale.parse(_LOCALES[lang])

    def __call__(self, key: str) -> str:
        nl, en = _TEXTS[key]
        return nl if self.lang == "nl" else en

    def reason(self, text: str) -> str:
        """A validation reason in the page's language: English as the service wrote it, or
        its Dutch wording; a reason no pattern knows reads as a plain Dutch sentence, never
        as English on a Dutch page."""
        text = text.removeprefix("Value error, ")
        if self.lang != "nl":
            return text
        for pattern, dutch in _REASON_PATTERNS:
            found = pattern.match(text)
            if found:
                return dutch.format(None, *found.groups())
        return _UNKNOWN_REASON_NL

    def knows_reason(self, text: str) -> bool:
        """Whether a Dutch wording is known for ``text`` (the tests ask)."""
        return any(p.match(text.removeprefix("Value error, ")) for p, _ in _REASON_PATTERNS)

    def field(self, where: str | None) -> str:
        """A problem's field or column as a person reads it: ``$.beds_free`` -> 'Vrije
        bedden'; ``$.capabilities.trauma`` -> the domain's name; a CSV header as written."""
        if not where:
            return "–"
        if not where.startswith("$"):
            return where  # a column as the file wrote it
        parts = [p for p in re.split(r"[.\[\]]", where.removeprefix("$")) if p and not p.isdigit()]
        if not parts:
            return self("form")
        if parts[0] == "capabilities" and len(parts) > 1:
            return self.domain(parts[1]).capitalize()
        label = _FIELD_LABELS.get(parts[0])
        return label[self._side] if label else parts[0].replace("_", " ")

    def conflict(self, code: str) -> str:
        """What a refused step means; a code not listed reads as a plain sentence."""
        pair = CONFLICTS.get(code, UNKNOWN_CONFLICT)
        return pair[self._side]

    def problem_detail(self, kind: str, detail: str, *, page: bool = False) -> str:
        """The sentence under a refusal's title, in the page's language. The service's own
        sentence speaks the API's language ('1 field(s) are invalid'), so only a refused
        step's (a conflict's) is shown, on an English page, where it names what stands in
        the way. ``page``: a page was asked for (a GET), so nothing was going to be saved."""
        if kind == "conflict" and self.lang == "en":
            return detail
        if kind == "invalid" and page:
            kind = "invalid_page"
        return PROBLEM_DETAILS.get(kind, PROBLEM_DETAILS["errors_title"])[self._side]

    @property
    def _side(self) -> int:
        return 0 if self.lang == "nl" else 1

    def number(self, value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def listed(self, items: Sequence[str]) -> str:
        """``C-1, C-2 en C-3`` (``C-1, C-2 and C-3``)."""
        return join_words(list(items), self.lang)

    def km(self, value: float | None) -> str:
        return "–" if value is None else f"{self.number(value, 1)} km"

    def percent(self, share: float | None, digits: int = 0) -> str:
        if share is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * digits if digits else "") + " %"
        return format_percent(share, format=pattern, locale=self.locale)

    def date(self, value: date | datetime | None) -> str:
        if value is None:
            return "–"
        if isinstance(value, datetime):
            value = local_date(value)  # the day in the Netherlands, as "today" is
        return format_date(value, format="long", locale=self.locale)

    def form_date(self, value: Day) -> str:
        """A date as a form field shows it and a person types it: '1-12-2026' in Dutch
        (day first, as Dutch Excel and forms write it), ISO '2026-12-01' in English."""
        if self.lang == "nl":
            return format_date(value, format="d-M-y", locale=self.locale)
        return value.isoformat()

    def month(self, text: str) -> str:
        """'2026-04' -> 'april 2026'."""
        year, month = (int(x) for x in text.split("-")[:2])
        return format_date(date(year, month, 1), format="LLLL y", locale=self.locale)

    def points(self, value: float | None) -> str:
        if value is None:
            return "–"
        return self.number(value, 0 if float(value).is_integer() else 1)

    def datetime(self, value: datetime | None) -> str:
        if value is None:
            return "–"
        # Kept in UTC; shown on Dutch clocks (the service's "today" is Dutch too).
        local = local_time(value)
        return format_datetime(
            local, format="d MMMM y HH:mm", tzinfo=local.tzinfo, locale=self.locale
        )

    def plural(self, n: int, one: str, other: str) -> str:
        """``plural(2, 'kind', 'kinderen')`` -> '2 kinderen', by the locale's plural rule."""
        word = one if self.locale.plural_form(n) == "one" else other
        return f"{self.number(n)} {word}"

    def count(self, n: int, what: str) -> str:
        """A count of a known noun: 'children', 'homes', 'days', 'years', 'beds'."""
        words = _NOUNS[what][self._side]
        return self.plural(n, *words)

    def home_type(self, code: str) -> str:
        return HOME_TYPE_NAMES[self.lang].get(code, code.replace("_", " "))

    def need(self, domain: str, level: int) -> str:
        """'trauma en hechting: licht (1)': the level in words, its number kept."""
        name = DOMAIN_NAMES[self.lang].get(domain, domain.replace("_", " "))
        return f"{name}: {level_text(level, self.lang)}"

    def care_kind(self, code: str) -> str:
        return CARE_KIND_NAMES[self.lang].get(code, code.replace("_", " "))

    def domain(self, code: str) -> str:
        return DOMAIN_NAMES[self.lang].get(code, code.replace("_", " "))

    def level(self, n: int) -> str:
        return LEVEL_NAMES[self.lang][n]

    def needs(self, needs: dict[str, int]) -> str:
        shown = [self.need(d, lvl) for d, lvl in sorted(needs.items()) if lvl > 0]
        return ", ".join(shown) if shown else self("no_needs")
