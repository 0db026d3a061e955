"""Explanations: Dutch by default, English on request; providers never learn where parents live."""

from __future__ import annotations

import json

from matching import Audience, rank
from matching.explain import LANGUAGE_NAMES, RELIGION_NAMES, need_text, reason_text
from matching.rules import Reason, ReasonCode
from tests.builders import child, context, home

SECRET_PARENTS = "6712"


def secret_case() -> tuple[dict[str, object], dict[str, object]]:
    ctx = context(
        [home("H-far", postcode="3861"), home("H-near", postcode="6714")],
        [
            child(
                "C-1",
                parents_postcode=SECRET_PARENTS,
                school_postcode="6716",
                min_distance_from_parents_km=20,
            )
        ],
    )
    result = rank(ctx, "C-1")
    return (
        result.document(ctx, audience=Audience.COORDINATOR).to_json(),
        result.document(ctx, audience=Audience.PROVIDER).to_json(),
    )


def test_texts_are_dutch_by_default_and_english_on_request() -> None:
    ctx = context([home(postcode="6708")], [child()])
    nl = rank(ctx, "C-1").document(ctx).to_json()
    en = rank(ctx, "C-1").document(ctx, lang="en").to_json()
    nl_texts = {c["criterion"]: c["text"] for c in nl["options"][0]["criteria"]}
    en_texts = {c["criterion"]: c["text"] for c in en["options"][0]["criteria"]}
    assert nl_texts["distance_parents"].startswith("7,5 km van de ouders (postcode 6712 naar 6708)")
    assert "= 88 van 100 punten" in nl_texts["distance_parents"]
    assert en_texts["distance_parents"].startswith("7.5 km from the parents")
    assert "bestandspleeggezin" in nl_texts["type"]
    assert "foster family" in en_texts["type"]


def test_every_number_in_the_distance_sentence_is_the_measured_value() -> None:
    ctx = context([home(postcode="6708")], [child()])
    crit = next(
        c
        for c in rank(ctx, "C-1").document(ctx).to_json()["options"][0]["criteria"]
        if c["criterion"] == "distance_parents"
    )
    assert crit["value"] == crit["detail"]["distance_km"] == 7.5
    assert crit["unit"] == "km"
    assert round(100 * (1 - crit["value"] / crit["detail"]["max_km"]) + 1e-9) == crit["points"]


def test_excluded_homes_carry_codes_and_sentences() -> None:
    ctx = context([home(age_max=6)], [child(age=9)])
    excluded = rank(ctx, "C-1").document(ctx).to_json()["excluded"]
    assert excluded == [
        {
            "home_id": "H-1",
            "organisation": "org-a",
            "home_type": "foster",
            "reasons": [
                {
                    "code": "age",
                    "text": "C-1: Leeftijd 9 valt buiten 0-6 jaar.",
                    "detail": {"age": 9, "age_min": 0, "age_max": 6},
                    "child_id": "C-1",
                }
            ],
        }
    ]


def test_coordinator_sees_the_confidential_childs_distances() -> None:
    coordinator, _ = secret_case()
    assert SECRET_PARENTS in json.dumps(coordinator)
    assert coordinator["excluded"][0]["reasons"][0]["code"] == "safety_distance"


def test_provider_never_sees_parents_postcode_distance_or_score_of_a_secret_placement() -> None:
    coordinator, provider = secret_case()
    text = json.dumps(provider)
    assert SECRET_PARENTS not in text
    assert "6716" not in text  # the school postcode points at the parents' area
    option = provider["options"][0]
    assert option["score"] is None
    hidden = {c["criterion"] for c in option["criteria"] if c["points"] is None}
    assert hidden == {"distance_parents", "school", "own_municipality"}
    for c in coordinator["options"][0]["criteria"]:
        if c["criterion"] == "distance_parents":
            assert str(c["value"]).replace(".", ",") not in text
            assert str(c["value"]) not in text
    # Not even a reason code may say which home is too close to the parents: H-near,
    # excluded for that alone, is only counted, under a code that says no more.
    assert coordinator["excluded"][0]["home_id"] == "H-near"
    assert provider["excluded"] == []
    assert provider["excluded_counts"] == {"confidential": 1}


def test_provider_never_sees_the_parents_postcode_of_any_child() -> None:
    ctx = context([home(postcode="6708")], [child(parents_postcode="6717")])
    provider = rank(ctx, "C-1").document(ctx, audience=Audience.PROVIDER).to_json()
    assert "6717" not in json.dumps(provider)
    # The distance is there; the score is not: it adds up the own_municipality points,
    # which would name the parents' municipality (test_provider_view.py).
    by_code = {c["criterion"]: c for c in provider["options"][0]["criteria"]}
    assert by_code["distance_parents"]["points"] is not None
    assert provider["options"][0]["score"] is None


def _demo_sentences() -> dict[str, set[str]]:
    """Every sentence of the demo region's rank documents, per language."""
    from pathlib import Path

    from matching import load_scenario
    from matching.context import Context

    path = Path(__file__).resolve().parents[2] / "fixtures" / "region-foodvalley.json"
    ctx = Context.of(load_scenario(path.read_text(encoding="utf-8")))

    def texts(x: object) -> list[str]:
        if isinstance(x, dict):
            return [
                t
                for k, v in x.items()
                for t in ([v] if k in ("text", "label") and isinstance(v, str) else texts(v))
            ]
        if isinstance(x, list):
            return [t for v in x for t in texts(v)]
        return []

    out: dict[str, set[str]] = {"nl": set(), "en": set()}
    for c in ctx.scenario.children:
        for lang in ("nl", "en"):
            out[lang].update(texts(rank(ctx, c.id).document(ctx, lang=lang).to_json()))  # type: ignore[arg-type]
    return out


def test_no_sentence_of_the_demo_shows_a_raw_code() -> None:
    import re

    from matching.model import CareDomain, HomeType

    sentences = _demo_sentences()
    assert all(len(s) > 500 for s in sentences.values())
    snake = re.compile(r"\b[a-z]+_[a-z_]+\b")
    for lang, texts in sentences.items():
        assert not [s for s in texts if snake.search(s)], lang
    # Codes that read as English words: wrong in a Dutch sentence. ("trauma" is Dutch too.)
    english = {h.value for h in HomeType} | {d.value for d in CareDomain} - {"trauma"}
    words = re.compile(rf"\b({'|'.join(sorted(english))})\b")
    assert not [s for s in sentences["nl"] if words.search(s)]
    # Religions and languages: whatever the demo records, a name in the sentence's language.
    religions = re.compile(r"^(?:Geloof: kind|Religion: child) (.+), (?:gezin|home) (.+?): ")
    languages = re.compile(r"^(?:Taal: gedeelde thuistaal|Language: shared home language) (.+?): ")
    named = 0
    for lang, texts in sentences.items():
        for s in texts:
            if m := religions.match(s):
                names = set(m.groups()) - {"onbekend", "unknown"}
                assert names <= set(RELIGION_NAMES[lang].values()), s
                named += 1
            elif m := languages.match(s):
                assert set(m.group(1).split(", ")) <= set(LANGUAGE_NAMES[lang].values()), s
                named += 1
    assert named > 10


def test_religions_and_languages_are_named_in_the_sentence() -> None:
    ctx = context(
        [home(postcode="6708", religion="muslim", languages=["nl", "ar"])],
        [child(religion="muslim", languages=["ar"])],
    )
    nl = {
        c["criterion"]: c["text"]
        for c in rank(ctx, "C-1").document(ctx).to_json()["options"][0]["criteria"]
    }
    en = {
        c["criterion"]: c["text"]
        for c in rank(ctx, "C-1").document(ctx, lang="en").to_json()["options"][0]["criteria"]
    }
    assert nl["religion"].startswith("Geloof: kind islamitisch, gezin islamitisch")
    assert en["religion"].startswith("Religion: child Muslim, home Muslim")
    assert nl["language"].startswith("Taal: gedeelde thuistaal Arabisch")
    assert en["language"].startswith("Language: shared home language Arabic")
    # The JSON fields keep their codes.
    detail = {
        c["criterion"]: c
        for c in rank(ctx, "C-1").document(ctx).to_json()["options"][0]["criteria"]
    }
    assert "muslim" in json.dumps(detail["religion"])


def test_a_care_need_names_its_level_once_in_dutch_and_english() -> None:
    # "Zorgbehoefte autisme niveau intensief (3)": the level's name already says it is one.
    reason = Reason(ReasonCode.CARE_NEED, "C-1", {"domain": "autism", "need": 3, "capability": 1})
    assert reason_text(reason, "nl") == (
        "C-1: Zorgbehoefte autisme intensief (3) gaat boven wat de verzorgers aankunnen: licht (1)."
    )
    assert reason_text(reason, "en") == (
        "C-1: Care need autism intensive (3) exceeds what the carers can handle: light (1)."
    )
    # As the recruitment profiles of a capacity plan name a need.
    assert need_text("autism", 3, "nl") == "autisme intensief (3)"
    assert need_text("autism", 3, "en") == "autism intensive (3)"
