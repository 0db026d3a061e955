"""Scenario validation: every problem named by object, field and reason; nothing half-loaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from matching import ScenarioError, load_scenario, parse_scenario
from tests.builders import child, home, scenario, scenario_doc

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "example-scenario.json"


def problems_of(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(doc)
    return [str(p) for p in info.value.problems]


def test_example_scenario_loads_with_ages_from_birth_dates() -> None:
    sc = load_scenario(EXAMPLE.read_text())
    assert len(sc.homes) == 6
    assert len(sc.children) == 6
    assert sc.child("C-yara").age == 3  # born 2023-02-14, on 2026-11-23
    assert sc.home("H-devries").postcode.text == "6714AB"


def test_unknown_policy_key_is_an_error() -> None:
    assert problems_of(scenario_doc([], [], policy={"max_distanse_km": 10})) == [
        "scenario: field 'policy.max_distanse_km': Extra inputs are not permitted"
    ]


def test_policy_overrides_replace_defaults_including_nested_type_points() -> None:
    sc = scenario([], [], policy={"max_distance_km": 30, "points_type": {"residential": 10}})
    assert sc.policy.max_distance_km == 30
    assert sc.policy.points_type.residential == 10
    assert sc.policy.points_type.foster == 80


@pytest.mark.parametrize(
    ("policy", "field", "reason"),
    [
        ({"residential_requires_reason": "off"}, "residential_requires_reason", "boolean"),
        ({"residential_requires_reason": "no"}, "residential_requires_reason", "boolean"),
        ({"residential_requires_reason": 0}, "residential_requires_reason", "boolean"),
        ({"max_distance_km": "5"}, "max_distance_km", "number"),
        ({"wish_factor": True}, "wish_factor", "number"),
        ({"school_age": True}, "school_age", "integer"),
        ({"decline_memory_days": 30.0}, "decline_memory_days", "integer"),
        ({"points_type": {"foster": "80"}}, "points_type.foster", "integer"),
    ],
)
def test_policy_values_are_json_numbers_and_booleans_not_text_or_stand_ins(
    policy: dict[str, Any], field: str, reason: str
) -> None:
    assert problems_of(scenario_doc([], [], policy=policy)) == [
        f"scenario: field 'policy.{field}': Input should be a valid {reason}"
    ]


def test_a_whole_number_is_a_number_in_the_policy() -> None:
    sc = scenario([], [], policy={"max_distance_km": 5, "wish_factor": 2})
    assert (sc.policy.max_distance_km, sc.policy.wish_factor) == (5.0, 2.0)


def test_missing_required_field_names_object_and_field() -> None:
    doc = scenario_doc([home(beds_free=None)], [{"id": "C-1", "age": 5}])
    found = problems_of(doc)
    assert any(p.startswith("home H-1: field 'beds_free'") for p in found)
    assert "child C-1: field 'parents_postcode': Field required" in found


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"beds_free": -1}, "beds_free"),
        ({"age_max": 140}, "age_max"),
        ({"postcode": "6" * 40}, "postcode"),
        ({"capabilities": {"trauma": 4}}, "capabilities.trauma"),
        ({"capabilities": {"magic": 1}}, "capabilities"),
        ({"type": "castle"}, "type"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_absurd_home_values_are_rejected_naming_the_field(
    fields: dict[str, Any], field: str
) -> None:
    found = problems_of(scenario_doc([home(**fields)], []))
    assert any(p.startswith(f"home H-1: field '{field}'") for p in found), found


def test_all_problems_are_reported_at_once() -> None:
    doc = scenario_doc(
        [home("H-1", beds_free=-1), home("H-2", postcode="1000")],
        [child("C-1", age=140), child("C-2", parents_postcode="12")],
    )
    found = problems_of(doc)
    assert len(found) == 4
    assert "home H-2: field 'postcode': postcode '1000' is not a known Dutch PC4 area" in found


def test_age_contradicting_birth_date_is_an_error() -> None:
    found = problems_of(scenario_doc([], [child(age=9, birth_date="2020-01-01")]))
    assert found == ["child C-1: field 'age': 9 contradicts birth_date (age 6)"]


def test_child_needs_age_or_birth_date() -> None:
    doc = scenario_doc([], [{"id": "C-1", "parents_postcode": "6712"}])
    assert problems_of(doc) == [
        "child C-1: field 'birth_date': one of birth_date or age is required"
    ]


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        ("0001-01-05", "Input should be greater than or equal to 2000-01-01"),
        ("1999-12-31", "Input should be greater than or equal to 2000-01-01"),
        ("2100-01-01", "Input should be less than or equal to 2099-12-31"),
        ("9999-12-31", "Input should be less than or equal to 2099-12-31"),
    ],
)
def test_a_reference_date_outside_the_years_2000_to_2099_is_an_error(day: str, reason: str) -> None:
    found = problems_of(scenario_doc([home()], [child()], reference_date=day))
    assert found == [f"scenario: field 'reference_date': {reason}"]


@pytest.mark.parametrize("day", ["2000-01-01", "2099-12-31"])
def test_a_reference_date_at_either_end_of_the_range_loads(day: str) -> None:
    assert (
        str(parse_scenario(scenario_doc([home()], [child()], reference_date=day)).reference_date)
        == day
    )


def test_duplicate_ids_are_errors() -> None:
    found = problems_of(scenario_doc([home("H-1"), home("H-1")], [child("C-1"), child("C-1")]))
    assert "home H-1: field 'id': is not unique within the scenario" in found
    assert "child C-1: field 'id': is not unique within the scenario" in found


def test_ids_that_differ_only_by_surrounding_spaces_are_duplicates() -> None:
    # Ids are trimmed as they are read (as the API does), so these name one home, one child.
    doc = scenario_doc([home("H-1"), home(" H-1")], [child("C-1"), child("C-1 ")])
    assert problems_of(doc) == [
        "home H-1: field 'id': is not unique within the scenario",
        "child C-1: field 'id': is not unique within the scenario",
    ]


def test_an_id_that_is_not_text_is_an_error_naming_the_field() -> None:
    doc = scenario_doc([{**home(), "id": ["H-1"]}, home("H-2")], [{**child(), "id": {"id": "C-1"}}])
    assert problems_of(doc) == [
        "home[0]: field 'id': Input should be a valid string",
        "child[0]: field 'id': Input should be a valid string",
    ]


def test_ids_outside_the_id_pattern_are_errors_naming_the_field() -> None:
    doc = scenario_doc(
        [home("H/1"), home("H-2", type="network_foster", known_to=["C 1"])],
        [child("C-1", siblings=["C/2"], keep_apart=[".."], current_home="H 2")],
    )
    fields = {p.split("field '")[1].split("'")[0] for p in problems_of(doc)}
    assert {"id", "known_to.0", "siblings.0", "keep_apart.0", "current_home"} <= fields


def test_unknown_sibling_id_is_an_error() -> None:
    found = problems_of(scenario_doc([], [child("C-1", siblings=["C-9"])]))
    assert found == ["child C-1: field 'siblings': unknown child id 'C-9'"]


def test_child_listed_as_its_own_sibling_is_an_error() -> None:
    found = problems_of(scenario_doc([], [child("C-1", siblings=["C-1"])]))
    assert found == ["child C-1: field 'siblings': a child cannot be its own sibling"]


def test_keep_apart_inside_a_group_that_may_not_be_split_is_an_error() -> None:
    doc = scenario_doc([], [child("C-1", siblings=["C-2"], keep_apart=["C-2"]), child("C-2")])
    found = problems_of(doc)
    assert len(found) == 1
    assert found[0].startswith("child C-1: field 'keep_apart': 'C-2' is a sibling")


def test_keep_apart_inside_a_group_with_a_split_reason_is_allowed() -> None:
    sc = scenario(
        [],
        [
            child("C-1", siblings=["C-2"], keep_apart=["C-2"], split_reason="sibling_threat"),
            child("C-2", keep_apart=["C-1"]),
        ],
    )
    assert sc.child("C-1").keep_apart == {"C-2"}


def test_split_reason_other_requires_a_note() -> None:
    found = problems_of(scenario_doc([], [child(split_reason="other")]))
    assert found == ["child C-1: field 'split_note': split_reason 'other' requires a split_note"]


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"age_min": 12, "age_max": 4}, "age_max", "age_min 12 is above age_max 4"),
        (
            {"available_from": "2027-02-01", "available_until": "2027-01-01"},
            "available_until",
            "available_from is after available_until",
        ),
        ({"type": "network_foster"}, "known_to", "a network_foster home needs known_to"),
        ({"known_to": ["C-1"]}, "known_to", "known_to is only for network_foster homes"),
        (
            {"care_kinds": ["crisis", "crisis"]},
            "care_kinds",
            "care_kinds names a kind more than once",
        ),
        (
            {"part_time_places_free": 1},
            "part_time_places_free",
            "part_time_places_free is only for",
        ),
        (
            {"languages": ["nl", "ar", "nl"]},
            "languages",
            "languages names a language more than once",
        ),
        (
            {"type": "network_foster", "known_to": ["C-1", "C-1"]},
            "known_to",
            "known_to names a child more than once",
        ),
    ],
)
def test_a_rule_between_a_homes_fields_names_the_field_to_change(
    fields: dict[str, Any], field: str, reason: str
) -> None:
    [found] = problems_of(scenario_doc([home(**fields)], [child()]))
    assert found.startswith(f"home H-1: field '{field}': {reason}"), found


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"age": None}, "birth_date", "one of birth_date or age is required"),
        ({"split_reason": "other"}, "split_note", "split_reason 'other' requires a split_note"),
        ({"siblings": ["C-1"]}, "siblings", "a child cannot be its own sibling"),
        ({"keep_apart": ["C-1"]}, "keep_apart", "a child cannot be kept apart from itself"),
        (
            {"residential_reason": "other", "residential_note": " "},
            "residential_note",
            "residential_reason 'other' requires a residential_note",
        ),
    ],
)
def test_a_rule_between_a_childs_fields_names_the_field_to_change(
    fields: dict[str, Any], field: str, reason: str
) -> None:
    assert problems_of(scenario_doc([], [child(**fields)])) == [
        f"child C-1: field '{field}': {reason}"
    ]


def test_network_home_needs_known_to_and_only_known_children() -> None:
    found = problems_of(scenario_doc([home(type="network_foster")], []))
    assert "known_to" in found[0]
    found = problems_of(scenario_doc([home(type="network_foster", known_to=["C-7"])], [child()]))
    assert found == ["home H-1: field 'known_to': unknown child id 'C-7'"]


def test_unknown_current_home_and_keep_apart_ids_are_errors() -> None:
    found = problems_of(scenario_doc([], [child(current_home="H-9", keep_apart=["C-9"])]))
    assert set(found) == {
        "child C-1: field 'keep_apart': unknown child id 'C-9'",
        "child C-1: field 'current_home': unknown home id 'H-9'",
    }


def test_malformed_json_and_wrong_format_are_errors() -> None:
    with pytest.raises(ScenarioError, match="not valid JSON"):
        load_scenario("{nope")
    with pytest.raises(ScenarioError, match="format"):
        load_scenario(json.dumps({**scenario_doc([], []), "format": "other/2"}))


def test_json_nested_too_deeply_is_an_error_not_a_crash() -> None:
    with pytest.raises(ScenarioError, match="nested too deeply"):
        load_scenario("[" * 50_000 + "]" * 50_000)


def test_bytes_that_are_not_utf8_are_an_error_naming_the_byte() -> None:
    with pytest.raises(ScenarioError, match="not UTF-8 text: byte 0xff at offset 11"):
        load_scenario(b'{"format":"\xff"}')
    assert load_scenario(EXAMPLE.read_bytes()).child("C-yara").age == 3


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"siblings": ["C-2", "C-2"]}, "siblings names a child more than once"),
        ({"keep_apart": ["C-2", "C-2"]}, "keep_apart names a child more than once"),
        ({"languages": ["nl", "nl"]}, "languages names a language more than once"),
    ],
)
def test_a_child_list_naming_one_item_twice_is_refused(fields: dict[str, Any], reason: str) -> None:
    # Each of these lists is a set: a repeat is a typo, and would be stored and shown twice.
    other = child(id="C-2", siblings=["C-1"] if "siblings" in fields else [])
    found = problems_of(scenario_doc([home()], [child(**fields), other]))
    field = next(iter(fields))
    assert found == [f"child C-1: field '{field}': {reason}"], found
