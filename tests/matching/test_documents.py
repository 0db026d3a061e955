"""The engine's answer documents: built whole, valid against their own models, keys as named."""

from __future__ import annotations

from importlib import resources

from matching import Context, load_scenario, rank
from matching.documents import Move, RankDocument


def _demo() -> Context:
    text = resources.files("matching").joinpath("data/demo-scenario.json").read_text("utf-8")
    return Context.of(load_scenario(text))


def test_rank_document_json_validates_against_its_own_model() -> None:
    ctx = _demo()
    for unit in ctx.units[:6]:
        doc = rank(ctx, unit.members[0]).document(ctx, top=3)
        again = RankDocument.model_validate(doc.to_json())
        assert again.to_json() == doc.to_json()


def test_rank_document_leaves_out_what_was_not_asked_for() -> None:
    ctx = _demo()
    doc = rank(ctx, ctx.units[0].members[0]).document(ctx, excluded="all").to_json()
    assert "waiting_list" not in doc
    assert all("waiting_list_effect" not in o for o in doc["options"])
    whole_unit = [r for e in doc["excluded"] for r in e["reasons"] if r["code"] == "beds"]
    assert whole_unit
    assert all("child_id" not in r for r in whole_unit)


def test_a_move_is_written_with_the_json_name_from() -> None:
    move = Move(children=["C-1"], from_="H-1", to=None)
    assert move.to_json() == {"children": ["C-1"], "from": "H-1", "to": None}
