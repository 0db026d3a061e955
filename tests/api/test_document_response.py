"""Large documents are encoded by pydantic-core: the same bytes as Starlette's encoder, and
no NaN or infinity leaves as if it were JSON."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from fastapi.responses import JSONResponse

from api.http.responses import DocumentResponse
from fixtures.generate import generate_region
from matching import Context, parse_scenario
from matching.ranking import Ranker


def _documents() -> list[dict[str, Any]]:
    ctx = Context.of(parse_scenario(generate_region()))
    ranker = Ranker(ctx)
    children = [c.id for c in ctx.scenario.children][:20]
    return [
        ranker.rank(c, top=10).document(ctx, lang=lang, top=10).to_json()
        for c in children
        for lang in ("nl", "en")
    ]


def test_documents_are_encoded_to_the_same_bytes_as_starlettes() -> None:
    for document in _documents():
        assert DocumentResponse(document).body == JSONResponse(document).body


def test_any_json_value_is_encoded_to_the_same_json() -> None:
    # Text is not escaped either; only a tiny float's exponent is written another way
    # (1e-7 for 1e-07), the same number.
    document = {
        "text": 'Ééñ ‘zin’ met <tekens> & "quotes" \\ en \n regels',
        "numbers": [0, -3, 0.1, 2.5, 1e-07, 2.5e20, 12345678901234567890],
        "nested": [{"a": None, "b": True}, {}],
    }
    body = DocumentResponse(document).body
    assert json.loads(body) == document
    assert body.replace(b"1e-7", b"1e-07") == JSONResponse(document).body


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_a_float_that_is_no_json_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="JSON compliant"):
        DocumentResponse({"km": value})


def test_text_that_says_nan_is_encoded_as_text() -> None:
    document = {"home_id": "NaN-Infinity"}
    assert DocumentResponse(document).body == b'{"home_id":"NaN-Infinity"}'
