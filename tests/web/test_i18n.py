"""Numbers, dates, percentages and plural forms on the screens, by Babel's locale rules."""

from __future__ import annotations

from datetime import date

from api.web.i18n import Texts


def test_dutch_counts_take_the_plural_form_from_two_on() -> None:
    t = Texts("nl")
    assert [t.count(n, "children") for n in (0, 1, 2)] == ["0 kinderen", "1 kind", "2 kinderen"]
    assert t.count(1, "beds") == "1 bed"
    assert t.count(3, "beds") == "3 bedden"


def test_english_counts_follow_english_plurals() -> None:
    t = Texts("en")
    assert [t.count(n, "children") for n in (1, 2)] == ["1 child", "2 children"]


def test_numbers_dates_and_shares_are_written_the_dutch_way() -> None:
    t = Texts("nl")
    assert t.km(8.3) == "8,3 km"
    assert t.number(12345) == "12.345"
    assert t.percent(0.58) == "58 %"
    assert t.date(date(2026, 12, 2)) == "2 december 2026"
    assert t.month("2026-04") == "april 2026"
    assert t.points(120.0) == "120"
    assert t.points(12.5) == "12,5"


def test_english_numbers_and_dates() -> None:
    t = Texts("en")
    assert t.number(12345) == "12,345"
    assert t.km(8.5) == "8.5 km"
    assert t.date(date(2026, 12, 2)) == "2 December 2026"


def test_care_needs_and_home_types_are_named_never_coded() -> None:
    t = Texts("nl")
    assert t.needs({"trauma": 1, "lvb": 3, "autism": 0}) == (
        "licht verstandelijke beperking (intensief), trauma en hechting (licht)"
    )
    assert t.needs({}) == "geen bijzondere zorg"
    assert t.home_type("family_home") == "gezinshuis"


def test_common_validation_reasons_are_said_in_dutch() -> None:
    nl, en = Texts("nl"), Texts("en")
    reason = "is not a Dutch postcode (expected PC4 '1234' or PC6 '1234 AB')"
    assert nl.reason(reason) == "is geen Nederlandse postcode (verwacht 1234 of 1234 AB)"
    assert en.reason(reason) == reason
    assert nl.reason("something new") == "something new"
