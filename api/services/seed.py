"""Loading a scenario document into the database: the demo on first start, fixtures for
benchmarks. Also the demo keys, one per role, replaced on every start of a demo instance.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from importlib import resources
from typing import Any

from sqlalchemy import func, insert, select

from api.db.mappers import child_values, home_values
from api.db.tables import ChildRow, HomeRow, SiblingLinkRow
from api.db.uow import UnitOfWork
from api.schemas.children import ChildStatus
from api.services.access import Role
from api.services.audit_trail import OPERATOR, operator_record, record_event
from api.services.history import load_history
from api.services.keys import IssuedKey, create_key
from matching.scenario import ChildIn, HomeIn, parse_scenario

__all__ = [
    "DEMO_ORGANISATIONS",
    "LoadResult",
    "demo_document",
    "issue_demo_keys",
    "load_scenario_document",
    "seed_demo",
]

DEMO_LABEL = "demo"
_SEEDED = "demo_seeded"

#: Who the demo keys belong to. The provider owns most of the demo's foster homes (32), so
#: the screens can show proposals to it; the coordinator owns every demo child; the
#: municipality is Ede, where most demo parents live.
DEMO_ORGANISATIONS: dict[Role, tuple[str, str | None]] = {
    Role.COORDINATOR: ("jeugdbescherming-foodvalley", None),
    Role.PROVIDER: ("pleegzorg-gelderland", None),
    Role.MUNICIPALITY: ("gemeente-ede", "0228"),
    Role.ADMIN: ("dichtbij-beheer", None),
}


@dataclass(frozen=True, slots=True)
class LoadResult:
    homes: int
    children: int
    history: int = 0  # placements of the simulated demo history


def demo_document() -> dict[str, Any]:
    text = resources.files("matching").joinpath("data/demo-scenario.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def load_scenario_document(
    uow: UnitOfWork,
    document: Mapping[str, Any],
    coordinator_organisation: str,
    now: datetime,
) -> LoadResult:
    """Store every home and child of a scenario document (validated by the engine's loader,
    :class:`~matching.ScenarioError` if it is not valid); the children belong to
    ``coordinator_organisation`` and are waiting."""
    scenario = parse_scenario(dict(document))
    homes = []
    for raw in document["homes"]:
        body = HomeIn.model_validate(raw)
        homes.append(
            {**home_values(body, scenario.home(body.id)), "beds_held": 0}
            | {"created_at": now, "updated_at": now}
        )
    children = []
    links: set[tuple[str, str]] = set()
    for raw in document["children"]:
        c_body = ChildIn.model_validate(raw)
        children.append(
            child_values(c_body, scenario.child(c_body.id))
            | {
                "organisation": coordinator_organisation,
                "status": ChildStatus.WAITING.value,
                "created_at": now,
                "updated_at": now,
            }
        )
        for s in c_body.siblings:
            links |= {(c_body.id, s), (s, c_body.id)}
    with uow.write() as tx:
        session = tx.session
        for start in range(0, len(homes), 2000):
            session.execute(insert(HomeRow), homes[start : start + 2000])
        for start in range(0, len(children), 2000):
            session.execute(insert(ChildRow), children[start : start + 2000])
        if links:
            session.execute(
                insert(SiblingLinkRow),
                [{"child_id": a, "sibling_id": b} for a, b in sorted(links)],
            )
        tx.commit()
    return LoadResult(len(homes), len(children))


def seed_demo(uow: UnitOfWork, now: datetime) -> LoadResult | None:
    """Load the bundled demo scenario once, into a database without homes or children."""
    with uow.write() as tx:
        if tx.state.get(_SEEDED) is not None:
            return None
        empty = not (
            tx.session.scalar(select(func.count()).select_from(HomeRow))
            or tx.session.scalar(select(func.count()).select_from(ChildRow))
        )
        tx.state.set(_SEEDED, now.isoformat())
        tx.commit()
    if not empty:
        return None
    organisation, _ = DEMO_ORGANISATIONS[Role.COORDINATOR]
    loaded = load_scenario_document(uow, demo_document(), organisation, now)
    # Ten simulated months, so that the municipality audit has something to show.
    return replace(loaded, history=load_history(uow, now))


def issue_demo_keys(uow: UnitOfWork, now: datetime) -> list[IssuedKey]:
    """Revoke the previous demo keys and create one new key per role; every step is in the
    audit trail as the operator's (whoever started the server)."""
    with uow.write() as tx:
        for prefix in tx.keys.revoke_labelled(DEMO_LABEL, now):
            record_event(
                tx,
                OPERATOR,
                "key.revoke",
                now,
                object_type="key",
                object_id=prefix,
                status=204,
                route="cli serve (demo keys)",
            )
        tx.commit()
    return [
        create_key(
            uow.audited(
                operator_record("key.create", now, command="serve (demo keys)", success_status=201)
            ),
            role=role.value,
            organisation=organisation,
            municipality=municipality,
            now=now,
            label=DEMO_LABEL,
        )
        for role, (organisation, municipality) in DEMO_ORGANISATIONS.items()
    ]
