"""Small steps the API tests share: each asserts its own success, so a test reads as the
rule it checks and fails at the step that broke."""

from __future__ import annotations

import re
from typing import Any

from matching.model import Scenario
from tests.api.conftest import Client
from tests.builders import child, home

__all__ = [
    "accepted_proposal",
    "add_child",
    "add_home",
    "assert_problem",
    "confirmed_proposal",
    "mentions",
    "propose",
    "stub_solver",
    "upload_homes",
]


def assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``status`` (and ``code``); returns it."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    if code is not None:
        assert body.get("code") == code, body
    return body


def add_home(provider: Client, id: str = "H-1", **fields: Any) -> dict[str, Any]:
    response = provider.post("/v1/homes", json=home(id, **fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def upload_homes(client: Client, text: str, *, as_file: bool = True) -> Any:
    """The answer to a CSV of homes posted to the import: as an uploaded file, or as the
    body itself (``Content-Type: text/csv``)."""
    if as_file:
        return client.post(
            "/v1/homes/import", files={"file": ("homes.csv", text.encode(), "text/csv")}
        )
    return client.post(
        "/v1/homes/import", content=text.encode(), headers={"Content-Type": "text/csv"}
    )


def add_child(coordinator: Client, id: str = "C-1", **fields: Any) -> dict[str, Any]:
    response = coordinator.post("/v1/children", json=child(id, **fields))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def propose(coordinator: Client, child_ids: list[str], home_id: str) -> Any:
    return coordinator.post("/v1/proposals", json={"child_ids": child_ids, "home_id": home_id})


def accepted_proposal(
    coordinator: Client, provider: Client, child_ids: list[str], home_id: str
) -> dict[str, Any]:
    created = propose(coordinator, child_ids, home_id)
    assert created.status_code == 201, created.text
    accepted = provider.post(f"/v1/proposals/{created.json()['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    body: dict[str, Any] = accepted.json()
    return body


def confirmed_proposal(
    coordinator: Client, provider: Client, child_ids: list[str], home_id: str, **body: Any
) -> dict[str, Any]:
    proposal = accepted_proposal(coordinator, provider, child_ids, home_id)
    confirmed = coordinator.post(f"/v1/proposals/{proposal['id']}/confirm", json=body or None)
    assert confirmed.status_code == 200, confirmed.text
    result: dict[str, Any] = confirmed.json()
    return result


def stub_solver(
    scenario: Scenario, time_limit_s: float = 10.0, lang: str = "nl", frontier: int = 0
) -> dict[str, Any]:
    """Stands in for the solver where a test is about the service around a match run (who
    may run and read it, what is recorded): a document naming every waiting child. It takes
    the real ``run_match``'s parameters, so a call the service makes fails here as there."""
    del time_limit_s, lang, frontier
    return {
        "status": "optimal",
        "placed": 0,
        "placed_crisis": 0,
        "total_score": 0,
        "bound": 0,
        "gap": 0.0,
        "assignments": [],
        "unplaced": [{"child_id": c.id, "reasons": []} for c in scenario.children],
    }


def mentions(text: str, secret: str) -> bool:
    """``secret`` stands in ``text`` as a word of its own: a postcode's four digits with or
    without its letters ("6712", "6712 AB", "6712AB"), a name, an id. Not inside a longer
    word: a random request or proposal id such as "8ac11b0aed99990c" or "6708912a-..."
    holds four digits and no postcode."""
    letters = "(?:[A-Z]{2})?" if secret.isdigit() else ""
    return re.search(rf"(?<![\w-]){re.escape(secret)}{letters}(?![\w-])", text) is not None
