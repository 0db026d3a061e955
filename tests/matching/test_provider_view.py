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


def test_a_provider_reads_no_split_reason_and_no_words_others_wrote() -> None:
    ctx = context(
        [home("H-1", postcode=NIJKERK), home("H-2", postcode=LUNTEREN, age_max=6)],
        [
            child(
                "M",
                age=10,
                siblings=["N"],
                split_reason="sexual_abuse_suspected",
                split_note="vader woont Bergstraat 5",
                wishes={
                    "priorities": ["religion"],
                    "note": "wil terug naar mama in de Bergstraat",
                    "heard_on": "2026-11-01",
                },
                history=[
                    {"home_id": "H-2", "event": "declined", "date": "2026-11-01"}
                    | {"reason": "te dicht bij vader in de Bergstraat"}
                ],
            ),
            child("N"),
        ],
    )
    doc = provider_view(ctx, "M", excluded="all")
    text = json.dumps(doc, ensure_ascii=False)
    for untold in ("Bergstraat", "sexual_abuse", "seksueel misbruik", 'split_reason": "'):
        assert untold not in text, untold
    assert doc["split_reason"] is None
    # What carers need stays: apart from N, the wish counted and when it was heard, and
    # that the carers of H-2 declined the child on that day.
    criteria = {c["criterion"]: c for c in doc["options"][0]["criteria"]}
    assert criteria["siblings"]["text"] == "Mag apart van N geplaatst worden: 0 van 50 punten."
    assert criteria["religion"]["detail"]["wish"]["heard_on"] == "2026-11-01"
    assert "gehoord op 1 november 2026" in criteria["religion"]["text"]
    declined = next(r for e in doc["excluded"] for r in e["reasons"] if r["code"] == "declined")
    assert declined["detail"] == {"date": "2026-11-01", "memory_days": 180}
    # The coordinator reads every word.
    mine = json.dumps(rank(ctx, "M").document(ctx, excluded="all").to_json(), ensure_ascii=False)
    assert "seksueel misbruik" in mine
    assert "mama in de Bergstraat" in mine
    assert "vader in de Bergstraat" in mine


def test_a_provider_cannot_tell_whether_a_home_is_in_the_parents_municipality() -> None:
    # Not confidential: the distance is shown; the parents' municipality never is, nor the
    # points that say it (all or nothing), nor the score that adds them up.
    ctx = context(
        [home("H-in", postcode=EDE), home("H-out", postcode=NIJKERK)],
        [child("C-1", parents_postcode=PARENTS)],
    )
    doc = provider_view(ctx, "C-1", members="full")
    coordinator = rank(ctx, "C-1").document(ctx).to_json()
    assert [o["criteria"][6]["value"] for o in coordinator["options"]] == [True, False]
    for option in doc["options"]:
        criteria = {c["criterion"]: c for c in option["criteria"]}
        seen = criteria["own_municipality"]
        assert (seen["points"], seen["value"]) == (None, None)
        assert "same" not in seen["detail"]
        assert "punten" not in seen["text"]
        assert option["score"] is None
        assert [m["score"] for m in option["members"]] == [None]
        assert criteria["distance_parents"]["points"] is not None
    texts = {o["criteria"][6]["text"] for o in doc["options"]}
    assert texts == {
        "Woonplek in Ede; of dat de gemeente van de ouders is, wordt niet gedeeld.",
        "Woonplek in Nijkerk; of dat de gemeente van de ouders is, wordt niet gedeeld.",
    }


def test_every_code_a_provider_may_count_has_a_label_in_both_languages() -> None:
    ctx = context([home("H-near", postcode=LUNTEREN)], [child(min_distance_from_parents_km=20)])
    for lang, words in (("nl", "Om een vertrouwelijke reden"), ("en", "For a confidential")):
        summary = provider_view(ctx, "C-1", lang=lang)["excluded_summary"]
        assert [s["code"] for s in summary] == ["confidential"]
        assert summary[0]["text"].startswith(words), summary


def _secret_group_ranked(parents: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A confidential child whose parents live at ``parents``: its provider's documents
    (nearest excluded, all excluded) and its coordinator's."""
    homes = [
        home("H-a", postcode="3531"),  # Utrecht
        home("H-b", postcode=NIJKERK),
        home("H-c", postcode="3811"),  # Amersfoort
        home("H-e", postcode="7311"),  # Apeldoorn
        home("H-d", postcode=LUNTEREN),  # too close to either parents' home
        home("H-f", postcode=AMSTERDAM),  # too far from either
        home("H-g", postcode="3781", age_max=6),  # too young; too close only from Ede
    ]
    ctx = context(homes, [child(parents_postcode=parents, min_distance_from_parents_km=20)])
    return (
        provider_view(ctx, "C-1"),
        provider_view(ctx, "C-1", excluded="all", members="full"),
        rank(ctx, "C-1").document(ctx).to_json(),
    )


def test_a_confidential_groups_provider_view_is_the_same_wherever_the_parents_live() -> None:
    # Parents in Ede or in Rhenen: the same homes are options; the coordinator's order
    # (by score, nearest first) and its reasons differ, the provider's document does not.
    ede, rhenen = _secret_group_ranked(PARENTS), _secret_group_ranked("3911")
    assert [o["home_id"] for o in ede[2]["options"]] == ["H-c", "H-b", "H-e", "H-a"]
    assert [o["home_id"] for o in rhenen[2]["options"]] == ["H-c", "H-b", "H-a", "H-e"]
    assert ede[2]["excluded_counts"] != rhenen[2]["excluded_counts"]
    assert ede[:2] == rhenen[:2]
    short, full, _ = ede
    # In order of the points the provider reads (all equal here), then by id.
    assert [o["home_id"] for o in short["options"]] == ["H-a", "H-b", "H-c", "H-e"]
    assert [o["rank"] for o in short["options"]] == [1, 2, 3, 4]
    # H-g is listed for its age only; H-d and H-f, excluded only for where they are, are
    # only counted, with no reason that says whether they are too close or too far.
    assert [(e["home_id"], [r["code"] for r in e["reasons"]]) for e in full["excluded"]] == [
        ("H-g", ["age"])
    ]
    assert full["excluded_counts"] == {"age": 1, "confidential": 2}
    assert full["excluded_total"] == 3
