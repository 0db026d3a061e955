"""Random sequences of everything people do through the API, with the invariants checked
against the database after every step (hypothesis' rule-based state machine).

The steps: register, change and withdraw homes (beds, postcode, capabilities, age range,
availability, max_siblings); attach children to network homes; register, change and
remove children (siblings, keep_apart, confidential); propose, accept, decline, confirm,
withdraw; move placed children to another home; end placements; let time pass so that
holds lapse. After each step:

- every confirm that succeeded was, at that moment, a placement every rule allowed, and
  every confirm refused for a rule was one some rule forbade: the oracle judges the home
  and children as the API shows them, with the engine (``matching.assess``) on a scenario
  this test builds itself, not with the service's own scenario code;
- beds are never negative or over-held: ``0 <= beds_held <= beds_free`` and ``beds_held``
  is exactly the beds of the home's open proposals;
- no child is in two open proposals, or in two homes; a proposed child is in exactly one
  open proposal, a placed child has exactly one open placement and lives where it says, and
  a placed child proposed to move (doorplaatsing) keeps that one placement until the move
  is confirmed;
- no open proposal, open placement or resident is in a withdrawn home;
- the provider's views never show any origin (school area, organisation) of a group with
  a confidential member, and never any postcode of a child.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

from api.clock import local_date
from api.services.keys import create_key
from matching.context import Context
from matching.geo import parse_postcode
from matching.model import Child, Home, HomeType, Resident, Scenario, SplitReason, Urgency
from matching.rules import assess
from matching.siblings import Unit
from tests.api.conftest import START, Api, Client, empty_database
from tests.api.helpers import mentions

HOME_POSTCODES = ("6714", "6708", "3511", "9711")  # 1, 7.5, 37 and 144 km from 6712
PARENTS = ("6712", "6708")
SCHOOLS = ("6716", "6718")

ages = st.integers(min_value=1, max_value=17)
levels = st.sampled_from([{}, {"trauma": 2}, {"trauma": 3}])

home_changes = st.one_of(
    st.fixed_dictionaries({"beds_free": st.integers(0, 3)}),
    st.fixed_dictionaries({"postcode": st.sampled_from(HOME_POSTCODES)}),
    st.fixed_dictionaries({"capabilities": levels}),
    st.sampled_from(
        [
            {"age_min": 0, "age_max": 23},
            {"age_min": 0, "age_max": 3},
            {"age_min": 12, "age_max": 18},
        ]
    ),
    st.fixed_dictionaries({"available_from": st.sampled_from([None, "2030-01-01"])}),
    st.fixed_dictionaries({"max_siblings": st.sampled_from([None, 1])}),
    st.fixed_dictionaries({"known_to": st.just([])}),
)
child_changes = st.one_of(
    st.fixed_dictionaries({"urgency": st.sampled_from(["planned", "crisis"])}),
    st.fixed_dictionaries({"needs": levels}),
    st.fixed_dictionaries({"keep_apart": st.lists(st.integers(0, 50), max_size=1)}),
    st.fixed_dictionaries({"min_distance_from_parents_km": st.sampled_from([None, 25])}),
    st.fixed_dictionaries({"split_reason": st.sampled_from([None, "specialist_care"])}),
    st.fixed_dictionaries({"age": ages}),
)

ROUND_TRIP = {"rule_broken", "beds", "siblings_together", "not_one_group"}


class Machine(RuleBasedStateMachine):
    api: Api  # set by the test that runs the machine

    def __init__(self) -> None:
        super().__init__()
        empty_database(self.api.engine)
        self.api.clock.set(START)
        now = self.api.clock.now()

        def key(role: str, organisation: str) -> Client:
            issued = create_key(
                self.api.uow, role=role, organisation=organisation, municipality=None, now=now
            )
            return Client(self.api.http, issued.key)

        self.provider = key("provider", "org-a")
        self.coordinator = key("coordinator", "jb-a")
        self.admin = key("admin", "beheer")
        self.policy = self.api.http.app.state.settings.policy
        self.proposals: dict[str, str] = {}  # id -> status, as the answers said
        self.homes: list[str] = []  # registered (withdrawn ones too: they must stay 404)
        self.children: list[str] = []  # registered (removed ones too)
        self.gone: set[str] = set()  # withdrawn homes and removed children
        #: Per confirmed proposal: did the oracle find every rule kept at that moment?
        self.confirmed_fitting: dict[str, bool] = {}

    # -- helpers -------------------------------------------------------------------------

    def send(self, client: Client, method: str, url: str, **kwargs: Any) -> Any:
        response = client.request(method, url, **kwargs)
        assert response.status_code < 500, (method, url, response.text)
        return response

    def home(self, i: int) -> str:
        """Mostly a home still on the register; now and then a withdrawn one."""
        active = [h for h in self.homes if h not in self.gone] if i % 8 else self.homes
        return active[i % len(active)] if active else "H-none"

    def child(self, i: int) -> str:
        """Mostly a child still registered; now and then a removed one."""
        alive = [c for c in self.children if c not in self.gone] if i % 8 else self.children
        return alive[i % len(alive)] if alive else "C-none"

    @initialize()
    def a_region_with_homes_and_children(self) -> None:
        """Start where proposals can succeed: homes near the parents with free beds, and
        children waiting for them (the rules then make them fail in every way)."""
        for _ in range(3):
            self.register_home(False, 2, "6714", {"trauma": 2})
        for _ in range(4):
            self.register_child(8, "6712", None, {}, False, [], [])
        # One child placed from the start, so that moves (doorplaatsing) are reached often.
        self.propose(0, 0, True)
        self.accept_latest()
        self.confirm_latest()

    # -- homes ---------------------------------------------------------------------------

    @rule(
        network=st.booleans(),
        beds=st.integers(0, 3),
        postcode=st.sampled_from(HOME_POSTCODES),
        capabilities=levels,
    )
    def register_home(
        self,
        network: bool,
        beds: int,
        postcode: str,
        capabilities: dict[str, int],
    ) -> None:
        home_id = f"H-{len(self.homes)}"
        body: dict[str, Any] = {
            "id": home_id,
            "organisation": "org-a",
            "type": "network_foster" if network else "foster",
            "postcode": postcode,
            "beds_free": beds,
            "capabilities": capabilities,
        }
        if self.send(self.provider, "POST", "/v1/homes", json=body).status_code == 201:
            self.homes.append(home_id)

    @rule(h=st.integers(0, 50), changes=home_changes)
    def patch_home(self, h: int, changes: dict[str, Any]) -> None:
        self.send(self.provider, "PATCH", f"/v1/homes/{self.home(h)}", json=changes)

    @rule(h=st.integers(0, 50))
    def withdraw_home(self, h: int) -> None:
        home_id = self.home(h)
        if self.send(self.provider, "DELETE", f"/v1/homes/{home_id}").status_code == 204:
            self.gone.add(home_id)

    @rule(c=st.integers(0, 50), h=st.integers(0, 50))
    def attach_to_network(self, c: int, h: int) -> None:
        url = f"/v1/children/{self.child(c)}/network/{self.home(h)}"
        self.send(self.coordinator, "PUT", url)

    # -- children ------------------------------------------------------------------------

    @rule(
        age=ages,
        parents=st.sampled_from(PARENTS),
        school=st.sampled_from([None, *SCHOOLS]),
        needs=levels,
        confidential=st.booleans(),
        siblings=st.lists(st.integers(0, 50), max_size=1),
        keep_apart=st.lists(st.integers(0, 50), max_size=1),
    )
    def register_child(
        self,
        age: int,
        parents: str,
        school: str | None,
        needs: dict[str, int],
        confidential: bool,
        siblings: list[int],
        keep_apart: list[int],
    ) -> None:
        child_id = f"C-{len(self.children)}"
        body: dict[str, Any] = {
            "id": child_id,
            "age": age,
            "parents_postcode": parents,
            "school_postcode": school,
            "needs": needs,
            "siblings": sorted({self.child(i) for i in siblings} & set(self.children)),
            "keep_apart": sorted({self.child(i) for i in keep_apart} & set(self.children)),
        }
        if confidential:
            body["min_distance_from_parents_km"] = 25
        if self.send(self.coordinator, "POST", "/v1/children", json=body).status_code == 201:
            self.children.append(child_id)

    @rule(c=st.integers(0, 50), changes=child_changes)
    def patch_child(self, c: int, changes: dict[str, Any]) -> None:
        child_id = self.child(c)
        if "keep_apart" in changes:
            others = {self.child(i) for i in changes["keep_apart"]} - {child_id}
            changes = {"keep_apart": sorted(others & set(self.children))}
        self.send(self.coordinator, "PATCH", f"/v1/children/{child_id}", json=changes)

    @rule(c=st.integers(0, 50))
    def delete_child(self, c: int) -> None:
        child_id = self.child(c)
        if self.send(self.coordinator, "DELETE", f"/v1/children/{child_id}").status_code == 204:
            self.gone.add(child_id)

    # -- proposals and placements --------------------------------------------------------

    @rule(c=st.integers(0, 50), h=st.integers(0, 50), whole=st.booleans())
    def propose(self, c: int, h: int, whole: bool) -> None:
        child_id, home_id = self.child(c), self.home(h)
        child_ids = [child_id]
        if whole:
            child_ids += sorted(self.group_of(child_id) - {child_id})
        body = {"child_ids": child_ids, "home_id": home_id}
        response = self.send(self.coordinator, "POST", "/v1/proposals", json=body)
        if response.status_code == 201:
            self.proposals[response.json()["id"]] = "proposed"

    @rule(c=st.integers(0, 50), h=st.integers(0, 50), carry_out=st.booleans())
    def move_a_placed_child(self, c: int, h: int, carry_out: bool) -> None:
        """Propose a placed child to another home (doorplaatsing), with its sibling group,
        and now and then accept and confirm the move at once: random picks reach placed
        children too seldom to test moves otherwise."""
        params = {"status": "placed", "limit": 500}
        placed = self.send(self.coordinator, "GET", "/v1/children", params=params).json()
        ids = [item["id"] for item in placed["items"]]
        if not ids:
            return
        before = len(self.proposals)
        self.propose(self.children.index(ids[c % len(ids)]), h, True)
        if carry_out and len(self.proposals) > before:
            self.accept_latest()
            if self.in_status("accepted"):
                self.confirm_latest()

    @precondition(lambda self: self.in_status("proposed", "accepted"))
    @rule()
    def end_a_placement_under_an_open_move(self) -> None:
        """Ending a placement whose child is proposed to move is refused; the move's own
        confirm ends it (the invariants check the rest)."""
        items = self.send(self.coordinator, "GET", "/v1/placements").json()["items"]
        for p in items:
            if p["end_date"] is not None:
                continue
            child = self.send(self.admin, "GET", f"/v1/children/{p['child_id']}").json()
            if child.get("status") == "proposed":
                url = f"/v1/placements/{p['id']}/end"
                response = self.send(self.coordinator, "POST", url, json={"reason": "move"})
                assert response.status_code == 409, response.text

    def in_status(self, *statuses: str) -> list[str]:
        return [p for p, status in self.proposals.items() if status in statuses]

    def pick(self, i: int, *statuses: str) -> str:
        chosen = self.in_status(*statuses)
        return chosen[i % len(chosen)]

    def answer(self, pid: str, response: Any) -> None:
        if response.status_code == 200:
            self.proposals[pid] = response.json()["status"]
        elif response.status_code == 409 and response.json().get("code") in ("expired",):
            self.proposals[pid] = "expired"

    # The steps of a proposal come twice (the latest proposal, or any), so that random
    # sequences reach accepted and confirmed proposals often, not only proposed ones.

    @rule(c=st.integers(0, 50), h=st.integers(0, 50))
    def propose_whole_group(self, c: int, h: int) -> None:
        self.propose(c, h, True)

    @precondition(lambda self: self.in_status("proposed", "accepted"))
    @rule(i=st.integers(0, 20), changes=home_changes)
    def change_a_home_with_an_open_proposal(self, i: int, changes: dict[str, Any]) -> None:
        pid = self.pick(i, "proposed", "accepted")
        home_id = self.send(self.coordinator, "GET", f"/v1/proposals/{pid}").json()["home_id"]
        self.send(self.provider, "PATCH", f"/v1/homes/{home_id}", json=changes)

    @precondition(lambda self: self.in_status("accepted"))
    @rule(i=st.integers(0, 20), changes=home_changes)
    def change_the_home_then_confirm(self, i: int, changes: dict[str, Any]) -> None:
        """The case the re-check is for, more often than chance would bring it."""
        pid = self.pick(i, "accepted")
        home_id = self.send(self.coordinator, "GET", f"/v1/proposals/{pid}").json()["home_id"]
        self.send(self.provider, "PATCH", f"/v1/homes/{home_id}", json=changes)
        self.confirm(self.in_status("accepted").index(pid))

    @precondition(lambda self: self.in_status("proposed"))
    @rule()
    def accept_latest(self) -> None:
        self.accept(-1)

    @precondition(lambda self: self.in_status("accepted"))
    @rule()
    def confirm_latest(self) -> None:
        self.confirm(-1)

    @precondition(lambda self: self.in_status("proposed"))
    @rule(i=st.integers(0, 20))
    def accept(self, i: int) -> None:
        pid = self.pick(i, "proposed")
        self.answer(pid, self.send(self.provider, "POST", f"/v1/proposals/{pid}/accept"))

    @precondition(lambda self: self.in_status("proposed", "accepted"))
    @rule(i=st.integers(0, 20))
    def decline(self, i: int) -> None:
        pid = self.pick(i, "proposed", "accepted")
        body = {"reason": "vol"}
        self.answer(
            pid, self.send(self.provider, "POST", f"/v1/proposals/{pid}/decline", json=body)
        )

    @precondition(lambda self: self.in_status("proposed", "accepted"))
    @rule(i=st.integers(0, 20))
    def withdraw(self, i: int) -> None:
        pid = self.pick(i, "proposed", "accepted")
        self.answer(pid, self.send(self.coordinator, "POST", f"/v1/proposals/{pid}/withdraw"))

    @precondition(lambda self: self.in_status("accepted"))
    @rule(i=st.integers(0, 20))
    def confirm(self, i: int) -> None:
        pid = self.pick(i, "accepted")
        before = self.send(self.coordinator, "GET", f"/v1/proposals/{pid}").json()
        fits = self.fits(before) if before["status"] == "accepted" else None
        response = self.send(self.coordinator, "POST", f"/v1/proposals/{pid}/confirm")
        self.answer(pid, response)
        code = response.json().get("code") if response.status_code == 409 else None
        if response.status_code == 200:
            assert fits is True, f"confirmed {before} although a rule forbade it"
            self.confirmed_fitting[pid] = fits
        elif code in ROUND_TRIP:
            assert fits is False, f"refused {before} ({code}) although every rule held"
        else:
            assert before["status"] != "accepted" or code == "expired", response.text

    @rule(i=st.integers(0, 20), reason=st.sampled_from(["move", "breakdown", "return_home"]))
    def end_placement(self, i: int, reason: str) -> None:
        items = self.send(self.coordinator, "GET", "/v1/placements").json()["items"]
        open_ = [p for p in items if p["end_date"] is None]
        if open_:
            pid = open_[i % len(open_)]["id"]
            self.send(
                self.coordinator, "POST", f"/v1/placements/{pid}/end", json={"reason": reason}
            )

    @rule(days=st.integers(1, 3))
    def time_passes(self, days: int) -> None:
        self.api.clock.advance(timedelta(days=days))

    # -- the oracle ----------------------------------------------------------------------

    def group_of(self, child_id: str) -> set[str]:
        """The sibling group as the API shows it (the transitive closure of siblings)."""
        seen, todo = {child_id}, [child_id]
        while todo:
            response = self.send(self.admin, "GET", f"/v1/children/{todo.pop()}")
            if response.status_code != 200:
                continue
            for s in response.json()["siblings"]:
                if s not in seen:
                    seen.add(s)
                    todo.append(s)
        return seen

    def fits(self, proposal: dict[str, Any]) -> bool:
        """Whether every rule allows the proposal's placement now, judged by the engine on
        the home and children as the API shows them."""
        home_id = proposal["home_id"]
        response = self.send(self.admin, "GET", f"/v1/homes/{home_id}")
        if response.status_code != 200:
            return False
        h = response.json()
        today = local_date(self.api.clock.now())
        rows = self.send(self.admin, "GET", "/v1/children", params={"limit": 500}).json()
        active = {
            c["id"]: c for c in rows["items"] if c["status"] in ("waiting", "proposed", "placed")
        }
        children = tuple(_child(c, set(active)) for c in active.values())
        own = min(proposal["beds"], h["beds_held"])
        home = Home(
            id=home_id,
            organisation=h["organisation"],
            type=HomeType(h["type"]),
            postcode=parse_postcode(h["postcode"]),
            beds_free=h["beds_free"] - h["beds_held"] + own,
            age_min=h["age_min"],
            age_max=h["age_max"],
            max_siblings=h["max_siblings"],
            capabilities={k: v for k, v in h["capabilities"].items() if v},
            available_from=_date(h["available_from"]),
            available_until=_date(h["available_until"]),
            known_to=frozenset(h["known_to"]),
        )
        # Children of the other open proposals to the home are about to live there.
        params = {"status": ["proposed", "accepted"], "limit": 500}
        others = self.send(self.coordinator, "GET", "/v1/proposals", params=params).json()
        residents = tuple(
            Resident(cid, home_id, frozenset(active[cid]["keep_apart"]))
            for p in others["items"]
            if p["home_id"] == home_id and p["id"] != proposal["id"]
            for cid in p["child_ids"]
            if cid in active
        )
        scenario = Scenario.of(today, self.policy, (home,), children, residents)
        ctx = Context.of(scenario)
        child_ids = proposal["child_ids"]
        unit = ctx.unit_of[child_ids[0]]
        staying = {
            c
            for c in unit.group
            if active[c]["status"] == "placed" and active[c]["current_home"] == home_id
        }
        if any(c not in unit.group for c in child_ids):
            return False
        if unit.split_reason is None:
            if any(c not in child_ids and c not in staying for c in unit.group):
                return False
        else:
            members = tuple(c for c in unit.group if c in child_ids)
            unit = Unit(members=members, group=unit.group, split_reason=unit.split_reason)
        return assess(ctx, unit, home).eligible

    # -- invariants ----------------------------------------------------------------------

    def rows(self, sql: str) -> list[Any]:
        with self.api.engine.connect() as conn:
            return list(conn.execute(text(sql)))

    @invariant()
    def every_confirm_kept_every_rule(self) -> None:
        assert all(self.confirmed_fitting.values())

    @invariant()
    def beds_are_never_negative_or_over_held(self) -> None:
        held = dict(
            self.rows(
                "SELECT home_id, SUM(beds) FROM proposals "
                "WHERE status IN ('proposed', 'accepted') GROUP BY home_id"
            )
        )
        for home_id, free, beds_held in self.rows("SELECT id, beds_free, beds_held FROM homes"):
            assert 0 <= beds_held <= free, home_id
            assert beds_held == int(held.get(home_id) or 0), home_id

    @invariant()
    def no_child_is_in_two_proposals_or_two_homes(self) -> None:
        open_by_child: dict[str, int] = {}
        for (child_id,) in self.rows(
            "SELECT pc.child_id FROM proposal_children pc JOIN proposals p "
            "ON p.id = pc.proposal_id WHERE p.status IN ('proposed', 'accepted')"
        ):
            open_by_child[child_id] = open_by_child.get(child_id, 0) + 1
        placed: dict[str, list[str]] = {}
        for child_id, home_id in self.rows(
            "SELECT child_id, home_id FROM placements WHERE end_date IS NULL"
        ):
            placed.setdefault(child_id, []).append(home_id)
        for child_id, status, current in self.rows("SELECT id, status, current_home FROM children"):
            assert open_by_child.get(child_id, 0) == (status == "proposed"), child_id
            if status == "placed":
                assert placed.get(child_id) == [current], child_id
            elif status == "proposed":
                # A placed child proposed elsewhere (a move) keeps its placement and bed
                # until the move is confirmed.
                assert placed.get(child_id) in (None, [current]), child_id
            else:
                assert child_id not in placed, child_id
        assert all(n <= 1 for n in open_by_child.values())

    @invariant()
    def nothing_lives_in_or_is_proposed_to_a_withdrawn_home(self) -> None:
        assert not self.rows(
            "SELECT p.id FROM proposals p JOIN homes h ON h.id = p.home_id "
            "WHERE h.withdrawn_at IS NOT NULL AND p.status IN ('proposed', 'accepted')"
        )
        assert not self.rows(
            "SELECT pl.id FROM placements pl JOIN homes h ON h.id = pl.home_id "
            "WHERE h.withdrawn_at IS NOT NULL AND pl.end_date IS NULL"
        )
        assert not self.rows(
            "SELECT c.id FROM children c JOIN homes h ON h.id = c.current_home "
            "WHERE h.withdrawn_at IS NOT NULL AND c.status IN ('waiting', 'proposed', 'placed')"
        )

    @invariant()
    def provider_views_never_show_a_confidential_groups_origin(self) -> None:
        links: dict[str, set[str]] = {}
        for a, b in self.rows("SELECT child_id, sibling_id FROM sibling_links"):
            links.setdefault(a, set()).add(b)
        children = {
            cid: (parents, school, secret is not None)
            for cid, parents, school, secret in self.rows(
                "SELECT id, parents_postcode, school_postcode, min_distance_from_parents_km "
                "FROM children"
            )
        }

        def secret_group(child_ids: list[str]) -> bool:
            seen, todo = set(child_ids), list(child_ids)
            while todo:
                for s in links.get(todo.pop(), set()) - seen:
                    seen.add(s)
                    todo.append(s)
            return any(c not in children or children[c][2] for c in seen)

        proposals = self.send(self.provider, "GET", "/v1/proposals", params={"limit": 500})
        for p in proposals.json()["items"]:
            if secret_group(p["child_ids"]):
                assert p["organisation"] is None, p
                assert all(c["school_area"] is None for c in p["children"]), p
        by_proposal = dict(self.rows("SELECT id, proposal_id FROM placements"))
        members: dict[str, list[str]] = {}
        for pid, cid in self.rows("SELECT proposal_id, child_id FROM proposal_children"):
            members.setdefault(pid, []).append(cid)
        placements = self.send(self.provider, "GET", "/v1/placements", params={"limit": 500})
        for pl in placements.json()["items"]:
            if secret_group(members[by_proposal[pl["id"]]]):
                assert pl["organisation"] is None, pl
        # Every string the provider was shown, searched for the area as a word of its
        # own: an id such as "6708912a-..." begins with four digits and is no postcode.
        shown = set(_strings(proposals.json())) | set(_strings(placements.json()))
        for parents, school, _ in children.values():
            for postcode in (parents, school):
                if postcode is not None:
                    assert not any(mentions(v, postcode[:4]) for v in shown), postcode


def _strings(value: Any) -> Iterator[str]:
    """Every string in a decoded JSON document, keys and values."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _child(c: dict[str, Any], known: set[str]) -> Child:
    return Child(
        id=c["id"],
        age=c["age"],
        parents_postcode=parse_postcode(c["parents_postcode"]),
        school_postcode=parse_postcode(c["school_postcode"]) if c["school_postcode"] else None,
        siblings=frozenset(s for s in c["siblings"] if s in known),
        split_reason=SplitReason(c["split_reason"]) if c["split_reason"] else None,
        keep_apart=frozenset(k for k in c["keep_apart"] if k in known),
        needs={k: v for k, v in c["needs"].items() if v},
        urgency=Urgency(c["urgency"]),
        min_distance_from_parents_km=c["min_distance_from_parents_km"],
        current_home=c["current_home"],
    )


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


#: Examples per backend, chosen to keep each run well under a minute: PostgreSQL commits
#: (every request writes its audit record) cost several times SQLite's. The rules are
#: decided in Python, identically on both; PostgreSQL runs for its locking and SQL.
EXAMPLES = {"sqlite": 10, "postgresql": 4}


def test_random_sequences_of_steps_keep_every_invariant(api: Api) -> None:
    machine = type("BoundMachine", (Machine,), {"api": api})
    run_state_machine_as_test(machine, settings=_settings(EXAMPLES[api.engine.dialect.name]))
