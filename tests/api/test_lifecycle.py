"""The proposal lifecycle over HTTP, derived from the transition table: every allowed step
works from every status it starts from and does what the row says (status, beds, audit
action); every other (status, step) pair is a 409 and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from api.schemas.proposals import ProposalStatus
from api.services.access import PERMISSIONS, Action
from api.services.lifecycle import TRANSITIONS, Step, allowed_from
from tests.api.conftest import Api, Client
from tests.api.helpers import add_child, add_home, assert_problem, propose

HTTP_STEPS = [Step.ACCEPT, Step.DECLINE, Step.CONFIRM, Step.WITHDRAW]
BODIES: dict[Step, dict[str, Any] | None] = {
    Step.ACCEPT: None,
    Step.DECLINE: {"reason": "Geen plek"},
    Step.CONFIRM: None,
    Step.WITHDRAW: None,
}


def _in_status(
    api: Api, coordinator: Client, provider: Client, status: ProposalStatus
) -> dict[str, Any]:
    """A proposal for C-1 in H-1 (two free beds), brought to ``status`` by the API."""
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    created = propose(coordinator, ["C-1"], "H-1")
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    path = {
        ProposalStatus.ACCEPTED: [(provider, "accept")],
        ProposalStatus.CONFIRMED: [(provider, "accept"), (coordinator, "confirm")],
        ProposalStatus.DECLINED: [(provider, "decline")],
        ProposalStatus.WITHDRAWN: [(coordinator, "withdraw")],
    }.get(status, [])
    for who, verb in path:
        body = BODIES[Step(verb)]
        answer = who.post(f"/v1/proposals/{pid}/{verb}", json=body)
        assert answer.status_code == 200, answer.text
    if status is ProposalStatus.EXPIRED:
        api.clock.advance(timedelta(days=6))
    proposal: dict[str, Any] = coordinator.get(f"/v1/proposals/{pid}").json()
    assert proposal["status"] == status.value
    return proposal


def _take(step: Step, proposal: dict[str, Any], provider: Client, coordinator: Client) -> Any:
    """``step`` taken on ``proposal`` by the side its row names (the coordinator where the
    row names nobody, as for an expiry)."""
    row = TRANSITIONS[step]
    who = provider if row.by is not None and row.by.value == "provider" else coordinator
    return who.post(f"/v1/proposals/{proposal['id']}/{step.value}", json=BODIES[step])


def _beds_held(provider: Client) -> int:
    held: int = provider.get("/v1/homes/H-1").json()["beds_held"]
    return held


def test_the_table_names_the_roles_the_access_table_allows() -> None:
    for transition in TRANSITIONS.values():
        if transition.by is None:
            assert transition.step is Step.EXPIRE
            continue
        assert PERMISSIONS[Action(transition.audit_action)] == {transition.by}


def test_closed_proposals_take_no_step() -> None:
    for status in ProposalStatus:
        if status not in (ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED):
            assert allowed_from(status) == set()


@pytest.mark.parametrize(
    ("status", "step"),
    [(s, t) for s in ProposalStatus for t in HTTP_STEPS if s in TRANSITIONS[t].sources],
)
def test_every_allowed_step_does_what_its_row_says(
    api: Api, coordinator: Client, provider: Client, status: ProposalStatus, step: Step
) -> None:
    proposal = _in_status(api, coordinator, provider, status)
    row = TRANSITIONS[step]
    answer = _take(step, proposal, provider, coordinator)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == row.target.value
    trail = api.as_role("admin", "beheer").get("/v1/audit-trail").json()["items"]
    assert trail[0]["action"] == row.audit_action
    # Released beds go back to free; confirmed ones stop being held and become taken.
    assert _beds_held(provider) == (0 if row.beds_released or step is Step.CONFIRM else 1)
    beds_free = provider.get("/v1/homes/H-1").json()["beds_free"]
    assert beds_free == (1 if step is Step.CONFIRM else 2)


@pytest.mark.parametrize(
    ("status", "step"),
    [(s, t) for s in ProposalStatus for t in HTTP_STEPS if s not in TRANSITIONS[t].sources],
)
def test_every_other_step_is_a_conflict_that_changes_nothing(
    api: Api, coordinator: Client, provider: Client, status: ProposalStatus, step: Step
) -> None:
    proposal = _in_status(api, coordinator, provider, status)
    before = coordinator.get(f"/v1/proposals/{proposal['id']}").json()
    beds = _beds_held(provider)
    answer = _take(step, proposal, provider, coordinator)
    # A lapsed hold says so rather than naming the status.
    assert_problem(answer, 409, "expired" if status is ProposalStatus.EXPIRED else "invalid_state")
    assert coordinator.get(f"/v1/proposals/{proposal['id']}").json() == before
    assert _beds_held(provider) == beds


def test_a_lapsed_hold_expires_by_the_table_and_frees_the_beds(
    api: Api, coordinator: Client, provider: Client
) -> None:
    _in_status(api, coordinator, provider, ProposalStatus.EXPIRED)
    assert TRANSITIONS[Step.EXPIRE].beds_released
    assert _beds_held(provider) == 0
    assert coordinator.get("/v1/children/C-1").json()["status"] == "waiting"
