"""The audience filter: a provider's view is the coordinator's document with facts removed."""

from __future__ import annotations

from matching.documents import CriterionDoc, ReasonDoc
from matching.privacy import Audience, criterion_for, reason_for

DISTANCE = CriterionDoc(
    criterion="distance_parents",
    points=80,
    max_points=100,
    value=12.5,
    text="12,5 km van de ouders (6711 → 6712): 80 van 100 punten.",
    detail={"distance_km": 12.5, "parents_postcode": "6711", "home_postcode": "6712"},
    unit="km",
)


def test_coordinator_reads_the_document_as_built() -> None:
    assert criterion_for(DISTANCE, Audience.COORDINATOR, True, "nl") is DISTANCE


def test_provider_never_sees_the_parents_postcode() -> None:
    seen = criterion_for(DISTANCE, Audience.PROVIDER, False, "nl")
    assert seen.points == 80
    assert seen.detail == {"distance_km": 12.5, "home_postcode": "6712"}
    assert "6711" not in seen.text
    assert seen.to_json()["unit"] == "km"


def test_provider_sees_nothing_that_locates_the_parents_of_a_secret_placement() -> None:
    seen = criterion_for(DISTANCE, Audience.PROVIDER, True, "en")
    assert (seen.points, seen.value, seen.detail) == (None, None, None)
    assert "detail" not in seen.to_json()
    reason: ReasonDoc = {"code": "distance", "text": "too far", "detail": {}, "child_id": "C-1"}
    assert reason_for(reason, Audience.PROVIDER, True, "en") == {
        "code": "confidential",
        "text": "Distance to the parents: confidential (secret placement).",
        "child_id": "C-1",
    }


def test_each_locating_criterion_of_a_secret_placement_says_what_it_withholds() -> None:
    texts = {}
    for criterion in ("distance_parents", "school", "own_municipality"):
        doc = DISTANCE.model_copy(update={"criterion": criterion})
        seen = criterion_for(doc, Audience.PROVIDER, True, "en")
        assert seen.points is None
        texts[criterion] = seen.text
    assert texts == {
        "distance_parents": "Distance to the parents: confidential (secret placement).",
        "school": "School: confidential (secret placement).",
        "own_municipality": "The parents' municipality: confidential (secret placement).",
    }
