"""Load the simulated demo placement history, so the municipality audit has months to show.

The history (:mod:`fixtures.history`) is synthetic: ten months of Regio Foodvalley placed
first come, first served, each with the engine's counterpart. It is stored as the real
thing would be (homes, confirmed proposals, placements with their audit facts), but the
homes are withdrawn, so that none of them is ever offered, and every id starts with
``HIST-``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from api.db.tables import HomeRow, PlacementRow, ProposalChildRow, ProposalRow
from api.db.uow import UnitOfWork
from fixtures.history import HistoryPlacement, simulate_history
from matching.geo import postcode_table

__all__ = [
    "HISTORY_ID_PREFIX",
    "HISTORY_ORGANISATION",
    "SIMULATED_HISTORY",
    "history_simulated",
    "load_history",
]

HISTORY_ORGANISATION = "jeugdbescherming-foodvalley"
#: How the id of every simulated child and home begins (:func:`fixtures.history.simulate_history`).
HISTORY_ID_PREFIX = "HIST-"
#: Service-state key set, in the same transaction as the rows, when simulated history is
#: stored: every report read from this database must then say its data is simulated.
SIMULATED_HISTORY = "history_simulated"


def _home_row(p: HistoryPlacement, now: datetime) -> dict[str, Any]:
    h = p.home
    return {
        "id": h.id,
        "organisation": h.organisation,
        "type": h.type.value,
        "postcode": h.postcode.pc4,
        "beds_free": 0,
        "beds_held": 0,
        "age_min": h.age_min,
        "age_max": h.age_max,
        "max_siblings": h.max_siblings,
        "capabilities": dict(h.capabilities),
        "religion": h.religion,
        "languages": list(h.languages),
        "available_from": h.available_from,
        "available_until": h.available_until,
        "known_to": sorted(h.known_to),
        "created_at": now,
        "updated_at": now,
        "withdrawn_at": now,
    }


def _rows(p: HistoryPlacement, now: datetime) -> tuple[dict[str, Any], dict[str, Any]]:
    f = p.fact
    started = datetime.combine(f.start_date, time(12), tzinfo=UTC)
    proposal_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"dichtbij-history:{p.child_id}"))
    proposal = {
        "id": proposal_id,
        "organisation": HISTORY_ORGANISATION,
        "home_id": p.home.id,
        "status": "confirmed",
        "beds": 1,
        "split_reason": f.split_reason.value if f.split_reason and not f.together else None,
        "created_at": started - timedelta(days=2),
        "updated_at": started,
        "expires_at": started + timedelta(days=3),
        "accepted_at": started - timedelta(days=1),
        "closed_at": started,
        "decline_reason": None,
        "withdraw_reason": None,
        "engine_choice": None,
    }
    e = f.engine
    placement = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"dichtbij-history-placement:{p.child_id}")),
        "proposal_id": proposal_id,
        "child_id": p.child_id,
        "organisation": HISTORY_ORGANISATION,
        "home_id": p.home.id,
        "home_type": f.actual.home_type.value,
        "parents_municipality": f.municipality,
        "home_municipality": postcode_table().locate(p.home.postcode).municipality_code,
        "distance_km": f.actual.distance_km,
        "keeps_school": f.actual.keeps_school,
        "sibling_group": f.sibling_group,
        "together": f.together,
        "split_reason": f.split_reason.value if f.split_reason else None,
        "start_date": f.start_date,
        "end_date": f.end_date,
        "end_reason": f.end_reason.value if f.end_reason else None,
        "engine_home_type": e.home_type.value if e else None,
        "engine_distance_km": e.distance_km if e else None,
        "engine_same_municipality": e.same_municipality if e else None,
        "engine_keeps_school": e.keeps_school if e else None,
        "engine_together": e.together if e else None,
        "created_at": now,
        "ended_at": datetime.combine(f.end_date, time(12), tzinfo=UTC) if f.end_date else None,
    }
    return proposal, placement


def load_history(uow: UnitOfWork, now: datetime) -> int:
    """Store the simulated history; returns the number of placements."""
    placements, _ = simulate_history()
    homes = {p.home.id: _home_row(p, now) for p in placements}
    proposals, rows, links = [], [], []
    for p in placements:
        proposal, placement = _rows(p, now)
        proposals.append(proposal)
        rows.append(placement)
        links.append({"proposal_id": proposal["id"], "child_id": p.child_id, "position": 0})
    with uow.write() as tx:
        tx.session.execute(insert(HomeRow), list(homes.values()))
        tx.session.execute(insert(ProposalRow), proposals)
        tx.session.execute(insert(ProposalChildRow), links)
        tx.session.execute(insert(PlacementRow), rows)
        tx.state.set(SIMULATED_HISTORY, now.isoformat())
        tx.commit()
    return len(rows)


def history_simulated(uow: UnitOfWork) -> bool:
    """Whether this database holds simulated placements (the demo seed stored them)."""
    with uow.read() as tx:
        return tx.state.get(SIMULATED_HISTORY) is not None
