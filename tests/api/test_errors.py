"""Errors are problem+json naming the offending fields; absurd input is refused cleanly and a
failed request changes nothing."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from api.services import homes as homes_service
from api.services.errors import domain_problem
from matching import ScenarioError
from tests.api.conftest import Client
from tests.api.helpers import add_child, add_home, assert_problem
from tests.builders import child, home, scenario


def test_absurd_values_are_refused_with_their_paths(provider: Client, coordinator: Client) -> None:
    negative = assert_problem(provider.post("/v1/homes", json=home(beds_free=-1)), 422)
    assert [e["path"] for e in negative["errors"]] == ["$.beds_free"]
    old = assert_problem(coordinator.post("/v1/children", json=child(age=140)), 422)
    assert [e["path"] for e in old["errors"]] == ["$.age"]
    long_postcode = "6712" + "A" * 36
    postcode = assert_problem(
        coordinator.post("/v1/children", json=child(parents_postcode=long_postcode)), 422
    )
    assert [e["path"] for e in postcode["errors"]] == ["$.parents_postcode"]
    assert long_postcode not in str(postcode)  # submitted values are never echoed


def test_nested_fields_have_json_paths(provider: Client) -> None:
    body = assert_problem(
        provider.post(
            "/v1/homes",
            json=home(capabilities={"trauma": 7}, languages=["nl", "dutch"], known_to=["C 1"]),
        ),
        422,
    )
    paths = {e["path"] for e in body["errors"]}
    assert {"$.capabilities.trauma", "$.languages[1]"} <= paths
    assert all(e["location"] == "body" for e in body["errors"])


def test_unknown_care_domain_and_postcode_are_named(provider: Client) -> None:
    body = assert_problem(provider.post("/v1/homes", json=home(capabilities={"magic": 1})), 422)
    assert body["errors"][0]["path"] == "$.capabilities"
    unknown = assert_problem(provider.post("/v1/homes", json=home(postcode="1000")), 422)
    assert unknown["errors"][0]["path"] == "$.postcode"


def test_unknown_fields_are_refused(provider: Client) -> None:
    body = assert_problem(provider.post("/v1/homes", json=home(colour="blue")), 422)
    assert body["errors"][0]["path"] == "$.colour"


def test_malformed_json_is_a_problem(provider: Client) -> None:
    response = provider.post(
        "/v1/homes", content=b'{"id": "H-1",', headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 400)  # docs/api.md: an unparseable body is a 400
    assert body["errors"][0]["path"] == "$"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 10_000 + b"]" * 10_000, "arrays or objects are nested too deeply"),
        (b'{"id": "C-\xff"}', "the body is not UTF-8 text"),
        (b'{"age": ' + b"1" * 5_000 + b"}", "a number has too many digits"),
    ],
    ids=["nested", "not-utf8", "digits"],
)
def test_a_body_the_json_parser_gives_up_on_is_a_problem_naming_why(
    coordinator: Client, content: bytes, reason: str
) -> None:
    headers = {"Content-Type": "application/json"}
    created = coordinator.post("/v1/children", content=content, headers=headers)
    assert assert_problem(created, 400)["errors"] == [
        {"location": "body", "path": "$", "reason": reason}
    ]
    add_child(coordinator, "C-1")
    before = coordinator.get("/v1/children/C-1").json()
    changed = coordinator.patch("/v1/children/C-1", content=content, headers=headers)
    assert assert_problem(changed, 400)["errors"][0]["reason"] == reason
    assert coordinator.get("/v1/children").json()["total"] == 1
    assert coordinator.get("/v1/children/C-1").json() == before


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (home("H-9", capabilities={"\ud800": 1}), "$.capabilities"),
        (child("C-9", needs={"trauma": 1, "a\udfff": 1}), "$.needs"),
        (child("C-9", wishes={"priorities": ["\ud800"]}), "$.wishes.priorities"),
    ],
    ids=["capabilities", "needs", "wishes"],
)
def test_a_lone_surrogate_as_a_care_domain_or_criterion_is_refused_not_a_500(
    provider: Client, coordinator: Client, body: dict[str, object], path: str
) -> None:
    # JSON may escape half a surrogate pair ("\ud800"); pydantic takes it as a key or a
    # plain string, and a reason quoting it could not be encoded (UnicodeEncodeError).
    caller, where = (
        (provider, "/v1/homes") if body["id"] == "H-9" else (coordinator, "/v1/children")
    )
    content = json.dumps(body).encode()  # ASCII, the surrogate escaped as JSON writes it
    response = caller.post(where, content=content, headers={"Content-Type": "application/json"})
    assert [e["path"] for e in assert_problem(response, 422)["errors"]] == [path]
    assert caller.get(where).json()["total"] == 0
    if where == "/v1/children":
        add_child(coordinator, "C-1")
        changed = coordinator.patch(
            "/v1/children/C-1",
            content=json.dumps({k: v for k, v in body.items() if k in ("needs", "wishes")}),
            headers={"Content-Type": "application/json"},
        )
        assert [e["path"] for e in assert_problem(changed, 422)["errors"]] == [path]


def test_oversized_bodies_are_refused(provider: Client) -> None:
    big = home(known_to=["x" * 60] * 20_000, type="network_foster")
    assert_problem(provider.post("/v1/homes", json=big), 413)
    assert provider.get("/v1/homes").json()["total"] == 0


def test_oversized_streamed_bodies_are_refused(provider: Client) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(300):
            yield b" " * 8192

    response = provider.post(
        "/v1/homes", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 413)


def test_unknown_routes_and_methods_are_problems(provider: Client) -> None:
    assert_problem(provider.get("/v1/nothing-here"), 404)
    assert_problem(provider.request("PUT", "/v1/homes", json={}), 405)


def test_a_failed_request_writes_nothing(provider: Client) -> None:
    add_home(provider, "H-1", beds_free=1, religion="christian")
    before = provider.get("/v1/homes/H-1").json()
    assert_problem(provider.patch("/v1/homes/H-1", json={"beds_free": 2, "age_max": 99}), 422)
    assert_problem(provider.patch("/v1/homes/H-1", json={"beds_free": 2, "postcode": "0000"}), 422)
    assert provider.get("/v1/homes/H-1").json() == before


def test_openapi_documents_the_contract(anonymous: Client) -> None:
    spec = anonymous.get("/openapi.json").json()
    paths = spec["paths"]
    for path, method in [
        ("/v1/homes", "post"),
        ("/v1/homes", "get"),
        ("/v1/homes/import", "post"),
        ("/v1/homes/{home_id}", "patch"),
        ("/v1/homes/{home_id}", "delete"),
        ("/v1/children", "post"),
        ("/v1/children/{child_id}", "get"),
        ("/v1/children/{child_id}/options", "get"),
        ("/v1/match-runs", "post"),
        ("/v1/match-runs/{run_id}", "get"),
        ("/v1/proposals", "post"),
        ("/v1/proposals/{proposal_id}/accept", "post"),
        ("/v1/proposals/{proposal_id}/decline", "post"),
        ("/v1/proposals/{proposal_id}/confirm", "post"),
        ("/v1/proposals/{proposal_id}/withdraw", "post"),
        ("/v1/placements/{placement_id}/end", "post"),
    ]:
        operation = paths[path][method]
        assert "application/problem+json" in operation["responses"]["422"]["content"]
    assert "ProblemDetails" in spec["components"]["schemas"]
    assert anonymous.get("/docs").status_code == 200


def test_an_unexpected_failure_is_a_500_problem_and_logs_no_data(
    provider: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("row ('C-1', '6712AB', trauma=3) could not be stored")

    monkeypatch.setattr(homes_service, "register_home", broken)
    with caplog.at_level(logging.INFO):
        response = provider.post("/v1/homes", json=home())
    body = assert_problem(response, 500)
    assert "6712" not in response.text
    assert body["detail"] == "the request failed; nothing was changed"
    assert "unhandled RuntimeError in POST /v1/homes" in caplog.text
    assert "6712" not in caplog.text


def test_nul_characters_are_refused_everywhere(provider: Client) -> None:
    assert_problem(provider.post("/v1/homes", json=home("H-\u0000")), 422)
    assert_problem(provider.get("/v1/homes/H-%00"), 422)
    assert_problem(provider.get("/v1/homes?offset=%00"), 422)
    upload = provider.post(
        "/v1/homes/import",
        files={"file": ("h.csv", b"id,type,postcode,beds_free\nH-\x00,foster,6714,1\n")},
    )
    assert_problem(upload, 422)
    assert provider.get("/v1/homes").json()["total"] == 0


def test_a_constraint_caught_late_is_still_a_409(
    provider: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import IntegrityError

    def violating(*args: object, **kwargs: object) -> None:
        raise IntegrityError("INSERT ...", {"postcode": "6712AB"}, Exception("check"))

    monkeypatch.setattr(homes_service, "register_home", violating)
    body = assert_problem(provider.post("/v1/homes", json=home()), 409, "constraint")
    assert "6712" not in str(body)


def test_postcode_errors_do_not_quote_the_postcode(provider: Client, coordinator: Client) -> None:
    malformed = coordinator.post("/v1/children", json=child(parents_postcode="QWERTYU"))
    body = assert_problem(malformed, 422)
    assert body["errors"][0]["path"] == "$.parents_postcode"
    assert "QWERTYU" not in malformed.text
    unknown = provider.post("/v1/homes", json=home(postcode="1000"))
    assert assert_problem(unknown, 422)["errors"][0]["reason"] == "is not a known Dutch PC4 area"
    assert "1000" not in unknown.text


@pytest.mark.parametrize("body", [b'{"child_ids": [', b"{'id': 1}", b"\xff"])
def test_a_body_that_is_not_json_is_a_bad_request(coordinator: Client, body: bytes) -> None:
    for method, path in (("POST", "/v1/proposals"), ("POST", "/v1/children")):
        answer = coordinator.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
        assert_problem(answer, 400)
        # Nor is a body sent as text or as a form read as JSON.
        for media in ("text/plain", "application/x-www-form-urlencoded"):
            sent = coordinator.request(
                method, path, content=b"hello", headers={"Content-Type": media}
            )
            assert_problem(sent, 400)
    assert coordinator.get("/v1/children").json()["items"] == []


def test_an_age_that_contradicts_the_birth_date_is_refused_without_repeating_either(
    coordinator: Client,
) -> None:
    sent = child(age=13, birth_date="2016-03-01")
    problem = assert_problem(coordinator.post("/v1/children", json=sent), 422)
    assert [(e["path"], e["reason"]) for e in problem["errors"]] == [
        ("$.age", "contradicts birth_date")
    ]


@pytest.mark.parametrize(
    ("fields", "path", "reason"),
    [
        ({"wishes": {"priorities": ["zz'pets"]}}, "$.wishes.priorities", "unknown wish criterion"),
        ({"needs": {"zz'magic": 1}}, "$.needs", "unknown care domain"),
    ],
    ids=["wish", "care-domain-with-a-quote"],
)
def test_an_unknown_name_is_refused_without_repeating_it(
    coordinator: Client, fields: dict[str, object], path: str, reason: str
) -> None:
    # The loader quotes it for a file's author (the command line); the API repeats nothing
    # that was sent, not even the part after a quote inside it.
    sent = coordinator.post("/v1/children", json=child(**fields))
    (error,) = assert_problem(sent, 422)["errors"]
    assert error["path"] == path
    assert error["reason"].startswith(f"{reason} (known: "), error
    assert "zz" not in sent.text


def test_no_reason_of_the_scenario_loader_repeats_what_was_sent() -> None:
    # Every loader reason that names a value sent (an unknown domain, criterion, child or
    # home id), as the API words it: the command line quotes them, the API must not.
    bad_values = (
        [home("H-2", capabilities={"zz'zz": 1})],
        [child(wishes={"priorities": ["zz"]})],
    )
    bad_references = (
        [home("H-1", type="network_foster", known_to=["ZZ-1"])],
        [
            child("C-1", keep_apart=["ZZ-2"], current_home="ZZ-3", siblings=["ZZ-4"]),
        ],
    )
    reasons = []
    for homes, children in (bad_values, bad_references):
        with pytest.raises(ScenarioError) as refused:
            scenario(homes, children)
        reasons += [domain_problem(p.field, p.reason).reason for p in refused.value.problems]
    assert len(reasons) == 6, reasons
    assert not [r for r in reasons if "zz" in r.lower()], reasons
