"""A rank document explains the nearest few excluded homes and counts every one by reason."""

from __future__ import annotations

from matching import Audience, rank
from matching.ranking import NEAREST_EXCLUDED
from tests.builders import child, context, home

# Ede, Wageningen, Bennekom, Lunteren: all within reach of the parents in 6712.
POSTCODES = ["6713", "6714", "6715", "6716", "6717", "6718", "6708", "6709", "6721", "6741"]


def _too_old_everywhere(n: int) -> list[dict[str, object]]:
    """``n`` homes that exclude an 8-year-old by age, one per postcode, nearest first."""
    return [
        home(f"H-{i:02d}", postcode=POSTCODES[i % len(POSTCODES)], age_min=12) for i in range(n)
    ]


def test_nearest_lists_the_nearest_eight_and_counts_them_all() -> None:
    ctx = context([*_too_old_everywhere(12), home("H-ok")], [child()])
    result = rank(ctx, "C-1")
    everything = result.document(ctx, excluded="all").to_json()
    nearest = result.document(ctx).to_json()
    assert len(everything["excluded"]) == 12
    assert nearest["excluded"] == everything["excluded"][:NEAREST_EXCLUDED]
    for doc in (nearest, everything):
        assert doc["excluded_total"] == 12
        assert doc["excluded_counts"] == {"age": 12}
        assert [(s["code"], s["homes"]) for s in doc["excluded_summary"]] == [("age", 12)]
        assert doc["excluded_summary"][0]["text"].endswith("12 van de 13 woonplekken.")
        assert [o["home_id"] for o in doc["options"]] == ["H-ok"]
    assert nearest["excluded_shown"] == "nearest"
    assert everything["excluded_shown"] == "all"


def test_summary_counts_a_home_under_each_of_its_reasons_most_first() -> None:
    homes = [
        home("H-age", age_min=12),
        home("H-both", age_min=12, postcode="9711"),
        home("H-far", postcode="9711"),
        home("H-far-2", postcode="9711"),
    ]
    doc = rank(ctx := context(homes, [child()]), "C-1").document(ctx, lang="en").to_json()
    assert [(s["code"], s["homes"]) for s in doc["excluded_summary"]] == [
        ("distance", 3),
        ("age", 2),
    ]
    assert doc["excluded_summary"][0]["text"].endswith("3 of the 4 homes.")
    assert doc["excluded_total"] == 4


def test_a_provider_gets_the_first_few_by_id_and_no_locating_reason() -> None:
    # Nearest first would hint where the parents of a secret placement live: by id instead.
    homes = [home(f"H-{9 - i}", postcode=POSTCODES[i], age_min=12) for i in range(10)]
    homes.append(home("H-close", postcode="6712"))
    ctx = context(homes, [child(min_distance_from_parents_km=5)])
    result = rank(ctx, "C-1")
    doc = result.document(ctx, audience=Audience.PROVIDER).to_json()
    coordinator = result.document(ctx).to_json()
    ids = [e["home_id"] for e in doc["excluded"]]
    assert ids == sorted(ids)
    assert len(ids) == NEAREST_EXCLUDED
    assert doc["excluded_total"] == coordinator["excluded_total"] == 11
    assert coordinator["excluded_counts"]["safety_distance"] > 1
    # Which homes are too close is not told: the homes too young for the child are
    # listed for their age alone, and H-close, excluded only for being too close, is
    # counted under a code that says no more (docs/scoring.md, "Audiences").
    assert {r["code"] for e in doc["excluded"] for r in e["reasons"]} == {"age"}
    assert doc["excluded_counts"] == {"age": 10, "confidential": 1}
    assert {s["code"] for s in doc["excluded_summary"]} == {"age", "confidential"}
