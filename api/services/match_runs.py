"""Match runs: the batch match of all waiting children the caller may see, stored.

A coordinator's run covers its own organisation's waiting children; an admin's covers
every organisation's. Children with an open proposal or a placement are not waiting, and
beds held by open proposals are not free. Children placed in a residential group are in
the run too, as in ``dichtbij match`` a child with a ``current_home``: staying is an
assignment to that home (they keep their bed, and are not unplaced), and where a
family-like home is free the optimum may move them there (the ``uitstroom`` list). The
children a run covers are named to the audit trail when it is made and whenever it is read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from api.db.tables import MatchRunRow
from api.db.uow import UnitOfWork
from api.schemas.match_runs import MatchRunPublic
from api.services.access import Caller
from api.services.errors import NotFoundError
from api.services.live import waiting_scenario
from api.services.matching import run_match
from matching.explain import Lang
from matching.model import Scenario
from matching.policy import Policy

__all__ = ["create_match_run", "get_match_run", "run_scenario"]


def _child_ids(doc: Mapping[str, Any]) -> Iterator[str]:
    """Every child id in the assignments and the unplaced list of a match document."""
    for section in ("assignments", "unplaced"):
        for entry in doc.get(section) or []:
            if not isinstance(entry, Mapping):
                continue
            for key in ("child_id", "child_ids", "members"):
                value = entry.get(key)
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from (v for v in value if isinstance(v, str))


def _public(row: MatchRunRow) -> MatchRunPublic:
    doc: dict[str, Any] = dict(row.result)
    doc.update(id=row.id, created_at=row.created_at, organisation=row.organisation)
    return MatchRunPublic.model_validate(doc)


def run_scenario(uow: UnitOfWork, caller: Caller, today: date, policy: Policy) -> Scenario:
    """What a match run matches: the caller's waiting children (every organisation's for an
    admin), its children placed in residential groups (who may stay or move out:
    uitstroom) and the homes, read in one transaction. The run page compares practice on
    the very same scenario, so both read it here."""
    organisation = None if caller.is_admin else caller.organisation
    with uow.read() as tx:
        return waiting_scenario(tx, organisation, today, policy, movable=True)


def create_match_run(
    uow: UnitOfWork,
    caller: Caller,
    time_limit_s: float,
    now: datetime,
    today: date,
    policy: Policy,
    lang: Lang = "nl",
    frontier: int = 0,
) -> MatchRunPublic:
    scenario = run_scenario(uow, caller, today, policy)
    # Solve outside any transaction: a run may take seconds and must not hold a connection.
    result = run_match(scenario, time_limit_s=time_limit_s, lang=lang, frontier=frontier)
    row = MatchRunRow(
        id=str(uuid.uuid4()),
        organisation=None if caller.is_admin else caller.organisation,
        created_at=now,
        result=result,
    )
    with uow.write() as tx:
        tx.match_runs.add(row)
        tx.audit.about(
            object_id=row.id, children=[c.id for c in scenario.children] + list(_child_ids(result))
        )
        tx.commit()
    return _public(row)


def get_match_run(uow: UnitOfWork, caller: Caller, run_id: str) -> MatchRunPublic:
    with uow.read() as tx:
        row = tx.match_runs.get(run_id)
        if row is None or (not caller.is_admin and row.organisation != caller.organisation):
            raise NotFoundError("match run", run_id)
        tx.audit.about(children=_child_ids(row.result))
        return _public(row)
