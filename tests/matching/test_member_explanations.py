"""An option's members carry their points per criterion by default and every criterion in
full on request, so that a sibling group's document stays small enough for people."""

from __future__ import annotations

import json
from typing import Any

import pytest

from matching import Audience, Context, Lang, rank
from matching.explain import member_doc
from tests.builders import child, context, home

#: The target of issue 12: a default options document of at most 100 kB.
TARGET_BYTES = 100_000

# Homes that take the whole group, within reach of the parents in Ede (6712), and nearer
# ones that exclude the younger children by age and most of them by care need.
OPTION_POSTCODES = ["6714", "6716", "6721", "6741", "6708", "6709", "3901", "3911", "6871"]
OPTION_POSTCODES += ["6811", "3811", "6717"]
NEAR_POSTCODES = ["6713", "6715", "6718", "6711", "6731", "6733", "6744", "6745", "6702"]
SCHOOLS = ["6713", "6708", "6721", "3901", None]
NEEDS = [
    {"trauma": 1, "behaviour": 2},
    {"autism": 1},
    {"trauma": 2, "mental_health": 1},
    {"lvb": 1, "behaviour": 1},
    {"medical": 1},
]
CAPABLE = {"trauma": 2, "behaviour": 2, "autism": 2, "mental_health": 2, "lvb": 2, "medical": 2}


def _sibling_group(size: int, confidential: bool = False) -> Context:
    """A group of ``size`` whose members differ in every way a sentence can tell (age,
    school, needs, waiting, wishes), with twelve homes that take them all and nine nearer
    ones that do not: sentences as long as the national fixture's."""
    ids = [f"C-{i}" for i in range(1, size + 1)]
    children = []
    for i, cid in enumerate(ids):
        fields: dict[str, Any] = {
            "age": 15 - 3 * i,
            "needs": NEEDS[i],
            "waiting_since": f"2026-{6 + i:02d}-1{i}",
            "care_kind": "short_term",
            "siblings": [other for other in ids if other != cid],
        }
        if SCHOOLS[i]:
            fields["school_postcode"] = SCHOOLS[i]
        if i % 2 == 0:
            fields["wishes"] = {
                "priorities": ["school", "siblings"],
                "note": "wil bij mijn broers en zussen blijven",
                "heard_on": "2026-10-01",
            }
        if confidential and i == 0:
            fields["min_distance_from_parents_km"] = 1
        children.append(child(cid, **fields))
    homes = [
        home(
            f"H-{postcode}",
            type="family_home",
            postcode=postcode,
            beds_free=size,
            max_siblings=size,
            capabilities=CAPABLE,
            age_max=17 + i % 2,
            religion="christian",
            languages=["nl", "ar"],
        )
        for i, postcode in enumerate(OPTION_POSTCODES)
    ]
    homes += [
        home(f"X-{p}", postcode=p, beds_free=size, age_min=10, capabilities={"trauma": 1})
        for p in NEAR_POSTCODES
    ]
    return context(homes, children)


def _bytes(doc: dict[str, Any]) -> int:
    """The size of the document as the service sends it (Starlette's JSONResponse)."""
    return len(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode())


@pytest.mark.parametrize("size", [4, 5])
def test_a_sibling_group_with_ten_options_is_at_most_100_kb_by_default(size: int) -> None:
    ctx = _sibling_group(size)
    result = rank(ctx, "C-1")
    short = result.document(ctx, top=10).to_json()
    full = result.document(ctx, top=10, members="full").to_json()
    assert len(short["options"]) == 10
    assert len(short["excluded"]) == 8
    assert all(len(o["members"]) == size for o in short["options"])
    # As large as the national fixture's largest groups when every member is in full.
    assert _bytes(full) > 1.5 * TARGET_BYTES
    assert _bytes(short) <= TARGET_BYTES
    assert short["members_shown"] == "points"
    assert full["members_shown"] == "full"


@pytest.mark.parametrize("size", [1, 3, 4])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_full_form_on_request_is_the_document_as_before(size: int, lang: Lang) -> None:
    ctx = _sibling_group(size)
    result = rank(ctx, "C-1")
    short = result.document(ctx, lang=lang, top=10).to_json()
    full = result.document(ctx, lang=lang, top=10, members="full").to_json()
    sc = ctx.scenario
    assessed = result.options[:10]
    for option, pa, shown in zip(full["options"], assessed, short["options"], strict=True):
        # Every member's criteria in full, built as every document built them before.
        assert option["members"] == [
            member_doc(m, sc.child(m.child_id), lang).to_json() for m in pa.members
        ]
        for whole, brief in zip(option["members"], shown["members"], strict=True):
            assert brief == {
                "child_id": whole["child_id"],
                "score": whole["score"],
                "points": {c["criterion"]: c["points"] for c in whole["criteria"]},
            }
            assert sum(brief["points"].values()) == brief["score"]
    # Nothing else differs: the options' criteria carry every member's sentence in both.
    for doc in (short, full):
        for option in doc["options"]:
            option.pop("members")
        doc.pop("members_shown")
    assert short == full


def test_every_members_sentence_is_in_the_options_criteria_by_default() -> None:
    ctx = _sibling_group(3)
    result = rank(ctx, "C-1")
    short = result.document(ctx, top=10).to_json()
    full = result.document(ctx, top=10, members="full").to_json()
    for shown, whole in zip(short["options"], full["options"], strict=True):
        for i, criterion in enumerate(shown["criteria"]):
            for member in whole["members"]:
                assert member["criteria"][i]["text"] in criterion["text"]


def test_a_provider_reads_no_points_that_locate_a_confidential_group() -> None:
    # Only C-1 is placed confidentially; its brothers and sisters share its parents.
    ctx = _sibling_group(3, confidential=True)
    result = rank(ctx, "C-1")
    short = result.document(ctx, audience=Audience.PROVIDER, top=10).to_json()
    full = result.document(ctx, audience=Audience.PROVIDER, top=10, members="full").to_json()
    assert short["options"]
    for shown, whole in zip(short["options"], full["options"], strict=True):
        for brief, member in zip(shown["members"], whole["members"], strict=True):
            assert brief["points"] == {c["criterion"]: c["points"] for c in member["criteria"]}
            assert brief["score"] is None
            for code in ("distance_parents", "own_municipality", "school"):
                assert brief["points"][code] is None
            assert brief["points"]["type"] is not None
            by_code = {c["criterion"]: c for c in member["criteria"]}
            assert "km" not in by_code["distance_parents"]["text"]
            assert "detail" not in by_code["distance_parents"]
