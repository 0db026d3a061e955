"""The ranker (rule masks, then the options and the nearest excluded homes pair by pair)
gives every child the very document that ranking every home pair by pair gives."""

from __future__ import annotations

import pytest

from api.services.seed import demo_document
from fixtures.generate import generate_region
from matching import Context, parse_scenario, rank
from matching.ranking import Ranker
from tests.builders import child, context, home


@pytest.mark.parametrize("fixture", ["demo", "region"])
def test_ranker_documents_equal_the_full_ranking_for_every_child(fixture: str) -> None:
    document = demo_document() if fixture == "demo" else generate_region()
    ctx = Context.of(parse_scenario(document))
    ranker = Ranker(ctx)
    for c in ctx.scenario.children:
        for lang in ("nl", "en"):
            fast = ranker.rank(c.id).to_json(ctx, lang=lang, top=10)
            assert fast == rank(ctx, c.id).to_json(ctx, lang=lang, top=10), c.id


def test_the_ranker_lists_only_the_nearest_and_never_pretends_to_list_all() -> None:
    ctx = context([home(f"H-{i}", age_min=12) for i in range(12)], [child()])
    result = Ranker(ctx).rank("C-1")
    assert len(result.excluded) == 8
    assert result.to_json(ctx)["excluded_total"] == 12
    with pytest.raises(ValueError, match="cannot list them all"):
        result.to_json(ctx, excluded="all")
