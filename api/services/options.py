"""Ranked options for one child: ``dichtbij rank --json`` on the live state.

The database state is loaded as a scenario inside a read transaction; the engine ranks
it after the transaction has ended, so a slow ranking never holds a connection.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.db.uow import UnitOfWork
from api.schemas.children import ChildStatus
from api.services.access import Caller, Role
from api.services.children import owned_child
from api.services.errors import ConflictError, NotFoundError
from api.services.live import options_scenario
from matching.context import Context
from matching.explain import Audience, Lang
from matching.policy import Policy
from matching.ranking import rank

__all__ = ["options_for"]


def options_for(
    uow: UnitOfWork,
    caller: Caller,
    child_id: str,
    top: int,
    lang: Lang,
    today: date,
    policy: Policy,
) -> dict[str, Any]:
    """The rank document of ``child_id`` (its whole sibling group when placed together)."""
    with uow.read() as tx:
        row = owned_child(tx, caller, child_id)
        tx.audit.about(children=[child_id])
        if caller.role is not Role.COORDINATOR:
            raise NotFoundError("child", child_id)
        if row.status == ChildStatus.LEFT:
            raise ConflictError("child_left", f"child '{child_id}' has left care")
        scenario = options_scenario(
            tx,
            organisation=row.organisation,
            child_id=child_id,
            reference_date=today,
            policy=policy,
        )
    ctx = Context.of(scenario)
    uow.audit.about(children=ctx.unit_of[child_id].group)
    return rank(ctx, child_id).to_json(ctx, lang=lang, audience=Audience.COORDINATOR, top=top)
