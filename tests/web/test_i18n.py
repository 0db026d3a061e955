"""Numbers, dates, percentages and plural forms on the screens, by Babel's locale rules."""

from __future__ import annotations

from datetime import date

from api.web.i18n import Texts
from matching.explain import criterion_text
from matching.rules.base import Criterion, CriterionCode
from tests.literals import ROOT, assigned, call_arguments


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
        "licht verstandelijke beperking: intensief (3), trauma en hechting: licht (1)"
    )
    assert t.needs({}) == "geen bijzondere zorg"
    assert t.home_type("family_home") == "gezinshuis"


def test_common_validation_reasons_are_said_in_dutch() -> None:
    nl, en = Texts("nl"), Texts("en")
    reason = "is not a Dutch postcode (expected PC4 '1234' or PC6 '1234 AB')"
    assert nl.reason(reason) == "is geen Nederlandse postcode (verwacht 1234 of 1234 AB)"
    assert en.reason(reason) == reason
    assert nl.reason("something new") == "deze waarde wordt niet geaccepteerd"


# ---- every refusal and field problem the services can answer, in words


SERVICE_CODE = sorted((ROOT / "api").rglob("*.py"))
VALIDATORS = [ROOT / "matching" / "scenario.py", *sorted((ROOT / "api" / "schemas").glob("*.py"))]


def test_every_refusal_code_the_services_raise_has_words_in_both_languages() -> None:
    from api.schemas.children import ChildStatus
    from api.web.i18n import CONFLICTS

    codes = set(call_arguments(SERVICE_CODE, "ConflictError", 0))
    # f"child_{row.status}": a proposed or a placed child cannot be deleted.
    codes.discard("child_1")
    codes |= {f"child_{s.value}" for s in (ChildStatus.PROPOSED, ChildStatus.PLACED)}
    assert {"beds", "declined", "rule_broken", "id_taken"} <= codes  # the scan finds them
    missing = sorted(codes - set(CONFLICTS))
    assert missing == []
    for code in codes:
        nl, en = Texts("nl").conflict(code), Texts("en").conflict(code)
        assert nl != en
        # A raw code (with its underscore) is never the words; a plain word may be.
        assert "_" not in code or (code not in nl and code not in en)


def test_every_field_problem_written_in_the_code_reads_in_dutch() -> None:
    reasons = set(call_arguments(SERVICE_CODE, "FieldProblem", 1))
    reasons |= set(call_arguments(VALIDATORS, "ValueError", 0))
    reasons |= set(call_arguments(VALIDATORS, "each_once", 0))  # a list's items each once
    # A rule across fields, told at one of them ('languages names a language more than
    # once': a provider's CSV with 'nl nl' read 'deze waarde wordt niet geaccepteerd').
    reasons |= set(call_arguments(VALIDATORS, "CrossFieldError", 1))
    # A reason picked into a variable first (the CSV import's taken or withdrawn id).
    reasons |= set(assigned(sorted((ROOT / "api" / "services").rglob("*.py")), "reason"))
    reasons |= set(assigned([ROOT / "api" / "web" / "routes.py"], "_NOT_A_DATE"))
    assert "a date (2026-12-01, or day first 1-12-2026)" in reasons
    assert "id is already in use by another organisation's home" in reasons
    assert len(reasons) > 40
    t = Texts("nl")
    unknown = sorted(r for r in reasons if not t.knows_reason(r))
    assert unknown == []


def test_pydantic_messages_read_in_dutch_with_their_numbers() -> None:
    t = Texts("nl")
    assert t.reason("Input should be greater than or equal to 0") == "moet ten minste 0 zijn"
    assert t.reason("Input should be less than or equal to 200") == "mag hoogstens 200 zijn"
    assert t.reason("Field required") == "is verplicht"
    assert t.reason("Input should be 'crisis', 'short_term', 'long_term' or 'part_time'") == (
        "is geen van de toegestane waarden"
    )
    assert t.reason("Value error, age_min 9 is above age_max 4") == (
        "de leeftijd vanaf (9) is hoger dan de leeftijd tot en met (4)"
    )


def test_a_reason_without_dutch_words_is_never_shown_in_english_on_a_dutch_page() -> None:
    text = "something new the service says"
    assert Texts("nl").reason(text) == "deze waarde wordt niet geaccepteerd"
    assert Texts("en").reason(text) == text
    assert Texts("nl").conflict("brand_new_code") == "Deze stap kan nu niet worden gezet."


def test_fields_are_named_as_people_read_them() -> None:
    t = Texts("nl")
    assert t.field("$.beds_free") == "Vrije bedden"
    assert t.field("$.part_time_places_free") == "Vrije deeltijdplaatsen"
    assert t.field("$.capabilities.trauma") == "Trauma en hechting" or "rauma" in t.field(
        "$.capabilities.trauma"
    )
    assert t.field("$.known_to[2]") == "Bekend bij"
    assert t.field("Vrije bedden") == "Vrije bedden"  # a CSV header as the file wrote it
    assert Texts("en").field("$.beds_free") == "Free beds"


def test_form_dates_are_written_the_locales_way() -> None:
    assert Texts("nl").form_date(date(2026, 12, 1)) == "1-12-2026"
    assert Texts("en").form_date(date(2026, 12, 1)) == "2026-12-01"


def test_care_needs_in_an_explanation_are_levels_in_words_with_their_numbers() -> None:
    # The care criterion read "gedrag 1 ≤ 2": numbers a coordinator had to decode.
    care = Criterion(
        CriterionCode.CARE_NEEDS,
        0,
        0,
        {"needs": {"behaviour": 1}, "capabilities": {"behaviour": 2}},
    )
    nl, en = criterion_text(care, "nl"), criterion_text(care, "en")
    assert "≤" not in nl
    assert "gedrag nodig licht (1), de verzorgers kunnen matig (2)" in nl
    assert "behaviour needs light (1), the carers can give moderate (2)" in en
    assert Texts("nl").need("behaviour", 2) == "gedrag: matig (2)"
