"""No double booking, ever: concurrent requests against a real server (uvicorn on a free
127.0.0.1 port, the same database) have exactly one winner per bed, on every backend."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn

from api.db.repositories import PlacementRepository
from api.services import children as children_service
from api.services import homes as homes_service
from api.services import proposals as proposals_service
from tests.api.conftest import Api, Client
from tests.api.helpers import (
    accepted_proposal,
    add_child,
    add_home,
    confirmed_proposal,
    propose,
)
from tests.builders import child
from tests.scratch import free_port

ROUNDS = 3
RACERS = 8


@pytest.fixture
def server(api: Api) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(
        api.http.app, host="127.0.0.1", port=port, log_level="warning", access_log=False
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert thread.is_alive(), "server stopped"
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=15)


Call = tuple[str, str, str, dict[str, Any] | None]  # key, method, path, JSON body


def race(base_url: str, calls: list[Call]) -> list[int]:
    """Send every call at the same moment, each on its own connection; their statuses."""
    barrier = threading.Barrier(len(calls))

    def send(call: Call) -> int:
        key, method, path, body = call
        with httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as http:
            http.get("/health")  # connect before the start line
            barrier.wait()
            return http.request(method, path, json=body).status_code

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(send, calls))


def proposal(key: str | None, child_ids: list[str], home_id: str) -> Call:
    assert key is not None
    return (key, "POST", "/v1/proposals", {"child_ids": child_ids, "home_id": home_id})


def step(key: str | None, pid: str, name: str, body: dict[str, Any] | None = None) -> Call:
    """A step of proposal ``pid``: accept, decline, confirm or withdraw."""
    assert key is not None
    return (key, "POST", f"/v1/proposals/{pid}/{name}", body)


def _home_and_child(provider: Client, coordinator: Client, r: int) -> tuple[str, str]:
    """Round ``r``'s home (one free bed) and waiting child."""
    home_id, child_id = f"H-{r}", f"C-{r}"
    add_home(provider, home_id)
    add_child(coordinator, child_id)
    return home_id, child_id


def _accepted(provider: Client, coordinator: Client, r: int) -> tuple[str, str, str]:
    """Round ``r``'s home and child, and the child's proposal there, accepted."""
    home_id, child_id = _home_and_child(provider, coordinator, r)
    return home_id, child_id, accepted_proposal(coordinator, provider, [child_id], home_id)["id"]


def test_racing_for_the_last_bed_has_exactly_one_winner(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert coordinator.key is not None
    for r in range(ROUNDS):
        home_id = f"H-{r}"
        add_home(provider, home_id, beds_free=1)
        children = [f"C-{r}-{i}" for i in range(RACERS)]
        for cid in children:
            add_child(coordinator, cid)
        statuses = race(server, [proposal(coordinator.key, [c], home_id) for c in children])
        assert sorted(statuses) == [201] + [409] * (RACERS - 1), statuses
        home = provider.get(f"/v1/homes/{home_id}").json()
        assert (home["beds_free"], home["beds_held"]) == (1, 1)
        proposed = coordinator.get("/v1/children", params={"status": "proposed"}).json()
        assert proposed["total"] == r + 1


def test_two_beds_go_to_exactly_two_proposals(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert coordinator.key is not None
    add_home(provider, "H-1", beds_free=2)
    children = [f"C-{i}" for i in range(RACERS)]
    for cid in children:
        add_child(coordinator, cid)
    statuses = race(server, [proposal(coordinator.key, [c], "H-1") for c in children])
    assert sorted(statuses) == [201, 201] + [409] * (RACERS - 2), statuses
    assert provider.get("/v1/homes/H-1").json()["beds_held"] == 2


def test_one_child_proposed_to_two_homes_at_once_gets_one_proposal(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert coordinator.key is not None
    for r in range(ROUNDS):
        homes = [f"H-{r}-a", f"H-{r}-b"]
        for home_id in homes:
            add_home(provider, home_id)
        add_child(coordinator, f"C-{r}")
        statuses = race(server, [proposal(coordinator.key, [f"C-{r}"], h) for h in homes])
        assert sorted(statuses) == [201, 409], statuses
        held = [provider.get(f"/v1/homes/{h}").json()["beds_held"] for h in homes]
        assert sorted(held) == [0, 1]


def test_confirm_racing_withdraw_has_one_outcome(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert coordinator.key is not None
    for r in range(ROUNDS):
        home_id, child_id, pid = _accepted(provider, coordinator, r)
        statuses = race(
            server,
            [
                step(coordinator.key, pid, "confirm"),
                step(coordinator.key, pid, "withdraw"),
            ],
        )
        assert sorted(statuses) == [200, 409], statuses
        final = coordinator.get(f"/v1/proposals/{pid}").json()["status"]
        home = provider.get(f"/v1/homes/{home_id}").json()
        child = coordinator.get(f"/v1/children/{child_id}").json()
        if final == "confirmed":
            assert (home["beds_free"], home["beds_held"], child["status"]) == (0, 0, "placed")
        else:
            assert final == "withdrawn"
            assert (home["beds_free"], home["beds_held"], child["status"]) == (1, 0, "waiting")


def test_lowering_beds_racing_a_proposal_never_overbooks(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert provider.key is not None
    for r in range(ROUNDS):
        home_id, child_id = _home_and_child(provider, coordinator, r)
        proposed, lowered = race(
            server,
            [
                proposal(coordinator.key, [child_id], home_id),
                (provider.key, "PATCH", f"/v1/homes/{home_id}", {"beds_free": 0}),
            ],
        )
        home = provider.get(f"/v1/homes/{home_id}").json()
        if proposed == 201:
            assert lowered == 409
            assert (home["beds_free"], home["beds_held"]) == (1, 1)
        else:
            assert (proposed, lowered) == (409, 200)
            assert (home["beds_free"], home["beds_held"]) == (0, 0)


def test_confirm_racing_the_homes_withdrawal_never_places_in_a_withdrawn_home(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert coordinator.key is not None
    assert provider.key is not None
    for r in range(ROUNDS):
        home_id, child_id, pid = _accepted(provider, coordinator, r)
        confirmed, withdrawn = race(
            server,
            [
                step(coordinator.key, pid, "confirm"),
                (provider.key, "DELETE", f"/v1/homes/{home_id}", None),
            ],
        )
        # Open or occupied, the home stays: the confirm wins whichever comes first.
        assert (confirmed, withdrawn) == (200, 409)
        home = provider.get(f"/v1/homes/{home_id}")
        assert home.status_code == 200
        assert (home.json()["beds_free"], home.json()["beds_held"]) == (0, 0)
        child = coordinator.get(f"/v1/children/{child_id}").json()
        assert (child["status"], child["current_home"]) == ("placed", home_id)


def test_declining_racing_the_homes_withdrawal_has_one_outcome(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert provider.key is not None
    for r in range(ROUNDS):
        home_id, child_id, pid = _accepted(provider, coordinator, r)
        declined, withdrawn = race(
            server,
            [
                step(provider.key, pid, "decline", {"reason": "vol"}),
                (provider.key, "DELETE", f"/v1/homes/{home_id}", None),
            ],
        )
        assert declined == 200
        assert withdrawn in (204, 409)
        assert coordinator.get(f"/v1/children/{child_id}").json()["status"] == "waiting"
        still_there = provider.get(f"/v1/homes/{home_id}").status_code == 200
        assert still_there == (withdrawn == 409)


def test_a_change_racing_confirm_is_either_checked_or_comes_after(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert coordinator.key is not None
    assert provider.key is not None
    for r in range(ROUNDS):
        home_id, child_id, pid = _accepted(provider, coordinator, r)
        confirmed, patched = race(
            server,
            [
                step(coordinator.key, pid, "confirm"),
                (provider.key, "PATCH", f"/v1/homes/{home_id}", {"age_max": 3}),
            ],
        )
        assert patched == 200
        assert confirmed in (200, 409)
        status = coordinator.get(f"/v1/proposals/{pid}").json()["status"]
        child = coordinator.get(f"/v1/children/{child_id}").json()
        home = provider.get(f"/v1/homes/{home_id}").json()
        if confirmed == 200:
            assert (status, child["status"], home["beds_free"], home["beds_held"]) == (
                "confirmed",
                "placed",
                0,
                0,
            )
        else:
            assert (status, child["status"], home["beds_free"], home["beds_held"]) == (
                "accepted",
                "proposed",
                1,
                1,
            )


def test_a_change_racing_accept_is_either_checked_or_comes_after(
    server: str, provider: Client, coordinator: Client
) -> None:
    assert provider.key is not None
    for r in range(ROUNDS):
        home_id, child_id = _home_and_child(provider, coordinator, r)
        pid = propose(coordinator, [child_id], home_id).json()["id"]
        accepted, patched = race(
            server,
            [
                step(provider.key, pid, "accept"),
                (provider.key, "PATCH", f"/v1/homes/{home_id}", {"age_max": 3}),
            ],
        )
        assert patched == 200
        assert accepted in (200, 409)
        status = coordinator.get(f"/v1/proposals/{pid}").json()["status"]
        assert status == ("accepted" if accepted == 200 else "proposed")
        # Accepted before the change or not: the confirm sees the home as it is now.
        if accepted == 200:
            refused = coordinator.post(f"/v1/proposals/{pid}/confirm")
            assert refused.status_code == 409, refused.text
            assert refused.json()["code"] == "rule_broken"


def test_a_move_racing_the_end_of_its_placement_has_one_outcome(
    server: str, provider: Client, coordinator: Client
) -> None:
    """A placed child proposed to another home (a move) while its placement is ended:
    either the move holds the new bed and the end is refused, or the child leaves care and
    the move is refused; never a proposal for a child whose placement is gone."""
    assert coordinator.key is not None
    for r in range(ROUNDS):
        old, new, child_id = f"H-{r}-res", f"H-{r}-fam", f"C-{r}"
        add_home(provider, old, type="residential")
        add_home(provider, new)
        add_child(coordinator, child_id, residential_reason="safety")
        pid = accepted_proposal(coordinator, provider, [child_id], old)["id"]
        assert coordinator.post(f"/v1/proposals/{pid}/confirm").status_code == 200
        items = coordinator.get("/v1/placements", params={"open": "true"}).json()["items"]
        (placement,) = [p for p in items if p["child_id"] == child_id]
        statuses = race(
            server,
            [
                proposal(coordinator.key, [child_id], new),
                (
                    coordinator.key,
                    "POST",
                    f"/v1/placements/{placement['id']}/end",
                    {"reason": "return_home"},
                ),
            ],
        )
        child = coordinator.get(f"/v1/children/{child_id}").json()
        held = provider.get(f"/v1/homes/{new}").json()["beds_held"]
        ended = coordinator.get(f"/v1/placements/{placement['id']}").json()["end_date"]
        if statuses == [201, 409]:
            assert (child["status"], child["current_home"], held, ended) == (
                "proposed",
                old,
                1,
                None,
            )
        else:
            assert statuses == [409, 200], statuses
            assert (child["status"], child["current_home"], held) == ("left", None, 0)
            assert ended is not None


class Meanwhile:
    """A request sent from inside another one: a step of the request under test, patched,
    calls ``start``, which sends it in a thread (once, at the first call) and gives it 2 s
    to finish before going on: time enough, unless it waits for a lock the caller holds."""

    def __init__(self, send: Callable[[], Any]) -> None:
        self._send = send
        self._answers: list[Any] = []
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=lambda: self._answers.append(self._send()))
            self._thread.start()
            self._thread.join(timeout=2)

    def answer(self) -> Any:
        """Its response, once it has come (within 60 s)."""
        assert self._thread is not None, "the request was never sent"
        self._thread.join(timeout=60)
        return self._answers[0]


def test_an_edit_racing_the_end_of_a_placement_keeps_what_the_end_wrote(
    provider: Client, coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PATCH without If-Match that read the child before a breakdown was recorded must not
    write back the old ``history`` and ``current_home``: the home would be offered again,
    and the waiting child would still 'live' there (a proposal to it holding no bed)."""
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    (placement,) = coordinator.get("/v1/placements", params={"open": "true"}).json()["items"]
    end = Meanwhile(
        lambda: coordinator.post(
            f"/v1/placements/{placement['id']}/end", json={"reason": "breakdown"}
        )
    )
    checked = children_service._check_references

    def end_meanwhile(tx: Any, organisation: str, body: Any) -> None:
        # The edit has read the child; the end comes now, unless it must wait for the edit.
        end.start()
        checked(tx, organisation, body)

    monkeypatch.setattr(children_service, "_check_references", end_meanwhile)
    edited = coordinator.patch("/v1/children/C-1", json={"urgency": "crisis"})
    ended = end.answer()
    assert (edited.status_code, ended.status_code) == (200, 200)
    child = coordinator.get("/v1/children/C-1").json()
    assert (child["status"], child["current_home"], child["urgency"]) == ("waiting", None, "crisis")
    assert [(e["home_id"], e["event"]) for e in child["history"]] == [("H-1", "breakdown")]
    again = coordinator.post("/v1/proposals", json={"child_ids": ["C-1"], "home_id": "H-1"})
    assert again.status_code == 409, again.text


def test_removing_a_child_racing_its_proposal_never_leaves_a_proposal_without_its_child(
    provider: Client, coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal = Meanwhile(lambda: propose(coordinator, ["C-1"], "H-1"))
    checked = children_service._check_not_proposed

    def propose_meanwhile(tx: Any, child_ids: Any) -> None:
        # The removal has read the child as waiting; the proposal comes now.
        proposal.start()
        checked(tx, child_ids)

    monkeypatch.setattr(children_service, "_check_not_proposed", propose_meanwhile)
    removed = coordinator.delete("/v1/children/C-1")
    proposed = proposal.answer()
    statuses = (removed.status_code, proposed.status_code)
    held = provider.get("/v1/homes/H-1").json()["beds_held"]
    open_proposals = coordinator.get("/v1/proposals", params={"status": "proposed"}).json()
    if removed.status_code == 204:
        # Refused as a proposal for a child that is gone (422) or changed meanwhile (409).
        assert proposed.status_code in (409, 422), proposed.text
        assert (held, open_proposals["total"]) == (0, 0)
    else:
        assert statuses == (409, 201), statuses
        assert (held, open_proposals["total"]) == (1, 1)
        assert coordinator.get("/v1/children/C-1").json()["status"] == "proposed"


def test_removing_a_child_racing_an_edit_of_keep_apart_keeps_the_edit(
    coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removing X takes X out of Y's keep_apart; an edit of Y adding Z meanwhile stays."""
    for cid in ("X", "Z"):
        add_child(coordinator, cid)
    add_child(coordinator, "Y", keep_apart=["X"])
    removal = Meanwhile(lambda: coordinator.delete("/v1/children/X"))
    checked = children_service._check_references

    def remove_meanwhile(tx: Any, organisation: str, body: Any) -> None:
        # The edit has read Y; X is removed now, unless the removal must wait for the edit.
        removal.start()
        checked(tx, organisation, body)

    monkeypatch.setattr(children_service, "_check_references", remove_meanwhile)
    edited = coordinator.patch("/v1/children/Y", json={"keep_apart": ["X", "Z"]})
    removed = removal.answer()
    assert (edited.status_code, removed.status_code) == (200, 204)
    assert coordinator.get("/v1/children/Y").json()["keep_apart"] == ["Z"]


@pytest.mark.parametrize("second", [{"keep_apart": ["C-1"]}, {"split": True}])
def test_two_children_kept_apart_proposed_at_once_get_one_proposal(
    provider: Client,
    coordinator: Client,
    monkeypatch: pytest.MonkeyPatch,
    second: dict[str, Any],
) -> None:
    """Proposed one after the other, the second child is refused (the first one's proposal
    counts it there); proposed at the same moment, both were held, and neither could then
    be accepted: the carers saw both children and the beds stayed held for nothing."""
    add_home(provider, "H-1", beds_free=2)
    if second.get("split"):
        # Protectively split siblings: never placed in one home.
        add_child(coordinator, "C-1", split_reason="sibling_threat")
        add_child(coordinator, "C-2", siblings=["C-1"], split_reason="sibling_threat")
    else:
        add_child(coordinator, "C-1")
        add_child(coordinator, "C-2", **second)
    second_proposal = Meanwhile(lambda: propose(coordinator, ["C-2"], "H-1"))
    fitting = proposals_service._fitting_unit

    def propose_other_meanwhile(*args: Any, **kwargs: Any) -> Any:
        result = fitting(*args, **kwargs)
        # The first proposal was checked; the second comes now, before it holds its bed.
        second_proposal.start()
        return result

    monkeypatch.setattr(proposals_service, "_fitting_unit", propose_other_meanwhile)
    first = propose(coordinator, ["C-1"], "H-1")
    other = second_proposal.answer()
    assert (first.status_code, other.status_code) == (201, 409), other.text
    assert other.json()["code"] == "rule_broken"
    assert provider.get("/v1/homes/H-1").json()["beds_held"] == 1


def test_ending_a_placement_racing_the_childs_removal_never_deadlocks(
    provider: Client, coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Homes before children: the end of a placement locked the child and then wrote its
    home, while a removal of the child locks the network homes that know it and then the
    child. Paused between the two, the end deadlocked with the removal (PostgreSQL), and
    one of them failed with 503. Now the removal waits for the end and then succeeds."""
    add_home(provider, "H-net", type="network_foster", known_to=[])
    add_child(coordinator, "C-1")
    assert coordinator.put("/v1/children/C-1/network/H-net").status_code == 200
    confirmed_proposal(coordinator, provider, ["C-1"], "H-net")
    (placement,) = coordinator.get("/v1/placements", params={"open": "true"}).json()["items"]
    removal = Meanwhile(lambda: coordinator.delete("/v1/children/C-1"))
    ending = PlacementRepository.end

    def remove_meanwhile(self: PlacementRepository, *args: Any, **kwargs: Any) -> bool:
        # The end has locked what it locks before it writes; the removal comes now.
        removal.start()
        return ending(self, *args, **kwargs)

    monkeypatch.setattr(PlacementRepository, "end", remove_meanwhile)
    ended = coordinator.post(
        f"/v1/placements/{placement['id']}/end", json={"reason": "return_home"}
    )
    removed = removal.answer()
    assert (ended.status_code, removed.status_code) == (200, 204), (ended.text, removed.text)
    assert coordinator.get("/v1/children/C-1").status_code == 404
    home = provider.get("/v1/homes/H-net").json()
    assert (home["beds_free"], home["known_to"]) == (1, [])


@pytest.mark.parametrize("named", ["keep_apart", "siblings"])
@pytest.mark.parametrize("how", ["PATCH", "POST"])
def test_removing_a_child_while_another_is_given_its_id_leaves_no_dangling_id(
    coordinator: Client, monkeypatch: pytest.MonkeyPatch, named: str, how: str
) -> None:
    """Y is given X's id (keep_apart or siblings) while X is removed: either the edit comes
    first and the removal takes the id out again, or the removal comes first and the edit
    is refused as naming an unknown child. Before, the edit checked X, the removal found
    nobody naming X and removed it, and the edit then stored the id: every later edit of
    Y failed with "unknown child id" (PostgreSQL)."""
    add_child(coordinator, "X")
    if how == "PATCH":
        add_child(coordinator, "Y")
    removal = Meanwhile(lambda: coordinator.delete("/v1/children/X"))
    checked = children_service._check_references

    def remove_meanwhile(tx: Any, organisation: str, body: Any) -> None:
        checked(tx, organisation, body)
        # The edit has found X; X is removed now, unless the removal must wait for it.
        removal.start()

    monkeypatch.setattr(children_service, "_check_references", remove_meanwhile)
    if how == "PATCH":
        edited = coordinator.patch("/v1/children/Y", json={named: ["X"]})
    else:
        edited = coordinator.post("/v1/children", json=child("Y", **{named: ["X"]}))
    removed = removal.answer()
    monkeypatch.undo()
    assert removed.status_code == 204, removed.text
    assert edited.status_code in (200, 201, 422), edited.text
    y = coordinator.get("/v1/children/Y")
    if edited.status_code == 422:
        assert how == "POST" or y.json()[named] == []
    else:
        assert y.json()[named] == []
    # Y can be edited again: no id of a removed child is left in it.
    if y.status_code == 200:
        again = coordinator.patch("/v1/children/Y", json={"urgency": "crisis"})
        assert again.status_code == 200, again.text


def test_removing_a_child_while_it_is_attached_to_a_network_home_leaves_no_dangling_id(
    provider: Client, coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attachment locks the home and then the child; the removal, which took the
    network homes that knew the child before it waited for the child, looks again once it
    has it, so the id attached meanwhile is taken out too."""
    add_home(provider, "H-net", type="network_foster", known_to=[])
    add_child(coordinator, "C-1")
    removal = Meanwhile(lambda: coordinator.delete("/v1/children/C-1"))
    network_home = homes_service._network_home

    def remove_meanwhile(tx: Any, *args: Any, **kwargs: Any) -> Any:
        row = network_home(tx, *args, **kwargs)
        # The home is locked and the child found; the child is removed now.
        removal.start()
        return row

    monkeypatch.setattr(homes_service, "_network_home", remove_meanwhile)
    attached = coordinator.put("/v1/children/C-1/network/H-net")
    removed = removal.answer()
    assert (attached.status_code, removed.status_code) == (200, 204), attached.text
    assert provider.get("/v1/homes/H-net").json()["known_to"] == []


def test_two_moves_swapping_homes_confirmed_at_once_never_deadlock(
    provider: Client, coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X moves from A to B while Y moves from B to A. A confirm locked its new home and
    then wrote the bed free in the home the child leaves: paused between the two, the
    other confirm locked that home and waited for the first one's (PostgreSQL), and one
    of them failed with 503. Every home a confirm writes is now locked first, in id order."""
    add_home(provider, "H-A", beds_free=2)
    add_home(provider, "H-B", beds_free=2)
    add_child(coordinator, "X")
    add_child(coordinator, "Y")
    confirmed_proposal(coordinator, provider, ["X"], "H-A")
    confirmed_proposal(coordinator, provider, ["Y"], "H-B")
    x_move = accepted_proposal(coordinator, provider, ["X"], "H-B")["id"]
    y_move = accepted_proposal(coordinator, provider, ["Y"], "H-A")["id"]
    y_confirm = Meanwhile(lambda: coordinator.post(f"/v1/proposals/{y_move}/confirm"))
    ending = PlacementRepository.end

    def confirm_meanwhile(self: PlacementRepository, *args: Any, **kwargs: Any) -> bool:
        # X's confirm holds what it locks before it frees X's bed in H-A: Y's comes now.
        y_confirm.start()
        return ending(self, *args, **kwargs)

    monkeypatch.setattr(PlacementRepository, "end", confirm_meanwhile)
    first = coordinator.post(f"/v1/proposals/{x_move}/confirm")
    other = y_confirm.answer()
    assert (first.status_code, other.status_code) == (200, 200), (first.text, other.text)
    lives = {c: coordinator.get(f"/v1/children/{c}").json()["current_home"] for c in "XY"}
    assert lives == {"X": "H-B", "Y": "H-A"}
    for home_id in ("H-A", "H-B"):
        home = provider.get(f"/v1/homes/{home_id}").json()
        assert (home["beds_free"], home["beds_held"]) == (1, 0), home
