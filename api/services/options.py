"""Ranked options for one child: ``dichtbij rank --json`` on the live state.

The database state is loaded as a scenario inside a read transaction; the engine ranks
it after the transaction has ended, so a slow ranking never holds a connection. The
organisation's scenario and the engine's arrays over it are kept while the data is
unchanged (:mod:`api.services.engine_cache`), so most requests read only the child. With
``waiting_list`` each option also carries its effect on the organisation's other waiting
children (``dichtbij rank --waiting-list``): the scenario is then the whole waiting list,
as a match run sees it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

from api.db.uow import UnitOfWork
from api.schemas.children import ChildStatus
from api.services.access import Caller, Role
from api.services.care import decline_rates
from api.services.children import owned_child
from api.services.engine_cache import DECLINE_RATES, RANKERS
from api.services.errors import ConflictError, NotFoundError
from api.services.live import ACTIVE_STATUSES, organisation_scenario, waiting_scenario
from matching.context import Context
from matching.documents import DeclineRate
from matching.explain import Audience, Lang
from matching.policy import Policy
from matching.ranking import ExcludedShown, MembersShown, Ranker, rank
from solver.waiting_list import with_effects

__all__ = ["options_for", "options_with_held"]


def options_for(
    uow: UnitOfWork,
    caller: Caller,
    child_id: str,
    top: int,
    lang: Lang,
    today: date,
    policy: Policy,
    waiting_list: bool = False,
    excluded: ExcludedShown = "nearest",
    members: MembersShown = "points",
) -> dict[str, Any]:
    """The rank document of ``child_id`` (its whole sibling group when placed together);
    ``excluded`` and ``members`` as :meth:`matching.ranking.RankResult.document` takes
    them."""
    doc, _, _ = _options(
        uow, caller, child_id, top, lang, today, policy, waiting_list, excluded, members
    )
    return doc


def options_with_held(
    uow: UnitOfWork,
    caller: Caller,
    child_id: str,
    top: int,
    lang: Lang,
    today: date,
    policy: Policy,
    held: Collection[str],
    waiting_list: bool = False,
) -> tuple[dict[str, Any], int, list[str]]:
    """:func:`options_for`, how many homes the ranking considered (its options and the
    homes it excluded), and of ``held`` (the homes of the child's open proposals) those it
    did not consider: every place there is held, by this very proposal, so the home is no
    candidate, neither an option nor excluded. A page that counts the homes considered
    names them apart, lest it count one home fewer after a proposal."""
    doc, ctx, n_options = _options(
        uow, caller, child_id, top, lang, today, policy, waiting_list, "nearest", "points"
    )
    considered = ctx.scenario.home_by_id
    return (
        doc,
        n_options + int(doc["excluded_total"]),
        sorted({h for h in held if h not in considered}),
    )


def _options(
    uow: UnitOfWork,
    caller: Caller,
    child_id: str,
    top: int,
    lang: Lang,
    today: date,
    policy: Policy,
    waiting_list: bool,
    excluded: ExcludedShown,
    members: MembersShown,
) -> tuple[dict[str, Any], Context, int]:
    ranker: Ranker | None = None
    since = today - timedelta(days=policy.decline_memory_days)
    with uow.read() as tx:
        # The version first: the rows read after it are at least as new (api.db.version).
        version = tx.state.data_version()
        row = owned_child(tx, caller, child_id)
        tx.audit.about(children=[child_id])
        if caller.role is not Role.COORDINATOR:
            raise NotFoundError("child", child_id)
        if row.status == ChildStatus.LEFT:
            raise ConflictError("child_left", f"child '{child_id}' has left care")
        if waiting_list and row.status != ChildStatus.WAITING:
            raise ConflictError(
                "child_not_waiting",
                f"child '{child_id}' is not waiting: the effect on the waiting list is "
                "shown for waiting children only",
            )
        if waiting_list:
            ctx = Context.of(waiting_scenario(tx, row.organisation, today, policy))
        else:
            # Every active child of the organisation: ranks any of them as the child's own
            # smallest scenario would (tests/api/test_options.py), and is the same for all.
            organisation = row.organisation
            ranker = RANKERS.get(
                None if version is None else (version, organisation, today, policy),
                lambda: Ranker(
                    Context.of(
                        organisation_scenario(
                            tx,
                            organisation=organisation,
                            statuses=ACTIVE_STATUSES,
                            reference_date=today,
                            policy=policy,
                        )
                    )
                ),
            )
            ctx = ranker.ctx
        # Beside each option whose carers answered proposals lately, how often they said
        # no: the service's memory, which the command line (knowing no proposals) does not
        # have. Kept per data version for every home, like the ranker.
        rates = DECLINE_RATES.get(
            None if version is None else (version, since),
            lambda: decline_rates(tx, None, since),
        )
    uow.audit.about(children=ctx.unit_of[child_id].group)
    # The ranker assesses only the options and the nearest excluded homes; the full list
    # needs every home assessed.
    if ranker is not None and excluded == "nearest" and not waiting_list:
        ranked = ranker.rank(child_id, top=top)
    else:
        ranked = rank(ctx, child_id)
    doc = ranked.document(
        ctx,
        lang=lang,
        audience=Audience.COORDINATOR,
        top=top,
        excluded=excluded,
        members=members,
    )
    doc = doc.model_copy(
        update={
            "options": [
                o.model_copy(update={"decline_rate": DeclineRate(**rates[o.home_id])})
                if rates.get(o.home_id, {}).get("answered")
                else o
                for o in doc.options
            ]
        }
    )
    if waiting_list:
        doc, named = with_effects(doc, ctx, ranked, lang)
        # The effects name other children of the same organisation: their reading is audited.
        uow.audit.about(children=sorted(named))
    return doc.to_json(), ctx, ranked.n_options
