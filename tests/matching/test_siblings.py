"""Sibling groups are connected components; unsplittable groups are one placement unit."""

from __future__ import annotations

from matching import placement_units
from tests.builders import child, scenario


def test_sibling_groups_are_connected_components_of_a_symmetric_relation() -> None:
    # C-1 lists C-2, C-3 lists C-2: one group of three although nobody lists everyone.
    sc = scenario(
        [],
        [
            child("C-1", siblings=["C-2"]),
            child("C-2"),
            child("C-3", siblings=["C-2"]),
            child("C-4"),
        ],
    )
    units = placement_units(sc.children)
    assert [u.members for u in units] == [("C-1", "C-2", "C-3"), ("C-4",)]
    assert units[0].together


def test_group_with_a_split_reason_is_placed_child_by_child() -> None:
    sc = scenario(
        [], [child("C-1", siblings=["C-2"], split_reason="specialist_care"), child("C-2")]
    )
    units = placement_units(sc.children)
    assert [u.members for u in units] == [("C-1",), ("C-2",)]
    assert all(u.split_from_siblings and u.group == ("C-1", "C-2") for u in units)


def test_each_child_apart_carries_its_own_recorded_reason_else_the_groups() -> None:
    # C-2's own reason is a threat; C-1's is specialist care. An explanation read to a
    # judge must give C-2's own reason, not its brother's.
    sc = scenario(
        [],
        [
            child("C-1", siblings=["C-2", "C-3"], split_reason="specialist_care"),
            child("C-2", split_reason="sibling_threat"),
            child("C-3"),
        ],
    )
    reasons = {u.members[0]: u.split_reason for u in placement_units(sc.children)}
    assert reasons == {
        "C-1": "specialist_care",
        "C-2": "sibling_threat",
        "C-3": "specialist_care",
    }


def test_connected_groups_join_links_in_either_direction_and_ignore_unknown_ids() -> None:
    from matching.siblings import connected_groups

    links = {"d": ["b"], "b": ["x"], "c": [], "a": ["c"]}
    assert connected_groups(["a", "b", "c", "d"], links) == [("a", "c"), ("b", "d")]
