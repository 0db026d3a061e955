"""Hypothesis strategies for small but rule-rich random scenarios (always valid input)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from matching.model import CARE_DOMAINS

__all__ = ["POSTCODES", "scenario_documents"]

# Around Ede and Wageningen, a few at 20-40 km, and two beyond every limit.
POSTCODES = [
    "6712",
    "6714",
    "6716",
    "6717",
    "6721",
    "6741",
    "6702",
    "6708",
    "3905",
    "3903",
    "3771",
    "3862",
    "3861",
    "6871",
    "3911",
    "6811",
    "3511",
    "7311",
    "9711",
    "4811",
]
WINDOWS: list[dict[str, str]] = [
    {},
    {},
    {},
    {"available_from": "2026-11-01"},
    {"available_from": "2026-12-15"},
    {"available_until": "2026-11-22"},
    {"available_from": "2026-11-23", "available_until": "2027-03-01"},
]
HOME_TYPES = ["network_foster", "foster", "family_home", "small_scale", "residential"]
CARE_KINDS = ["crisis", "short_term", "long_term", "part_time"]
WISHABLE = ["distance_parents", "school", "siblings", "own_municipality", "religion", "language"]
# Around the 180-day decline memory, and a breakdown long ago.
EVENT_DATES = ["2026-11-23", "2026-10-01", "2026-05-27", "2026-05-26", "2024-02-29"]

DOMAINS = [d.value for d in CARE_DOMAINS]
needs = st.dictionaries(st.sampled_from(DOMAINS[:3]), st.integers(0, 3), max_size=2)
capabilities = st.dictionaries(st.sampled_from(DOMAINS), st.integers(1, 3), min_size=2, max_size=6)
langs = st.lists(st.sampled_from(["nl", "ar", "tr", "en"]), max_size=2, unique=True)


@st.composite
def scenario_documents(
    draw: st.DrawFn, max_homes: int = 6, max_children: int = 7
) -> dict[str, Any]:
    n_children = draw(st.integers(1, max_children))
    ids = [f"C-{i}" for i in range(n_children)]
    # Partition the children into sibling groups of 1 to 3.
    groups: list[list[str]] = []
    i = 0
    while i < n_children:
        size = draw(st.integers(1, 3))
        groups.append(ids[i : i + size])
        i += size
    split = {tuple(g): draw(st.booleans()) and len(g) > 1 for g in groups}
    group_of = {cid: tuple(g) for g in groups for cid in g}

    n_homes = draw(st.integers(1, max_homes))
    home_ids = [f"H-{i}" for i in range(n_homes)]
    homes = []
    for hid in home_ids:
        htype = draw(st.sampled_from(HOME_TYPES))
        age_min = draw(st.sampled_from([0, 0, 0, 4, 12]))
        doc: dict[str, Any] = {
            "id": hid,
            "organisation": draw(st.sampled_from(["org-a", "org-b"])),
            "type": htype,
            "postcode": draw(st.sampled_from(POSTCODES)),
            "beds_free": draw(st.sampled_from([0, 1, 2, 2, 3])),
            "age_min": age_min,
            "age_max": draw(st.sampled_from([age_min + 6, 18, 23])),
            "capabilities": draw(capabilities),
            "languages": draw(langs),
        }
        if draw(st.booleans()):
            doc["max_siblings"] = draw(st.integers(1, 3))
        if draw(st.integers(0, 4)) == 0:
            doc["religion"] = draw(st.sampled_from(["christian", "muslim", "none"]))
        doc.update(draw(st.sampled_from(WINDOWS)))
        if draw(st.integers(0, 2)) == 0:
            doc["care_kinds"] = draw(st.lists(st.sampled_from(CARE_KINDS), min_size=1, unique=True))
            if "part_time" in doc["care_kinds"] and draw(st.booleans()):
                doc["part_time_places_free"] = draw(st.sampled_from([0, 1, 2]))
        if htype == "network_foster":
            doc["known_to"] = list(group_of[draw(st.sampled_from(ids))])
        homes.append(doc)

    children = []
    for cid in ids:
        group = group_of[cid]
        doc = {
            "id": cid,
            "age": draw(st.integers(0, 17)),
            "parents_postcode": draw(st.sampled_from(POSTCODES[:12])),
            "needs": draw(needs),
            "urgency": draw(st.sampled_from(["crisis", "planned"])),
            "siblings": [s for s in group if s != cid],
        }
        if split[group] and cid == group[0]:
            doc["split_reason"] = draw(st.sampled_from(["specialist_care", "severe_conflict"]))
        if draw(st.booleans()):
            doc["school_postcode"] = draw(st.sampled_from(POSTCODES[:12]))
        if draw(st.integers(0, 6)) == 0:
            doc["min_distance_from_parents_km"] = draw(st.sampled_from([5.0, 12.5, 20.0]))
        if draw(st.integers(0, 3)) == 0:
            doc["languages"] = draw(langs)
        if draw(st.integers(0, 4)) == 0:
            doc["religion"] = draw(st.sampled_from(["christian", "muslim"]))
        if draw(st.integers(0, 5)) == 0:
            doc["current_home"] = draw(st.sampled_from(home_ids))
        if draw(st.integers(0, 3)) == 0:
            doc["care_kind"] = draw(st.sampled_from(CARE_KINDS))
        if draw(st.booleans()):
            doc["waiting_since"] = draw(st.sampled_from(["2026-11-23", "2026-09-01", "2025-01-15"]))
        if draw(st.integers(0, 2)) == 0:
            doc["history"] = [
                {
                    "home_id": draw(st.sampled_from(home_ids)),
                    "event": draw(st.sampled_from(["declined", "breakdown"])),
                    "date": draw(st.sampled_from(EVENT_DATES)),
                }
                for _ in range(draw(st.integers(1, 2)))
            ]
        if draw(st.integers(0, 2)) == 0:
            doc["wishes"] = {
                "priorities": draw(st.lists(st.sampled_from(WISHABLE), max_size=3, unique=True)),
                "heard_on": "2026-11-01",
            }
        if draw(st.booleans()):
            doc["residential_reason"] = draw(st.sampled_from(["safety", "no_family_option"]))
        others = [o for o in ids if o != cid and (group_of[o] != group or split[group])]
        if others and draw(st.integers(0, 4)) == 0:
            doc["keep_apart"] = [draw(st.sampled_from(others))]
        children.append(doc)
    return {
        "format": "dichtbij.scenario/1",
        "reference_date": "2026-11-23",
        "policy": draw(
            st.sampled_from(
                [
                    {},
                    {"max_distance_km": 25},
                    {"points_siblings_together": 0},
                    {"wish_factor": 2.5, "points_waiting_per_week": 3},
                    {"residential_requires_reason": False, "decline_memory_days": 30},
                ]
            )
        ),
        "homes": homes,
        "children": children,
    }
