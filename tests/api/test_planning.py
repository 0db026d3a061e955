"""The planning answers of a municipality's area: its own children and the homes near them,
aggregated (no child or home id), small counts suppressed as the audit suppresses them,
bounded inputs, and only a municipality (its own) or an admin may ask."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import pytest

from api.services.planning import CAPACITY_COUNTS
from solver.backends import HIGHS_AGGREGATOR
from tests.api.conftest import Api, Client
from tests.api.helpers import add_child, add_home, assert_problem
from tests.builders import EDE_NEAR, GRONINGEN, WAGENINGEN
from tests.solver.planning.slow_solver import SlowSolver

POINTS_HIDDEN = (
    "De punten staan er niet: het aantal geplaatste kinderen is verborgen, omdat er een klein "
    "aantal kinderen uit af te leiden is, en uit de punten zou het te herleiden zijn."
)
CHILD_IDS = ("KIND-EDE-1", "KIND-EDE-2", "KIND-EDE-3", "KIND-WAG-1", "KIND-GRO-1")


def _area(provider: Client, coordinator: Client) -> None:
    """Three Ede children and one home in Ede with one free bed: one is placed, two wait.
    A Wageningen child and a Groningen home with a Groningen child are not Ede's."""
    add_home(provider, "HUIS-EDE", postcode=EDE_NEAR, beds_free=1)
    add_home(provider, "HUIS-GRO", postcode=GRONINGEN, beds_free=2)
    for cid in CHILD_IDS[:3]:
        add_child(coordinator, cid)
    add_child(coordinator, "KIND-WAG-1", parents_postcode=WAGENINGEN)
    add_child(coordinator, "KIND-GRO-1", parents_postcode=GRONINGEN)


def _ede_home_and_children(
    provider: Client, coordinator: Client, beds_free: int, prefix: str, n: int, **fields: Any
) -> None:
    """One Ede home with ``beds_free`` beds and ``n`` Ede children ``{prefix}-0`` on,
    numbered as wide as the last one (``KIND-L-00`` .. ``KIND-L-19``)."""
    add_home(provider, "HUIS-EDE", postcode=EDE_NEAR, beds_free=beds_free)
    width = len(str(n - 1))
    for i in range(n):
        add_child(coordinator, f"{prefix}-{i:0{width}}", **fields)


def _no_ids(body: object) -> None:
    text = json.dumps(body)
    for secret in (*CHILD_IDS, "HUIS-EDE", "HUIS-GRO"):
        assert secret not in text


def test_extra_beds_for_the_own_area_are_counted_per_municipality_and_kind_of_home(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    _area(provider, coordinator)
    response = municipality.post("/v1/planning/capacity", json={"beds": 2})
    assert response.status_code == 200, response.text
    body = response.json()
    _no_ids(body)
    assert body["municipality"] == "0228"
    # Ede's three children, and the Wageningen one is not counted: <5 as the audit says.
    assert body["children_waiting"] == "<5"
    # The Groningen home is far beyond the search radius of every Ede child.
    assert body["homes_considered"] == 1
    # One placed before, two more with the two beds, three after: every count of these
    # three children is "<5", not only the waiting ones (placed_after 3 beside "<5"
    # waiting once said how many there are). The beds are not children: shown.
    assert body["beds_used"] == 2
    for key in ("placed_before", "extra_placed", "placed_after", "verified_placed"):
        assert body[key] == "<5", key
    assert body["by_municipality"] == [
        {"municipality": "0228", "municipality_name": "Ede", "extra_beds": 2, "children": "<5"}
    ]
    assert body["by_home_type"] == [{"home_type": "foster", "extra_beds": 2, "children": "<5"}]
    # Extension: the plan's status beside `optimal`, as a match's.
    assert (body["status"], body["optimal"]) == ("optimal", True)


def test_whom_to_recruit_is_a_suppressed_count_never_the_children(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    _area(provider, coordinator)
    # A child of 17 no foster home of this area (ages 0-18 by default) ... needs a
    # level-3 care need nobody offers: no home can take it, whatever its beds.
    add_child(coordinator, "KIND-EDE-4", needs={"medical": 3})
    body = municipality.post("/v1/planning/capacity", json={"beds": 1, "lang": "en"}).json()
    _no_ids(body)
    assert "KIND-EDE-4" not in json.dumps(body)
    # One child: any profile of it would describe it (age 8, medical care, intensive).
    assert body["recruitment"] == []
    assert body["recruitment_children"] == "<5"


def _seven_to_recruit(coordinator: Client) -> None:
    """Seven Ede children no home can take (an intensive medical need nobody offers)."""
    odd = [
        ("KIND-W-1", 3, {"medical": 3}),
        ("KIND-W-2", 6, {"medical": 3, "autism": 2}),
        ("KIND-W-3", 8, {"medical": 3, "behaviour": 1}),
        ("KIND-W-4", 10, {"medical": 3}),
        ("KIND-W-5", 12, {"medical": 3, "mental_health": 1}),
        ("KIND-W-6", 15, {"medical": 3}),
    ]
    for cid, age, needs in odd:
        add_child(coordinator, cid, age=age, needs=needs)
    add_child(coordinator, "KIND-W-7", age=9, needs={"medical": 3}, siblings=["KIND-W-4"])


def test_whom_to_recruit_is_hidden_where_the_others_waiting_would_be_a_few(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # Ten waiting, seven to recruit: 10 - 7 said that three are placed or would be with
    # more beds (one placed, one with the bed, one more wanting a bed), a count of 1-4.
    _area(provider, coordinator)
    _seven_to_recruit(coordinator)
    body = municipality.post("/v1/planning/capacity", json={"beds": 1}).json()
    assert body["children_waiting"] == 10
    assert body["recruitment_children"] == "<5"
    assert body["recruitment"] == []


def test_each_recruitment_profile_describes_at_least_five_children(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # Only children no home can take: all seven waiting are to be recruited for.
    add_home(provider, "HUIS-EDE", postcode=EDE_NEAR, beds_free=1)
    # Seven children no home can take, each its own family profile in the solver's terms
    # (ages 3 to 15, different needs, one pair of siblings): none may be read alone.
    _seven_to_recruit(coordinator)
    body = municipality.post("/v1/planning/capacity", json={"beds": 1}).json()
    _no_ids(body)
    assert body["children_waiting"] == 7
    assert body["recruitment_children"] == 7
    assert body["recruitment"], body
    assert sum(p["children"] for p in body["recruitment"]) == 7
    for profile in body["recruitment"]:
        assert profile["children"] >= 5
        # What it says is true of at least 5: medical care yes, autism (1 child) no.
        assert profile["needs"] == {"medical": 3}
        assert "autisme" not in profile["text"]
        # Its level in words with the number, as every other text words it.
        assert "van hen: medische zorg intensief (3)" in profile["text"], profile
        assert (profile["age_min"], profile["age_max"]) in {(0, 17), (0, 11), (4, 17), (4, 11)}
        assert profile["text"].endswith(f": {profile['children']} kinderen.")
        # With its article, as the command line says it ("Werf gezinshuis" once).
        assert profile["text"].startswith("Werf een gezinshuis bij Ede (0228) voor "), profile
    en = municipality.post("/v1/planning/capacity", json={"beds": 1, "lang": "en"}).json()
    assert all("of them: medical care intensive (3)" in p["text"] for p in en["recruitment"])


def test_children_whose_part_time_places_are_taken_are_counted_to_recruit(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # One home with five part-time places (counted apart from its beds) and ten children
    # in part-time care: five take the places, and extra beds add no part-time place, so
    # the five left waiting are children to recruit for, with their kind of care named.
    # (With one place and six children, 6 waiting beside 5 to recruit said 1 is placed.)
    add_home(
        provider,
        "HUIS-DEELTIJD",
        postcode=EDE_NEAR,
        beds_free=0,
        care_kinds=["part_time"],
        part_time_places_free=5,
    )
    for i in range(10):
        add_child(coordinator, f"KIND-DT-{i}", care_kind="part_time", age=6 + i)
    body = municipality.post("/v1/planning/capacity", json={"beds": 3}).json()
    assert "KIND-DT" not in json.dumps(body)
    assert "HUIS-DEELTIJD" not in json.dumps(body)
    assert body["beds_used"] == 0
    assert body["recruitment_children"] == 5
    (profile,) = body["recruitment"]
    assert profile["care_kind"] == "part_time"
    assert profile["children"] == 5
    assert "deeltijdpleegzorg" in profile["text"]
    en = municipality.post("/v1/planning/capacity", json={"beds": 3, "lang": "en"}).json()
    assert en["recruitment"][0]["text"].startswith("Recruit a "), en["recruitment"]


def test_the_frontier_of_the_area_is_counts_and_distances(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    _area(provider, coordinator)
    add_home(provider, "HUIS-WAG", postcode=WAGENINGEN, beds_free=2)
    body = municipality.post("/v1/planning/frontier", json={"points": 2}).json()
    _no_ids(body)
    assert "HUIS-WAG" not in json.dumps(body)
    # Three children: their counts are "<5", and so no point is shown: its scores (a
    # sum of the children's points), the number of points and its distances would each
    # tell how many are placed.
    assert body["placed"] == "<5"
    assert body["frontier"] == []
    assert body["frontier_summary"]["text"] == POINTS_HIDDEN


def test_a_simulation_of_the_area_gives_each_policy_a_mean_and_an_interval(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # Twelve Ede children (an area of three shows no figure: see the test below).
    _ede_home_and_children(provider, coordinator, 6, "KIND-SIM", 12)
    body = municipality.post(
        "/v1/planning/simulations",
        json={"days": 30, "runs": 2, "seed": 3, "policies": ["fcfs", "batch-daily"]},
    ).json()
    assert (body["days"], body["runs"], body["seed"]) == (30, 2, 3)
    assert list(body["policies"]) == ["fcfs", "batch-daily"]
    children = body["policies"]["fcfs"]["children"]
    assert children["hidden"] is False
    low, high = children["ci95"]
    assert low <= children["mean"] <= high
    assert children["mean"] >= 12
    assert body["policies"]["batch-daily"]["difference"]["against"] == "fcfs"


def _ede(api: Api) -> Client:
    """A fresh municipality key: each has its own rate-limit bucket."""
    return api.as_role("municipality", "gemeente-ede", "0228")


@contextmanager
def _dask_scheduler(api: Api, address: str) -> Iterator[None]:
    """The app's simulations go to the scheduler at ``address`` for a while. Set by hand:
    pytest's monkeypatch deletes rather than restores a Starlette State attribute, which
    broke every later test of the session's app."""
    before = api.app.state.settings
    api.app.state.settings = before.model_copy(update={"dask_scheduler": address})
    try:
        yield
    finally:
        api.app.state.settings = before


def test_bounds_are_refused_naming_the_field(api: Api) -> None:
    for url, body, field in (
        ("/v1/planning/capacity", {"beds": 0}, "beds"),
        ("/v1/planning/capacity", {"beds": 101}, "beds"),
        ("/v1/planning/simulations", {"runs": 51}, "runs"),
        ("/v1/planning/simulations", {"days": 731}, "days"),
        ("/v1/planning/simulations", {"policies": ["lottery"]}, "policies"),
        ("/v1/planning/frontier", {"points": 21}, "points"),
    ):
        problem = assert_problem(_ede(api).post(url, json=body), 422)
        assert field in json.dumps(problem), (url, body, problem)


def test_a_municipality_plans_only_for_itself_and_an_admin_names_one(
    municipality: Client, admin: Client
) -> None:
    assert_problem(
        municipality.post("/v1/planning/capacity", json={"beds": 1, "municipality": "0289"}), 403
    )
    problem = assert_problem(admin.post("/v1/planning/capacity", json={"beds": 1}), 422)
    assert "municipality" in json.dumps(problem)
    ok = admin.post("/v1/planning/capacity", json={"beds": 1, "municipality": "0228"})
    assert ok.status_code == 200, ok.text


def test_coordinators_and_providers_may_not_plan(coordinator: Client, provider: Client) -> None:
    for client in (coordinator, provider):
        assert_problem(client.post("/v1/planning/capacity", json={"beds": 1}), 403)
        assert_problem(client.post("/v1/planning/simulations", json={}), 403)


def test_planning_is_rate_limited_like_the_other_expensive_calls(municipality: Client) -> None:
    # The default burst is 3 answers a key may ask for at once; the fourth waits.
    for _ in range(3):
        assert municipality.post("/v1/planning/capacity", json={"beds": 1}).status_code == 200
    response = municipality.post("/v1/planning/capacity", json={"beds": 1})
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_the_audit_trail_names_the_children_a_planning_answer_read(
    provider: Client, coordinator: Client, municipality: Client, admin: Client
) -> None:
    _area(provider, coordinator)
    assert municipality.post("/v1/planning/capacity", json={"beds": 1}).status_code == 200
    assert municipality.key is not None
    events = admin.get(
        "/v1/audit-trail", params={"key_prefix": municipality.key[:12], "limit": 50}
    ).json()["items"]
    event = next(e for e in events if e["action"] == "planning.capacity")
    assert event["status"] == 200
    assert event["object_id"] == "0228"
    assert sorted(event["child_ids"]) == sorted(CHILD_IDS[:3])


def test_a_simulation_past_its_time_limit_is_stopped_and_says_so(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    _area(provider, coordinator)
    response = municipality.post(
        "/v1/planning/simulations", json={"days": 730, "runs": 50, "time_limit_s": 0.001}
    )
    problem = assert_problem(response, 503)
    assert "did not finish within" in problem["detail"]


def test_the_simulation_runs_on_the_configured_dask_scheduler(
    api: Api, provider: Client, coordinator: Client
) -> None:
    from distributed import LocalCluster

    _area(provider, coordinator)
    with LocalCluster(  # type: ignore[no-untyped-call]
        processes=False,
        n_workers=1,
        threads_per_worker=1,
        dashboard_address="127.0.0.1:0",
    ) as cluster:
        with _dask_scheduler(api, cluster.scheduler_address):
            response = _ede(api).post(
                "/v1/planning/simulations", json={"days": 30, "runs": 2, "policies": ["fcfs"]}
            )
        assert response.status_code == 200, response.text
        # The runs were tasks of that cluster's scheduler, not of one made in-process.
        assert "run_task" in cluster.scheduler.task_prefixes


def test_a_dask_scheduler_without_workers_is_a_503_that_says_so(
    api: Api, provider: Client, coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Once the world's scatter failed ("No valid workers found", a TimeoutError) and the
    # answer blamed the request: "did not finish within 300 s: ask for fewer runs or days".
    from distributed import LocalCluster

    import solver.simulation.execute as execute

    monkeypatch.setattr(execute, "WORKER_WAIT_S", 1.0)
    _area(provider, coordinator)
    with (
        LocalCluster(n_workers=0, processes=False, dashboard_address="127.0.0.1:0") as cluster,  # type: ignore[no-untyped-call]
        _dask_scheduler(api, cluster.scheduler_address),
    ):
        response = _ede(api).post(
            "/v1/planning/simulations", json={"days": 5, "runs": 1, "policies": ["fcfs"]}
        )
    problem = assert_problem(response, 503)
    assert problem["detail"] == "the simulation's Dask scheduler does not answer or has no workers"


def test_the_area_keeps_whole_sibling_groups_and_homes_within_each_homes_own_limit() -> None:
    from api.services.planning import area_of
    from tests.builders import child, home, scenario

    whole = scenario(
        [
            home("H-EDE", postcode=EDE_NEAR),
            home("H-GRO", postcode=GRONINGEN),
            home("H-GRO-NET", postcode=GRONINGEN, type="network_foster", known_to=["C-1"]),
        ],
        [
            child("C-1", siblings=["C-2"], keep_apart=["C-9"]),
            # The sibling's parents live in Wageningen: the group still moves together.
            child("C-2", parents_postcode=WAGENINGEN, siblings=["C-1"]),
            child("C-9", parents_postcode=WAGENINGEN),
        ],
    )
    area = area_of(whole, "0228")
    assert sorted(c.id for c in area.children) == ["C-1", "C-2"]
    # A foster home 145 km away is beyond every limit; a network home there is within 150.
    assert sorted(h.id for h in area.homes) == ["H-EDE", "H-GRO-NET"]
    assert area.child("C-1").keep_apart == frozenset()  # C-9 is not in the area


def test_a_plan_the_matcher_does_not_confirm_is_not_shown(
    provider: Client, coordinator: Client, municipality: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.services import planning
    from solver.planning import UnverifiedClaimError

    def unconfirmed(*args: object, **kwargs: object) -> None:
        raise UnverifiedClaimError("the matcher places 1 children (1 crisis), the plan claimed 3")

    _area(provider, coordinator)
    monkeypatch.setattr(planning, "capacity", unconfirmed)
    problem = assert_problem(municipality.post("/v1/planning/capacity", json={"beds": 2}), 503)
    assert "did not confirm the plan" in problem["detail"]
    assert "crisis" not in problem["detail"]


def test_a_child_with_an_intensive_need_keeps_the_homes_of_the_specialist_limit() -> None:
    from api.services.planning import area_of
    from tests.builders import child, home, scenario

    roermond = home("H-ROERMOND", postcode="6041")  # about 97 km from Ede's 6712
    plain = area_of(scenario([roermond], [child("C-1")]), "0228")
    assert plain.homes == ()  # beyond max_distance_km (60)
    intensive = area_of(scenario([roermond], [child("C-1", needs={"medical": 3})]), "0228")
    assert [h.id for h in intensive.homes] == ["H-ROERMOND"]  # within the specialist 120


def test_a_small_crisis_gain_cannot_be_worked_out_from_the_counts_before_and_after(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # Six Ede children in crisis and one home with five free beds: five placed in crisis
    # before, six after one extra bed. The gain (1) is suppressed; before and after, both
    # five or more, must not give it away by subtraction.
    add_home(provider, "HUIS-EDE", postcode=EDE_NEAR, beds_free=5, max_siblings=1)
    for i in range(6):
        add_child(coordinator, f"KIND-C-{i}", urgency="crisis")
    body = municipality.post("/v1/planning/capacity", json={"beds": 1}).json()
    assert body["extra_placed"] == "<5"
    assert body["extra_crisis"] == "<5"
    before, after = body["placed_crisis_before"], body["placed_crisis_after"]
    assert not (isinstance(before, int) and isinstance(after, int)), (before, after)


def _published(body: dict[str, object], *keys: str) -> dict[str, int]:
    return {k: v for k in keys if isinstance(v := body[k], int)}


def _small_differences(shown: dict[str, int]) -> list[tuple[str, str, int]]:
    """Every pair of shown counts whose difference is a count of 1-4 children."""
    return [
        (a, b, shown[a] - shown[b]) for a in shown for b in shown if 1 <= shown[a] - shown[b] < 5
    ]


def test_the_counts_of_a_small_area_are_all_hidden_not_only_its_waiting_children(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # Four Ede children and a home with two free beds: two placed today, two more with two
    # extra beds. "<5" waiting beside placed_after 4 once said exactly how many there are.
    _ede_home_and_children(provider, coordinator, 2, "KIND-S", 4)
    body = municipality.post("/v1/planning/capacity", json={"beds": 2}).json()
    assert body["beds_used"] == 2  # beds are not children: shown
    for key in ("children_waiting", *CAPACITY_COUNTS):
        assert body[key] == "<5", (key, body[key])
    assert body["by_municipality"][0]["children"] == "<5"
    assert body["by_home_type"][0]["children"] == "<5"


def test_a_small_count_cannot_be_worked_out_from_the_counts_before_after_and_waiting(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # Twelve Ede children, a home with eight free beds, two extra beds: eight placed
    # before, two more after, two still waiting. Shown as numbers, 12 waiting, 8 before and
    # 10 after gave away the two the beds place, the two left waiting and the four who
    # wait today.
    _ede_home_and_children(provider, coordinator, 8, "KIND-M", 12)
    body = municipality.post("/v1/planning/capacity", json={"beds": 2}).json()
    assert body["children_waiting"] == 12
    assert body["extra_placed"] == "<5"
    shown = _published(body, "children_waiting", "placed_before", "placed_after", "verified_placed")
    assert _small_differences(shown) == [], shown
    assert body["by_home_type"][0]["children"] == "<5"


def test_the_counts_of_a_larger_area_are_shown_where_nothing_small_follows(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # Twenty Ede children, ten free beds, five extra: 10 before, 15 after, 5 still waiting
    # and 10 waiting today; no count of 1-4 children follows from these.
    _ede_home_and_children(provider, coordinator, 10, "KIND-L", 20)
    body = municipality.post("/v1/planning/capacity", json={"beds": 5}).json()
    published = [
        body[k]
        for k in (
            "children_waiting",
            "placed_before",
            "extra_placed",
            "placed_after",
            "verified_placed",
        )
    ]
    assert published == [20, 10, 5, 15, 15]
    assert body["by_home_type"][0]["children"] == 5
    # No crisis child: 0 is hidden as the audit hides it, and hides nothing else.
    assert body["placed_crisis_before"] == body["extra_crisis"] == "<5"


def test_the_frontier_of_a_small_area_shows_no_count_and_no_childs_distance(
    api: Api, provider: Client, coordinator: Client
) -> None:
    # Four Ede children, all placed: points 0..4 once read "4 placed" beside "<5" waiting,
    # and the point of one child its exact distance from its parents' home. Later the
    # points said "<5" but were five, the lowest with a score of 0: still four placed.
    _ede_home_and_children(provider, coordinator, 4, "KIND-F", 4)
    for points in (4, 20):
        body = _ede(api).post("/v1/planning/frontier", json={"points": points}).json()
        assert body["children_waiting"] == "<5"
        assert body["placed"] == "<5"
        assert body["frontier"] == [], points
        assert body["frontier_summary"]["text"] == POINTS_HIDDEN


def _points(body: dict[str, object]) -> object:
    """An answer without its timing: what a reader learns from it."""
    summary = dict(body["frontier_summary"])  # type: ignore[call-overload]
    summary.pop("wall_time_s")
    return body["frontier"], summary


def test_the_frontier_shows_distances_from_ten_children_and_counts_nothing_small_follows_from(
    api: Api, provider: Client, coordinator: Client
) -> None:
    # Thirteen Ede children, eleven free beds: 11 placed, 2 waiting. 13 and 11 would say 2.
    _ede_home_and_children(provider, coordinator, 11, "KIND-T", 13)
    answers = {
        k: _ede(api).post("/v1/planning/frontier", json={"points": k}).json() for k in (1, 2, 20)
    }
    for body in answers.values():
        assert body["children_waiting"] == 13
        assert body["placed"] == "<5"  # hidden to protect the two still waiting
    # Once, 20 points asked gave 12 (0..11 placed), scores 0, 273, ..., 3003 (11 children
    # of 273 points), and a mean with one point asked but none with two (11 - 2 < 10):
    # each said 11. Now no answer shows a point, whatever the number asked for.
    assert [_points(b) for b in answers.values()] == [_points(answers[1])] * 3
    assert answers[1]["frontier"] == []
    assert answers[1]["frontier_summary"]["text"] == POINTS_HIDDEN


def test_a_hidden_count_of_many_children_shows_every_asked_point_with_distances_no_score(
    api: Api, provider: Client, coordinator: Client
) -> None:
    # 33 Ede children, 31 beds: 31 placed, 2 waiting, so the count is hidden. Even the
    # widest frontier (20 below the top) places 11, so points are shown, as many as asked,
    # with their distances, but no score (a sum of the children's points) and no sum.
    _ede_home_and_children(provider, coordinator, 31, "KIND-M", 33)
    for k in (1, 20):
        body = _ede(api).post("/v1/planning/frontier", json={"points": k}).json()
        assert body["placed"] == "<5"
        assert len(body["frontier"]) == k + 1
        for point in body["frontier"]:
            assert point["placed"] == "<5"
            assert point["total_score"] is None
            assert point["score_bound"] is None
            assert point["distance_total_km"] is None
            assert isinstance(point["distance_mean_km"], float)
            assert isinstance(point["distance_median_km"], float)
        text = body["frontier_summary"]["text"]
        assert not {"33", "31", "11", "2"} & set(re.findall(r"\d+", text)) - {str(k)}, text


def test_a_simulation_of_a_day_does_not_give_away_the_counts_of_a_small_area(
    provider: Client, coordinator: Client, municipality: Client
) -> None:
    # One day, one run: the mean over runs of the children and of the placed children was
    # the three waiting children and the one placed, and the median distance that child's.
    _area(provider, coordinator)
    body = municipality.post(
        "/v1/planning/simulations",
        json={"days": 1, "runs": 1, "seed": 1, "policies": ["fcfs", "practice"]},
    ).json()
    assert body["children_waiting"] == "<5"
    for name, figures in body["policies"].items():
        for key in ("children", "placed", "moves"):
            assert figures[key] == {"mean": "<5", "ci95": [None, None], "hidden": True}, name
        for key in ("placed_share", "waiting_days_median", "distance_median_km"):
            assert figures[key] == {"mean": None, "ci95": [None, None], "hidden": True}, name
    difference = body["policies"]["practice"]["difference"]
    assert difference["placed"] == {"mean": None, "ci95": [None, None], "hidden": True}


def test_whom_to_recruit_cut_short_by_the_time_limit_is_said_not_proven(
    provider: Client, coordinator: Client, municipality: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One part-time place in Ede and two Ede children in part-time care: whether the one
    # left waiting is to be recruited for is the recruitment's MILP, here a solver that
    # takes its whole time and proves nothing. The answer must not say optimal.
    fake = SlowSolver(overrun_s=0.0)
    monkeypatch.setattr(
        importlib.import_module("solver.planning.recruitment"),
        "solve_milp_on_time",
        partial(fake, presolve_rules_off=HIGHS_AGGREGATOR, backend="highspy"),
    )
    pt = "part_time"
    add_home(
        provider,
        "HUIS-EDE",
        postcode=EDE_NEAR,
        beds_free=0,
        care_kinds=[pt],
        part_time_places_free=1,
    )
    for cid in CHILD_IDS[:2]:
        add_child(coordinator, cid, care_kind=pt)
    for lang, words in (("nl", "niet bewezen"), ("en", "not proven")):
        body = municipality.post(
            "/v1/planning/capacity", json={"beds": 1, "time_limit_s": 1.0, "lang": lang}
        ).json()
        assert (body["status"], body["optimal"], body["recruitment_proven"]) == (
            "feasible",
            False,
            False,
        )
        assert words in body["recruitment_text"]
    assert len(fake.limits) == 2  # one check per answer
    assert all(0 < s <= 1.0 for s in fake.limits)
