"""What a provider reads of a rank document: nothing that locates the parents of a
confidential sibling group, and no words others wrote (docs/scoring.md, "Audiences")."""

from __future__ import annotations

import json
from typing import Any

from matching import Audience, rank
from tests.builders import child, context, home

PARENTS = "6717"  # Ede
#: Homes 2.5 km (Ede), 8 km (Lunteren), 31 km (Nijkerk) and 64.5 km (Amsterdam) away.
EDE, LUNTEREN, NIJKERK, AMSTERDAM = "6721", "6741", "3862", "1011"


def provider_view(ctx: Any, child_id: str, **options: Any) -> dict[str, Any]:
    doc = rank(ctx, child_id).document(ctx, audience=Audience.PROVIDER, **options)
    return doc.to_json()


def test_a_brother_placed_apart_shows_nothing_of_his_confidential_sisters_parents() -> None:
    ctx = context(
        [home(h, postcode=pc) for h, pc in (("H-1", EDE), ("H-2", LUNTEREN), ("H-3", NIJKERK))],
        [
            child(
                "P",
                parents_postcode=PARENTS,
                min_distance_from_parents_km=20,
                siblings=["N"],
                split_reason="specialist_care",
            ),
            child("N", parents_postcode=PARENTS),
        ],
    )
    doc = provider_view(ctx, "N", excluded="all")
    assert doc["group"] == ["P", "N"]
    assert doc["options"]
    for option in doc["options"]:
        assert option["score"] is None
        hidden = {c["criterion"] for c in option["criteria"] if c["points"] is None}
        assert {"distance_parents", "school", "own_municipality"} <= hidden
    text = json.dumps(doc)
    for locating in ("km van de ouders", "Ede", "2,5", PARENTS):
        assert locating not in text, locating


def test_a_brother_placed_together_gives_no_distance_reason_of_a_confidential_group() -> None:
    ctx = context(
        [home(h, postcode=pc, beds_free=2) for h, pc in (("H-far", AMSTERDAM), ("H-ok", NIJKERK))],
        [
            child("P", parents_postcode=PARENTS, min_distance_from_parents_km=20, siblings=["Q"]),
            child("Q", parents_postcode=PARENTS),
        ],
    )
    doc = provider_view(ctx, "Q", excluded="all")
    codes = {r["code"] for e in doc["excluded"] for r in e["reasons"]} | set(doc["excluded_counts"])
    assert not codes & {"distance", "safety_distance"}
    assert "64,5" not in json.dumps(doc)
