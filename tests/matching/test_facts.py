"""Placement facts: the school rule and the distances, measured once for every caller."""

from __future__ import annotations

from matching.facts import keeps_school, placement_facts
from matching.geo import distance_km, postcode_table
from matching.policy import Policy

EDE, WAGENINGEN, VEENENDAAL = "6711", "6701", "3901"


def test_keeps_school_does_not_apply_without_a_school_or_below_school_age() -> None:
    table, policy = postcode_table(), Policy()
    home = table.locate(EDE)
    assert keeps_school(policy, 10, None, home) is None
    assert keeps_school(policy, policy.school_age - 1, table.locate(EDE), home) is None


def test_keeps_school_within_the_commute_for_the_childs_age() -> None:
    table = postcode_table()
    school, home = table.locate(VEENENDAAL), table.locate(EDE)
    km = distance_km(school, home)
    near = Policy(school_commute_primary_km=km, school_commute_secondary_km=km)
    far = Policy(school_commute_primary_km=km - 0.1, school_commute_secondary_km=km + 10)
    assert keeps_school(near, 8, school, home) is True
    assert keeps_school(far, 8, school, home) is False
    assert keeps_school(far, 14, school, home) is True


def test_placement_facts_measure_with_the_engines_distance() -> None:
    table = postcode_table()
    parents, home = table.locate(WAGENINGEN), table.locate(EDE)
    facts = placement_facts(Policy(), 3, parents, None, home)
    assert facts.distance_km == distance_km(parents, home)
    assert (facts.parents_municipality, facts.home_municipality) == ("0289", "0228")
    assert not facts.same_municipality
    assert facts.keeps_school is None
