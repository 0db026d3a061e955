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
        full = rank(ctx, c.id)
        for lang in ("nl", "en"):
            fast = ranker.rank(c.id).document(ctx, lang=lang, top=10).to_json()
            assert fast == full.document(ctx, lang=lang, top=10).to_json(), c.id
        # Each member's criteria in full, on request.
        whole = ranker.rank(c.id, top=10).document(ctx, top=10, members="full").to_json()
        assert whole == full.document(ctx, top=10, members="full").to_json(), c.id
        # Only the best few assessed, the rest ordered out by the array scores; 1 and 3
        # cut through ties of equal scores, which distance and id then order.
        for top in (1, 3, 10):
            fewest = ranker.rank(c.id, top=top)
            assert (
                fewest.document(ctx, top=top).to_json() == full.document(ctx, top=top).to_json()
            ), (c.id, top)
            assert fewest.n_options == len(full.options)


def test_the_ranker_lists_only_the_nearest_and_never_pretends_to_list_all() -> None:
    ctx = context([home(f"H-{i}", age_min=12) for i in range(12)], [child()])
    result = Ranker(ctx).rank("C-1")
    assert len(result.excluded) == 8
    assert result.document(ctx).to_json()["excluded_total"] == 12
    with pytest.raises(ValueError, match="cannot list them all"):
        result.document(ctx, excluded="all").to_json()


def test_a_ranking_of_the_best_few_refuses_to_show_more() -> None:
    # Residential groups score fewer points than the foster family: no tie with it.
    homes = [home("H-0"), *(home(f"H-{i}", type="residential") for i in range(1, 5))]
    ctx = context(homes, [child(residential_reason="specialist_treatment")])
    result = Ranker(ctx).rank("C-1", top=1)
    assert len(result.options) == 1
    assert result.n_options == 5
    assert result.document(ctx, top=1).to_json() == rank(ctx, "C-1").document(ctx, top=1).to_json()
    with pytest.raises(ValueError, match="cannot show more"):
        result.document(ctx, top=2).to_json()
