"""The status quo as practised, straight from a scenario: first come, first served.

:func:`solver.greedy.status_quo` works on built problems; this module builds them (the
batch with its real sibling units, and the same batch with every child on its own, as a
coordinator phoning round for single beds would place them) so that benchmarks and the
simulated placement history use one definition of today's practice.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from matching import Context, Scenario, score_all
from matching.model import SplitReason
from solver.batch import build_batch
from solver.greedy import StatusQuoPlacement, status_quo

__all__ = ["split_everyone", "status_quo_of"]


def split_everyone(scenario: Scenario, keep_apart: bool = True) -> Scenario:
    """Every child its own unit (a group placed apart); optionally without keep-apart."""
    kids = tuple(
        replace(
            c,
            split_reason=SplitReason.OTHER if c.siblings else c.split_reason,
            split_note="placed one by one" if c.siblings else c.split_note,
            keep_apart=c.keep_apart if keep_apart else frozenset(),
        )
        for c in scenario.children
    )
    return Scenario.of(
        scenario.reference_date, scenario.policy, scenario.homes, kids, scenario.residents
    )


def status_quo_of(ctx: Context) -> list[StatusQuoPlacement]:
    """Today's practice on ``ctx``: crisis first, then arrival order, the first bed that fits;
    a sibling group that fits nowhere together is split over single beds."""
    table = score_all(ctx)
    whole = build_batch(ctx, table)
    of_table = np.full(table.n_pairs, -1, dtype=np.int64)
    of_table[whole.pair_key] = np.arange(whole.n_pairs)
    member_scores = {
        (int(of_table[key]), table.child_ids[child]): int(score)
        for key, child, score in zip(
            table.member_pair.tolist(),
            table.member_child.tolist(),
            table.member_score.tolist(),
            strict=True,
        )
        if of_table[key] >= 0
    }
    single_ctx = Context(split_everyone(ctx.scenario), ctx.table)
    single = build_batch(single_ctx, score_all(single_ctx))
    return status_quo(whole, member_scores, single, ctx.keep_apart)
