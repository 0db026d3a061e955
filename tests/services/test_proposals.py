"""The proposal rules in the service alone, on the in-memory unit of work: beds held and
freed, siblings together, every rule checked again at accept and confirm, and only the
steps the lifecycle table allows. Milliseconds each; tests/api keeps the HTTP paths."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from api.schemas.proposals import DeclineReason
from api.services import proposals
from api.services.access import Caller, Role
from api.services.errors import ConflictError, NotFoundError
from matching.policy import Policy
from tests.services.fakes import FakeUnitOfWork, Store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
POLICY = Policy()
COORDINATOR = Caller(Role.COORDINATOR, "jb-a")
PROVIDER = Caller(Role.PROVIDER, "org-a")


def home(store: Store, id: str = "H-1", **fields: Any) -> None:
    store.homes[id] = {
        "id": id,
        "organisation": "org-a",
        "type": "foster",
        "postcode": "6714",
        "beds_free": 1,
        "beds_held": 0,
        "age_min": 0,
        "age_max": 23,
        "max_siblings": None,
        "capabilities": {},
        "religion": None,
        "languages": [],
        "available_from": None,
        "available_until": None,
        "known_to": [],
        "created_at": NOW,
        "updated_at": NOW,
        "withdrawn_at": None,
        "version": 1,
        "care_kinds": None,
        "part_time_places_free": None,
        "part_time_held": 0,
        "beds_check_requested_at": None,
        **fields,
    }


def child(store: Store, id: str = "C-1", siblings: tuple[str, ...] = (), **fields: Any) -> None:
    store.children[id] = {
        "id": id,
        "organisation": "jb-a",
        "status": "waiting",
        "birth_date": None,
        "age": 8,
        "parents_postcode": "6712",
        "school_postcode": None,
        "split_reason": None,
        "split_note": None,
        "keep_apart": [],
        "needs": {},
        "urgency": "planned",
        "min_distance_from_parents_km": None,
        "religion": None,
        "languages": [],
        "current_home": None,
        "created_at": NOW,
        "updated_at": NOW,
        "version": 1,
        "care_kind": None,
        "waiting_since": None,
        "history": [],
        "wishes": None,
        "residential_reason": None,
        "residential_note": None,
        **fields,
    }
    for sibling in siblings:
        store.links |= {(id, sibling), (sibling, id)}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    home(fake.store, "H-1", beds_free=2)
    child(fake.store, "C-1")
    return fake


def _propose(uow: FakeUnitOfWork, child_ids: list[str], home_id: str = "H-1") -> str:
    return proposals.propose(uow, COORDINATOR, child_ids, home_id, NOW, TODAY, POLICY).id


class _Raises:
    """``with _Raises("beds"):`` a ConflictError with that code."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: Any, tb: Any) -> bool:
        assert isinstance(exc, ConflictError), f"expected a {self.code} conflict, got {exc!r}"
        assert exc.code == self.code
        return True


def test_a_proposal_holds_the_beds_and_the_children_wait_no_longer(uow: FakeUnitOfWork) -> None:
    pid = _propose(uow, ["C-1"])
    assert uow.store.proposals[pid]["status"] == "proposed"
    assert uow.store.homes["H-1"]["beds_held"] == 1
    assert uow.store.children["C-1"]["status"] == "proposed"


def test_siblings_are_proposed_together_unless_a_split_reason_is_recorded(
    uow: FakeUnitOfWork,
) -> None:
    child(uow.store, "C-2", siblings=("C-1",))
    before = (dict(uow.store.homes["H-1"]), dict(uow.store.children["C-1"]))
    with _Raises("siblings_together"):
        _propose(uow, ["C-1"])
    assert (uow.store.homes["H-1"], uow.store.children["C-1"]) == before
    assert uow.store.proposals == {}
    pid = _propose(uow, ["C-1", "C-2"])
    assert uow.store.homes["H-1"]["beds_held"] == 2
    assert uow.store.proposal_children[pid] == ["C-1", "C-2"]


def test_a_group_larger_than_the_free_beds_is_refused_for_beds(uow: FakeUnitOfWork) -> None:
    child(uow.store, "C-2", siblings=("C-1",))
    child(uow.store, "C-3", siblings=("C-1",))
    with _Raises("beds"):
        _propose(uow, ["C-1", "C-2", "C-3"])
    assert uow.store.homes["H-1"]["beds_held"] == 0


def test_held_beds_are_not_offered_twice(uow: FakeUnitOfWork) -> None:
    home(uow.store, "H-1", beds_free=1)
    child(uow.store, "C-9")
    _propose(uow, ["C-1"])
    with _Raises("beds"):
        _propose(uow, ["C-9"])
    assert uow.store.children["C-9"]["status"] == "waiting"


def test_accept_then_confirm_places_the_children_and_takes_the_beds(uow: FakeUnitOfWork) -> None:
    pid = _propose(uow, ["C-1"])
    proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
    assert uow.store.proposals[pid]["status"] == "accepted"
    proposals.confirm(uow, COORDINATOR, pid, None, NOW, TODAY, POLICY)
    assert uow.store.proposals[pid]["status"] == "confirmed"
    assert uow.store.homes["H-1"]["beds_free"] == 1
    assert uow.store.homes["H-1"]["beds_held"] == 0
    assert uow.store.children["C-1"]["status"] == "placed"
    assert uow.store.children["C-1"]["current_home"] == "H-1"
    assert [p["child_id"] for p in uow.store.placements] == ["C-1"]


def test_accept_checks_every_rule_again_and_a_refusal_leaves_the_proposal_open(
    uow: FakeUnitOfWork,
) -> None:
    pid = _propose(uow, ["C-1"])
    uow.store.homes["H-1"]["age_min"] = 12  # the provider changed the home meanwhile
    with _Raises("rule_broken"):
        proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
    assert uow.store.proposals[pid]["status"] == "proposed"
    assert uow.store.homes["H-1"]["beds_held"] == 1


def test_confirm_checks_every_rule_again(uow: FakeUnitOfWork) -> None:
    pid = _propose(uow, ["C-1"])
    proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
    uow.store.children["C-1"]["needs"] = {"trauma": 3}  # a need the home cannot meet
    with _Raises("rule_broken"):
        proposals.confirm(uow, COORDINATOR, pid, None, NOW, TODAY, POLICY)
    assert uow.store.proposals[pid]["status"] == "accepted"
    assert uow.store.placements == []


@pytest.mark.parametrize("step", ["decline", "withdraw"])
def test_decline_and_withdraw_free_the_beds_and_the_children_wait_again(
    uow: FakeUnitOfWork, step: str
) -> None:
    pid = _propose(uow, ["C-1"])
    if step == "decline":
        proposals.decline(uow, PROVIDER, pid, "Geen plek", NOW, TODAY)
    else:
        proposals.withdraw(uow, COORDINATOR, pid, None, NOW, TODAY)
    assert uow.store.proposals[pid]["status"] == f"{step}d".replace("withdrawd", "withdrawn")
    assert uow.store.homes["H-1"]["beds_held"] == 0
    assert uow.store.children["C-1"]["status"] == "waiting"


def test_a_proposal_not_yet_accepted_cannot_be_confirmed(uow: FakeUnitOfWork) -> None:
    pid = _propose(uow, ["C-1"])
    with _Raises("invalid_state"):
        proposals.confirm(uow, COORDINATOR, pid, None, NOW, TODAY, POLICY)
    assert uow.store.proposals[pid]["status"] == "proposed"


def test_a_closed_proposal_takes_no_further_step(uow: FakeUnitOfWork) -> None:
    pid = _propose(uow, ["C-1"])
    proposals.withdraw(uow, COORDINATOR, pid, None, NOW, TODAY)
    with _Raises("invalid_state"):
        proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
    with _Raises("invalid_state"):
        proposals.decline(uow, PROVIDER, pid, "Te laat", NOW, TODAY)
    assert uow.store.homes["H-1"]["beds_held"] == 0


def test_nothing_can_be_done_with_a_lapsed_hold_and_expiry_frees_the_beds(
    uow: FakeUnitOfWork,
) -> None:
    pid = _propose(uow, ["C-1"])
    later = NOW + timedelta(days=POLICY.hold_period_days)
    with _Raises("expired"):
        proposals.accept(uow, PROVIDER, pid, later, TODAY, POLICY)
    assert proposals.expire_due(uow, later) == 1
    assert uow.store.proposals[pid]["status"] == "expired"
    assert uow.store.homes["H-1"]["beds_held"] == 0
    assert uow.store.audit[-1]["action"] == "proposal.expire"


def test_only_the_provider_of_the_home_answers_a_proposal(uow: FakeUnitOfWork) -> None:
    pid = _propose(uow, ["C-1"])
    with pytest.raises(NotFoundError):
        proposals.accept(uow, Caller(Role.PROVIDER, "org-b"), pid, NOW, TODAY, POLICY)
    with pytest.raises(NotFoundError):
        proposals.accept(uow, COORDINATOR, pid, NOW, TODAY, POLICY)
    assert uow.store.proposals[pid]["status"] == "proposed"


def test_a_decline_is_remembered_and_the_same_home_cannot_be_proposed_again(
    uow: FakeUnitOfWork,
) -> None:
    pid = _propose(uow, ["C-1"])
    answer = proposals.decline(
        uow, PROVIDER, pid, "Vol", NOW, TODAY, code=DeclineReason.NO_CAPACITY
    )
    assert answer.beds_check_requested
    assert uow.store.homes["H-1"]["beds_check_requested_at"] == NOW
    assert uow.store.children["C-1"]["history"] == [
        {
            "home_id": "H-1",
            "event": "declined",
            "date": TODAY.isoformat(),
            "reason": "no_capacity: Vol",
        }
    ]
    with _Raises("declined"):
        _propose(uow, ["C-1"])
    assert uow.store.homes["H-1"]["beds_held"] == 0


def _placed_in_residential_group(uow: FakeUnitOfWork) -> None:
    """C-1 lives in residential group H-res (placed there, with its recorded reason); the
    foster family H-1 has two beds free."""
    home(uow.store, "H-res", type="residential", beds_free=1)
    uow.store.children["C-1"]["residential_reason"] = "safety"
    pid = _propose(uow, ["C-1"], "H-res")
    proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
    proposals.confirm(uow, COORDINATOR, pid, None, NOW, TODAY, POLICY)
    assert uow.store.homes["H-res"]["beds_free"] == 0


def test_a_confirmed_move_ends_the_old_placement_with_move_and_frees_its_bed(
    uow: FakeUnitOfWork,
) -> None:
    _placed_in_residential_group(uow)
    pid = _propose(uow, ["C-1"], "H-1")
    assert uow.store.children["C-1"]["status"] == "proposed"
    assert uow.store.children["C-1"]["current_home"] == "H-res"
    proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
    start = TODAY + timedelta(days=3)
    proposals.confirm(uow, COORDINATOR, pid, start, NOW, TODAY, POLICY)
    old, new = uow.store.placements
    assert (old["home_id"], old["end_reason"], old["end_date"]) == ("H-res", "move", start)
    assert (new["home_id"], new["end_date"], new["start_date"]) == ("H-1", None, start)
    assert uow.store.homes["H-res"]["beds_free"] == 1
    assert (uow.store.homes["H-1"]["beds_free"], uow.store.homes["H-1"]["beds_held"]) == (1, 0)
    assert uow.store.children["C-1"]["status"] == "placed"
    assert uow.store.children["C-1"]["current_home"] == "H-1"


def test_a_move_refused_at_confirm_leaves_the_old_placement_and_the_hold_as_they_were(
    uow: FakeUnitOfWork,
) -> None:
    _placed_in_residential_group(uow)
    pid = _propose(uow, ["C-1"], "H-1")
    proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
    uow.store.homes["H-1"]["age_max"] = 3  # the family changed its mind about ages
    with _Raises("rule_broken"):
        proposals.confirm(uow, COORDINATOR, pid, None, NOW, TODAY, POLICY)
    (placement,) = uow.store.placements
    assert (placement["home_id"], placement["end_date"]) == ("H-res", None)
    assert uow.store.homes["H-res"]["beds_free"] == 0
    assert uow.store.homes["H-1"]["beds_held"] == 1
    assert uow.store.children["C-1"]["status"] == "proposed"
    proposals.withdraw(uow, COORDINATOR, pid, None, NOW, TODAY)
    assert uow.store.children["C-1"]["status"] == "placed"
    assert uow.store.children["C-1"]["current_home"] == "H-res"
    assert uow.store.homes["H-1"]["beds_held"] == 0


def test_a_child_that_leaves_care_while_it_is_proposed_loses_with_a_conflict(
    uow: FakeUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On PostgreSQL each statement of a write transaction reads what was committed by then:
    # a child checked as proposable may have left care (its placement ended by a concurrent
    # request) by the time the proposal's scenario is read. It answered 500 (a KeyError).
    checked = proposals._check_proposable

    def then_it_leaves(tx: Any, rows: Any, child_ids: Any, home_id: str) -> set[str]:
        moving = checked(tx, rows, child_ids, home_id)
        tx.children.s.children["C-1"]["status"] = "left"
        return moving

    monkeypatch.setattr(proposals, "_check_proposable", then_it_leaves)
    with _Raises("child_not_waiting"):
        _propose(uow, ["C-1"])
    assert uow.store.proposals == {}
    assert uow.store.homes["H-1"]["beds_held"] == 0


@pytest.mark.parametrize("reason", ["specialist_care", "severe_conflict"])
def test_siblings_placed_apart_in_two_proposals_still_keep_the_home_limit(
    uow: FakeUnitOfWork, reason: str
) -> None:
    # H-1 takes one child of a family. C-1 and C-2 may be placed apart (specialist care),
    # or must be (severe conflict): once C-1 is proposed there, C-2 is not, in its own
    # proposal, and nothing is held for it.
    home(uow.store, "H-1", beds_free=2, max_siblings=1)
    child(uow.store, "C-2", siblings=("C-1",), split_reason=reason)
    _propose(uow, ["C-1"])
    with _Raises("rule_broken"):
        _propose(uow, ["C-2"])
    assert uow.store.homes["H-1"]["beds_held"] == 1
    assert uow.store.children["C-2"]["status"] == "waiting"


def test_siblings_placed_apart_may_share_a_home_that_takes_them_both(uow: FakeUnitOfWork) -> None:
    home(uow.store, "H-1", beds_free=2, max_siblings=2)
    child(uow.store, "C-2", siblings=("C-1",), split_reason="specialist_care")
    first, second = _propose(uow, ["C-1"]), _propose(uow, ["C-2"])
    for pid in (first, second):
        proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
        proposals.confirm(uow, COORDINATOR, pid, None, NOW, TODAY, POLICY)
    assert {uow.store.children[c]["current_home"] for c in ("C-1", "C-2")} == {"H-1"}


def test_a_placed_apart_sibling_living_in_the_home_counts_against_its_limit(
    uow: FakeUnitOfWork,
) -> None:
    home(uow.store, "H-1", beds_free=2, max_siblings=1)
    child(uow.store, "C-2", siblings=("C-1",), split_reason="specialist_care")
    pid = _propose(uow, ["C-2"])
    proposals.accept(uow, PROVIDER, pid, NOW, TODAY, POLICY)
    proposals.confirm(uow, COORDINATOR, pid, None, NOW, TODAY, POLICY)
    assert uow.store.children["C-2"]["current_home"] == "H-1"
    with _Raises("rule_broken"):
        _propose(uow, ["C-1"])


def test_a_sibling_kept_apart_is_never_proposed_where_the_other_is_about_to_live(
    uow: FakeUnitOfWork,
) -> None:
    # No limit on siblings here: the protective reason alone keeps them in two homes,
    # also while the first one's proposal is still open.
    child(uow.store, "C-2", siblings=("C-1",), split_reason="sibling_threat")
    _propose(uow, ["C-1"])
    with _Raises("rule_broken"):
        _propose(uow, ["C-2"])
    assert uow.store.homes["H-1"]["beds_held"] == 1
