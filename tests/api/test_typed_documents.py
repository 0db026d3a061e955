"""The options and match-run documents are typed in the OpenAPI document, option by option."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Client


def _schema(spec: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    name = ref["$ref"].rsplit("/", 1)[-1]
    schema: dict[str, Any] = spec["components"]["schemas"][name]
    return schema


def _answer(anonymous: Client, path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The OpenAPI document and the schema of the 200 answer of ``GET path``."""
    spec = anonymous.get("/openapi.json").json()
    ok = spec["paths"][path]["get"]["responses"]["200"]
    return spec, _schema(spec, ok["content"]["application/json"]["schema"])


def test_options_document_declares_each_option_criterion_and_excluded_home(
    anonymous: Client,
) -> None:
    spec, rank = _answer(anonymous, "/v1/children/{child_id}/options")
    option = _schema(spec, rank["properties"]["options"]["items"])
    assert {"rank", "home_id", "score", "criteria", "members"} <= set(option["required"])
    criterion = _schema(spec, option["properties"]["criteria"]["items"])
    assert set(criterion["required"]) == {"criterion", "points", "max_points", "value", "text"}
    excluded = _schema(spec, rank["properties"]["excluded"]["items"])
    reason = _schema(spec, excluded["properties"]["reasons"]["items"])
    assert set(reason["required"]) == {"code", "text"}
    effect = _schema(spec, option["properties"]["waiting_list_effect"]["anyOf"][0])
    assert "no_eligible_home_left" in effect["properties"]


def test_match_run_document_declares_assignments_and_unplaced_children(
    anonymous: Client,
) -> None:
    spec, run = _answer(anonymous, "/v1/match-runs/{run_id}")
    assignment = _schema(spec, run["properties"]["assignments"]["items"])
    assert set(assignment["required"]) == {"child_id", "home_id", "score"}
    unplaced = _schema(spec, run["properties"]["unplaced"]["items"])
    assert set(unplaced["required"]) == {"child_id", "reasons"}
